"""`dossier claim` before acceleration (a plan not yet breached, a contract not accelerated): what
is due now (overdue) apart from what would fall due on acceleration; nothing called "claimed"."""

from io import StringIO

from rich.console import Console
from sqlalchemy import select

from service.cases import accounts
from service.cases.casefile import load_case_file
from service.cases.claim import compute_claim
from service.cases.claim_view import claim_view
from service.cases.enums import Stage
from service.cases.models import DebtCase
from service.cli_views import PRE_ACCELERATION, print_claim
from service.core.settings import get_settings
from tests.factories import DEMO_ANCHOR
from tests.seeded import seed_demo


def _printed(view: dict) -> str:
    out = StringIO()
    print_claim(Console(file=out, width=240), view, "en")
    return out.getvalue()


def _first(db, stage: Stage) -> str:
    ref = db.scalars(select(DebtCase.ref).where(DebtCase.profile == "CN", DebtCase.stage == stage)
                     .order_by(DebtCase.ref)).first()
    assert ref is not None, stage
    return ref


def test_before_acceleration_the_claim_shows_what_is_due_now_apart_from_what_falls_due_on_acceleration(db):
    seed_demo(db, anchor=DEMO_ANCHOR, cases=20)
    cap = get_settings().licensed_cost_cap
    for stage in (Stage.VISIT_DONE, Stage.PLAN_ACTIVE):  # a contract case, a plan not yet breached
        cf = load_case_file(db, _first(db, stage))
        assert cf.case.accelerated_on is None
        claim = accounts.claim_of(cf, DEMO_ANCHOR, licensed_cap=cap)
        assert not claim.accelerated and claim.due_now is not None
        assert 0 <= claim.due_now < claim.claimed_total
        assert claim.due_now > 0 or claim.agreement is not None  # a plan kept to date has nothing overdue
        assert claim.due_now + claim.on_acceleration == claim.claimed_total
        if claim.agreement is None:  # the same computation without acceleration
            unaccelerated = compute_claim(
                accounts.terms_of(cf.contract), accounts.dues_of(cf.instalments), accounts.payments_of(cf.payments),
                as_of=DEMO_ANCHOR, lender_type=cf.lender.licence_type, formation_date=cf.contract.signed_date,
                accelerate=False, cap=accounts.cap_of(cf, DEMO_ANCHOR, licensed_cap=cap), court_fees=False)
            assert claim.due_now == unaccelerated.claimed_total
        else:  # the plan instalments past due
            assert claim.due_now == sum(i.amount - i.paid for i in claim.agreement.instalments
                                        if i.due_date <= DEMO_ANCHOR)
        printed = _printed(claim_view(cf, claim))
        assert "claimed total" not in printed and "claimed " not in printed.replace("not claimed", "")
        for label in ("due_now", "on_acceleration", "total_fee"):
            assert PRE_ACCELERATION[label] in printed, (stage, label)
        assert f"{claim.due_now:,}" in printed and f"{claim.on_acceleration:,}" in printed
        assert "due now (overdue)" in printed


def test_once_accelerated_the_claim_is_claimed(db):
    seed_demo(db, anchor=DEMO_ANCHOR, cases=20)
    cf = load_case_file(db, _first(db, Stage.PRE_LITIGATION))
    claim = accounts.claim_of(cf, DEMO_ANCHOR, licensed_cap=get_settings().licensed_cost_cap)
    assert claim.accelerated and claim.due_now is None and claim.on_acceleration == 0
    printed = _printed(claim_view(cf, claim))
    assert "claimed total (标的额)" in printed and PRE_ACCELERATION["due_now"] not in printed
