from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from service.cases.caps import (
    LICENSED_RULE,
    PRIVATE_RULE,
    CostParts,
    LenderType,
    LprUnavailable,
    PrincipalSpan,
    apply_cap,
    cap_for,
    lawful_loan,
    load_lpr_table,
    lpr_on,
    principal_days,
    rate_test,
)
from service.cases.claim import compute_claim
from service.cases.ledger import CapBasis, Component, LoanTerms, Payment, compute_ledger, whole_month
from service.cases.schedule import ScheduledInstalment
from tests.cases.loan_strategies import Scenario, scenarios

D = Decimal
TABLE = load_lpr_table()
AS_OF = date(2024, 3, 2)


@pytest.mark.parametrize(
    ("day", "rate"),
    [
        (date(2019, 8, 20), "0.0425"),
        (date(2019, 9, 19), "0.0425"),
        (date(2019, 9, 20), "0.0420"),
        (date(2020, 4, 19), "0.0405"),
        (date(2020, 4, 20), "0.0385"),
        (date(2021, 12, 19), "0.0385"),
        (date(2022, 8, 22), "0.0365"),
        (date(2023, 8, 20), "0.0355"),
        (date(2023, 8, 21), "0.0345"),
        (date(2024, 10, 21), "0.0310"),
        (date(2025, 5, 19), "0.0310"),
        (date(2025, 5, 20), "0.0300"),
        (date(2031, 1, 1), "0.0300"),
    ],
)
def test_lpr_at_change_points(day: date, rate: str) -> None:
    assert lpr_on(day, TABLE) == D(rate)


def test_shipped_table_has_every_announced_change() -> None:
    assert len(TABLE) == 13
    assert TABLE[0].effective_from == date(2019, 8, 20)


def test_no_lpr_before_the_reform() -> None:
    with pytest.raises(LprUnavailable, match="2019-08-20"):
        lpr_on(date(2019, 8, 19), TABLE)
    with pytest.raises(ValueError, match=r"art\. 31"):  # the filing date decides the later cap
        cap_for(LenderType.NON_LICENSED, date(2018, 1, 1), lpr_table=TABLE)


def test_lender_can_extend_the_table(tmp_path: Path) -> None:
    path = tmp_path / "lpr.csv"
    path.write_text("effective_from,rate\n2026-01-20,0.0290\n2019-08-20,0.0425\n", encoding="utf-8")
    table = load_lpr_table(path)
    assert lpr_on(date(2026, 2, 1), table) == D("0.0290")
    assert lpr_on(date(2025, 12, 31), table) == D("0.0425")


def test_the_shipped_table_is_read_once_a_process_and_a_lenders_table_each_time(tmp_path: Path) -> None:
    """Every CN claim's cap reads the table: the shipped one is parsed once and shared (an
    immutable tuple); a lender's own file is read again on each call, so an edit to it counts."""
    assert load_lpr_table() is load_lpr_table() == TABLE
    assert isinstance(TABLE, tuple)
    path = tmp_path / "lpr.csv"
    path.write_text("effective_from,rate\n2019-08-20,0.0425\n", encoding="utf-8")
    assert lpr_on(date(2026, 2, 1), load_lpr_table(path)) == D("0.0425")
    path.write_text("effective_from,rate\n2019-08-20,0.0425\n2026-01-20,0.0290\n", encoding="utf-8")
    assert lpr_on(date(2026, 2, 1), load_lpr_table(path)) == D("0.0290")


@pytest.mark.parametrize(
    "body",
    ["effective_from,rate\n2019-08-20,4.25\n", "effective_from,rate\n", "effective_from,rate\n"
     "2019-08-20,0.0425\n2019-08-20,0.0420\n"],
)  # fmt: skip
def test_bad_tables_are_refused(tmp_path: Path, body: str) -> None:
    path = tmp_path / "lpr.csv"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ValueError):
        load_lpr_table(path)


