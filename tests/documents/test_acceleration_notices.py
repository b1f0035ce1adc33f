"""Notice before acceleration (US-19): in Texas a claim of an accelerated balance rests on a notice
of intent to accelerate, its cure period run out, then a notice of acceleration given by the
acceleration date (Shumway v. Horizon Credit Corp., 801 S.W.2d 890 (Tex. 1991)), unless the
contract waives both; New York, California and Illinois ask for neither. The two notices state
the one claim computation's amounts."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from service.cases import accounts, activity
from service.cases.casefile import load_case_file
from service.cases.enums import Channel, Direction, Outcome, PartyKind, Stage
from service.cases.models import Communication, DebtCase
from service.cases.schemas import PaymentIn, PlanIn, PlanInstalmentIn, TransitionIn
from service.core.clock import today
from service.core.errors import RuleViolation
from service.core.security import Principal
from service.core.settings import get_settings
from service.documents import rules as document_rules
from service.documents import service as documents_service
from service.documents.contexts.facts import CaseFacts
from service.documents.format import date_en, usd
from service.documents.registry import KINDS
from tests.documents.conftest import at, squash
from tests.documents.legal_cases import DAY, context, texts, us_case
from tests.factories import DEMO_ANCHOR, demo_clock
from tests.seeded import seed_demo

HOUSTON = "America/Chicago"
INTENT, ACCELERATION = "notice_of_intent_to_accelerate", "notice_of_acceleration"
CLAIMS = ("affidavit_of_debt", "claim_statement")
STAFF = Principal(actor="test", role="legal_staff")
ADDRESSES = {"TX": ("2210 W Alabama St, Houston, TX 77098", "77098"),
             "NY": ("31 Clinton St, Brooklyn, NY 11201", "11201"),
             "CA": ("880 S Figueroa St Apt 12, Los Angeles, CA 90017", "90017"),
             "IL": ("1452 N Damen Ave, Chicago, IL 60622", "60622")}
LAWFUL = "0.1799"  # within the ceiling of each state for the lender and the loan (Texas: 18 %, US-20)


def in_state(db, state: str, *, accelerated_on: date | None = DAY, rate: str = LAWFUL) -> DebtCase:
    """The US test case (a contract claim, 16 of 24 installments not yet due) moved to `state`."""
    case = us_case(db, rate=rate)
    cf = load_case_file(db, case.ref)
    case.us_state = state
    cf.borrower.habitual_address, cf.borrower.postal_code = ADDRESSES[state]
    case.accelerated_on = accelerated_on
    db.flush()
    return case


def designated(case: DebtCase, db) -> DebtCase:  # type: ignore[no-untyped-def]
    """The Texas case with the Justice Court precinct and place chosen for filing recorded (US-28: a
    filing-ready court paper names them), so that only the notices decide whether a claim goes through."""
    from service.cases import designation
    from service.core.settings import get_settings

    designation.record(db, case, "Precinct 1, Place 2", actor="test", licensed_cap=get_settings().licensed_cost_cap,
                       on=DAY)
    db.flush()
    return case


def sent(db, case: DebtCase, kind: str, day: date, document_id: str | None = None) -> None:
    when = at(day, 10, tz=HOUSTON)
    db.add(Communication(case_id=case.id, channel=Channel.LETTER, direction=Direction.OUT,
                         party_kind=PartyKind.BORROWER, to_address="2210 W Alabama St", sent_at=when,
                         local_time=when.isoformat(), outcome=Outcome.DELIVERED, template_kind=kind, actor="test",
                         document_id=document_id))
    db.flush()


def _plan_breached(db, state: str, place: str, day: date) -> tuple[DebtCase, list[date]]:
    """A case in `state` whose three-instalment plan, signed 75 days before `day`, was paid once
    and breached (PLAN_BREACHED, not accelerated): the case and the plan's due dates."""
    case = in_state(db, state, accelerated_on=None)
    case.stage = "NEGOTIATING"
    signed = day - timedelta(days=75)
    owed = accounts.ledger_of(load_case_file(db, case.ref), signed).total_outstanding
    third = (owed / 3).quantize(Decimal("0.01"))
    dues = [signed + timedelta(days=10 + 30 * k) for k in range(3)]
    activity.create_plan(db, case, PlanIn(
        plan_type="instalments", as_of=signed, signed_date=signed, signed_place=place,
        service_address=ADDRESSES[state][0],
        instalments=[PlanInstalmentIn(no=k + 1, due_date=d, amount=a)
                     for k, (d, a) in enumerate(zip(dues, [third, third, owed - 2 * third], strict=True))]),
        actor="test")
    plan = load_case_file(db, case.ref).current_plan
    activity.add_payment(db, case, PaymentIn(value_date=dues[0], amount=plan.instalments[0].amount), actor="test")
    for stage in (Stage.PLAN_ACTIVE, Stage.PLAN_BREACHED):
        activity.transition(db, case, TransitionIn(to=stage, reason="test"), STAFF)
    return case, dues


