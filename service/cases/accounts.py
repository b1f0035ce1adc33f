"""The bridge from stored rows to the money layer: ledger, agreement, claim and limitation of a case.

The case's ledger is the *lawful* one: the contract with every rate at most the cap for the
lender (caps.lawful_loan), so no notice or agreement states an amount above the cap and interest
paid above it goes to principal. The contract's own figures stay available (``contract_ledger_of``)
for the claim statement's comparison.
"""

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from service.cases import demands, proposals, us_law
from service.cases import ledger as ledger_mod
from service.cases.agreement import (
    AgreementPosition,
    AgreementTerms,
    DefaultClause,
    InterestPeriod,
    PlanDue,
    Revival,
    agreement_position,
)
from service.cases.caps import DEFAULT_LICENSED_CAP, Cap, cap_for, lawful_loan
from service.cases.casefile import CaseFile
from service.cases.claim import (
    Claim,
    ReconLine,
    compute_claim,
    compute_reconciliation,
    interest_suspended_over_plan,
    plan_payments,
)
from service.cases.enums import Direction, Outcome, PartyKind, PlanType
from service.cases.ledger import Component, Ledger, LoanTerms, compute_ledger
from service.cases.limitation import Limitation, limitation
from service.cases.models import Communication, Instalment, LoanContract, Payment, RepaymentPlan
from service.cases.rules import RuleSet, load_ruleset
from service.cases.schedule import ScheduledInstalment

# The rule that says when a recorded acceleration of the loan contract takes effect (its params).
ACCELERATION_RULE = "ESC-12"


def terms_of(contract: LoanContract) -> LoanTerms:
    order = tuple(Component(c) for c in contract.allocation_order) if contract.allocation_order else None
    return LoanTerms(
        principal=contract.disbursed_amount,
        disbursed_date=contract.disbursed_date,
        annual_rate=contract.nominal_rate,
        penalty_rate=contract.penalty_rate,
        compound=contract.compound_allowed,
        day_basis=contract.day_basis,
        allocation_order=order,
    )


def statement_days(cf: CaseFile) -> tuple[date, ...]:
    """The days a notice stated the balance to the borrower (its as-of date: a communication that
    carries the amount it stated, not failed; a breach's stored notice): each closes a statement
    period of the default interest, rounded once (ledger, agreement), so that what a document
    states for the days since one is base × rate × days ÷ day basis to the cent."""
    days = {c.stated_as_of for c in cf.communications
            if c.stated_total is not None and c.stated_as_of is not None and c.direction == Direction.OUT
            and c.party_kind == PartyKind.BORROWER and c.outcome != Outcome.FAILED}
    days |= {b.notice_as_of for b in cf.breaches if b.notice_total is not None and b.notice_as_of is not None}
    return tuple(sorted(days))


def case_terms(cf: CaseFile) -> LoanTerms:
    """The contract's terms with the case's statement days: what every ledger of the case runs on."""
    return replace(terms_of(cf.contract), statement_days=statement_days(cf))


def dues_of(instalments: list[Instalment]) -> list[ScheduledInstalment]:
    return [ScheduledInstalment(i.no, i.due_date, i.principal, i.interest, i.fee) for i in instalments]


def payments_of(payments: list[Payment]) -> list[ledger_mod.Payment]:
    return [ledger_mod.Payment(p.id, p.value_date, p.amount) for p in payments]


def cap_of(cf: CaseFile, as_of: date, *, licensed_cap: Decimal = DEFAULT_LICENSED_CAP) -> Cap:
    """The cap for the lender's licence (CN-16); a US case has none of the CN caps: its claim
    follows the agreement under its state's law (US-18)."""
    rules = load_ruleset(cf.case.profile)
    if rules.jurisdiction.state_law:
        return us_law.contract_cap(rules, cf.case.us_state)
    return cap_for(cf.lender.licence_type, cf.contract.signed_date, licensed_cap=licensed_cap, filed_on=as_of)


