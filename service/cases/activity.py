"""What happens on a case: payments, contacts, visits, plans, transitions, assignment."""

from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import delete
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from service.cases import (
    acceleration,
    accounts,
    affordability,
    compliance,
    escalation,
    list_columns,
    mailing,
    postal,
    repository,
)
from service.cases.casefile import CaseFile, load_case_file, staff_bookings
from service.cases.compliance import local_time
from service.cases.enums import Direction, FailureReason, Outcome, PlanStatus, Stage
from service.cases.models import (
    AccountReview,
    BreachEvent,
    CaseHold,
    Communication,
    DebtCase,
    Payment,
    PaymentAllocation,
    PlanInstalment,
    RepaymentPlan,
    Visit,
    VisitStaff,
)
from service.cases.plans import cure_deadline, plan_position
from service.cases.proposals import plan_relief
from service.cases.rules import load_ruleset
from service.cases.schemas import CommunicationIn, PaymentIn, PlanIn, ReviewIn, TransitionIn, VisitIn
from service.cases.validation import PROJECTION_DAYS, checked_as_of, past_errors, payment_errors
from service.core import events, trail
from service.core.clock import today, utcnow
from service.core.db import MAX_ROW_ID
from service.core.errors import Conflict, FieldError, InvalidInput, RuleViolation, Violation
from service.core.security import Principal

_Line = tuple[int | None, str, Decimal, str]  # a payment's allocation line: instalment, component, amount, note


def reallocate(session: Session, ref: str, cf: CaseFile | None = None, *, on: date | None = None) -> int:
    """Recompute every payment's allocation from the whole history (a back-dated payment
    changes what later payments paid). `cf`: the case file already loaded, with every payment
    (``add_payment`` passes its own rather than loading the case a second time); `on`: the day
    the list columns are refreshed as of (``list_columns.refresh``; default today).

    The allocation is the one the case's documents state (``accounts.applied_of``): under a
    signed repayment agreement the payments after its acknowledgement are applied as the agreement
    applies them, component by component, as the claim reconciles them ("paid under the plan":
    rows with no contract instalment, noted with the agreement's number); every other payment as
    the lawful contract ledger applies it, instalment by instalment. So whatever changes how the
    agreement applies payments (a plan signed, a breach, an acceleration) reallocates too.

    Only the payments whose allocation changed have their rows replaced: a payment dated today
    leaves the earlier ones as they were, so a write no longer deletes and inserts the whole
    history's rows (a case with a hundred payments wrote thousands of rows a payment). Returns how
    many payments had their rows replaced."""
    cf = cf or load_case_file(session, ref)
    applied = accounts.applied_of(cf, max([today(), *(p.value_date for p in cf.payments)]))
    list_columns.refresh(cf, on, ledger=applied.contract)
    fresh: dict[int, list[_Line]] = {p.id: [] for p in cf.payments}
    for alloc in applied.contract.allocations:
        rows = fresh[int(alloc.payment_id)]
        rows.extend((line.instalment_no, line.component.value, line.amount,
                     "interest paid above the cap, set against principal" if line.above_cap else "")
                    for line in alloc.lines)
        if alloc.unapplied:
            rows.append((None, "unapplied", alloc.unapplied, "credit held: nothing was due"))
    if applied.agreement is not None:
        under = f"paid under agreement {applied.agreement.terms.ref}"
        for paid in applied.agreement.allocations:
            rows = fresh[int(paid.payment_id)]
            rows.extend((None, component.value, amount, under) for component, amount in paid.parts.items())
            if paid.unapplied:
                rows.append((None, "unapplied", paid.unapplied, f"credit held: nothing was owed under agreement "
                                                               f"{applied.agreement.terms.ref}"))
    stored = {p.id: [(a.instalment_no, a.component, a.amount, a.note) for a in p.allocations] for p in cf.payments}
    changed = [payment_id for payment_id, rows in fresh.items() if rows != stored[payment_id]]
    if changed:
        session.execute(delete(PaymentAllocation).where(PaymentAllocation.payment_id.in_(changed)))
        session.add_all(PaymentAllocation(payment_id=payment_id, instalment_no=no, component=component, amount=amount,
                                          note=note)
                        for payment_id in changed for no, component, amount, note in fresh[payment_id])
    session.flush()
    return len(changed)


