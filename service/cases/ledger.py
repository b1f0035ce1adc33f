"""Balances and payment allocation: an event-driven simulation of one loan, in date order.

Events are due dates, the acceleration date, payment/waiver value dates, statement days and
`as_of`. Between two events every balance is constant, so penalty interest (on overdue principal)
and compound interest (on overdue contractual interest) accrue per segment in exact Decimal
(money.rate_days). What is posted is rounded once per run (``Accrual``), over all instalments
together: a run is the days one component accrues on one base (the overdue principal, or interest,
of every instalment together) at one rate; it ends where the base changes (an instalment falls due,
a payment or waiver), the rate changes, or a statement day closes it. At each event the run's exact
running total is rounded once (`round_money`) and the difference is posted, shared among the lines
by what each accrued. A run is a row a reader recomputes, base × rate × days ÷ day basis to the cent
(money.interest_for), and the component is the sum of its runs, so a table of the runs adds up to
the claim by construction (review US-00014: a share of one rounding over several bases was a cent
off any product a reader could form). A statement day (``LoanTerms.statement_days``: a day a
notice stated the balance to the borrower) closes the run, so the default interest from the day
after it to a later date, on an unchanged base, is exactly the base × rate × days ÷ day basis a
document states for those days, and the figure stated on that day stays what the ledger holds. A day
counts from the day after a due date, so 1,000 overdue for 30 days at 18 %/360 posts exactly 15.00.

Interest for part of a period (the running period when acceleration cuts it) follows the same
rule, the contract's day-count clause: the daily rate on the period's scheduled principal for its
actual days (money.interest_for), never more than the period's scheduled interest.

Under a rate cap (``LoanTerms.interest_cap``) each period's interest is cut, on the day it falls
due, to the cap on the principal outstanding and not yet due over its days (``CappedInterest``):
a whole month of the schedule at the annual cap ÷ 12, as the contract's own monthly rate is its
annual ÷ 12, any other period at the cap ÷ day basis a day (``CapBasis``). What a payment holds
beyond everything due, up to the interest above the cap of the periods due by then, is set
against principal as of the payment. The two depend on each other only forwards in time (a
set-off lowers later periods' base; a period's cut depends on set-offs before its due date), so
the one pass of the simulation in date order settles both: no iteration.
"""

import itertools
from calendar import monthrange
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import TypeAlias