def _letters_since(cf: CaseFile) -> tuple[list[Communication], list[Communication]]:
    """The letters of ESC-12's ``declared_by`` kinds sent to the borrower (failed ones too) where the
    profile's law makes a declaration take effect when it reaches the borrower and the loan
    contract's acceleration governs (under a signed plan its default clause accelerates, PLAN-01):
    (those sent on the recorded day, those sent after it), borrower-local days, first sent first.
    Empty elsewhere (US: the notice states its date, US-19)."""
    on = cf.case.accelerated_on
    if on is None or not cf.communications:
        return [], []
    rules = load_ruleset(cf.case.profile)
    params = rules.rule(ACCELERATION_RULE).params if rules.has(ACCELERATION_RULE) else {}
    plan = cf.current_plan
    if params.get("takes_effect") != "delivery" or (
            plan is not None and plan.signed_date is not None and plan.as_of_date < on):
        return [], []
    zone = ZoneInfo(cf.borrower.timezone or rules.timezone)
    kinds = set(params.get("declared_by", ()))
    letters = sorted((c for c in cf.communications
                      if c.template_kind in kinds and c.direction == Direction.OUT
                      and c.party_kind == PartyKind.BORROWER and c.sent_at.astimezone(zone).date() >= on),
                     key=lambda c: c.sent_at)
    return ([c for c in letters if c.sent_at.astimezone(zone).date() == on],
            [c for c in letters if c.sent_at.astimezone(zone).date() > on])


def declaring_letters(cf: CaseFile) -> list[Communication]:
    """The letters that declared the case's recorded acceleration where the profile's law makes a
    declaration take effect when it reaches the borrower (ESC-12 ``takes_effect``: "delivery", CN:
    民法典 art. 137, a non-conversational declaration of intent): those of the rule's
    ``declared_by`` kinds sent to the borrower (not failed) on the recorded day (borrower-local;
    as Timeline.declared_by finds the letter that declared it), first sent first.

    A letter that failed (returned, never delivered) declared nothing: where every letter sent on
    the recorded day failed, the declaration is the next letter sent (not failed) after it, and
    the acceleration takes effect on that one's delivery (``redeclared``). Empty elsewhere (US: the
    notice states its date, US-19)."""
    on_the_day, later = _letters_since(cf)
    if on_the_day and all(c.outcome == Outcome.FAILED for c in on_the_day):
        return [c for c in later if c.outcome != Outcome.FAILED]
    return [c for c in on_the_day if c.outcome != Outcome.FAILED]


def redeclared(cf: CaseFile) -> bool:
    """Every letter that declared the recorded acceleration on its day failed (declaring_letters):
    the acceleration rests on the next letter's declaration, in effect on its delivery, and on
    none while no letter after them was sent."""
    on_the_day, _ = _letters_since(cf)
    return bool(on_the_day) and all(c.outcome == Outcome.FAILED for c in on_the_day)


def failed_declarations(cf: CaseFile) -> list[Communication]:
    """The letters that declared the recorded acceleration and failed (never reached the borrower),
    first sent first: those of its day where all of them failed, and any failed after them."""
    on_the_day, later = _letters_since(cf)
    return [c for c in [*on_the_day, *later] if c.outcome == Outcome.FAILED] if redeclared(cf) else []


def declared_on(cf: CaseFile, tz: str) -> date | None:
    """The day the case's recorded acceleration was declared: the recorded day; where the letters
    declaring it on that day all failed (redeclared), the own date of the next letter sent after
    them (not failed: the one that declares it), None while there is none (nothing declared)."""
    on = cf.case.accelerated_on
    if on is None or not redeclared(cf):
        return on
    letters = declaring_letters(cf)
    if not letters:
        return None
    day: date = letters[0].stated_as_of or letters[0].sent_at.astimezone(ZoneInfo(tz)).date()
    return max(on, day)


