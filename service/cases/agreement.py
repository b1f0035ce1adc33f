"""A signed repayment agreement as part of the ledger.

From the acknowledgement date (the agreement's as-of date) the agreement, not the contract, says
what is owed. The same rules hold for every plan type; what differs is in ``AgreementTerms``:

- **basis**: the itemised amount acknowledged at signing (principal, interest, penalty with
  compound, fees) — 民法典 art. 195 makes it an acknowledgement.
- **what falls due**: the plan instalments. Payments dated after the acknowledgement fill them
  oldest first (民法典 art. 560: the debt due first), and within an instalment reduce what it pays
  in the contract's allocation order (else 民法典 art. 561: fees, penalty, interest, principal).
  An instalment pays part of the arrears (what was due at the acknowledgement, in that order) and,
  where the plan keeps the loan's principal not yet due on the loan's own dates, that principal
  (``PlanDue.principal``), last: a payment of the instalment that pays the loan's principal on its
  date pays that principal, not acknowledged interest that later instalments pay (review US-00010:
  the $17,600 paid on the loan's due date went $222.62 to interest of instalments not yet due, and
  the $74.24 of interest left unpaid was then called principal and bore interest). Once the default
  clause applies everything unpaid is due, and payments go in that order over all of it. No
  contract interest or penalty runs while the plan runs (the agreement's interest clause; the API
  records no plan rate).
- **instalments (分期)**: the acknowledged debt in instalments.
- **extension (展期)**: the same debt on moved due dates — the plan's instalments are the new dates.
- **interest suspension (停息挂账)**: contract interest stops for the plan's period; it is counted,
  at the contract rate capped, on the unpaid principal, so that the default clause can revive it. It
  is counted in spans as the default penalty is (``AgreementPosition.suspended_accruals``): a span is
  the days on one principal balance, rounded once, ending where a payment changes the balance and
  on the plan's last due date (the agreement states the interest suspended to that day, so its
  figure is the sum of the spans up to it); the suspended interest is the sum of its spans.
- **conditional partial waiver**: the waived part (penalty first, then interest, fees, principal)
  is held — not payable — while the plan runs; a conditional waiver revives on breach, an
  unconditional one never does.
- **contract interest to come** (``interest_waived``): a plan that charges no interest while it
  runs (extension, instalments, partial waiver) gives up the interest the contract schedules after
  the acknowledgement. The agreement states the amount (its interest clause) and waives it on
  condition of performance: it is held, never payable, while the plan runs; on an uncured breach
  the default clause revives what the contract would have charged had it been accelerated on the
  acceleration date (each period due by then in full, the running one for its days up to it by
  the contract's day count, as the contract's own acceleration cuts unaccrued interest:
  ledger.part_period_interest); later periods never accrue, the default penalty runs instead.

On breach not cured in time, the acceleration date is the day after the cure deadline, and the
default clause (rule PLAN-01 of the profile's rule set, clause number cited) decides: everything
unpaid falls due at once; the conditional waiver revives; suspended interest revives; and the
contract penalty rate (capped) runs on the unpaid principal from the acceleration date until
payment. The days (review R-14): the acceleration date is the default penalty's first day;
suspended and revived contract interest run up to and including the day before it; no day bears
both. A day counts at its end (``_State.advance``), so the clause takes effect at the end of the
cure deadline, after that day's payments. Every run of days is interest by the contract's day
count (money.interest_for). The default penalty accrues in runs, by the loan ledger's one rule
(ledger.Accrual, ``AgreementPosition.accruals``): a run is the days the penalty accrues on one base
(the unpaid principal) at one rate, rounded once; it ends where a payment changes the base, the
rate changes (a cap that changes, ``DefaultClause.rate_changes``) or a notice states the balance
(``AgreementTerms.statement_days``), and the acceleration date closes the first (the breach notice
states what falls due on it, that day's penalty included). A plan instalment falling due after
the acceleration date ends none: the default clause made everything unpaid due on it, so no base
changes there (as the loan's instalments after its acceleration end no run). Each run is base ×
rate × days ÷ day basis to the cent, and the penalty is the sum of its runs, so a table of them
adds up to it. The identity every position keeps, to the cent:

    outstanding = acknowledged − waiver held − paid under the plan + revived + penalty

where revived counts the contract interest to come revived too (it was never acknowledged, so it
is not in the waiver held).
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from service.cases.ledger import Accrual, Component, LoanTerms, Payment, PaymentId, part_period_interest
from service.cases.money import ZERO, Rate, check_day_basis, round_money, to_money, to_rate

# The components an agreement acknowledges (compound interest is acknowledged with the penalty).
PARTS = (Component.FEE, Component.PENALTY, Component.INTEREST, Component.PRINCIPAL)
ART_561 = PARTS
WAIVER_ORDER = (Component.PENALTY, Component.INTEREST, Component.FEE, Component.PRINCIPAL)


class Revival(StrEnum):
    WAIVER = "waiver"  # a conditional waiver
    SUSPENDED_INTEREST = "suspended_interest"  # interest stopped by 停息挂账
    INTEREST_WAIVER = "interest_waiver"  # contract interest to come, waived on condition of performance


@dataclass(frozen=True, slots=True)
class InterestPeriod:
    """One contract period's interest that falls due after the acknowledgement and that the
    agreement does not charge: accruing from `start` (the period's start) to `due_date` on the
    principal `balance` at the rate and day basis of `loan`. Under a rate cap (accounts.
    interest_waived_of) `amount` is the lawful ledger's (ledger.CappedInterest: at most the cap on
    the principal not yet due, lowered by earlier set-offs of interest paid above the cap),
    `balance` that principal and the rate at most the cap, so the running period's part on
    acceleration is within the cap too."""

    start: date
    due_date: date
    amount: Decimal
    balance: Decimal
    loan: LoanTerms
    no: int = 0  # the loan contract's instalment the period's interest falls due with

    def up_to(self, day: date) -> Decimal:
        """What the contract charges of it when accelerated on `day`, its days up to and including
        the day before: all of it once due, the running period for its days from `start` to the day
        before `day` (ledger.part_period_interest, as the contract's acceleration cuts it), nothing
        of a later one."""
        if self.due_date <= day:
            return self.amount
        if day <= self.start:
            return ZERO
        return part_period_interest(self.amount, self.balance, self.loan, self.start, day)


@dataclass(frozen=True, slots=True)
class RevivedPeriod:
    """What the default clause revived of one period of the contract interest to come
    (``InterestPeriod.up_to`` the acceleration date): `amount` of the period's `period.amount` the
    agreement waived; `days` the days it covers where only part of the period is revived (the
    running one: from its start up to and including `last_day`, the day before the acceleration
    date), None where the period fell due by then and is revived whole."""

    period: InterestPeriod
    amount: Decimal
    last_day: date
    days: int | None


def revived_periods(periods: Iterable[InterestPeriod], on: date) -> tuple[RevivedPeriod, ...]:
    """The contract interest to come an acceleration on `on` revives, period by period (only those
    it revives something of): the one rule ``_State.accelerate`` sums."""
    out = []
    for p in periods:
        amount = p.up_to(on)
        if amount:
            whole = p.due_date <= on
            out.append(RevivedPeriod(p, amount, p.due_date - timedelta(days=1) if whole else on - timedelta(days=1),
                                     None if whole else (on - p.start).days))
    return tuple(out)


@dataclass(frozen=True, slots=True)
class DefaultClause:
    """What the agreement's default clause decides on an uncured breach."""

    clause_no: int  # the clause of the agreement that says so (cited on documents)
    revives: frozenset[Revival]
    # The rate the agreement charges from the acceleration date, on the unpaid principal: the
    # contract's, which its default clause applies again, or, where the contract's was above the cap
    # in force when the agreement was signed, the rate the agreement itself set in its place
    # (``rate_item``). Capped again by the caller (a cap that falls later).
    penalty_rate: Rate
    # The loan contract's clause that gives the contract's rate (a key of its clause_refs): where the
    # agreement applies that rate again, the rate is cited to the contract's clause.
    rate_clause: str = ""
    # The item of the default clause that states the agreement's own rate (第四条第3项), 0 where the
    # agreement applies the contract's rate: after signing the agreement's rate is the agreed one,
    # and what the contract said above it was never charged (no cap reduction of the agreement's terms).
    rate_item: int = 0
    # Later rates, each from its date on (the cap that bounds the rate changes, 民间借贷规定 art. 31).
    rate_changes: tuple[tuple[date, Rate], ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "rate_changes", tuple(sorted((d, to_rate(r)) for d, r in self.rate_changes)))

    def rate_on(self, day: date) -> Rate:
        rate = self.penalty_rate
        for since, later in self.rate_changes:
            if since <= day:
                rate = later
        return rate


@dataclass(frozen=True, slots=True)
class PlanDue:
    no: int
    due_date: date
    amount: Decimal
    # of `amount`, the acknowledged principal not yet due under the loan that the plan keeps on the
    # loan's own date (AgreementTerms.principal_not_due, this instalment's part): paid last in it
    principal: Decimal = ZERO


@dataclass(frozen=True, slots=True)
class AgreementTerms:
    ref: str  # the agreement number
    kind: str  # enums.PlanType value
    acknowledged_on: date  # the date the acknowledged debt is computed at
    signed_date: date
    acknowledged: Mapping[Component, Decimal]  # FEE, PENALTY, INTEREST, PRINCIPAL
    waived: Decimal
    waiver_conditional: bool
    instalments: tuple[PlanDue, ...]
    grace_days: int
    cure_days: int
    default: DefaultClause
    # the interest 停息挂账 stops and revives on breach (0 for other kinds): the contract's rate, or the
    # rate the agreement set in its place (its default clause's `suspended_item`); capped by the caller
    suspended_rate: Rate
    day_basis: int = 360
    order: tuple[Component, ...] = ART_561
    acknowledgement_clause: int = 1  # the clauses cited for the acknowledged debt and the waiver
    waiver_clause: int = 2
    # Of the acknowledged principal, what the contract makes due later and the plan keeps on those
    # dates: acknowledged as owed, not as due (it is in the plan's instalments all the same).
    principal_not_due: Decimal = ZERO
    # The contract interest to come the plan does not charge, period by period (see the module);
    # stated in the agreement's interest clause.
    interest_waived: tuple[InterestPeriod, ...] = ()
    interest_clause: int = 3
    # Days a notice stated the balance to the borrower: each closes a run of the default penalty,
    # rounded once (see the module); the acceleration date always does.
    statement_days: tuple[date, ...] = ()
    # the item of the default clause that states the rate suspended interest revives at, where the
    # agreement set its own (the contract's above the cap at signing); 0: the contract's rate
    suspended_item: int = 0

    def __post_init__(self) -> None:
        ack = {c: to_money(self.acknowledged.get(c, ZERO)) for c in PARTS}
        object.__setattr__(self, "acknowledged", ack)
        object.__setattr__(self, "waived", to_money(self.waived))
        object.__setattr__(self, "suspended_rate", to_rate(self.suspended_rate))
        check_day_basis(self.day_basis)
        order = tuple(c for c in self.order if c in PARTS)
        if sorted(order) != sorted(PARTS):
            raise ValueError(f"order must name each of {[c.value for c in PARTS]} once")
        object.__setattr__(self, "order", order)
        if any(v < 0 for v in ack.values()) or self.waived < 0:
            raise ValueError(f"agreement {self.ref}: acknowledged amounts and the waiver cannot be negative")
        if self.waived > sum(ack.values(), ZERO):
            raise ValueError(f"agreement {self.ref}: the waiver {self.waived} exceeds the acknowledged debt")
        if not self.instalments:
            raise ValueError(f"agreement {self.ref}: no instalments")
        if any(p.amount < 0 for p in self.interest_waived):
            raise ValueError(f"agreement {self.ref}: the interest waived cannot be negative")
        if any(not ZERO <= i.principal <= i.amount for i in self.instalments) or \
                sum((i.principal for i in self.instalments), ZERO) > self.acknowledged[Component.PRINCIPAL]:
            raise ValueError(f"agreement {self.ref}: an instalment's principal is more than it or than the "
                             "principal acknowledged")

    @property
    def acknowledged_total(self) -> Decimal:
        return sum(self.acknowledged.values(), ZERO)

    @property
    def plan_total(self) -> Decimal:
        return sum((i.amount for i in self.instalments), ZERO)

    @property
    def revives_waiver(self) -> bool:
        return self.waiver_conditional and Revival.WAIVER in self.default.revives

    @property
    def interest_waived_total(self) -> Decimal:
        return sum((p.amount for p in self.interest_waived), ZERO)

    @property
    def revives_interest_waiver(self) -> bool:
        return Revival.INTEREST_WAIVER in self.default.revives

    @property
    def suspends_interest(self) -> bool:
        return Revival.SUSPENDED_INTEREST in self.default.revives and self.suspended_rate > 0

    def waiver_split(self) -> dict[Component, Decimal]:
        """Which acknowledged components the waiver holds back: penalty first."""
        left, split = self.waived, dict.fromkeys(PARTS, ZERO)
        for c in WAIVER_ORDER:
            take = min(left, self.acknowledged[c])
            split[c], left = take, left - take
        return split


@dataclass(frozen=True, slots=True)
class PlanInstalmentPosition:
    no: int
    due_date: date
    amount: Decimal
    paid: Decimal
    days_late: int  # 0 when paid in full or not yet due

    @property
    def outstanding(self) -> Decimal:
        return self.amount - self.paid


@dataclass(frozen=True, slots=True)
class PlanAllocation:
    """Where one payment under the agreement went, by component (``parts``: the amounts it applied,
    in the agreement's order, nonzero only); ``sum(parts) + unapplied == amount``, exactly. The
    parts over every payment are the position's ``paid``: what the claim reconciles as paid under
    the plan."""

    payment_id: PaymentId
    value_date: date
    amount: Decimal
    parts: Mapping[Component, Decimal]
    unapplied: Decimal  # beyond everything owed when it was paid


@dataclass(frozen=True, slots=True)
class AgreementPosition:
    """Where the agreement stands at `as_of` (see the module's identity)."""

    terms: AgreementTerms
    as_of: date
    accelerated_on: date | None  # None: not accelerated at as_of
    waiver_held: Mapping[Component, Decimal]  # not payable while the plan runs; zero once revived
    paid: Mapping[Component, Decimal]  # payments applied under the agreement, by component
    paid_total: Decimal  # applied
    unapplied: Decimal  # paid beyond everything owed
    payments: int  # how many payments were made under the agreement
    last_payment_date: date | None
    suspended_interest: Decimal  # counted from the acknowledgement to as_of or acceleration
    revived_waiver: Decimal
    revived_interest: Decimal
    penalty: Decimal  # default penalty posted from the acceleration date to as_of: the sum of `accruals`
    outstanding: Mapping[Component, Decimal]
    instalments: tuple[PlanInstalmentPosition, ...]
    principal_after: tuple[tuple[date, Decimal], ...] = field(default=())  # principal balance changes
    # The contract interest to come the agreement waives on condition: held (not payable) while the
    # plan runs; on breach what the default clause revives of it (to the day before the acceleration date).
    interest_waiver_held: Decimal = ZERO
    revived_interest_waiver: Decimal = ZERO
    # the same period by period (``revived_periods``): they add up to revived_interest_waiver
    revived_interest_periods: tuple[RevivedPeriod, ...] = ()
    # the runs the default penalty accrued in, in date order (ledger.Accrual; `instalments` empty:
    # the base is the unpaid principal, not a set of the plan's instalments)
    accruals: tuple[Accrual, ...] = ()
    # the spans the suspended interest was counted in (Component.INTEREST runs of the same shape),
    # in date order; they add up to `suspended_interest`
    suspended_accruals: tuple[Accrual, ...] = ()
    # each payment under the agreement, as applied, in the order applied: their parts add up to `paid`
    allocations: tuple[PlanAllocation, ...] = ()

    @property
    def total(self) -> Decimal:
        return sum(self.outstanding.values(), ZERO)

    @property
    def revived(self) -> Decimal:
        return self.revived_waiver + self.revived_interest + self.revived_interest_waiver

    @property
    def held(self) -> Decimal:
        return sum(self.waiver_held.values(), ZERO)

    @property
    def breached(self) -> bool:
        return self.accelerated_on is not None

    @property
    def penalty_days(self) -> int:
        """The days the default penalty ran to `as_of`, as the ledger charged them (R-14): from the
        acceleration date, its first day, to `as_of`, both counted; 0 before acceleration: the days
        of default interest, which every statement of account prints for an instalment the
        acceleration made due (the CN claim statement's 已提前到期（N天）, the US "accelerated (N
        days)"): the days it was charged for, one more than PlanInstalmentPosition.days_late (the
        days after the acceleration date)."""
        return (self.as_of - default_clause_switch(self.accelerated_on)).days if self.accelerated_on else 0

    def late_beyond(self, days: int) -> list[PlanInstalmentPosition]:
        return [i for i in self.instalments if i.days_late > days]


class _State:
    """The running state of one agreement between events (payments, acceleration, as_of)."""

    def __init__(self, terms: AgreementTerms, start: date) -> None:
        self.terms = terms
        held = terms.waiver_split()
        self.owed = {c: terms.acknowledged[c] - held[c] for c in PARTS}
        self.held, self.paid = held, dict.fromkeys(PARTS, ZERO)
        self.clock, self.accelerated = start, False
        # the suspended interest's open span (start, end, base) and its base × rate × days, exact:
        # divided by the day basis only when rounded, as the ledger does (ee74841): dividing each
        # segment first loses a total of exactly half a cent (20.004999… for 20.005); the closed spans
        self.span: tuple[date, date, Decimal] | None = None
        self.span_exact = Decimal(0)
        self.suspended_spans: list[Accrual] = []
        self.penalty_posted = ZERO
        # the default penalty's open run (start, end, base, rate), its exact total (not yet ÷ day
        # basis) and what of it is posted; the closed runs
        self.run: tuple[date, date, Decimal, Rate] | None = None
        self.run_exact, self.run_posted = Decimal(0), ZERO
        self.accruals: list[Accrual] = []
        self.unapplied, self.principal_steps = ZERO, [(start, self.owed[Component.PRINCIPAL])]
        self.revived_periods: tuple[RevivedPeriod, ...] = ()
        # what payments have filled of the plan's instalments (oldest first), and of the principal
        # the instalments pay on the loan's own dates, what is still unpaid
        self.filled = ZERO
        self.principal_kept = sum((i.principal for i in terms.instalments), ZERO)

    def advance(self, day: date) -> None:
        days = (day - self.clock).days
        if days > 0:
            base = self.owed[Component.PRINCIPAL]
            if self.accelerated:
                self._accrue_penalty(base, self.terms.default.rate_on(self.clock), day, days)
            elif self.terms.suspends_interest:
                self._count_suspended(base, day, days)
        self.clock = max(self.clock, day)

    def _count_suspended(self, base: Decimal, day: date, days: int) -> None:
        """The suspended interest over [clock, day): the open span goes on while its base does (and
        nothing closed it), else a new one starts."""
        if self.span is not None and (self.span[2] != base or self.span[1] != self.clock):
            self.close_span()
        if base <= 0:
            return
        start = self.span[0] if self.span is not None else self.clock
        self.span = (start, day, base)
        self.span_exact += base * self.terms.suspended_rate * days

    def close_span(self) -> None:
        """End the suspended interest's open span (a new base, the plan's last due date, the
        acceleration): record it, rounded once."""
        amount = round_money(self.span_exact / self.terms.day_basis)
        if self.span is not None and amount:
            start, end, base = self.span
            self.suspended_spans.append(Accrual(Component.INTEREST, start, end, base, self.terms.suspended_rate,
                                                amount, ()))
        self.span, self.span_exact = None, Decimal(0)

    def _accrue_penalty(self, base: Decimal, rate: Rate, day: date, days: int) -> None:
        """The default penalty over [clock, day): the open run goes on while its base and rate do
        (and no statement closed it), else a new one starts; the run's exact total rounded once
        is what it has posted (ledger._Simulation.advance, the one rule)."""
        if self.run is not None and (self.run[2] != base or self.run[3] != rate or self.run[1] != self.clock):
            self.close_run()
        if base <= 0:
            return
        start = self.run[0] if self.run is not None else self.clock
        self.run = (start, day, base, rate)
        self.run_exact += base * rate * days
        target = round_money(self.run_exact / self.terms.day_basis)
        posting, self.run_posted = target - self.run_posted, target
        self.penalty_posted += posting
        self.owed[Component.PENALTY] += posting

    def close_run(self) -> None:
        """End the penalty's open run (a statement, the acceleration date, or a new base or rate):
        record it, and start the next at 0."""
        if self.run is not None and self.run_posted:
            start, end, base, rate = self.run
            self.accruals.append(Accrual(Component.PENALTY, start, end, base, rate, self.run_posted, ()))
        self.run, self.run_exact, self.run_posted = None, Decimal(0), ZERO

    def suspended_interest(self) -> Decimal:
        """The interest 停息挂账 stopped so far: its spans, each to the cent (the open one too)."""
        open_span = round_money(self.span_exact / self.terms.day_basis)
        return sum((a.amount for a in self.suspended_spans), open_span)

    def pay(self, payment: Payment) -> PlanAllocation:
        """A payment: before the default clause applies, to the plan's instalments (``_fill_instalments``);
        what they do not take, and every payment after it, in the allocation order over all owed.
        Returns where it went."""
        before = dict(self.paid)
        amount = payment.amount
        if not self.accelerated:
            amount = self._fill_instalments(amount)
        amount = self._apply(amount, self.terms.order, all_of_principal=True)
        self.unapplied += amount
        self.principal_steps.append((self.clock, self.owed[Component.PRINCIPAL]))
        parts = {c: self.paid[c] - before[c] for c in self.terms.order if self.paid[c] != before[c]}
        return PlanAllocation(payment.id, payment.value_date, payment.amount, parts, amount)

    def _fill_instalments(self, amount: Decimal) -> Decimal:
        """`amount` to the instalments, oldest first; within one, to its part of the arrears in the
        allocation order, then to the principal it pays on the loan's date. Returns what none of
        them took (beyond the plan, or beyond what the owed components hold)."""
        left, spill, start = amount, ZERO, ZERO
        for inst in self.terms.instalments:
            if left <= 0:
                break  # nothing left to place: the later instalments take nothing
            end, arrears_end = start + inst.amount, start + inst.amount - inst.principal
            start = end
            if end <= self.filled:
                continue  # filled by earlier payments (applying nothing to it changes nothing)
            to_arrears = min(left, max(arrears_end - self.filled, ZERO))
            to_principal = min(left - to_arrears, max(end - max(self.filled, arrears_end), ZERO))
            if to_arrears:
                spill += self._apply(to_arrears, self.terms.order, all_of_principal=False)
            if to_principal:
                rest = self._apply(to_principal, (Component.PRINCIPAL,), all_of_principal=True)
                self.principal_kept -= to_principal - rest
                spill += rest
            self.filled += to_arrears + to_principal
            left -= to_arrears + to_principal
        return left + spill

    def _apply(self, amount: Decimal, order: Sequence[Component], *, all_of_principal: bool) -> Decimal:
        """`amount` to the owed components in `order`; principal only the part the instalments do not
        keep for the loan's dates unless `all_of_principal`. Returns what they could not take."""
        for c in order:
            room = self.owed[c]
            if c is Component.PRINCIPAL and not all_of_principal:
                room = max(room - self.principal_kept, ZERO)
            take = min(amount, room)
            self.owed[c] -= take
            self.paid[c] += take
            amount -= take
        return amount

    def accelerate(self, on: date) -> tuple[Decimal, Decimal, Decimal]:
        """The default clause, at the end of the day before the acceleration date `on`: revive what it
        revives (the contract interest to come up to the day before `on`); the penalty runs from `on`."""
        self.accelerated = True
        waiver = sum(self.held.values(), ZERO) if self.terms.revives_waiver else ZERO
        if waiver:
            for c in PARTS:
                self.owed[c] += self.held[c]
            self.held = dict.fromkeys(PARTS, ZERO)
        interest = self.suspended_interest() if self.terms.suspends_interest else ZERO
        self.close_span()
        self.revived_periods = revived_periods(self.terms.interest_waived, on) if self.terms.revives_interest_waiver \
            else ()
        to_come = sum((p.amount for p in self.revived_periods), ZERO)
        self.owed[Component.INTEREST] += interest + to_come
        return waiver, interest, to_come


def _fill(terms: AgreementTerms, pays: Sequence[Payment], as_of: date,
          accelerated_on: date | None = None) -> tuple[PlanInstalmentPosition, ...]:
    """Payments under the agreement fill its instalments oldest first. An unpaid instalment's days
    late are the days after the day it fell due to `as_of`: its due date, or the acceleration date
    where that made it due sooner (as the loan ledger counts an accelerated instalment's, and the
    documents' "Days late": review US-00013, 41 for an acceleration date's own day beside 61 after
    a due date)."""
    pool, lines = sum((p.amount for p in pays), ZERO), []
    for inst in terms.instalments:
        paid = min(pool, inst.amount)
        pool -= paid
        fell_due = min(inst.due_date, accelerated_on) if accelerated_on is not None else inst.due_date
        late = (as_of - fell_due).days if paid < inst.amount and fell_due < as_of else 0
        lines.append(PlanInstalmentPosition(inst.no, inst.due_date, inst.amount, paid, max(late, 0)))
    return tuple(lines)


def default_clause_switch(accelerated_on: date) -> date:
    """The default clause takes effect at the end of the day before the acceleration date (R-14): the
    ledger's clock for the default penalty starts there, so the acceleration date is its first day."""
    return accelerated_on - timedelta(days=1)


def agreement_position(
    terms: AgreementTerms,
    payments: Iterable[Payment],
    *,
    as_of: date,
    accelerated_on: date | None = None,
) -> AgreementPosition:
    """The agreement at `as_of`: payments dated after the acknowledgement and up to `as_of` count;
    the default clause applies from `accelerated_on` when that is on or before `as_of`."""
    if as_of < terms.acknowledged_on:
        raise ValueError(f"as_of {as_of} is before the agreement's acknowledgement ({terms.acknowledged_on})")
    if accelerated_on is not None and accelerated_on <= terms.acknowledged_on:
        raise ValueError(f"accelerated_on {accelerated_on} is not after the acknowledgement ({terms.acknowledged_on})")
    pays = sorted((p for p in payments if terms.acknowledged_on < p.value_date <= as_of), key=lambda p: p.value_date)
    accel = accelerated_on if accelerated_on is not None and accelerated_on <= as_of else None
    switch = default_clause_switch(accel) if accel is not None else None
    state = _State(terms, terms.acknowledged_on)
    revived_waiver = revived_interest = revived_to_come = ZERO
    suspended = ZERO
    allocations: list[PlanAllocation] = []
    closing = {d for d in (*terms.statement_days, *([accel] if accel else [])) if terms.acknowledged_on < d <= as_of}
    changes = {d for d, _ in terms.default.rate_changes if terms.acknowledged_on < d <= as_of}
    last_due = max(i.due_date for i in terms.instalments)
    plan_end = {last_due} if terms.acknowledged_on < last_due <= as_of else set()
    for day in sorted({as_of, *(p.value_date for p in pays), *([switch] if switch else []), *closing, *changes,
                       *plan_end}):
        state.advance(day)
        if day in closing:
            state.close_run()
        if day == last_due:
            state.close_span()
        for p in (p for p in pays if p.value_date == day):
            allocations.append(state.pay(p))
        if switch == day and accel is not None and not state.accelerated:
            suspended = state.suspended_interest()
            revived_waiver, revived_interest, revived_to_come = state.accelerate(accel)
    if not state.accelerated:
        suspended = state.suspended_interest()
    state.close_run()
    state.close_span()
    applied = sum(state.paid.values(), ZERO)
    return AgreementPosition(
        terms=terms, as_of=as_of, accelerated_on=accel, waiver_held=dict(state.held), paid=dict(state.paid),
        paid_total=applied, unapplied=state.unapplied, payments=len(pays),
        last_payment_date=pays[-1].value_date if pays else None, suspended_interest=suspended,
        revived_waiver=revived_waiver, revived_interest=revived_interest, penalty=state.penalty_posted,
        outstanding=dict(state.owed), instalments=_fill(terms, pays, as_of, accel),
        principal_after=tuple(state.principal_steps),
        interest_waiver_held=ZERO if state.accelerated and terms.revives_interest_waiver
        else terms.interest_waived_total,
        revived_interest_waiver=revived_to_come, revived_interest_periods=state.revived_periods,
        accruals=tuple(state.accruals), suspended_accruals=tuple(state.suspended_spans),
        allocations=tuple(allocations),
    )
