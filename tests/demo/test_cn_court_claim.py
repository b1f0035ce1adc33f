"""The CN court documents of every demo case in litigation state the claim computation's facts as
the documents they cite state them (review 2026-12-04: F4, F5, F6, F7, F24, F27).

The demo is seeded as the reviewer seeded it (anchor 2026-12-04, 40 cases); each CN case at
PRE_LITIGATION or later has its court documents built directly (the stage check is the only one
left out) and rendered to PDF, and the checks read the PDF's text.
"""

import re
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from rich.console import Console
from sqlalchemy import select
from sqlalchemy.orm import Session

from service.cases import accounts
from service.cases.casefile import CaseFile, load_case_file
from service.cases.claim_view import claim_view
from service.cases.enums import Stage
from service.cases.models import DebtCase
from service.cli_views import print_claim
from service.core.settings import Settings, get_settings
from service.demo.seed import seed_demo
from service.documents.contexts.common import DocMeta, DocumentContext
from service.documents.contexts.facts import CaseFacts
from service.documents.format import money
from service.documents.registry import KINDS
from service.documents.render import Rendered, render
from tests.documents.conftest import pdf_text, squash
from tests.factories import demo_clock

ANCHOR = date(2026, 12, 4)
COURT = (Stage.PRE_LITIGATION, Stage.FILED, Stage.JUDGMENT, Stage.ENFORCEMENT)


@pytest.fixture
def court_cases(db: Session, settings: Settings) -> list[CaseFile]:
    seed_demo(db, anchor=ANCHOR, cases=40, settings=settings)
    refs = db.scalars(select(DebtCase.ref).where(DebtCase.profile == "CN", DebtCase.stage.in_(COURT))
                      .order_by(DebtCase.ref))
    cases = [load_case_file(db, ref) for ref in refs]
    assert len(cases) >= 3
    return cases


def _render(cf: CaseFile, kind: str) -> tuple[DocumentContext, Rendered]:
    k = KINDS[kind]
    facts = CaseFacts(cf, ANCHOR, demo_clock(ANCHOR, tz=cf.borrower.timezone))
    doc = DocMeta(kind=kind, profile="CN", locale="zh-CN", audience=k.audience, as_of=facts.as_of,
                  case_ref=cf.case.ref)
    ctx = k.context_class().build(facts, doc)
    return ctx, render(ctx, "pdf", templates_dir=get_settings().templates_dir)


def _text(cf: CaseFile, kind: str, tmp: Path) -> str:
    return pdf_text(_render(cf, kind)[1].data, tmp)


def test_f6_one_reduction_figure_in_the_claim_statement_and_dossier_claim(court_cases, tmp_path):
    """§三's total, §四's total line, §五's total row and `dossier claim` state the same figure for
    what the cap took off: the claim's contractual total less the claimed total."""
    cut_only_by_rates = 0
    for cf in court_cases:
        claim = accounts.claim_of(cf, ANCHOR, licensed_cap=get_settings().licensed_cost_cap)
        reduced = money(claim.reduced_by)
        flat = squash(_text(cf, "claim_statement", tmp_path))
        row = f"合计（诉讼标的额）{money(claim.contractual_total)}{reduced}{money(claim.claimed_total)}"
        assert row in flat, cf.case.ref
        assert re.search(rf"调减金额合计（[^）]*）{re.escape(reduced)}", flat), cf.case.ref
        assert f"因利率上限调减、不予主张的金额合计（同第三部分）{reduced}" in flat, cf.case.ref
        if claim.reduced_by:  # the complaint states the same figure
            assert f"因利率上限调减、不予主张的金额合计{reduced}元" in squash(_text(cf, "civil_complaint", tmp_path))
        out = StringIO()
        print_claim(Console(file=out, width=200), claim_view(cf, claim))
        assert f"reduced by {claim.reduced_by:,}" in " ".join(out.getvalue().split()), cf.case.ref
        # the figure the reviewer saw contradicted: a reduction with no cut of the parts together
        cut_only_by_rates += bool(claim.reduced_by and not claim.cap_result.reduced_by)
    assert cut_only_by_rates
