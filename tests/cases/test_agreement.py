"""A signed repayment agreement in the ledger: the identity to the cent, each plan type, the claim."""

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from service.cases.agreement import (
    AgreementTerms,
    DefaultClause,
    InterestPeriod,
    PlanDue,
    Revival,
    agreement_position,
)
from service.cases.caps import load_lpr_table
from service.cases.claim import compute_claim
from service.cases.ledger import Component, LoanTerms, Payment, compute_ledger
from service.cases.money import interest_for, round_money
from service.cases.schedule import ScheduledInstalment, add_months, split_evenly

D = Decimal
TABLE = load_lpr_table()
ACK = date(2025, 6, 1)
C = Component
BOTH = frozenset({Revival.WAIVER, Revival.SUSPENDED_INTEREST})


def terms(ack: dict[Component, Decimal], *, waived: Decimal = D(0), conditional: bool = True, count: int = 6,
          kind: str = "instalments", revives: frozenset[Revival] = BOTH, suspended: Decimal = D(0),
          penalty: Decimal = D("0.18"), to_come: tuple[InterestPeriod, ...] = ()) -> AgreementTerms:
    total = sum(ack.values(), D(0)) - waived
    lines = tuple(PlanDue(k + 1, add_months(ACK, k + 1), a) for k, a in enumerate(split_evenly(total, count)))
    return AgreementTerms(ref="A-1", kind=kind, acknowledged_on=ACK, signed_date=ACK, acknowledged=ack,
                          waived=waived, waiver_conditional=conditional, instalments=lines, grace_days=5,
                          cure_days=15, default=DefaultClause(4, revives, penalty), suspended_rate=suspended,
                          interest_waived=to_come)


ACKD = {C.PRINCIPAL: D("9000.00"), C.INTEREST: D("600.00"), C.PENALTY: D("300.00"), C.FEE: D("100.00")}


def test_a_performing_plan_owes_what_is_left_and_holds_the_waiver() -> None:
    t = terms(ACKD, waived=D("300.00"))  # plan: 9,700 in six instalments
    pays = [Payment(k, i.due_date, i.amount) for k, i in enumerate(t.instalments[:2])]
    p = agreement_position(t, pays, as_of=date(2025, 8, 15))
    assert p.paid_total == t.instalments[0].amount + t.instalments[1].amount
    assert p.paid[C.FEE] == D("100.00") and p.paid[C.PENALTY] == 0  # art. 561; the penalty is held
    assert p.waiver_held[C.PENALTY] == D("300.00")
    assert p.total == D("9700.00") - p.paid_total
    assert p.penalty == p.revived == 0 and not p.breached


def test_breach_revives_the_conditional_waiver_and_runs_the_penalty_on_principal() -> None:
    t = terms(ACKD, waived=D("300.00"))
    accel = date(2025, 8, 22)
    p = agreement_position(t, [], as_of=date(2025, 9, 21), accelerated_on=accel)
    assert p.revived_waiver == D("300.00") and p.held == 0
    # from the acceleration date, its first day, to as-of, both counted: 08-22 … 09-21, 31 days
    assert p.penalty == D("139.50")  # 9,000 × 18 % × 31 / 360
    assert p.total == D("10000.00") + D("139.50")


def test_an_unconditional_waiver_never_revives() -> None:
    t = terms(ACKD, waived=D("300.00"), conditional=False)
    p = agreement_position(t, [], as_of=date(2025, 9, 21), accelerated_on=date(2025, 8, 22))
    assert p.revived_waiver == 0 and p.waiver_held[C.PENALTY] == D("300.00")
    assert p.total == D("9700.00") + D("139.50")


