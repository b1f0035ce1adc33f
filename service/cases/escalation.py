"""The escalation process of DESIGN §1 as a state machine with guards.

Each edge lists the guards that must hold; a guard reads the case's facts and the profile's
rule set and returns a violation naming its rule id. Holds are an overlay: they block outbound
contact (see compliance.py) and the contact-driven stages below, never accounting.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from service.cases import acceleration, acceleration_clause, accounts
from service.cases.casefile import CaseFile
from service.cases.compliance import barred_part_violation, hold_violations, time_barred_violation, visit_staff_problems
from service.cases.compliance import visit_notice_delivered as compliance_visit_notice_delivered
from service.cases.enums import Channel, CreditorRole, Direction, Outcome, Stage
from service.cases.ledger import Ledger
from service.cases.limitation import Limitation
from service.cases.plans import PlanPosition, plan_position
from service.cases.rules import RuleSet, load_ruleset, text
from service.cases.us_calendar import validation_period_end
from service.core.errors import Violation
from service.core.security import Principal

S = Stage
REMINDER_CHANNELS = (Channel.SMS, Channel.EMAIL, Channel.LETTER, Channel.APP)


@dataclass(frozen=True)
class Facts:
    cf: CaseFile
    on: date
    ledger: Ledger
    limitation: Limitation
    plan: PlanPosition | None
    principal: Principal
    rules: RuleSet


Guard = Callable[[Facts], Violation | None]


def _v(facts: Facts, rule_id: str, key: str, **values: object) -> Violation:
    return facts.rules.rule(rule_id).refuse(key, **values)


def missed_due_date(f: Facts) -> Violation | None:
    need = f.rules.param("ESC-01", "min_dpd")
    if f.ledger.days_past_due >= need:
        return None
    return _v(f, "ESC-01", "ESC-01.nothing_overdue", on=f.on, dpd=f.ledger.days_past_due)


def _calls(f: Facts) -> list[str]:
    return [c.outcome for c in f.cf.communications if c.channel is Channel.CALL and c.direction == Direction.OUT]


def phone_threshold(f: Facts) -> Violation | None:
    t1 = f.rules.param("ESC-02", "t1_dpd")
    reminders = [c for c in f.cf.communications if c.channel in REMINDER_CHANNELS]
    unanswered = reminders and not any(c.outcome in (Outcome.ANSWERED, Outcome.PROMISE) for c in f.cf.communications)
    if f.ledger.days_past_due >= t1 or unanswered:
        return None
    return _v(f, "ESC-02", "ESC-02.below_t1", dpd=f.ledger.days_past_due, t1=t1)


def promise_recorded(f: Facts) -> Violation | None:
    if any(c.outcome is Outcome.PROMISE and c.promise_date for c in f.cf.communications):
        return None
    return _v(f, "ESC-03", "ESC-03.no_promise")


def nothing_overdue(f: Facts) -> Violation | None:
    if f.ledger.total_overdue == 0:
        return None
    return _v(f, "ESC-04", "ESC-04.still_overdue", amount=f.ledger.total_overdue)


def visit_threshold(f: Facts) -> Violation | None:
    rule = f.rules.rule("ESC-05")
    if rule.params.get("visits_allowed") is False:
        return rule.refuse("ESC-05.no_visits")
    failed = [o for o in _calls(f) if o in (Outcome.NO_ANSWER, Outcome.FAILED, Outcome.WRONG_NUMBER, Outcome.REFUSED)]
    if f.ledger.days_past_due >= rule.params["t2_dpd"] and len(failed) >= rule.params["failed_calls"]:
        return None
    return rule.refuse("ESC-05.below_t2", t2=rule.params["t2_dpd"], calls=rule.params["failed_calls"],
                       dpd=f.ledger.days_past_due, failed=len(failed))


def visit_notice_delivered(f: Facts) -> Violation | None:
    rule = f.rules.rule("CN-09")
    visit = f.cf.visits[-1] if f.cf.visits else None
    if visit is None:
        return rule.refuse("visit.none_planned")
    problems = visit_staff_problems(f.rules, visit.staff, visit=visit, bookings=f.cf.staff_bookings)
    # the one CN-09 test the visit record and kit apply: this visit's own notice, delivered by the
    # lead time (generated or sent is not delivered)
    hours = rule.params["notice_lead_hours"]
    if visit.notice_sent_at is None:
        problems.append(text("visit.notice_not_sent"))
    elif not compliance_visit_notice_delivered(f.rules, f.cf, visit, f.on):
        late = (visit.window_start - visit.notice_sent_at).total_seconds() < hours * 3600
        problems.append(text("visit.notice_late" if late else "visit.notice_not_delivered", hours=hours))
    return rule.refuse_text(problems) if problems else None


def visit_recorded(f: Facts) -> Violation | None:
    visit = f.cf.visits[-1] if f.cf.visits else None
    if visit is None or not (visit.outcome and visit.consent_to_enter is not None and visit.started_at):
        return _v(f, "ESC-06", "ESC-06.record_first")
    if problems := visit_staff_problems(f.rules, visit.staff):
        return _v(f, "ESC-06", "ESC-06.staff", problems=problems)
    return None


def plan_signed(f: Facts) -> Violation | None:
    plan = f.cf.current_plan
    if plan is not None and plan.signed_date is not None:
        if not plan.service_address:
            return _v(f, "CN-23", "CN-23.no_address")
        return None
    return _v(f, "ESC-07", "ESC-07.not_signed")


def plan_paid(f: Facts) -> Violation | None:
    if f.plan is not None and f.plan.all_paid:
        return None
    return _v(f, "ESC-11", "ESC-11.plan_unpaid")


def plan_late(f: Facts) -> Violation | None:
    plan = f.cf.current_plan
    grace = plan.grace_days if plan else f.rules.param("ESC-08", "grace_days")
    if f.plan is not None and f.plan.late_beyond(grace, rolls=f.rules.jurisdiction.rest_day_periods):
        return None
    return _v(f, "ESC-08", "ESC-08.none_late", grace=grace)


def plan_cured(f: Facts) -> Violation | None:
    plan = f.cf.current_plan
    grace = plan.grace_days if plan else 0
    if f.plan is not None and not f.plan.late_beyond(grace, rolls=f.rules.jurisdiction.rest_day_periods):
        return None
    return _v(f, "ESC-08", "ESC-08.still_late")


def cure_period_over(f: Facts) -> Violation | None:
    open_breaches = [b for b in f.cf.breaches if b.cured_on is None]
    if open_breaches and min(b.cure_deadline for b in open_breaches) < f.on:
        return None
    return _v(f, "ESC-09", "ESC-09.cure_running")


def contract_acceleration(f: Facts) -> Violation | None:
    """Entering pre-litigation on the contract accelerates the loan (activity._enter): only once
    the contract's acceleration condition is met (ESC-12). Under a repayment agreement its default
    clause accelerates instead (PLAN-01), and an acceleration already recorded was checked then."""
    if f.cf.case.accelerated_on is not None or f.cf.current_plan is not None:
        return None
    return acceleration_clause.violation(f.rules, f.cf, acceleration.noticed_on(f.rules, f.cf, by=f.on) or f.on)


# The contract path (ESC-13, a rule only a profile that has it follows: US): a case in default on
# the loan contract, with no signed payment plan, goes to pre-litigation from the stages the rule
# names once the loan is accelerated by a notice of acceleration sent to the borrower, the notices
# the state requires before it given in order (US-19) and a debt collector's validation period over
# (US-06); the acceleration date recorded is the one that notice states (activity._enter).
CONTRACT_RULE = "ESC-13"
VALIDATION_RULE = "US-06"
VALIDATION_KIND = "validation_notice"


def _tz(f: Facts) -> str:
    return f.cf.borrower.timezone or f.rules.timezone


def _on_the_contract(f: Facts) -> bool:
    return f.rules.has(CONTRACT_RULE) and f.cf.current_plan is None


def accelerated_by_notice(f: Facts) -> Violation | None:
    """ESC-13: no signed payment plan governs (its breach leads to pre-litigation: PLAN_BREACHED);
    a notice of acceleration went out to the borrower by today, stating an acceleration neither
    before it went out nor after today."""
    if not f.rules.has(CONTRACT_RULE):
        return None
    rule = f.rules.rule(CONTRACT_RULE)
    plan = f.cf.current_plan
    if plan is not None:
        return rule.refuse("ESC-13.plan_signed", ref=plan.agreement_no)
    notices = acceleration.declared_notices(f.cf, rule.params["notice"], by=f.on, tz=_tz(f))
    if not notices:
        return rule.refuse("ESC-13.no_notice", on=f.on.isoformat())
    sent, stated = notices[0]
    if stated < sent:
        return rule.refuse("ESC-13.before_notice", sent=sent.isoformat(), stated=stated.isoformat())
    if stated > f.on:
        return rule.refuse("ESC-13.not_yet", stated=stated.isoformat(), on=f.on.isoformat())
    return None


def notices_in_order(f: Facts) -> Violation | None:
    """US-19 on the contract path, where the state requires notice before acceleration: a notice
    of intent to accelerate went out before the notice of acceleration, and its cure period had
    run out when the notice of acceleration went out."""
    if not _on_the_contract(f):
        return None
    law = acceleration.notice_law(f.rules, f.cf)
    if law is None or not law.applies:
        return None
    record = acceleration.notice_record(f.cf, law, by=f.on, tz=_tz(f))
    accel = record.acceleration
    if accel is None:  # ESC-13 says so
        return None
    rule = f.rules.rule(acceleration.RULE)
    if not record.intents or record.intents[0] >= accel:
        return rule.refuse("US-19.no_intent", accel=accel.isoformat(), source=law.source)
    if record.intent is None:
        first = record.intents[0]
        return rule.refuse("US-19.cure_running", accel=accel.isoformat(), intent=first.isoformat(),
                           deadline=record.deadline(first).isoformat())
    return None


def validation_period_over(f: Facts) -> Violation | None:
    """US-06 (12 CFR 1006.34(b)(5), 1006.38): no suit while the validation period of a validation
    notice runs; a debt collector sues only after sending one (an original creditor sends none, US-14)."""
    if not _on_the_contract(f) or not f.rules.has(VALIDATION_RULE):
        return None
    rule = f.rules.rule(VALIDATION_RULE)
    sent = acceleration.sent_dates(f.cf, VALIDATION_KIND, by=f.on, tz=_tz(f))
    if not sent:
        if f.cf.lender.creditor_role == CreditorRole.DEBT_COLLECTOR:
            return rule.refuse("US-06.no_validation", lender=f.cf.lender.name)
        return None
    end = validation_period_end(sent[0], f.rules)
    if f.on <= end:
        return rule.refuse("US-06.period_running", sent=sent[0].isoformat(), end=end.isoformat())
    return None


def not_time_barred(f: Facts) -> Violation | None:
    us = accounts.us_limitation_of(f.cf, f.rules) if f.rules.jurisdiction.state_law else None
    return (time_barred_violation(f.rules, f.limitation, f.on, text("what.no_suit"))
            or barred_part_violation(f.rules, us, f.on, text("what.no_suit")))


def legal_sign_off(f: Facts) -> Violation | None:
    roles = f.rules.param("ESC-10", "roles")
    if f.principal.role in roles:
        return None
    return _v(f, "ESC-10", "ESC-10.sign_off", roles=" or ".join(roles), role=f.principal.role)


def no_dispute(f: Facts) -> Violation | None:
    found = hold_violations(f.rules, f.cf.active_holds, text("what.step_blocked"), escalation=True)
    return found[0] if found else None


def paid_in_full(f: Facts) -> Violation | None:
    if f.ledger.total_outstanding == 0:
        return None
    return _v(f, "ESC-11", "ESC-11.outstanding", amount=f.ledger.total_outstanding)


CONTRACT_PATH: tuple[Guard, ...] = (accelerated_by_notice, notices_in_order, validation_period_over,
                                    contract_acceleration, not_time_barred, no_dispute)

TRANSITIONS: dict[Stage, dict[Stage, tuple[Guard, ...]]] = {
    S.CURRENT: {S.REMINDER: (missed_due_date,)},
    S.REMINDER: {S.PHONE: (phone_threshold,)},
    S.PHONE: {S.PROMISE: (promise_recorded,), S.VISIT_PLANNED: (visit_threshold, no_dispute),
              S.NEGOTIATING: ()},
    S.PROMISE: {S.CURED: (nothing_overdue,), S.PHONE: ()},
    S.CURED: {S.REMINDER: (missed_due_date,)},
    S.VISIT_PLANNED: {S.VISIT_NOTIFIED: (visit_notice_delivered, no_dispute)},
    S.VISIT_NOTIFIED: {S.VISIT_DONE: (visit_recorded,)},
    S.VISIT_DONE: {S.NEGOTIATING: (), S.PHONE: (), S.PRE_LITIGATION: CONTRACT_PATH},
    S.NEGOTIATING: {S.PLAN_ACTIVE: (plan_signed,), S.PHONE: ()},
    S.PLAN_ACTIVE: {S.CLOSED_PAID: (plan_paid,), S.PLAN_BREACHED: (plan_late,)},
    S.PLAN_BREACHED: {S.PLAN_ACTIVE: (plan_cured,),
                      S.PRE_LITIGATION: (cure_period_over, not_time_barred, no_dispute)},
    S.PRE_LITIGATION: {S.FILED: (legal_sign_off, not_time_barred, no_dispute), S.NEGOTIATING: ()},
    S.FILED: {S.JUDGMENT: ()},
    S.JUDGMENT: {S.ENFORCEMENT: ()},
    S.ENFORCEMENT: {},
    S.CLOSED_PAID: {},
}


def facts_for(cf: CaseFile, on: date, principal: Principal) -> Facts:
    plan = cf.current_plan
    return Facts(
        cf=cf, on=on, ledger=accounts.ledger_of(cf, on), limitation=accounts.limitation_of(cf),
        plan=plan_position(plan, cf.payments, on) if plan else None,
        principal=principal, rules=load_ruleset(cf.case.profile),
    )


def edges(rules: RuleSet, current: Stage) -> dict[Stage, tuple[Guard, ...]]:
    """The steps out of `current` in this rule set's process: the common ones, and the contract
    path's into pre-litigation from the stages its rule names (ESC-13)."""
    found = dict(TRANSITIONS[current])
    if rules.has(CONTRACT_RULE) and current.value in rules.param(CONTRACT_RULE, "from"):
        found[S.PRE_LITIGATION] = CONTRACT_PATH
    return found


