"""Payments under a plan fill its instalments oldest first, and an instalment that pays the loan's
principal on the loan's own date pays that principal (agreement.PlanDue.principal), not acknowledged
interest that later instalments pay (review US-00010, a NY litigator: of the $17,600.00 paid on the
loan's due date, $222.62 went to interest of plan instalments 5-7, not yet due; the $74.24 of
interest left unpaid was then "principal", bore suspended interest and, from the acceleration date,
default interest, on a contract that allows no interest on interest, N.Y. Gen. Oblig. Law 5-527).
The stated rule, "oldest installment first, within it fees, default interest, interest, principal",
is what the ledger does."""

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from service.cases.agreement import ART_561, AgreementTerms, DefaultClause, PlanDue, Revival, agreement_position
from service.cases.ledger import Component, Payment
from service.cases.proposals import principal_on_plan_dates
from service.cases.schedule import add_months, split_evenly

D = Decimal
C = Component
ACK = date(2026, 3, 30)
US_ORDER = (C.FEE, C.PENALTY, C.INTEREST, C.PRINCIPAL)


def us_00010(order: tuple[Component, ...] = US_ORDER, penalty: Decimal = D("0.00")) -> AgreementTerms:
    """The demo's US-00010: $445.19 of interest acknowledged (and `penalty`), in six monthly parts;
    the loan's principal, $17,600.00, kept on its own date (July 26) as instalment 4."""
    parts = split_evenly(D("445.19") + penalty, 6)
    lines = [PlanDue(0, add_months(ACK, k + 1), a) for k, a in enumerate(parts)]
    lines.append(PlanDue(0, date(2026, 7, 26), D("17600.00"), D("17600.00")))
    lines.sort(key=lambda x: x.due_date)
    return AgreementTerms(
        ref="US-00010-P1", kind="interest_suspension", acknowledged_on=ACK, signed_date=ACK,
        acknowledged={C.PRINCIPAL: D("17600.00"), C.INTEREST: D("445.19"), C.PENALTY: penalty},
        waived=D(0), waiver_conditional=True,
        instalments=tuple(PlanDue(k + 1, x.due_date, x.amount, x.principal) for k, x in enumerate(lines)),
        grace_days=5, cure_days=15, default=DefaultClause(4, frozenset({Revival.SUSPENDED_INTEREST}), D("0.1163")),
        suspended_rate=D("0.1163"), order=order, principal_not_due=D("17600.00"))


def _paid_but_the_last(t: AgreementTerms) -> list[Payment]:
    return [Payment(i.no, i.due_date, i.amount) for i in t.instalments[:-1]]


def test_the_instalment_that_pays_the_loans_principal_on_its_date_pays_principal() -> None:
    t = us_00010()
    p = agreement_position(t, _paid_but_the_last(t), as_of=date(2026, 12, 7), accelerated_on=date(2026, 10, 21))
    assert (p.paid[C.INTEREST], p.paid[C.PRINCIPAL]) == (D("370.95"), D("17600.00"))
    # what is left is the last part of the interest acknowledged: no principal, so neither suspended
    # interest after July 26 nor default interest from the acceleration date runs on it
    assert p.outstanding[C.PRINCIPAL] == 0
    assert [(a.start, a.end, a.base, a.amount) for a in p.suspended_accruals] == [
        (ACK, date(2026, 7, 26), D("17600.00"), D("670.92"))]  # 17,600 × 11.63 % × 118 / 360
    assert p.penalty == 0 and not p.accruals
    assert p.outstanding[C.INTEREST] == D("74.24") + D("670.92") and p.total == D("745.16")


def test_in_cn_order_the_acknowledged_penalty_and_interest_are_paid_by_their_own_instalments() -> None:
    """民法典 art. 560-561: the instalment due first, within it fees, penalty, interest, principal;
    the loan's principal kept on its date is paid by its own instalment, and the default penalty
    runs on principal only, never on the interest (or penalty) acknowledged."""
    t = us_00010(ART_561, penalty=D("120.00"))
    p = agreement_position(t, _paid_but_the_last(t), as_of=date(2026, 12, 7), accelerated_on=date(2026, 10, 21))
    assert p.paid[C.PRINCIPAL] == D("17600.00") and p.outstanding[C.PRINCIPAL] == 0
    assert p.paid[C.PENALTY] == D("120.00")  # the oldest instalments' first part: the penalty acknowledged
    assert p.outstanding[C.INTEREST] == t.instalments[-1].amount + p.revived_interest  # the last part is interest
    assert p.penalty == 0


