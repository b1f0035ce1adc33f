"""The benchmark's notices are real documents: they build from the current context models and
render, as forms, to one page each (bench/ would otherwise time something else, or crash)."""

from datetime import datetime, time
from zoneinfo import ZoneInfo

from bench.bench_writers import notice_kinds
from bench.notice_data import reminders
from service.cases.enums import Stage
from service.demo.seed import seed_demo
from service.documents.pdf import get_renderer
from service.documents.render import render
from service.documents.service import prepare
from tests.documents.conftest import TEMPLATES
from tests.factories import DEMO_ANCHOR


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
