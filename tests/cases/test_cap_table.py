"""Caps as the law reads, as tables: each lender type, each component, the total, art. 31's dates."""

from datetime import date
from decimal import Decimal

import pytest

from service.cases.caps import LICENSED_RULE, PRIVATE_RULE, apply_cap, cap_for, lawful_loan, load_lpr_table
from service.cases.claim import compute_claim
from service.cases.ledger import Component, LoanTerms, Payment, compute_ledger
from service.cases.schedule import ScheduledInstalment

D = Decimal
TABLE = load_lpr_table()
FILED = date(2026, 12, 2)  # the LPR in force: 3.00 %
LICENSED = ["bank", "consumer_finance", "micro_loan"]


@pytest.mark.parametrize(
    ("lender", "formed", "rule", "periods"),
    [
        *[(k, date(2025, 3, 1), LICENSED_RULE, [(date(2025, 3, 1), "0.24")]) for k in LICENSED],
        *[(k, date(2018, 5, 1), LICENSED_RULE, [(date(2018, 5, 1), "0.24")]) for k in LICENSED],  # no art. 31
        ("non_licensed", date(2025, 3, 1), PRIVATE_RULE, [(date(2025, 3, 1), "0.1240")]),  # 4 × 3.10 %
        ("other_licensed", date(2025, 3, 1), PRIVATE_RULE, [(date(2025, 3, 1), "0.1240")]),  # factoring co.
        ("non_licensed", date(2025, 5, 20), PRIVATE_RULE, [(date(2025, 5, 20), "0.1200")]),  # 4 × 3.00 %
        ("non_licensed", date(2020, 8, 20), PRIVATE_RULE, [(date(2020, 8, 20), "0.1540")]),  # 4 × 3.85 %
        # art. 31: formed before 2020-08-20 — 24 % to 2020-08-19, then 4 × the LPR at filing
        ("non_licensed", date(2020, 8, 19), PRIVATE_RULE, [(date(2020, 8, 19), "0.24"), (date(2020, 8, 20), "0.12")]),
        ("non_licensed", date(2018, 5, 1), PRIVATE_RULE, [(date(2018, 5, 1), "0.24"), (date(2020, 8, 20), "0.12")]),
    ],
)
def test_cap_by_lender_type_and_formation_date(lender: str, formed: date, rule: str,
                                               periods: list[tuple[date, str]]) -> None:
    cap = cap_for(lender, formed, lpr_table=TABLE, filed_on=FILED)
    assert cap.rule_id == rule
    assert [(p.start, p.annual_rate) for p in cap.periods] == [(d, D(r)) for d, r in periods]
    assert cap.transition == (len(periods) == 2)
    assert cap.basis_text_zh and cap.basis_text_en  # worded from rule CN-16 of the rule set


@pytest.mark.parametrize(("day", "rate"), [(date(2020, 8, 19), "0.24"), (date(2020, 8, 20), "0.12"),
                                           (date(2026, 1, 1), "0.12")])
def test_art_31_switches_on_2020_08_20(day: date, rate: str) -> None:
    cap = cap_for("non_licensed", date(2019, 1, 1), lpr_table=TABLE, filed_on=FILED)
    assert cap.rate_on(day) == D(rate)


def _loan(formed: date, *, rate: str = "0.36", penalty: str = "0.45", compound: bool = True,
          principal: str = "12000.00") -> LoanTerms:
    return LoanTerms(D(principal), formed, D(rate), D(penalty), compound=compound)


@pytest.mark.parametrize(
    ("lender", "interest", "penalty"),
    [*[(k, "0.24", "0.24") for k in LICENSED], ("non_licensed", "0.1200", "0.1200")],
)
def test_each_rate_is_capped_for_each_lender_type(lender: str, interest: str, penalty: str) -> None:
    formed = date(2025, 6, 1)
    rows = [ScheduledInstalment(1, date(2025, 7, 1), D("6000.00"), D("360.00")),
            ScheduledInstalment(2, date(2025, 8, 1), D("6000.00"), D("180.00"))]
    cap = cap_for(lender, formed, lpr_table=TABLE, filed_on=FILED)
    terms, lawful_rows = lawful_loan(_loan(formed), rows, cap)
    assert (terms.interest_cap, terms.penalty_rate) == (((formed, D(interest)),), D(penalty))
    ledger = compute_ledger(terms, lawful_rows, [], as_of=date(2025, 8, 31))
    # each period's interest at the cap on the principal not yet due over it, a whole month each at
    # the cap ÷ 12 (the 31 days of July too: ledger.CapBasis; the first instalment's 6,000 past due
    # bears the penalty instead); the compound rate is the capped penalty rate
    assert [p.due[Component.INTEREST] for p in ledger.positions] == [
        (D(12_000) * D(interest) / 12).quantize(D("0.01")),
        (D(6000) * D(interest) / 12).quantize(D("0.01"))]
    days = 61 * 6000 + 30 * 6000  # overdue principal × days
    assert ledger.penalty == (D(days) * D(penalty) / 360).quantize(D("0.01"))


