"""Visit proposals on an interest-only (先息后本) loan, the shape of the review's CN-00007 (F16,
2026-12-04): 26,900.00 of principal due at maturity in 2029, two months of interest overdue at
the visit. What is overdue is paid first, near the visit; the principal keeps (or, extended,
moves) its date; and the contract interest still to come, which a plan charges no more, is
stated with its amount, not left as a silent 0.00 waiver."""

from datetime import date
from decimal import Decimal

from service.cases.ledger import Component, LoanTerms, Payment, compute_ledger
from service.cases.proposals import principal_left_on_contract_dates, proposals
from service.cases.rules import load_ruleset
from service.cases.schedule import ScheduledInstalment, add_months

D = Decimal
START = date(2026, 7, 12)
VISIT = date(2026, 12, 7)
INTEREST = D("491.82")


def _ledger():
    rows = [ScheduledInstalment(k, add_months(START, k), D("26900.00") if k == 36 else D("0.00"), INTEREST)
            for k in range(1, 37)]
    paid = [Payment(k, add_months(START, k), INTEREST) for k in range(1, 3)]  # then nothing since 2026-10-12
    terms = LoanTerms(principal=D("26900.00"), disbursed_date=START, annual_rate=D("0.2194"), penalty_rate=D("0.24"))
    return rows, compute_ledger(terms, rows, paid, as_of=VISIT)


def test_the_arrears_come_first_and_the_interest_given_up_is_stated() -> None:
    rows, ledger = _ledger()
    overdue = ledger.total_overdue
    assert overdue == 2 * INTEREST and ledger.outstanding_principal == D("26900.00")
    offered = proposals(ledger, load_ruleset("CN"), VISIT)
    assert {p.plan_type for p in offered} >= {"extension", "instalments", "interest_suspension"}
    coming = sum(r.interest for r in rows if r.due_date > VISIT)
    next_due = min(r.due_date for r in rows if r.due_date > VISIT)
    for p in offered:
        assert p.acknowledged == overdue + D("26900.00")
        assert p.total + p.waived_amount == p.acknowledged
        assert p.interest_not_charged == coming == 32 * INTEREST  # 2026-12-12 … 2029-07-12
        first = p.instalments[0]
        # The first instalment is the borrower's next contract due date (within a month of the visit),
        # and what is overdue is paid by the end of the arrears' instalment count, not in 2029.
        assert first.due_date == next_due <= add_months(VISIT, 1), p.plan_type
        count = int(load_ruleset("CN").rule("PLAN-02").params["offers"][p.plan_type]["instalments"])
        assert p.arrears_until is not None and p.arrears_until <= add_months(VISIT, count), p.plan_type
        by = sum((i.amount for i in p.instalments if i.due_date <= p.arrears_until), D("0"))
        assert by == overdue - p.waived_amount, p.plan_type
        assert p.instalments[-1].amount >= D("26900.00")  # the principal, on its (moved) date
    extension = next(p for p in offered if p.plan_type == "extension")
    assert extension.instalments[0].amount == overdue  # the arrears are not extended
    assert extension.instalments[-1].due_date == add_months(date(2029, 7, 12), 3)
    assert extension.defer_months == 3


def test_an_accelerated_loan_has_no_interest_to_come() -> None:
    rows, _ = _ledger()
    terms = LoanTerms(principal=D("26900.00"), disbursed_date=START, annual_rate=D("0.2194"), penalty_rate=D("0.24"))
    ledger = compute_ledger(terms, rows, [], as_of=VISIT, accelerated_on=date(2026, 11, 20))
    for p in proposals(ledger, load_ruleset("CN"), VISIT):
        assert p.interest_not_charged == 0 and p.principal_not_due == 0
        assert p.instalments[0].due_date >= VISIT
        assert p.total + p.waived_amount == ledger.total_outstanding
        assert sum(x.outstanding[Component.PRINCIPAL] for x in ledger.positions) == p.ack_principal


def test_a_plan_asking_for_principal_before_its_contract_date_leaves_none_not_yet_due() -> None:
    """Review diff F1: the running totals were compared only on the contract's dates, so a plan that
    asked for March's principal on 20 February (with the arrears) passed, and the agreement said
    2,000.00 was not yet due while its own table made 1,000.00 of it due on 02-20."""
    start = date(2024, 1, 1)
    rows = [ScheduledInstalment(k, add_months(start, k), D("1000.00"), D("20.00")) for k in range(1, 4)]
    terms = LoanTerms(principal=D("3000.00"), disbursed_date=start, annual_rate=D("0.08"), penalty_rate=D("0.12"))
    as_of = date(2024, 2, 15)
    ledger = compute_ledger(terms, rows, [], as_of=as_of)
    later = D("2000.00")  # March's and April's principal
    arrears = ledger.total_outstanding - later
    assert arrears > D("1000.00")
    on_dates = [(date(2024, 2, 20), arrears), (date(2024, 3, 1), D("1000.00")), (date(2024, 4, 1), D("1000.00"))]
    assert principal_left_on_contract_dates(ledger, as_of, on_dates) == later
    early = [(date(2024, 2, 20), arrears + D("1000.00")), (date(2024, 4, 1), D("1000.00"))]
    assert principal_left_on_contract_dates(ledger, as_of, early) == D("0.00")