def test_private_cap_is_four_times_lpr_at_formation() -> None:
    cap = cap_for("non_licensed", date(2023, 9, 1), lpr_table=TABLE)
    assert cap.rule_id == PRIVATE_RULE
    assert cap.annual_rate == D("0.1380")
    assert "13.8%" in cap.basis_text_zh and "第二十五条" in cap.basis_text_zh
    assert "arts 25, 28, 29" in cap.basis_text_en


@pytest.mark.parametrize("kind", ["bank", "consumer_finance", "micro_loan"])
def test_licensed_cap_is_24_percent_and_configurable(kind: str) -> None:
    cap = cap_for(kind, date(2023, 9, 1), lpr_table=TABLE)
    assert (cap.rule_id, cap.annual_rate) == (LICENSED_RULE, D("0.24"))
    assert "法发〔2017〕22号" in cap.basis_text_zh
    assert cap_for(kind, date(2023, 9, 1), licensed_cap=D("0.20")).annual_rate == D("0.20")


def test_rate_test_names_the_rates_above_the_cap() -> None:
    licensed = cap_for(LenderType.BANK, date(2024, 1, 1))
    private = cap_for(LenderType.NON_LICENSED, date(2024, 1, 1), lpr_table=TABLE)  # 13.8 %
    loan = _terms(annual_rate=D("0.12"), penalty_rate=D("0.18"))
    assert rate_test(loan, licensed) == []
    assert [m.split()[0] for m in rate_test(loan, private)] == ["penalty"]
    steep = _terms(annual_rate=D("0.22"), penalty_rate=D("0.22"), compound=True)
    assert [m.split()[0] for m in rate_test(steep, licensed)] == ["combined"]  # 0.22 × 1.22
    assert rate_test(steep, private)[0].startswith("nominal rate 22% exceeds the cap 13.8%")


def _terms(**kw: object) -> LoanTerms:
    args: dict[str, object] = {
        "principal": D(10_000),
        "disbursed_date": date(2024, 1, 1),
        "annual_rate": D("0.12"),
        "penalty_rate": D("0.36"),
    }
    return LoanTerms(**(args | kw))  # type: ignore[arg-type]


ROWS = [ScheduledInstalment(1, date(2024, 2, 1), D(10_000), D(100), D(500))]


def test_licensed_cap_cuts_overdue_charges_then_the_total() -> None:
    ledger = compute_ledger(_terms(), ROWS, [], as_of=AS_OF)
    result = apply_cap(ledger, _terms(), cap_for("bank", AS_OF), as_of=AS_OF)
    assert result.principal_days == D(610_000)  # 10,000 × 61 days
    assert result.gross_allowance == D("406.67")  # 610,000 × 24 % / 360
    assert result.overdue_principal_days == D(300_000)  # 10,000 × 30 days overdue
    assert result.overdue_allowance == D("200.00")  # the overdue charges together (art. 29)
    assert result.contractual == CostParts(D(100), D("300.00"), D(0), D(500))
    assert result.contract_cost == D("900.00")
    # penalty 300 on 200 of overdue allowance: 100 cut; then 800 against 406.67 in all, fees first
    assert result.capped == CostParts(D(100), D("200.00"), D(0), D("106.67"))
    assert result.reduced_by == D("493.33")
    assert result.notes == ("claimable cost cut by 493.33 to the CN-16-LICENSED cap",)


def test_cost_already_paid_counts_toward_the_cap() -> None:
    ledger = compute_ledger(_terms(), ROWS, [Payment("p", date(2024, 2, 1), D(100))], as_of=AS_OF)
    result = apply_cap(ledger, _terms(), cap_for("bank", AS_OF), as_of=AS_OF)
    assert result.cost_paid == D("100.00")  # went to the fee
    assert result.allowed_cost == D("306.67")
    # overdue: penalty 300 against 200 allowed; then 600 against 306.67 left in all, fees first
    assert result.capped == CostParts(D(100), D("200.00"), D(0), D("6.67"))
    assert result.reduced_by == D("493.33")