def refusals(db, case: DebtCase, kind: str, day: date = DAY) -> list[str]:
    try:
        documents_service.prepare(db, case_ref=case.ref, kind=kind, fmt="pdf", locale=None, as_of=day,
                                  now=at(day, 10, tz=HOUSTON))
    except RuleViolation as exc:
        return [f"{v.rule}: {v.message}" for v in exc.violations]
    return []


def us19(found: list[str]) -> list[str]:
    return [v for v in found if v.startswith("US-19")]


@pytest.mark.parametrize("kind", CLAIMS)
def test_a_texas_accelerated_claim_without_both_notices_is_refused_by_name(db, kind):
    case = in_state(db, "TX")
    assert us19(refusals(db, case, kind)) == [
        f"US-19: {kind} claims a balance accelerated on {DAY.isoformat()}, but no {INTENT} is on file "
        "(Shumway v. Horizon Credit Corp., 801 S.W.2d 890, 892-93 (Tex. 1991); Ogden v. Gibraltar Sav. Ass'n, "
        "640 S.W.2d 232, 233-34 (Tex. 1982))"]
    sent(db, case, INTENT, DAY - timedelta(days=30))
    [only] = us19(refusals(db, case, kind))
    assert f"no {ACCELERATION} is on file" in only


def test_notices_out_of_order_are_refused(db):
    case = in_state(db, "TX")
    sent(db, case, ACCELERATION, DAY - timedelta(days=20))
    sent(db, case, INTENT, DAY - timedelta(days=10))
    [wrong_order] = us19(refusals(db, case, "affidavit_of_debt"))
    assert f"the {ACCELERATION} of {DAY - timedelta(days=20)} went out before the {INTENT}" in wrong_order


def test_a_notice_of_acceleration_before_the_intents_cure_period_ran_out_is_refused(db):
    case = in_state(db, "TX")
    sent(db, case, INTENT, DAY - timedelta(days=12))  # cure period: 10 days, to DAY - 2
    sent(db, case, ACCELERATION, DAY - timedelta(days=5))
    [too_soon] = us19(refusals(db, case, "affidavit_of_debt"))
    assert f"before the cure period of the {INTENT} of {DAY - timedelta(days=12)} ran out" in too_soon
    assert f"(on {DAY - timedelta(days=2)})" in too_soon


def test_acceleration_dated_before_its_notice_is_refused(db):
    case = in_state(db, "TX", accelerated_on=DAY - timedelta(days=10))
    sent(db, case, INTENT, DAY - timedelta(days=40))
    sent(db, case, ACCELERATION, DAY - timedelta(days=5))
    [found] = us19(refusals(db, case, "claim_statement"))
    assert "acceleration takes effect only on notice" in found