def test_interest_suspension_revives_the_suspended_interest_to_acceleration() -> None:
    t = terms(ACKD, kind="interest_suspension", suspended=D("0.12"))
    pay = Payment("p", date(2025, 7, 1), D("1000.00"))  # fee 100, penalty 300, interest 600
    p = agreement_position(t, [pay], as_of=date(2025, 8, 31), accelerated_on=date(2025, 8, 1))
    # 9,000 × 12 % × 60 days / 360, 06-02 … 07-31: to the day before the acceleration date;
    # the payment reached no principal
    assert p.revived_interest == round_money(D(9000) * D("0.12") * 60 / 360) == D("180.00")
    assert p.outstanding[C.INTEREST] == D("180.00")
    assert p.penalty == D("139.50")  # 9,000 × 18 % × 31 / 360, 08-01 … 08-31
    suspended_only = terms(ACKD, kind="interest_suspension", suspended=D("0.12"), revives=frozenset())
    assert agreement_position(suspended_only, [pay], as_of=date(2025, 8, 31),
                              accelerated_on=date(2025, 8, 1)).revived_interest == 0


# 1,000.25 at 24 % over 30 days is exactly 20.005 (/360): 20.01. Payments that reach no principal on
# days 1 and 17 split the 30 days into 1 + 16 + 13 (the penalty: 2 + 16 + 12, its first day the
# acceleration date); dividing each segment by 360 before adding them
# gave 20.004999… and 20.00 (the ledger's fix, ee74841, for the agreement).
HALF_CENT_PRINCIPAL = {C.PRINCIPAL: D("1000.25")}


def test_a_default_penalty_of_exactly_half_a_cent_rounds_up_across_payments() -> None:
    t = terms(HALF_CENT_PRINCIPAL, penalty=D("0.24"))
    accel = ACK + timedelta(days=10)
    pays = [Payment("a", accel + timedelta(days=1), D("0.67")), Payment("b", accel + timedelta(days=17), D("1.00"))]
    p = agreement_position(t, pays, as_of=accel + timedelta(days=29), accelerated_on=accel)
    assert p.paid[C.PENALTY] == D("1.67") and p.outstanding[C.PRINCIPAL] == D("1000.25")  # no principal paid
    assert p.penalty == round_money(D("1000.25") * D("0.24") * 30 / 360) == D("20.01")


def test_a_payment_after_acceleration_that_reaches_principal_splits_the_penalty_run() -> None:
    """The default penalty accrues in runs as the loan ledger's does (review: under an agreement it
    was rounded once per notice period, across a payment that changed its base, so no row a document
    could print recomputed): a payment that lowers the unpaid principal ends a run, as the
    acceleration date (the breach notice's day) and a notice's statement day do; each run is rounded
    once and recomputes from its own figures, and the penalty is their sum."""
    t = terms(ACKD, penalty=D("0.24"))
    accel = date(2025, 8, 22)
    notice = date(2025, 9, 11)  # a notice stated the balance on this day
    t = replace(t, statement_days=(notice,))
    # 100 fee, 300 acknowledged penalty, the default penalty to 09-01 (6.00 + 60.00), 600 interest: the
    # rest, 934.00, to principal
    pay = Payment("after", date(2025, 9, 1), D("2000.00"))
    as_of = date(2025, 9, 21)
    p = agreement_position(t, [pay], as_of=as_of, accelerated_on=accel)
    runs = [(a.start, a.end, a.base, a.amount) for a in p.accruals]
    principal_after = D("9000.00") - (D("2000.00") - D("100.00") - D("300.00") - D("66.00") - D("600.00"))
    assert p.outstanding[C.PRINCIPAL] == principal_after == D("8066.00")
    assert runs == [
        (date(2025, 8, 21), accel, D("9000.00"), D("6.00")),  # the acceleration date itself
        (accel, date(2025, 9, 1), D("9000.00"), D("60.00")),  # 08-23 … 09-01, 10 days
        (date(2025, 9, 1), notice, principal_after, D("53.77")),  # 09-02 … 09-11: 8,066 × 24 % × 10 / 360
        (notice, as_of, principal_after, D("53.77")),  # 09-12 … 09-21
    ]
    assert p.penalty == sum((r[3] for r in runs), D(0))
    assert all(a.rate == D("0.24") and a.component is C.PENALTY and a.instalments == () for a in p.accruals)
    # a payment that reaches no principal ends no run (the base is unchanged), as on the loan ledger
    half = terms(HALF_CENT_PRINCIPAL, penalty=D("0.24"))
    q = agreement_position(half, [Payment("a", accel + timedelta(days=3), D("0.50"))], as_of=as_of,
                           accelerated_on=accel)
    assert [(a.start, a.end) for a in q.accruals] == [(accel - timedelta(days=1), accel), (accel, as_of)]


