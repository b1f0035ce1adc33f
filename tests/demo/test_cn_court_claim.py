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
from service.documents.contexts.common import DocMeta, DocumentContext
from service.documents.contexts.facts import CaseFacts
from service.documents.format import cn_number, money, percent
from service.documents.registry import KINDS
from service.documents.render import Rendered, render
from tests.documents.conftest import pdf_text, squash
from tests.factories import demo_clock
from tests.seeded import seed_demo

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


def _render(cf: CaseFile, kind: str, on: date = ANCHOR) -> tuple[DocumentContext, Rendered]:
    k = KINDS[kind]
    facts = CaseFacts(cf, on, demo_clock(on, tz=cf.borrower.timezone))
    doc = DocMeta(kind=kind, profile="CN", locale="zh-CN", audience=k.audience, as_of=facts.as_of,
                  case_ref=cf.case.ref)
    ctx = k.context_class().build(facts, doc)
    return ctx, render(ctx, "pdf", templates_dir=get_settings().templates_dir)


def _text(cf: CaseFile, kind: str, tmp: Path, on: date = ANCHOR) -> str:
    return pdf_text(_render(cf, kind, on)[1].data, tmp)


def test_f6_one_reduction_figure_in_the_claim_statement_and_dossier_claim(court_cases, tmp_path):
    """§三's total, §四's total line, §五's total row and `dossier claim` state the same figure for
    what the cap took off: the claim's contractual total less the claimed total (0.00 in the
    demo's claims: the ledger caps each period's interest and an agreement charges the cap's rate;
    a bank's default rate above the cap: test_contract_acceleration)."""
    for cf in court_cases:
        one_reduction_figure(cf, ANCHOR, tmp_path)


def one_reduction_figure(cf: CaseFile, on: date, tmp_path: Path) -> bool:
    """The checks of F6 on one case, as of `on`; True where the claim was reduced by the rates alone
    (the figure the reviewer saw contradicted: a reduction with no cut of the parts together)."""
    claim = accounts.claim_of(cf, on, licensed_cap=get_settings().licensed_cost_cap)
    reduced = money(claim.reduced_by)
    flat = squash(_text(cf, "claim_statement", tmp_path, on))
    row = f"合计（诉讼标的额）{money(claim.contractual_total)}{reduced}{money(claim.claimed_total)}"
    assert row in flat, cf.case.ref
    assert re.search(rf"调减金额合计（[^）]*）{re.escape(reduced)}", flat), cf.case.ref
    assert f"因利率上限调减、不予主张的金额合计（同第三部分）{reduced}" in flat, cf.case.ref
    if claim.reduced_by:  # the complaint states the same figure
        assert f"因利率上限调减、不予主张的金额合计{reduced}元" in squash(_text(cf, "civil_complaint", tmp_path, on))
    out = StringIO()
    print_claim(Console(file=out, width=200), claim_view(cf, claim), "en")
    assert f"reduced by {claim.reduced_by:,}" in " ".join(out.getvalue().split()), cf.case.ref
    return bool(claim.reduced_by and not claim.cap_result.reduced_by)


def _section(text: str, start: str, end: str) -> str:
    flat = squash(text)
    return flat[flat.index(start):flat.index(end)]


def test_f4_the_agreement_clause_the_complaint_cites_revives_the_suspended_interest(court_cases, tmp_path):
    """The complaint and the element form cite the agreement's default clause for the revived
    interest; that clause of the agreement (the exhibit) says so, with the claim's rate, and its
    penalty runs from the acceleration date, as the claim computes it (not the original due dates)."""
    revived = 0
    for cf in court_cases:
        claim = accounts.claim_of(cf, ANCHOR, licensed_cap=get_settings().licensed_cost_cap)
        if claim.agreement is None:
            continue
        clause = claim.agreement.terms.default.clause_no
        heading = f"第{cn_number(clause)}条"
        agreement = _text(cf, "repayment_agreement", tmp_path)
        default = _section(agreement, heading + "违约责任", f"第{cn_number(clause + 1)}条")
        assert "自原约定还款日起" not in squash(agreement), cf.case.ref
        penalty = claim.line("default_penalty")
        if penalty is not None:
            assert "自提前到期日（含当日）起，以乙方未还本金为基数" in default, cf.case.ref
            assert f"年利率{percent(penalty.rate)}" in default.split("自提前到期日（含当日）起")[1], cf.case.ref
        rev = claim.line("revived_interest")
        if rev is None:
            continue
        revived += 1
        assert rev.clause == str(clause)
        assert "停止计收的利息恢复计收" in default and f"年利率{percent(rev.rate)}计算" in default, cf.case.ref
        complaint = squash(_text(cf, "civil_complaint", tmp_path))
        assert f"依还款协议{heading}，停息挂账期间暂停计收的利息{money(rev.amount)}元" in complaint, cf.case.ref
    assert revived


def test_f7_the_complaint_states_the_proposal_of_the_agreement_signed_at_the_visit(court_cases, tmp_path):
    """The visit at which the agreement was signed records the borrower's proposal as that agreement
    has it (its number of instalments, a waiver only where it waives), and the complaint, which
    quotes it beside "双方当场签署", speaks of the defendant throughout."""
    signed_at_visit = 0
    for cf in court_cases:
        plan = cf.current_plan
        complaint = squash(_text(cf, "civil_complaint", tmp_path))
        assert "借款人提出" not in complaint, cf.case.ref
        if plan is None or "当场签署" not in complaint:
            continue
        signed_at_visit += 1
        visit = complaint[:complaint.index("当场签署")].rsplit("上门走访", 1)[1]
        assert f"分{len(plan.instalments)}期偿还" in visit, cf.case.ref
        assert ("减免" in visit) == bool(plan.waived_amount), cf.case.ref
    assert signed_at_visit >= 2