@pytest.mark.parametrize("kind", CLAIMS)
def test_both_notices_in_order_let_the_claim_through(db, kind):
    case = designated(in_state(db, "TX"), db)
    sent(db, case, INTENT, DAY - timedelta(days=30))
    sent(db, case, ACCELERATION, DAY)
    assert refusals(db, case, kind) == []


def test_a_contract_that_waives_the_notices_needs_neither(db):
    case = designated(in_state(db, "TX"), db)
    contract = load_case_file(db, case.ref).contract
    contract.clause_refs = {**contract.clause_refs, "acceleration_notice_waiver": "§8(c)"}
    db.flush()
    assert refusals(db, case, "affidavit_of_debt") == []


@pytest.mark.parametrize("state", ["NY", "CA", "IL"])
def test_other_states_do_not_require_the_notices(db, state):
    case = in_state(db, state)
    for kind in CLAIMS:
        assert us19(refusals(db, case, kind)) == [], (state, kind)


def test_the_notice_of_intent_states_the_claim_computation_and_the_cure_deadline(db, tmp_path):
    day = DAY - timedelta(days=30)
    case = in_state(db, "TX", accelerated_on=None)
    ctx = context(db, case.ref, INTENT, day=day)
    claim = accounts.claim_of(load_case_file(db, case.ref), day, licensed_cap=get_settings().licensed_cost_cap)
    b = ctx.balance  # type: ignore[attr-defined]
    assert (b.on, b.total, b.principal, b.interest, b.default_interest, b.fees, b.continuing_from) == (
        claim.as_of, claim.claimed_total, claim.principal, claim.interest, claim.penalty + claim.compound,
        claim.fees, claim.continuing.from_date)
    due = [r for r in claim.rows if r.due_date <= day and r.total > 0]
    assert ctx.cure_amount == sum(r.total for r in due) > 0  # type: ignore[attr-defined]
    assert ctx.cure_deadline == day + timedelta(days=10)  # type: ignore[attr-defined]
    for text in texts(ctx, tmp_path):
        flat = squash(text)
        assert squash(f"pay the amount past due, {usd(ctx.cure_amount)}, so that we receive it no later than "  # type: ignore[attr-defined]
                      f"{date_en(day + timedelta(days=10))} (10 days") in flat
        assert squash(usd(claim.claimed_total)) in flat and squash(usd(claim.principal)) in flat
        assert "intendstoacceleratetheloan" in flat and "colour" not in flat


def test_the_notice_of_intent_labels_the_installment_and_its_default_interest_apart(db, tmp_path):
    """Review of US-00014: the "Unpaid" column held installment 5 with its default interest
    ($3,913.08) while the affidavit of debt gave installment 5 as $3,879.73. Each column now holds
    one thing: the installment's own unpaid amount (the affidavit's figure) and its parts; the
    default interest is not split among the installments (a share of one run's rounding: installment
    5's "$33.34" where its own product gave 33.35) but stated in its rows; the amount past due is
    all of them (every figure recomputed: test_default_interest_rows)."""
    day = DAY - timedelta(days=30)
    case = in_state(db, "TX", accelerated_on=None)
    ctx = context(db, case.ref, INTENT, day=day)
    claim = accounts.claim_of(load_case_file(db, case.ref), day, licensed_cap=get_settings().licensed_cost_cap)
    due = [r for r in claim.rows if r.due_date <= day and r.total > 0]
    lines = ctx.past_due  # type: ignore[attr-defined]
    assert [(p.no, p.instalment, p.principal, p.interest) for p in lines] == [
        (r.no, r.principal + r.interest + r.fee, r.principal, r.interest) for r in due]
    rows = ctx.default_interest  # type: ignore[attr-defined]
    assert rows.total == sum(r.penalty + r.compound for r in due) > 0  # the case this test is about
    assert [a.amount for a in rows.accruals] == [a.amount for a in claim.ledger.accruals]
    for text in texts(ctx, tmp_path):
        flat = squash(text)
        assert "InstallmentDuedatePrincipalInterestUnpaid" in flat
        for p in lines:
            assert squash(f"{p.no} {date_en(p.due_date)} {usd(p.principal)} {usd(p.interest)} "
                          f"{usd(p.instalment)}") in flat, p.no
        assert squash(f"each row below to the cent {usd(rows.total)} Amount past due "
                      f"{usd(ctx.cure_amount)}") in flat  # type: ignore[attr-defined]
        assert "DefaultinterestPastdue" not in flat