def acceleration_in_effect(cf: CaseFile, *, declaring: bool = False) -> date | None:
    """The day the case's recorded acceleration (``accelerated_on``: the day the lender declared it)
    takes effect. Where a declaration takes effect on arrival (declaring_letters): the day the first
    letter declaring it reached the borrower (``delivered_at``, borrower-local), None while it has
    not (not yet in effect: the debt is not accelerated, review CN-00061), and None where the
    letters declaring it all failed and no later one has reached the borrower (a letter never
    delivered accelerated nothing, 民法典 art. 137); `declaring`: the letter being written declares
    it, so it is not in effect yet. Else (no such letter on record, or a profile where the notice's
    own date counts) the recorded day."""
    on = cf.case.accelerated_on
    if on is None:
        return None
    letters = declaring_letters(cf)
    if declaring and not letters:
        return None
    if not letters and not redeclared(cf):
        return on
    first = accelerating_letter(cf)
    if first is None or first.delivered_at is None:
        return None
    rules = load_ruleset(cf.case.profile)
    return max(on, first.delivered_at.astimezone(ZoneInfo(cf.borrower.timezone or rules.timezone)).date())


def accelerating_letter(cf: CaseFile) -> Communication | None:
    """The letter whose delivery put the case's recorded acceleration into effect
    (acceleration_in_effect): the first of the declaring_letters, once its delivery is recorded;
    None while it has not reached the borrower, where it failed (it is no declaring letter), or
    where no letter declared the acceleration."""
    letters = declaring_letters(cf)
    if not letters or letters[0].outcome != Outcome.DELIVERED or letters[0].delivered_at is None:
        return None
    return letters[0]


def contract_acceleration(cf: CaseFile) -> date | None:
    """The case's acceleration as the contract's ledger applies it: from the day it took effect
    (acceleration_in_effect), only where it made a contract instalment due early (after the last
    due date it changes no amount and is no acceleration)."""
    on = acceleration_in_effect(cf)
    return on if on is not None and any(i.due_date > on for i in cf.instalments) else None


def ledger_of(cf: CaseFile, as_of: date, *, licensed_cap: Decimal = DEFAULT_LICENSED_CAP) -> Ledger:
    """The lawful contract ledger at `as_of` (every rate at most the cap)."""
    cap = cap_of(cf, as_of, licensed_cap=licensed_cap)
    terms, rows = lawful_loan(case_terms(cf), dues_of(cf.instalments), cap)
    return compute_ledger(terms, rows, payments_of(cf.payments), as_of=as_of, accelerated_on=contract_acceleration(cf))


def contract_ledger_of(cf: CaseFile, as_of: date) -> Ledger:
    """The ledger on the contract's own rates, before any cap."""
    return compute_ledger(case_terms(cf), dues_of(cf.instalments), payments_of(cf.payments),
                          as_of=as_of, accelerated_on=contract_acceleration(cf))


# The keys of a contract's clause_refs its default-interest (penalty) clause may be recorded under.
PENALTY_CLAUSE_KEYS = ("default", "penalty")


def penalty_clause_of(clause_refs: Mapping[str, Any] | None) -> str:
    """The key of the contract clause that gives the default-interest rate: the one clause every
    document cites that rate to, on a contract claim and under a repayment agreement alike (its
    default clause applies the contract's rate again); "" when the contract records none."""
    refs = clause_refs or {}
    return next((k for k in PENALTY_CLAUSE_KEYS if k in refs), "")


def agreed_rate(cf: CaseFile, plan: RepaymentPlan, rate: Decimal, *, licensed_cap: Decimal) -> Decimal | None:
    """The rate a repayment agreement set in place of a contract rate: where the contract's `rate` was
    above the cap in force on the agreement's as-of date, the agreement charges the cap's rate and
    says the rest is not charged (templates/contracts/repayment_agreement, 第四条); None where the
    agreement applies the contract's rate again."""
    cap = cap_of(cf, plan.as_of_date, licensed_cap=licensed_cap)
    if not cap.binding:
        return None
    ceiling = cap.rate_on(plan.as_of_date)
    return ceiling if rate > ceiling else None


