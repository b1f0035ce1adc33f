"""Checks before a document is generated: a refused document names the rules that refused it.

Each kind lists its checks in the registry (``DocKind.checks``); parameters and rule ids come
from the profile's rule set. A check returns violations; ``enforce`` raises them together so the
caller sees every reason at once.
"""

from collections.abc import Callable
from datetime import date, datetime, timedelta

from service.cases import acceleration, acceleration_clause, accounts, designation, rate_ceiling, us_law
from service.cases.casefile import CaseFile
from service.cases.compliance import (
    barred_part_violation,
    hold_violations,
    hours_violation,
    local_time,
    time_barred_violation,
    visit_staff_problems,
    within_hours,
)
from service.cases.enums import CreditorRole, Direction, Outcome, PartyKind
from service.cases.lender_law import void_contract
from service.cases.models import Communication
from service.cases.rules import Rule, RuleSet, text
from service.core.errors import RuleViolation, Violation
from service.documents.contexts.common import PaymentAccount
from service.documents.contexts.facts import CaseFacts
from service.documents.contexts.visit import reply_deadline
from service.documents.registry import Check, DocKind


def rule(rules: RuleSet, rule_id: str) -> Rule:
    return rules.rule(rule_id)


def _stage(facts: CaseFacts, kind: DocKind) -> list[Violation]:
    stage = facts.cf.case.stage
    if stage in kind.stages:
        return []
    valid = ", ".join(sorted(kind.stages))
    return [rule(facts.rules, "DOC-01").violation(f"{kind.kind} is generated at {valid}; the case is at {stage}")]


def _holds(facts: CaseFacts, kind: DocKind) -> list[Violation]:
    return hold_violations(facts.rules, facts.cf.active_holds, text("what.no_outbound_document", kind=kind.kind))


def _hours(facts: CaseFacts, kind: DocKind) -> list[Violation]:
    # Reminders go out when generated (SMS, App, e-mail), so generating one is contacting the
    # borrower: it must happen inside the contact hours, in the borrower's local time.
    found = hours_violation(facts.rules, local_time(facts.cf, facts.now),
                            text("what.document_now", kind=kind.kind))
    return [found] if found else []


def _visit(facts: CaseFacts, kind: DocKind) -> list[Violation]:
    r = rule(facts.rules, "CN-09")
    visit = facts.planned_visit
    if visit is None:
        return [r.violation("no planned visit is recorded on the case")]
    found = [r.refuse_text(problem) for problem in visit_staff_problems(facts.rules, visit.staff, visit=visit,
                                                                         bookings=facts.cf.staff_bookings)]
    found += _visit_lead(facts, kind, r, visit.window_start)
    found += _visit_purpose(r, visit.purpose)
    start, end = local_time(facts.cf, visit.window_start), local_time(facts.cf, visit.window_end)
    if not (within_hours(start, r.params["start"], r.params["end"])
            and within_hours(end - timedelta(seconds=1), r.params["start"], r.params["end"])):
        found.append(r.violation(f"the visit window {start:%H:%M}–{end:%H:%M} is outside "
                                 f"{r.params['start']}–{r.params['end']} borrower-local time"))
    return found


def _visit_lead(facts: CaseFacts, kind: DocKind, r: Rule, window_start: datetime) -> list[Violation]:
    """CN-09's lead time runs from the notice's arrival, not its making: a letter (the kind's
    channel) arrives `notice_postal_days` after it is made at the earliest, and that must be at
    least `notice_lead_hours` before the visit and before the notice's own deadline to reschedule
    or decline (a borrower cannot answer a notice not yet received)."""
    hours = int(r.params["notice_lead_hours"])
    postal = timedelta(days=int(r.params["notice_postal_days"])) if kind.channel == "letter" else timedelta(0)
    arrives = facts.now + postal
    how = f"posted now, it arrives {arrives:%Y-%m-%d %H:%M} UTC at the earliest" if postal else "sent now"
    found = []
    if window_start - arrives < timedelta(hours=hours):
        found.append(r.violation(f"the visit starts {window_start:%Y-%m-%d %H:%M} UTC: {how}, less than "
                                 f"{hours} hours before it (the lead time runs from the notice's delivery)"))
    reply_by = reply_deadline(local_time(facts.cf, window_start), facts.rules)
    if reply_by <= arrives:
        found.append(r.violation(f"the notice's deadline to reschedule or decline, {reply_by:%Y-%m-%d %H:%M} "
                                 f"borrower-local, is before it can reach the borrower ({how})"))
    return found