def test_private_cap() -> None:
    ledger = compute_ledger(_terms(), ROWS, [], as_of=AS_OF)
    cap = cap_for("non_licensed", date(2024, 1, 1), lpr_table=TABLE)
    result = apply_cap(ledger, _terms(), cap, as_of=AS_OF)
    assert result.gross_allowance == D("233.83")  # 610,000 × 13.8 % / 360 = 233.833…
    assert result.overdue_allowance == D("115.00")  # 300,000 × 13.8 % / 360
    assert result.capped == CostParts(D(100), D("115.00"), D(0), D("18.83"))  # 233.83 in all


def test_within_the_cap_nothing_is_cut() -> None:
    loan = _terms(penalty_rate=D("0.18"))
    rows = [ScheduledInstalment(1, date(2024, 2, 1), D(10_000), D(100))]
    ledger = compute_ledger(loan, rows, [], as_of=AS_OF)
    result = apply_cap(ledger, loan, cap_for("bank", AS_OF), as_of=AS_OF)
    assert result.reduced_by == 0
    assert result.capped == result.contractual
    assert result.notes == ()


def test_principal_repaid_shrinks_the_allowance() -> None:
    rows = [ScheduledInstalment(1, date(2024, 2, 1), D(10_000), D(100))]
    pay = Payment("p", date(2024, 2, 1), D(5100))
    ledger = compute_ledger(_terms(), rows, [pay], as_of=AS_OF)
    assert principal_days(ledger, _terms(), AS_OF) == D(10_000 * 31 + 5_000 * 30)


def test_paid_cost_above_the_allowance_is_set_against_principal() -> None:
    rows = [ScheduledInstalment(1, date(2024, 2, 1), D(10_000), D(100), D(900))]
    pay = Payment("p", date(2024, 2, 1), D(1000))
    ledger = compute_ledger(_terms(), rows, [pay], as_of=AS_OF)
    result = apply_cap(ledger, _terms(), cap_for("bank", AS_OF), as_of=AS_OF)
    assert result.allowed_cost == 0
    assert result.capped.total == 0
    assert result.set_off == D("593.33")
    assert any("exceeds the cap allowance (406.67) by 593.33: set against principal" in n for n in result.notes)


def test_as_of_must_match_the_ledger() -> None:
    ledger = compute_ledger(_terms(), ROWS, [], as_of=AS_OF)
    with pytest.raises(ValueError):
        apply_cap(ledger, _terms(), cap_for("bank", AS_OF), as_of=date(2024, 3, 3))


@settings(max_examples=200, deadline=None)
@given(scenarios())
def test_capped_never_exceeds_contractual(s: Scenario) -> None:
    ledger = s.ledger()
    cap = cap_for("non_licensed", date(2024, 1, 1), lpr_table=TABLE)
    result = apply_cap(ledger, s.terms, cap, as_of=s.as_of)
    for name in ("interest", "penalty", "compound", "fees"):
        capped, contractual = getattr(result.capped, name), getattr(result.contractual, name)
        assert 0 <= capped <= contractual
    assert result.reduced_by >= 0
    assert result.contractual.total - result.capped.total == result.reduced_by
    assert result.capped.total <= result.allowed_cost
    assert result.set_off == max(result.cost_paid - result.gross_allowance, 0)


def test_compound_interest_on_overdue_interest_is_measured_against_that_interest() -> None:
    """Review F21: an interest instalment 30 days overdue, its principal not yet due. 复利 accrues on
    the overdue interest (150 × 18 % × 30 / 360 = 2.25), below the cap on that base (3.00) and
    on the loan (406.67): nothing is cut. Measured against overdue principal alone (none), the
    whole 2.25 was cut as above the cap, while the notices, on the ledger, showed it."""
    loan = _terms(penalty_rate=D("0.18"), compound=True)
    rows = [ScheduledInstalment(1, date(2024, 2, 1), D(0), D(150)),
            ScheduledInstalment(2, date(2024, 4, 1), D(10_000), D(100))]
    ledger = compute_ledger(loan, rows, [], as_of=AS_OF)
    assert ledger.compound == D("2.25") and ledger.overdue_principal == 0
    result = apply_cap(ledger, loan, cap_for("bank", AS_OF), as_of=AS_OF)
    assert result.overdue_allowance == D("3.00")  # 150 × 30 days × 24 % / 360
    assert result.reduced_by == 0 and result.capped == result.contractual
    steep = _terms(penalty_rate=D("0.36"), compound=True)  # 4.50 of compound: 1.50 above the cap on its base
    result = apply_cap(compute_ledger(steep, rows, [], as_of=AS_OF), steep, cap_for("bank", AS_OF), as_of=AS_OF)
    assert result.capped.compound == D("3.00") and result.reduced_by == D("1.50")


