"""CN-09 on the visit notice and the visit's staff (reader review of the visit kits, 2026-12-08):

- the 24-hour lead runs from the notice's arrival: a posted notice arrives `notice_postal_days`
  after it is made at the earliest, and its deadline to reschedule or decline must fall after that;
- one visit, one notice (DOC-03): a second notice for the same visit is a repeat whatever its date;
- no staff member is on two visits at once (or closer than `staff_gap_minutes`): refused when the
  visit is recorded, its notice made, the case moved to VISIT_NOTIFIED.
Real database; the notices rendered where they are accepted."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from service.cases import activity
from service.cases.casefile import load_case_file
from service.cases.enums import Stage
from service.cases.models import Communication, DebtCase, Visit
from service.cases.rules import load_ruleset
from service.cases.schemas import StaffIn, TransitionIn, VisitIn
from service.core.errors import RuleViolation
from service.core.security import Principal
from service.documents import service as documents_service
from tests.documents.conftest import add_visit, at, cn_case, squash
from tests.documents.legal_cases import texts

P = load_ruleset("CN").rule("CN-09").params
VISIT = at(date(2025, 12, 10), 14)  # 14:00 Shanghai; the notice's reply deadline: 12-09 20:00


def _prepare(db, case: DebtCase, now: datetime, **over):
    return documents_service.prepare(db, case_ref=case.ref, kind="visit_notice", fmt="pdf", locale=None,
                                     as_of=now.date(), now=now, **over)


def _refusal(db, case: DebtCase, now: datetime) -> list[str]:
    with pytest.raises(RuleViolation) as refused:
        _prepare(db, case, now)
    return [f"{v.rule}: {v.message}" for v in refused.value.violations]


def test_a_letter_made_two_days_before_the_visit_is_refused_it_cannot_arrive_in_time(db):
    """The reader's case: made 12-08 08:58 for a 12-10 14:00 visit, reply by 12-09 20:00, by post
    (2–3 days): it arrives on 12-10 at the earliest, after the deadline and hours before the visit."""
    case = cn_case(db, stage="VISIT_PLANNED")
    add_visit(db, case, VISIT)
    found = _refusal(db, case, at(date(2025, 12, 8), 8, 58))
    assert all(f.startswith("CN-09") for f in found) and len(found) == 2, found
    assert "arrives 2025-12-10 00:58 UTC at the earliest" in found[0] and "delivery" in found[0]
    assert "deadline to reschedule or decline, 2025-12-09 20:00" in found[1]


def test_the_lead_counts_from_the_earliest_arrival_to_the_minute(db, tmp_path):
    case = cn_case(db, stage="VISIT_PLANNED")
    add_visit(db, case, VISIT)
    latest = VISIT - timedelta(days=int(P["notice_postal_days"]), hours=int(P["notice_lead_hours"]))
    assert latest == at(date(2025, 12, 7), 14)
    found = _refusal(db, case, latest + timedelta(minutes=1))
    assert len(found) == 1 and "less than 24 hours before it" in found[0]
    ctx = _prepare(db, case, latest)[2]  # arrives 12-09 14:00: 24 h ahead, before the 20:00 deadline
    for text in texts(ctx, tmp_path):
        assert "改约或拒绝截止2025年12月9日20:00前" in squash(text)


def test_a_second_notice_for_the_same_visit_is_a_repeat_whatever_its_date(db, store):
    case = cn_case(db, stage="VISIT_PLANNED")
    visit = add_visit(db, case, VISIT)
    first = documents_service.generate(db, case_ref=case.ref, kind="visit_notice", fmt="pdf",
                                       as_of=date(2025, 12, 3), actor="test", store=store,
                                       now=at(date(2025, 12, 3), 10))
    assert visit.notice_document_id == first.id
    with pytest.raises(RuleViolation) as refused:  # a day later, another as-of date: still this visit's notice
        _prepare(db, case, at(date(2025, 12, 4), 10))
    (violation,) = refused.value.violations
    assert violation.rule == "DOC-03" and "already announced" in violation.message
    _prepare(db, case, at(date(2025, 12, 4), 10), override_reason="the first letter was returned unopened")


def _two_cases_same_staff(db, gap: timedelta) -> tuple[DebtCase, DebtCase]:
    """Two cases whose visits share a staff member (员工0), the second's starting `gap` after the
    first's end (negative: overlapping)."""
    one, two = cn_case(db, stage="VISIT_PLANNED"), cn_case(db, stage="VISIT_PLANNED")
    add_visit(db, one, VISIT)
    add_visit(db, two, VISIT + timedelta(hours=2) + gap, badge="ZY-")
    return one, two


