"""US-15 on a case, by state: what the parts of the debt accrue on, and what restarts their clock.

Reader, US-00010 (New York): the complaint pleaded that the period "for the last part of the debt
ends no earlier than September 30, 2029", three years from a payment plan's last instalment. The
plan exists only by the borrower's signed promise, and New York's table (CPLR 214-i) counts no
acknowledgment or promise: each part of the balance the plan took over keeps the day it fell due
under the loan, and the complaint pleads the part whose period ends first. Where a written
acknowledgment restarts the clock (Illinois, California, Texas: the table's "restarts", each with
its statute) the plan's own instalments accrue; a payment restarts it where the table says so.
"""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from service.cases import accounts, activity
from service.cases.casefile import load_case_file
from service.cases.limitation import add_years
from service.cases.rules import load_ruleset
from service.cases.schemas import PaymentIn
from service.cases.us_law import LOAN, PAYMENT, PLAN, WRITTEN_ACKNOWLEDGMENT, state_law
from service.documents import rules as doc_rules
from service.documents.contexts.facts import CaseFacts
from service.documents.format import date_en
from service.documents.registry import get_kind
from tests.documents.conftest import squash
from tests.documents.legal_cases import DAY, context, texts
from tests.documents.test_acceleration_notices import _plan_breached, in_state

RULES = load_ruleset("US")
# state → (years, a signed plan (a written acknowledgment) restarts the clock, a payment does, the statute)
TABLE = {"NY": (3, False, False, "CPLR 214-i"),
         "IL": (10, True, True, "735 ILCS 5/13-206"),
         "CA": (4, True, True, "Cal. Code Civ. Proc. § 360"),
         "TX": (4, True, False, "Tex. Civ. Prac. & Rem. Code § 16.065")}
FIRST_MISSED = ("9", date(2025, 3, 3))  # the test loan's first instalment not paid (8 of 24 were)
PLACE = "Chicago, IL"


def test_the_expectations_are_the_tables():
    for state, (years, ack, pay, statute) in TABLE.items():
        law = state_law(RULES, state)
        assert (law.years, WRITTEN_ACKNOWLEDGMENT in law.restarts, PAYMENT in law.restarts) == (years, ack, pay)
        assert statute in law.restart_source, state


@pytest.mark.parametrize("state", sorted(TABLE))
def test_under_a_signed_plan_the_parts_accrue_as_the_states_table_says(db, state):
    years, ack_restarts, _, _ = TABLE[state]
    case, dues = _plan_breached(db, state, PLACE, DAY)
    cf = load_case_file(db, case.ref)
    lim = accounts.us_limitation_of(cf, RULES)
    if ack_restarts:  # the plan is the new promise: its unpaid instalments accrue (its first was paid)
        assert lim.schedule == PLAN  # (the plan's default clause accelerated what its third would bring)
        assert min(p.accrued_on for p in lim.parts) == dues[1]
        assert (lim.earliest.label, lim.earliest.expires_on) == ("2", add_years(dues[1], years))
        return
    # New York: the plan's later dates extend nothing; the loan's instalments it took over keep theirs
    assert lim.schedule == LOAN
    assert (lim.earliest.label, lim.earliest.accrued_on) == FIRST_MISSED
    assert lim.earliest.expires_on == date(2028, 3, 3) and lim.earliest.restarted_on is None
    assert {p.accrued_on for p in lim.parts if not p.accelerated} <= {i.due_date for i in cf.instalments}
    assert lim.earliest.expires_on < add_years(dues[-1], years)


@pytest.mark.parametrize("state", sorted(TABLE))
def test_a_payment_restarts_the_clock_only_where_the_table_says(db, state):
    years, _, pay_restarts, _ = TABLE[state]
    case = in_state(db, state)
    paid_on = FIRST_MISSED[1] + timedelta(days=68)
    activity.add_payment(db, case, PaymentIn(value_date=paid_on, amount=Decimal("50.00")), actor="test")
    lim = accounts.us_limitation_of(load_case_file(db, case.ref), RULES)
    first = lim.earliest
    assert (first.label, first.accrued_on) == FIRST_MISSED
    if pay_restarts:
        assert (first.restarted_on, first.restarted_by) == (paid_on, PAYMENT)
        assert first.expires_on == add_years(paid_on, years)
    else:
        assert (first.restarted_on, first.restarted_by) == (None, "")
        assert first.expires_on == add_years(FIRST_MISSED[1], years)


