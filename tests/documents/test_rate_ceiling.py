"""No US document states or claims a rate above the ceiling of the borrower's state for the lender
(US-20): the claim statement, the affidavit and the notices of a case whose contract or default
rate is above it are refused, naming the rule, the state, the rate and the ceiling; the case page
warns of it; a case within the ceiling, and every demo US case, goes through."""

from datetime import timedelta
from decimal import Decimal
from io import StringIO
from types import SimpleNamespace

import pytest
from rich.console import Console
from sqlalchemy import select

from service.cases import accounts, rate_ceiling
from service.cases.casefile import load_case_file
from service.cases.claim_view import claim_view
from service.cases.enums import PlanStatus
from service.cases.models import DebtCase
from service.cases.rules import load_ruleset
from service.cases.warnings import current_warnings
from service.cli_views import print_claim
from service.core.settings import get_settings
from service.documents import rules as document_rules
from service.documents.contexts.facts import CaseFacts
from service.documents.registry import KINDS, Check
from tests.conftest import auth
from tests.documents.legal_cases import DAY, us_case
from tests.documents.test_acceleration_notices import INTENT, in_state, refusals
from tests.factories import DEMO_ANCHOR, demo_clock
from tests.seeded import seed_demo

US = load_ruleset("US")
CLAIMS = ("claim_statement", "affidavit_of_debt")
IL_SOURCE = US.rule("US-15").params["states"]["IL"]["rate_ceiling"]["licensed"][0]["source"]


def us20(found: list[str]) -> list[str]:
    return [v for v in found if v.startswith("US-20")]


@pytest.mark.parametrize("kind", CLAIMS)
def test_a_default_rate_above_the_illinois_ceiling_is_refused_by_name(db, kind):
    case = us_case(db, penalty_rate="0.40")
    assert us20(refusals(db, case, kind)) == [
        f"US-20: the default rate 40% exceeds the Illinois ceiling of 36% for a licensed lender on a loan of "
        f"$6,000.00 ({IL_SOURCE}): no document may state or claim it; above the ceiling the loan is null and void: "
        "no right to collect principal, interest or charges (815 ILCS 123/15-5-10)"]


def test_new_york_holds_a_licensed_lenders_small_loan_to_25_percent(db):
    case = in_state(db, "NY")
    load_case_file(db, case.ref).contract.penalty_rate = Decimal("0.2955")  # the old demo's Brooklyn default rate
    db.flush()
    [found] = us20(refusals(db, case, "affidavit_of_debt"))
    assert "the default rate 29.55% exceeds the New York ceiling of 25% for a licensed lender" in found
    assert "N.Y. Penal Law 190.40" in found and "N.Y. Gen. Oblig. Law 5-511" in found


def test_an_unlicensed_lender_in_new_york_is_held_to_16_percent(db):
    case = in_state(db, "NY", rate="0.1899")
    load_case_file(db, case.ref).lender.licence_type = "non_licensed"
    db.flush()
    contract, default = us20(refusals(db, case, "claim_statement"))  # 18.99 % before and after default
    assert contract.startswith("US-20: the contract rate 18.99% exceeds the New York ceiling of 16% for a lender "
                               "without the state's licence")
    assert default.startswith("US-20: the default rate 18.99%")


def test_texas_names_each_rate_above_its_ceiling(db):
    case = in_state(db, "TX", rate="0.1899")
    load_case_file(db, case.ref).contract.penalty_rate = Decimal("0.2849")
    db.flush()
    found = us20(refusals(db, case, "claim_statement"))
    assert [v.split(" exceeds")[0] for v in found] == ["US-20: the contract rate 18.99%",
                                                       "US-20: the default rate 28.49%"]
    assert all("the Texas ceiling of 18%" in v and "303.009(a)" in v for v in found)


def test_the_notices_that_state_the_rate_are_refused_too(db):
    case = in_state(db, "TX", accelerated_on=None, rate="0.1899")  # above Texas's 18 %
    assert us20(refusals(db, case, INTENT, DAY - timedelta(days=30)))
    kinds = {k for k, v in KINDS.items() if Check.RATE_CEILING in v.checks}
    assert {"overdue_reminder", "breach_notice", "validation_notice", "plan_reminder", INTENT,
            "notice_of_acceleration", "repayment_agreement", *CLAIMS} <= kinds


