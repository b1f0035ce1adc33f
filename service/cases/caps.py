"""Rate caps by lender type, and their application to a ledger's claimable cost.

Private lenders: 4 × the one-year LPR at formation (民间借贷规定 arts 25, 28, 29). Licensed
lenders: total cost above 24 % p.a. may be reduced (法发〔2017〕22号 art. 2), configurable.
The allowance is the principal-time integral (yuan·days from disbursement to as_of, with the
ledger's day convention) × cap / day_basis; cost already paid counts against it.
"""

import csv
import io
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from importlib.resources import files
from pathlib import Path
from typing import TypeAlias

from service.cases.enums import LicenceType
from service.cases.ledger import Component, Ledger, LoanTerms
from service.cases.money import ZERO, Rate, format_rate, round_money, to_rate

DEFAULT_LICENSED_CAP = Decimal("0.24")
PRIVATE_RULE = "CN-16-PRIVATE"
LICENSED_RULE = "CN-16-LICENSED"


# The cap is keyed by the lender's licence: one vocabulary for the model and the money layer.
LenderType = LicenceType


@dataclass(frozen=True, slots=True, order=True)
class LprPoint:
    effective_from: date
    rate: Rate  # fraction: Decimal("0.0345") = 3.45 %


LprTable: TypeAlias = tuple[LprPoint, ...]


class LprUnavailable(ValueError):
    """No LPR is known for the date (before 2019-08-20, or an empty table)."""


def load_lpr_table(path: Path | str | None = None) -> LprTable:
    """Read the one-year LPR table (CSV: effective_from,rate); default: the shipped table."""
    if path is None:
        text = files("service.cases").joinpath("data/lpr_1y.csv").read_text(encoding="utf-8")
    else:
        text = Path(path).read_text(encoding="utf-8")
    rows = csv.DictReader(io.StringIO(text))
    table = tuple(
        sorted(LprPoint(date.fromisoformat(r["effective_from"]), to_rate(r["rate"])) for r in rows)
    )
    if not table or len({p.effective_from for p in table}) != len(table):
        raise ValueError("the LPR table is empty or has a date twice")
    if any(not 0 < p.rate < 1 for p in table):
        raise ValueError("LPR rates are fractions (0.0345 for 3.45 %), not percentages")
    return table


def lpr_on(day: date, table: LprTable) -> Rate:
    """The one-year LPR in force on `day` (each row holds until the next one)."""
    index = bisect_right([p.effective_from for p in table], day)
    if index == 0:
        first = table[0].effective_from if table else None
        raise LprUnavailable(
            f"no one-year LPR for {day}: the table starts {first}; before 2019-08-20 the PBOC "
            "benchmark rates applied and the contract is judged under the rules of its time"
        )
    return table[index - 1].rate


@dataclass(frozen=True, slots=True)
class Cap:
    rule_id: str
    annual_rate: Rate
    basis_text_en: str
    basis_text_zh: str


def cap_for(
    lender_type: LenderType | str,
    formation_date: date,
    *,
    licensed_cap: Rate = DEFAULT_LICENSED_CAP,
    lpr_table: LprTable | None = None,
) -> Cap:
    """The cap on the total annual cost of a loan by this lender formed on `formation_date`."""
    if LenderType(lender_type) is not LenderType.NON_LICENSED:
        return _licensed_cap(to_rate(licensed_cap))
    lpr = lpr_on(formation_date, lpr_table if lpr_table is not None else load_lpr_table())
    rate, shown = 4 * lpr, f"{formation_date:%Y-%m-%d}"
    return Cap(
        PRIVATE_RULE,
        rate,
        "Private lending: interest, overdue interest, liquidated damages and other fees together "
        f"are capped at 4 × the one-year LPR at formation ({format_rate(lpr)} on {shown}), "
        f"i.e. {format_rate(rate)} p.a. (SPC Private Lending Provisions 2020, arts 25, 28, 29).",
        "依《最高人民法院关于审理民间借贷案件适用法律若干问题的规定》第二十五条、第二十八条、"
        f"第二十九条，利息、逾期利息、违约金及其他费用总计不超过合同成立时（{shown}）"
        f"一年期贷款市场报价利率{format_rate(lpr)}的四倍，即年利率{format_rate(rate)}。",
    )