def test_a_rate_change_after_acceleration_ends_a_run() -> None:
    """A cap that changes (民间借贷规定 art. 31) changes the rate the default clause charges: a new run."""
    t = terms(ACKD)
    change = date(2025, 9, 1)
    t = replace(t, default=replace(t.default, rate_changes=((change, D("0.12")),)))
    p = agreement_position(t, [], as_of=date(2025, 9, 21), accelerated_on=date(2025, 8, 22))
    assert [(a.start, a.end, a.rate, a.amount) for a in p.accruals] == [
        (date(2025, 8, 21), date(2025, 8, 22), D("0.18"), D("4.50")),
        (date(2025, 8, 22), change, D("0.18"), D("45.00")),  # 08-23 … 09-01
        (change, date(2025, 9, 21), D("0.12"), D("60.00")),  # 09-02 … 09-21: 9,000 × 12 % × 20 / 360
    ]
    assert p.penalty == D("109.50")


def test_suspended_interest_of_exactly_half_a_cent_revives_rounded_up() -> None:
    t = terms({**HALF_CENT_PRINCIPAL, C.FEE: D("2.00")}, kind="interest_suspension", suspended=D("0.24"))
    pays = [Payment("a", ACK + timedelta(days=1), D("1.00")), Payment("b", ACK + timedelta(days=17), D("1.00"))]
    # suspended from the day after the acknowledgement to the day before the acceleration date: 30 days
    p = agreement_position(t, pays, as_of=ACK + timedelta(days=31), accelerated_on=ACK + timedelta(days=31))
    assert p.paid[C.FEE] == D("2.00") and p.outstanding[C.PRINCIPAL] == D("1000.25")
    assert p.revived_interest == p.suspended_interest == D("20.01")


# The contract's interest to come: the period running at the acknowledgement (from 05-15) and two later.
# Each a month's interest at 12 % on its scheduled principal (9,000, 7,500, 6,200), 360-day year.
TO_COME_LOAN = LoanTerms(D("10000.00"), date(2025, 1, 15), D("0.12"), D("0.18"))
TO_COME = (InterestPeriod(date(2025, 5, 15), date(2025, 6, 15), D("90.00"), D("9000.00"), TO_COME_LOAN),
           InterestPeriod(date(2025, 6, 15), date(2025, 7, 15), D("75.00"), D("7500.00"), TO_COME_LOAN),
           InterestPeriod(date(2025, 7, 15), date(2025, 8, 15), D("62.00"), D("6200.00"), TO_COME_LOAN))
TO_COME_REVIVES = frozenset({Revival.WAIVER, Revival.INTEREST_WAIVER})


def test_the_interest_to_come_is_held_while_the_plan_runs() -> None:
    t = terms(ACKD, revives=TO_COME_REVIVES, to_come=TO_COME)
    p = agreement_position(t, [], as_of=date(2025, 9, 1))
    assert p.interest_waiver_held == D("227.00") and p.revived == 0
    assert p.total == t.acknowledged_total  # never acknowledged, never payable while the plan runs