def add_payment(session: Session, case: DebtCase, data: PaymentIn, *, actor: str,
                tolerance: Decimal | None = None, overpayment: bool = False) -> Payment:
    """Record a payment. With a `tolerance` (the API's), one above everything owed on its value
    date plus the tolerance is refused unless flagged as an overpayment; without one (imports,
    back-office corrections) it is kept and the surplus held as unapplied credit."""
    cf = load_case_file(session, case.ref)
    errors = payment_errors(data, disbursed=cf.contract.disbursed_date, today=today(cf.borrower.timezone),
                            field="body")
    if errors:
        raise InvalidInput(errors)
    if tolerance is not None and not overpayment:
        _refuse_overpayment(cf, data, tolerance)
    payment = Payment(contract_id=cf.contract.id, received_at=utcnow(), **data.model_dump(exclude={"overpayment"}))
    session.add(payment)
    session.flush()
    reallocate(session, case.ref, _with_payment(cf, payment))
    _touch(case)
    trail.record(session, actor=actor, action="payment.recorded", object_type="payment", object_id=payment.id,
                 case_id=case.id, data={"amount": str(payment.amount), "value_date": str(payment.value_date)})
    return payment


def _with_payment(cf: CaseFile, payment: Payment) -> CaseFile:
    """The case file as a reload after `payment` was flushed would give it: the payment among
    the others in the contract's order (value date, id), with no allocation yet."""
    set_committed_value(payment, "allocations", [])
    cf.payments = sorted([*cf.payments, payment], key=lambda p: (p.value_date, p.id))
    set_committed_value(cf.contract, "payments", list(cf.payments))
    return cf


def _refuse_overpayment(cf: CaseFile, data: PaymentIn, tolerance: Decimal) -> None:
    """More than everything owed on the value date plus the tolerance is a typo or a wrong
    case until the caller says it is an overpayment."""
    owed = accounts.ledger_of(cf, data.value_date).total_outstanding
    if data.amount > owed + tolerance:
        raise InvalidInput.one("amount", f"{data.amount} is more than the {owed} owed on {data.value_date} plus the "
                                         f"tolerance of {tolerance}; send \"overpayment\": true if it is meant")


def record_communication(session: Session, case: DebtCase, data: CommunicationIn, *, actor: str) -> Communication:
    """Record a contact; an outbound one that breaks a rule is refused and nothing is written."""
    cf = load_case_file(session, case.ref)
    if data.sent_at.tzinfo is None:
        raise InvalidInput.one("sent_at", "must carry a time-zone offset")
    if errors := past_errors(utcnow(), sent_at=data.sent_at):
        raise InvalidInput(errors)
    posted = postal.checked(load_ruleset(case.profile), data.carrier, data.tracking_no, channel=data.channel)
    comm = Communication(case_id=case.id, direction=Direction.OUT, actor=actor,
                         **data.model_dump(exclude={"carrier", "tracking_no"}))
    mailed = mailing.apply(comm, posted)
    if comm.outcome == Outcome.DELIVERED:  # logged as delivered (a text, an e-mail): it reached the party as sent
        comm.delivered_at = data.sent_at
    comm.local_time = local_time(cf, data.sent_at).isoformat()
    violations = compliance.check_contact(cf, comm)
    if violations:
        raise RuleViolation(violations)
    session.add(comm)
    session.flush()
    _touch(case)
    trail.record(session, actor=actor, action="communication.recorded", object_type="communication",
                 object_id=comm.id, case_id=case.id,
                 data={"channel": comm.channel, "outcome": comm.outcome, "local_time": comm.local_time,
                       "party_kind": comm.party_kind, "content_hash": comm.content_hash, **mailed})
    return comm


