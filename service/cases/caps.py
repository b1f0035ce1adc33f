"""Rate caps by lender type, per component and together, and their application to a ledger.

Private lenders: interest, overdue interest or penalty and other fees are each capped, and
capped together, at 4 × the one-year LPR at formation (民间借贷规定 arts 25, 28, 29); a contract
formed before 2020-08-20 is capped at 24 % to 2020-08-19 and at 4 × the LPR at filing from
2020-08-20 (art. 31). Licensed lenders: the 24 % comprehensive-cost line (法发〔2017〕22号 art. 2),
configurable, applied the same way.

How the law is applied here:
- *per component*: ``lawful_loan`` gives the contract with every rate at most the cap in force
  (each period's interest at most the cap on the principal outstanding over its days; penalty and
  compound rates capped from each cap change on). A ledger run on it cuts each period's interest
  when it falls due, applies payments to lawful amounts only, and what a payment holds beyond them,
  up to the interest above the cap of the periods due by then, it sets against principal as of the
  payment, which lowers the next periods' lawful interest (ledger.LoanTerms.interest_cap).
- *together*: ``apply_cap`` compares the overdue charges (penalty and compound interest) with the
  cap on the overdue principal over time (art. 29), then all cost — scheduled fees included, as
  disguised interest — with the cap on all principal over time,
  cost already paid counting against both; claimable cost is cut (fees, compound, penalty,
  interest in turn), and cost paid beyond the whole allowance is set against principal.

Wording (the legal basis printed by the CLI and the API) lives in the CN rule set, rule CN-16.
"""

import csv
import io
import itertools
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import TypeAlias

from service.cases.enums import LicenceType
from service.cases.ledger import Component, Ledger, LoanTerms
from service.cases.money import ZERO, Rate, format_rate, round_money, to_rate
from service.cases.rules import load_ruleset
from service.cases.schedule import ScheduledInstalment

DEFAULT_LICENSED_CAP = Decimal("0.24")
RULE = "CN-16"
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
        return _shipped_lpr_table()
    return _parse_lpr_table(Path(path).read_text(encoding="utf-8"))


@cache
def _shipped_lpr_table() -> LprTable:
    """The table shipped with the package, read once a process (every CN claim's cap reads it;
    the table is an immutable tuple, so every caller can share it)."""
    return _parse_lpr_table(files("service.cases").joinpath("data/lpr_1y.csv").read_text(encoding="utf-8"))


def _parse_lpr_table(text: str) -> LprTable:
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
class CapPeriod:
    """The cap in force from `start` (inclusive) until the next period's start."""

    start: date
    annual_rate: Rate


@dataclass(frozen=True, slots=True)
class Cap:
    rule_id: str  # CN-16-PRIVATE | CN-16-LICENSED
    annual_rate: Rate  # the cap in force now (the last period): continuing interest uses it
    periods: tuple[CapPeriod, ...]  # one, or two under art. 31's transition
    lpr: Rate | None  # private lending: the LPR the cap is four times
    lpr_date: date | None  # the day that LPR was in force (formation, or filing under art. 31)
    basis_text_en: str
    basis_text_zh: str
    # How a document names the cap beside a rate quoted as capped ("four times the one-year LPR…").
    label_en: str = ""
    label_zh: str = ""
    # False: no rate cap binds the claim (a US case: the contract's own rates under its state's
    # law, US-18); the CN caps, their set-off and their cut are not applied at all.
    binding: bool = True

    @property
    def private_lending(self) -> bool:
        return self.rule_id == PRIVATE_RULE

    @property
    def transition(self) -> bool:
        """Art. 31: a contract formed before 2020-08-20, two caps."""
        return len(self.periods) > 1

    def rate_on(self, day: date) -> Rate:
        if not self.binding:
            raise ValueError(f"{self.rule_id}: no rate cap applies, there is no capped rate to read")
        rate = self.periods[0].annual_rate
        for period in self.periods[1:]:
            if period.start <= day:
                rate = period.annual_rate
        return rate

    def changes_after(self, day: date) -> tuple[tuple[date, Rate], ...]:
        return tuple((p.start, p.annual_rate) for p in self.periods if p.start > day)

    def mean_rate(self, start: date, end: date) -> Rate:
        """The cap averaged by day over [start, end): a period's interest under two caps."""
        days = (end - start).days
        if days <= 0:
            return self.rate_on(start)
        bounds = [start, *(p.start for p in self.periods if start < p.start < end), end]
        total = sum(
            (self.rate_on(a) * (b - a).days for a, b in itertools.pairwise(bounds)),
            Decimal(0),
        )
        return total / days