def test_a_notice_naming_staff_booked_on_another_visit_at_the_time_is_refused(db):
    one, two = _two_cases_same_staff(db, timedelta(minutes=-30))
    found = _refusal(db, two, at(date(2025, 12, 5), 10))
    assert len(found) == 2 and all(f.startswith("CN-09") for f in found)  # each staff member named
    assert f"员工0 is also on the visit of case {one.ref}, 2025-12-10 06:00–08:00 UTC" in found[0]
    assert "员工1" in found[1]
    refused = _refusal(db, one, at(date(2025, 12, 5), 10))  # either of the two
    assert two.ref in refused[0]


def test_staff_need_the_travel_gap_between_two_visits(db):
    _, two = _two_cases_same_staff(db, timedelta(minutes=int(P["staff_gap_minutes"]) - 1))
    assert "less than 60 minutes" in _refusal(db, two, at(date(2025, 12, 5), 10))[0]
    visit = load_case_file(db, two.ref).visits[0]
    visit.window_start += timedelta(minutes=1)
    visit.window_end += timedelta(minutes=1)
    db.flush()
    _prepare(db, two, at(date(2025, 12, 5), 10))  # an hour between them: allowed


def test_planning_a_visit_with_staff_booked_elsewhere_is_refused(db):
    one = cn_case(db, stage="VISIT_PLANNED")
    add_visit(db, one, VISIT)
    two = cn_case(db, stage="VISIT_PLANNED")
    data = VisitIn(purpose="与您本人当面核实联系方式并协商合同履行安排", address="上海市浦东新区世纪大道100号",
                   window_start=VISIT + timedelta(hours=1), window_end=VISIT + timedelta(hours=3),
                   staff=[StaffIn(name="员工1", badge_no="ZY-1"), StaffIn(name="张伟", badge_no="ZY-2")])
    with pytest.raises(RuleViolation) as refused:
        activity.record_visit(db, two, data, actor="test")
    (violation,) = refused.value.violations
    assert violation.rule == "CN-09" and f"员工1 is also on the visit of case {one.ref}" in violation.message
    assert "员工1已安排参加案件" in violation.localized["zh-CN"]
    assert load_case_file(db, two.ref).visits == []  # nothing recorded
    moved = data.model_copy(update={"window_start": VISIT + timedelta(hours=4),
                                    "window_end": VISIT + timedelta(hours=6)})
    assert activity.record_visit(db, two, moved, actor="test").id


def test_the_step_to_visit_notified_refuses_double_booked_staff(db):
    """The escalation guard (the visit's notice delivered, its staff) asks the same question."""
    now = datetime.now(UTC)
    # two days ahead at 14:00 borrower-local: inside contact hours whatever the hour the suite runs
    window = datetime.combine((now + timedelta(days=2)).date(), time(14, 0), tzinfo=ZoneInfo("Asia/Shanghai"))
    one, two = cn_case(db, stage="VISIT_PLANNED"), cn_case(db, stage="VISIT_PLANNED")
    add_visit(db, one, window)
    visit: Visit = add_visit(db, two, window + timedelta(minutes=30))
    sent = now - timedelta(days=3)
    visit.notice_sent_at = sent
    db.add(Communication(case_id=two.id, channel="letter", direction="out", party_kind="borrower",
                         to_address="北京市朝阳区建国路88号", sent_at=sent, delivered_at=now - timedelta(hours=1),
                         local_time="", outcome="delivered", template_kind="visit_notice"))
    db.flush()
    with pytest.raises(RuleViolation) as refused:
        activity.transition(db, two, TransitionIn(to=Stage.VISIT_NOTIFIED, reason="test"),
                            Principal("test:collector", "collector"))
    (violation,) = refused.value.violations
    assert violation.rule == "CN-09" and one.ref in violation.message and "no visit notice" not in violation.message
