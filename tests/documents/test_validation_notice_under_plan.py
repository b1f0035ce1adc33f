"""A collector's validation notice on a case with a signed payment plan (12 CFR 1006.34(c)(2)). The
notice itemizes the contract's ledger: its itemization date, the amount then, the charges and
payments since and the current amount. That is the claim computation's only while no signed plan
governs; under a plan the claim follows the agreement (acknowledged balance, plan payments), so
a notice itemized to such a day stated a contract balance the plan had replaced, and `dossier
claim` printed it beside the agreement's claim. Now:

- a copy of the notice sent before the plan itemizes to the day it was sent, and reconciles to
  the cent with the claim of that day (which rests on the contract);
- a notice itemized to a day the plan governs is refused by PLAN-03, and `dossier claim` on
  such a day prints no itemization.
"""

from datetime import timedelta
from decimal import Decimal

from service.cases import accounts, activity
from service.cases.casefile import load_case_file
from service.cases.claim_view import claim_view
from service.cases.schemas import PlanIn, PlanInstalmentIn
from service.core.settings import get_settings
from tests.documents.legal_cases import DAY, context
from tests.documents.test_acceleration_notices import ADDRESSES, in_state, refusals, sent

SIGNED = DAY - timedelta(days=40)
NOTICE = DAY - timedelta(days=70)  # the validation notice, before the plan
VALIDATION = "validation_notice"


def _collector_case_with_plan(db):  # type: ignore[no-untyped-def]
    case = in_state(db, "IL", accelerated_on=None)
    cf = load_case_file(db, case.ref)
    cf.lender.creditor_role, cf.lender.collects_for = "debt_collector", "Lakeside Consumer Credit, LLC"
    case.stage = "NEGOTIATING"
    db.flush()
    owed = accounts.ledger_of(cf, SIGNED).total_outstanding
    half = (owed / 2).quantize(Decimal("0.01"))
    activity.create_plan(db, case, PlanIn(
        plan_type="instalments", as_of=SIGNED, signed_date=SIGNED, signed_place="Chicago, IL",
        service_address=ADDRESSES["IL"][0],
        instalments=[PlanInstalmentIn(no=1, due_date=SIGNED + timedelta(days=30), amount=half),
                     PlanInstalmentIn(no=2, due_date=SIGNED + timedelta(days=60), amount=owed - half)]),
        actor="test")
    case.stage = "NEGOTIATING"
    db.flush()
    return case


def _claim(db, ref, day):  # type: ignore[no-untyped-def]
    return accounts.claim_of(load_case_file(db, ref), day, licensed_cap=get_settings().licensed_cost_cap)


def test_a_notice_itemized_to_a_day_a_signed_plan_governs_is_refused(db):
    case = _collector_case_with_plan(db)
    assert _claim(db, case.ref, DAY).agreement is not None  # the claim follows the plan
    found = [v for v in refusals(db, case, VALIDATION) if v.startswith("PLAN-03")]
    assert found == [f"PLAN-03: payment plan {case.ref}-P1 (signed {SIGNED}) governs the debt on {DAY}: a validation "
                     "notice itemized to that day would state the balance of the original contract, which the plan "
                     "replaced, and contradict the claim; the notice goes out within five days of the first "
                     "communication (12 CFR 1006.34(a)), before a plan, and a copy states what that notice stated"]
    assert claim_view(load_case_file(db, case.ref), _claim(db, case.ref, DAY))["itemization"] is None


def test_a_copy_of_the_notice_sent_before_the_plan_reconciles_with_the_claim_of_its_day(db):
    case = _collector_case_with_plan(db)
    sent(db, case, VALIDATION, NOTICE)
    assert [v for v in refusals(db, case, VALIDATION) if v.startswith("PLAN-03")] == []
    ctx = context(db, case.ref, VALIDATION)
    it = ctx.itemization  # type: ignore[attr-defined]
    assert ctx.itemized_to == NOTICE and ctx.first_sent == NOTICE  # type: ignore[attr-defined]
    then = _claim(db, case.ref, NOTICE)
    assert then.agreement is None  # the contract governed the day the notice went out
    view = claim_view(load_case_file(db, case.ref), then)["itemization"]
    assert (view["basis"], view["on"], view["to"]) == (it.basis, it.on, NOTICE)
    for key in ("amount_then", "interest", "fees", "payments", "current"):
        assert view[key] == getattr(it, key), key
    assert it.on <= NOTICE < SIGNED
    assert it.amount_then + it.interest + it.fees - it.payments == it.current
    # the current amount and what the claim of that day adds to it give the claim, to the cent
    assert it.current + sum(view["to_claim"].values(), Decimal(0)) + view["unapplied"] == then.claimed_total