# Interest paid above the cap is set against principal as of the payment (民间借贷规定 arts 25, 29;
# review CN-00060: the excess of each contract instalment paid went to the next period's interest
# before it fell due, and the payment record showed the uncapped rate as interest paid). Each
# period's lawful interest is the cap on the principal outstanding over its days, so a set-off
# lowers the next period's (issue 8 §2: it was the contract's, scaled, on the schedule's balance).
FORMED = date(2025, 9, 19)  # LPR 3 %: the private cap is 12 %
# a 24 % contract, 2 % a month on the schedule's balance: 600, 400, 200
ABOVE_CAP_ROWS = [ScheduledInstalment(n, date(2025, 9 + n, 19), D(10_000), D(200 * (4 - n))) for n in (1, 2, 3)]


def _above_cap_ledger(payments: list[Payment], as_of: date):  # type: ignore[no-untyped-def]
    loan = LoanTerms(principal=D(30_000), disbursed_date=FORMED, annual_rate=D("0.24"), penalty_rate=D("0.24"))
    cap = cap_for("non_licensed", FORMED, lpr_table=TABLE)
    lawful_terms, lawful_rows = lawful_loan(loan, ABOVE_CAP_ROWS, cap)
    return lawful_terms, lawful_rows, compute_ledger(lawful_terms, lawful_rows, payments, as_of=as_of)


def test_interest_paid_above_the_cap_is_set_against_principal_on_the_day() -> None:
    paid_on = date(2025, 10, 19)
    terms, rows, ledger = _above_cap_ledger([Payment("p1", paid_on, D(10_600))], date(2025, 11, 1))
    assert terms.interest_cap == ((FORMED, D("0.12")),) and rows == ABOVE_CAP_ROWS
    first = ledger.positions[0].capped_interest
    assert first is not None
    # a whole month: 30,000 × 12 % ÷ 12 = 300.00 of the contract's 600.00
    assert (first.contract, first.cap, first.lawful, first.above_cap) == (D(600), D("300.00"), D("300.00"),
                                                                          D("300.00"))
    assert [(x.start, x.end, x.balance, x.rate, x.days) for x in first.spans] == [
        (FORMED, paid_on, D("30000.00"), D("0.12"), 30)]
    (allocation,) = ledger.allocations
    lines = [(x.instalment_no, x.component, x.amount, x.applied_on, x.above_cap) for x in allocation.lines]
    assert lines == [
        (1, Component.INTEREST, D("300.00"), paid_on, False),
        (1, Component.PRINCIPAL, D("10000.00"), paid_on, False),
        (3, Component.PRINCIPAL, D("300.00"), paid_on, True),  # the last instalment's, on the day paid
    ]
    assert allocation.unapplied == 0
    assert ledger.paid[Component.INTEREST] == D("300.00")
    assert ledger.outstanding_principal == D("19700.00")
    # the principal days see the set-off from the day it was paid
    assert principal_days(ledger, terms, date(2025, 11, 1)) == D(30_000 * 30 + 19_700 * 13)


