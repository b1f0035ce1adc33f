from datetime import date

import pytest

from service.cases.limitation import add_years, is_time_barred, limitation

LAST_DUE = date(2021, 5, 10)


def test_runs_three_years_from_the_last_due_date() -> None:
    lim = limitation(last_due_date=LAST_DUE, interruptions=[])
    assert lim.accrual_date == LAST_DUE
    assert lim.last_interruption is None
    assert lim.expires_on == date(2024, 5, 10)
    assert not is_time_barred(lim, date(2024, 5, 10))  # the last day is still in time
    assert is_time_barred(lim, date(2024, 5, 11))


def test_each_interruption_restarts_the_period() -> None:
    notice, agreement, payment = date(2022, 1, 5), date(2023, 6, 1), date(2025, 3, 3)
    lim = limitation(last_due_date=LAST_DUE, interruptions=[payment, notice, agreement])
    assert lim.last_interruption == payment
    assert lim.expires_on == date(2028, 3, 3)
    assert lim.ignored == ()


def test_interruption_before_accrual_does_not_extend() -> None:
    lim = limitation(last_due_date=LAST_DUE, interruptions=[date(2021, 3, 1), LAST_DUE])
    assert lim.expires_on == date(2024, 5, 10)
    assert lim.last_interruption is None
    assert lim.ignored == (date(2021, 3, 1), LAST_DUE)


def test_interruption_after_expiry_does_not_revive() -> None:
    lim = limitation(last_due_date=LAST_DUE, interruptions=[date(2024, 5, 11)])
    assert lim.expires_on == date(2024, 5, 10)
    assert lim.ignored == (date(2024, 5, 11),)
    on_last_day = limitation(last_due_date=LAST_DUE, interruptions=[date(2024, 5, 10)])
    assert on_last_day.expires_on == date(2027, 5, 10)


def test_feb_29() -> None:
    assert add_years(date(2024, 2, 29), 3) == date(2027, 2, 28)
    assert add_years(date(2024, 2, 29), 4) == date(2028, 2, 29)
    lim = limitation(last_due_date=date(2020, 2, 29), interruptions=[])
    assert lim.expires_on == date(2023, 2, 28)
    lim = limitation(last_due_date=date(2021, 3, 1), interruptions=[date(2024, 2, 29)])
    assert lim.expires_on == date(2027, 2, 28)
    assert limitation(last_due_date=date(2024, 2, 29), interruptions=[]).expires_on == date(
        2027, 2, 28
    )


def test_other_periods() -> None:
    assert limitation(last_due_date=LAST_DUE, interruptions=[], years=1).expires_on == date(
        2022, 5, 10
    )
    with pytest.raises(ValueError):
        limitation(last_due_date=LAST_DUE, interruptions=[], years=0)