def _basis(kind: str, **values: str) -> tuple[str, str]:
    texts = load_ruleset("CN").param(RULE, "basis")[kind]
    return texts["en"].format(**values), texts["zh"].format(**values)


def _labelled(cap: Cap, kind: str) -> Cap:
    texts = load_ruleset("CN").param(RULE, "label")[kind]
    rate = format_rate(cap.annual_rate)
    return replace(cap, label_en=texts["en"].format(rate=rate), label_zh=texts["zh"].format(rate=rate))


def cap_for(
    lender_type: LenderType | str,
    formation_date: date,
    *,
    licensed_cap: Rate = DEFAULT_LICENSED_CAP,
    lpr_table: LprTable | None = None,
    filed_on: date | None = None,
) -> Cap:
    """The cap on each cost component and on their total, for a loan by this lender formed on
    `formation_date`; `filed_on` (the claim's date) matters only under art. 31's transition."""
    # CN-30 decides: a lender whose loans are private lending (no lending licence, or one licensed for
    # another business, e.g. a factoring company: 法释〔2020〕27号 covers its factoring only) is capped
    # at 4 × LPR; a licensed lending institution's total cost at the licensed cap.
    if load_ruleset("CN").rule("CN-30").params["by_licence"][LenderType(lender_type)] != "private_lending":
        rate = to_rate(licensed_cap)
        en, zh = _basis("licensed", rate=format_rate(rate))
        return _labelled(Cap(LICENSED_RULE, rate, (CapPeriod(formation_date, rate),), None, None, en, zh), "licensed")
    table = lpr_table if lpr_table is not None else load_lpr_table()
    params = load_ruleset("CN").rule(RULE).params
    multiple, switch = Decimal(params["private_lpr_multiple"]), date.fromisoformat(params["transition_date"])
    if formation_date >= switch:
        lpr = lpr_on(formation_date, table)
        rate = multiple * lpr
        en, zh = _basis("private", formation=f"{formation_date:%Y-%m-%d}", lpr=format_rate(lpr),
                        rate=format_rate(rate))
        return _labelled(Cap(PRIVATE_RULE, rate, (CapPeriod(formation_date, rate),), lpr, formation_date, en, zh),
                         "private")
    if filed_on is None:
        raise ValueError(f"a private loan formed {formation_date} (before {switch}) is capped per art. 31 by "
                         "the LPR at filing: give filed_on")
    old, lpr = to_rate(params["transition_cap"]), lpr_on(filed_on, table)
    rate = multiple * lpr
    en, zh = _basis("transition", old_rate=format_rate(old), filed=f"{filed_on:%Y-%m-%d}", lpr=format_rate(lpr),
                    rate=format_rate(rate))
    periods = (CapPeriod(formation_date, old), CapPeriod(switch, rate))
    return _labelled(Cap(PRIVATE_RULE, rate, periods, lpr, filed_on, en, zh), "transition")


def contract_rates(rule_id: str, basis_en: str, basis_zh: str = "") -> Cap:
    """No cap: the claim follows the contract's own rates (a US case, whose state's law, not the
    CN caps, governs them)."""
    return Cap(rule_id, ZERO, (), None, None, basis_en, basis_zh, binding=False)


def rate_test(terms: LoanTerms, cap: Cap) -> list[str]:
    """Which contract rates exceed the cap: nominal, penalty, and combined (with compound).

    Combined = penalty rate + penalty rate × nominal rate: the overdue cost of a unit of
    principal plus the compound interest on a year of its contractual interest.
    """
    if not cap.binding:
        return []
    checks = [("nominal", terms.annual_rate), ("penalty", terms.penalty_rate)]
    if terms.compound:
        checks.append(("combined", terms.penalty_rate * (1 + terms.annual_rate)))
    return [
        f"{name} rate {format_rate(rate)} exceeds the cap {format_rate(cap.annual_rate)} "
        f"({cap.rule_id})"
        for name, rate in checks
        if rate > cap.annual_rate
    ]