def test_the_set_off_lowers_the_next_periods_lawful_interest() -> None:
    """Hand-computed: the 300.00 set off on 10-19 leaves 19,700 outstanding, so the second period
    (10-19 to 11-19, a whole month) is capped at 19,700 × 12 % ÷ 12 = 197.00, not 20,000's 200.00;
    paying the contract's 10,400 on 11-19 sets off 203.00 more, and the third period (a month) is
    capped at (10,000 − 300 − 203.00) × 12 % ÷ 12 = 9,497.00 × 1 % = 94.97 (not 100.00)."""
    pays = [Payment("p1", date(2025, 10, 19), D(10_600)), Payment("p2", date(2025, 11, 19), D(10_400))]
    _, _, ledger = _above_cap_ledger(pays, date(2025, 12, 19))
    second, third = (p.capped_interest for p in ledger.positions[1:])
    assert second is not None and third is not None
    assert [(x.balance, x.days) for x in second.spans] == [(D("19700.00"), 31)]
    assert (second.cap, second.lawful, second.above_cap) == (D("197.00"), D("197.00"), D("203.00"))
    assert [(x.balance, x.days) for x in third.spans] == [(D("9497.00"), 30)]
    assert (third.cap, third.lawful) == (D("94.97"), D("94.97"))
    assert [x.amount for a in ledger.allocations for x in a.lines if x.above_cap] == [D("300.00"), D("203.00")]
    assert ledger.positions[2].outstanding[Component.INTEREST] == D("94.97")
    assert ledger.outstanding_principal == D("9497.00")


def test_a_period_not_yet_due_is_capped_on_the_balance_projected_from_as_of() -> None:
    _, _, ledger = _above_cap_ledger([Payment("p1", date(2025, 10, 19), D(10_600))], date(2025, 11, 1))
    second, third = (p.capped_interest for p in ledger.positions[1:])
    assert second is not None and third is not None and second.projected and third.projected
    # 19,700 all through the second period; the third's, after the second's 10,000 paid when due
    assert (second.cap, second.lawful) == (D("197.00"), D("197.00"))
    assert [(x.balance, x.days) for x in third.spans] == [(D("9700.00"), 30)]
    assert third.lawful == D("97.00")


def test_only_the_above_cap_interest_is_set_off_a_prepayment_waits_for_its_due_date() -> None:
    paid_on = date(2025, 10, 19)
    _, _, ledger = _above_cap_ledger([Payment("p1", paid_on, D(11_600))], date(2025, 11, 1))
    (allocation,) = ledger.allocations
    assert sum((x.amount for x in allocation.lines if x.above_cap), D(0)) == D("300.00")
    assert allocation.unapplied == D("1000.00")  # paid ahead: held for the next instalment, not set off
    _, _, later = _above_cap_ledger([Payment("p1", paid_on, D(11_600))], date(2025, 11, 19))
    (allocation,) = later.allocations
    assert [(x.instalment_no, x.component, x.applied_on) for x in allocation.lines if not x.above_cap][2:] == [
        (2, Component.INTEREST, date(2025, 11, 19)), (2, Component.PRINCIPAL, date(2025, 11, 19))]
    # the 1,000 paid ahead pays instalment 2's lawful interest (on 19,700) and principal when due:
    # none of it is interest above the cap
    assert sum((x.amount for x in allocation.lines if x.above_cap), D(0)) == D("300.00")
    assert [x.amount for x in allocation.lines if not x.above_cap][2:] == [D("197.00"), D("803.00")]


def test_no_cap_binding_nothing_is_set_off() -> None:
    loan = LoanTerms(principal=D(30_000), disbursed_date=FORMED, annual_rate=D("0.24"), penalty_rate=D("0.24"))
    paid = [Payment("p1", date(2025, 10, 19), D(10_900))]
    ledger = compute_ledger(loan, ABOVE_CAP_ROWS, paid, as_of=date(2025, 11, 1))
    assert not any(x.above_cap for a in ledger.allocations for x in a.lines)
    assert ledger.unapplied == D("300.00")


