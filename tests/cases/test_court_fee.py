from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from service.cases.court_fee import (
    compute_court_fee,
    court_fee,
    fee_brackets,
    halved,
    payment_order_fee,
    preservation_fee,
)
from service.cases.money import round_money

D = Decimal

# The quick formulas of domain-collections.md §1.9: fee = amount × rate + k within each bracket.
QUICK = [
    (D(0), D(10_000), D(0), D(50)),
    (D(10_000), D(100_000), D("0.025"), D(-200)),
    (D(100_000), D(200_000), D("0.02"), D(300)),
    (D(200_000), D(500_000), D("0.015"), D(1_300)),
    (D(500_000), D(1_000_000), D("0.01"), D(3_800)),
    (D(1_000_000), D(2_000_000), D("0.009"), D(4_800)),
    (D(2_000_000), D(5_000_000), D("0.008"), D(6_800)),
    (D(5_000_000), D(10_000_000), D("0.007"), D(11_800)),
    (D(10_000_000), D(20_000_000), D("0.006"), D(21_800)),
    (D(20_000_000), D(10**10), D("0.005"), D(41_800)),
]


@pytest.mark.parametrize(
    ("amount", "full", "half"),
    [
        # worked examples
        ("8000", "50", "25"),
        ("35000", "675", "337.5"),
        ("50000", "1050", "525"),
        ("100000", "2300", "1150"),
        ("150000", "3300", "1650"),
        ("500000", "8800", "4400"),
        # every bracket boundary, and a cent either side
        ("0.01", "50", "25"),
        ("9999.99", "50", "25"),
        ("10000", "50", "25"),
        ("10000.01", "50.00", "25"),
        ("10040", "51", "25.5"),
        ("99999.99", "2300.00", "1150"),
        ("100000.01", "2300.00", "1150"),
        ("199999.99", "4300.00", "2150"),
        ("200000", "4300", "2150"),
        ("200000.01", "4300.00", "2150"),
        ("499999.99", "8800.00", "4400"),
        ("500000.01", "8800.00", "4400"),
        ("999999.99", "13800.00", "6900"),
        ("1000000", "13800", "6900"),
        ("1000000.01", "13800.00", "6900"),
        ("2000000", "22800", "11400"),
        ("2000000.01", "22800.00", "11400"),
        ("5000000", "46800", "23400"),
        ("5000000.01", "46800.00", "23400"),
        ("10000000", "81800", "40900"),
        ("10000000.01", "81800.00", "40900"),
        ("20000000", "141800", "70900"),
        ("20000000.01", "141800.00", "70900"),
        ("30000000", "191800", "95900"),
        ("12345.67", "108.64", "54.32"),  # 50 + 2,345.67 × 2.5 % = 108.64175
    ],
)
def test_court_fee_table(amount: str, full: str, half: str) -> None:
    fee = court_fee(D(amount))
    assert fee == D(full)
    assert fee.as_tuple().exponent == -2
    assert halved(fee) == D(half)


BOUNDARIES = [upper for _, upper, _, _ in QUICK[:-1]]


@pytest.mark.parametrize(("index", "boundary"), list(enumerate(BOUNDARIES)))
def test_a_cent_above_a_boundary_enters_the_next_bracket(index: int, boundary: Decimal) -> None:
    at, above = fee_brackets(boundary), fee_brackets(boundary + D("0.01"))
    assert len(at) == index + 1
    assert len(above) == index + 2
    assert above[-1].lower == boundary
    assert above[-1].rate == QUICK[index + 1][2]
    assert above[-1].fee == D("0.01") * QUICK[index + 1][2]
    assert at[-1].upper == boundary


@pytest.mark.parametrize("bracket", QUICK, ids=[str(q[1]) for q in QUICK])
@given(fraction=st.integers(1, 10_000))
def test_cumulative_fee_matches_the_quick_formula(
    bracket: tuple[Decimal, Decimal, Decimal, Decimal], fraction: int
) -> None:
    lower, upper, rate, k = bracket
    amount = round_money(lower + (upper - lower) * fraction / 10_000)
    assert court_fee(amount) == round_money(amount * rate + k)


@pytest.mark.parametrize(
    ("amount", "fee"),
    [
        ("500", "30"),
        ("1000", "30"),
        ("1000.01", "30.00"),
        ("50000", "520"),
        ("100000", "1020"),
        ("200000", "1520"),
        ("896000", "5000"),
        ("1000000", "5000"),  # 5,520 by the brackets, capped
        ("100000000", "5000"),
    ],
)
def test_preservation_fee(amount: str, fee: str) -> None:
    assert preservation_fee(D(amount)) == D(fee)


def test_payment_order_fee_is_a_third() -> None:
    assert payment_order_fee(D(35_000)) == D("225.00")
    assert payment_order_fee(D(8_000)) == D("16.67")


def test_compute_court_fee() -> None:
    fee = compute_court_fee(D(35_000), simplified=True, preservation_amount=D(50_000))
    assert (fee.full, fee.halved, fee.payable) == (D(675), D("337.50"), D("337.50"))
    assert fee.preservation == D(520)
    assert fee.payment_order == D(225)
    assert [(b.lower, b.upper, b.rate, b.fee) for b in fee.brackets] == [
        (D(0), D(10_000), None, D(50)),
        (D(10_000), D(100_000), D("0.025"), D(625)),
    ]
    assert "第十三条" in fee.basis_text_zh and "第十六条" in fee.basis_text_zh
    ordinary = compute_court_fee(D(35_000))
    assert ordinary.payable == D(675)
    assert ordinary.preservation is None
    assert "第十六条" not in ordinary.basis_text_zh


def test_nothing_claimed_costs_nothing() -> None:
    fee = compute_court_fee(D(0), preservation_amount=D(0))
    assert (fee.full, fee.halved, fee.preservation, fee.payment_order) == (0, 0, 0, 0)
    assert fee.brackets == ()
    assert court_fee(D("0.01")) == D(50)


def test_negative_amounts_are_refused() -> None:
    with pytest.raises(ValueError):
        court_fee(D(-1))
    with pytest.raises(ValueError):
        preservation_fee(D("-0.01"))


def test_floats_are_refused() -> None:
    with pytest.raises(TypeError):
        court_fee(35000.0)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        preservation_fee(50000.0)  # type: ignore[arg-type]