def record_delivery(session: Session, case: DebtCase, communication_id: int, *, actor: str,
                    at: datetime | None = None, audit_at: datetime | None = None, carrier: str | None = None,
                    tracking_no: str | None = None) -> Communication:
    """The log's proof that an outbound letter or notice reached the borrower: a communication of
    this case recorded as sent (a generated notice is) is marked delivered, at `at` (the moment the
    delivery proof gives: a letter days after it was mailed; default now). `at` is refused before
    the communication was sent and in the future. CN-09 counts a visit notice only once delivered
    (compliance.visit_notice_delivered). `audit_at`: a history laid down after the fact (the demo
    seed) dates the audit event at the delivery, as `transition` does; otherwise it is dated now.
    `carrier`, `tracking_no`: what a letter was mailed under, where not recorded yet (mailing.given)."""
    comm = _sent_letter(session, case, communication_id, "delivered")
    posted = mailing.given(case, comm, carrier, tracking_no)
    delivered = checked_moment(comm, at, "delivered_at")
    comm.outcome, comm.delivered_at = Outcome.DELIVERED, delivered
    mailed = mailing.apply(comm, posted)
    session.flush()
    _touch(case)
    trail.record(session, actor=actor, action="communication.delivered", object_type="communication",
                 object_id=comm.id, case_id=case.id, at=audit_at,
                 data={"template_kind": comm.template_kind, "delivered_at": delivered.isoformat(), **mailed})
    return comm


def record_failure(session: Session, case: DebtCase, communication_id: int, *, actor: str,
                   at: datetime | None = None, reason: FailureReason | str, note: str = "",
                   carrier: str | None = None, tracking_no: str | None = None) -> Communication:
    """The log's record that an outbound letter or notice recorded as sent came back undelivered
    (退回): marked failed, at `at` (the moment the return slip or the delivery proof gives; default
    now, refused before it was sent and in the future, as a delivery is) for `reason` (refused,
    unknown_addressee, moved, unclaimed; "other" with the slip's words in `note`). A communication
    already delivered, or not outbound and sent, is refused. A failed letter reached no one: it
    declares no acceleration and starts no deadline (accounts.declaring_letters, DOC-07, DOC-08).
    `carrier`, `tracking_no`: what the letter was mailed under, where not recorded yet."""
    comm = _sent_letter(session, case, communication_id, "failed")
    posted = mailing.given(case, comm, carrier, tracking_no)
    try:
        why = FailureReason(reason)
    except ValueError:
        raise InvalidInput.one("reason", f"{reason!r} is not one of "
                                         f"{', '.join(r.value for r in FailureReason)}") from None
    note = note.strip()
    if why == FailureReason.OTHER and not note:
        raise InvalidInput.one("note", "a return for reason \"other\" needs the return slip's words")
    if len(note) > NOTE_MAX:
        raise InvalidInput.one("note", f"is {len(note)} characters; at most {NOTE_MAX}")
    failed = checked_moment(comm, at, "failed_at")
    comm.outcome, comm.failed_at, comm.failure_reason, comm.failure_note = Outcome.FAILED, failed, why, note
    mailed = mailing.apply(comm, posted)
    session.flush()
    _touch(case)
    trail.record(session, actor=actor, action="communication.failed", object_type="communication",
                 object_id=comm.id, case_id=case.id,
                 data={"template_kind": comm.template_kind, "failed_at": failed.isoformat(), "reason": why.value,
                       "note": note, **mailed})
    return comm


NOTE_MAX = 500  # Communication.failure_note's length


