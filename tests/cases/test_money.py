from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from service.cases.money import (
    CENT,
    accrue,
    check_day_basis,
    format_rate,
    is_cents,
    percent,
    round_money,
    to_decimal,
    to_money,
    to_rate,
)


@pytest.mark.parametrize(
    ("raw", "rounded"),
    [
        ("0.005", "0.01"),
        ("0.004999", "0.00"),
        ("2.675", "2.68"),  # the float 2.675 would round down: Decimal keeps the half
        ("-0.005", "-0.01"),  # half-up is away from zero
        ("337.5", "337.50"),
        ("1E+3", "1000.00"),
    ],
)
def test_round_money_is_half_up_to_cents(raw: str, rounded: str) -> None:
    result = round_money(Decimal(raw))
    assert result == Decimal(rounded)
    assert result.as_tuple().exponent == -2


@pytest.mark.parametrize("value", [0.1, 1.0, float("nan"), True])
def test_floats_and_bools_are_refused(value: object) -> None:
    with pytest.raises(TypeError):
        to_decimal(value)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        to_money(value)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        to_rate(value)  # type: ignore[arg-type]


def test_round_money_refuses_a_float() -> None:
    with pytest.raises(TypeError):
        round_money(0.125)  # type: ignore[arg-type]


def test_to_decimal_accepts_int_str_decimal() -> None:
    assert to_decimal(7) == Decimal(7)
    assert to_decimal(" 12.30 ") == Decimal("12.30")
    assert to_decimal(Decimal("1.5")) == Decimal("1.5")


@pytest.mark.parametrize("value", ["abc", "NaN", "Infinity", ""])
def test_to_decimal_refuses_non_numbers(value: str) -> None:
    with pytest.raises(ValueError):
        to_decimal(value)


def test_to_money_refuses_sub_cent_input() -> None:
    assert to_money("10.5") == Decimal("10.50")
    with pytest.raises(ValueError, match="below the cent"):
        to_money("10.005")


def test_rates() -> None:
    assert percent("18") == Decimal("0.18")
    assert format_rate(Decimal("0.154")) == "15.4%"
    assert format_rate(Decimal("0.1")) == "10%"
    assert format_rate(4 * Decimal("0.0345")) == "13.8%"
    with pytest.raises(ValueError):
        to_rate("-0.01")


def test_accrue_is_exact_and_hand_checked() -> None:
    assert accrue(Decimal(1000), Decimal("0.18"), 30, 360) == Decimal("15")
    assert round_money(accrue(Decimal(1000), Decimal("0.18"), 30, 365)) == Decimal("14.79")


def test_day_basis() -> None:
    assert check_day_basis(365) == 365
    with pytest.raises(ValueError):
        check_day_basis(366)


@given(st.integers(min_value=-(10**12), max_value=10**12), st.integers(0, 9999))
def test_round_money_moves_by_at_most_half_a_cent(cents: int, tail: int) -> None:
    value = Decimal(cents) * CENT + Decimal(tail) / Decimal(10**6)
    rounded = round_money(value)
    assert is_cents(rounded)
    assert abs(rounded - value) <= CENT / 2
