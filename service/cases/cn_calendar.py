"""A period of days under the PRC Civil Code (民法典 arts 200–204), and China's statutory rest days.

- Art. 201: a period counted in days starts on the day after the event (the start day is not counted):
  N days from X end on X + N.
- Art. 203: when the last day is a statutory rest day (法定休假日: a weekend or a public holiday), the
  period ends on the day after the rest ends. A Saturday or Sunday the State Council declares a
  working day (调休上班) is not a rest day.
- Art. 204: the parties may agree otherwise ("遇节假日不顺延"): the caller passes ``rolls=False`` only
  where the agreement records such a term. No model records one today, so every CN period rolls.

The public holidays are the State Council's schedules (国务院办公厅关于部分节假日安排的通知, one a
year; 2026's published 2025-11-04), as the ``chinesecalendar`` package (LKI/chinese-calendar) keeps
them. A year with no published schedule (later than the package's last) counts weekends only:
``has_schedule`` says so, and the case shows a warning (warnings.py).
"""

from datetime import date, timedelta
from functools import lru_cache

import chinese_calendar


@lru_cache(maxsize=1)
def _schedule_years() -> tuple[int, int]:
    days = chinese_calendar.holidays.keys()
    return min(days).year, max(days).year


def has_schedule(year: int) -> bool:
    """Whether the State Council's holiday schedule for `year` is in the data."""
    first, last = _schedule_years()
    return first <= year <= last


def is_rest_day(day: date) -> bool:
    """A statutory rest day (art. 203): a public holiday, or a weekend not declared a working day.
    In a year without a published schedule, Saturdays and Sundays only."""
    if not has_schedule(day.year):
        return day.weekday() >= 5
    return not bool(chinese_calendar.is_workday(day))


def period_end(start: date, days: int, *, rolls: bool = True) -> date:
    """The last day of a period of `days` days from the event on `start` (arts 201, 203): the
    start day is not counted; a last day on a rest day moves to the first working day after it,
    unless the parties agreed it does not (``rolls=False``, art. 204)."""
    last = start + timedelta(days=days)
    while rolls and is_rest_day(last):
        last += timedelta(days=1)
    return last


def unscheduled(*days: date) -> list[int]:
    """The years among `days` whose holiday schedule is not in the data (weekends only counted)."""
    return sorted({d.year for d in days if not has_schedule(d.year)})