def test_the_notice_of_acceleration_states_the_claim_and_the_notice_of_intent_it_follows(db, tmp_path):
    case = in_state(db, "TX")
    intent = DAY - timedelta(days=30)
    sent(db, case, INTENT, intent)
    ctx = context(db, case.ref, ACCELERATION)
    claim = accounts.claim_of(load_case_file(db, case.ref), DAY, licensed_cap=get_settings().licensed_cost_cap)
    b = ctx.balance  # type: ignore[attr-defined]
    assert (b.total, b.principal, b.continuing_rate, b.continuing_from) == (
        claim.claimed_total, claim.principal, claim.continuing.annual_rate, claim.continuing.from_date)
    assert ctx.stated_debt() == claim.claimed_total
    for text in texts(ctx, tmp_path):
        flat = squash(text)
        assert squash(f"On {date_en(intent)} we notified you") in flat
        assert squash(f"unless you cured the default by {date_en(intent + timedelta(days=10))}") in flat
        assert squash(f"The entire unpaid balance became due on {date_en(DAY)}") in flat
        assert squash(f"Total now due as of {date_en(DAY)} {usd(claim.claimed_total)}") in flat


def test_in_texas_the_notice_of_acceleration_waits_for_the_intents_cure_period(db):
    case = in_state(db, "TX")
    [none] = us19(refusals(db, case, ACCELERATION))
    assert f"no {INTENT} is on file" in none
    sent(db, case, INTENT, DAY - timedelta(days=4))
    [running] = us19(refusals(db, case, ACCELERATION))
    assert f"lets the borrower cure until {DAY + timedelta(days=6)}" in running


def test_the_texas_litigation_demo_case_matured_so_it_sends_no_notice_and_its_affidavit_passes(db):
    """The demo's Texas case in litigation missed its plan's last instalment: the plan had matured,
    nothing was accelerated (US-21), so neither notice went out, and the claims rest on no
    acceleration (US-19 asks for nothing). Both notices in order: test_us_acceleration_exhibit."""
    seed_demo(db, anchor=DEMO_ANCHOR, cases=14)
    case = db.scalars(select(DebtCase).where(DebtCase.us_state == "TX", DebtCase.stage == "PRE_LITIGATION")).one()
    cf = load_case_file(db, case.ref)
    [breach] = cf.breaches
    assert accounts.effective_acceleration(cf, DEMO_ANCHOR).matured_on == breach.due_date
    assert not [c for c in cf.communications if c.template_kind in (INTENT, ACCELERATION)]
    facts = CaseFacts(cf, DEMO_ANCHOR, demo_clock(tz=cf.borrower.timezone))
    for kind in CLAIMS:
        assert [v.rule for v in document_rules.check(facts, KINDS[kind]) if v.rule in ("US-19", "US-21")] == [], kind
    assert [v.rule for v in document_rules.check(facts, KINDS[ACCELERATION]) if v.rule == "US-21"] == ["US-21"]