def _licensed_cap(rate: Rate) -> Cap:
    return Cap(
        LICENSED_RULE,
        rate,
        "Licensed lender: the part of interest, compound interest, penalty interest, liquidated "
        f"damages and other fees together above {format_rate(rate)} p.a. may be reduced "
        "(SPC Opinions on Financial Trials, Fa Fa [2017] No. 22, art. 2).",
        "依《最高人民法院关于进一步加强金融审判工作的若干意见》（法发〔2017〕22号）第二条，"
        f"利息、复利、罚息、违约金和其他费用总计超过年利率{format_rate(rate)}的部分予以调减。",
    )


def rate_test(terms: LoanTerms, cap: Cap) -> list[str]:
    """Which contract rates exceed the cap: nominal, penalty, and combined (with compound).

    Combined = penalty rate + penalty rate × nominal rate: the overdue cost of a unit of
    principal plus the compound interest on a year of its contractual interest.
    """
    checks = [("nominal", terms.annual_rate), ("penalty", terms.penalty_rate)]
    if terms.compound:
        checks.append(("combined", terms.penalty_rate * (1 + terms.annual_rate)))
    return [
        f"{name} rate {format_rate(rate)} exceeds the cap {format_rate(cap.annual_rate)} "
        f"({cap.rule_id})"
        for name, rate in checks
        if rate > cap.annual_rate
    ]


@dataclass(frozen=True, slots=True)
class CostParts:
    interest: Decimal
    penalty: Decimal
    compound: Decimal
    fees: Decimal

    @property
    def total(self) -> Decimal:
        return self.interest + self.penalty + self.compound + self.fees


@dataclass(frozen=True, slots=True)
class CapResult:
    cap: Cap
    contractual: CostParts  # claimable cost per the contract (outstanding at as_of)
    capped: CostParts  # the same after the cut
    contract_cost: Decimal  # contractual.total
    principal_days: Decimal  # Σ outstanding principal × days, disbursement to as_of
    gross_allowance: Decimal  # principal_days × cap / day_basis, rounded once
    cost_paid: Decimal  # interest, penalty, compound and fees already collected
    allowed_cost: Decimal  # max(0, gross_allowance - cost_paid)
    reduced_by: Decimal  # contract_cost - capped.total, >= 0
    notes: tuple[str, ...]


# Fees go first (disguised interest), then compound, penalty, contractual interest last.
CUT_ORDER = ("fees", "compound", "penalty", "interest")


def principal_days(ledger: Ledger, terms: LoanTerms, as_of: date) -> Decimal:
    """Σ outstanding principal × days from disbursement to as_of (repaid or waived reduce it)."""
    reductions = sorted(
        (line.applied_on, line.amount)
        for item in (*ledger.allocations, *ledger.waivers)
        for line in item.lines
        if line.component is Component.PRINCIPAL
    )
    balance, clock, total = terms.principal, terms.disbursed_date, ZERO
    for day, amount in reductions:
        total += balance * (day - clock).days
        balance, clock = balance - amount, day
    return total + balance * (as_of - clock).days


def _cut(parts: CostParts, amount: Decimal) -> CostParts:
    values = {name: getattr(parts, name) for name in CUT_ORDER}
    for name in CUT_ORDER:
        take = min(amount, values[name])
        values[name] -= take
        amount -= take
    return CostParts(**values)


def apply_cap(ledger: Ledger, terms: LoanTerms, cap: Cap, *, as_of: date) -> CapResult:
    """Cut the claimable cost (fees, compound, penalty, interest in turn) to the cap allowance."""
    if as_of != ledger.as_of:
        raise ValueError(f"the ledger is as of {ledger.as_of}, not {as_of}")
    contractual = CostParts(
        ledger.overdue_interest, ledger.penalty, ledger.compound, ledger.overdue_fee
    )
    days = principal_days(ledger, terms, as_of)
    gross = round_money(days * cap.annual_rate / terms.day_basis)
    paid = sum((ledger.paid[c] for c in Component if c is not Component.PRINCIPAL), ZERO)
    allowed = max(gross - paid, ZERO)
    reduced = max(contractual.total - allowed, ZERO)
    notes = [f"claimable cost cut by {reduced} to the {cap.rule_id} cap"] if reduced else []
    if paid > gross:
        notes.append(
            f"cost already paid ({paid}) exceeds the cap allowance ({gross}) by {paid - gross}; "
            "a court may set the excess against principal (not applied here)"
        )
    return CapResult(
        cap=cap,
        contractual=contractual,
        capped=_cut(contractual, reduced),
        contract_cost=contractual.total,
        principal_days=days,
        gross_allowance=gross,
        cost_paid=paid,
        allowed_cost=allowed,
        reduced_by=reduced,
        notes=tuple(notes),
    )