def default_rate_item(plan: RepaymentPlan) -> int:
    """The item of the agreement's default clause (第四条) that states the default interest rate: 4
    where item 3 revives interest (停息挂账's suspended interest, or the contract interest to come the
    plan waived on condition), else 3 (as the agreement words it)."""
    suspends = plan.plan_type == PlanType.INTEREST_SUSPENSION
    plan_rate = Decimal(str(getattr(plan, "plan_rate", 0) or 0))
    waives_to_come = bool(getattr(plan, "interest_not_charged", 0)) and plan_rate == 0
    return 4 if suspends or waives_to_come else 3


def agreement_terms(cf: CaseFile, plan: RepaymentPlan, *, draft: bool = False,
                    licensed_cap: Decimal = DEFAULT_LICENSED_CAP) -> AgreementTerms:
    """A stored plan in money-layer terms; its default clause from the profile's rule PLAN-01.
    `draft`: a plan (or a proposal's duck-typed likeness) not yet signed, as if signed on its as-of date.
    Its rates are the agreement's: where a contract rate was above the cap at signing, the rate the
    agreement set in its place (agreed_rate), cited to the default clause's item that states it."""
    if plan.signed_date is None and not draft:
        raise ValueError(f"agreement {plan.agreement_no} is not signed")
    params = load_ruleset(cf.case.profile).param
    revives = frozenset(Revival(r) for r in params("PLAN-01", "revives")[plan.plan_type])
    clauses = params("PLAN-01", "clauses")
    item = default_rate_item(plan)
    agreed = agreed_rate(cf, plan, cf.contract.penalty_rate, licensed_cap=licensed_cap)
    clause = DefaultClause(int(clauses["default"]), revives, cf.contract.penalty_rate if agreed is None else agreed,
                           penalty_clause_of(cf.contract.clause_refs), rate_item=0 if agreed is None else item)
    suspended, suspended_item = Decimal(0), 0
    if plan.plan_type == PlanType.INTEREST_SUSPENSION:
        agreed = agreed_rate(cf, plan, cf.contract.nominal_rate, licensed_cap=licensed_cap)
        suspended, suspended_item = (cf.contract.nominal_rate, 0) if agreed is None else (agreed, 3)
    contract_order = terms_of(cf.contract).order
    # the lawful ledger at the acknowledgement, which both the principal parts and the interest waived
    # read: computed once (a breach notice's claim computed it twice, half its job CPU in ledgers)
    at_ack = ledger_of(cf, plan.as_of_date) if plan.principal_not_due or plan.interest_not_charged > 0 else None
    parts = principal_parts(cf, plan, at_ack)
    return AgreementTerms(
        ref=plan.agreement_no, kind=plan.plan_type, acknowledged_on=plan.as_of_date,
        signed_date=plan.signed_date or plan.as_of_date,
        acknowledged={Component.PRINCIPAL: plan.ack_principal, Component.INTEREST: plan.ack_interest,
                      Component.PENALTY: plan.ack_penalty, Component.FEE: plan.ack_fees},
        waived=plan.waived_amount, waiver_conditional=plan.waiver_conditional,
        instalments=tuple(PlanDue(i.no, i.due_date, i.amount, parts.get(i.no, Decimal("0.00")))
                          for i in plan.instalments),
        grace_days=plan.grace_days, cure_days=plan.cure_days, default=clause, suspended_rate=suspended,
        day_basis=cf.contract.day_basis, order=contract_order,
        acknowledgement_clause=int(clauses["acknowledgement"]), waiver_clause=int(clauses["arrangement"]),
        principal_not_due=plan.principal_not_due, interest_waived=interest_waived_of(cf, plan, at_ack),
        interest_clause=int(clauses["plan_interest"]), statement_days=statement_days(cf),
        suspended_item=suspended_item,
    )


