"""Exact money: the one rounding rule, and the only way numbers enter the money layer.

Amounts are `Decimal` CNY; rates are `Decimal` fractions per year (`Decimal("0.1")` = 10 % p.a.).
Floats are refused everywhere: a float has already lost the cent it was meant to carry.
"""

from collections.abc import Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import TypeAlias

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
DAY_BASES = (360, 365)

Rate: TypeAlias = Decimal
DecimalLike: TypeAlias = Decimal | int | str


def to_decimal(value: DecimalLike) -> Decimal:
    """Convert an int, str or Decimal to a finite Decimal; floats (and bools) raise TypeError."""
    if isinstance(value, float | bool):
        raise TypeError(f"refusing {type(value).__name__} {value!r}: pass a Decimal, int or str")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, str):
        try:
            result = Decimal(value.strip())
        except InvalidOperation as exc:
            raise ValueError(f"not a decimal number: {value!r}") from exc
    else:
        raise TypeError(f"refusing {type(value).__name__}: pass a Decimal, int or str")
    if not result.is_finite():
        raise ValueError(f"not a finite number: {value!r}")
    return result


def round_money(x: Decimal) -> Decimal:
    """THE rounding rule of Dossier: half-up to whole cents."""
    if not isinstance(x, Decimal):
        raise TypeError(f"round_money takes a Decimal, got {type(x).__name__}")
    return x.quantize(CENT, rounding=ROUND_HALF_UP)


def is_cents(x: Decimal) -> bool:
    """True when `x` has no digits below the cent."""
    return x == x.quantize(CENT, rounding=ROUND_HALF_UP)


def to_money(value: DecimalLike) -> Decimal:
    """An input amount in whole cents, as a Decimal with two places; sub-cent input raises."""
    amount = to_decimal(value)
    cents = amount.quantize(CENT, rounding=ROUND_HALF_UP)  # round_money, and is_cents by comparing
    if cents != amount:
        raise ValueError(f"amount {amount} has digits below the cent")
    return cents


def to_rate(value: DecimalLike) -> Rate:
    """A non-negative annual rate as a fraction (Decimal("0.18") = 18 % p.a.)."""
    rate = to_decimal(value)
    if rate < 0:
        raise ValueError(f"rate {rate} is negative")
    return rate


def percent(value: DecimalLike) -> Rate:
    """Rate from a percentage: percent("18") == Decimal("0.18")."""
    return to_rate(to_decimal(value) / 100)


def format_rate(rate: Rate) -> str:
    """A rate as a percentage without trailing zeros: Decimal("0.154") -> "15.4%"."""
    text = f"{(rate * 100).normalize():f}"
    return f"{text}%"


def accrue(base: Decimal, annual_rate: Rate, days: int, day_basis: int) -> Decimal:
    """Simple interest on `base` for `days` days, EXACT (unrounded): the caller posts it."""
    return base * annual_rate * days / day_basis


def rate_days(base: Decimal, annual_rate: Rate, start: date, end: date,
              rate_changes: Sequence[tuple[date, Rate]] = ()) -> Decimal:
    """base × rate × days over the days after `start` up to and including `end`, EXACT and not yet
    divided by the day basis (Decimal keeps a product exact; a division would not be). The rate of
    each day is the one in force on the day before it, as the ledger counts a run of days from its
    first event: `annual_rate`, then each (date, rate) of `rate_changes` from its date on."""
    if end <= start:
        return Decimal(0)
    cuts = sorted((d, to_rate(r)) for d, r in rate_changes)
    total, day, rate = Decimal(0), start, to_rate(annual_rate)
    for since, later in cuts:
        if since <= day:
            rate = later
        elif since < end:
            total += base * rate * (since - day).days
            day, rate = since, later
    return total + base * rate * (end - day).days


def interest_for(base: Decimal, annual_rate: Rate, start: date, end: date, day_basis: int, *,
                 rate_changes: Sequence[tuple[date, Rate]] = ()) -> Decimal:
    """THE interest rule of Dossier for any run of days (a part of a period, default interest, the
    days between two statements), as the contract's day-count clause states it: the daily rate
    (annual rate ÷ the contract's day basis, 360 or 365) on `base` for the actual days after
    `start` up to and including `end` (a leap day is a day like any other), rounded once
    (`round_money`). A reader who takes the base, the rate, the dates and the day basis a document
    states recomputes the same cent."""
    return round_money(rate_days(base, annual_rate, start, end, rate_changes) / check_day_basis(day_basis))


def check_day_basis(day_basis: int) -> int:
    """Validate the day-count basis of an annual rate (360 or 365)."""
    if day_basis not in DAY_BASES:
        raise ValueError(f"day_basis must be one of {DAY_BASES}, got {day_basis!r}")
    return day_basis
