"""One interest rule for any run of days (money.interest_for): the contract's day-count clause, the
daily rate (annual rate ÷ 360 or 365) on the base for the actual days, rounded once. It is the rule
for part of a period (the running period an acceleration cuts, the contract interest to come an
agreement revives), for a bullet loan's interest and for default interest; and what a document
states for the days since a notice (base, rate, days, day basis) recomputes to the cent."""

from datetime import date, timedelta
from decimal import Decimal as D

import pytest

from service.cases.agreement import (
    AgreementTerms,
    DefaultClause,
    InterestPeriod,
    PlanDue,
    Revival,
    agreement_position,
)
from service.cases.ledger import Component, LoanTerms, compute_ledger, part_period_interest
from service.cases.money import interest_for, rate_days, round_money
from service.cases.schedule import ScheduledInstalment, build_schedule

C = Component


def test_a_part_period_is_its_actual_days_at_the_daily_rate() -> None:
    # 10,000 at 12 % for the 10 days after 01-05 up to and including 01-15, 360-day year
    assert interest_for(D("10000.00"), D("0.12"), date(2025, 1, 5), date(2025, 1, 15), 360) == D("33.33")
    assert interest_for(D("10000.00"), D("0.12"), date(2025, 1, 5), date(2025, 1, 15), 365) == D("32.88")
    assert interest_for(D("10000.00"), D("0.12"), date(2025, 1, 5), date(2025, 1, 5), 360) == D("0.00")
    with pytest.raises(ValueError, match="day_basis"):
        interest_for(D("1.00"), D("0.12"), date(2025, 1, 5), date(2025, 1, 6), 366)


def test_a_leap_day_is_a_day_like_any_other() -> None:
    # February 2028 has 29 days, 2027's 28: the daily rate is the same, the days differ
    assert interest_for(D("36500.00"), D("0.10"), date(2028, 2, 1), date(2028, 3, 1), 365) == D("290.00")
    assert interest_for(D("36500.00"), D("0.10"), date(2027, 2, 1), date(2027, 3, 1), 365) == D("280.00")
    # a whole leap year on a 365-day basis is 366 days of interest
    assert interest_for(D("36500.00"), D("0.10"), date(2027, 12, 31), date(2028, 12, 31), 365) == D("3660.00")
    # a bullet loan's interest over a leap day is the same rule
    (row,) = build_schedule(principal="36500.00", annual_rate="0.10", periods=1, first_due_date=date(2028, 3, 1),
                            method="bullet", day_basis=365, start_date=date(2028, 2, 1))
    assert row.interest == D("290.00")


def test_a_run_spanning_a_rate_change_takes_each_days_rate_and_rounds_once() -> None:
    # 1,000 for 30 days after 03-01: 10 at 18 %, 20 at 12 % (the change on 03-11 counts from the day after)
    changes = ((date(2024, 3, 11), D("0.12")),)
    exact = D(1000) * (D("0.18") * 10 + D("0.12") * 20)
    assert rate_days(D(1000), D("0.18"), date(2024, 3, 1), date(2024, 3, 31), changes) == exact
    assert interest_for(D(1000), D("0.18"), date(2024, 3, 1), date(2024, 3, 31), 360,
                        rate_changes=changes) == round_money(exact / 360) == D("11.67")
    # the ledger's default interest over the same days, the rate changing on the same day: the same figure
    loan = LoanTerms(D(1000), date(2024, 1, 1), D("0.12"), D("0.18"), penalty_rate_changes=changes)
    rows = [ScheduledInstalment(1, date(2024, 3, 1), D(1000), D(0))]
    ledger = compute_ledger(loan, rows, [], as_of=date(2024, 3, 31))
    assert ledger.penalty == D("11.67")


def test_acceleration_cuts_the_running_period_to_its_days_by_the_contracts_day_count() -> None:
    rows = build_schedule(principal="12000.00", annual_rate="0.12", periods=12, first_due_date=date(2025, 2, 1),
                          method="equal_principal", start_date=date(2025, 1, 1))
    for basis in (360, 365):
        loan = LoanTerms(D("12000.00"), date(2025, 1, 1), D("0.12"), D("0.18"), day_basis=basis)
        accel = date(2025, 3, 20)  # 19 days into the third period (03-01 .. 04-01), on 10,000 scheduled
        ledger = compute_ledger(loan, rows, [], as_of=accel, accelerated_on=accel)
        third = ledger.positions[2]
        assert third.due[C.INTEREST] == interest_for(D("10000.00"), D("0.12"), date(2025, 3, 1), accel, basis)
        assert third.due[C.INTEREST] == (D("63.33") if basis == 360 else D("62.47"))
        assert ledger.positions[3].due[C.INTEREST] == 0  # not started
    # never more than the period's scheduled interest (a lawful row cut to the cap)
    assert part_period_interest(D("50.00"), D("10000.00"), loan, date(2025, 3, 1), date(2025, 3, 31)) == D("50.00")