def test_rates_within_the_ceiling_go_through(db):
    case = us_case(db)  # Illinois, 18.99 % and 18.99 % after default
    for kind in CLAIMS:
        assert us20(refusals(db, case, kind)) == [], kind


def test_a_payment_plans_rate_counts_and_a_superseded_plan_does_not():
    def plan(rate: str, status: PlanStatus) -> SimpleNamespace:
        return SimpleNamespace(plan_rate=rate, status=status)

    cf = SimpleNamespace(contract=SimpleNamespace(nominal_rate=Decimal("0.12"), penalty_rate=Decimal("0.12")),
                         plans=[plan("0.30", PlanStatus.DRAFT), plan("0.50", PlanStatus.SUPERSEDED),
                                plan("0", PlanStatus.ACTIVE)])
    assert [(r.which, r.rate) for r in rate_ceiling.stated_rates(cf)] == [  # type: ignore[arg-type]
        ("contract", Decimal("0.12")), ("default", Decimal("0.12")), ("plan", Decimal("0.30"))]


def test_the_case_page_warns_of_a_rate_above_the_ceiling(db):
    case = us_case(db, penalty_rate="0.40")
    cf = load_case_file(db, case.ref)
    facts = CaseFacts(cf, DAY, demo_clock(DAY, tz="America/Chicago"))
    warned = current_warnings(cf, facts.limitation, now=facts.now, on=DAY)
    assert [w.rule for w in warned if w.rule == "US-20"] == ["US-20"]
    assert "违约利率40%超过Illinois" in next(w for w in warned if w.rule == "US-20").localized["zh-CN"]


def test_every_demo_us_case_lends_within_its_states_ceiling(db):
    seed_demo(db, anchor=DEMO_ANCHOR, cases=70)
    us = [load_case_file(db, ref) for ref in db.scalars(select(DebtCase.ref).where(DebtCase.profile == "US"))]
    assert {cf.case.us_state for cf in us} == {"NY", "IL", "CA", "TX"}
    for cf in us:
        assert rate_ceiling.case_ceiling(US, cf) is not None, cf.case.ref
        assert rate_ceiling.violations(US, cf) == [], cf.case.ref
        facts = CaseFacts(cf, DEMO_ANCHOR, demo_clock(tz=cf.borrower.timezone))
        for kind in (k for k in KINDS.values() if Check.RATE_CEILING in k.checks and "US" in k.locales):
            assert [v for v in document_rules.check(facts, kind) if v.rule == "US-20"] == [], (cf.case.ref, kind)


def test_dossier_claim_and_the_api_show_the_ceiling_and_the_rate_above_it(db, client, keys):
    case = us_case(db, penalty_rate="0.40")
    cf = load_case_file(db, case.ref)
    view = claim_view(cf, accounts.claim_of(cf, DAY, licensed_cap=get_settings().licensed_cost_cap))
    ceiling = view["rate_ceiling"]
    assert (ceiling["rule"], ceiling["annual_rate"], ceiling["above"]) == ("US-20", Decimal("0.36"), ["default"])
    assert "815 ILCS 123/15-5-5" in ceiling["source"] and ceiling["confirm"]
    out = StringIO()
    print_claim(Console(file=out, width=400), view)
    printed = out.getvalue()
    assert "rate ceiling (US-20): 36 % a year in IL for a licensed lender on 6,000.00 USD" in printed
    assert "rates: contract 18.99 %, default 40 %: ABOVE THE CEILING: default" in printed
    assert "a lawyer should confirm: the 36 % is a military annual percentage rate" in printed
    r = client.get(f"/v1/cases/{case.ref}/claim", params={"as_of": DAY.isoformat()},
                   headers=auth(keys["legal_staff"]))
    assert r.status_code == 200, r.text
    assert r.json()["rate_ceiling"]["above"] == ["default"]
    assert rate_ceiling.view(load_ruleset("CN"), cf) is None  # the CN caps are the CN-16 rule's