def test_f24_no_compound_interest_is_spoken_of_where_none_is_claimed(court_cases, tmp_path):
    """A complaint or element form names compound interest, its amount and its formula only where
    the claim has some; a contract that allows it, where none is claimed, reads 复利不主张."""
    none_claimed = 0
    for cf in court_cases:
        claim = accounts.claim_of(cf, ANCHOR, licensed_cap=get_settings().licensed_cost_cap)
        complaint = squash(_text(cf, "civil_complaint", tmp_path))
        elements = squash(_text(cf, "complaint_elements", tmp_path))
        if claim.compound:
            assert f"复利{money(claim.compound)}元" in complaint, cf.case.ref
            continue
        none_claimed += 1
        assert "复利0.00" not in complaint + elements and "及复利。" not in complaint, cf.case.ref
        assert "复利以逾期" not in elements and "复利、罚息）" not in elements, cf.case.ref
        if cf.contract.compound_allowed:
            assert "复利不主张" in elements, cf.case.ref
    assert none_claimed


def test_f10_the_plan_reminder_states_the_agreements_cure_period(db, settings, tmp_path):
    """The plan reminder (zh-CN and en-US) says what the agreement's default clause says: a default
    after the grace period, the written notice and the cure period, and only then the whole balance."""
    seed_demo(db, anchor=ANCHOR, cases=40, settings=settings)
    refs = list(db.scalars(select(DebtCase.ref).where(DebtCase.profile == "CN", DebtCase.stage == Stage.PLAN_ACTIVE)
                           .order_by(DebtCase.ref)))
    assert refs
    k = KINDS["plan_reminder"]
    for ref in refs:
        cf = load_case_file(db, ref)
        plan = cf.current_plan
        facts = CaseFacts(cf, ANCHOR, demo_clock(ANCHOR, tz=cf.borrower.timezone))
        for locale in ("zh-CN", "en-US"):
            doc = DocMeta(kind=k.kind, profile="CN", locale=locale, audience=k.audience, as_of=ANCHOR, case_ref=ref)
            text = squash(pdf_text(render(k.context_class().build(facts, doc), "pdf",
                                          templates_dir=get_settings().templates_dir).data, tmp_path))
            if locale == "zh-CN":
                grace, cure = cn_number(plan.grace_days), cn_number(plan.cure_days)
                until = cn_number(plan.grace_days + plan.cure_days)
                assert f"书面通知您纠正，您应自应还日起{until}日内（宽限期{grace}日及纠正期{cure}日）" in text, ref
                assert "即构成违约，" not in text, ref
            else:
                assert squash(f"to cure it within {plan.grace_days + plan.cure_days} days of the due date "
                              f"({plan.grace_days} days' grace, {plan.cure_days} to cure)") in text, ref
                assert squash("is a default and we may require") not in text, ref


def test_f17_the_service_address_confirmation_names_where_e_service_was_consented_to(court_cases, tmp_path):
    """E-service needs the defendant's consent (民诉法 art. 90): the confirmation names the document
    and clause that hold it — the repayment agreement's clause 5 where the agreement consents."""
    by_agreement = 0
    for cf in court_cases:
        text = squash(_text(cf, "service_address_confirmation", tmp_path))
        assert "在合同中同意" not in text, cf.case.ref
        plan = cf.current_plan
        if plan is not None and plan.e_service_consent:
            by_agreement += 1
            assert f"被告已在《还款协议》（编号{plan.agreement_no}）第五条中同意电子送达" in text, cf.case.ref
        elif cf.contract.e_service_consent:
            assert f"被告已在借款合同（编号{cf.contract.contract_no}）" in text, cf.case.ref
    assert by_agreement


def test_f18_the_english_agreement_says_once_which_languages_it_is_made_in(db, settings, tmp_path):
    """The en-US repayment agreement does not say it is made in English and then that it is made in
    Chinese and English with the Chinese prevailing: it says the latter, and that the English is at
    the borrower's request."""
    seed_demo(db, anchor=ANCHOR, cases=40, settings=settings)
    refs = db.scalars(select(DebtCase.ref).where(DebtCase.profile == "CN", DebtCase.stage == Stage.PLAN_ACTIVE))
    k = KINDS["repayment_agreement"]
    for ref in refs:
        cf = load_case_file(db, ref)
        facts = CaseFacts(cf, ANCHOR, demo_clock(ANCHOR, tz=cf.borrower.timezone))
        doc = DocMeta(kind=k.kind, profile="CN", locale="en-US", audience=k.audience, as_of=ANCHOR, case_ref=ref)
        text = squash(pdf_text(render(k.context_class().build(facts, doc), "pdf",
                                      templates_dir=get_settings().templates_dir).data, tmp_path))
        assert squash("made in English at Party B's request") not in text, ref
        assert squash("made in Chinese and in English; the English version is provided at Party B's request") in text
        assert squash("the Chinese version prevails") in text, ref