def test_a_within_cap_loan_is_left_alone() -> None:
    rows = [ScheduledInstalment(1, date(2025, 7, 1), D("12000.00"), D("100.00"))]
    cap = cap_for("bank", date(2025, 6, 1))
    terms, lawful_rows = lawful_loan(_loan(date(2025, 6, 1), rate="0.10", penalty="0.15"), rows, cap)
    assert (terms.annual_rate, terms.penalty_rate, lawful_rows) == (D("0.10"), D("0.15"), rows)


def test_the_penalty_rate_follows_art_31_across_the_switch() -> None:
    formed = date(2020, 6, 1)
    cap = cap_for("non_licensed", formed, lpr_table=TABLE, filed_on=FILED)
    rows = [ScheduledInstalment(1, date(2020, 8, 10), D("1000.00"), D("0.00"))]
    terms, lawful_rows = lawful_loan(_loan(formed, rate="0", compound=False, principal="1000.00"), rows, cap)
    ledger = compute_ledger(terms, lawful_rows, [], as_of=date(2020, 8, 30))
    # 10 days at 24 % (to 2020-08-19), 10 days at 12 % (from 2020-08-20)
    assert ledger.penalty == (D(1000) * D("0.24") * 10 / 360 + D(1000) * D("0.12") * 10 / 360).quantize(D("0.01"))


@pytest.mark.parametrize(("lender", "cap_rate"), [("bank", "0.24"), ("non_licensed", "0.12")])
def test_interest_paid_above_the_cap_is_set_against_principal(lender: str, cap_rate: str) -> None:
    """A 36 % loan whose first instalment was paid in full: what was paid above the cap reduces
    the principal claimed (the 2nd instalment carries no interest), and the claim shows the line."""
    formed = date(2025, 6, 1)
    rows = [ScheduledInstalment(1, date(2025, 7, 1), D("3000.00"), D("360.00")),
            ScheduledInstalment(2, date(2025, 8, 1), D("9000.00"), D("0.00"))]
    paid = Payment("p1", date(2025, 7, 1), D("3360.00"))
    claim = compute_claim(_loan(formed, penalty="0.36", compound=False), rows, [paid], as_of=date(2025, 8, 1),
                          lender_type=lender, formation_date=formed, lpr_table=TABLE)
    excess = D("360.00") - (D("360.00") * D(cap_rate) / D("0.36")).quantize(D("0.01"))
    assert claim.principal == D("9000.00") - excess
    line = claim.line("rate_cap_set_off")
    assert line is not None and line.amount == -excess and line.clause == claim.cap.rule_id
    assert claim.contract_ledger.overdue_principal == D("9000.00")


@pytest.mark.parametrize(("lender", "allowance"), [("bank", "976.00"), ("non_licensed", "488.00")])
def test_the_components_are_capped_together(lender: str, allowance: str) -> None:
    """Fees ride on top of capped rates: the total within the cap over principal × time."""
    formed = date(2025, 6, 1)
    rows = [ScheduledInstalment(1, date(2025, 10, 1), D("12000.00"), D("0.00"), D("2000.00"))]
    loan = _loan(formed, rate="0", penalty="0", compound=False)
    cap = cap_for(lender, formed, lpr_table=TABLE, filed_on=FILED)
    ledger = compute_ledger(loan, rows, [], as_of=date(2025, 10, 1))
    result = apply_cap(ledger, loan, cap, as_of=date(2025, 10, 1))
    assert result.gross_allowance == D(allowance)  # 12,000 × 122 days × cap / 360
    assert result.capped.fees == D(allowance)
    assert result.reduced_by == D("2000.00") - D(allowance)