def _visit_purpose(r: Rule, purpose: str) -> list[Violation]:
    """The notice states what the visit is for, specifically, yet it may be seen by others (CN-04,
    CN-12): no amount, and no word that tells them of a debt."""
    text = purpose.strip().rstrip("。.")
    if not text or text.lower() in {p.lower() for p in r.params["generic_purposes"]}:
        return [r.violation(f"the visit's purpose {purpose!r} is not specific: say what the visit is for")]
    told = [w for w in r.params["purpose_must_not_mention"] if w in text.lower()]
    if told or any(ch.isdigit() for ch in text):
        shown = ", ".join(told) if told else "a number"
        return [r.violation(f"the visit's purpose mentions {shown}: the notice may be seen by others, so it "
                            "states no debt and no amount")]
    return []


def _credit_prenotice(facts: CaseFacts, kind: DocKind) -> list[Violation]:
    # 征信业管理条例 art. 15 is a CN rule; a profile without it (US: the template makes no
    # credit-reporting statement) has nothing to check here, nor has a lender that reports to no
    # credit system (CN-31: its documents make no credit-reporting statement either).
    if facts.prenotice is not None or not facts.rules.has("CN-10") or facts.credit_system is None:
        return []
    return [rule(facts.rules, "CN-10").violation(
        f"{kind.kind} states that the overdue record will be reported to the credit database; "
        "send the credit_report_prenotice first (征信业管理条例 art. 15)")]


def _credit_reporter(facts: CaseFacts, kind: DocKind) -> list[Violation]:
    if not facts.rules.has("CN-31") or facts.credit_system is not None:
        return []
    return [rule(facts.rules, "CN-31").violation(
        f"{facts.cf.lender.name} reports to no credit system: a {kind.kind} would announce a report "
        "that will not be made")]


def _collector(facts: CaseFacts, kind: DocKind) -> list[Violation]:
    lender = facts.cf.lender
    if lender.creditor_role == CreditorRole.DEBT_COLLECTOR:
        return []
    return [rule(facts.rules, "US-14").violation(
        f"{lender.name} is the original creditor, not a debt collector: it sends no {kind.kind}")]


def _not_time_barred(facts: CaseFacts, kind: DocKind) -> list[Violation]:
    what = text("what.document_no_suit", kind=kind.kind)
    found = (time_barred_violation(facts.rules, facts.limitation, facts.as_of, what)
             or barred_part_violation(facts.rules, facts.us_limitation, facts.as_of, what))
    return [found] if found else []


def _valid_contract(facts: CaseFacts, kind: DocKind) -> list[Violation]:
    lender = facts.cf.lender
    found = void_contract(facts.rules, lender.licence_type, lender.lending_practice, lender.name, kind.kind)
    return [found] if found else []


def _court_designation(facts: CaseFacts, kind: DocKind) -> list[Violation]:
    """US-28: the caption names the court by the designation recorded for it, where its court takes
    one (a Texas Justice Court's precinct and place). A court no venue names is refused by the
    document's own build (US-17), not here."""
    if not facts.rules.jurisdiction.state_law:
        return []
    venue = us_law.case_venue(facts.rules, facts.cf, facts.claim.claimed_total)
    found = designation.violation(facts.rules, facts.cf.case, venue, kind.kind)
    return [found] if found else []


def _repayment_channel(facts: CaseFacts, kind: DocKind) -> list[Violation]:
    """DOC-10: a notice that tells the borrower how to pay names only channels the lender records
    (its app by name, its repayment account) and, where it records neither, its customer hotline
    (templates/_partials/channels.*); a lender with none of the three has no channel to name."""
    if not facts.rules.has("DOC-10"):
        return []
    lender = facts.cf.lender
    if (lender.app_name or "").strip() or PaymentAccount.of(lender.payment_account) or lender.hotline.strip():
        return []
    return [rule(facts.rules, "DOC-10").refuse("DOC-10.no_channel", lender=lender.code, kind=kind.kind)]


DUPLICATE = "DOC-03"


def is_repeat(facts: CaseFacts, kind: DocKind) -> bool:
    """The case already has this notice kind for this as-of date; a visit notice, for this visit
    (whatever its date: one notice announces one visit)."""
    if Check.ONCE not in kind.checks:
        return False
    return (kind.kind, facts.as_of) in facts.issued or _visit_announced(facts, kind)


