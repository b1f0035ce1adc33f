"""The case's facts record: the one typed set of facts every document of a case draws from.

Built once per generation from ``CaseFacts`` (``facts.record``). A document never recomputes a
date, a count or a name that is here, and never re-words it: the first missed due date, the
acceleration date, the contract's name as the contract gives it, the contact history, the
visits in the borrower's local time, the plan's terms and the lender's identity. Amounts are
not here: they are the money layer's (``facts.ledger``, ``facts.claim``), taken as they are.

The document checks (tests/documents/test_catalogue.py) compare each rendered document's dates
and names against this record.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Self
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, model_validator

from service.cases import acceleration as acceleration_law
from service.cases import accounts, overdue, plans
from service.cases import demands as demands_law
from service.cases.cn_calendar import period_end
from service.cases.enums import Channel, Direction, Outcome, PartyKind
from service.cases.plans import plan_position
from service.cases.rules import RuleSet

D = Decimal


class Frozen(BaseModel):
    """The record's blocks: frozen, no unknown fields (contexts.common builds on the record, so the
    record does not import it)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

# Outbound contacts that reached the borrower or engaged them: a demand among them interrupts
# limitation (民法典 art. 195) — the outcomes the limitation computation counts
# (``demands.INTERRUPTING_OUTCOMES``).
REACHED = ("delivered", "answered", "promise")


class LenderIdentity(Frozen):
    name: str
    name_en: str
    code: str
    uscc: str
    licence_type: str
    address: str
    legal_rep: str
    hotline: str


class ContractNames(Frozen):
    contract_no: str
    title: str  # the contract's name as the contract gives it ("" when the import did not say)
    product_name: str
    signed_date: date
    disbursed_date: date


class Contact(Frozen):
    day: date  # borrower-local
    channel: str  # sms | call | letter | email | app | visit
    template_kind: str
    outcome: str
    reached: bool
    logged: bool = True  # a communication row records it (a made visit may have none)

    @property
    def demand(self) -> bool:
        """It asked the borrower to pay (a 履行请求, 民法典 art. 195): a call, a visit, a reminder, a
        demand letter; not a notice that asks nothing (a visit notice): ``demands.DEMAND_KINDS``."""
        return demands_law.demands_performance(self.template_kind)


class ContactHistory(Frozen):
    """Every outbound contact with the borrower up to as-of (attempts), and those that reached or
    engaged them. Dates are borrower-local. What lists every contact (the notice history) states
    these; what pleads the demands for performance (民法典 art. 195: "先后N次…催告还款", the
    limitation's interruption) states ``demands``, the same counts of the contacts that asked the
    borrower to pay."""

    contacts: tuple[Contact, ...]

    @property
    def attempts(self) -> int:
        return len(self.contacts)

    @property
    def visits(self) -> int:
        """How many of the attempts were visits (a visit is one contact, whether or not a
        communication row was posted for it)."""
        return sum(1 for c in self.contacts if c.channel == Channel.VISIT)

    @property
    def logged(self) -> int:
        """How many of the attempts the communication log has a row for (the notice history's rows)."""
        return sum(1 for c in self.contacts if c.logged)

    @property
    def unlogged_visits(self) -> int:
        """Visits made without a communication row: contacts the notice history does not list."""
        return self.attempts - self.logged

    @property
    def reached(self) -> tuple[Contact, ...]:
        return tuple(c for c in self.contacts if c.reached)

    @property
    def demands(self) -> "ContactHistory":
        """The contacts that demanded performance (``Contact.demand``): without a visit notice."""
        return ContactHistory(contacts=tuple(c for c in self.contacts if c.demand))

    @property
    def others(self) -> "ContactHistory":
        """The contacts that demanded nothing (a visit notice): in the notice history's count of
        contacts, never among the demands the pleadings count (what reconciles the two counts)."""
        return ContactHistory(contacts=tuple(c for c in self.contacts if not c.demand))

    @property
    def kinds(self) -> tuple[str, ...]:
        """The notice kinds among the contacts, in the order first sent ("" for a contact without one)."""
        return tuple(dict.fromkeys(c.template_kind for c in self.contacts))

    def of_kind(self, template_kind: str) -> "ContactHistory":
        return ContactHistory(contacts=tuple(c for c in self.contacts if c.template_kind == template_kind))

    @property
    def first(self) -> date | None:
        return self.contacts[0].day if self.contacts else None

    @property
    def last(self) -> date | None:
        return self.contacts[-1].day if self.contacts else None

    def before(self, template_kind: str, on: date) -> "ContactHistory":
        """The contacts a letter of `template_kind` dated `on` states as made before it: without its
        own earlier sends, those of the kind on its date (a letter generated again is the same
        letter, never a contact before itself). A letter of the kind sent on an earlier day is
        another letter, and a contact before this one (a lawyer letter sent after one that was
        never delivered counts that one: DOC-08)."""
        return ContactHistory(contacts=tuple(c for c in self.contacts
                                             if c.template_kind != template_kind or c.day < on))

    @property
    def channels(self) -> tuple[str, ...]:
        seen: list[str] = []
        for c in self.contacts:
            if c.channel not in seen:
                seen.append(c.channel)
        return tuple(seen)


