"""Checks before any outbound contact: hours, frequency, parties and holds (rules as data).

The rules that more than one step asks about (holds, contact hours, limitation, the visit
staff) are evaluated here and only here; escalation and the document checks call these.
"""

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from service.cases.casefile import CaseFile, StaffBooking
from service.cases.enums import Channel, Direction, Outcome, PartyKind
from service.cases.limitation import Limitation, is_time_barred
from service.cases.models import CaseHold, Communication, Visit, VisitStaff
from service.cases.rules import RuleSet, Text, load_ruleset, text
from service.core.errors import Violation

if TYPE_CHECKING:
    from service.cases.us_law import UsLimitation

UNANSWERED = {Outcome.NO_ANSWER, Outcome.FAILED}
CONVERSATION = {Outcome.ANSWERED, Outcome.PROMISE, Outcome.REFUSED, Outcome.DISPUTED}


def _hhmm(value: str) -> time:
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


def within_hours(local: datetime, start: str, end: str) -> bool:
    return _hhmm(start) <= local.time().replace(tzinfo=None) < _hhmm(end)


def local_time(cf: CaseFile, at: datetime) -> datetime:
    return at.astimezone(ZoneInfo(cf.borrower.timezone))


def hold_violations(rules: RuleSet, holds: Sequence[CaseHold], what: Text, *, escalation: bool = False
                    ) -> list[Violation]:
    """HOLD: every open hold blocks outbound contact (`what`); with `escalation`, only the kinds
    the rule set names block a stage change."""
    rule = rules.rule("HOLD")
    blocking = set(rule.params["block_escalation"]) if escalation else None
    return [rule.refuse("HOLD.on_hold", kind=h.kind, what=what)
            for h in holds if blocking is None or h.kind in blocking]


def hours_violation(rules: RuleSet, local: datetime, what: Text) -> Violation | None:
    """CN-01 / US-01: `local` (the borrower's time) is inside the contact hours."""
    rule = rules.for_purpose("contact_hours")
    if within_hours(local, rule.params["start"], rule.params["end"]):
        return None
    return rule.refuse("hours.outside", time=f"{local:%H:%M}", tz=local.tzinfo, start=rule.params["start"],
                       end=rule.params["end"], what=what)


def time_barred_violation(rules: RuleSet, limitation: Limitation, on: date, what: Text) -> Violation | None:
    """CN-18 / US-08: no suit, and no threat of suit, on a time-barred debt."""
    if not is_time_barred(limitation, on):
        return None
    return rules.for_purpose("limitation").refuse("limitation.barred", expires=limitation.expires_on.isoformat(),
                                                  what=what)


def barred_part_violation(rules: RuleSet, limitation: "UsLimitation | None", on: date, what: Text
                          ) -> Violation | None:
    """US-08 part by part: each missed instalment accrues on its own day (US-15), so a suit for the
    whole balance, or a threat of one, is refused while any part of it is out of time, even where
    its last part is not (a New York plan's earliest part keeps the loan's due date). The refusal
    names the first barred part: it is left out of the claim, or not sued on, by a lawyer's decision."""
    if limitation is None:
        return None
    barred = limitation.barred_parts(on)
    if not barred:
        return None
    first = min(barred, key=lambda p: (p.expires_on, p.accrued_on))
    return rules.for_purpose("limitation").refuse(
        "limitation.part_barred", part=first.label, accrued=first.accrued_on.isoformat(),
        expires=first.expires_on.isoformat(), count=len(barred), what=what)


def visit_notice_delivered(rules: RuleSet, cf: CaseFile, visit: Visit, as_of: date) -> bool:
    """CN-09's one test of whether a visit was announced: visit_notice_delivery found a delivery."""
    return visit_notice_delivery(rules, cf, visit, as_of) is not None