def _visit_announced(facts: CaseFacts, kind: DocKind) -> bool:
    if kind.kind != "visit_notice":
        return False
    visit = facts.planned_visit
    return visit is not None and (visit.notice_document_id is not None or visit.notice_sent_at is not None)


def duplicate(facts: CaseFacts, kind: DocKind) -> Violation:
    if _visit_announced(facts, kind):
        visit = facts.planned_visit
        assert visit is not None
        sent = f" (notice sent {visit.notice_sent_at:%Y-%m-%d %H:%M} UTC)" if visit.notice_sent_at else ""
        return rule(facts.rules, DUPLICATE).violation(
            f"the visit of {visit.window_start:%Y-%m-%d %H:%M} UTC was already announced{sent}: a second notice "
            "for it is sent only with an override_reason, which the audit trail records")
    return rule(facts.rules, DUPLICATE).violation(
        f"the borrower already has a {kind.kind} as of {facts.as_of.isoformat()}: it is sent again only with "
        "an override_reason, which the audit trail records")


def _once(facts: CaseFacts, kind: DocKind) -> list[Violation]:
    return [duplicate(facts, kind)] if is_repeat(facts, kind) else []


def _contract_basis(facts: CaseFacts, kind: DocKind) -> list[Violation]:
    plan = facts.cf.current_plan
    if plan is None:
        return []
    return [rule(facts.rules, "PLAN-03").violation(
        f"repayment agreement {plan.agreement_no} (signed {plan.signed_date}) governs what is due: a {kind.kind} "
        "computed from the original contract would contradict it; send the breach_notice or the lawyer_letter")]


def _acceleration_notices(facts: CaseFacts, kind: DocKind) -> list[Violation]:
    """US-19: where the state requires notice before acceleration, a claim of an accelerated
    balance needs the notice of intent, its cure period run out, then the notice of acceleration."""
    return acceleration.claim_violations(facts.rules, facts.cf, facts.claim, kind=kind.kind, tz=facts.tz)


def _accelerated(facts: CaseFacts, kind: DocKind) -> list[Violation]:
    """DOC-07: a court document swears to or claims the whole balance only when the debt was
    accelerated on a recorded basis by its date (the case's acceleration date; on an agreement,
    its default clause after the uncured breach) or has matured. Without one the claim
    computation's acceleration at the as-of date is a hypothesis (``Claim.accelerated`` is false),
    and a document built on it would state an acceleration, or a plan default, that never happened."""
    claim = facts.claim
    if claim.accelerated_on is None or not acceleration.accelerated_balance(facts.cf, claim):
        return []
    if claim.accelerated:
        return _contract_condition(facts)
    basis = (text("DOC-07.agreement", ref=claim.agreement.terms.ref) if claim.agreement is not None
             else text("DOC-07.loan"))
    letters = accounts.declaring_letters(facts.cf) if claim.agreement is None else []
    if not letters and claim.agreement is None and accounts.redeclared(facts.cf):
        # the letters that declared it all failed and none was sent since: nothing took effect
        failed = accounts.failed_declarations(facts.cf)[-1]
        sent = failed.stated_as_of or local_time(facts.cf, failed.sent_at).date()
        return [rule(facts.rules, "DOC-07").refuse(
            "DOC-07.failed", kind=kind.kind, basis=basis, demand=failed.template_kind, sent=sent.isoformat())]
    if letters and (accounts.acceleration_in_effect(facts.cf) or date.max) > facts.as_of:
        # declared by a letter not delivered by the document's date: in effect on its delivery (民法典 art. 137)
        sent = letters[0].stated_as_of or local_time(facts.cf, letters[0].sent_at).date()
        return [rule(facts.rules, "DOC-07").refuse(
            "DOC-07.undelivered", kind=kind.kind, basis=basis, demand=letters[0].template_kind,
            sent=sent.isoformat(), as_of=facts.as_of.isoformat())]
    return [rule(facts.rules, "DOC-07").refuse(
        "DOC-07.not_accelerated", kind=kind.kind, basis=basis, on=claim.accelerated_on.isoformat(),
        as_of=facts.as_of.isoformat(), on_acceleration=claim.on_acceleration, total=claim.claimed_total)]


