"""The one answer to "was the debt accelerated" (accounts.effective_acceleration): a recorded
acceleration counts only where some instalment of the governing schedule (the signed plan's where
one governs, else the contract's) fell due after it; otherwise the debt had matured on its last
due date and the acceleration is ignored, with a note."""

from datetime import date, timedelta
from types import SimpleNamespace

from hypothesis import given
from hypothesis import strategies as st

from service.cases import accounts

START = date(2025, 1, 1)


def _case(dues: list[date], accelerated_on: date | None, plan_dues: list[date] | None = None) -> SimpleNamespace:
    plan = None
    if plan_dues is not None:
        plan = SimpleNamespace(signed_date=START, as_of_date=START, id=1, agreement_no="P1",
                               instalments=[SimpleNamespace(no=n, due_date=d) for n, d in enumerate(plan_dues, 1)])
    return SimpleNamespace(case=SimpleNamespace(accelerated_on=accelerated_on), current_plan=plan, breaches=[],
                           communications=[],
                           instalments=[SimpleNamespace(no=n, due_date=d) for n, d in enumerate(dues, 1)])


days = st.integers(min_value=1, max_value=900)


@given(st.lists(days, min_size=1, max_size=24, unique=True), days)
def test_an_acceleration_counts_only_where_an_instalment_fell_due_after_it(offsets: list[int], at: int) -> None:
    dues = sorted(START + timedelta(days=d) for d in offsets)
    recorded = START + timedelta(days=at)
    found = accounts.effective_acceleration(_case(dues, recorded), date(2028, 1, 1))  # type: ignore[arg-type]
    advanced = any(d > recorded for d in dues)
    assert found.recorded == recorded and found.schedule == "contract"
    assert found.on == (recorded if advanced else None)
    assert found.matured_on == (None if advanced else dues[-1])
    assert found.ignored == (not advanced) and (found.note != "") == (not advanced)


@given(st.lists(days, min_size=1, max_size=12, unique=True), days)
def test_under_a_signed_plan_the_plans_instalments_decide(offsets: list[int], at: int) -> None:
    """The contract's instalments run on past the acceleration, the plan's decide: a plan whose
    last instalment fell due before the acceleration matured, whatever the contract said."""
    plan_dues = sorted(START + timedelta(days=d) for d in offsets)
    contract = [date(2030, 1, 1)]  # the contract alone would always be accelerated
    recorded = START + timedelta(days=at)
    found = accounts.effective_acceleration(_case(contract, recorded, plan_dues), date(2028, 1, 1))  # type: ignore[arg-type]
    assert found.schedule == "agreement"
    assert found.matured_on == (plan_dues[-1] if plan_dues[-1] <= recorded else None)
    assert found.on == (None if plan_dues[-1] <= recorded else recorded)


def test_none_recorded_is_none() -> None:
    found = accounts.effective_acceleration(_case([date(2025, 2, 1)], None), date(2026, 1, 1))  # type: ignore[arg-type]
    assert (found.on, found.recorded, found.matured_on, found.note) == (None, None, None, "")