def test_a_breached_texas_plan_enters_pre_litigation_accelerated_on_its_notice_of_acceleration(db):
    """The acceleration takes effect on the notice (US-19), so entering pre-litigation later dates
    the acceleration by it, and the affidavit that follows passes the rule."""
    day = today(HOUSTON)
    case, _dues = _plan_breached(db, "TX", "Houston, TX", day)
    sent(db, case, INTENT, day - timedelta(days=29))
    sent(db, case, ACCELERATION, day - timedelta(days=10))
    activity.transition(db, case, TransitionIn(to=Stage.PRE_LITIGATION, reason="cure period over"), STAFF)
    assert case.accelerated_on == day - timedelta(days=10)
    assert accounts.claim_of(load_case_file(db, case.ref), day,
                             licensed_cap=get_settings().licensed_cost_cap).accelerated_on == day - timedelta(days=10)
    assert us19(refusals(db, case, "affidavit_of_debt", day)) == []


def test_a_notice_of_acceleration_does_not_demand_the_balance_inside_a_validation_period(db):
    case = in_state(db, "IL")
    lender = load_case_file(db, case.ref).lender
    lender.creditor_role, lender.collects_for = "debt_collector", "Lakeside Consumer Credit, LLC"
    sent(db, case, "validation_notice", DAY - timedelta(days=3))
    db.flush()
    [found] = [v for v in refusals(db, case, ACCELERATION) if v.startswith("US-16")]
    assert f"demands payment by {DAY}, inside the validation period" in found


def test_a_notice_of_acceleration_is_refused_while_the_contracts_condition_is_unmet(db):
    """Review diff F4: the notice announced an acceleration the contract's clause did not allow yet
    (ESC-12); in Texas its date would then have become the acceleration date. Once the condition is
    met the same notice goes out."""
    case = in_state(db, "NY", accelerated_on=None)
    contract = load_case_file(db, case.ref).contract
    contract.acceleration_overdue_days = 3650
    db.flush()
    [esc12] = [v for v in refusals(db, case, ACCELERATION) if v.startswith("ESC-12")]
    assert "only once an instalment is more than 3650 days overdue" in esc12
    assert f"on {DAY.isoformat()} the oldest unpaid instalment is" in esc12
    contract.acceleration_overdue_days = 30
    db.flush()
    assert refusals(db, case, ACCELERATION) == []


def test_the_notice_of_intent_on_a_plan_dates_the_balance_that_would_fall_due(db, tmp_path):
    """Issue 8: on a plan the balance that would fall due is the claim's at the day its default
    clause would take effect, after the notice's date: the notice said "As of the date below" (the
    date it is signed) over a row dated later. It names the balance's own date."""
    day = DAY
    case, dues = _plan_breached(db, "NY", "Brooklyn, NY", day)
    day = dues[1] + timedelta(days=10)  # the second instalment missed, its cure period running
    ctx = context(db, case.ref, INTENT, day=day)
    b = ctx.balance  # type: ignore[attr-defined]
    assert b.on > day
    for text in texts(ctx, tmp_path):
        flat = squash(text)
        assert "asofthedatebelow" not in flat.lower()
        assert squash(f"On {date_en(b.on)}, the balance would be:") in flat
        assert squash(f"Balance that would be due as of {date_en(b.on)}") in flat


@pytest.mark.parametrize("state", ["TX", "NY", "CA", "IL"])
def test_the_notice_of_acceleration_runs_the_contract_rate_until_payment_or_judgment(db, tmp_path, state):
    """The complaint and the declaration claim the contract rate until entry of judgment and the
    judgment's legal rate after it (Cal. Code Civ. Proc. 685.010; review US-00011): the notice's
    contract rate runs until the debt is paid or judgment is entered, not "until it is paid"."""
    case = in_state(db, state)
    if state == "TX":
        sent(db, case, INTENT, DAY - timedelta(days=30))
    ctx = context(db, case.ref, ACCELERATION)
    for text in texts(ctx, tmp_path):
        flat = squash(text)
        assert squash("at the yearly rate above on the unpaid principal, as the agreement provides, until it is "
                      "paid or a court enters judgment for it") in flat, state
        assert squash("until it is paid, as") not in flat, state