def test_breach_revives_the_interest_to_come_as_the_contract_charges_it_to_acceleration() -> None:
    t = terms(ACKD, revives=TO_COME_REVIVES, to_come=TO_COME)
    accel = date(2025, 7, 25)  # 10 of the third period's 31 days have run
    p = agreement_position(t, [], as_of=accel, accelerated_on=accel)
    # the running period's days by the contract's day count: 6,200 × 12 % × 10 / 360 = 20.67
    assert p.revived_interest_waiver == D("90.00") + D("75.00") + D("20.67") == D("185.67")
    assert p.interest_waiver_held == 0 and p.outstanding[C.INTEREST] == D("600.00") + D("185.67")
    assert p.penalty == D("4.50")  # 9,000 × 18 % × 1 / 360: the acceleration date is the penalty's first day
    assert p.total == t.acknowledged_total + D("185.67") + D("4.50")
    # a default clause that does not revive it (and so no agreement states it as conditional)
    kept = terms(ACKD, revives=frozenset({Revival.WAIVER}), to_come=TO_COME)
    q = agreement_position(kept, [], as_of=accel, accelerated_on=accel)
    assert q.revived_interest_waiver == 0 and q.interest_waiver_held == D("227.00")


def test_no_day_bears_both_interest_and_the_default_penalty() -> None:
    """R-14: the acceleration date is the default penalty's first day; suspended interest and the
    contract interest to come run up to and including the day before it."""
    t = terms(ACKD, kind="interest_suspension", suspended=D("0.12"))
    accel = date(2025, 8, 1)
    on = agreement_position(t, [], as_of=accel, accelerated_on=accel)
    assert on.penalty == round_money(D(9000) * D("0.18") * 1 / 360) == D("4.50")  # the acceleration date itself
    before = agreement_position(t, [], as_of=accel - timedelta(days=1))
    assert on.revived_interest == before.suspended_interest == round_money(D(9000) * D("0.12") * 60 / 360)
    assert before.penalty == 0
    waived = terms(ACKD, revives=TO_COME_REVIVES, to_come=TO_COME)
    p = agreement_position(waived, [], as_of=date(2025, 7, 25), accelerated_on=date(2025, 7, 25))
    third = round_money(D("6200.00") * D("0.12") * 10 / 360)  # 07-15 … 07-24
    assert p.revived_interest_waiver == D("90.00") + D("75.00") + third
    assert p.penalty == round_money(D("9000.00") * D("0.18") / 360)


def test_bad_agreements_are_refused() -> None:
    with pytest.raises(ValueError, match="waiver"):
        terms(ACKD, waived=D("20000.00"))
    with pytest.raises(ValueError, match="before the agreement"):
        agreement_position(terms(ACKD), [], as_of=ACK - timedelta(days=1))
    with pytest.raises(ValueError, match="not after the acknowledgement"):
        agreement_position(terms(ACKD), [], as_of=ACK + timedelta(days=9), accelerated_on=ACK)


money = st.integers(0, 2_000_000).map(lambda c: D(c) / 100)


@st.composite
def interest_to_come(draw: st.DrawFn) -> tuple[InterestPeriod, ...]:
    """The contract's interest periods falling due after the acknowledgement: the first running
    at it (starting up to a month before), the others monthly after."""
    start = ACK - timedelta(days=draw(st.integers(0, 30)))
    periods = []
    for _ in range(draw(st.integers(0, 6))):
        due = add_months(start, 1)
        periods.append(InterestPeriod(start, due, draw(money), draw(money), TO_COME_LOAN))
        start = due
    return tuple(periods)


@st.composite
def agreements(draw: st.DrawFn) -> tuple[AgreementTerms, list[Payment], date, date | None]:
    ack = {C.PRINCIPAL: D(draw(st.integers(100, 5_000_000))) / 100, C.INTEREST: draw(money),
           C.PENALTY: draw(money), C.FEE: draw(st.sampled_from([D(0), D("50.00")]))}
    waived = min(draw(money), ack[C.PENALTY] + ack[C.INTEREST])
    kind = draw(st.sampled_from(["extension", "instalments", "interest_suspension", "partial_waiver"]))
    revives = frozenset({Revival.WAIVER} | ({Revival.SUSPENDED_INTEREST} if kind == "interest_suspension"
                                            else {Revival.INTEREST_WAIVER}))
    t = terms(ack, waived=waived, conditional=draw(st.booleans()), count=draw(st.integers(1, 12)), kind=kind,
              revives=revives, suspended=D(draw(st.integers(0, 2400))) / 10_000,
              penalty=D(draw(st.integers(0, 2400))) / 10_000, to_come=draw(interest_to_come()))
    day = st.integers(1, 500).map(lambda n: ACK + timedelta(days=n))
    pays = [Payment(k, d, a) for k, (d, a) in enumerate(draw(st.lists(st.tuples(day, money.filter(bool)),
                                                                     max_size=8)))]
    return t, pays, draw(day), draw(st.none() | day)


