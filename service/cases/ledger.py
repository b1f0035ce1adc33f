"""Balances and payment allocation: an event-driven simulation of one loan, in date order.

Events are due dates, the acceleration date, payment/waiver value dates and `as_of`. Between two
events every balance is constant, so penalty interest (on overdue principal) and compound
interest (on overdue contractual interest) accrue per segment in exact Decimal; at each event the
exact running total is rounded once (`round_money`) and the difference is posted. A day counts
from the day after a due date, so 1,000 overdue for 30 days at 18 %/360 posts exactly 15.00.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import TypeAlias

from service.cases.money import (
    ZERO,
    DecimalLike,
    accrue,
    check_day_basis,
    round_money,
    to_money,
    to_rate,
)
from service.cases.schedule import ScheduledInstalment, validate_schedule

InstalmentDue: TypeAlias = ScheduledInstalment
PaymentId: TypeAlias = str | int


class Component(StrEnum):
    FEE = "fee"
    PENALTY = "penalty"  # 罚息 on overdue principal
    COMPOUND = "compound"  # 复利 on overdue contractual interest
    INTEREST = "interest"
    PRINCIPAL = "principal"


# Civil Code art. 561: costs, then interest (penalty, compound, contractual), then principal.
DEFAULT_ORDER = tuple(Component)
ACCRUING = (Component.PENALTY, Component.COMPOUND)


class InstalmentStatus(StrEnum):
    PAID = "paid"
    PARTIAL = "partial"  # past due, partly paid
    OVERDUE = "overdue"  # past due, nothing paid
    DUE = "due"  # falls due on as_of itself and is unpaid
    NOT_DUE = "not_due"


def _zeros() -> dict[Component, Decimal]:
    return dict.fromkeys(Component, ZERO)


@dataclass(frozen=True, slots=True)
class LoanTerms:
    principal: Decimal  # the amount actually disbursed
    disbursed_date: date
    annual_rate: Decimal
    penalty_rate: Decimal  # annual, on overdue principal
    compound: bool = False  # penalty rate also on overdue unpaid interest
    day_basis: int = 360
    allocation_order: tuple[Component, ...] | None = None  # None: Civil Code art. 561

    def __post_init__(self) -> None:
        object.__setattr__(self, "principal", to_money(self.principal))
        object.__setattr__(self, "annual_rate", to_rate(self.annual_rate))
        object.__setattr__(self, "penalty_rate", to_rate(self.penalty_rate))
        check_day_basis(self.day_basis)
        if self.allocation_order is not None:
            order = tuple(Component(c) for c in self.allocation_order)
            if sorted(order) != sorted(Component):
                raise ValueError(f"allocation_order must name each component once: {order}")
            object.__setattr__(self, "allocation_order", order)

    @property
    def order(self) -> tuple[Component, ...]:
        return self.allocation_order or DEFAULT_ORDER


@dataclass(frozen=True, slots=True)
class Payment:
    id: PaymentId
    value_date: date
    amount: Decimal

    def __post_init__(self) -> None:
        object.__setattr__(self, "amount", to_money(self.amount))
        if self.amount <= 0:
            raise ValueError(f"payment {self.id}: amount must be positive")


@dataclass(frozen=True, slots=True)
class Waiver:
    """A waiver (减免) of one component, applied on its date to the oldest amounts owed."""

    id: PaymentId
    value_date: date
    amount: Decimal
    component: Component

    def __post_init__(self) -> None:
        object.__setattr__(self, "amount", to_money(self.amount))
        object.__setattr__(self, "component", Component(self.component))
        if self.amount <= 0:
            raise ValueError(f"waiver {self.id}: amount must be positive")


@dataclass(frozen=True, slots=True)
class AllocationLine:
    instalment_no: int
    component: Component
    amount: Decimal
    applied_on: date  # the value date, or a later due date for a carried-forward credit


@dataclass(frozen=True, slots=True)
class Allocation:
    """Where one payment (or waiver) went; sum(parts) + unapplied == amount, exactly."""

    payment_id: PaymentId
    value_date: date
    amount: Decimal
    parts: Mapping[Component, Decimal]
    lines: tuple[AllocationLine, ...]
    unapplied: Decimal  # credit still held at as_of (for a waiver: the part nothing could absorb)


@dataclass(frozen=True, slots=True)
class InstalmentPosition:
    """One instalment at as_of; for every component due + accrued - paid - waived = outstanding."""

    no: int
    due_date: date
    principal_due_date: date  # the acceleration date when acceleration pulled it forward
    interest_due_date: date
    due: Mapping[Component, Decimal]  # scheduled principal/interest/fee (interest cut by accel.)
    accrued: Mapping[Component, Decimal]  # penalty and compound posted up to as_of
    paid: Mapping[Component, Decimal]
    waived: Mapping[Component, Decimal]
    outstanding: Mapping[Component, Decimal]  # includes amounts not yet due
    days_past_due: int
    status: InstalmentStatus


@dataclass(frozen=True, slots=True)
class Ledger:
    as_of: date
    accelerated_on: date | None
    positions: tuple[InstalmentPosition, ...]
    allocations: tuple[Allocation, ...]
    waivers: tuple[Allocation, ...]
    outstanding_principal: Decimal  # all principal, including not yet due
    overdue_principal: Decimal  # principal due on or before as_of, unpaid
    overdue_interest: Decimal
    overdue_fee: Decimal
    penalty: Decimal  # outstanding penalty
    compound: Decimal  # outstanding compound interest
    total_overdue: Decimal
    total_outstanding: Decimal  # total_overdue + principal not yet due
    paid: Mapping[Component, Decimal]  # applied, all instalments
    paid_total: Decimal  # every payment dated <= as_of, applied or not
    unapplied: Decimal
    days_past_due: int
    last_payment_date: date | None


@dataclass(slots=True)
class _Line:
    """Mutable working state of one instalment during the simulation."""

    no: int
    due_date: date
    principal_on: date
    interest_on: date
    due: dict[Component, Decimal]
    owed: dict[Component, Decimal] = field(default_factory=_zeros)
    paid: dict[Component, Decimal] = field(default_factory=_zeros)
    waived: dict[Component, Decimal] = field(default_factory=_zeros)
    exact: dict[Component, Decimal] = field(default_factory=_zeros)
    posted: dict[Component, Decimal] = field(default_factory=_zeros)

    def due_on(self, component: Component) -> date | None:
        if component is Component.PRINCIPAL:
            return self.principal_on
        return None if component in ACCRUING else self.interest_on

    def is_due(self, component: Component, day: date) -> bool:
        on = self.due_on(component)
        return on is None or on <= day

    def accrue(self, component: Component, base: Decimal, factor: Decimal) -> None:
        self.exact[component] += base * factor
        posting = round_money(self.exact[component]) - self.posted[component]
        self.posted[component] += posting
        self.owed[component] += posting


def _open_line(row: InstalmentDue, period_start: date, accel: date | None) -> _Line:
    """Working line; acceleration at A makes principal due at A and cuts unaccrued interest."""
    interest, fee, principal_on, interest_on = row.interest, row.fee, row.due_date, row.due_date
    if accel is not None and row.due_date > accel:
        principal_on = interest_on = accel
        fee = ZERO  # a period's fee falls due with its instalment, which never comes
        span, elapsed = (row.due_date - period_start).days, (accel - period_start).days
        interest = round_money(row.interest * max(elapsed, 0) / span) if elapsed > 0 else ZERO
    due = _zeros() | {Component.PRINCIPAL: row.principal, Component.INTEREST: interest}
    due[Component.FEE] = fee
    return _Line(row.no, row.due_date, principal_on, interest_on, due, owed=dict(due))


@dataclass(slots=True)
class _Funds:
    """A payment or waiver being applied; `left` is what it still has to give."""

    source: Payment | Waiver
    left: Decimal
    parts: dict[Component, Decimal] = field(default_factory=_zeros)
    lines: list[AllocationLine] = field(default_factory=list)

    def frozen(self) -> Allocation:
        src = self.source
        return Allocation(
            src.id, src.value_date, src.amount, self.parts, tuple(self.lines), self.left
        )


class _Simulation:
    def __init__(self, terms: LoanTerms, lines: list[_Line], start: date) -> None:
        self.terms, self.lines, self.clock = terms, lines, start
        self.credits: list[_Funds] = []

    def advance(self, day: date) -> None:
        """Accrue penalty and compound over [clock, day) and post them at `day`."""
        days = (day - self.clock).days
        if days > 0:
            factor = accrue(Decimal(1), self.terms.penalty_rate, days, self.terms.day_basis)
            for line in self.lines:
                self._accrue_line(line, factor)
        self.clock = day

    def _accrue_line(self, line: _Line, factor: Decimal) -> None:
        if line.principal_on <= self.clock:
            line.accrue(Component.PENALTY, line.owed[Component.PRINCIPAL], factor)
        if self.terms.compound and line.interest_on <= self.clock:
            line.accrue(Component.COMPOUND, line.owed[Component.INTEREST], factor)

    def apply(self, funds: _Funds, order: Sequence[Component], day: date, waive: bool) -> None:
        """Give `funds` to what is due at `day`: oldest instalment first, then by `order`."""
        for line in self.lines:
            for component in order:
                take = min(funds.left, line.owed[component])
                if take <= 0 or not line.is_due(component, day):
                    continue
                line.owed[component] -= take
                (line.waived if waive else line.paid)[component] += take
                funds.left -= take
                funds.parts[component] += take
                funds.lines.append(AllocationLine(line.no, component, take, day))

    def receive(self, payment: Payment, day: date) -> _Funds:
        funds = _Funds(payment, payment.amount)
        self.credits.append(funds)
        self.apply_credits(day)
        return funds

    def apply_credits(self, day: date) -> None:
        for funds in self.credits:
            if funds.left > 0:
                self.apply(funds, self.terms.order, day, waive=False)
