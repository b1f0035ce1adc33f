"""Limitation period (诉讼时效) of an instalment debt.

民法典 art. 189: for a debt payable in instalments the period runs from the due date of the last
instalment (pass the acceleration date instead when the whole debt fell due early). Art. 195: a
demand delivered, the obligor's agreement to perform or a part payment restarts it. Arts 201–202:
the start day is not counted and the period ends on the corresponding date (Feb 29 → Feb 28).
Art. 203 (a last day on a public holiday moves to the next working day) needs a holiday calendar
and is not applied: the date returned is the conservative one.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

DEFAULT_YEARS = 3


@dataclass(frozen=True, slots=True)
class Limitation:
    accrual_date: date  # the period runs from the day after
    last_interruption: date | None  # the interruption that started the current period
    expires_on: date  # the last day on which suit is in time
    ignored: tuple[date, ...] = ()  # interruptions before accrual or after expiry


def add_years(day: date, years: int) -> date:
    """The corresponding date `years` later; Feb 29 becomes Feb 28 in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def limitation(
    *, last_due_date: date, interruptions: Iterable[date], years: int = DEFAULT_YEARS
) -> Limitation:
    """The current period after applying every interruption in date order.

    An interruption on or before `last_due_date` changes nothing (the period had not started);
    one after the period expired cannot revive it (art. 192 on a later acknowledgement is a
    separate defence question) and is reported in `ignored`.
    """
    if years < 1:
        raise ValueError("years must be at least 1")
    start, last, ignored = last_due_date, None, []
    for day in sorted(set(interruptions)):
        if last_due_date < day <= add_years(start, years):
            start, last = day, day
        else:
            ignored.append(day)
    return Limitation(last_due_date, last, add_years(start, years), tuple(ignored))


def is_time_barred(lim: Limitation, on: date) -> bool:
    """True when suit filed on `on` is out of time."""
    return on > lim.expires_on