@settings(max_examples=100, deadline=None)
@given(scenarios())
def test_set_off_is_bounded_by_the_above_cap_interest_and_spans_rebuild_principal_days(s: Scenario) -> None:
    cap = cap_for("non_licensed", s.terms.disbursed_date, lpr_table=TABLE)
    terms, rows = lawful_loan(s.terms, s.rows, cap)
    ledger = compute_ledger(terms, rows, s.payments, as_of=s.as_of, accelerated_on=s.accelerated_on,
                            waivers=s.waivers)
    for allocation in ledger.allocations:
        assert sum((x.amount for x in allocation.lines), D(0)) + allocation.unapplied == allocation.amount
        for x in allocation.lines:
            assert not x.above_cap or x.component is Component.PRINCIPAL
    due = sum((p.capped_interest.above_cap for p in ledger.positions
               if p.capped_interest is not None and p.interest_due_date <= s.as_of), D(0))
    assert sum((x.amount for a in ledger.allocations for x in a.lines if x.above_cap), D(0)) <= due
    result = apply_cap(ledger, terms, cap, as_of=s.as_of)
    assert sum((span.product for span in result.principal_spans), D(0)) == result.principal_days
    assert all(span.days > 0 for span in result.principal_spans)


def _cap_on_spans(spans: tuple[PrincipalSpan, ...], start: date, end: date, rate: Decimal, divisor: int) -> Decimal:
    """The cap on the 本金积数 table's balances over the days after `start` up to and including `end`."""
    exact = sum((x.balance * rate * max((min(x.end, end) - max(x.start, start)).days, 0) for x in spans), D(0))
    return (exact / divisor).quantize(D("0.01"), rounding=ROUND_HALF_UP)


@settings(max_examples=150, deadline=None)
@given(scenarios(), st.sampled_from(["non_licensed", "bank"]))
def test_no_periods_lawful_interest_exceeds_the_cap_on_the_principal_outstanding(s: Scenario, lender: str) -> None:
    """Per period, to the cent: lawful interest <= the contract's, and <= cap × the principal
    outstanding each day × days ÷ the period's divisor (a whole month of the schedule its days × 12,
    any other period the day basis: ledger.CapBasis), rebuilt span by span and within the 本金积数
    table's balances, set-offs included. The claim's identity still holds."""
    cap = cap_for(lender, s.terms.disbursed_date, lpr_table=TABLE)
    terms, rows = lawful_loan(s.terms, s.rows, cap)
    ledger = compute_ledger(terms, rows, s.payments, as_of=s.as_of, accelerated_on=s.accelerated_on,
                            waivers=s.waivers)
    spans = apply_cap(ledger, terms, cap, as_of=s.as_of).principal_spans
    starts = [terms.disbursed_date, *(row.due_date for row in rows[:-1])]
    for position, start in zip(ledger.positions, starts, strict=True):
        capped = position.capped_interest
        assert capped is not None
        assert capped.lawful == position.due[Component.INTEREST] <= capped.contract
        assert sum((x.days for x in capped.spans), 0) == max((position.interest_due_date - start).days, 0)
        month = position.interest_due_date == position.due_date and whole_month(start, position.due_date)
        assert capped.basis is (CapBasis.MONTH if month and capped.spans else CapBasis.DAYS)
        divisor = capped.days * 12 if capped.basis is CapBasis.MONTH else terms.day_basis
        if position.interest_due_date > s.as_of:
            continue  # projected past as_of: the table stops there
        bound = _cap_on_spans(spans, start, position.interest_due_date, cap.annual_rate, divisor)
        exact = sum((x.balance * x.rate * x.days for x in capped.spans), D(0))
        assert capped.cap == (exact / divisor).quantize(D("0.01"), rounding=ROUND_HALF_UP)
        assert capped.lawful <= capped.cap <= bound  # the interest base never exceeds all principal owed
        if position.principal_due_date >= position.interest_due_date and not any(
                p.principal_due_date < position.interest_due_date and p.outstanding[Component.PRINCIPAL]
                for p in ledger.positions[:position.no - 1]) and not s.payments and not s.waivers:
            assert capped.cap == bound  # nothing past due: the 本金积数 table's balances
    claim = compute_claim(s.terms, s.rows, s.payments, as_of=s.as_of, lender_type=lender,
                          formation_date=s.terms.disbursed_date, lpr_table=TABLE, waivers=s.waivers)
    assert claim.claimed_total == claim.principal + claim.interest + claim.penalty + claim.compound + claim.fees
    assert sum(ln.amount for ln in claim.reconciliation if not ln.info) == claim.claimed_total
    assert claim.principal == claim.ledger.overdue_principal - claim.set_off
