"""US cases follow their state's law (US-15): a table test of limitation by state — the period,
accrual per missed instalment or on acceleration, what restarts or revives the clock (a consumer's
payment or written acknowledgment where the state says so; a collector's letter or call never) —
and the disclosure owed on time-barred debt; venue by the consumer's county (US-17)."""

from datetime import date
from decimal import Decimal

import pytest

from service.cases.rules import load_ruleset
from service.cases.us_law import (
    PAYMENT,
    WRITTEN_ACKNOWLEDGMENT,
    ConsumerAct,
    state_law,
    us_limitation,
    venue,
)
from service.core.errors import RuleViolation

RULES = load_ruleset("US")
DUE = [("1", date(2020, 3, 1)), ("2", date(2020, 4, 1)), ("3", date(2020, 5, 1))]

# state → (years, a payment restarts a running period, a written acknowledgment does,
#          a payment revives an expired one, a written acknowledgment does, words of the disclosure)
TABLE = {
    "NY": (3, False, False, False, False, "New York State Department of Financial Services"),
    "IL": (10, True, True, True, True, "we cannot sue you for it"),
    "CA": (4, True, True, False, True, "we will not sue you for it"),
    "TX": (4, False, True, False, True, "we cannot sue you for it"),
}


def test_the_table_covers_the_four_states():
    assert set(TABLE) <= set(RULES.rule("US-15").params["states"])


@pytest.mark.parametrize("state", list(TABLE))
def test_limitation_by_state(state):
    years, pay_restarts, ack_restarts, pay_revives, ack_revives, words = TABLE[state]
    law = state_law(RULES, state)
    assert law.years == years and law.source and words in law.disclosure and law.disclosure_source
    # Each missed instalment accrues on its own due date.
    plain = us_limitation(law, unpaid_due_dates=DUE, accelerated_on=None, acts=[])
    assert [p.expires_on for p in plain.parts] == [date(2020 + years, m, 1) for m in (3, 4, 5)]
    assert plain.as_limitation().expires_on == date(2020 + years, 5, 1)
    # On acceleration the balance not yet due accrues on the acceleration date; past-due ones keep theirs.
    accel = us_limitation(law, unpaid_due_dates=DUE, accelerated_on=date(2020, 3, 20), acts=[])
    assert [(p.label, p.accrued_on) for p in accel.parts] == [("1", date(2020, 3, 1)),
                                                               ("accelerated", date(2020, 3, 20))]
    # Before expiry: a payment or a signed acknowledgment restarts the clock only where the state says so.
    during = date(2021, 6, 1)
    for kind, restarts in ((PAYMENT, pay_restarts), (WRITTEN_ACKNOWLEDGMENT, ack_restarts)):
        lim = us_limitation(law, unpaid_due_dates=DUE[:1], accelerated_on=None, acts=[ConsumerAct(during, kind)])
        expected = date(2021 + years, 6, 1) if restarts else date(2020 + years, 3, 1)
        assert lim.parts[0].expires_on == expected, (state, kind)
    # After expiry: only what the state names revives the debt.
    after = date(2020 + years, 9, 1)
    for kind, revives in ((PAYMENT, pay_revives), (WRITTEN_ACKNOWLEDGMENT, ack_revives)):
        lim = us_limitation(law, unpaid_due_dates=DUE[:1], accelerated_on=None, acts=[ConsumerAct(after, kind)])
        assert (lim.parts[0].restarted_on == after) == revives, (state, kind)
        assert bool(lim.barred_parts(date(2020 + years, 10, 1))) != revives


def test_a_state_without_a_table_names_the_rule():
    with pytest.raises(RuleViolation) as refused:
        state_law(RULES, "CO")
    assert [v.rule for v in refused.value.violations] == ["US-15"]


@pytest.mark.parametrize(("state", "zip_code", "amount", "court"), [
    ("IL", "60622", "4200.00", "Circuit Court of Cook County, Illinois"),
    ("IL", "60622", "250000.00", "Circuit Court of Cook County, Illinois"),
    ("CA", "90017", "47000.00", "Superior Court of California, County of Los Angeles"),
    ("NY", "11201", "50000.00", "Civil Court of the City of New York, County of Kings"),
    ("NY", "11201", "50000.01", "Supreme Court of the State of New York, County of Kings"),
    ("NY", "14604", "3000.00", "Supreme Court of the State of New York, County of Monroe"),  # Rochester: not NYC
    ("TX", "77098", "20000.00", "Justice Court, Harris County, Texas"),
    ("TX", "77098", "47000.00", "District Court of Harris County, Texas"),  # above the Justice Court's $20,000
])
def test_venue_is_the_consumers_county_and_its_court_for_the_amount(state, zip_code, amount, court):
    found = venue(state_law(RULES, state), residence=(zip_code, ""), signed_at="", amount=Decimal(amount))
    assert found is not None and found.court == court and found.basis == "residence" and found.court_source


def test_venue_falls_back_to_where_the_consumer_signed_and_never_leaves_the_state():
    law = state_law(RULES, "IL")
    signed = venue(law, residence=("", "somewhere without a ZIP"), signed_at="1452 N Damen Ave, Chicago, IL 60622",
                   amount=Decimal("100.00"))
    assert signed is not None and signed.basis == "signed" and signed.county == "Cook County"
    # a California address is no Illinois venue
    assert venue(law, residence=("90017", ""), signed_at="", amount=Decimal("100.00")) is None