def principal_parts(cf: CaseFile, plan: RepaymentPlan, at_ack: Ledger | None = None) -> dict[int, Decimal]:
    """Of each plan instalment (by its number), the acknowledged principal not yet due under the loan
    that it pays on the loan's own date (proposals.principal_on_plan_dates): the part a payment of it
    goes to last (agreement.PlanDue.principal). Empty where the plan leaves no principal on the loan's
    dates."""
    if not plan.principal_not_due:
        return {}
    later = proposals.not_yet_due(at_ack if at_ack is not None else ledger_of(cf, plan.as_of_date), plan.as_of_date)
    return proposals.principal_on_plan_dates(later, [(i.no, i.due_date, i.amount) for i in plan.instalments],
                                             plan.principal_not_due)


def interest_suspended_of(cf: CaseFile, plan: RepaymentPlan, *, licensed_cap: Decimal) -> Decimal:
    """What a 停息挂账 plan (signed or a draft) suspends for its period, as the claim computation
    revives it on breach (claim.interest_suspended_over_plan); 0 for other kinds."""
    if plan.plan_type != PlanType.INTEREST_SUSPENSION or not plan.instalments:
        return Decimal("0.00")
    return interest_suspended_over_plan(case_terms(cf), dues_of(cf.instalments), payments_of(cf.payments),
                                        agreement_terms(cf, plan, draft=True, licensed_cap=licensed_cap),
                                        cap_of(cf, plan.as_of_date, licensed_cap=licensed_cap))


def interest_waived_of(cf: CaseFile, plan: RepaymentPlan, at_ack: Ledger | None = None) -> tuple[InterestPeriod, ...]:
    """The contract interest to come the agreement waives on condition, period by period: the
    lawful ledger's interest falling due after the acknowledgement (as proposals.interest_not_charged
    sums it), each with its period's start, up to the amount the agreement states. Each period's
    balance is the principal its lawful interest runs on (ledger.CappedInterest: the schedule's,
    less what was paid ahead or set off against principal as interest paid above the cap, the
    balance of its last days), and its rate at most the cap, so the running period's part on
    acceleration is the cap's on that balance too."""
    left = plan.interest_not_charged
    if left <= 0:
        return ()
    cap = cap_of(cf, plan.as_of_date)
    ledger = at_ack if at_ack is not None else ledger_of(cf, plan.as_of_date)
    loan, rows = lawful_loan(case_terms(cf), dues_of(cf.instalments), cap)
    if cap.binding:
        loan = replace(loan, annual_rate=min(loan.annual_rate, cap.rate_on(plan.as_of_date)))
    starts = [cf.contract.disbursed_date, *(p.due_date for p in ledger.positions)]
    balances = ledger_mod.scheduled_balances(loan.principal, rows)
    periods = []
    for start, position, balance in zip(starts, ledger.positions, balances, strict=False):
        amount = min(position.outstanding[Component.INTEREST], left)
        capped = position.capped_interest
        if capped is not None and capped.spans:
            balance = capped.spans[-1].balance
        if position.interest_due_date > plan.as_of_date and amount > 0:
            periods.append(InterestPeriod(start, position.interest_due_date, amount, balance, loan, position.no))
            left -= amount
    return tuple(periods)


def signed_plan(cf: CaseFile, as_of: date) -> RepaymentPlan | None:
    """The agreement that governs the debt at `as_of`: the latest one signed by then."""
    plan = cf.current_plan
    if plan is None or plan.signed_date is None or plan.signed_date > as_of or plan.as_of_date > as_of:
        return None
    return plan


def acceleration_of(cf: CaseFile, plan: RepaymentPlan) -> date | None:
    """When the agreement's default clause takes effect: the case's acceleration if it came after
    the agreement, else the day after the cure deadline of the open breach, else none yet."""
    accelerated = cf.case.accelerated_on
    if accelerated is not None and accelerated > plan.as_of_date:
        return accelerated
    open_breaches = [b for b in cf.breaches if b.plan_id == plan.id and b.cured_on is None]
    return open_breaches[0].cure_deadline + timedelta(days=1) if open_breaches else None