from service.cases.money import (
    CENT,
    ZERO,
    Rate,
    check_day_basis,
    interest_for,
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
SCHEDULED = (Component.PRINCIPAL, Component.INTEREST, Component.FEE)


class InstalmentStatus(StrEnum):
    PAID = "paid"
    PARTIAL = "partial"  # past due, partly paid
    OVERDUE = "overdue"  # past due, nothing paid
    DUE = "due"  # falls due on as_of itself and is unpaid
    NOT_DUE = "not_due"


# Iterating the enum class runs a generator each time; a ledger makes a few zeroed dicts per
# instalment, so they are copied from one made once.
_ZEROS: dict[Component, Decimal] = dict.fromkeys(DEFAULT_ORDER, ZERO)


def _zeros() -> dict[Component, Decimal]:
    return _ZEROS.copy()


@dataclass(frozen=True, slots=True)
class LoanTerms:
    principal: Decimal  # the amount actually disbursed
    disbursed_date: date
    annual_rate: Decimal
    penalty_rate: Decimal  # annual, on overdue principal
    compound: bool = False  # penalty rate also on overdue unpaid interest
    day_basis: int = 360
    allocation_order: tuple[Component, ...] | None = None  # None: Civil Code art. 561
    # Later penalty rates, each from its date on (a cap that changes, 民间借贷规定 art. 31).
    penalty_rate_changes: tuple[tuple[date, Rate], ...] = ()
    # Days the balance was stated to the borrower (a notice's as-of date): each closes a statement
    # period, whose default interest is rounded once (see the module).
    statement_days: tuple[date, ...] = ()
    # The cap on each period's interest (caps.lawful_loan sets it): annual rates, each from its date
    # on (the first from disbursement; a second under 民间借贷规定 art. 31). Empty: each period's
    # interest is the contract's. Set: each period's interest is at most the cap on the principal
    # actually outstanding over the period (see ``CappedInterest``), and what a borrower paid beyond
    # everything due, up to the interest above the cap of the periods due by then, is interest paid
    # above the cap: it is set against principal as of the payment (民间借贷规定 arts 25, 29).
    interest_cap: tuple[tuple[date, Rate], ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "principal", to_money(self.principal))
        object.__setattr__(self, "annual_rate", to_rate(self.annual_rate))
        object.__setattr__(self, "penalty_rate", to_rate(self.penalty_rate))
        changes = tuple(sorted((day, to_rate(rate)) for day, rate in self.penalty_rate_changes))
        object.__setattr__(self, "penalty_rate_changes", changes)
        object.__setattr__(self, "statement_days", tuple(sorted(set(self.statement_days))))
        cap = tuple(sorted((day, to_rate(rate)) for day, rate in self.interest_cap))
        object.__setattr__(self, "interest_cap", cap)
        if any(rate < 0 for _, rate in cap):
            raise ValueError("interest_cap: a cap rate is not negative")
        check_day_basis(self.day_basis)
        if self.allocation_order is not None:
            order = tuple(Component(c) for c in self.allocation_order)
            if sorted(order) != sorted(Component):
                raise ValueError(f"allocation_order must name each component once: {order}")
            object.__setattr__(self, "allocation_order", order)

    @property
    def order(self) -> tuple[Component, ...]:
        return self.allocation_order or DEFAULT_ORDER

    def interest_cap_on(self, day: date) -> Rate:
        """The cap on interest in force on `day` (the first one before its date)."""
        rate = self.interest_cap[0][1]
        for since, later in self.interest_cap[1:]:
            if since <= day:
                rate = later
        return rate

    def penalty_rate_on(self, day: date) -> Rate:
        rate = self.penalty_rate
        for since, later in self.penalty_rate_changes:
            if since <= day:
                rate = later
        return rate


@dataclass(frozen=True, slots=True)
class Payment:
    id: PaymentId
    value_date: date
    amount: Decimal

    def __post_init__(self) -> None:
        _positive_amount(self)


@dataclass(frozen=True, slots=True)
class Waiver:
    """A waiver (减免) of one component, applied on its date to the oldest amounts owed."""

    id: PaymentId
    value_date: date
    amount: Decimal
    component: Component

    def __post_init__(self) -> None:
        _positive_amount(self)
        object.__setattr__(self, "component", Component(self.component))


def _positive_amount(item: Payment | Waiver) -> None:
    object.__setattr__(item, "amount", to_money(item.amount))
    if item.amount <= 0:
        raise ValueError(f"{type(item).__name__} {item.id}: amount must be positive")


@dataclass(frozen=True, slots=True)
class AllocationLine:
    instalment_no: int
    component: Component
    amount: Decimal
    applied_on: date  # the value date, or a later due date for a carried-forward credit
    # interest paid above the cap, set against this principal (LoanTerms.interest_cap)
    above_cap: bool = False


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
class Accrual:
    """One run of penalty (on overdue principal) or compound interest (on overdue interest):
    `base`, every instalment's together, at `rate` for the days after `start` up to and including
    `end`, rounded once: `amount` == money.interest_for(base, rate, start, end, day_basis).
    `instalments`: the numbers of the instalments whose amounts make up the base."""

    component: Component
    start: date
    end: date
    base: Decimal
    rate: Rate
    amount: Decimal
    instalments: tuple[int, ...]

    @property
    def days(self) -> int:
        return (self.end - self.start).days


@dataclass(slots=True)
class _Run:
    start: date
    end: date
    base: Decimal
    rate: Rate
    instalments: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class InterestSpan:
    """Days of one period over which the principal outstanding stood at `balance` and the cap at
    `rate`: the days after `start` up to and including `end` (a day counts at its end, as every
    accrual of the ledger counts it), `days` of them; balance × rate × days ÷ day basis, exact."""

    start: date
    end: date
    balance: Decimal
    rate: Rate

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    @property
    def first_day(self) -> date:
        """The first day counted (a document prints it and `end`, both inclusive)."""
        return self.start + timedelta(days=1)

    @property
    def product(self) -> Decimal:
        """balance × days (元·天): the period's share of the 本金积数 table's kind."""
        return self.balance * self.days


class CapBasis(StrEnum):
    """How a period's cap counts its days. The law caps the annual rate (民间借贷规定 arts 25, 28,
    29; 法发〔2017〕22号 art. 2), and practice converts it as the contract converts its own rate:
    a month's rate is the annual ÷ 12, a day's the annual ÷ the day basis. A whole month at the
    day rate (24 % × 28 ÷ 360 for a February) would cut a contract below the cap whose monthly
    interest is its annual rate ÷ 12 (review CN-00012: 23.73 % a year, its February periods cut)."""

    MONTH = "month"  # a whole month of the schedule: Σ balance × rate × days ÷ the period's days ÷ 12
    DAYS = "days"  # any other period (an irregular first one, one cut by acceleration): ÷ day basis


def whole_month(start: date, end: date) -> bool:
    """Whether the days after `start` up to `end` are one calendar month: `end` is the next month's
    day of `start`'s day of month, either clamped to its month's end as a schedule keeps its day
    (schedule.add_months: Jan 31 to Feb 28, and Feb 28 to Mar 31 for a schedule on the 31st)."""
    if (end.year - start.year) * 12 + end.month - start.month != 1:
        return False
    start_last = start.day == monthrange(start.year, start.month)[1]
    end_last = end.day == monthrange(end.year, end.month)[1]
    return start.day == end.day or (end.day < start.day and end_last) or (start.day < end.day and start_last)


def cap_divisor(basis: CapBasis, days: int, day_basis: int) -> int:
    """What a period's Σ balance × cap rate × days is divided by: the period's days × 12 for a
    whole month (on one balance, balance × rate ÷ 12), else the day basis."""
    return days * 12 if basis is CapBasis.MONTH else day_basis


@dataclass(frozen=True, slots=True)
class CappedInterest:
    """One period's interest under the cap (LoanTerms.interest_cap), with its basis for a reader
    to rebuild it: `cap` = Σ balance × rate × days over `spans` ÷ `divisor`, rounded once, on
    the principal outstanding and not yet due each day of the period (after every principal
    payment, waiver and set-off of interest paid above the cap before it). The divisor is the
    period's days × 12 for a whole month of the schedule (`basis` MONTH: balance × rate ÷ 12 on one
    balance, each span weighted by its share of the month's days where the balance or the cap
    changes within it), the day basis for any other period (DAYS: its first period of another
    length, the running period acceleration cuts). The balance is the 本金积数 table's
    (caps.PrincipalSpan) less any principal past due, which bears the penalty instead; with
    nothing past due they are the same. `lawful` = min(`contract`, `cap`) is the period's interest
    the ledger holds; `contract` - `lawful` its interest above the cap.

    `projected`: the period runs past the ledger's as_of; its days after as_of are counted on the
    balance at as_of less each later instalment's principal on its due date (as if paid then)."""

    contract: Decimal  # the contract's interest of the period (as acceleration cut it)
    cap: Decimal
    lawful: Decimal
    spans: tuple[InterestSpan, ...]
    day_basis: int
    basis: CapBasis
    projected: bool = False

    @property
    def above_cap(self) -> Decimal:
        return self.contract - self.lawful

    @property
    def days(self) -> int:
        """The period's days (its spans cover all of them)."""
        return sum((x.days for x in self.spans), 0)

    @property
    def divisor(self) -> int:
        """What Σ balance × rate × days is divided by (``cap_divisor``)."""
        return cap_divisor(self.basis, self.days, self.day_basis)


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
    # the period's interest under the cap and its basis (None: no cap on interest, LoanTerms.interest_cap)
    capped_interest: CappedInterest | None = None


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
    # the runs penalty and compound interest accrued in, in date order: their amounts add up to
    # what accrued (``InstalmentPosition.accrued`` of every instalment together)
    accruals: tuple[Accrual, ...] = ()


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
    start: date = date.min  # the period's first day's eve: its interest runs over the days after it
    capped: CappedInterest | None = None  # set on the day its interest falls due (or at as_of, projected)

    @property
    def above_cap(self) -> Decimal:
        """The contract interest above the cap (of its interest as cut by acceleration), once known."""
        return self.capped.above_cap if self.capped is not None else ZERO

    def due_on(self, component: Component) -> date | None:
        if component is Component.PRINCIPAL:
            return self.principal_on
        return None if component in ACCRUING else self.interest_on

    def is_due(self, component: Component, day: date) -> bool:
        on = self.due_on(component)
        return on is None or on <= day

    def accrue(self, component: Component, amount: Decimal) -> None:
        """`exact` holds base × rate × days summed over the segments, which Decimal keeps exact;
        it is divided by the day basis only when rounded (_Simulation.post), so a total of exactly
        half a cent is not lost to a per-segment division (0.274999… against 0.275)."""
        self.exact[component] += amount

    def post(self, component: Component, amount: Decimal) -> None:
        self.posted[component] += amount
        self.owed[component] += amount


def _open_line(row: InstalmentDue, period_start: date, accel: date | None, terms: LoanTerms,
               balance: Decimal) -> _Line:
    """Working line; acceleration at A makes principal due at A and cuts unaccrued interest: of the
    running period, the interest of its days up to A (`balance`: the scheduled principal it runs
    on), by the contract's day count (money.interest_for), at most the period's own."""
    interest, fee, principal_on = to_money(row.interest), to_money(row.fee), row.due_date
    interest_on = principal_on
    if accel is not None and row.due_date > accel:
        principal_on = interest_on = accel
        fee = ZERO  # a period's fee falls due with its instalment, which never comes
        interest = part_period_interest(interest, balance, terms, period_start, accel)
    due = _zeros() | {Component.INTEREST: interest, Component.FEE: fee}
    due[Component.PRINCIPAL] = to_money(row.principal)
    return _Line(row.no, row.due_date, principal_on, interest_on, due, owed=dict(due), start=period_start)


def part_period_interest(full: Decimal, balance: Decimal, terms: LoanTerms, start: date, end: date) -> Decimal:
    """The interest of a contract period from `start` to `end` (before its due date): the contract
    rate on the period's scheduled principal `balance` for its actual days (money.interest_for,
    the contract's day basis), never more than `full`, the period's scheduled interest (a lawful
    row's, cut to the cap, included). The one rule for part of a period: acceleration here, and
    the contract interest to come an agreement revives (agreement.InterestPeriod)."""
    return min(full, interest_for(balance, terms.annual_rate, start, end, terms.day_basis))


def scheduled_balances(principal: Decimal, rows: Sequence[InstalmentDue]) -> list[Decimal]:
    """The principal each period's interest runs on by the schedule: what is left of `principal`
    after the instalments before it."""
    left, out = principal, []
    for row in rows:
        out.append(left)
        left -= to_money(row.principal)
    return out


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
        # the statement period's exact total over every line (not yet ÷ day basis), and what of it
        # has been posted (rounded once as a whole: see the module)
        self.period_exact = dict.fromkeys(ACCRUING, Decimal(0))
        self.period_posted = dict.fromkeys(ACCRUING, ZERO)
        self.runs: dict[Component, _Run] = {}  # the open run of each component
        self.accruals: list[Accrual] = []  # the closed runs
        self.statement_days = frozenset(terms.statement_days)
        self.set_off = ZERO  # interest paid above the cap set against principal so far
        # the principal a period's interest runs on, every instalment's together: from each day on,
        # after its events (``interest_base``)
        self.balances: list[tuple[date, Decimal]] = [(start, self.interest_base(start))]

    def interest_base(self, day: date) -> Decimal:
        """The principal outstanding and not yet due after `day`: what the days after it bear
        interest on (the schedule's balance, less principal paid ahead, waived or set off). Principal
        past due bears the penalty instead, capped on its own (民间借贷规定 arts 28, 29)."""
        return sum((ln.owed[Component.PRINCIPAL] for ln in self.lines if ln.principal_on > day), ZERO)

    def note_balance(self, day: date) -> None:
        """Record the interest base after `day`'s events: it stands from the next day on."""
        balance = self.interest_base(day)
        if balance != self.balances[-1][1]:
            if self.balances[-1][0] == day:
                self.balances[-1] = (day, balance)
            else:
                self.balances.append((day, balance))

    def cap_interest(self, day: date) -> None:
        """The interest of each period falling due on `day`, cut to the cap on the principal
        outstanding over its days (all of them before `day`'s own payments, which count from the
        next period on). Computed here, in date order, the set-offs of earlier payments are in the
        balance; a payment's set-off depends only on periods already due (``set_off_above_cap``),
        so one pass in date order settles both, with no iteration."""
        if not self.terms.interest_cap:
            return
        for line in self.lines:
            if line.capped is None and line.interest_on == day:
                self._cap(line, self.balances, projected=False)

    def project_interest(self, as_of: date) -> None:
        """The periods not yet due at as_of: their days after as_of counted on the balance at
        as_of less each later instalment's principal on its due date (as if paid then)."""
        if not self.terms.interest_cap:
            return
        steps, balance = list(self.balances), self.balances[-1][1]
        for line in self.lines:
            if line.principal_on > as_of and line.owed[Component.PRINCIPAL] > 0:
                balance -= line.owed[Component.PRINCIPAL]
                if steps[-1][0] == line.principal_on:
                    steps[-1] = (line.principal_on, balance)
                else:
                    steps.append((line.principal_on, balance))
        for line in self.lines:
            if line.capped is None:
                self._cap(line, steps, projected=True)

    def _cap(self, line: _Line, steps: Sequence[tuple[date, Decimal]], *, projected: bool) -> None:
        start, end, terms = line.start, line.interest_on, self.terms
        changes = [(d, r) for d, r in terms.interest_cap[1:] if start < d < end]
        cuts = sorted({start, end, *(d for d, _ in steps if start < d < end), *(d for d, _ in changes)}
                      ) if start < end else []  # a period after the acceleration date has no days
        spans: list[InterestSpan] = []
        for a, b in itertools.pairwise(cuts):
            balance = next(v for d, v in reversed(steps) if d <= a) if steps[0][0] <= a else steps[0][1]
            rate = terms.interest_cap_on(a)
            if spans and spans[-1].balance == balance and spans[-1].rate == rate and spans[-1].end == a:
                spans[-1] = InterestSpan(spans[-1].start, b, balance, rate)
            else:
                spans.append(InterestSpan(a, b, balance, rate))
        # a whole month: the period runs to its own due date (acceleration did not cut it), a month
        # after the one before (or after disbursement); a projected period's days count as any do
        month = bool(spans) and end == line.due_date and whole_month(start, end)
        basis = CapBasis.MONTH if month else CapBasis.DAYS
        exact = sum((x.balance * x.rate * x.days for x in spans), Decimal(0))
        cap = round_money(exact / cap_divisor(basis, (end - start).days, terms.day_basis))
        contract = line.due[Component.INTEREST]
        lawful = min(contract, cap)
        line.capped = CappedInterest(contract, cap, lawful, tuple(spans), terms.day_basis, basis, projected)
        if lawful < contract:
            line.due[Component.INTEREST] = lawful
            line.owed[Component.INTEREST] = max(line.owed[Component.INTEREST] - (contract - lawful), ZERO)

    def advance(self, day: date) -> None:
        """Accrue penalty and compound over [clock, day) and post them at `day` (the rate of
        each day is the one in force on it; the event days include every change)."""
        days = (day - self.clock).days
        if days > 0:
            rate = self.terms.penalty_rate_on(self.clock)
            for component, (base, numbers) in self._bases().items():
                run = self.runs.get(component)
                if run is not None and (run.base != base or run.rate != rate or run.end != self.clock):
                    self.close(component)  # a new base, rate or a statement between: a new run
                    run = None
                if base <= 0:
                    continue
                if run is None:
                    run = self.runs[component] = _Run(self.clock, self.clock, base, rate, numbers)
                run.end = day
                self._accrue(component, rate * days)
                self.post(component)
        self.clock = day
        if day in self.statement_days:  # a statement closes the run: the next one starts at 0
            self.close_all()

    def _bases(self) -> dict[Component, tuple[Decimal, tuple[int, ...]]]:
        """What each component accrues on over the segment from the clock: every line's overdue
        principal (penalty), overdue interest (compound), and the lines that hold it."""
        out: dict[Component, tuple[Decimal, tuple[int, ...]]] = {}
        for component, source, on in ((Component.PENALTY, Component.PRINCIPAL, "principal_on"),
                                      (Component.COMPOUND, Component.INTEREST, "interest_on")):
            if component is Component.COMPOUND and not self.terms.compound:
                continue
            held = [(ln.no, ln.owed[source]) for ln in self.lines
                    if getattr(ln, on) <= self.clock and ln.owed[source] > 0]
            out[component] = (sum((v for _, v in held), ZERO), tuple(n for n, _ in held))
        return out

    def _accrue(self, component: Component, rate_days: Decimal) -> None:
        source = Component.PRINCIPAL if component is Component.PENALTY else Component.INTEREST
        for line in self.lines:
            due_on = line.principal_on if component is Component.PENALTY else line.interest_on
            if due_on <= self.clock and line.owed[source] > 0:
                amount = line.owed[source] * rate_days
                line.accrue(component, amount)
                self.period_exact[component] += amount

    def close(self, component: Component) -> None:
        """End the component's open run: record it (base × rate × days ÷ basis, rounded once,
        is what it posted) and start the next at 0."""
        run = self.runs.pop(component, None)
        if run is not None and self.period_posted[component]:
            self.accruals.append(Accrual(component, run.start, run.end, run.base, run.rate,
                                         self.period_posted[component], run.instalments))
        self.period_exact[component] = Decimal(0)
        self.period_posted[component] = ZERO

    def close_all(self) -> None:
        for component in ACCRUING:
            self.close(component)

    def post(self, component: Component) -> None:
        """Post what the period's exact total, rounded once, adds to what is posted, shared among
        the lines: each its own exact amount rounded, the cents left over (a few at most) to the
        lines whose rounding left the most (or, taking back, took the most) — largest remainder."""
        target = round_money(self.period_exact[component] / self.terms.day_basis)
        amount = target - self.period_posted[component]
        self.period_posted[component] = target
        if not amount:
            return
        basis = self.terms.day_basis
        gaps = [(line, line.exact[component] / basis - line.posted[component]) for line in self.lines
                if line.exact[component]]
        shares = {line.no: max(round_money(gap), ZERO) for line, gap in gaps}
        left = amount - sum(shares.values(), ZERO)
        step = CENT if left > 0 else -CENT
        ranked = sorted(gaps, key=lambda lg: (lg[1] - shares[lg[0].no]) * step, reverse=True)
        k = 0
        while left and ranked:  # the period's total never falls, so taking back finds a share > 0
            line = ranked[k % len(ranked)][0]
            k += 1
            if step < 0 and shares[line.no] <= 0:
                continue
            shares[line.no] += step
            left -= step
        for line, _ in gaps:
            if shares[line.no]:
                line.post(component, shares[line.no])

    def apply(self, funds: _Funds, order: Sequence[Component], day: date, waive: bool) -> None:
        """Give `funds` to what is owed, oldest instalment first, then by `order`.

        A payment only pays what is due at `day`; a waiver may also forgive amounts not yet due.
        """
        for line in self.lines:
            owed = line.owed
            for component in order:
                if funds.left <= 0:  # spent: nothing more to give (most lines of most payments)
                    return
                if owed[component] <= 0 or not (waive or line.is_due(component, day)):
                    continue
                take = min(funds.left, owed[component])
                owed[component] -= take
                (line.waived if waive else line.paid)[component] += take
                funds.left -= take
                funds.parts[component] += take
                funds.lines.append(AllocationLine(line.no, component, take, day))

    def waive(self, waiver: Waiver, day: date) -> _Funds:
        funds = _Funds(waiver, waiver.amount)
        self.apply(funds, (waiver.component,), day, waive=True)
        return funds

    def receive(self, payment: Payment, day: date) -> _Funds:
        funds = _Funds(payment, payment.amount)
        self.credits.append(funds)
        self.apply_credits(day)
        return funds

    def apply_credits(self, day: date) -> None:
        for funds in self.credits:
            if funds.left > 0:
                self.apply(funds, self.terms.order, day, waive=False)
            if funds.left > 0:
                self.set_off_above_cap(funds, day)

    def set_off_above_cap(self, funds: _Funds, day: date) -> None:
        """What is left of a payment once everything due at `day` is paid, up to the interest above
        the cap of the instalments whose interest is due by then (less what was set off before), is
        that interest paid: it goes to principal as of `day`, the last instalments' first (the debt
        shortens from its end), not to interest that has yet to fall due."""
        room = sum((ln.above_cap for ln in self.lines if ln.interest_on <= day), ZERO) - self.set_off
        for line in reversed(self.lines):
            take = min(funds.left, room, line.owed[Component.PRINCIPAL])
            if take <= 0:
                continue
            line.owed[Component.PRINCIPAL] -= take
            line.paid[Component.PRINCIPAL] += take
            funds.left -= take
            room -= take
            self.set_off += take
            funds.parts[Component.PRINCIPAL] += take
            funds.lines.append(AllocationLine(line.no, Component.PRINCIPAL, take, day, above_cap=True))


def _check_inputs(
    terms: LoanTerms, rows: Sequence[InstalmentDue], events: Sequence[Payment | Waiver], as_of: date
) -> None:
    problems = [str(p) for p in validate_schedule(terms.principal, rows)]
    if rows and rows[0].due_date <= terms.disbursed_date:
        problems.append("instalments[0].due_date: not after the disbursement date")
    if early := [str(e.id) for e in events if e.value_date < terms.disbursed_date]:
        problems.append(f"payments/waivers dated before disbursement: {', '.join(early)}")
    if len({(type(e), e.id) for e in events}) != len(events):
        problems.append("payment or waiver ids are not unique")
    if as_of < terms.disbursed_date:
        problems.append(f"as_of {as_of} is before disbursement")
    if problems:
        raise ValueError("; ".join(problems))


def _event_days(
    terms: LoanTerms, lines: list[_Line], events: Sequence[Payment | Waiver], as_of: date
) -> list[date]:
    days = {as_of, *(e.value_date for e in events)}
    days |= {d for d, _ in terms.penalty_rate_changes if terms.disbursed_date < d <= as_of}
    days |= {d for d in terms.statement_days if terms.disbursed_date < d <= as_of}
    days |= {d for line in lines for d in (line.principal_on, line.interest_on) if d <= as_of}
    return sorted(days)


def compute_ledger(
    terms: LoanTerms,
    instalments: Iterable[InstalmentDue],
    payments: Iterable[Payment],
    *,
    as_of: date,
    accelerated_on: date | None = None,
    waivers: Iterable[Waiver] = (),
) -> Ledger:
    """Simulate the loan to `as_of`; payments, waivers and acceleration after it are ignored."""
    rows = list(instalments)
    pays = sorted((p for p in payments if p.value_date <= as_of), key=lambda p: p.value_date)
    cuts = sorted((w for w in waivers if w.value_date <= as_of), key=lambda w: w.value_date)
    _check_inputs(terms, rows, [*pays, *cuts], as_of)
    accel = accelerated_on if accelerated_on is not None and accelerated_on <= as_of else None
    if accel is not None and accel < terms.disbursed_date:
        raise ValueError(f"accelerated_on {accel} is before disbursement")
    starts = [terms.disbursed_date, *(row.due_date for row in rows[:-1])]
    balances = scheduled_balances(terms.principal, rows)
    lines = [_open_line(row, start, accel, terms, balance)
             for row, start, balance in zip(rows, starts, balances, strict=True)]
    sim = _Simulation(terms, lines, terms.disbursed_date)
    received: list[_Funds] = []
    forgiven: list[_Funds] = []
    for day in _event_days(terms, lines, [*pays, *cuts], as_of):
        sim.advance(day)
        sim.cap_interest(day)  # before the day's payments: they lower the balance from the next day
        sim.apply_credits(day)
        forgiven += [sim.waive(w, day) for w in cuts if w.value_date == day]
        received += [sim.receive(p, day) for p in pays if p.value_date == day]
        sim.note_balance(day)
    sim.close_all()
    sim.project_interest(as_of)
    return _ledger(lines, received, forgiven, as_of, accel, tuple(sim.accruals))


def _days_past_due(line: _Line, as_of: date) -> int:
    late = [on for c in SCHEDULED if line.owed[c] > 0 and (on := line.due_on(c)) and on <= as_of]
    return (as_of - min(late)).days if late else 0


def _status(line: _Line, as_of: date) -> InstalmentStatus:
    first_due = min(line.principal_on, line.interest_on)
    if first_due > as_of:
        return InstalmentStatus.NOT_DUE
    if sum(line.owed.values()) == 0:
        return InstalmentStatus.PAID
    if sum(line.paid.values()) > 0:
        return InstalmentStatus.PARTIAL
    return InstalmentStatus.DUE if first_due == as_of else InstalmentStatus.OVERDUE


def _position(line: _Line, as_of: date) -> InstalmentPosition:
    return InstalmentPosition(
        no=line.no,
        due_date=line.due_date,
        principal_due_date=line.principal_on,
        interest_due_date=line.interest_on,
        due=dict(line.due),
        accrued=_zeros() | {c: line.posted[c] for c in ACCRUING},
        paid=dict(line.paid),
        waived=dict(line.waived),
        outstanding=dict(line.owed),
        days_past_due=_days_past_due(line, as_of),
        status=_status(line, as_of),
        capped_interest=line.capped,
    )


def _overdue(lines: list[_Line], component: Component, as_of: date) -> Decimal:
    return sum((ln.owed[component] for ln in lines if ln.is_due(component, as_of)), ZERO)


def _ledger(
    lines: list[_Line],
    received: list[_Funds],
    forgiven: list[_Funds],
    as_of: date,
    accel: date | None,
    accruals: tuple[Accrual, ...] = (),
) -> Ledger:
    overdue = {c: _overdue(lines, c, as_of) for c in DEFAULT_ORDER}
    principal = sum((ln.owed[Component.PRINCIPAL] for ln in lines), ZERO)
    total_overdue = sum(overdue.values(), ZERO)
    positions = tuple(_position(line, as_of) for line in lines)
    return Ledger(
        as_of=as_of,
        accelerated_on=accel,
        positions=positions,
        allocations=tuple(f.frozen() for f in received),
        waivers=tuple(f.frozen() for f in forgiven),
        outstanding_principal=principal,
        overdue_principal=overdue[Component.PRINCIPAL],
        overdue_interest=overdue[Component.INTEREST],
        overdue_fee=overdue[Component.FEE],
        penalty=overdue[Component.PENALTY],
        compound=overdue[Component.COMPOUND],
        total_overdue=total_overdue,
        total_outstanding=total_overdue + principal - overdue[Component.PRINCIPAL],
        paid={c: sum((ln.paid[c] for ln in lines), ZERO) for c in DEFAULT_ORDER},
        paid_total=sum((f.source.amount for f in received), ZERO),
        unapplied=sum((f.left for f in received), ZERO),
        days_past_due=max((p.days_past_due for p in positions), default=0),
        last_payment_date=max((f.source.value_date for f in received), default=None),
        accruals=tuple(sorted(accruals, key=lambda a: (a.start, a.component != Component.PENALTY))),
    )


def missed_on_time(ledger: Ledger) -> list[InstalmentPosition]:
    """The instalments due by as_of whose scheduled amount was not paid in full by their due date,
    in order (later payments that made one up do not take it off the list)."""
    on_time: dict[int, Decimal] = {}
    due_dates = {p.no: p.due_date for p in ledger.positions}
    for allocation in ledger.allocations:
        for line in allocation.lines:
            if line.component in SCHEDULED and line.applied_on <= due_dates[line.instalment_no]:
                on_time[line.instalment_no] = on_time.get(line.instalment_no, Decimal(0)) + line.amount
    return [p for p in ledger.positions if p.due_date <= ledger.as_of
            and on_time.get(p.no, Decimal(0)) < sum((p.due[c] for c in SCHEDULED), Decimal(0))]


def first_missed(ledger: Ledger) -> InstalmentPosition | None:
    """The first instalment whose scheduled amount was not paid in full by its due date: the
    default began there (later payments that made it up do not move it)."""
    missed = missed_on_time(ledger)
    return missed[0] if missed else None
