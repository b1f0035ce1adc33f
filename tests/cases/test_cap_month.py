"""A period's interest under the cap counts its days as the contract counts its rate (review CN-00012).

The law caps the annual rate; practice converts it as a monthly contract converts its own rate, the
monthly rate the annual ÷ 12 and the daily the annual ÷ 360. Capped on days ÷ 360, a whole February
allowed 24 % × 28 ÷ 360 = 1.867 % of the balance, below a 23.73 % contract's 23.73 % ÷ 12 = 1.9775 %:
a contract under the cap had its February interest cut. A whole month of the schedule is capped at
the cap ÷ 12 (ledger.CapBasis.MONTH); any other period (an irregular first one, one that acceleration
cuts) on its days ÷ the day basis (DAYS). Every figure below is worked by hand from the rows."""

from datetime import date
from decimal import Decimal

from service.cases.caps import cap_for, lawful_loan
from service.cases.ledger import (
    CapBasis,
    CappedInterest,
    Component,
    Ledger,
    LoanTerms,
    compute_ledger,
    scheduled_balances,
    whole_month,
)
from service.cases.money import round_money
from service.cases.schedule import RepaymentMethod, ScheduledInstalment, build_schedule

D = Decimal


def _ledger(principal: D, rate: str, rows: list[ScheduledInstalment], disbursed: date, as_of: date,
            accelerated_on: date | None = None) -> Ledger:
    loan = LoanTerms(principal=principal, disbursed_date=disbursed, annual_rate=D(rate), penalty_rate=D("0.24"))
    terms, lawful_rows = lawful_loan(loan, rows, cap_for("bank", disbursed))  # a licensed lender: 24 % a year
    assert terms.interest_cap == ((disbursed, D("0.24")),)
    return compute_ledger(terms, lawful_rows, [], as_of=as_of, accelerated_on=accelerated_on)


def _capped(ledger: Ledger) -> list[CappedInterest]:
    out = [p.capped_interest for p in ledger.positions]
    assert all(x is not None for x in out)
    return [x for x in out if x is not None]


def _equal_instalments(rate: str, periods: int = 36) -> tuple[D, date, list[ScheduledInstalment]]:
    """CN-00012's contract: 14,200 disbursed on 2025-11-13, 等额本金 due on the 13th."""
    disbursed = date(2025, 11, 13)
    rows = build_schedule(principal=D(14_200), annual_rate=D(rate), periods=periods,
                          first_due_date=date(2025, 12, 13), method=RepaymentMethod.EQUAL_PRINCIPAL,
                          start_date=disbursed)
    return D(14_200), disbursed, rows


def test_whole_months_are_a_due_date_to_the_next_a_month_later() -> None:
    assert whole_month(date(2026, 2, 13), date(2026, 3, 13))
    assert whole_month(date(2026, 1, 31), date(2026, 2, 28))  # the 31st clamped
    assert whole_month(date(2026, 2, 28), date(2026, 3, 31))  # a schedule on the 31st
    assert whole_month(date(2026, 4, 30), date(2026, 5, 31))
    assert whole_month(date(2026, 12, 13), date(2027, 1, 13))
    assert not whole_month(date(2026, 2, 15), date(2026, 3, 5))  # 18 days
    assert not whole_month(date(2026, 1, 20), date(2026, 3, 5))  # 44 days
    assert not whole_month(date(2026, 1, 13), date(2026, 3, 13))  # two months
    assert not whole_month(date(2026, 2, 27), date(2026, 3, 31))  # Feb 27 is no clamped day
    assert not whole_month(date(2026, 1, 13), date(2026, 2, 12))