def governing_dues(cf: CaseFile, as_of: date) -> list[date]:
    """The due dates of the schedule that governs the debt at `as_of`: the signed repayment plan's
    instalments where one governs, else the contract's."""
    plan = signed_plan(cf, as_of)
    if plan is not None and plan.instalments:
        return [i.due_date for i in plan.instalments]
    return [i.due_date for i in cf.instalments]


@dataclass(frozen=True, slots=True)
class Acceleration:
    """What a recorded acceleration did to the governing schedule (the plan's where a signed plan
    governs, else the contract's).

    ``on``: the acceleration date, only where it advanced something (some instalment of the
    schedule fell due after it); None when none is recorded, or when everything had fallen due by
    then. ``recorded``: the date recorded (the case's acceleration; under a plan, the day its
    default clause took effect). ``matured_on``: the schedule's last due date when the recorded
    acceleration advanced nothing (the debt was due in full without it; the acceleration is
    ignored, with ``note``, not refused)."""

    on: date | None
    recorded: date | None
    matured_on: date | None
    schedule: str  # agreement | contract

    @property
    def ignored(self) -> bool:
        return self.matured_on is not None

    @property
    def note(self) -> str:
        return self.note_in(us_english=False)

    def note_in(self, *, us_english: bool) -> str:
        """`note`, in American spelling for a US case (Jurisdiction.us_english: "installment")."""
        if self.matured_on is None or self.recorded is None:
            return ""
        instalment = "installment" if us_english else "instalment"
        if self.schedule == "agreement":
            # Under a plan the default clause still applies on its acceleration date (the claim's
            # accelerated_on: the whole balance due at once, waived interest revived, default
            # interest from it): what it did not do is make any instalment due sooner, as the
            # papers say (labels plan_acceleration; review US-00010)
            return (f"the repayment plan's default clause applied on {self.recorded.isoformat()} (its acceleration "
                    f"date): every {instalment} had already fallen due, the last on {self.matured_on.isoformat()}, "
                    "so none fell due earlier than the plan scheduled it")
        return (f"acceleration recorded on {self.recorded.isoformat()} ignored: the loan had matured on "
                f"{self.matured_on.isoformat()} (its last {instalment} fell due), so nothing was accelerated")


def effective_acceleration(cf: CaseFile, as_of: date, *, recorded: date | None = None,
                           declaring: bool = False) -> Acceleration:
    """The one answer to "was this debt accelerated, and when": the recorded acceleration (the
    case's, or under a signed plan the day its default clause takes effect; `recorded` to ask
    about one not yet recorded) counts only if some instalment of the governing schedule was due
    after it. Otherwise the debt had matured: None, and the last due date."""
    plan = signed_plan(cf, as_of)
    schedule = "agreement" if plan is not None else "contract"
    if recorded is None:
        recorded = acceleration_of(cf, plan) if plan is not None else acceleration_in_effect(cf, declaring=declaring)
    dues = governing_dues(cf, as_of)
    if recorded is None or not dues:
        return Acceleration(recorded, recorded, None, schedule)
    last = max(dues)
    if last <= recorded:
        return Acceleration(None, recorded, last, schedule)
    return Acceleration(recorded, recorded, None, schedule)


def agreement_of(cf: CaseFile, as_of: date, *, payments_to: date | None = None) -> AgreementPosition | None:
    """The governing agreement at `as_of` on its own (signed) terms, payments up to `payments_to`."""
    plan = signed_plan(cf, as_of)
    if plan is None:
        return None
    paid_to = payments_to or as_of
    pays = [p for p in payments_of(cf.payments) if p.value_date <= paid_to]
    return agreement_position(agreement_terms(cf, plan), pays, as_of=as_of, accelerated_on=acceleration_of(cf, plan))


