"""A CN period of days (民法典 arts 201, 203, 204): cn_calendar.period_end, on the State Council's
holiday schedules (chinesecalendar), weekends only in a year without one."""

from datetime import date

import pytest

from service.cases.cn_calendar import has_schedule, is_rest_day, period_end, unscheduled
from service.cases.rules import load_ruleset
from service.documents.contexts.notices import Policy


@pytest.mark.parametrize(("start", "days", "end", "why"), [
    (date(2026, 11, 30), 7, date(2026, 12, 7), "a Monday: the start day is not counted (art. 201)"),
    (date(2026, 11, 28), 7, date(2026, 12, 7), "day 7 a Saturday: Monday (CN-00058's lawyer letter)"),
    (date(2026, 11, 29), 7, date(2026, 12, 7), "day 7 a Sunday: Monday"),
    (date(2026, 10, 18), 7, date(2026, 10, 26), "a cure deadline on Sunday 10-25: Monday"),
    (date(2026, 9, 24), 7, date(2026, 10, 8), "day 7 National Day 10-01: the day after the 10-01..07 run"),
    (date(2026, 9, 28), 5, date(2026, 10, 8), "inside the run: the day after it"),
    (date(2026, 2, 10), 5, date(2026, 2, 24), "Spring Festival 2-15..23: 2-24"),
    (date(2026, 2, 7), 7, date(2026, 2, 14), "Saturday 2-14 a working day (调休上班): not rolled"),
    (date(2026, 9, 13), 7, date(2026, 9, 20), "Sunday 9-20 a working day (调休上班): not rolled"),
    (date(2026, 10, 3), 7, date(2026, 10, 10), "Saturday 10-10 a working day (调休上班): not rolled"),
    (date(2026, 4, 30), 1, date(2026, 5, 6), "Labour Day 5-01..05: 5-06"),
    (date(2025, 12, 25), 7, date(2026, 1, 4), "New Year 2026-01-01..03; Sunday 1-04 a working day"),
    (date(2027, 1, 1), 1, date(2027, 1, 4), "2027 has no schedule in the data: weekends only (Saturday 1-02)"),
    (date(2027, 9, 24), 7, date(2027, 10, 1), "2027: National Day is not known, so not rolled"),
])
def test_a_period_of_days_ends_on_a_working_day(start, days, end, why):
    assert period_end(start, days) == end, why


def test_an_agreement_that_the_period_does_not_roll_is_kept():
    """Art. 204: "遇节假日不顺延" agreed: the last day stays on the rest day."""
    assert period_end(date(2026, 11, 28), 7, rolls=False) == date(2026, 12, 5)
    assert period_end(date(2026, 9, 24), 7, rolls=False) == date(2026, 10, 1)


def test_the_schedule_years_and_rest_days():
    assert has_schedule(2025) and has_schedule(2026) and not has_schedule(2027)
    assert unscheduled(date(2026, 12, 31), date(2027, 1, 4)) == [2027]
    assert is_rest_day(date(2026, 10, 5)) and not is_rest_day(date(2026, 2, 28))
    assert is_rest_day(date(2027, 1, 2)) and not is_rest_day(date(2027, 1, 1))  # no 2027 data: weekends only


def test_cn_rolls_its_periods_and_us_does_not():
    assert load_ruleset("CN").jurisdiction.rest_day_periods
    assert not load_ruleset("US").jurisdiction.rest_day_periods


def test_a_notices_own_days_end_on_a_working_day_in_cn_and_on_the_calendar_day_in_the_us():
    cn, us = Policy.of(load_ruleset("CN")), Policy.of(load_ruleset("US"))
    assert (cn.pay_within_days, cn.dispute_within_days, cn.report_after_days) == (7, 15, 15)
    assert cn.pay_by(date(2026, 11, 28)) == date(2026, 12, 7)  # day 7 a Saturday
    assert cn.dispute_by(date(2026, 9, 16)) == date(2026, 10, 8)  # day 15 is National Day
    # "如您未在X前结清": the last day before X (day 14, 10-01) rolls to 10-08, so X is 10-09
    assert cn.report_from(date(2026, 9, 17)) == date(2026, 10, 9)
    assert cn.report_from(date(2026, 11, 2)) == date(2026, 11, 17)  # nothing to roll: day 15
    assert us.pay_by(date(2026, 11, 28)) == date(2026, 12, 5)
    assert us.report_from(date(2026, 9, 17)) == date(2026, 10, 2)
