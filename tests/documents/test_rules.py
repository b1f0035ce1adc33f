"""Documents refused before generation name the rules that refused them."""

from datetime import UTC, date, datetime, timedelta

import pytest

from service.cases.casefile import load_case_file
from service.cases.models import CaseHold
from service.core.errors import RuleViolation
from service.documents import rules
from service.documents import service as documents_service
from service.documents.contexts.facts import CaseFacts
from service.documents.registry import get_kind
from tests.documents.conftest import add_prenotice, add_visit, at, cn_case
from tests.factories import schedule

DAY = date(2025, 6, 20)


def refused(db, store, ref, kind, now, **kw) -> list[str]:
    with pytest.raises(RuleViolation) as exc:
        documents_service.generate(db, case_ref=ref, kind=kind, actor="t", store=store, now=now, **kw)
    return [v.rule for v in exc.value.violations]


def test_visit_notice_needs_two_staff(db, store):
    case = cn_case(db, stage="VISIT_PLANNED")
    add_visit(db, case, at(DAY + timedelta(days=3), 10), staff=1)
    assert refused(db, store, case.ref, "visit_notice", at(DAY, 10)) == ["CN-09"]


def test_visit_notice_inside_the_lead_time(db, store):
    case = cn_case(db, stage="VISIT_PLANNED")
    add_visit(db, case, at(DAY, 20))  # ten hours after the notice; the rule asks 24 from its arrival
    assert set(refused(db, store, case.ref, "visit_notice", at(DAY, 10))) == {"CN-09"}


def test_visit_at_night_and_without_badges(db, store):
    case = cn_case(db, stage="VISIT_PLANNED")
    add_visit(db, case, at(DAY + timedelta(days=3), 21), badge=" ")  # the posted notice arrives in time
    with pytest.raises(RuleViolation) as exc:
        documents_service.generate(db, case_ref=case.ref, kind="visit_notice", actor="t", store=store,
                                   now=at(DAY, 10))
    messages = [v.message for v in exc.value.violations]
    assert {v.rule for v in exc.value.violations} == {"CN-09"} and len(messages) == 1
    assert "21:00–23:00 is outside 08:00–22:00" in messages[0]


def test_credit_reporting_wording_needs_the_prenotice(db, store):
    case = cn_case(db, stage="PHONE")
    assert refused(db, store, case.ref, "demand_letter", at(DAY, 10)) == ["CN-10"]
    add_prenotice(db, case, at(DAY + timedelta(days=5), 10))  # sent after the as-of date: does not count
    assert refused(db, store, case.ref, "demand_letter", at(DAY + timedelta(days=6), 10), as_of=DAY) == ["CN-10"]
    add_prenotice(db, case, at(DAY - timedelta(days=20), 10))
    documents_service.generate(db, case_ref=case.ref, kind="demand_letter", actor="t", store=store, now=at(DAY, 10))


@pytest.mark.parametrize("hour", [7, 22, 23])
def test_reminder_in_quiet_hours(db, store, hour):
    case = cn_case(db)
    assert refused(db, store, case.ref, "overdue_reminder", at(DAY, hour), fmt="sms") == ["CN-01"]


def test_us_reminder_after_nine_pm_consumer_time(db, store):
    from tests.documents.test_api import us_case

    case = us_case(db)
    assert refused(db, store, case.ref, "overdue_reminder", at(DAY, 21, 30, "America/Chicago")) == ["US-01"]
    documents_service.generate(db, case_ref=case.ref, kind="overdue_reminder", actor="t", store=store,
                               now=at(DAY, 20, 30, "America/Chicago"))


def test_open_hold_blocks_outbound_documents(db, store):
    case = cn_case(db)
    db.add(CaseHold(case_id=case.id, kind="DISPUTE", reason="borrower disputes the amount",
                    opened_at=datetime(2025, 6, 1, tzinfo=UTC)))
    db.flush()
    assert refused(db, store, case.ref, "credit_report_prenotice", at(DAY, 10)) == ["HOLD"]


def test_kind_at_the_wrong_stage(db, store):
    case = cn_case(db, stage="REMINDER")
    assert refused(db, store, case.ref, "plan_reminder", at(DAY, 10)) == ["DOC-01"]


def test_every_reason_is_named_at_once(db, store):
    case = cn_case(db, stage="REMINDER")
    db.add(CaseHold(case_id=case.id, kind="COMPLAINT", reason="x", opened_at=datetime(2025, 6, 1, tzinfo=UTC)))
    db.flush()
    assert refused(db, store, case.ref, "breach_notice", at(DAY, 23)) == ["DOC-01", "HOLD", "CN-10"]


def test_time_barred_debt_refuses_suit_documents(db):
    case = cn_case(db, stage="PRE_LITIGATION", schedule=schedule(first_due=date(2019, 2, 10), start=date(2019, 1, 10)),
                   contract={"signed_date": "2019-01-10", "disbursed_date": "2019-01-10"},
                   payments=[{"value_date": "2019-02-10", "amount": "1100.00"}])
    facts = CaseFacts(load_case_file(db, case.ref), date(2026, 11, 1), at(date(2026, 11, 1), 10))
    assert facts.limitation.expires_on < facts.as_of
    ids = [v.rule for v in rules.check(facts, get_kind("civil_complaint"))]
    assert ids == ["CN-18"]
    assert [v.rule for v in rules.check(facts, get_kind("evidence_index"))] == []  # lists, does not sue


def test_a_reminder_on_the_due_date_itself_is_refused_not_a_crash(db, store):
    """On its due date an instalment is owed but not yet late: there is no overdue notice to send
    (ESC-01), where the reminder used to fail on a missing first overdue date."""
    case = cn_case(db)
    cf = load_case_file(db, case.ref)
    first = min(i.due_date for i in cf.instalments)  # nothing was due before it
    assert refused(db, store, case.ref, "overdue_reminder", at(first, 10), as_of=first) == ["ESC-01"]