@dataclass(frozen=True, slots=True)
class Applied:
    """Where each payment of a case went, as its documents say: ``contract`` the lawful contract
    ledger (the payments up to a signed agreement's acknowledgement where one governs, as the
    payment history exhibit gives them, else every payment); ``agreement`` the payments after the
    acknowledgement, as the claim reconciles them ("paid under the plan"), None without one."""

    contract: Ledger
    agreement: AgreementPosition | None


def applied_of(cf: CaseFile, as_of: date, *, licensed_cap: Decimal = DEFAULT_LICENSED_CAP) -> Applied:
    """Every payment up to `as_of` applied (``Applied``): what ``activity.reallocate`` stores."""
    plan = signed_plan(cf, as_of)
    if plan is None:
        return Applied(ledger_of(cf, as_of, licensed_cap=licensed_cap), None)
    position = plan_payments(case_terms(cf), dues_of(cf.instalments), payments_of(cf.payments),
                             cap=cap_of(cf, as_of, licensed_cap=licensed_cap),
                             agreement=agreement_terms(cf, plan, licensed_cap=licensed_cap), as_of=as_of,
                             accelerated_on=acceleration_of(cf, plan))
    return Applied(ledger_of(cf, plan.as_of_date, licensed_cap=licensed_cap), position)


def claim_of(cf: CaseFile, as_of: date, *, licensed_cap: Decimal, declaring: bool = False) -> Claim:
    """The one claim computation of a case: on the governing agreement if one was signed by
    as_of, else on the contract (accelerated on the day the case's acceleration took effect,
    acceleration_in_effect; before that day, or without one, what would fall due if accelerated
    at as_of, beside what is due now). `declaring`: for the letter that declares the recorded
    acceleration, not in effect at its date."""
    accel, of, inputs = _claim_inputs(cf, as_of, licensed_cap=licensed_cap, declaring=declaring)
    claim = compute_claim(*of, **inputs, licensed_cap=licensed_cap, accelerate=True)
    if accel.matured_on is not None and accel.recorded is not None and accel.recorded <= as_of:
        note = accel.note_in(us_english=load_ruleset(cf.case.profile).jurisdiction.us_english)
        return replace(claim, matured_on=accel.matured_on, notes=(*claim.notes, note))
    return claim


def reconciliation_of(cf: CaseFile, as_of: date, *, licensed_cap: Decimal,
                      declaring: bool = False) -> tuple[ReconLine, ...]:
    """``claim_of(...).reconciliation``, computed without what is due now before an acceleration
    (``claim.compute_reconciliation``)."""
    _, of, inputs = _claim_inputs(cf, as_of, licensed_cap=licensed_cap, declaring=declaring)
    return compute_reconciliation(*of, **inputs, licensed_cap=licensed_cap)


def _claim_inputs(cf: CaseFile, as_of: date, *, licensed_cap: Decimal, declaring: bool
                  ) -> tuple[Acceleration, tuple[LoanTerms, list[ScheduledInstalment], list[ledger_mod.Payment]],
                             dict[str, Any]]:
    """The case's acceleration, and its claim computation's inputs: the contract's terms, dues and
    payments, and the keywords."""
    plan = signed_plan(cf, as_of)
    agreement = agreement_terms(cf, plan, licensed_cap=licensed_cap) if plan is not None else None
    accel = effective_acceleration(cf, as_of, declaring=declaring)
    # Under a plan the default clause still takes effect on its day (the waiver revives, default
    # interest runs from it) whether or not it advanced an instalment; on the contract an
    # acceleration that advanced nothing is no acceleration: the matured loan is claimed as such,
    # and one that takes effect after as_of is none yet at as_of.
    accelerated = accel.recorded if plan is not None else accel.on
    if plan is None and accelerated is not None and accelerated > as_of:
        accelerated = None
    return accel, (case_terms(cf), dues_of(cf.instalments), payments_of(cf.payments)), {
        "as_of": as_of, "lender_type": cf.lender.licence_type, "formation_date": cf.contract.signed_date,
        "accelerated_on": accelerated, "agreement": agreement, "cap": cap_of(cf, as_of, licensed_cap=licensed_cap),
        "court_fees": load_ruleset(cf.case.profile).jurisdiction.court_fees,
    }