class VisitTimes(Frozen):
    """A visit's window and, once made, its start and end, in the borrower's local time."""

    visit_id: int
    window_start: datetime
    window_end: datetime
    started_at: datetime | None
    ended_at: datetime | None

    @property
    def day(self) -> date:
        return (self.started_at or self.window_start).date()


class NoticeSent(Frozen):
    """A notice to the borrower as the communication history records it: the borrower-local day it
    went out and, where its delivery is recorded, the borrower-local day it reached the borrower (a
    letter mailed arrives days later; documents say "sent on X and delivered on Y", and where no
    delivery is recorded "sent, delivery not recorded")."""

    kind: str  # the template kind (breach_notice)
    day: date  # sent
    delivered: bool
    delivered_on: date | None = None  # None unless delivered
    # the date the notice states as its own (a generated notice records it: its as-of date); one
    # logged without it is dated the day it went out
    dated: date | None = None
    # a notice of intent to accelerate (US-19): the last day it let the borrower cure the default
    # (acceleration.cure_deadline, from acceleration.cure_from: the one computation the notice, the
    # check and the notice of acceleration use)
    cure_deadline: date | None = None
    cure_from: date | None = None  # the day that cure period ran from (acceleration.cure_from)

    @property
    def own_date(self) -> date:
        return self.dated or self.day

    @property
    def cure_days(self) -> int | None:
        """The days of the cure period it gave, counted from `cure_from`."""
        if self.cure_deadline is None or self.cure_from is None:
            return None
        return (self.cure_deadline - self.cure_from).days

    @model_validator(mode="after")
    def _delivered_on_its_day(self) -> Self:
        if self.delivered != (self.delivered_on is not None):
            raise ValueError("delivered_on is the day a delivered notice arrived, and only that")
        if self.delivered_on is not None and self.delivered_on < self.day:
            raise ValueError(f"delivered on {self.delivered_on}, before it was sent on {self.day}")
        return self

    @property
    def same_day(self) -> bool:
        """Delivered on the day it was sent (an e-mail, a text, a letter handed over)."""
        return self.delivered_on == self.day


def notice_sent(kind: str, comm: Any, tz: str, as_of: date, *, day: date | None = None) -> NoticeSent:
    """The notice a communication row records as of `as_of`: sent on its borrower-local day (`day`
    where the caller already fixed it), delivered on the day of its delivery moment where that is
    on or before as-of (a row marked delivered before delivery moments were kept: the day it was
    sent); one delivered after as-of was, as of then, sent and not yet delivered."""
    sent = day or local(comm.sent_at, tz).date()
    on = delivered_day(comm, tz, as_of)
    return NoticeSent(kind=kind, day=sent, delivered=on is not None, delivered_on=on,
                      dated=getattr(comm, "stated_as_of", None) or sent)