def _contract_condition(facts: CaseFacts) -> list[Violation]:
    """ESC-12: a claim on the contract accelerated on a recorded date stands only if the contract's
    acceleration condition was met by that date (an agreement's default clause accelerates on its
    own terms, PLAN-01)."""
    claim = facts.claim
    if claim.agreement is not None or claim.accelerated_on is None:
        return []
    found = acceleration_clause.violation(facts.rules, facts.cf, claim.accelerated_on)
    return [found] if found else []


def _not_matured(facts: CaseFacts, kind: DocKind) -> list[Violation]:
    """US-21: a notice of intent to accelerate or of acceleration only while some instalment of the
    governing schedule would still fall due after the acceleration it speaks of."""
    return acceleration.matured_violations(facts.rules, facts.cf, kind=kind.kind, as_of=facts.as_of,
                                           accelerated_on=facts.claim.accelerated_on, sent=facts.sending_day)


def _not_in_effect(facts: CaseFacts, kind: DocKind) -> list[Violation]:
    """US-27: a notice of acceleration announces the acceleration it makes, never one already in
    effect without it (a plan's default clause, a recorded acceleration), but as a copy."""
    return acceleration.in_effect_violations(facts.rules, facts.cf, facts.claim, kind=kind.kind, as_of=facts.as_of,
                                             tz=facts.tz)


def _acceleration_clause(facts: CaseFacts, kind: DocKind) -> list[Violation]:
    """ESC-12 on a document that announces the acceleration (the US notice of acceleration): on the
    contract, the acceleration it states (the case's recorded date, else the notice's own as-of
    date) stands only if the contract's condition is met by then, or the loan had matured. Under a
    signed agreement its default clause accelerates on its own terms (PLAN-01)."""
    return _contract_condition(facts)


def _rate_ceiling(facts: CaseFacts, kind: DocKind) -> list[Violation]:
    """US-20: no document states or claims a contract, plan or default rate above the ceiling of
    the borrower's state for the lender (none of the four states cuts such a rate to the ceiling,
    so nothing is recomputed: the document is refused)."""
    return rate_ceiling.violations(facts.rules, facts.cf)


def _demand_deadline(facts: CaseFacts, kind: DocKind) -> list[Violation]:
    """DOC-06: a lawyer letter gave the borrower days to pay before suit, counted from the day it
    reached the borrower ("自本函送达之日起七日内"; 民法典 art. 137); a complaint dated on or before
    the last of them would contradict the letter (it is filed the day after). While the last
    letter's delivery is not recorded its days have not begun: refused, naming delivery. With
    several letters, the one whose days end last (record.demand_deadline says why). The deadline
    is the case facts' one (CaseFacts.demand_deadline), which the complaint states."""
    found = rule(facts.rules, "DOC-06")
    deadline = facts.demand_deadline
    if deadline is None:
        return []
    pay_by = deadline.pay_by
    if pay_by is None:
        return [found.refuse("DOC-06.undelivered", demand=deadline.kind, sent=deadline.sent.isoformat(),
                             days=deadline.days, as_of=facts.as_of.isoformat(), kind=kind.kind)]
    if facts.as_of > pay_by:
        return []
    first = pay_by + timedelta(days=1)
    return [found.refuse("DOC-06.deadline_running", demand=deadline.kind, sent=deadline.sent.isoformat(),
                         pay_by=pay_by.isoformat(), kind=kind.kind, first=first.isoformat())]


def _declared_once(facts: CaseFacts, kind: DocKind) -> list[Violation]:
    """DOC-08: once the lawyer letter that declared the acceleration has reached the borrower, the
    acceleration is in effect (民法典 art. 137; accounts.accelerating_letter) and its days to pay
    run from that delivery (DOC-06). Another lawyer letter, sent when generated (``facts.now``),
    after that delivery, whatever date it bears, would restate the demand as its own and, once
    sent, start the days again. A letter whose predecessor failed, or is not recorded delivered,
    is not refused: that one accelerated nothing (one sent and undelivered is still among the
    contacts the new letter counts: ContactHistory.before)."""
    if not facts.rules.has("DOC-08"):
        return []
    letter = accounts.accelerating_letter(facts.cf)
    if letter is None or letter.delivered_at is None or letter.delivered_at > facts.now:
        return []
    deadline = facts.rules.rule("DOC-06").params["days_from"]
    sent = letter.stated_as_of or local_time(facts.cf, letter.sent_at).date()
    return [rule(facts.rules, "DOC-08").refuse(
        "DOC-08.accelerated", demand=letter.template_kind, sent=sent.isoformat(),
        delivered=local_time(facts.cf, letter.delivered_at).date().isoformat(),
        days=int(facts.rules.param(*deadline)), kind=kind.kind)]