def test_a_new_york_complaint_under_a_plan_pleads_the_loans_first_part(db, tmp_path):
    case, dues = _plan_breached(db, "NY", PLACE, DAY)
    ctx = context(db, case.ref, "debt_claim_petition")
    for text in texts(ctx, tmp_path):
        flat = squash(text)
        assert squash("3-year limitation period of CPLR 214-i (Consumer Credit Fairness Act, in force April 7, 2022), "
                      "which runs for each unpaid part of the debt from the day it fell due under the loan "
                      "agreement. For the earliest part of the balance the payment plan rescheduled, installment 9 "
                      "of the loan, due March 3, 2025, the period ends on March 3, 2028; for the last, it ends on "
                      f"{date_en(ctx.limitation_expires)}.") in flat  # type: ignore[attr-defined]
        assert squash(date_en(add_years(dues[-1], 3))) not in flat
        assert "no earlier than" not in text


def test_a_complaint_names_the_payment_that_restarted_the_clock_and_its_statute(db, tmp_path):
    case = in_state(db, "CA")
    paid_on = FIRST_MISSED[1] + timedelta(days=68)
    activity.add_payment(db, case, PaymentIn(value_date=paid_on, amount=Decimal("50.00")), actor="test")
    for text in texts(context(db, case.ref, "debt_claim_petition"), tmp_path):
        assert squash(f"For the earliest unpaid part, installment 9, due March 3, 2025, the period ends on "
                      f"{date_en(add_years(paid_on, 4))} (it ran again from {date_en(paid_on)}, when Defendant made "
                      "a payment: Cal. Code Civ. Proc. § 360)") in squash(text)


def test_a_suit_is_refused_once_any_part_is_out_of_time_though_its_last_is_not(db):
    """New York under a plan: the loan's installment 9 (due March 3, 2025) is out of time after
    March 3, 2028 while the plan's later parts are not; a complaint for the whole balance then would
    sue on a time-barred part (US-08, part by part), and is refused naming it."""
    case, _ = _plan_breached(db, "NY", PLACE, DAY)
    cf = load_case_file(db, case.ref)
    lim = accounts.us_limitation_of(cf, RULES)
    assert lim.earliest.expires_on == date(2028, 3, 3) < lim.last.expires_on

    def us08(on: date) -> list[str]:
        facts = CaseFacts(cf, on, datetime(on.year, on.month, on.day, 15, tzinfo=UTC))
        return [v.message for v in doc_rules.check(facts, get_kind("debt_claim_petition")) if v.rule == "US-08"]

    assert us08(date(2028, 3, 3)) == []
    [message] = us08(date(2028, 3, 4))
    assert "part 9 of the debt (accrued 2025-03-03)" in message and "ended on 2028-03-03" in message


@pytest.mark.parametrize("state", [s for s, row in sorted(TABLE.items()) if row[1]])
def test_a_complaint_on_a_plans_dates_cites_the_law_that_makes_the_plan_restart_the_clock(db, tmp_path, state):
    """Reader, US-00013 (Texas): the petition counted the period from the plan's installments without
    saying why a plan's dates count: the signed plan is a written acknowledgment, and the state's
    statute on it (Tex. Civ. Prac. & Rem. Code § 16.065) is what the pleading rests on."""
    case, _ = _plan_breached(db, state, PLACE, DAY)
    statute = state_law(RULES, state).restart_source
    ctx = context(db, case.ref, "debt_claim_petition")
    for text in texts(ctx, tmp_path):
        assert squash(f"which Defendant signed as a written acknowledgment of the debt and a promise to pay it "
                      f"({statute})") in squash(text), state