def delivered_day(comm: Any, tz: str, as_of: date) -> date | None:
    """The borrower-local day a communication was delivered, if it was by `as_of`."""
    if comm.outcome != Outcome.DELIVERED:
        return None
    on: date = local(comm.delivered_at or comm.sent_at, tz).date()
    return on if on <= as_of else None


# The notice that announces an acceleration to the borrower: the breach notice states the cure
# deadline and that the whole debt falls due, on the day after it, if the default is not cured.
ACCELERATION_NOTICE = "breach_notice"


class PlanTerms(Frozen):
    agreement_no: str
    plan_type: str  # extension | instalments | interest_suspension | partial_waiver
    as_of_date: date
    signed_date: date
    ack_principal: Decimal
    ack_interest: Decimal
    ack_penalty: Decimal
    ack_fees: Decimal
    waived_amount: Decimal
    waiver_conditional: bool
    instalments: int
    plan_total: Decimal
    first_due: date
    last_due: date
    grace_days: int
    cure_days: int
    paid: Decimal
    # of ack_principal: principal the agreement's Art. 1 lists as not yet due under the loan
    # contract (the agreement does not accelerate it); the clause states the rest as due, its own split
    principal_not_due: Decimal = Decimal("0.00")

    @property
    def acknowledged(self) -> Decimal:
        return self.ack_principal + self.ack_interest + self.ack_penalty + self.ack_fees

    @property
    def principal_due(self) -> Decimal:
        return self.ack_principal - self.principal_not_due

    @property
    def due_total(self) -> Decimal:
        """What Art. 1 confirms as due at the acknowledgement: the acknowledged debt less the
        principal not yet due (the agreement's own 合计)."""
        return self.acknowledged - self.principal_not_due


