"""US rate ceilings (US-20): the highest rate a lender may contract for in the borrower's state,
by the lender's licence and the loan's amount, and whether a default rate may go above it.

The figures and their sources are data in the state table of US-15 (``rate_ceiling``); a figure
that simplifies the law carries a ``confirm`` note saying what a lawyer should confirm. None of
the four states cuts an above-ceiling rate down to the ceiling: New York and Illinois void the
loan, California forfeits the charges (or voids the loan), Texas imposes chapter 305's penalties.
So, unlike the CN caps (``caps.py``), nothing is recomputed at a capped rate: a document that
would state or claim a rate above the ceiling is refused, naming the rule, the state, the rate
and the ceiling. This module is the one place that reads the table.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from service.cases import us_law
from service.cases.casefile import CaseFile
from service.cases.enums import PlanStatus
from service.cases.money import Rate, format_rate, to_rate
from service.cases.rules import RuleSet, Text, text
from service.core.errors import RuleViolation, Violation

RULE = "US-20"
TABLE = "rate_ceiling"


@dataclass(frozen=True, slots=True)
class Ceiling:
    """The ceiling for one lender class, state and loan amount."""

    state: str  # "NY"
    state_name: str  # "New York"
    lender_class: str  # licensed | unlicensed
    rate: Rate | None  # None: no statutory ceiling for this lender and amount
    source: str
    default_above_ceiling: bool  # whether a default rate may exceed `rate`
    default_source: str
    excess: str  # what the state's law does to interest above the ceiling
    confirm: tuple[str, ...]  # what a lawyer should confirm about these figures


@dataclass(frozen=True, slots=True)
class StatedRate:
    """A rate the case's documents state or claim: the contract's, its default rate, a plan's."""

    which: str  # contract | default | plan
    rate: Rate


def lender_class(rules: RuleSet, licence_type: str) -> str:
    """licensed | unlicensed, or "" for a lender no state ceiling of the table binds (a bank)."""
    classes: dict[str, str] = rules.rule(RULE).params["lender_class"]
    try:
        return classes[licence_type]
    except KeyError:
        raise KeyError(f"{RULE}: no lender class for licence type {licence_type!r}") from None


def ceiling(rules: RuleSet, state: str, licence_type: str, amount: Decimal) -> Ceiling | None:
    """The ceiling for a loan of `amount` by a lender of this licence in `state`; None in a profile
    without US-20 (CN) or for a lender the state ceilings do not bind. A state without a table is
    refused: nothing can be said about its rates."""
    if not rules.has(RULE):
        return None
    cls = lender_class(rules, licence_type)
    if not cls:
        return None
    law = us_law.state_law(rules, state)  # refuses a state without a table (US-15)
    table: dict[str, Any] | None = rules.rule(us_law.STATE_RULE).params["states"][state].get(TABLE)
    if table is None:
        raise RuleViolation([rules.rule(RULE).refuse("US-20.no_table", state=law.name)])
    tier = next(t for t in table[cls] if "up_to" not in t or amount <= Decimal(t["up_to"]))
    notes = (*([tier["confirm"]] if "confirm" in tier else []), *table.get("confirm", ()))
    return Ceiling(state=state, state_name=law.name, lender_class=cls,
                   rate=to_rate(tier["rate"]) if tier["rate"] is not None else None, source=tier["source"],
                   default_above_ceiling=bool(table["default_above_ceiling"]), default_source=table["default_source"],
                   excess=table["excess"], confirm=notes)


def stated_rates(cf: CaseFile) -> list[StatedRate]:
    """The contract rate, the default rate, and the rate of a payment plan that charges interest
    (a draft too: its agreement would lock the rate in)."""
    rates = [StatedRate("contract", cf.contract.nominal_rate), StatedRate("default", cf.contract.penalty_rate)]
    plan_rates = {to_rate(p.plan_rate) for p in cf.plans
                  if p.status is not PlanStatus.SUPERSEDED and Decimal(p.plan_rate or "0") > 0}
    return [*rates, *(StatedRate("plan", rate) for rate in sorted(plan_rates))]


def case_ceiling(rules: RuleSet, cf: CaseFile) -> Ceiling | None:
    return ceiling(rules, cf.case.us_state, cf.lender.licence_type, cf.contract.principal_agreed)


def above_ceiling(found: Ceiling, rates: list[StatedRate]) -> list[StatedRate]:
    """The rates above the ceiling (a default rate only where the state keeps it to the ceiling)."""
    if found.rate is None:
        return []
    limit = found.rate
    return [r for r in rates if r.rate > limit and not (r.which == "default" and found.default_above_ceiling)]


def violations(rules: RuleSet, cf: CaseFile) -> list[Violation]:
    """US-20: each rate of the case above its state's ceiling for the lender, refused by name."""
    try:
        found = case_ceiling(rules, cf)
    except RuleViolation as refused:
        return list(refused.violations)
    if found is None:
        return []
    r = rules.rule(RULE)
    return [r.refuse("US-20.above", which=Text(f"rate.{x.which}"), rate=format_rate(x.rate), state=found.state_name,
                     ceiling=format_rate(found.rate or Decimal(0)), lender=text(f"lender.{found.lender_class}"),
                     amount=f"${cf.contract.principal_agreed:,.2f}", source=found.source, excess=found.excess)
            for x in above_ceiling(found, stated_rates(cf))]


def view(rules: RuleSet, cf: CaseFile) -> dict[str, Any] | None:
    """US-20 as `dossier claim` and the API show it: the ceiling, its source, the case's rates and
    which are above it, and what a lawyer should confirm; None where the profile has no US-20."""
    if not rules.has(RULE):
        return None
    rates = stated_rates(cf)
    shown = {"rule": RULE, "state": cf.case.us_state, "amount": cf.contract.principal_agreed,
             "rates": [{"which": r.which, "annual_rate": r.rate} for r in rates]}
    try:
        found = case_ceiling(rules, cf)
    except RuleViolation as refused:
        return {**shown, "annual_rate": None, "refused": [v.message for v in refused.violations]}
    if found is None:  # a bank: its home state's rate
        return {**shown, "annual_rate": None, "source": rules.rule(RULE).params["bank_source"], "above": []}
    return {**shown, "lender_class": found.lender_class, "annual_rate": found.rate, "source": found.source,
            "default_above_ceiling": found.default_above_ceiling, "default_source": found.default_source,
            "above": [r.which for r in above_ceiling(found, rates)], "excess": found.excess,
            "confirm": list(found.confirm)}
