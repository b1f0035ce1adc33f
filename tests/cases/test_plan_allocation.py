"""The stored allocation of a payment (table payment_allocation, the case API's ``allocation``)
is the one the claim and the documents make: under a signed repayment agreement the payments after
its acknowledgement as the agreement applies them, component by component, so that they add up to
the claim's "paid under the plan" to the cent; the payments up to it as the contract ledger applies
them, instalment by instalment (review US-00011: the API showed $5,208.93 of default interest paid
during a plan that charges none, and $40,031.81 of principal unpaid against the claim's $36,003.21).

The demo seeds run on SQLite, and on PostgreSQL when DOSSIER_DATABASE_URL names one (tests/conftest)."""

from collections import defaultdict
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import delete, select

from service.cases import accounts
from service.cases.casefile import CaseFile, load_case_file
from service.cases.enums import Stage
from service.cases.models import DebtCase, PaymentAllocation
from service.core.clock import today
from service.core.settings import get_settings
from tests.conftest import auth
from tests.factories import DEMO_ANCHOR
from tests.seeded import seed_demo

ZERO = Decimal("0.00")


def _plan_cases(db) -> list[CaseFile]:  # type: ignore[no-untyped-def]
    refs = db.scalars(select(DebtCase.ref).order_by(DebtCase.ref))
    return [cf for cf in (load_case_file(db, ref) for ref in refs) if accounts.signed_plan(cf, today()) is not None]


@pytest.fixture(params=["court_sets", "cases"])
def plan_cases(request, db, settings) -> list[CaseFile]:  # type: ignore[no-untyped-def]
    """The court sets (US-00011 among them: California, a signed plan, then breached) or the
    demo's 50 cases (CN plans active and breached, CN-00011 and CN-00027 among them)."""
    if request.param == "court_sets":
        seed_demo(db, anchor=DEMO_ANCHOR, cases=0, settings=settings, court_sets=True)
    else:
        seed_demo(db, anchor=DEMO_ANCHOR, cases=50, settings=settings)
    cases = _plan_cases(db)
    stages = {(cf.case.profile, cf.case.stage) for cf in cases}
    if request.param == "court_sets":
        assert ("US", Stage.PRE_LITIGATION) in stages and "CA" in {cf.case.us_state for cf in cases}
    else:
        assert {("CN", Stage.PLAN_BREACHED), ("CN", Stage.PLAN_ACTIVE)} <= stages
    return cases


def _api(client, keys, ref: str) -> tuple[dict[str, Any], dict[str, Any]]:  # type: ignore[no-untyped-def]
    h = auth(keys["legal_staff"])
    case, claim = client.get(f"/v1/cases/{ref}", headers=h), client.get(f"/v1/cases/{ref}/claim", headers=h)
    assert case.status_code == 200 and claim.status_code == 200, (case.text, claim.text)
    return case.json(), claim.json()


def test_the_api_allocation_under_a_plan_adds_up_to_the_claims_paid_under_the_plan(plan_cases, client, keys, db):
    for cf in plan_cases:
        ref = cf.case.ref
        case, claim = _api(client, keys, ref)
        agreement = claim["agreement"]
        assert agreement is not None, ref
        ack = agreement["acknowledged_on"]
        under: dict[str, Decimal] = defaultdict(lambda: ZERO)
        for p in case["payments"]:
            lines = p["allocation"]
            assert sum((Decimal(a["amount"]) for a in lines), ZERO) == Decimal(p["amount"]), (ref, p)
            if p["value_date"] <= ack:  # the contract's: instalment by instalment
                assert all(a["instalment_no"] is not None or a["component"] == "unapplied" for a in lines), (ref, p)
                continue
            for a in lines:  # the agreement's: component by component, no loan instalment
                assert a["instalment_no"] is None and agreement["agreement_no"] in a["note"], (ref, a)
                under[a["component"]] += Decimal(a["amount"])
        paid = {c: Decimal(v) for c, v in agreement["paid"].items()}
        assert {c: under.get(c, ZERO) for c in paid} == paid, ref
        assert under.get("unapplied", ZERO) == Decimal(agreement["unapplied"]), ref
        assert set(under) <= {*paid, "unapplied"}, ref
        paid_under_plan = next(x for x in claim["reconciliation"] if x["key"] == "paid_under_plan")
        assert -Decimal(paid_under_plan["amount"]) == sum(paid.values(), ZERO), ref


def test_the_payments_before_the_plan_keep_the_contract_ledgers_allocation(plan_cases, db):
    """As the payment history exhibit gives them (the lawful ledger at the acknowledgement): what
    us_law.unpaid_instalments reads (paid_by the acknowledgement) for the loan's instalments a plan
    took over in a state where the plan restarts no clock."""
    for cf in plan_cases:
        plan = accounts.signed_plan(cf, today())
        assert plan is not None
        ledger = accounts.ledger_of(cf, plan.as_of_date)
        expected = {str(a.payment_id): sorted((x.instalment_no or 0, x.component.value, x.amount) for x in a.lines)
                    for a in ledger.allocations}
        stored = {str(p.id): sorted((a.instalment_no or 0, a.component, a.amount) for a in p.allocations
                                    if a.component != "unapplied")
                  for p in cf.payments if p.value_date <= plan.as_of_date}
        assert stored == expected, cf.case.ref


def test_db_reallocate_replaces_the_rows_stored_before(plan_cases, db, run):
    """Rows stored by an older computation (here: the contract ledger's, for every payment, as
    stored before the agreement's allocation was) are replaced by `dossier db reallocate`, and a
    second run replaces nothing."""
    cf = plan_cases[0]
    ledger = accounts.ledger_of(cf, max([today(), *(p.value_date for p in cf.payments)]))
    ids = [p.id for p in cf.payments]
    db.execute(delete(PaymentAllocation).where(PaymentAllocation.payment_id.in_(ids)))
    db.add_all(PaymentAllocation(payment_id=int(a.payment_id), instalment_no=x.instalment_no,
                                 component=x.component.value, amount=x.amount, note="")
               for a in ledger.allocations for x in a.lines)
    db.flush()
    result = run("db", "reallocate", cf.case.ref)
    assert result.exit_code == 0, result.output
    assert "reallocated 1 case(s): replaced the rows of" in result.output, result.output
    assert "in 1 case(s)" in result.output and "of 0 payment(s)" not in result.output, result.output
    after = load_case_file(db, cf.case.ref)
    claim = accounts.claim_of(after, today(), licensed_cap=get_settings().licensed_cost_cap)
    assert claim.agreement is not None
    under: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for p in after.payments:
        if p.value_date > claim.agreement.terms.acknowledged_on:
            for a in p.allocations:
                under[a.component] += a.amount
    assert {c.value: under.get(c.value, ZERO) for c in claim.agreement.paid} == {
        c.value: v for c, v in claim.agreement.paid.items()}
    again = run("db", "reallocate")
    assert again.exit_code == 0 and "replaced the rows of 0 payment(s) in 0 case(s)" in again.output, again.output
    assert run("db", "reallocate", "XX-99999").exit_code == 1