@settings(max_examples=300, deadline=None)
@given(agreements())
def test_outstanding_is_acknowledged_less_held_less_paid_plus_revived_plus_penalty(
    case: tuple[AgreementTerms, list[Payment], date, date | None],
) -> None:
    t, pays, as_of, accel = case
    p = agreement_position(t, pays, as_of=as_of, accelerated_on=accel)
    held = sum(t.waiver_split().values(), D(0))
    assert p.total == t.acknowledged_total - held - p.paid_total + p.revived + p.penalty
    assert p.revived == p.revived_waiver + p.revived_interest + p.revived_interest_waiver
    assert p.paid_total + p.unapplied == sum(x.amount for x in pays if x.value_date <= as_of)
    assert all(v >= 0 for v in p.outstanding.values())
    assert sum(i.paid for i in p.instalments) == min(p.paid_total + p.unapplied, t.plan_total)
    if not p.breached:
        assert p.penalty == p.revived == 0 and p.held == held
        assert p.interest_waiver_held == t.interest_waived_total  # the waiver of interest to come holds
    else:
        assert p.revived_waiver == (held if t.revives_waiver else 0)
        assert p.accelerated_on is not None  # what revives of the interest to come: to acceleration only
        assert p.revived_interest_waiver == (sum((x.up_to(p.accelerated_on) for x in t.interest_waived), D(0))
                                             if t.revives_interest_waiver else 0)
        assert p.revived_interest_waiver <= t.interest_waived_total
    # the default penalty is its runs (ledger.Accrual, the loan ledger's one rule): each base × rate ×
    # days ÷ day basis to the cent, one after another from the acceleration date's own to as-of
    assert sum((a.amount for a in p.accruals), D(0)) == p.penalty
    for a in p.accruals:
        assert a.amount == interest_for(a.base, a.rate, a.start, a.end, 360) and a.base > 0
    assert all(x.end <= y.start for x, y in zip(p.accruals, p.accruals[1:], strict=False))
    if p.accruals:  # from the day the clause takes effect (the acceleration date's own run first) to as-of
        assert p.accelerated_on is not None and p.accruals[0].start >= p.accelerated_on - timedelta(days=1)
        assert p.accruals[-1].end <= as_of
    # the suspended interest is its spans (the statement of account's rows): each base × rate × days
    # ÷ day basis to the cent, one after another, none across the plan's last due date
    assert sum((a.amount for a in p.suspended_accruals), D(0)) == p.suspended_interest
    last_due = max(i.due_date for i in t.instalments)
    for a in p.suspended_accruals:
        assert a.amount == interest_for(a.base, t.suspended_rate, a.start, a.end, 360) and a.base > 0
        assert not a.start < last_due < a.end
    assert all(x.end <= y.start for x, y in zip(p.suspended_accruals, p.suspended_accruals[1:], strict=False))
    if p.breached and not [x for x in pays if x.value_date <= as_of]:
        assert p.accelerated_on is not None
        # the acceleration date and as-of both counted; the acceleration date's own (the breach
        # notice states it) rounded apart from the days after it (money.interest_for, each run once)
        principal = t.acknowledged[C.PRINCIPAL] - t.waiver_split()[C.PRINCIPAL]
        rate, first = t.default.penalty_rate, p.accelerated_on
        assert p.penalty == (interest_for(principal, rate, first - timedelta(days=1), first, 360)
                             + interest_for(principal, rate, first, as_of, 360))