def _sent_letter(session: Session, case: DebtCase, communication_id: int, marked: str) -> Communication:
    """The case's outbound communication `communication_id`, recorded as sent: what can be marked
    delivered or failed; else the error naming the field ``communication``."""
    # an id past the column's range names no row (db.MAX_ROW_ID)
    comm = session.get(Communication, communication_id) if 1 <= communication_id <= MAX_ROW_ID else None
    if comm is None or comm.case_id != case.id:
        raise InvalidInput.one("communication", f"case {case.ref} has no communication {communication_id}")
    if comm.direction != Direction.OUT:
        raise InvalidInput.one("communication", f"only an outbound communication can be marked {marked} "
                                                f"(this one is {comm.direction})")
    if comm.outcome != Outcome.SENT:
        raise InvalidInput.one("communication", "only an outbound communication recorded as sent can be marked "
                                                f"{marked} (this one is {comm.outcome})")
    return comm


def checked_moment(comm: Communication, at: datetime | None, field: str) -> datetime:
    """The moment `at` a communication sent was delivered or came back (`field`: delivered_at,
    failed_at), as stored (UTC; now when not given), or the error naming `field`: naive, before
    the communication was sent, or in the future."""
    if at is None:
        return max(utcnow(), comm.sent_at)  # a send recorded a moment ahead (the clock skew) is not delivered before it
    if at.tzinfo is None:
        raise InvalidInput.one(field, "must carry a time-zone offset")
    if at < comm.sent_at:
        raise InvalidInput.one(field, f"{at.isoformat()} is before the communication was sent "
                                      f"({comm.sent_at.isoformat()})")
    if errors := past_errors(utcnow(), **{field: at}):
        raise InvalidInput(errors)
    return at.astimezone(UTC)


def record_visit(session: Session, case: DebtCase, data: VisitIn, *, actor: str) -> Visit:
    if data.window_end <= data.window_start:
        raise InvalidInput.one("window_end", "must be after window_start")
    if errors := past_errors(utcnow(), notice_sent_at=data.notice_sent_at, started_at=data.started_at,
                             ended_at=data.ended_at):
        raise InvalidInput(errors)
    if data.started_at and data.ended_at and data.ended_at < data.started_at:
        raise InvalidInput.one("ended_at", "must not be before started_at")
    if data.started_at and data.consent_to_enter is None:
        raise InvalidInput.one("consent_to_enter", "a recorded visit must say whether entry was consented")
    visit = Visit(case_id=case.id, **data.model_dump(exclude={"staff"}))
    visit.staff = [VisitStaff(**s.model_dump()) for s in data.staff]
    # CN-09: a visit planned (not yet made) sends no one who is on another visit at that time
    rules = load_ruleset(case.profile)
    booked = staff_bookings(session, [s.name for s in visit.staff], visit.window_start, visit.window_end)
    if clashes := compliance.visit_staff_clashes(rules, visit, visit.staff, booked):
        raise RuleViolation([rules.rule("CN-09").refuse_text(clashes)])
    session.add(visit)
    session.flush()
    _touch(case)
    trail.record(session, actor=actor, action="visit.recorded", object_type="visit", object_id=visit.id,
                 case_id=case.id, data={"staff": len(data.staff), "outcome": visit.outcome})
    return visit