def guards_for(rules: RuleSet, current: Stage, target: Stage) -> tuple[Guard, ...] | None:
    """The guards of an edge, or None when the process has no such edge."""
    steps = edges(rules, current)
    if target is S.CLOSED_PAID and current is not S.CLOSED_PAID:
        return steps.get(target, (paid_in_full,))
    return steps.get(target)


def targets(rules: RuleSet, current: Stage) -> list[Stage]:
    """Every stage the process leads to from `current`, guards aside (any stage closes as paid)."""
    found = set(edges(rules, current)) | ({S.CLOSED_PAID} if current is not S.CLOSED_PAID else set())
    return sorted(found, key=list(Stage).index)


def check_transition(facts: Facts, target: Stage) -> list[Violation]:
    current = Stage(facts.cf.case.stage)
    guards = guards_for(facts.rules, current, target)
    if guards is None:
        allowed = ", ".join(sorted(set(targets(facts.rules, current)) - {current})) or "none"
        return [_v(facts, "ESC-00", "ESC-00.not_a_step", current=current, target=target, allowed=allowed)]
    return [v for guard in guards if (v := guard(facts)) is not None]


def allowed_targets(facts: Facts) -> list[Stage]:
    current = Stage(facts.cf.case.stage)
    return [t for t in targets(facts.rules, current) if not check_transition(facts, t)]
