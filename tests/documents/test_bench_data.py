"""The benchmark's notices are real documents: they build from the current context models and
render, as forms, to one page each (bench/ would otherwise time something else, or crash)."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bench.bench_load import producible_in
from bench.bench_writers import notice_kinds
from bench.notice_data import reminders
from service.cases.enums import Stage
from service.cases.models import DebtCase
from service.core.errors import RuleViolation
from service.documents.pdf import get_renderer
from service.documents.render import render
from service.documents.service import prepare
from tests.documents.conftest import TEMPLATES
from tests.factories import DEMO_ANCHOR
from tests.seeded import seed_demo


def test_bench_reminders_render_to_one_page_each():
    contexts = reminders(24)
    results = [render(ctx, "pdf", templates_dir=TEMPLATES) for ctx in contexts]
    assert [r.pages for r in results] == [1] * len(contexts)
    assert max(len(r.data) for r in results) <= 80 * 1024  # the one-page size budget
    assert len(get_renderer(TEMPLATES).forms) >= 1


def test_bench_writers_asks_each_case_only_for_a_notice_it_may_receive(db):
    """bench_writers' mixed run asked every case for a credit-report pre-notice, and CN-31
    refused those of lenders that report to no credit system (43 answers of 422)."""
    seed_demo(db, anchor=DEMO_ANCHOR, cases=16, stages=[Stage.REMINDER])
    kinds = notice_kinds(db)
    assert set(kinds.values()) == {"credit_report_prenotice", "overdue_reminder"}  # both lender sorts seeded
    morning = datetime.combine(DEMO_ANCHOR, time(11), ZoneInfo("Asia/Shanghai"))  # the bench's shifted clock
    for ref, kind in kinds.items():  # a refusal raises RuleViolation naming the rule
        prepare(db, case_ref=ref, kind=kind, fmt="pdf", locale=None, as_of=None, now=morning,
                override_reason="bench copy")


def test_bench_load_asks_only_for_notices_the_service_should_produce(db):
    """bench_load counted every answer to CN-00019 as an error (422 ESC-01): the demo seeds it at
    the reminder stage with every instalment due by 2026-12-06 paid. Such a case is left out; any
    other refusal stops the benchmark rather than being hidden."""
    anchor = date(2026, 12, 6)
    seed_demo(db, anchor=anchor, cases=64, stages=[Stage.REMINDER])
    morning = datetime.combine(anchor, time(11), ZoneInfo("Asia/Shanghai"))
    refs = list(db.scalars(select(DebtCase.ref).order_by(DebtCase.ref)))
    chosen = producible_in(db, dict.fromkeys(refs, "overdue_reminder"), now=morning)
    # the cases left out are those the service refuses as owing nothing past due (since interest paid
    # above the cap is set against principal, CN-00019 owes the capped interest of its later periods)
    left = [ref for ref in refs if ref not in chosen]
    assert len(left) <= 1, left
    for ref in left:
        with pytest.raises(RuleViolation) as refused:
            prepare(db, case_ref=ref, kind="overdue_reminder", fmt="pdf", locale=None, as_of=None, now=morning)
        assert [v.rule for v in refused.value.violations] == ["ESC-01"]
    with pytest.raises(RuntimeError, match="refuses its demand_letter"):  # a reminder-stage case: not ESC-01
        producible_in(db, {chosen[0]: "demand_letter"}, now=morning)
