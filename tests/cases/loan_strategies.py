"""Hypothesis strategies for random loans, shared by the money-layer property tests."""

from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import strategies as st

from service.cases.ledger import (
    Component,
    Ledger,
    LoanTerms,
    Payment,
    Waiver,
    compute_ledger,
)
from service.cases.schedule import RepaymentMethod, ScheduledInstalment, build_schedule

DISBURSED = date(2024, 1, 1)
amounts = st.integers(1, 300_000).map(lambda c: Decimal(c) / 100)
rates = st.integers(0, 3600).map(lambda bp: Decimal(bp) / 10_000)


@dataclass(frozen=True)
class Scenario:
    terms: LoanTerms
    rows: list[ScheduledInstalment]
    payments: list[Payment]
    waivers: list[Waiver]
    as_of: date
    accelerated_on: date | None

    def ledger(self, *, with_payments: bool = True) -> Ledger:
        return compute_ledger(
            self.terms,
            self.rows,
            self.payments if with_payments else [],
            as_of=self.as_of,
            accelerated_on=self.accelerated_on if with_payments else None,
            waivers=self.waivers if with_payments else (),
        )


@st.composite
def schedules(draw: st.DrawFn, principal: Decimal) -> list[ScheduledInstalment]:
    method = draw(st.sampled_from(list(RepaymentMethod)))
    rows = build_schedule(
        principal=principal,
        annual_rate=draw(rates),
        periods=1 if method is RepaymentMethod.BULLET else draw(st.integers(1, 12)),
        first_due_date=DISBURSED + timedelta(days=draw(st.integers(1, 40))),
        method=method,
        start_date=DISBURSED,
    )
    if draw(st.booleans()):
        rows = [replace(r, fee=Decimal(draw(st.integers(0, 2000))) / 100) for r in rows]
    return rows


@st.composite
def scenarios(draw: st.DrawFn, waivers: bool = True) -> Scenario:
    principal = Decimal(draw(st.integers(100, 5_000_000))) / 100
    rows = draw(schedules(principal))
    horizon = (rows[-1].due_date - DISBURSED).days + 200
    day = st.integers(0, horizon).map(lambda n: DISBURSED + timedelta(days=n))
    terms = LoanTerms(
        principal=principal,
        disbursed_date=DISBURSED,
        annual_rate=Decimal("0.12"),
        penalty_rate=draw(rates),
        compound=draw(st.booleans()),
        day_basis=draw(st.sampled_from([360, 365])),
        allocation_order=draw(st.none() | st.permutations(list(Component)).map(tuple)),
    )
    pays = draw(st.lists(st.tuples(day, amounts), max_size=8))
    cuts = draw(st.lists(st.tuples(day, amounts, st.sampled_from(list(Component))), max_size=2))
    return Scenario(
        terms=terms,
        rows=rows,
        payments=[Payment(k, d, a) for k, (d, a) in enumerate(pays)],
        waivers=[Waiver(f"w{k}", d, a, c) for k, (d, a, c) in enumerate(cuts)] if waivers else [],
        as_of=draw(day),
        accelerated_on=draw(st.none() | day),
    )
