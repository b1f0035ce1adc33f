"""DOC-06 on a lawyer letter whose seventh day is a rest day (民法典 art. 203): the borrower's last
day is the next working day, the complaint waits past it, and the complaint states that day."""

from datetime import date, timedelta

from service.cases import activity
from service.cases.models import Communication
from service.cases.warnings import current_warnings
from service.core.errors import RuleViolation
from service.documents import service as documents_service
from service.documents.render import render_html
from tests.documents.conftest import TEMPLATES, squash
from tests.documents.legal_cases import DAY, context, facts_for, litigation_case, moment

SENT, DELIVERED = date(2025, 11, 19), date(2025, 11, 22)  # delivered on a Saturday: day 7 is Saturday 11-29


def _doc06(db, ref: str, day: date) -> list[str]:
    try:
        documents_service.prepare(db, case_ref=ref, kind="civil_complaint", fmt="pdf", locale=None, as_of=day,
                                  now=moment(day))
    except RuleViolation as exc:
        return [v.message for v in exc.violations if v.rule == "DOC-06"]
    return []


def test_a_complaint_on_the_rolled_last_day_is_refused_and_the_day_after_states_it(db):
    case = litigation_case(db, plan=False)
    comm = Communication(case_id=case.id, channel="letter", direction="out", party_kind="borrower",
                         to_address="上海市", sent_at=moment(SENT), local_time=moment(SENT).isoformat(),
                         outcome="sent", template_kind="lawyer_letter", stated_as_of=SENT)
    db.add(comm)
    db.flush()
    activity.record_delivery(db, case, comm.id, actor="test", at=moment(DELIVERED, 14))
    assert date(2025, 12, 1) == DAY  # Monday: the weekend 11-29/30 moves the last day here
    deadline = facts_for(db, case.ref, DAY).demand_deadline
    assert deadline is not None and deadline.pay_by == DAY
    (running,) = _doc06(db, case.ref, DAY)
    assert f"until {DAY.isoformat()}" in running, running
    assert _doc06(db, case.ref, date(2025, 11, 29)) and _doc06(db, case.ref, date(2025, 11, 30))
    after = DAY + timedelta(days=1)
    assert _doc06(db, case.ref, after) == []
    stated = "未在该函限定的期限内（自送达之日起七日内，即至2025年12月1日止）偿还欠款"
    for kind in ("civil_complaint", "complaint_elements"):
        assert stated in squash(render_html(context(db, case.ref, kind, day=after), TEMPLATES)), kind


def test_a_case_warns_while_a_period_may_end_in_a_year_without_a_holiday_schedule(db):
    """2027's schedule is not in the data: a period ending then moves past weekends only (POL-01)."""
    case = litigation_case(db, plan=False)

    def warned(day: date) -> list[str]:
        facts = facts_for(db, case.ref, day)
        return [v.message for v in current_warnings(facts.cf, facts.limitation, now=moment(day), on=day)
                if v.rule == "POL-01"]

    assert warned(DAY) == []  # periods from 2025-12-01 end by 2026-01-30: both years scheduled
    (message,) = warned(date(2026, 12, 7))
    assert "holiday schedule for 2027 is not in the data" in message, message