def interruptions(cf: CaseFile) -> list[date]:
    """The days the limitation period was interrupted (民法典 art. 195): a demand when it reached the
    borrower (a letter on its delivery, art. 137; a call or a text when made), the agreement signed,
    each payment. A notice that demands nothing (a visit notice: ``demands.NOT_DEMANDS``) interrupts
    nothing: the pleadings do not count it among the demands either."""
    tz_dates = [(c.delivered_at or c.sent_at).date() for c in cf.communications if demands.interrupts(c)]
    signed = [p.signed_date for p in cf.plans if p.signed_date is not None]
    paid = [p.value_date for p in cf.payments]
    return [*tz_dates, *signed, *paid]


def unpaid_plan_instalments(cf: CaseFile, plan: RepaymentPlan) -> list[tuple[str, date]]:
    """The plan's instalments not paid in full: payments after its acknowledgement fill them
    oldest first, as the agreement's position does (the first unpaid one first)."""
    pool = sum((p.amount for p in cf.payments if p.value_date > plan.as_of_date), Decimal(0))
    unpaid = []
    for i in plan.instalments:
        paid = min(pool, i.amount)
        pool -= paid
        if paid < i.amount:
            unpaid.append((str(i.no), i.due_date))
    return unpaid


def us_limitation_of(cf: CaseFile, rules: RuleSet) -> us_law.UsLimitation:
    """The state's limitation per instalment (US-15). Without a signed plan: the contract's unpaid
    instalments, the acceleration only where it advanced one (effective_acceleration). Under a plan
    in a state where a written acknowledgment restarts the clock: the plan's unpaid instalments (the
    last one when all are paid). Under a plan in a state where it does not (New York): the loan's
    own dates, since the plan's later ones extend nothing (loan_parts_under)."""
    on = date.max
    plan = signed_plan(cf, on)
    accel = effective_acceleration(cf, on)
    if plan is None or not plan.instalments:
        return us_law.case_limitation(cf, rules, unpaid=None, accelerated_on=accel.on)
    if us_law.plan_restarts(us_law.state_law(rules, cf.case.us_state)):
        last = plan.instalments[-1]
        unpaid = unpaid_plan_instalments(cf, plan) or [(str(last.no), last.due_date)]
        return us_law.case_limitation(cf, rules, unpaid=unpaid, accelerated_on=accel.on, schedule=us_law.PLAN)
    return us_law.case_limitation(cf, rules, unpaid=loan_parts_under(cf, plan), accelerated_on=accel.recorded)


def loan_parts_under(cf: CaseFile, plan: RepaymentPlan) -> list[tuple[str, date]]:
    """The loan's instalments a plan took over: those not paid in full by the payments received up
    to the balance it acknowledged (its past-due ones, and those not yet due that it rescheduled).
    The plan's payments are not traced to any one of them, so each keeps the day it fell due under
    the loan, and the earliest is the one whose period ends first (the plan's default clause, as an
    acceleration, only brings forward those due after it)."""
    last = cf.instalments[-1]
    return us_law.unpaid_instalments(cf, paid_by=plan.as_of_date) or [(str(last.no), last.due_date)]


def limitation_of(cf: CaseFile) -> Limitation:
    rules = load_ruleset(cf.case.profile)
    if rules.jurisdiction.state_law:  # the state's law, per instalment (US-15)
        return us_limitation_of(cf, rules).as_limitation()
    years = int(rules.param("CN-18", "years"))
    # 分期履行的债务: from the last due date of the governing schedule, or the acceleration that
    # made everything due before it
    on = date.max
    last_due = max(governing_dues(cf, on))
    accelerated = effective_acceleration(cf, on).on
    if accelerated is not None:
        last_due = min(last_due, accelerated)
    return limitation(last_due_date=last_due, interruptions=interruptions(cf), years=years)