RESTATED = "DOC-09"
# The rules an explicit, audited override_reason waives: a notice sent again (DOC-03), a lawyer
# letter restating a delivered demand of the accelerated debt (DOC-09). Nothing else.
OVERRIDABLE = frozenset({DUPLICATE, RESTATED})


def _own_date(facts: CaseFacts, comm: Communication) -> date:
    day: date = comm.stated_as_of or local_time(facts.cf, comm.sent_at).date()
    return day


def earlier_demand(facts: CaseFacts, *, before: Communication | None = None) -> tuple[Communication, date] | None:
    """DOC-09: the lawyer letter that already demanded the accelerated debt and reached the
    borrower by ``facts.now`` (the last delivered, dated on or after the acceleration took effect),
    and that acceleration's date, where the acceleration was not a lawyer letter's declaration
    (DOC-08 governs that one): a repayment agreement's default clause after an uncured breach (the
    breach notice announced it), or the contract's recorded acceleration with no declaring letter.
    `before`: that letter itself is not its own earlier demand."""
    if not facts.rules.has(RESTATED) or accounts.accelerating_letter(facts.cf) is not None:
        return None
    claim = facts.claim
    accel = claim.accelerated_on
    if not claim.accelerated or accel is None:
        return None
    demand = facts.rules.rule("DOC-06").params["demand"]
    found = [c for c in facts.cf.communications
             if c.template_kind == demand and c.direction == Direction.OUT and c.party_kind == PartyKind.BORROWER
             and c.outcome == Outcome.DELIVERED and c.delivered_at is not None and c.delivered_at <= facts.now
             and c is not before and _own_date(facts, c) >= accel]
    if not found:
        return None
    return max(found, key=lambda c: c.delivered_at or c.sent_at), accel


def _restated_words(facts: CaseFacts, letter: Communication, accel: date, kind: str) -> dict[str, object]:
    days = int(facts.rules.param(*facts.rules.rule("DOC-06").params["days_from"]))
    delivered = local_time(facts.cf, letter.delivered_at or letter.sent_at).date()
    agreement = facts.claim.agreement
    basis = (text("DOC-09.agreement", ref=agreement.terms.ref) if agreement is not None else text("DOC-09.loan"))
    return {"demand": letter.template_kind, "sent": _own_date(facts, letter).isoformat(),
            "delivered": delivered.isoformat(), "accelerated": accel.isoformat(), "basis": basis, "days": days,
            "pay_by": (delivered + timedelta(days=days)).isoformat(), "kind": kind}


def _restated(facts: CaseFacts, kind: DocKind) -> list[Violation]:
    """DOC-09: where the debt was accelerated otherwise than by a lawyer letter (a breach notice, a
    repayment agreement's default clause), a lawyer letter that demanded the accelerated debt has
    reached the borrower: its days to pay ran from that delivery (DOC-06). Another one would give
    its own days from its own delivery and put the suit back by them: refused, naming the earlier
    letter and the days it would start again, unless sent on an explicit override_reason (the
    audit trail records it; the generation then warns that the days start again)."""
    found = earlier_demand(facts)
    if found is None:
        return []
    letter, accel = found
    return [rule(facts.rules, RESTATED).refuse("DOC-09.restarts", **_restated_words(facts, letter, accel, kind.kind))]


def is_restated(facts: CaseFacts, kind: DocKind) -> bool:
    """The letter restates a delivered demand of the accelerated debt (DOC-09): sent only on a reason."""
    return Check.RESTATED in kind.checks and bool(_restated(facts, kind))


def restart_warnings(facts: CaseFacts, kind: DocKind) -> list[Violation]:
    """DOC-09 on a letter generated on an override_reason: what it starts again, said with it."""
    found = earlier_demand(facts) if Check.RESTATED in kind.checks else None
    if found is None:
        return []
    letter, accel = found
    return [rule(facts.rules, RESTATED).refuse("DOC-09.restarted_now",
                                               **_restated_words(facts, letter, accel, kind.kind))]