LOAN = LoanTerms(D("10000.00"), date(2025, 1, 1), D("0.10"), D("0.15"))
# 10 % a year, a twelfth a month, on the schedule's balance (each period's interest within a 24 %
# or 12.4 % cap on the principal not yet due over its days: nothing above the cap)
ROWS = [ScheduledInstalment(k + 1, add_months(date(2025, 1, 1), k + 1), D("2500.00"), interest)
        for k, interest in enumerate((D("83.33"), D("62.50"), D("41.67"), D("20.83")))]


@settings(max_examples=100, deadline=None)
@given(agreements(), st.sampled_from(["bank", "non_licensed"]))
def test_the_claim_on_an_agreement_reconciles_to_the_cent(
    case: tuple[AgreementTerms, list[Payment], date, date | None], lender: str,
) -> None:
    t, pays, as_of, accel = case
    contract = compute_ledger(LOAN, ROWS, [], as_of=ACK)  # acknowledged as the lawful ledger stood
    ack = {C.PRINCIPAL: contract.outstanding_principal, C.INTEREST: contract.overdue_interest,
           C.PENALTY: contract.penalty, C.FEE: contract.overdue_fee}
    to_come = TO_COME if t.revives_interest_waiver else ()  # as a recorded plan states it (PLAN-01)
    t = terms(ack, waived=min(t.waived, ack[C.PENALTY]), conditional=t.waiver_conditional, kind=t.kind,
              revives=t.default.revives, suspended=D("0.10"), penalty=D("0.15"), to_come=to_come)
    c = compute_claim(LOAN, ROWS, pays, as_of=as_of, lender_type=lender, formation_date=date(2025, 1, 1),
                      lpr_table=TABLE, accelerated_on=accel, agreement=t)
    lines = {ln.key: ln.amount for ln in c.reconciliation if not ln.info}
    assert c.basis == "agreement" and c.agreement is not None
    assert c.claimed_total == sum(lines.values())
    assert c.claimed_total == (t.acknowledged_total + lines.get("acknowledged_above_cap", 0)
                               + lines.get("waiver_held", 0) - c.agreement.paid_total
                               + c.agreement.revived + c.agreement.penalty
                               + lines.get("cap_together", 0) + lines.get("cost_set_off", 0))
    if lender == "bank":  # 10 % and 15 % are within 24 %: nothing is cut
        assert c.claimed_total == c.agreement.total == c.contractual_total
    assert lines.get("revived_interest_waiver", 0) == c.agreement.revived_interest_waiver
    held = c.line("interest_waiver_held")  # stated (an info line: it was never acknowledged) until revived
    assert (held.amount if held else 0) == c.agreement.interest_waiver_held and (held is None or held.info)
    assert all(ln.source in ("contract", "agreement", "payments", "rule") for ln in c.reconciliation)
    assert all(ln.clause for ln in c.reconciliation if ln.source in ("agreement", "rule"))
    assert c.court_fee.amount == c.claimed_total
    # the rows a claim statement prints of the default penalty add up to its line
    assert sum((a.amount for a in c.agreement.accruals), D(0)) == lines.get("default_penalty", 0)
    for penalty in (ln for ln in c.reconciliation if ln.key == "default_penalty" and ln.amount):
        # "from X to Y" names the days charged, both ends counted; R-14: the acceleration date (the
        # recorded one, else as-of's hypothetical one) is its first day
        on = accel or as_of
        assert c.agreement.accelerated_on == (on if on > ACK else ACK + timedelta(days=1))
        assert (penalty.start, penalty.end) == (c.agreement.accelerated_on, c.agreement.as_of)


