"""Repayment plans a visit may propose: one per plan type the lender offers (rule PLAN-02), each
covering the debt as the ledger states it on the day of the visit, so that the one the borrower
accepts is signed on the spot as the repayment agreement (POST /plans takes the same terms).

Pure: the ledger and the rule in, proposals out. A plan relieves; it does not accelerate. What is
due on the visit day (overdue principal, interest, penalty and compound, fees) is paid first: in
the plan's first instalments, monthly from the borrower's next contract due date (a month after
the visit when none is left), never deferred — an extension (``defer_months``) moves only the
principal the contract makes due later. That principal stays due on the contract's own dates
(moved later by an extension, never earlier) unless the loan has been accelerated, when
everything is due and spread. The instalments plus the waiver still equal the whole debt
``create_plan`` acknowledges, so the proposal signed is the plan recorded.

A signed agreement charges no contract interest while it runs (agreement.py), so the interest
the contract would still charge on its not-yet-due principal is given up: each proposal states
that amount (``interest_not_charged``, the ledger's scheduled interest falling due after the
visit day), so the draft and the brief say what the plan forgives, not "减免 0.00".
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from service.cases.enums import PlanType
from service.cases.ledger import Component, Ledger
from service.cases.rules import RuleSet
from service.cases.schedule import add_months, split_evenly

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class ProposedInstalment:
    no: int
    due_date: date
    amount: Decimal


@dataclass(frozen=True)
class Proposal:
    plan_type: PlanType
    as_of_date: date  # the debt is acknowledged as of the visit day
    ack_principal: Decimal  # all principal, due or not
    principal_not_due: Decimal  # of which the contract makes due after the visit day (0 once accelerated)
    ack_interest: Decimal
    ack_penalty: Decimal  # penalty and compound interest
    ack_fees: Decimal
    waived_amount: Decimal  # conditional on performance
    instalments: tuple[ProposedInstalment, ...]
    # The contract interest falling due after the visit day (on principal not yet due, and the
    # current period's accrual) that the plan does not charge: given up, and stated as such.
    interest_not_charged: Decimal = ZERO
    arrears_instalments: int = 1  # in how many monthly parts what is due today is paid
    arrears_until: date | None = None  # the due date of its last part
    defer_months: int = 0  # an extension: how far the not-yet-due principal's dates move

    @property
    def acknowledged(self) -> Decimal:
        return self.ack_principal + self.ack_interest + self.ack_penalty + self.ack_fees

    @property
    def total(self) -> Decimal:
        return sum((i.amount for i in self.instalments), ZERO)


def _waivable(ledger: Ledger, parts: list[str]) -> Decimal:
    found = {"penalty": ledger.penalty, "compound": ledger.compound, "interest": ledger.overdue_interest,
             "fee": ledger.overdue_fee}
    return sum((found[p] for p in parts), ZERO)


def not_yet_due(ledger: Ledger, visit_day: date) -> list[tuple[date, Decimal]]:
    """Principal the contract makes due after `visit_day`, by due date; none once accelerated."""
    if ledger.accelerated_on is not None:
        return []
    return [(p.principal_due_date, p.outstanding[Component.PRINCIPAL]) for p in ledger.positions
            if p.principal_due_date > visit_day and p.outstanding[Component.PRINCIPAL] > ZERO]


# How far an extension may move the principal the contract makes due later (PLAN-02 defer_months),
# looked for when a recorded plan's instalments are matched to the contract's dates
MAX_DEFER_MONTHS = 36


def principal_on_plan_dates(later: list[tuple[date, Decimal]], plan: list[tuple[int, date, Decimal]],
                            total: Decimal) -> dict[int, Decimal]:
    """Of each plan instalment (no, due date, amount), the principal the contract makes due later
    (`later`: not_yet_due at the acknowledgement) that the plan keeps on the contract's own dates, as
    proposals and the demo's plans schedule it (an extension moves every date the same number of
    months, ``_schedule``): the instalment due on such a date pays that principal. Empty where the
    plan does not keep them so (no move puts each on an instalment large enough to hold it) or they
    are not the principal the plan leaves owed, not due (`total`, principal_left_on_contract_dates):
    its instalments then pay the acknowledged debt in the allocation order alone."""
    if total <= 0 or sum((a for _, a in later), ZERO) != total:
        return {}
    on = {day: (no, amount) for no, day, amount in plan}
    for months in range(MAX_DEFER_MONTHS + 1):
        parts: dict[int, Decimal] = {}
        for day, amount in later:
            no, room = on.get(add_months(day, months), (0, ZERO))
            parts[no] = parts.get(no, ZERO) + amount
            if not no or parts[no] > room:
                break
        else:
            return parts
    return {}


def principal_left_on_contract_dates(ledger: Ledger, as_of: date, plan: list[tuple[date, Decimal]]) -> Decimal:
    """Of the principal the contract makes due after `as_of`, what a plan (its instalments' dates and
    amounts) leaves owed but not due: all of it when the plan asks, by each contract date, for no
    more than the arrears and the principal the contract makes due by then (a visit's proposals do);
    none when the plan asks for it sooner, which makes it due under the plan. The running totals
    are compared on every date of either schedule: a plan that asks, before the next contract
    date, for principal the contract makes due only on it asks for it sooner."""
    later = not_yet_due(ledger, as_of)
    arrears = ledger.total_outstanding - sum((a for _, a in later), ZERO)
    for cutoff in sorted({day for day, _ in later} | {day for day, _ in plan}):
        allowed = arrears + sum((a for day, a in later if day <= cutoff), ZERO)
        if sum((a for day, a in plan if day <= cutoff), ZERO) > allowed:
            return ZERO
    return sum((a for _, a in later), ZERO)


def interest_not_charged(ledger: Ledger, visit_day: date) -> Decimal:
    """The contract interest the ledger schedules to fall due after `visit_day`: what a plan that
    charges no interest while it runs gives up (none once accelerated: it is all due)."""
    if ledger.accelerated_on is not None:
        return ZERO
    return sum((p.outstanding[Component.INTEREST] for p in ledger.positions if p.interest_due_date > visit_day),
               ZERO)


def waives_interest_to_come(rules: RuleSet, plan_type: str) -> bool:
    """Whether a plan of this type, charging no interest while it runs, waives the contract interest
    to come on condition of performance: the profile's default clause (PLAN-01) revives it on breach."""
    revives: dict[str, list[str]] = rules.param("PLAN-01", "revives")
    return "interest_waiver" in revives.get(plan_type, [])


def plan_relief(ledger: Ledger, rules: RuleSet, plan_type: str, as_of: date,
                plan: list[tuple[date, Decimal]]) -> tuple[Decimal, Decimal]:
    """What a plan recorded as of `as_of` states besides its instalments: the principal it leaves on
    the contract's dates (owed, not due) and the contract interest to come it waives on condition
    (0 where the profile's default clause does not revive it: the agreement does not state it)."""
    interest = interest_not_charged(ledger, as_of) if waives_interest_to_come(rules, plan_type) else ZERO
    return principal_left_on_contract_dates(ledger, as_of, plan), interest


def next_contract_due(ledger: Ledger, visit_day: date) -> date | None:
    """The first date after `visit_day` on which the contract makes anything due (principal or
    interest): the day the borrower already pays on. None once accelerated or matured."""
    if ledger.accelerated_on is not None:
        return None
    return min((p.due_date for p in ledger.positions if p.due_date > visit_day), default=None)


def first_arrears_date(ledger: Ledger, visit_day: date, defer: int) -> date:
    """When the arrears start to be paid: the borrower's next contract due date if it is within a
    month of the visit, else a month after the visit — deferred only when nothing else is left to
    defer (an accelerated or matured loan, whose extension moves the whole debt)."""
    month = add_months(visit_day, 1)
    upcoming = next_contract_due(ledger, visit_day)
    if upcoming is not None:
        return min(upcoming, month)
    return add_months(visit_day, max(defer, 1))


def _schedule(later: list[tuple[date, Decimal]], arrears: Decimal, count: int, defer: int,
              first: date) -> tuple[ProposedInstalment, ...]:
    """The arrears first, in `count` equal monthly parts from `first` (first_arrears_date); the
    principal not yet due on its contract dates, moved `defer` months later (an extension)."""
    dates = [add_months(day, defer) for day, _ in later]
    spread = [add_months(first, k) for k in range(count)]
    due: dict[date, Decimal] = {}
    for day, amount in [*zip(dates, (a for _, a in later), strict=True),
                        *zip(spread, split_evenly(arrears, count), strict=True)]:
        due[day] = due.get(day, ZERO) + amount
    return tuple(ProposedInstalment(n, day, due[day]) for n, day in enumerate(sorted(due), start=1))


def proposals(ledger: Ledger, rules: RuleSet, visit_day: date) -> list[Proposal]:
    """Every plan type PLAN-02 offers that fits the debt on `visit_day`, in the rule's order. A
    waiver is offered only when there is something to waive; nothing is proposed for no debt."""
    if ledger.total_outstanding <= ZERO:
        return []
    later = not_yet_due(ledger, visit_day)
    not_due = sum((a for _, a in later), ZERO)
    out = []
    for kind, offer in rules.rule("PLAN-02").params["offers"].items():
        waived = _waivable(ledger, list(offer.get("waive", [])))
        if offer.get("waive") and waived <= ZERO:
            continue
        defer, count = int(offer.get("defer_months", 0)), int(offer["instalments"])
        first = first_arrears_date(ledger, visit_day, defer)
        lines = _schedule(later, ledger.total_outstanding - not_due - waived, count, defer, first)
        out.append(Proposal(PlanType(kind), visit_day, ack_principal=ledger.outstanding_principal,
                            principal_not_due=not_due, ack_interest=ledger.overdue_interest,
                            ack_penalty=ledger.penalty + ledger.compound, ack_fees=ledger.overdue_fee,
                            waived_amount=waived, instalments=lines,
                            interest_not_charged=interest_not_charged(ledger, visit_day),
                            arrears_instalments=count, arrears_until=add_months(first, count - 1),
                            defer_months=defer if later else 0))
    return out