def create_plan(session: Session, case: DebtCase, data: PlanIn, *, actor: str) -> RepaymentPlan:
    """A plan acknowledges the debt as of a date; its instalments must cover the debt less waivers."""
    cf = load_case_file(session, case.ref)
    # A plan may be drafted ahead of its signing, never before the loan existed.
    as_of = checked_as_of(cf, data.as_of, today(cf.borrower.timezone), future_days=PROJECTION_DAYS)
    ledger = accounts.ledger_of(cf, as_of)
    owed = ledger.total_outstanding
    if data.plan_type == "partial_waiver" and data.waived_amount <= 0:  # no waiver wording on a 0.00 waiver
        raise InvalidInput.one("waived_amount", "a partial-waiver plan must waive an amount above 0.00; "
                                                "without a waiver it is an instalment plan")
    total = sum((i.amount for i in data.instalments), Decimal("0"))
    if total + data.waived_amount != owed:
        raise InvalidInput.one("instalments", f"instalments {total} + waiver {data.waived_amount} must equal "
                                              f"the debt {owed} as of {data.as_of}")
    not_due, interest = plan_relief(ledger, load_ruleset(case.profile), data.plan_type, as_of,
                                    [(i.due_date, i.amount) for i in data.instalments])
    plan = RepaymentPlan(
        case_id=case.id, agreement_no=f"{case.ref}-P{len(cf.plans) + 1}",
        status=PlanStatus.ACTIVE if data.signed_date else PlanStatus.DRAFT,
        ack_principal=ledger.outstanding_principal, ack_interest=ledger.overdue_interest,
        ack_penalty=ledger.penalty + ledger.compound, ack_fees=ledger.overdue_fee,
        principal_not_due=not_due, interest_not_charged=interest,
        as_of_date=data.as_of, **data.model_dump(exclude={"instalments", "as_of"}),
    )
    plan.instalments = [PlanInstalment(**i.model_dump()) for i in data.instalments]
    session.add(plan)
    session.flush()
    if plan.signed_date is not None:  # the agreement now governs what is owed and when, and applies the later payments
        reallocate(session, case.ref)
    trail.record(session, actor=actor, action="plan.created", object_type="plan", object_id=plan.agreement_no,
                 case_id=case.id, data={"total": str(total), "waived": str(data.waived_amount),
                                        "signed": str(data.signed_date),
                                        "warnings": [v.rule for v in affordability.plan_warnings(cf, plan)]})
    return plan


def plan_warnings(session: Session, case: DebtCase, plan: RepaymentPlan) -> list[Violation]:
    """What the person recording `plan` is warned of, not refused (PLAN-05)."""
    return affordability.plan_warnings(load_case_file(session, case.ref), plan)


def record_review(session: Session, case: DebtCase, data: ReviewIn, *, actor: str) -> AccountReview:
    """Who reviewed the account records, and when: what lets an affidavit say so (US-12)."""
    if data.reviewed_at.tzinfo is None:
        raise InvalidInput.one("reviewed_at", "must carry a time-zone offset")
    if data.reviewed_at > utcnow():
        raise InvalidInput.one("reviewed_at", f"{data.reviewed_at.isoformat()} is in the future")
    review = AccountReview(case_id=case.id, actor=actor, **data.model_dump())
    session.add(review)
    session.flush()
    trail.record(session, actor=actor, action="records.reviewed", object_type="account_review", object_id=review.id,
                 case_id=case.id, data={"reviewer": review.reviewer, "reviewed_at": review.reviewed_at.isoformat()})
    return review


def detect_breach(session: Session, cf: CaseFile, on: date) -> BreachEvent | None:
    """Open a breach event for the first plan instalment late beyond grace, once."""
    plan = cf.current_plan
    if plan is None:
        return None
    rolls = load_ruleset(cf.case.profile).jurisdiction.rest_day_periods
    late = plan_position(plan, cf.payments, on).late_beyond(plan.grace_days, rolls=rolls)
    if not late or any(b.plan_id == plan.id and b.instalment_no == late[0].no for b in cf.breaches):
        return None
    line = late[0]
    breach = BreachEvent(plan_id=plan.id, case_id=cf.case.id, instalment_no=line.no, due_date=line.due_date,
                         missed_amount=line.outstanding, detected_on=on,
                         cure_deadline=cure_deadline(line.due_date, plan.grace_days, plan.cure_days, rolls=rolls))
    plan.status = PlanStatus.BREACHED
    session.add(breach)
    session.flush()
    events.publish(session, "plan.breached", {
        "case_ref": cf.case.ref, "agreement_no": plan.agreement_no, "instalment_no": breach.instalment_no,
        "due_date": breach.due_date.isoformat(), "missed_amount": str(breach.missed_amount),
        "detected_on": on.isoformat(), "cure_deadline": breach.cure_deadline.isoformat()})
    return breach