class CaseRecord(Frozen):
    case_ref: str
    profile: str
    as_of: date
    tz: str
    lender: LenderIdentity
    contract: ContractNames
    first_missed_due: date | None  # the first due date not paid in full on time (the default began)
    # the acceleration, only where it advanced an instalment of the governing schedule
    # (accounts.effective_acceleration); a recorded one that advanced nothing is ignored
    accelerated_on: date | None
    # the day the lender declared it (the case's recorded acceleration, where it advanced an
    # instalment), which takes effect on `accelerated_on`: the same day, but for a CN declaration by
    # letter the day it reached the borrower (accounts.acceleration_in_effect; None until then).
    # Where the letters of the recorded day all failed, the date of the next letter, which declared
    # it (accounts.declared_on); None while none was sent after them
    declared_on: date | None = None
    # the notice that announced the acceleration (the last sent on or before it), if recorded: the
    # breach notice, or where the state requires notice before acceleration (US-19) the notice of
    # acceleration, with the notice of intent it rests on
    acceleration_notice: NoticeSent | None
    intent_notice: NoticeSent | None = None
    contacts: ContactHistory
    visits: tuple[VisitTimes, ...]
    plan: PlanTerms | None
    # The governing schedule's last due date where a recorded acceleration came after it: the debt
    # had matured (已全部到期), and nothing was accelerated.
    matured_on: date | None = None
    # The first due date of the governing schedule (the signed plan's where one governs) not paid
    # in full by that day: the overdue start where no acceleration is the basis (issue 8 §6).
    schedule_missed_due: date | None = None

    def dates(self) -> set[date]:
        """Every date the record holds (the document checks compare against these)."""
        found = {self.as_of, self.contract.signed_date, self.contract.disbursed_date,
                 *(c.day for c in self.contacts.contacts)}
        found |= {d for d in (self.first_missed_due, self.accelerated_on, self.matured_on, self.schedule_missed_due)
                  if d}
        found |= {d for n in (self.acceleration_notice, self.intent_notice) if n
                  for d in (n.day, n.delivered_on, n.dated, n.cure_deadline, n.cure_from) if d}
        for v in self.visits:
            found |= {m.date() for m in (v.window_start, v.window_end, v.started_at, v.ended_at) if m}
        if self.plan:
            found |= {self.plan.as_of_date, self.plan.signed_date, self.plan.first_due, self.plan.last_due}
        return found

    @classmethod
    def of(cls, facts: Any) -> Self:
        cf, tz = facts.cf, facts.tz
        lender, contract = cf.lender, cf.contract
        missed = overdue.first_missed_due(facts.ledger)
        recorded = cf.case.accelerated_on if cf.case.accelerated_on and cf.case.accelerated_on <= facts.as_of else None
        # in effect on the day the letter declaring it reached the borrower (CN, 民法典 art. 137)
        effective = accounts.effective_acceleration(cf, facts.as_of, recorded=recorded)
        declaring = getattr(facts, "declaring", False)
        in_effect = accounts.acceleration_in_effect(cf, declaring=declaring) if effective.on else None
        accel = in_effect if in_effect is not None and in_effect <= facts.as_of else None
        # the day it was declared: a failed letter declared nothing, the next one does (this letter,
        # where it is the one being written)
        declared = effective.on
        if effective.on is not None and accounts.redeclared(cf):
            declared = accounts.declared_on(cf, tz) or (facts.as_of if declaring else None)
        return cls(
            case_ref=cf.case.ref, profile=cf.case.profile, as_of=facts.as_of, tz=tz,
            lender=LenderIdentity(name=lender.name, name_en=lender.name_en or lender.name, code=lender.code,
                                  uscc=lender.uscc, licence_type=str(lender.licence_type), address=lender.address,
                                  legal_rep=lender.legal_rep, hotline=lender.hotline),
            contract=ContractNames(contract_no=contract.contract_no, title=contract.title,
                                   product_name=contract.product_name, signed_date=contract.signed_date,
                                   disbursed_date=contract.disbursed_date),
            first_missed_due=missed, accelerated_on=accel, declared_on=declared,
            acceleration_notice=acceleration_notice(facts, recorded),
            intent_notice=intent_notice(facts, recorded),
            contacts=contact_history(facts, missed), visits=visit_times(facts), plan=plan_terms(facts),
            matured_on=effective.matured_on, schedule_missed_due=overdue.schedule_missed_due(cf, facts.as_of, missed))


def local(moment: datetime, tz: str) -> datetime:
    return moment.astimezone(ZoneInfo(tz))


# A recorded visit as a contact: met at the door or inside (any outcome but these) is a conversation.
VISIT_OUTCOMES = {"absent": Outcome.NO_ANSWER, "refused": Outcome.REFUSED, "promise": Outcome.PROMISE}


def contact_history(facts: Any, since: date | None) -> ContactHistory:
    """Collection contacts: outbound contacts with the borrower from the first missed due date
    (`since`) to as-of, borrower-local days, in order; a failed send is no contact. A visit the
    case records as made is a contact on its day even where no communication row was posted for
    it, so the contact history and the visit log never tell two stories."""
    tz = facts.tz
    found = []
    for c in sorted(facts.cf.communications, key=lambda c: c.sent_at):
        day = local(c.sent_at, tz).date()
        if (c.direction == Direction.OUT and c.party_kind == PartyKind.BORROWER and c.outcome != Outcome.FAILED
                and (since is None or day >= since) and day <= facts.as_of):
            # a letter delivered after as-of had, as of then, been sent and not yet reached the borrower
            outcome = (Outcome.SENT if c.outcome == Outcome.DELIVERED and delivered_day(c, tz, facts.as_of) is None
                       else c.outcome)
            found.append(Contact(day=day, channel=c.channel, template_kind=c.template_kind, outcome=outcome,
                                 reached=outcome in REACHED))
    posted = {c.day for c in found if c.channel == Channel.VISIT}
    for v in facts.cf.visits:
        if v.started_at is None:
            continue
        made = local(v.started_at, tz).date()
        if made not in posted and (since is None or made >= since) and made <= facts.as_of:
            outcome = VISIT_OUTCOMES.get(v.outcome, Outcome.ANSWERED)
            found.append(Contact(day=made, channel=Channel.VISIT, template_kind="", outcome=outcome,
                                 reached=outcome in REACHED, logged=False))
    return ContactHistory(contacts=tuple(sorted(found, key=lambda c: c.day)))