def visit_notice_delivery(rules: RuleSet, cf: CaseFile, visit: Visit, as_of: date) -> Communication | None:
    """The communication that delivered the visit's notice as CN-09 counts it (the earliest to
    arrive), or None where none did: CN-09's one test of whether a visit was announced (the escalation
    guard into VISIT_NOTIFIED, the visit record, brief and kit): the log shows this visit's own
    notice delivered (the communication of its notice document; for a notice recorded without one, a collection
    system's ``notice_sent_at``, a visit notice sent from then until the next visit's notice was
    sent, never a later visit's), on or before `as_of`, at least the rule's lead time before the
    visit window opens. Generated or sent is not delivered."""
    if visit.notice_sent_at is None:
        return None
    lead = timedelta(hours=float(rules.param("CN-09", "notice_lead_hours"))) if rules.has("CN-09") else timedelta(0)
    # the lead time runs from the notice's arrival (民法典 art. 137; a row before migration 0030 has
    # no delivery moment: its sending)
    sent = [c for c in cf.communications
            if c.template_kind == "visit_notice" and c.direction == Direction.OUT and c.outcome == Outcome.DELIVERED
            and (c.delivered_at or c.sent_at).date() <= as_of
            and (c.delivered_at or c.sent_at) <= visit.window_start - lead]
    if visit.notice_document_id is not None:
        own = [c for c in sent if c.document_id == visit.notice_document_id]
    else:
        later = [v.notice_sent_at for v in cf.visits
                 if v.id != visit.id and v.notice_sent_at is not None and v.notice_sent_at > visit.notice_sent_at]
        until = min(later, default=None)
        own = [c for c in sent if c.sent_at >= visit.notice_sent_at and (until is None or c.sent_at < until)]
    return min(own, key=lambda c: c.delivered_at or c.sent_at, default=None)


def visit_staff_problems(rules: RuleSet, staff: Sequence[VisitStaff], *, visit: Visit | None = None,
                         bookings: Sequence[StaffBooking] = ()) -> list[Text]:
    """CN-09: how many staff a visit needs, each with a badge number (a jurisdiction without
    the rule sets no minimum); and, for a `visit` not yet made, that none of its staff is on
    another visit (`bookings`: CaseFile.staff_bookings) at the same time or too close to it to
    get there (`staff_gap_minutes` between the one's end and the other's start)."""
    if not rules.has("CN-09"):
        return []
    minimum = int(rules.param("CN-09", "min_staff"))
    problems = []
    if len(staff) < minimum:
        problems.append(text("visit.few_staff", count=len(staff), minimum=minimum))
    if unbadged := [s.name for s in staff if not s.badge_no.strip()]:
        problems.append(text("visit.unbadged", count=len(unbadged)))
    if visit is not None:
        problems += visit_staff_clashes(rules, visit, staff, bookings)
    return problems


