from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from service.cases.money import CENT
from service.cases.schedule import (
    RepaymentMethod,
    ScheduledInstalment,
    add_months,
    build_schedule,
    split_evenly,
    validate_schedule,
)

D = Decimal


def _build(method: RepaymentMethod, periods: int = 12, **kw: object) -> list[ScheduledInstalment]:
    args: dict[str, object] = {
        "principal": "12000",
        "annual_rate": "0.12",
        "periods": periods,
        "first_due_date": date(2024, 1, 31),
        "method": method,
        "start_date": date(2023, 12, 31),
    }
    return build_schedule(**(args | kw))  # type: ignore[arg-type]


def test_equal_instalment_matches_the_annuity_formula() -> None:
    rows = _build(RepaymentMethod.EQUAL_INSTALMENT)
    # 12,000 at 1 % a month over 12 months: level payment 1,066.19 (annuity tables).
    assert [r.principal + r.interest for r in rows[:-1]] == [D("1066.19")] * 11
    assert (rows[0].interest, rows[0].principal) == (D("120.00"), D("946.19"))
    assert (rows[1].interest, rows[1].principal) == (D("110.54"), D("955.65"))
    assert (rows[-1].principal, rows[-1].interest) == (D("1055.58"), D("10.56"))
    assert sum(r.principal for r in rows) == D("12000.00")


def test_equal_principal() -> None:
    rows = _build(RepaymentMethod.EQUAL_PRINCIPAL)
    assert {r.principal for r in rows} == {D("1000.00")}
    assert [r.interest for r in rows[:3]] == [D("120.00"), D("110.00"), D("100.00")]
    assert rows[-1].interest == D("10.00")


def test_equal_principal_last_absorbs_the_cents() -> None:
    rows = _build(RepaymentMethod.EQUAL_PRINCIPAL, periods=3, principal="100")
    assert [r.principal for r in rows] == [D("33.33"), D("33.33"), D("33.34")]


def test_bullet_counts_days() -> None:
    rows = _build(RepaymentMethod.BULLET, periods=1, first_due_date=date(2024, 3, 31))
    assert len(rows) == 1
    # 12,000 × 12 % × 91 days / 360 = 364.00
    assert (rows[0].principal, rows[0].interest) == (D("12000.00"), D("364.00"))
    with pytest.raises(ValueError, match="exactly one"):
        _build(RepaymentMethod.BULLET, periods=2)


def test_bullet_on_365_basis() -> None:
    rows = _build(RepaymentMethod.BULLET, periods=1, day_basis=365)
    assert rows[0].interest == D("122.30")  # 12,000 × 12 % × 31 / 365 = 122.301…


def test_interest_only_bullet() -> None:
    rows = _build(RepaymentMethod.INTEREST_ONLY_BULLET, periods=6)
    assert [r.principal for r in rows] == [D(0)] * 5 + [D("12000.00")]
    assert {r.interest for r in rows} == {D("120.00")}


def test_due_dates_keep_the_day_clamped_to_month_end() -> None:
    rows = _build(RepaymentMethod.EQUAL_PRINCIPAL, periods=4)
    assert [r.due_date for r in rows] == [
        date(2024, 1, 31),
        date(2024, 2, 29),
        date(2024, 3, 31),
        date(2024, 4, 30),
    ]
    assert add_months(date(2023, 1, 31), 1) == date(2023, 2, 28)
    assert add_months(date(2023, 11, 30), 3) == date(2024, 2, 29)
    assert add_months(date(2023, 12, 15), 1) == date(2024, 1, 15)


def test_zero_rate_equal_instalment() -> None:
    rows = _build(RepaymentMethod.EQUAL_INSTALMENT, periods=3, principal="100", annual_rate="0")
    assert [r.principal for r in rows] == [D("33.33"), D("33.33"), D("33.34")]
    assert {r.interest for r in rows} == {D("0.00")}


def test_float_inputs_are_refused() -> None:
    with pytest.raises(TypeError):
        _build(RepaymentMethod.EQUAL_INSTALMENT, principal=12000.0)
    with pytest.raises(TypeError):
        _build(RepaymentMethod.EQUAL_INSTALMENT, annual_rate=0.12)
    with pytest.raises(TypeError):
        ScheduledInstalment(1, date(2024, 1, 1), 10.0, D(0))  # type: ignore[arg-type]


def test_bad_arguments() -> None:
    with pytest.raises(ValueError):
        _build(RepaymentMethod.EQUAL_INSTALMENT, periods=0)
    with pytest.raises(ValueError):
        _build(RepaymentMethod.EQUAL_INSTALMENT, start_date=date(2024, 1, 31))
    with pytest.raises(ValueError):
        _build("annuity")  # type: ignore[arg-type]


def test_validate_schedule_names_each_problem() -> None:
    rows = [
        ScheduledInstalment(1, date(2024, 2, 1), D("500"), D("10")),
        ScheduledInstalment(3, date(2024, 2, 1), D("-1"), D("0.001")),
    ]
    problems = {p.field: p.message for p in validate_schedule(D(1000), rows)}
    assert set(problems) == {
        "instalments[1].no",
        "instalments[1].due_date",
        "instalments[1].principal",
        "instalments[1].interest",
        "instalments.principal",
    }
    assert problems["instalments.principal"] == "parts sum to 499.00, not 1000"
    assert [str(p) for p in validate_schedule(D(1), [])] == [
        "instalments: the schedule has no instalments"
    ]


def test_validate_schedule_accepts_a_built_schedule() -> None:
    assert validate_schedule(D(12000), _build(RepaymentMethod.EQUAL_INSTALMENT)) == []


@given(
    cents=st.integers(1, 10**8),
    parts=st.integers(1, 400),
)
def test_split_evenly_sums_exactly(cents: int, parts: int) -> None:
    total = D(cents) * CENT
    shares = split_evenly(total, parts)
    assert len(shares) == parts
    assert sum(shares) == total
    assert all(s >= 0 for s in shares)
    assert max(shares) - min(shares) <= D(parts - 1) * CENT


@settings(max_examples=300, deadline=None)
@given(
    cents=st.integers(1, 10**9),
    rate_bp=st.integers(0, 3600),
    periods=st.integers(1, 60),
    method=st.sampled_from(list(RepaymentMethod)),
    start=st.dates(date(2019, 1, 1), date(2030, 12, 31)),
    gap=st.integers(1, 62),
    basis=st.sampled_from([360, 365]),
)
def test_schedule_principal_parts_sum_to_principal(
    cents: int,
    rate_bp: int,
    periods: int,
    method: RepaymentMethod,
    start: date,
    gap: int,
    basis: int,
) -> None:
    principal = D(cents) * CENT
    periods = 1 if method is RepaymentMethod.BULLET else periods
    rows = build_schedule(
        principal=principal,
        annual_rate=D(rate_bp) / 10_000,
        periods=periods,
        first_due_date=start + timedelta(days=gap),
        method=method,
        day_basis=basis,
        start_date=start,
    )
    assert sum(r.principal for r in rows) == principal
    assert len(rows) == periods
    assert validate_schedule(principal, rows) == []
