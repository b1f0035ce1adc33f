"""US-21: nothing is accelerated once the governing schedule has matured. A notice of intent to
accelerate or a notice of acceleration for a debt whose every instalment had fallen due by the day
the acceleration would take effect announced an acceleration of what was already due (demo case
US-00002: its notice of 2026-10-20 said "has accelerated" while its pleadings said matured). Both
are refused by name; the same loan with instalments still to come gets them."""

from datetime import date, timedelta

from service.cases.casefile import load_case_file
from tests.documents.test_acceleration_notices import ACCELERATION, INTENT, in_state, refusals, sent

LAST_DUE = date(2026, 6, 3)  # the test loan's 24th and last instalment (tests/documents/legal_cases.py us_case)


def us21(found: list[str]) -> list[str]:
    return [v for v in found if v.startswith("US-21")]


def test_a_notice_of_acceleration_after_the_loan_matured_is_refused_by_name(db):
    accelerated = LAST_DUE + timedelta(days=20)
    case = in_state(db, "TX", accelerated_on=accelerated)
    assert load_case_file(db, case.ref).instalments[-1].due_date == LAST_DUE
    sent(db, case, INTENT, LAST_DUE - timedelta(days=40))  # US-19 itself is met: only maturity refuses it
    [found] = us21(refusals(db, case, ACCELERATION, accelerated))
    assert found == (f"US-21: the loan had matured on {LAST_DUE.isoformat()} (its last installment fell due): by "
                     f"{accelerated.isoformat()}, when the acceleration it announces would take effect, the whole "
                     f"balance was already due, so there is nothing left to accelerate and no {ACCELERATION} is sent")


def test_a_notice_of_intent_whose_cure_period_outlasts_the_last_instalment_is_refused(db):
    """The intent threatens an acceleration the day after its cure deadline (10 days in Texas): if the
    last instalment falls due by then, nothing would be left to accelerate."""
    case = in_state(db, "TX", accelerated_on=None)
    case.stage = "PHONE"
    day = LAST_DUE - timedelta(days=5)
    [found] = us21(refusals(db, case, INTENT, day))
    assert f"by {(day + timedelta(days=11)).isoformat()}, when the acceleration it gives notice of" in found
    assert f"the loan had matured on {LAST_DUE.isoformat()}" in found


def test_while_instalments_remain_to_fall_due_both_notices_go_out(db):
    """The control: the same loan a month earlier (the intent) and with instalments after the
    acceleration (the notice of acceleration) is refused by no US-21."""
    case = in_state(db, "TX", accelerated_on=None)
    case.stage = "PHONE"
    early = LAST_DUE - timedelta(days=40)
    assert refusals(db, case, INTENT, early) == []
    case.stage, case.accelerated_on = "PRE_LITIGATION", early + timedelta(days=15)
    sent(db, case, INTENT, early)
    db.flush()
    assert us21(refusals(db, case, ACCELERATION, early + timedelta(days=15))) == []