def test_a_contract_below_the_cap_keeps_its_february_interest() -> None:
    """23.73 % ÷ 12 = 1.9775 % a month is under 24 % ÷ 12 = 2 %: no period is cut, Februaries
    included (2027-03-13 was 163.80 cut to 154.62, and the contract's period 4, 257.40 to 242.98)."""
    principal, disbursed, rows = _equal_instalments("0.2373")
    for as_of in (rows[-1].due_date, date(2026, 3, 21)):  # all due, and projected from the agreement's day
        ledger = _ledger(principal, "0.2373", rows, disbursed, as_of)
        capped = _capped(ledger)
        assert all(x.basis is CapBasis.MONTH for x in capped)
        assert [x.lawful for x in capped] == [r.interest for r in rows]
        assert all(x.above_cap == 0 for x in capped)
    feb = capped[3]  # 2026-02-13 to 2026-03-13
    assert (feb.days, feb.divisor, feb.contract) == (28, 28 * 12, D("257.40"))
    assert feb.spans[0].balance == D("13016.68") and feb.cap == D("260.33")  # 13,016.68 × 24 % ÷ 12
    # the interest to come an agreement of 2026-03-21 waives is the schedule's
    due_later = [p.outstanding[Component.INTEREST] for p in ledger.positions if p.interest_due_date > as_of]
    assert sum(due_later, D(0)) == sum((r.interest for r in rows if r.due_date > as_of), D(0))


def test_a_contract_above_the_cap_is_cut_to_the_cap_over_twelve_every_whole_month() -> None:
    """24.5 % a year: each whole month is cut to its balance × 2 %, a 28-day February and a 31-day
    January alike (on days ÷ 360 a January allowed 2.067 %, a February 1.867 %)."""
    principal, disbursed, rows = _equal_instalments("0.245", periods=12)
    capped = _capped(_ledger(principal, "0.245", rows, disbursed, rows[-1].due_date))
    balances = scheduled_balances(principal, rows)
    assert [x.lawful for x in capped] == [round_money(b * D("0.02")) for b in balances]
    assert all(x.lawful < x.contract and x.basis is CapBasis.MONTH for x in capped)
    jan, feb = capped[2], capped[3]  # 2026-01-13 to 02-13, 31 days; 02-13 to 03-13, 28 days
    assert (jan.days, feb.days) == (31, 28)
    # on days ÷ 360 January's cap was 244.56, above the contract's 241.60, and February's 198.80
    assert (jan.spans[0].balance, jan.contract, jan.cap) == (D("11833.34"), D("241.60"), D("236.67"))
    assert (feb.spans[0].balance, feb.contract, feb.cap) == (D("10650.01"), D("217.44"), D("213.00"))