def lawful_loan(
    terms: LoanTerms, rows: Sequence[ScheduledInstalment], cap: Cap
) -> tuple[LoanTerms, list[ScheduledInstalment]]:
    """The contract with each rate at most the cap in force: each period's interest at most the cap
    on the principal actually outstanding over its days (``LoanTerms.interest_cap``: the ledger
    cuts it, period by period in date order, as set-offs of interest paid above the cap lower the
    principal; ledger.CappedInterest), the penalty (and compound) rate at most the cap from each of
    the cap's periods on. The rows stay the contract's: the ledger needs each period's contract
    interest, the bound of its lawful interest. No binding cap: the contract as is."""
    if not cap.binding:
        return terms, list(rows)
    changes = tuple((day, min(terms.penalty_rate, rate)) for day, rate in cap.changes_after(terms.disbursed_date))
    lawful_terms = replace(
        terms,
        interest_cap=((terms.disbursed_date, cap.rate_on(terms.disbursed_date)),
                      *cap.changes_after(terms.disbursed_date)),
        penalty_rate=min(terms.penalty_rate, cap.rate_on(terms.disbursed_date)),
        penalty_rate_changes=changes,
    )
    return lawful_terms, list(rows)


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
class PrincipalSpan:
    """Days over which the outstanding principal stood at one balance: a row of 本金积数 a reader
    recomputes, balance × days (exact to the cent: a balance in cents times whole days). The days
    are those after `start` up to and including `end` (``first_day``): the balance a payment
    lowers stands from the day after it, the day paid bearing the old one, as every accrual of
    the ledger counts it; the number of days, end - start, is the same either way."""

    start: date  # the day the balance began (disbursement or a change): its days follow it
    end: date  # the day the balance changed, or as_of: its last day
    balance: Decimal

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    @property
    def product(self) -> Decimal:
        return self.balance * self.days

    @property
    def first_day(self) -> date:
        """The first day the row counts: a day counts at its end (the ledger's accruals, money.
        interest_for), so the row's days are those after `start` up to and including `end`; a
        document prints `first_day` and `end`, both inclusive, the same days the default-interest
        rows charge (to the as-of date, counted)."""
        return self.start + timedelta(days=1)


def principal_spans(balance: Decimal, start: date, steps: Sequence[tuple[date, Decimal]], end: date,
                    before: Sequence[PrincipalSpan] = ()) -> tuple[PrincipalSpan, ...]:
    """The spans of `balance` from `start` to `end`, lowered by `steps` on their dates, after
    `before`: a span that continues the last one at the same balance extends it, days of no length
    are left out; Σ product is the principal days _integrate sums."""
    spans = list(before)
    clock = start
    for day, amount in [*steps, (end, ZERO)]:
        day = max(min(day, end), clock)
        if day > clock:
            if spans and spans[-1].end == clock and spans[-1].balance == balance:
                spans[-1] = replace(spans[-1], end=day)
            else:
                spans.append(PrincipalSpan(clock, day, balance))
        balance, clock = balance - amount, day
    return tuple(spans)


@dataclass(frozen=True, slots=True)
class CapResult:
    cap: Cap
    contractual: CostParts  # claimable cost of the ledger the cap is applied to (outstanding at as_of)
    capped: CostParts  # the same after the cut
    contract_cost: Decimal  # contractual.total
    principal_days: Decimal  # Σ outstanding principal × days, disbursement to as_of
    gross_allowance: Decimal  # Σ principal × days × cap in force / day_basis, rounded once
    cost_paid: Decimal  # interest, penalty, compound and fees already collected
    allowed_cost: Decimal  # max(0, gross_allowance - cost_paid)
    overdue_principal_days: Decimal  # Σ overdue principal × days after each due date
    overdue_allowance: Decimal  # the same × cap in force / day_basis (art. 29)
    overdue_cost: Decimal  # penalty and compound interest, paid and claimable
    reduced_by: Decimal  # contract_cost - capped.total, >= 0
    set_off: Decimal  # cost paid beyond the whole allowance, set against principal
    notes: tuple[str, ...]
    # Σ principal × days × cap in force, exact: gross_allowance is it / day_basis rounded once, so
    # an allowance continued over a later period adds to this, never to the rounded figure.
    principal_rate_days: Decimal = Decimal(0)
    # principal_days, span by span (the balances a document prints for a reader to rebuild it)
    principal_spans: tuple[PrincipalSpan, ...] = ()


