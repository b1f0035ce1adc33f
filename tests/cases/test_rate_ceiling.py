"""Rate ceilings by state and lender (US-20, the US-15 table's "rate_ceiling"): a table test of
the ceiling each state sets for a licensed and an unlicensed lender by the loan's amount, with its
citation, whether a default rate may exceed it, and which figures a lawyer should confirm; and the
demo's US loans lie within every demo state's ceiling whatever the draw."""

from decimal import Decimal

import pytest

from service.cases.rate_ceiling import StatedRate, above_ceiling, ceiling, lender_class
from service.cases.rules import load_ruleset
from service.core.errors import RuleViolation
from service.demo.data import US_LENDER
from service.demo.seed import US_RATES

RULES = load_ruleset("US")
LICENSED, UNLICENSED = "other_licensed", "non_licensed"

# (state, licence, amount) → (ceiling, words of its citation, a lawyer should confirm it)
TABLE = {
    ("NY", LICENSED, "25000.00"): ("0.25", "N.Y. Penal Law 190.40", False),
    ("NY", LICENSED, "25000.01"): ("0.16", "N.Y. Gen. Oblig. Law 5-501", False),
    ("NY", UNLICENSED, "3000.00"): ("0.16", "N.Y. Banking Law 14-a(1)", False),
    ("IL", LICENSED, "40000.00"): ("0.36", "815 ILCS 123/15-5-5", True),  # a military APR: fees count
    ("IL", LICENSED, "6000.00"): ("0.36", "205 ILCS 670/15(a)", True),
    ("IL", UNLICENSED, "6000.00"): ("0.09", "815 ILCS 205/4(1)", True),
    ("CA", LICENSED, "2499.99"): ("0.192", "Cal. Fin. Code 22304(a)", True),
    ("CA", LICENSED, "2500.00"): ("0.36", "Cal. Fin. Code 22304.5", True),  # without the Federal Funds Rate
    ("CA", LICENSED, "9999.99"): ("0.36", "Cal. Fin. Code 22304.5", True),
    ("CA", LICENSED, "10000.00"): (None, "Cal. Fin. Code 22002", True),  # no ceiling; unconscionability
    ("CA", UNLICENSED, "6000.00"): ("0.10", "Cal. Const. art. XV, 1(1)", False),
    ("TX", LICENSED, "6000.00"): ("0.18", "303.009(a)", True),  # held to 18 % whatever the brackets allow
    ("TX", UNLICENSED, "6000.00"): ("0.10", "Tex. Fin. Code 302.001(b)", False),
}
STATES = {"NY", "IL", "CA", "TX"}


@pytest.mark.parametrize(("state", "licence", "amount"), list(TABLE), ids=lambda v: str(v))
def test_ceiling_by_state_lender_and_amount(state, licence, amount):
    rate, cited, simplified = TABLE[(state, licence, amount)]
    found = ceiling(RULES, state, licence, Decimal(amount))
    assert found is not None
    assert found.rate == (Decimal(rate) if rate is not None else None)
    assert cited in found.source
    tier = next(t for t in RULES.rule("US-15").params["states"][state]["rate_ceiling"][lender_class(RULES, licence)]
                if "up_to" not in t or Decimal(amount) <= Decimal(t["up_to"]))
    assert ("confirm" in tier) == simplified, "a simplified figure says what a lawyer should confirm"
    assert found.confirm  # at least the lender's licence in that state


@pytest.mark.parametrize("state", ["NY", "IL", "CA", "TX"])
def test_no_default_rate_above_the_ceiling_in_any_state(state):
    found = ceiling(RULES, state, LICENSED, Decimal("6000.00"))
    assert found is not None and found.default_above_ceiling is False and found.default_source and found.excess
    rates = [StatedRate("contract", Decimal("0.09")), StatedRate("default", Decimal("0.37"))]
    assert [r.which for r in above_ceiling(found, rates)] == (["default"] if found.rate is not None else [])


def test_the_four_states_have_a_table_and_a_bank_is_bound_by_none():
    assert {s for s, v in RULES.rule("US-15").params["states"].items() if "rate_ceiling" in v} >= STATES
    assert ceiling(RULES, "NY", "bank", Decimal("6000.00")) is None  # its home state's rate (12 U.S.C. 85)
    assert ceiling(load_ruleset("CN"), "", LICENSED, Decimal("6000.00")) is None  # not a US case


def test_a_state_without_a_table_is_refused_by_name():
    with pytest.raises(RuleViolation) as refused:
        ceiling(RULES, "CO", LICENSED, Decimal("6000.00"))
    assert [v.rule for v in refused.value.violations] == ["US-15"]


@pytest.mark.parametrize("state", ["NY", "IL", "CA", "TX"])
@pytest.mark.parametrize("amount", ["3000.00", "25000.00", "25000.01", "199900.00"])
def test_every_demo_us_loan_is_within_its_states_ceiling(state, amount):
    """The demo draws a US rate from US_RATES (basis points) for $3,000–$199,900 and charges the
    same rate after default: its highest draw is lawful for the demo lender in every state."""
    highest = Decimal(US_RATES[1]) / Decimal(10000)
    found = ceiling(RULES, state, str(US_LENDER["licence_type"]), Decimal(amount))
    assert found is not None
    assert above_ceiling(found, [StatedRate("contract", highest), StatedRate("default", highest)]) == []