def visit_staff_clashes(rules: RuleSet, visit: Visit, staff: Sequence[VisitStaff],
                        bookings: Sequence[StaffBooking]) -> list[Text]:
    """CN-09: each of `staff` (a visit not yet made) on another visit whose window overlaps this
    one's, or leaves less than `staff_gap_minutes` between them, one problem per staff member
    naming the first such visit. The notice names the staff to the borrower: a visit they cannot
    attend is not announced, nor made by others than those named."""
    if visit.started_at is not None or not rules.has("CN-09"):
        return []
    gap = timedelta(minutes=int(rules.param("CN-09", "staff_gap_minutes")))
    problems = []
    for name in dict.fromkeys(s.name.strip() for s in staff):
        other = next((b for b in bookings if b.name == name and b.visit_id != visit.id
                      and b.window_start < visit.window_end + gap and visit.window_start < b.window_end + gap), None)
        if other is not None:
            problems.append(text("visit.staff_booked", name=name, case=other.case_ref,
                                 start=f"{other.window_start:%Y-%m-%d %H:%M}", end=f"{other.window_end:%H:%M}",
                                 gap=int(gap.total_seconds() // 60)))
    return problems


def check_contact(cf: CaseFile, new: Communication, *, rules: RuleSet | None = None) -> list[Violation]:
    """Every rule the proposed outbound contact would break; empty when it may go ahead."""
    if new.direction != Direction.OUT:
        return []
    rules = rules or load_ruleset(cf.case.profile)
    found = [*hold_violations(rules, cf.active_holds, text("what.no_outbound_contact")), *_hours(cf, new, rules),
             *_party(cf, new, rules), *_do_not_call(cf, new, rules)]
    if new.channel == Channel.CALL:
        found += _call_frequency(cf, new, rules)
    return found


def _hours(cf: CaseFile, new: Communication, rules: RuleSet) -> list[Violation]:
    if new.consent_outside_hours or new.channel == Channel.LETTER:
        return []
    found = hours_violation(rules, local_time(cf, new.sent_at), text("what.none"))
    return [found] if found else []


def _same_local_day(cf: CaseFile, comms: Sequence[Communication], at: datetime) -> list[Communication]:
    day = local_time(cf, at).date()
    return [c for c in comms if c.direction == Direction.OUT and local_time(cf, c.sent_at).date() == day]


def _call_frequency(cf: CaseFile, new: Communication, rules: RuleSet) -> list[Violation]:
    """The jurisdiction's rule on how often a number may be called (its `call_frequency` purpose)."""
    calls = [c for c in cf.communications if c.channel is Channel.CALL]
    return _FREQUENCY[rules.purposes.call_frequency](cf, calls, new, rules)


def _daily_limits(cf: CaseFile, calls: list[Communication], new: Communication, rules: RuleSet) -> list[Violation]:
    """CN-02 and CN-03: unanswered attempts per number and conversations per borrower-local day."""
    today = _same_local_day(cf, calls, new.sent_at)
    found = []
    cn02 = rules.rule("CN-02")
    unanswered = [c for c in today if c.to_address == new.to_address and c.outcome in UNANSWERED]
    if len(unanswered) >= cn02.params["max_unanswered"]:
        found.append(cn02.refuse("CN-02.unanswered", count=len(unanswered), maximum=cn02.params["max_unanswered"]))
    cn03 = rules.rule("CN-03")
    talks = [c for c in today if c.party_kind is PartyKind.BORROWER and c.outcome in CONVERSATION]
    if new.party_kind == PartyKind.BORROWER and len(talks) >= cn03.params["max_conversations"]:
        found.append(cn03.refuse("CN-03.conversations", count=len(talks), maximum=cn03.params["max_conversations"]))
    return found


def _seven_in_seven(_cf: CaseFile, calls: list[Communication], new: Communication,
                    rules: RuleSet) -> list[Violation]:
    rule = rules.rule("US-02")
    window = timedelta(days=rule.params["window_days"])
    recent = [c for c in calls if c.direction == Direction.OUT and new.sent_at - window < c.sent_at <= new.sent_at]
    found = []
    if len(recent) >= rule.params["max_calls"]:
        found.append(rule.refuse("US-02.calls", count=len(recent), maximum=rule.params["max_calls"]))
    quiet = timedelta(days=rule.params["after_conversation_days"])
    if any(c.outcome in CONVERSATION and new.sent_at - quiet < c.sent_at <= new.sent_at for c in calls):
        found.append(rule.refuse("US-02.conversation"))
    return found


_FREQUENCY = {"CN-02": _daily_limits, "US-02": _seven_in_seven}  # one evaluator per rule id


def _digits(number: str) -> str:
    """The national significant number (the last 10 digits), so "+86 138…" matches "138…"."""
    return "".join(ch for ch in number if ch.isdigit())[-10:]


def _do_not_call(cf: CaseFile, new: Communication, rules: RuleSet) -> list[Violation]:
    """A number the borrower flagged do-not-call (CN-05 / US-04, § 1006.14(h)) is not called,
    whoever the call is meant for and however the number is written."""
    rule = rules.for_purpose("do_not_call")
    if new.channel not in rule.params["channels"] or not _digits(new.to_address):
        return []
    flagged = {_digits(p.get("number", "")) for p in cf.borrower.phones or [] if p.get("do_not_call")}
    flagged |= {_digits(c.phone) for c in cf.contacts if c.do_not_contact}
    if _digits(new.to_address) not in flagged:
        return []
    return [rule.refuse("dnc.flagged", last4=_digits(new.to_address)[-4:])]


def _party(cf: CaseFile, new: Communication, rules: RuleSet) -> list[Violation]:
    if new.party_kind != PartyKind.CONTACT:
        return []
    rule = rules.for_purpose("third_parties")
    contact = next((c for c in cf.contacts if c.id == new.contact_id), None)
    if contact is None:
        return [rule.refuse("party.unknown")]
    if contact.do_not_contact:
        return [rule.refuse("party.do_not_contact", contact=contact.id)]
    needed = int(rule.params.get("unreachable_after_failed_attempts", 3))
    calls = [c for c in cf.communications if c.party_kind is PartyKind.BORROWER and c.channel is Channel.CALL]
    recent = calls[-needed:]
    if len(recent) < needed or any(c.outcome not in UNANSWERED | {Outcome.WRONG_NUMBER} for c in recent):
        return [rule.refuse("party.borrower_reachable", needed=needed)]
    return []