# Fees go first (disguised interest), then compound, penalty, contractual interest last.
CUT_ORDER = ("fees", "compound", "penalty", "interest")
OVERDUE_PARTS = ("compound", "penalty")  # scheduled fees are in-term cost: the total test has them


def _reductions(ledger: Ledger, component: Component = Component.PRINCIPAL) -> list[tuple[date, int, Decimal]]:
    return sorted(
        (line.applied_on, line.instalment_no, line.amount)
        for item in (*ledger.allocations, *ledger.waivers)
        for line in item.lines
        if line.component is component
    )


def _integrate(
    balance: Decimal, start: date, steps: Sequence[tuple[date, Decimal]], end: date, cap: Cap
) -> tuple[Decimal, Decimal]:
    """Σ balance × days and Σ balance × days × cap in force over [start, end); `steps` lower the
    balance on their dates."""
    days_total, weighted, clock = ZERO, Decimal(0), start
    for day, amount in [*steps, (end, ZERO)]:
        day = max(min(day, end), clock)
        bounds = [clock, *(p.start for p in cap.periods if clock < p.start < day), day]
        for a, b in itertools.pairwise(bounds):
            days_total += balance * (b - a).days
            weighted += balance * (b - a).days * cap.rate_on(a)
        balance, clock = balance - amount, day
    return days_total, weighted


def principal_days(ledger: Ledger, terms: LoanTerms, as_of: date) -> Decimal:
    """Σ outstanding principal × days from disbursement to as_of (repaid or waived reduce it)."""
    steps = [(day, amount) for day, _, amount in _reductions(ledger)]
    flat = Cap("", Decimal(0), (CapPeriod(terms.disbursed_date, Decimal(0)),), None, None, "", "")
    return _integrate(terms.principal, terms.disbursed_date, steps, as_of, flat)[0]


def _overdue_days(ledger: Ledger, cap: Cap, as_of: date, *, compound: bool = False) -> tuple[Decimal, Decimal]:
    """The base overdue charges accrue on, over time: each instalment's principal from its due date
    on (罚息) and, where the contract charges compound interest, its interest from its due date on
    (复利 accrues on overdue interest, not principal: measured against overdue principal alone, the
    compound interest of an instalment whose principal is not yet overdue was cut as above the cap
    however far below it it was, review F21)."""
    parts = [(Component.PRINCIPAL, "principal_due_date")]
    if compound:
        parts.append((Component.INTEREST, "interest_due_date"))
    days_total, weighted = ZERO, Decimal(0)
    for component, due_attr in parts:
        cuts = _reductions(ledger, component)
        for p in ledger.positions:
            due: date = getattr(p, due_attr)
            if due >= as_of:
                continue
            mine = [(day, amount) for day, no, amount in cuts if no == p.no]
            balance = p.due[component] - sum((a for d, a in mine if d <= due), ZERO)
            later = [(d, a) for d, a in mine if d > due]
            d_total, w_total = _integrate(balance, due, later, as_of, cap)
            days_total, weighted = days_total + d_total, weighted + w_total
    return days_total, weighted