def test_the_interest_an_agreement_revives_is_the_same_rule_as_the_contracts_acceleration() -> None:
    loan = LoanTerms(D("10000.00"), date(2025, 1, 1), D("0.12"), D("0.18"))
    period = InterestPeriod(date(2025, 7, 1), date(2025, 8, 1), D("60.00"), D("6000.00"), loan)
    assert period.up_to(date(2025, 7, 16)) == part_period_interest(
        D("60.00"), D("6000.00"), loan, date(2025, 7, 1), date(2025, 7, 16)) == D("30.00")
    assert period.up_to(date(2025, 8, 1)) == D("60.00") and period.up_to(date(2025, 7, 1)) == 0


def _accelerated_loan() -> tuple[LoanTerms, list[ScheduledInstalment], date]:
    # three instalments of odd amounts, so each line's default interest rounds its own way
    rows = [ScheduledInstalment(1, date(2026, 2, 1), D("3333.37"), D("50.00")),
            ScheduledInstalment(2, date(2026, 3, 1), D("4111.29"), D("40.00")),
            ScheduledInstalment(3, date(2026, 4, 1), D("2555.34"), D("30.00"))]
    loan = LoanTerms(D("10000.00"), date(2026, 1, 1), D("0.12"), D("0.1476"))
    return loan, rows, date(2026, 2, 20)


def test_default_interest_since_a_statement_is_base_rate_days_over_basis_rounded_once() -> None:
    """Issue 8: the figure a notice stated is the ledger's on its day; what accrues after it, on an
    unchanged base, is the base × rate × days ÷ day basis a document states, to the cent, for every
    later day (rounding each instalment's default interest apart, or the whole run from the
    acceleration, missed it by a cent on some days)."""
    loan, rows, accel = _accelerated_loan()
    for notice in (accel, accel + timedelta(days=13)):
        stated = LoanTerms(loan.principal, loan.disbursed_date, loan.annual_rate, loan.penalty_rate,
                           statement_days=(notice,))
        at = compute_ledger(stated, rows, [], as_of=notice, accelerated_on=accel)
        for later in range(1, 200):
            day = notice + timedelta(days=later)
            now = compute_ledger(stated, rows, [], as_of=day, accelerated_on=accel)
            since = interest_for(now.outstanding_principal, loan.penalty_rate, notice, day, loan.day_basis)
            assert now.penalty - at.penalty == since, (notice, day)
            assert sum((p.accrued[C.PENALTY] for p in now.positions), D(0)) == now.penalty


def test_without_a_statement_the_default_interest_of_all_lines_is_rounded_once() -> None:
    loan, rows, accel = _accelerated_loan()
    day = accel + timedelta(days=100)
    ledger = compute_ledger(loan, rows, [], as_of=day, accelerated_on=accel)
    # the first instalment from its due date, every instalment from the acceleration: one rounding
    exact = (D("3333.37") * (day - date(2026, 2, 1)).days + D("6666.63") * (day - accel).days) * D("0.1476")
    assert ledger.penalty == round_money(exact / 360)


def test_an_agreements_default_penalty_since_the_acceleration_date_is_the_same_rule() -> None:
    ack = date(2025, 6, 1)
    ackd = {C.PRINCIPAL: D("9123.45"), C.INTEREST: D("0.00"), C.PENALTY: D("0.00"), C.FEE: D("0.00")}
    terms = AgreementTerms(ref="A-1", kind="instalments", acknowledged_on=ack, signed_date=ack, acknowledged=ackd,
                           waived=D(0), waiver_conditional=True,
                           instalments=(PlanDue(1, date(2025, 7, 1), D("9123.45")),), grace_days=5, cure_days=15,
                           default=DefaultClause(4, frozenset({Revival.WAIVER}), D("0.1476")), suspended_rate=D(0))
    accel = date(2025, 7, 17)
    on = agreement_position(terms, [], as_of=accel, accelerated_on=accel)
    assert on.penalty == interest_for(D("9123.45"), D("0.1476"), accel - timedelta(days=1), accel, 360)
    for later in range(1, 120):
        day = accel + timedelta(days=later)
        p = agreement_position(terms, [], as_of=day, accelerated_on=accel)
        assert p.penalty - on.penalty == interest_for(D("9123.45"), D("0.1476"), accel, day, 360), day
