"""The litigation claim (诉讼请求) as of a date: ledger, cap, continuing interest and fees.

Every figure reconciles: each claimed cost component is the ledger's outstanding figure minus
the cap's cut, the claimed total (标的额) is the sum of the claimed components, and the court and
preservation fees are computed on that total.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from service.cases.caps import (
    DEFAULT_LICENSED_CAP,
    CapResult,
    LenderType,
    LprTable,
    apply_cap,
    cap_for,
)
from service.cases.court_fee import CourtFee, compute_court_fee
from service.cases.ledger import (
    Component,
    InstalmentDue,
    InstalmentPosition,
    Ledger,
    LoanTerms,
    Payment,
    Waiver,
    compute_ledger,
)
from service.cases.money import Rate, format_rate


@dataclass(frozen=True, slots=True)
class ContinuingInterest:
    """Interest claimed from `from_date` until actual payment (计算至实际清偿之日止)."""

    base: Decimal
    annual_rate: Rate
    from_date: date
    day_basis: int

    @property
    def text_zh(self) -> str:
        day = self.from_date
        return (
            f"自{day.year}年{day.month}月{day.day}日起以{self.base}元为基数按年利率"
            f"{format_rate(self.annual_rate)}计算至实际清偿之日止"
        )


@dataclass(frozen=True, slots=True)
class ClaimRow:
    """One line of the 借款本息计算表: contractual figures outstanding at as_of."""

    no: int
    due_date: date
    principal_due_date: date
    days_past_due: int
    principal: Decimal
    interest: Decimal
    fee: Decimal
    penalty: Decimal
    compound: Decimal
    paid: Decimal

    @property
    def total(self) -> Decimal:
        return self.principal + self.interest + self.fee + self.penalty + self.compound


@dataclass(frozen=True, slots=True)
class Claim:
    as_of: date
    accelerated_on: date | None
    ledger: Ledger
    cap_result: CapResult
    principal: Decimal
    interest: Decimal  # capped
    penalty: Decimal  # capped
    compound: Decimal  # capped
    fees: Decimal  # capped
    contractual_total: Decimal  # principal + contractual cost, before the cap
    claimed_total: Decimal  # 标的额: principal + capped cost
    continuing: ContinuingInterest
    court_fee: CourtFee  # on claimed_total, with its preservation (all zero if nothing owed)
    rows: tuple[ClaimRow, ...]


def _row(position: InstalmentPosition, as_of: date) -> ClaimRow:
    """Outstanding amounts of one instalment; amounts not yet due at as_of are left out."""
    out = position.outstanding
    principal_due = position.principal_due_date <= as_of
    interest_due = position.interest_due_date <= as_of
    return ClaimRow(
        no=position.no,
        due_date=position.due_date,
        principal_due_date=position.principal_due_date,
        days_past_due=position.days_past_due,
        principal=out[Component.PRINCIPAL] if principal_due else Decimal(0),
        interest=out[Component.INTEREST] if interest_due else Decimal(0),
        fee=out[Component.FEE] if interest_due else Decimal(0),
        penalty=out[Component.PENALTY],
        compound=out[Component.COMPOUND],
        paid=sum(position.paid.values(), Decimal(0)),
    )


def compute_claim(
    terms: LoanTerms,
    instalments: Iterable[InstalmentDue],
    payments: Iterable[Payment],
    *,
    as_of: date,
    lender_type: LenderType | str,
    formation_date: date,
    lpr_table: LprTable | None = None,
    licensed_cap: Rate = DEFAULT_LICENSED_CAP,
    accelerate: bool = True,
    accelerated_on: date | None = None,
    waivers: Iterable[Waiver] = (),
) -> Claim:
    """The claim as of `as_of`; with `accelerate` the whole principal is due (default at as_of).

    Without acceleration only principal already due is claimed.
    """
    accel = (accelerated_on or as_of) if accelerate else None
    ledger = compute_ledger(
        terms, instalments, payments, as_of=as_of, accelerated_on=accel, waivers=waivers
    )
    cap = cap_for(lender_type, formation_date, licensed_cap=licensed_cap, lpr_table=lpr_table)
    result = apply_cap(ledger, terms, cap, as_of=as_of)
    capped, principal = result.capped, ledger.overdue_principal
    claimed = principal + capped.total
    return Claim(
        as_of=as_of,
        accelerated_on=ledger.accelerated_on,
        ledger=ledger,
        cap_result=result,
        principal=principal,
        interest=capped.interest,
        penalty=capped.penalty,
        compound=capped.compound,
        fees=capped.fees,
        contractual_total=principal + result.contractual.total,
        claimed_total=claimed,
        continuing=ContinuingInterest(
            base=principal,
            annual_rate=min(terms.penalty_rate, cap.annual_rate),
            from_date=as_of + timedelta(days=1),
            day_basis=terms.day_basis,
        ),
        court_fee=compute_court_fee(claimed, preservation_amount=claimed),
        rows=tuple(_row(p, as_of) for p in ledger.positions),
    )