def _overdue_allowance(ledger: Ledger, cap: Cap, weighted: Decimal, day_basis: int) -> Decimal:
    """What the cap allows on overdue principal and interest (art. 29), rounded as the charges it
    bounds are: once per run of one base at one rate (the ledger's accruals), where the runs cover
    exactly the base-days the cap integrates at one cap rate each; else rounded once. Rounded once
    over runs each rounded to the cent, default interest charged at the cap's own rate was cut by
    a cent (review: 107.17 + 221.48 + 107.17 at 24% against 435.81)."""
    runs = [a for a in ledger.accruals if a.component in (Component.PENALTY, Component.COMPOUND)]
    if not runs or any(cap.rate_on(a.start) != cap.rate_on(a.end - timedelta(days=1)) for a in runs):
        return round_money(weighted / day_basis)
    parts = [a.base * cap.rate_on(a.start) * (a.end - a.start).days for a in runs]
    if sum(parts, Decimal(0)) != weighted:
        return round_money(weighted / day_basis)
    return sum((round_money(w / day_basis) for w in parts), ZERO)


def _cut(parts: CostParts, amount: Decimal, order: Sequence[str] = CUT_ORDER) -> CostParts:
    values = {name: getattr(parts, name) for name in CUT_ORDER}
    for name in order:
        take = min(amount, values[name])
        values[name] -= take
        amount -= take
    return CostParts(**values)


def uncapped(cap: Cap, contractual: CostParts, ledger: Ledger | None = None) -> CapResult:
    """No cap binds: nothing is cut and nothing is set against principal."""
    paid = sum((ledger.paid[c] for c in Component if c is not Component.PRINCIPAL), ZERO) if ledger else ZERO
    return CapResult(cap=cap, contractual=contractual, capped=contractual, contract_cost=contractual.total,
                     principal_days=ZERO, gross_allowance=ZERO, cost_paid=paid, allowed_cost=contractual.total,
                     overdue_principal_days=ZERO, overdue_allowance=ZERO, overdue_cost=ZERO, reduced_by=ZERO,
                     set_off=ZERO, notes=())


def apply_cap(ledger: Ledger, terms: LoanTerms, cap: Cap, *, as_of: date) -> CapResult:
    """The caps taken together: overdue charges within the cap on overdue principal (art. 29),
    then all cost within the cap on all principal; paid cost counts first."""
    if as_of != ledger.as_of:
        raise ValueError(f"the ledger is as of {ledger.as_of}, not {as_of}")
    contractual = CostParts(ledger.overdue_interest, ledger.penalty, ledger.compound, ledger.overdue_fee)
    if not cap.binding:
        return uncapped(cap, contractual, ledger)
    steps = [(day, amount) for day, _, amount in _reductions(ledger)]
    days, weighted = _integrate(terms.principal, terms.disbursed_date, steps, as_of, cap)
    gross = round_money(weighted / terms.day_basis)
    paid = sum((ledger.paid[c] for c in Component if c is not Component.PRINCIPAL), ZERO)
    overdue_days, overdue_weighted = _overdue_days(ledger, cap, as_of, compound=terms.compound)
    overdue_gross = _overdue_allowance(ledger, cap, overdue_weighted, terms.day_basis)
    overdue_paid = ledger.paid[Component.PENALTY] + ledger.paid[Component.COMPOUND]
    overdue_claim = contractual.penalty + contractual.compound
    overdue_excess = max(overdue_claim - max(overdue_gross - overdue_paid, ZERO), ZERO)
    after_overdue = _cut(contractual, overdue_excess, OVERDUE_PARTS)
    allowed = max(gross - paid, ZERO)
    capped = _cut(after_overdue, max(after_overdue.total - allowed, ZERO))
    reduced = contractual.total - capped.total
    set_off = max(paid - gross, ZERO)
    notes = [f"claimable cost cut by {reduced} to the {cap.rule_id} cap"] if reduced else []
    if set_off:
        notes.append(f"cost already paid ({paid}) exceeds the cap allowance ({gross}) by {set_off}: "
                     "set against principal")
    return CapResult(
        cap=cap, contractual=contractual, capped=capped, contract_cost=contractual.total, principal_days=days,
        gross_allowance=gross, cost_paid=paid, allowed_cost=allowed, overdue_principal_days=overdue_days,
        overdue_allowance=overdue_gross, overdue_cost=overdue_paid + overdue_claim, reduced_by=reduced,
        set_off=set_off, notes=tuple(notes), principal_rate_days=weighted,
        principal_spans=principal_spans(terms.principal, terms.disbursed_date, steps, as_of),
    )