def _notice_law(facts: Any) -> Any:
    """US-19 where it applies to the case (its state requires notice before acceleration), else None."""
    law = acceleration_law.notice_law(facts.rules, facts.cf)
    return law if law is not None and law.applies else None


def _last_sent(facts: Any, kind: str, by: date) -> NoticeSent | None:
    """The last notice of `kind` the communication history records sent to the borrower (not
    failed) on or before `by`, borrower-local."""
    tz = facts.tz
    sent = [c for c in facts.cf.communications
            if c.template_kind == kind and c.direction == Direction.OUT
            and c.party_kind == PartyKind.BORROWER and c.outcome in (Outcome.SENT, Outcome.DELIVERED)
            and local(c.sent_at, tz).date() <= by]
    if not sent:
        return None
    return notice_sent(kind, max(sent, key=lambda c: c.sent_at), tz, facts.as_of)


def acceleration_notice(facts: Any, accelerated_on: date | None) -> NoticeSent | None:
    """The notice that announced an acceleration: the last one sent to the borrower on or before the
    acceleration date — the notice of acceleration (required where US-19 applies; in another US
    state the one the lender sent, if it sent one: it accelerated the loan by it), else the breach
    notice."""
    if accelerated_on is None:
        return None
    law = acceleration_law.notice_law(facts.rules, facts.cf)
    if law is not None and law.applies:
        return _last_sent(facts, law.acceleration_kind, accelerated_on)
    found = _last_sent(facts, law.acceleration_kind, accelerated_on) if law is not None else None
    return found or _last_sent(facts, ACCELERATION_NOTICE, accelerated_on)


def intent_notice(facts: Any, accelerated_on: date | None) -> NoticeSent | None:
    """Where US-19 applies: the notice of intent to accelerate the acceleration rests on (the first
    whose cure period ran out before the notice of acceleration)."""
    law = _notice_law(facts)
    if accelerated_on is None or law is None:
        return None
    record = acceleration_law.notice_record(facts.cf, law, by=accelerated_on, tz=facts.tz)
    day = record.intent
    found = _last_sent(facts, law.intent_kind, day) if day else None
    if found is None or day is None:
        return None
    return found.model_copy(update={"cure_deadline": record.deadline(day), "cure_from": record.start(day)})


def visit_times(facts: Any) -> tuple[VisitTimes, ...]:
    tz = facts.tz
    return tuple(VisitTimes(visit_id=v.id, window_start=local(v.window_start, tz), window_end=local(v.window_end, tz),
                            started_at=local(v.started_at, tz) if v.started_at else None,
                            ended_at=local(v.ended_at, tz) if v.ended_at else None)
                 for v in facts.cf.visits)


def plan_terms(facts: Any) -> PlanTerms | None:
    plan = facts.cf.current_plan
    if plan is None or plan.signed_date is None or plan.signed_date > facts.as_of or not plan.instalments:
        return None
    position = plan_position(plan, facts.cf.payments, facts.as_of)
    return PlanTerms(agreement_no=plan.agreement_no, plan_type=plan.plan_type, as_of_date=plan.as_of_date,
                     signed_date=plan.signed_date, ack_principal=plan.ack_principal, ack_interest=plan.ack_interest,
                     ack_penalty=plan.ack_penalty, ack_fees=plan.ack_fees, waived_amount=plan.waived_amount,
                     waiver_conditional=plan.waiver_conditional, instalments=len(plan.instalments),
                     plan_total=position.total, first_due=plan.instalments[0].due_date,
                     last_due=plan.instalments[-1].due_date, grace_days=plan.grace_days, cure_days=plan.cure_days,
                     paid=position.paid, principal_not_due=plan.principal_not_due or Decimal("0.00"))


