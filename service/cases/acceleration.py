"""Notice before acceleration (US-19): where the state's table says so (Texas: Shumway v. Horizon
Credit Corp., 801 S.W.2d 890 (Tex. 1991); Ogden v. Gibraltar Sav. Ass'n, 640 S.W.2d 232 (Tex.
1982)), an instalment debt is accelerated only after the holder has given (1) a notice of intent
to accelerate, with an opportunity to cure, and (2) once that has run out, a notice of
acceleration; a contract that clearly and unequivocally waives both needs neither.

A claim of an accelerated balance (affidavit, statement of account) is refused, naming the rule,
unless the case's recorded communications show both notices in that order. The cure deadline a
notice of intent gives is computed here and only here (``cure_from``, ``cure_deadline``), so the
notice states the deadline the check later holds it to, and the notice of acceleration and the
pleadings state the same one.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from service.cases.accounts import effective_acceleration
from service.cases.casefile import CaseFile
from service.cases.claim import Claim
from service.cases.enums import Direction, Outcome, PartyKind
from service.cases.rules import Rule, RuleSet, text
from service.core.errors import Violation

RULE = "US-19"
STATE_RULE = "US-15"
MATURED_RULE = "US-21"
IN_EFFECT_RULE = "US-27"
DELIVERED = (Outcome.SENT, Outcome.DELIVERED)


@dataclass(frozen=True, slots=True)
class NoticeLaw:
    """What US-19 asks of one case: whether its state requires the notices, the cure period a
    notice of intent gives (the state's, else the lender's policy) and its source, and the
    contract clause that waives the notices, if there is one."""

    required: bool
    cure_days: int
    cure_source: str
    source: str
    waiver_clause: str  # "" when the contract waives nothing
    intent_kind: str
    acceleration_kind: str
    claim_kinds: frozenset[str]

    @property
    def applies(self) -> bool:
        return self.required and not self.waiver_clause


def notice_law(rules: RuleSet, cf: CaseFile) -> NoticeLaw | None:
    """US-19 for this case; None where the rule set has no such rule (CN)."""
    if not rules.has(RULE):
        return None
    rule = rules.rule(RULE)
    table = rules.rule(STATE_RULE).params.get("states", {}) if rules.has(STATE_RULE) else {}
    state = table.get(cf.case.us_state, {}).get("acceleration_notices")
    p = rule.params
    waiver = str((cf.contract.clause_refs or {}).get(p["waiver_clause"], "")).strip()
    return NoticeLaw(required=state is not None, cure_days=int((state or p)["cure_days"]),
                     cure_source=(state or p)["cure_source"], source=state["source"] if state else rule.source,
                     waiver_clause=waiver, intent_kind=p["intent"], acceleration_kind=p["acceleration"],
                     claim_kinds=frozenset(p["claims"]))


def sent_dates(cf: CaseFile, kind: str, *, by: date, tz: str) -> list[date]:
    """Borrower-local dates the notices of a kind went out to the borrower, on or before `by`."""
    zone = ZoneInfo(tz)
    days = (c.sent_at.astimezone(zone).date() for c in cf.communications
            if c.template_kind == kind and c.direction == Direction.OUT and c.party_kind == PartyKind.BORROWER
            and c.outcome in DELIVERED)
    return sorted(d for d in days if d <= by)


def declared_notices(cf: CaseFile, kind: str, *, by: date, tz: str) -> list[tuple[date, date]]:
    """(borrower-local day sent, acceleration date it declares) of the notices of a kind that went
    out to the borrower on or before `by`, in the order sent. A notice declares the date it states:
    its as-of date (``stated_as_of``, which a generated notice records); one logged without it, the
    day it went out."""
    zone = ZoneInfo(tz)
    found = sorted((c.sent_at, c.sent_at.astimezone(zone).date(), c.stated_as_of) for c in cf.communications
                   if c.template_kind == kind and c.direction == Direction.OUT
                   and c.party_kind == PartyKind.BORROWER and c.outcome in DELIVERED)
    return [(day, stated or day) for _, day, stated in found if day <= by]


def noticed_on(rules: RuleSet, cf: CaseFile, *, by: date = date.max) -> date | None:
    """The acceleration date the first notice of acceleration sent to the borrower (on or before
    `by`) declares, if one went out (US-19: acceleration takes effect on it; the date is the one
    the notice states, never the day a later step records it), since the payment plan now
    governing the debt was agreed (one before it accelerated what the plan replaced)."""
    law = notice_law(rules, cf)
    if law is None:
        return None
    plan = cf.current_plan
    days = [stated for sent, stated in declared_notices(cf, law.acceleration_kind, by=by,
                                                        tz=cf.borrower.timezone or rules.timezone)
            if plan is None or sent > plan.as_of_date]
    return days[0] if days else None


def cure_from(sent: date, dated: date | None = None) -> date:
    """The day a notice of intent's cure period runs from: the day it went out to the borrower
    (mailed, for a letter), or its own date where that is later. A notice dated before the day it
    went out (generated for an earlier as-of date) does not shorten the period it gives: it counts
    from its sending, and says so.

    Counted from the sending, not from the delivery: no Texas statute fixes the cure period of a
    consumer installment loan (US-15's ``cure_source``: Ogden asks only for an opportunity to cure),
    so the period is the lender's policy, and the notice states its deadline as a date — the one
    the borrower was told and is held to. The reference (domain-collections.md) sets no rule
    counting it from receipt; its mailed-notice rules (Reg F's assumed receipt, § 1006.34) concern
    the validation period, not this one. The notice (at its generation: its date and the day it is
    sent), the US-19 check, the notice of acceleration and the pleadings all take it from here."""
    return max(sent, dated or sent)


def cure_deadline(cf: CaseFile, law: NoticeLaw, start: date) -> date:
    """The last day a notice of intent whose cure period runs from `start` (``cure_from``) lets the
    borrower cure: its cure period, and never before the cure deadline of a payment plan's default
    still open that day (the plan's own promise stands)."""
    open_breaches = [b.cure_deadline for b in cf.breaches
                     if b.detected_on <= start and (b.cured_on is None or b.cured_on > start)]
    return max([start + timedelta(days=law.cure_days), *open_breaches])


def accelerated_balance(cf: CaseFile, claim: Claim) -> bool:
    """The claim makes due what was not yet due: instalments (of the plan, on an agreement; else of
    the contract) falling due after the acceleration date."""
    on = claim.accelerated_on
    if on is None:
        return False
    dues: Iterable[date] = ((i.due_date for i in claim.agreement.terms.instalments) if claim.agreement is not None
                            else (i.due_date for i in cf.instalments))
    return any(due > on for due in dues)


@dataclass(frozen=True, slots=True)
class NoticeRecord:
    """The notices on file by a date: the first notice of acceleration and the notice of intent it
    rests on (the earliest sent before it whose cure period had run out). `intents`: the days the
    notices of intent went out; `starts`: for each, the day its cure period runs from (cure_from)."""

    intents: tuple[date, ...]
    accelerations: tuple[date, ...]
    law: NoticeLaw
    cf: CaseFile
    starts: tuple[date, ...] = ()

    @property
    def acceleration(self) -> date | None:
        return self.accelerations[0] if self.accelerations else None

    def start(self, intent: date) -> date:
        """The day the cure period of the notice of intent sent on `intent` runs from."""
        found = [s for d, s in zip(self.intents, self.starts, strict=False) if d == intent]
        return min(found) if found else intent

    def deadline(self, intent: date) -> date:
        return cure_deadline(self.cf, self.law, self.start(intent))

    @property
    def intent(self) -> date | None:
        """The notice of intent the acceleration rests on; before any acceleration notice, the first."""
        accel = self.acceleration
        if accel is None:
            return self.intents[0] if self.intents else None
        ran_out = [d for d in self.intents if d < accel and self.deadline(d) < accel]
        return ran_out[0] if ran_out else None


def notice_record(cf: CaseFile, law: NoticeLaw, *, by: date, tz: str) -> NoticeRecord:
    intents = declared_notices(cf, law.intent_kind, by=by, tz=tz)
    return NoticeRecord(tuple(sent for sent, _ in intents),
                        tuple(sent_dates(cf, law.acceleration_kind, by=by, tz=tz)), law, cf,
                        starts=tuple(cure_from(sent, dated) for sent, dated in intents))


def claim_violations(rules: RuleSet, cf: CaseFile, claim: Claim, *, kind: str, tz: str) -> list[Violation]:
    """US-19 on a document claiming the balance: both notices on file, in order, the intent's cure
    period over before the notice of acceleration, which came on or before the acceleration date."""
    law = notice_law(rules, cf)
    if law is None or not law.applies or kind not in law.claim_kinds or not accelerated_balance(cf, claim):
        return []
    assert claim.accelerated_on is not None
    rule, record = rules.rule(RULE), notice_record(cf, law, by=claim.as_of, tz=tz)
    what = f"{kind} claims a balance accelerated on {claim.accelerated_on.isoformat()}"
    return _order_violations(rule, record, what, claim.accelerated_on)


def _order_violations(rule: Rule, record: NoticeRecord, what: str, accelerated_on: date) -> list[Violation]:
    law, accel = record.law, record.acceleration
    if not record.intents:
        return [rule.violation(f"{what}, but no {law.intent_kind} is on file ({law.source})")]
    if accel is None:
        return [rule.violation(f"{what}, but no {law.acceleration_kind} is on file ({law.source})")]
    if record.intent is None:
        first = record.intents[0]
        if first >= accel:
            return [rule.violation(f"{what}: the {law.acceleration_kind} of {accel.isoformat()} went out before "
                                   f"the {law.intent_kind} of {first.isoformat()}")]
        return [rule.violation(f"{what}: the {law.acceleration_kind} of {accel.isoformat()} went out before the "
                               f"cure period of the {law.intent_kind} of {first.isoformat()} ran out "
                               f"(on {record.deadline(first).isoformat()})")]
    if accel > accelerated_on:
        return [rule.violation(f"{what}, before the {law.acceleration_kind} of {accel.isoformat()}: acceleration "
                               "takes effect only on notice")]
    return []


def acceleration_notice_violations(rules: RuleSet, cf: CaseFile, *, accelerated_on: date, as_of: date,
                                   first_sent: date | None, tz: str) -> list[Violation]:
    """US-19 on a notice of acceleration itself, where the state requires notice: a notice of
    intent went out and its cure period ran out before this notice; and the acceleration it
    announces is not dated before the first notice of acceleration (this one, or one it copies)."""
    law = notice_law(rules, cf)
    if law is None or not law.applies:
        return []
    rule = rules.rule(RULE)
    notice_day = first_sent or as_of
    record = notice_record(cf, law, by=notice_day, tz=tz)
    intents = record.intents
    if not intents:
        return [rule.violation(f"no {law.intent_kind} is on file: send it, and let its cure period run out, "
                               f"before the {law.acceleration_kind} ({law.source})")]
    if not any(record.deadline(d) < notice_day for d in intents):
        deadline = record.deadline(intents[0])
        return [rule.violation(f"the {law.intent_kind} of {intents[0].isoformat()} lets the borrower cure until "
                               f"{deadline.isoformat()}: no {law.acceleration_kind} before that has passed")]
    if accelerated_on < notice_day:
        return [rule.violation(f"the balance is accelerated on {accelerated_on.isoformat()}, before the "
                               f"{law.acceleration_kind} of {notice_day.isoformat()}: acceleration takes effect "
                               "only on notice")]
    return []


def takes_effect(cf: CaseFile, law: NoticeLaw, *, kind: str, as_of: date, accelerated_on: date | None,
                 sent: date | None = None) -> date:
    """The day the acceleration a notice speaks of would take effect: a notice of acceleration's is
    the claim's acceleration (else the notice's own date); a notice of intent's (dated `as_of`,
    sent on `sent`), at the earliest, the day after the cure deadline it gives."""
    if kind == law.acceleration_kind:
        return accelerated_on or as_of
    return cure_deadline(cf, law, cure_from(sent or as_of, as_of)) + timedelta(days=1)


def matured_violations(rules: RuleSet, cf: CaseFile, *, kind: str, as_of: date,
                       accelerated_on: date | None, sent: date | None = None) -> list[Violation]:
    """US-21: no notice of intent to accelerate and no notice of acceleration for a debt whose
    governing schedule (the signed plan's, else the contract's) has matured by the day the
    acceleration would take effect: everything is due already, nothing is left to accelerate
    (accounts.effective_acceleration, the one answer the claim and the pleadings use)."""
    law = notice_law(rules, cf)
    if law is None or not rules.has(MATURED_RULE):
        return []
    day = takes_effect(cf, law, kind=kind, as_of=as_of, accelerated_on=accelerated_on, sent=sent)
    found = effective_acceleration(cf, as_of, recorded=day)
    if found.matured_on is None:
        return []
    plan = cf.current_plan
    schedule = (text("US-21.plan", ref=plan.agreement_no) if found.schedule == "agreement" and plan is not None
                else text("US-21.loan"))
    what = text("US-21.announced" if kind == law.acceleration_kind else "US-21.threatened")
    return [rules.rule(MATURED_RULE).refuse("US-21.matured", schedule=schedule, matured=found.matured_on.isoformat(),
                                            on=day.isoformat(), what=what, kind=kind)]


def in_effect_violations(rules: RuleSet, cf: CaseFile, claim: Claim, *, kind: str, as_of: date,
                         tz: str) -> list[Violation]:
    """US-27: no notice of acceleration dated after an acceleration already in effect without one —
    a signed plan's default clause after its uncured breach, or the case's recorded acceleration —
    where the state asks for no notice (where it does, US-19 holds the notice to the acceleration
    date: ``acceleration_notice_violations``). A copy of the notice that announced it is no new
    announcement: under a plan, one sent since the plan was agreed (review US-00011: a notice dated
    December 7 said the plan's balance "has accelerated… became due on October 21")."""
    law = notice_law(rules, cf)
    if law is None or law.applies or kind != law.acceleration_kind or not rules.has(IN_EFFECT_RULE):
        return []
    on = claim.accelerated_on
    if on is None or on >= as_of:
        return []
    plan = cf.current_plan if claim.agreement is not None else None
    if any(plan is None or day > plan.as_of_date for day in sent_dates(cf, kind, by=as_of, tz=tz)):
        return []
    by = text("US-27.plan", ref=plan.agreement_no) if plan is not None else text("US-27.recorded")
    return [rules.rule(IN_EFFECT_RULE).refuse("US-27.in_effect", on=on.isoformat(), by=by, kind=kind,
                                              as_of=as_of.isoformat())]
