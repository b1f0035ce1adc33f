"""Repayment schedules: build them from loan terms, validate imported ones.

Monthly methods use the monthly rate annual/12 for every period (the convention of CN consumer
loan contracts); only `bullet` counts days. Each interest part is rounded once, and the last
instalment absorbs the rounding so principal parts always sum exactly to the principal.
"""

from calendar import monthrange
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Protocol

from service.cases.money import (
    CENT,
    ZERO,
    DecimalLike,
    Rate,
    check_day_basis,
    interest_for,
    is_cents,
    round_money,
    to_decimal,
    to_money,
    to_rate,
)


class RepaymentMethod(StrEnum):
    EQUAL_INSTALMENT = "equal_instalment"  # 等额本息
    EQUAL_PRINCIPAL = "equal_principal"  # 等额本金
    BULLET = "bullet"  # 到期一次性还本付息
    INTEREST_ONLY_BULLET = "interest_only_bullet"  # 按月付息到期还本


@dataclass(frozen=True, slots=True)
class ScheduledInstalment:
    """One instalment of a schedule; amounts are coerced to Decimal (floats raise TypeError)."""

    no: int
    due_date: date
    principal: Decimal
    interest: Decimal
    fee: Decimal = ZERO

    def __post_init__(self) -> None:
        for name in ("principal", "interest", "fee"):
            object.__setattr__(self, name, to_decimal(getattr(self, name)))

    @property
    def total(self) -> Decimal:
        return self.principal + self.interest + self.fee


class InstalmentLike(Protocol):
    @property
    def no(self) -> int: ...
    @property
    def due_date(self) -> date: ...
    @property
    def principal(self) -> Decimal: ...
    @property
    def interest(self) -> Decimal: ...
    @property
    def fee(self) -> Decimal: ...


@dataclass(frozen=True, slots=True)
class ScheduleProblem:
    """Why a schedule is refused; `field` is the path the API names in its 422."""

    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


Parts = list[tuple[Decimal, Decimal]]  # (principal, interest) per period


def add_months(anchor: date, months: int) -> date:
    """`anchor` plus `months`, keeping its day of month clamped to month end (Jan 31 -> Feb 28)."""
    years, month0 = divmod(anchor.month - 1 + months, 12)
    year, month = anchor.year + years, month0 + 1
    return date(year, month, min(anchor.day, monthrange(year, month)[1]))


def split_evenly(total: Decimal, parts: int) -> list[Decimal]:
    """Split whole cents into `parts` equal shares; the last share takes the leftover cents."""
    cents = int(total / CENT)
    share, leftover = divmod(cents, parts)
    shares = [share] * (parts - 1) + [share + leftover]
    return [Decimal(c) * CENT for c in shares]


def _level_payment(principal: Decimal, monthly: Rate, periods: int) -> Decimal:
    if monthly == 0:
        return round_money(principal / periods)
    growth = (1 + monthly) ** periods
    return round_money(principal * monthly * growth / (growth - 1))


def _equal_instalment(principal: Decimal, monthly: Rate, periods: int) -> Parts:
    payment = _level_payment(principal, monthly, periods)
    balance, rows = principal, []
    for k in range(periods):
        interest = round_money(balance * monthly)
        part = balance if k == periods - 1 else min(max(payment - interest, ZERO), balance)
        rows.append((part, interest))
        balance -= part
    return rows


def _equal_principal(principal: Decimal, monthly: Rate, periods: int) -> Parts:
    balance, rows = principal, []
    for part in split_evenly(principal, periods):
        rows.append((part, round_money(balance * monthly)))
        balance -= part
    return rows


def _interest_only(principal: Decimal, monthly: Rate, periods: int) -> Parts:
    interest = round_money(principal * monthly)
    return [(ZERO, interest)] * (periods - 1) + [(principal, interest)]


_MONTHLY: dict[RepaymentMethod, Callable[[Decimal, Rate, int], Parts]] = {
    RepaymentMethod.EQUAL_INSTALMENT: _equal_instalment,
    RepaymentMethod.EQUAL_PRINCIPAL: _equal_principal,
    RepaymentMethod.INTEREST_ONLY_BULLET: _interest_only,
}


def build_schedule(
    *,
    principal: DecimalLike,
    annual_rate: DecimalLike,
    periods: int,
    first_due_date: date,
    method: RepaymentMethod | str,
    day_basis: int = 360,
    start_date: date,
) -> list[ScheduledInstalment]:
    """Build the schedule of a loan disbursed on `start_date` (bullet: `periods` must be 1)."""
    amount, rate = to_money(principal), to_rate(annual_rate)
    method = RepaymentMethod(method)
    check_day_basis(day_basis)
    if amount <= 0 or periods < 1 or first_due_date <= start_date:
        raise ValueError("need principal > 0, periods >= 1 and first_due_date after start_date")
    if method is RepaymentMethod.BULLET:
        if periods != 1:
            raise ValueError("a bullet loan has exactly one instalment (periods=1)")
        parts = [(amount, interest_for(amount, rate, start_date, first_due_date, day_basis))]
    else:
        parts = _MONTHLY[method](amount, rate / 12, periods)
    return [
        ScheduledInstalment(k + 1, add_months(first_due_date, k), part, interest)
        for k, (part, interest) in enumerate(parts)
    ]


def _row_problems(
    k: int, row: InstalmentLike, previous: InstalmentLike | None
) -> list[tuple[str, str]]:
    found = []
    if row.no != k + 1:
        found.append(("no", f"expected {k + 1}, got {row.no} (numbering must run 1, 2, 3 …)"))
    if previous is not None and row.due_date <= previous.due_date:
        found.append(("due_date", f"{row.due_date} is not after {previous.due_date}"))
    for name in ("principal", "interest", "fee"):
        value: Decimal = getattr(row, name)
        if value < 0:
            found.append((name, f"negative amount {value}"))
        elif not is_cents(value):
            found.append((name, f"amount {value} has digits below the cent"))
    return found


def validate_schedule(
    principal: DecimalLike, instalments: Sequence[InstalmentLike]
) -> list[ScheduleProblem]:
    """Every problem of an imported schedule, each naming its field; empty when it is sound."""
    if not instalments:
        return [ScheduleProblem("instalments", "the schedule has no instalments")]
    problems = []
    for k, row in enumerate(instalments):
        previous = instalments[k - 1] if k else None
        for name, message in _row_problems(k, row, previous):
            problems.append(ScheduleProblem(f"instalments[{k}].{name}", message))
    total = sum((row.principal for row in instalments), ZERO)
    expected = to_decimal(principal)
    if total != expected:
        problems.append(
            ScheduleProblem("instalments.principal", f"parts sum to {total}, not {expected}")
        )
    return problems