def grace_end(due: date, grace_days: int, rules: RuleSet) -> date:
    """The last day an instalment can be paid without breaching the plan (plans.grace_end: on a
    rest day, the next working day where the jurisdiction's periods roll)."""
    return plans.grace_end(due, grace_days, rolls=rules.jurisdiction.rest_day_periods)


class DemandDeadline(Frozen):
    """The deadline to pay a demand before suit gives the borrower (DOC-06: the CN lawyer letter,
    "自本函送达之日起七日内"): `days` from the borrower-local day it reached the borrower (民法典
    art. 137, art. 201: counted from the next day, the last day included; art. 203: a last day on a
    weekend or public holiday moves to the next working day, cn_calendar.period_end). The one
    computation DOC-06 and the documents that state the deadline (the complaint) read."""

    kind: str
    sent: date  # the letter's own date (the as-of it was generated for), else the day it was sent
    days: int
    delivered_on: date | None  # None: its delivery is not recorded by the as-of date
    pay_by: date | None  # the last day to pay: period_end(delivered_on, days); None while it has not arrived

    @model_validator(mode="after")
    def _from_delivery(self) -> Self:
        if self.pay_by != (None if self.delivered_on is None else period_end(self.delivered_on, self.days)):
            raise ValueError("a demand's deadline is its days from its delivery, and none before it")
        return self


def demand_deadline(cf: Any, kind: str, days: int, tz: str, as_of: date) -> DemandDeadline | None:
    """The deadline the `kind` letters sent to the borrower (not failed) hold a complaint to (DOC-06).

    Each letter told the borrower the lender would sue only if they had not paid within `days` of
    *its* delivery (民法典 art. 137: a letter speaks when it arrives; art. 7, art. 509: the lender
    keeps to what it announced). With several letters on record:

    - the last letter (by its date, then by when it went out) restates the demand: while its
      delivery is not recorded by as-of its days have not begun and the complaint waits for them
      (the deadline returned has no pay_by), though an earlier letter's days have run: one sent
      after an earlier letter was delivered is a new demand, with its own days (DOC-08 refuses
      one once a letter that accelerated the loan has reached the borrower: no such letter pushes
      the suit back);
    - once it is delivered, the complaint waits for the days of every letter delivered by as-of,
      whichever ends last: an earlier letter that arrived after a later one told its reader they
      had `days` from *its* arrival, so its deadline, not the later letter's, is the one kept;
    - an earlier letter whose delivery is not recorded was overtaken by the later one that reached
      the borrower with the same demand: it holds nothing until its delivery is recorded (a
      letter delivered after as-of was, as of then, not delivered);
    - a failed letter never reached the borrower and holds nothing.

    The deadline returned is that one letter's (its date, delivery and last day to pay), as the
    complaint states it and DOC-06 names it."""
    sent = sorted((c for c in cf.communications if c.template_kind == kind and c.outcome != Outcome.FAILED),
                  key=lambda c: (_letter_day(c, tz), c.sent_at))
    if not sent:
        return None
    deadlines = [_deadline(c, kind, days, tz, as_of) for c in sent]
    last = deadlines[-1]
    if last.pay_by is None:
        return last
    return max((d for d in deadlines if d.pay_by is not None), key=lambda d: (d.pay_by or date.min, d.sent))


def _letter_day(comm: Any, tz: str) -> date:
    """A letter's own date: the as-of it was generated for, else the borrower-local day it went out."""
    day: date = comm.stated_as_of or local(comm.sent_at, tz).date()
    return day


def _deadline(comm: Any, kind: str, days: int, tz: str, as_of: date) -> DemandDeadline:
    delivered = delivered_day(comm, tz, as_of)
    return DemandDeadline(kind=kind, sent=_letter_day(comm, tz), days=days, delivered_on=delivered,
                          pay_by=None if delivered is None else period_end(delivered, days))