def test_the_principal_kept_on_the_loans_dates_is_found_where_the_plan_keeps_it() -> None:
    later = [(date(2026, 7, 26), D("17600.00"))]
    plan = [(1, date(2026, 4, 30), D("74.19")), (2, date(2026, 7, 26), D("17600.00")), (3, date(2026, 9, 30),
                                                                                         D("74.24"))]
    assert principal_on_plan_dates(later, plan, D("17600.00")) == {2: D("17600.00")}
    moved = [(1, date(2026, 4, 30), D("74.19")), (2, date(2026, 10, 26), D("17674.19"))]  # an extension: 3 months
    assert principal_on_plan_dates(later, moved, D("17600.00")) == {2: D("17600.00")}
    assert principal_on_plan_dates(later, plan[:1] + plan[2:], D("17600.00")) == {}  # not kept on any date
    assert principal_on_plan_dates(later, plan, D("0.00")) == {}  # the plan made it due: nothing kept


money = st.integers(0, 500_000).map(lambda c: D(c) / 100)


@st.composite
def kept_plans(draw: st.DrawFn) -> tuple[AgreementTerms, list[Payment], date, date | None]:
    """A plan of the arrears in monthly parts and, on a day of its own among them, principal kept on
    the loan's date; payments of any amount on any day."""
    principal = D(draw(st.integers(100, 2_000_000))) / 100
    kept = D(draw(st.integers(1, int(principal * 100)))) / 100
    ack = {C.PRINCIPAL: principal, C.INTEREST: draw(money), C.PENALTY: draw(money), C.FEE: draw(money)}
    count = draw(st.integers(1, 12))
    lines = [PlanDue(0, add_months(ACK, k + 1), a)
             for k, a in enumerate(split_evenly(sum(ack.values(), D(0)) - kept, count))]
    lines.append(PlanDue(0, add_months(ACK, draw(st.integers(0, count))) + timedelta(days=10), kept, kept))
    lines.sort(key=lambda x: x.due_date)
    t = AgreementTerms(
        ref="P", kind="interest_suspension", acknowledged_on=ACK, signed_date=ACK, acknowledged=ack, waived=D(0),
        waiver_conditional=True, instalments=tuple(PlanDue(k + 1, x.due_date, x.amount, x.principal)
                                                   for k, x in enumerate(lines)),
        grace_days=5, cure_days=15, default=DefaultClause(4, frozenset({Revival.SUSPENDED_INTEREST}), D("0.18")),
        suspended_rate=D("0.12"), order=draw(st.sampled_from([US_ORDER, ART_561])), principal_not_due=kept)
    day = st.integers(1, 500).map(lambda n: ACK + timedelta(days=n))
    pays = [Payment(k, d, a) for k, (d, a) in enumerate(draw(st.lists(st.tuples(day, money.filter(bool)),
                                                                     max_size=8)))]
    return t, pays, draw(day), draw(st.none() | day)


@settings(max_examples=300, deadline=None)
@given(kept_plans())
def test_a_payment_pays_the_instalments_it_reaches_and_no_later_ones(
    case: tuple[AgreementTerms, list[Payment], date, date | None],
) -> None:
    t, pays, as_of, accel = case
    p = agreement_position(t, pays, as_of=as_of, accelerated_on=accel)
    assert p.total == t.acknowledged_total - p.paid_total + p.revived + p.penalty  # the identity, to the cent
    # the instalments filled before the default clause applied, oldest first
    before = [x for x in pays if x.value_date <= as_of and (p.accelerated_on is None or x.value_date
                                                             < p.accelerated_on)]
    reached, start, filled_kept, unreached_kept = sum((x.amount for x in before), D(0)), D(0), D(0), D(0)
    for i in t.instalments:
        if reached >= start + i.amount:
            filled_kept += i.principal
        elif reached <= start + i.amount - i.principal:
            unreached_kept += i.principal
        start += i.amount
    # an instalment paid that pays principal kept on the loan's date paid that principal ...
    assert p.paid[C.PRINCIPAL] >= filled_kept
    if p.accelerated_on is None:
        # ... and a payment never reached the principal of an instalment it did not reach
        assert p.outstanding[C.PRINCIPAL] >= unreached_kept
    # the default penalty runs on principal only, at most what is unpaid of it
    assert all(a.base <= t.acknowledged[C.PRINCIPAL] for a in p.accruals)