def restarted(cf: CaseFile, on: date, now: datetime) -> list[Violation]:
    """DOC-09 on the case page: the last lawyer letter (not failed) went out after an earlier one
    had demanded the accelerated debt and reached the borrower (sent on an override_reason): its
    days to pay started again from its own delivery, and the complaint waits for them (DOC-06,
    record.demand_deadline), which the page says."""
    facts = CaseFacts(cf, on, now)
    if not facts.rules.has(RESTATED):
        return []
    demand = facts.rules.rule("DOC-06").params["demand"]
    letters = sorted((c for c in cf.communications
                      if c.template_kind == demand and c.direction == Direction.OUT
                      and c.party_kind == PartyKind.BORROWER and c.outcome != Outcome.FAILED),
                     key=lambda c: c.sent_at)
    if len(letters) < 2:
        return []
    last = letters[-1]
    own = _own_date(facts, last)
    found = earlier_demand(CaseFacts(cf, own, last.sent_at), before=last)
    deadline = facts.demand_deadline
    if found is None or deadline is None:
        return []
    letter, accel = found
    words = {**_restated_words(facts, letter, accel, "civil_complaint"), "last": own.isoformat()}
    if deadline.pay_by is None:
        return [rule(facts.rules, RESTATED).refuse("DOC-09.restarted_undelivered", **words)]
    if deadline.pay_by < on:
        return []
    return [rule(facts.rules, RESTATED).refuse("DOC-09.restarted", **{
        **words, "until": deadline.pay_by.isoformat(), "first": (deadline.pay_by + timedelta(days=1)).isoformat()})]


CHECKS: dict[Check, Callable[[CaseFacts, DocKind], list[Violation]]] = {
    Check.STAGE: _stage,
    Check.HOLD: _holds,
    Check.HOURS: _hours,
    Check.VISIT: _visit,
    Check.CREDIT_PRENOTICE: _credit_prenotice,
    Check.CREDIT_REPORTER: _credit_reporter,
    Check.COLLECTOR: _collector,
    Check.CONTRACT_BASIS: _contract_basis,
    Check.NOT_TIME_BARRED: _not_time_barred,
    Check.ACCELERATION_NOTICES: _acceleration_notices,
    Check.DEMAND_DEADLINE: _demand_deadline,
    Check.DECLARED_ONCE: _declared_once,
    Check.RESTATED: _restated,
    Check.RATE_CEILING: _rate_ceiling,
    Check.ACCELERATED: _accelerated,
    Check.ACCELERATION_CLAUSE: _acceleration_clause,
    Check.NOT_MATURED: _not_matured,
    Check.NOT_IN_EFFECT: _not_in_effect,
    Check.ONCE: _once,
    Check.VALID_CONTRACT: _valid_contract,
    Check.COURT_DESIGNATION: _court_designation,
    Check.REPAYMENT_CHANNEL: _repayment_channel,
}


def check(facts: CaseFacts, kind: DocKind) -> list[Violation]:
    return [v for name in kind.checks for v in CHECKS[name](facts, kind)]


# The checks of the act of sending, not of what a document says: a DRAFT preview, which nobody
# receives, is not refused by them (it reports what they found instead).
# DOC-09 is one: the letter says nothing wrong, sending it again restarts the days (it is named in
# the preview's Dossier-Warnings, as DOC-03 is).
SENDING = frozenset({Check.HOLD, Check.HOURS, Check.ONCE, Check.RESTATED})
# The checks of filing: what a court paper needs before it goes to the court but a draft, which
# nobody files, prints as blanks (US-28: the court's designation, recorded by legal staff).
FILING = frozenset({Check.COURT_DESIGNATION})


def enforce(facts: CaseFacts, kind: DocKind, *, override_reason: str | None = None,
            preview: bool = False, draft: bool = False) -> list[Violation]:
    """Raise every violation; an explicit ``override_reason`` waives DOC-03 (a notice sent again)
    and DOC-09 (a lawyer letter restating a delivered demand: OVERRIDABLE), nothing else. A
    ``preview`` is held to every check but those of sending and filing (SENDING, FILING), whose
    violations are returned: what generating it now would be refused for. A ``draft`` (a draft
    packet's papers) is held to every check but those of filing, returned the same way."""
    waivable = SENDING | FILING if preview else FILING if draft else frozenset()
    waived = [v for name in kind.checks if name in waivable for v in CHECKS[name](facts, kind)]
    violations = [v for name in kind.checks if name not in waivable for v in CHECKS[name](facts, kind)]
    if override_reason:
        violations = [v for v in violations if v.rule not in OVERRIDABLE]
    if violations:
        raise RuleViolation(violations)
    return waived