def test_a_flat_rate_contract_charging_on_the_original_principal_is_cut() -> None:
    """Add-on interest: 1.5 % a month on the 12,000 lent, 180.00 every month, while the principal
    falls by 1,000 a month. The cap is 2 % of what is outstanding: from the fifth month (8,000) on
    the contract's 180.00 is above it, the 28-day February (month 9, 4,000 outstanding) at 80.00."""
    disbursed = date(2025, 6, 10)
    rows = [ScheduledInstalment(k, date(2025 + (5 + k) // 12, (5 + k) % 12 + 1, 10), D(1_000), D(180))
            for k in range(1, 13)]
    capped = _capped(_ledger(D(12_000), "0.36", rows, disbursed, rows[-1].due_date))
    outstanding = [D(12_000 - 1_000 * k) for k in range(12)]
    assert [x.lawful for x in capped] == [min(D(180), b * D("0.02")) for b in outstanding]
    assert [x.above_cap for x in capped][:4] == [0, 0, 0, 0]
    feb = capped[8]
    assert (rows[8].due_date, feb.days, feb.cap, feb.above_cap) == (date(2026, 3, 10), 28, D("80.00"), D("100.00"))


def test_an_irregular_first_period_and_an_accelerated_part_period_count_days_over_360() -> None:
    """An 18-day first period: 10,000 × 24 % × 18 ÷ 360 = 120.00 of the contract's month, 204.17.
    Acceleration on 2025-04-20 cuts the running period after 15 days: the contract's 24.5 % on its
    balance for 15 days, cut to the cap's 24 % for those days."""
    disbursed = date(2025, 2, 15)
    rows = build_schedule(principal=D(10_000), annual_rate=D("0.245"), periods=6, first_due_date=date(2025, 3, 5),
                          method=RepaymentMethod.EQUAL_PRINCIPAL, start_date=disbursed)
    first, second, third, *_ = _capped(_ledger(D(10_000), "0.245", rows, disbursed, date(2025, 5, 1),
                                               accelerated_on=date(2025, 4, 20)))
    assert (first.basis, first.days, first.divisor) == (CapBasis.DAYS, 18, 360)
    assert (first.contract, first.cap, first.lawful) == (D("204.17"), D("120.00"), D("120.00"))
    assert (second.basis, second.cap, second.lawful) == (CapBasis.MONTH, D("166.67"), D("166.67"))  # 8,333.34 × 2 %
    assert (third.basis, third.days, third.divisor) == (CapBasis.DAYS, 15, 360)
    assert third.spans[0].balance == D("6666.68")
    # 6,666.68 × 24.5 % × 15 ÷ 360 = 68.06; × 24 % = 66.67
    assert (third.contract, third.cap, third.lawful) == (D("68.06"), D("66.67"), D("66.67"))


def test_a_cap_that_changes_within_a_month_weighs_each_rate_by_its_days() -> None:
    """民间借贷规定 art. 31: 24 % to 2020-08-19, 15.4 % (4 × LPR at filing) from 2020-08-20. The
    month from 2020-08-05 to 09-05 has 31 days, 15 at 24 % (the ledger counts a day at its end, so
    08-20 is the old cap's, as for the penalty) and 16 at 15.4 %: 10,000 × (24 % × 15 + 15.4 % × 16)
    ÷ 31 ÷ 12 = 60,640 ÷ 372 = 163.01 (on days ÷ 360: 168.44)."""
    disbursed = date(2020, 7, 5)
    rows = [ScheduledInstalment(1, date(2020, 8, 5), D(0), D(200)),
            ScheduledInstalment(2, date(2020, 9, 5), D(10_000), D(200))]
    terms = LoanTerms(principal=D(10_000), disbursed_date=disbursed, annual_rate=D("0.24"), penalty_rate=D("0.24"),
                      interest_cap=((disbursed, D("0.24")), (date(2020, 8, 20), D("0.154"))))
    first, second = _capped(compute_ledger(terms, rows, [], as_of=date(2020, 9, 5)))
    assert (first.basis, first.cap, first.lawful) == (CapBasis.MONTH, D("200.00"), D("200.00"))
    assert [(x.days, x.rate) for x in second.spans] == [(15, D("0.24")), (16, D("0.154"))]
    assert (second.basis, second.divisor, second.cap, second.lawful) == (CapBasis.MONTH, 372, D("163.01"),
                                                                         D("163.01"))


def test_a_longer_period_cut_by_acceleration_a_month_in_is_no_whole_month() -> None:
    """A quarter from 2025-01-15 to 04-15, cut by acceleration on 02-15: a month of days, but a
    part of its period, whose contract interest is counted by days (ledger.part_period_interest):
    10,000 × 24.5 % × 31 ÷ 360 = 210.97, cut to 24 % × 31 ÷ 360 = 206.67 (not 24 % ÷ 12 = 200.00)."""
    disbursed = date(2025, 1, 15)
    rows = [ScheduledInstalment(1, date(2025, 4, 15), D(0), D("612.50")),
            ScheduledInstalment(2, date(2025, 7, 15), D(10_000), D("612.50"))]
    first, _ = _capped(_ledger(D(10_000), "0.245", rows, disbursed, date(2025, 3, 1),
                               accelerated_on=date(2025, 2, 15)))
    assert (first.basis, first.days, first.contract, first.cap) == (CapBasis.DAYS, 31, D("210.97"), D("206.67"))