def transition(session: Session, case: DebtCase, data: TransitionIn, principal: Principal, *,
               on: date | None = None, at: datetime | None = None) -> DebtCase:
    """Move the case to `data.to` (or place or release a hold) once every guard of the step holds
    today in the borrower's time zone; `on` and `at` (a history laid down after the fact, as the
    demo seed does) evaluate the guards on that day and date the audit event at that moment."""
    if (data.to is None) == (data.hold is None):
        raise InvalidInput.one("to", "give either a stage in 'to' or a 'hold' to place or release")
    if data.hold is not None:
        return _hold(session, case, data, principal)
    cf = load_case_file(session, case.ref)
    on = on or today(cf.borrower.timezone)
    facts = escalation.facts_for(cf, on, principal)
    violations = escalation.check_transition(facts, data.to)  # type: ignore[arg-type]
    if violations:
        raise RuleViolation(violations)
    before = case.stage
    _enter(session, cf, data.to, on)  # type: ignore[arg-type]
    trail.record(session, actor=principal.actor, action="case.transition", object_type="case",
                 object_id=case.ref, case_id=case.id, reason=data.reason, at=at,
                 data={"from": before, "to": case.stage, "dpd": facts.ledger.days_past_due, "on": on.isoformat(),
                       **({"accelerated_on": case.accelerated_on.isoformat()}
                          if case.accelerated_on is not None and case.stage == Stage.PRE_LITIGATION else {})})
    return case


def _enter(session: Session, cf: CaseFile, target: Stage, on: date) -> None:
    case = cf.case
    if target is Stage.PLAN_BREACHED:
        detect_breach(session, cf, on)
    if target is Stage.PLAN_ACTIVE and cf.current_plan is not None:
        cf.current_plan.status = PlanStatus.ACTIVE
        for b in cf.breaches:
            b.cured_on = b.cured_on or on
    if target in (Stage.PRE_LITIGATION,) and case.accelerated_on is None:
        # 提前到期: the whole debt falls due, on the date the notice of acceleration states where
        # one went out by `on` (US-19, ESC-13: acceleration takes effect on it, whatever day this
        # step is taken), else today; nothing is recorded where the governing schedule had matured
        # by then (everything was due: nothing to accelerate).
        day = acceleration.noticed_on(load_ruleset(case.profile), cf, by=on) or on
        if accounts.effective_acceleration(cf, on, recorded=day).on is not None:
            case.accelerated_on = day
    if target is Stage.CLOSED_PAID:
        case.closed_at = utcnow()
    case.stage = target.value
    _touch(case)
    session.flush()
    # A breach opened or cured, or an acceleration, changes what falls due and when, and how an
    # agreement applies the payments after its default clause took effect.
    reallocate(session, case.ref, on=on)


def _hold(session: Session, case: DebtCase, data: TransitionIn, principal: Principal) -> DebtCase:
    cf = load_case_file(session, case.ref)
    open_hold = next((h for h in cf.active_holds if h.kind == data.hold), None)
    if data.release:
        if open_hold is None:
            raise Conflict(f"no open {data.hold} hold to release")
        open_hold.released_at = utcnow()
        action = "hold.released"
    else:
        if open_hold is not None:
            raise Conflict(f"a {data.hold} hold is already open")
        session.add(CaseHold(case_id=case.id, kind=data.hold, reason=data.reason, opened_at=utcnow()))
        action = "hold.placed"
    session.flush()
    _touch(case)
    trail.record(session, actor=principal.actor, action=action, object_type="case", object_id=case.ref,
                 case_id=case.id, reason=data.reason, data={"hold": data.hold})
    return case


def assign(session: Session, case: DebtCase, firm_code: str | None, *, actor: str) -> DebtCase:
    firm = None
    if firm_code is not None:
        firm = repository.firm_by_code(session, firm_code)
        if firm is None:
            raise InvalidInput([FieldError("law_firm", f"no law firm with code {firm_code!r}")])
    case.law_firm_id = firm.id if firm else None
    session.flush()
    trail.record(session, actor=actor, action="case.assigned", object_type="case", object_id=case.ref,
                 case_id=case.id, data={"law_firm": firm_code})
    return case


def _touch(case: DebtCase) -> None:
    case.updated_at = utcnow()