def test_the_cap_allowance_over_contract_and_agreement_is_divided_once() -> None:
    """The allowance is Σ principal × days × cap / 360 rounded once, as the claim statement states
    it (本金积数 × rate ÷ 360): 1,520,000 × 12.4 % / 360 = 523.5555… gives 523.56. The contract's
    part to the acknowledgement and the agreement's part after it, each rounded, gave 523.55."""
    contract = compute_ledger(LOAN, ROWS, [], as_of=ACK)
    ack = {C.PRINCIPAL: contract.outstanding_principal, C.INTEREST: contract.overdue_interest,
           C.PENALTY: contract.penalty, C.FEE: contract.overdue_fee}
    c = compute_claim(LOAN, ROWS, [], as_of=ACK + timedelta(days=1), lender_type="non_licensed",
                      formation_date=date(2025, 1, 1), lpr_table=TABLE, agreement=terms(ack))
    assert (c.cap_result.principal_days, c.cap.annual_rate) == (D("1520000.00"), D("0.124"))
    assert c.cap_result.gross_allowance == D("523.56")


def test_the_penalty_days_are_the_days_the_ledger_charged() -> None:
    """Review (US-00007): the statement of account said "accelerated (47 days)" beside 48 days of
    default interest. One count (R-14: the acceleration date and as-of both counted), read by the
    documents from the position, never as-of minus the acceleration date."""
    t = terms(ACKD)
    accel, as_of = date(2025, 8, 22), date(2025, 9, 21)
    p = agreement_position(t, [], as_of=as_of, accelerated_on=accel)
    assert p.penalty_days == 31 == (as_of - accel).days + 1
    assert p.penalty == round_money(D("9000.00") * D("0.18") * p.penalty_days / 360)
    assert agreement_position(t, [], as_of=accel, accelerated_on=accel).penalty_days == 1  # its first day
    assert agreement_position(t, [], as_of=as_of).penalty_days == 0


def test_the_revived_interest_to_come_is_itemised_period_by_period() -> None:
    """Review CN-00012: the revived contract interest was one lump. The position carries each period
    it revives — whole where it fell due by the acceleration date, the running one for its days up to
    the day before — and the periods add up to the revived amount; what is not revived is the rest
    of what the agreement waived."""
    t = terms(ACKD, revives=TO_COME_REVIVES, to_come=TO_COME)
    accel = date(2025, 7, 25)
    p = agreement_position(t, [], as_of=accel, accelerated_on=accel)
    rows = p.revived_interest_periods
    assert [(r.period.due_date, r.amount, r.days, r.last_day) for r in rows] == [
        (date(2025, 6, 15), D("90.00"), None, date(2025, 6, 14)),
        (date(2025, 7, 15), D("75.00"), None, date(2025, 7, 14)),
        (date(2025, 8, 15), D("20.67"), 10, date(2025, 7, 24))]  # 07-15 to 07-24: 10 days
    assert sum(r.amount for r in rows) == p.revived_interest_waiver
    assert t.interest_waived_total - p.revived_interest_waiver == D("62.00") - D("20.67")
    assert agreement_position(t, [], as_of=date(2025, 7, 1)).revived_interest_periods == ()  # not breached


def test_days_late_are_the_days_after_the_day_an_instalment_fell_due() -> None:
    """Review (US-00013): "Days late" said 61 for an instalment (the days after its due date) and
    "accelerated (41 days)" for one the acceleration made due (the acceleration date's own day
    counted), and the claim's own figures 30 (from that one's later due date). One rule: the days
    after the day it fell due, its due date or the acceleration date where that came sooner; the
    default interest still counts the acceleration date (penalty_days, one more)."""
    t = terms(ACKD)  # instalments due on the 1st, July to December 2025
    accel, as_of = date(2025, 8, 22), date(2025, 9, 21)
    p = agreement_position(t, [], as_of=as_of, accelerated_on=accel)
    assert [i.days_late for i in p.instalments] == [(as_of - date(2025, 7, 1)).days, (as_of - date(2025, 8, 1)).days,
                                                    *[(as_of - accel).days] * 4]
    assert p.penalty_days == (as_of - accel).days + 1
    before = agreement_position(t, [], as_of=as_of)  # not accelerated: each from its own due date
    assert [i.days_late for i in before.instalments] == [82, 51, 20, 0, 0, 0]
