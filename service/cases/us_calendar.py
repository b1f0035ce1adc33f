"""US federal holidays (5 U.S.C. 6103), for Regulation F's assumed-receipt rule (the validation
period a document states and the escalation guard before a suit holds it to).

§ 1006.34(b)(5): a collector may assume receipt any date that is at least five days (excluding
legal public holidays, Saturdays and Sundays) after it sent the notice.
"""

from datetime import date, timedelta
from functools import lru_cache
from typing import Any


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


def _last_weekday(year: int, month: int, weekday: int) -> date:
    last = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - weekday) % 7)


def _observed(day: date) -> date:
    # A holiday on Saturday is observed on Friday, on Sunday the following Monday.
    if day.weekday() == 5:
        return day - timedelta(days=1)
    if day.weekday() == 6:
        return day + timedelta(days=1)
    return day


@lru_cache(maxsize=64)
def federal_holidays(year: int) -> frozenset[date]:
    mon, thu = 0, 3
    fixed = [date(year, 1, 1), date(year, 6, 19), date(year, 7, 4), date(year, 11, 11), date(year, 12, 25)]
    moving = [
        _nth_weekday(year, 1, mon, 3),  # Martin Luther King Jr. Day
        _nth_weekday(year, 2, mon, 3),  # Washington's Birthday
        _last_weekday(year, 5, mon),  # Memorial Day
        _nth_weekday(year, 9, mon, 1),  # Labor Day
        _nth_weekday(year, 10, mon, 2),  # Columbus Day
        _nth_weekday(year, 11, thu, 4),  # Thanksgiving Day
    ]
    return frozenset([*(_observed(d) for d in fixed), *moving])


def is_business_day(day: date) -> bool:
    # A holiday is observed on the day it is observed, even in another year: New Year's Day 2028
    # (a Saturday) is observed on Friday 2027-12-31, which is in the 2028 list.
    return day.weekday() < 5 and day not in federal_holidays(day.year) | federal_holidays(day.year + 1)


def add_business_days(start: date, days: int) -> date:
    day = start
    while days > 0:
        day += timedelta(days=1)
        if is_business_day(day):
            days -= 1
    return day


def validation_period_end(sent: date, rules: Any) -> date:
    """§ 1006.34(b)(5): receipt assumed 5 business days (federal holidays as observed) after
    sending, then 30 days (US-06)."""
    params = rules.rule("US-06").params
    return add_business_days(sent, int(params["assumed_receipt_business_days"])) + timedelta(
        days=int(params["validation_days"]))
