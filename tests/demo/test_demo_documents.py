"""Every kind valid at a demo case's stage renders in both formats; the only refusals are the
rules a careful collector would expect (credit wording before the pre-notice, nothing overdue)."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from service.cases.casefile import load_case_file
from service.cases.models import DebtCase
from service.core.errors import RuleViolation
from service.demo.seed import seed_demo
from service.documents import service as documents_service
from service.documents.registry import KINDS
from service.documents.render import render

EXPECTED_REFUSALS = {("demand_letter", "CN-10"), ("demand_letter", "ESC-01"), ("credit_report_prenotice", "ESC-01"),
                     ("overdue_reminder", "ESC-01")}


def test_every_valid_kind_renders_for_every_demo_case(db, settings):
    seed_demo(db, cases=18, settings=settings)
    rendered, refused = 0, set()
    for case in db.scalars(select(DebtCase).order_by(DebtCase.id)):
        tz = ZoneInfo(load_case_file(db, case.ref).borrower.timezone)
        daytime = datetime.combine(datetime.now(tz).date() - timedelta(days=1), time(11, 0), tzinfo=tz).astimezone(UTC)
        for kind in (k for k in KINDS.values() if case.stage in k.stages and case.profile in k.locales):
            for locale in kind.locales[case.profile]:
                for fmt in kind.formats:
                    try:
                        _, _, ctx = documents_service.prepare(db, case_ref=case.ref, kind=kind.kind, fmt=fmt,
                                                              locale=locale, as_of=None, now=daytime)
                    except RuleViolation as exc:
                        refused |= {(kind.kind, v.rule) for v in exc.violations}
                        continue
                    out = render(ctx, fmt, templates_dir=settings.templates_dir)
                    assert out.data and (out.pages or fmt != "pdf")
                    rendered += 1
    assert rendered > 150
    assert refused <= EXPECTED_REFUSALS, refused - EXPECTED_REFUSALS
