"""The facts of a case in date order, as a complaint's 事实与理由 tells them: signing,
disbursement, repayments, default, demands and notices, visits, the repayment agreement, its
breach and the acceleration. Data only: the sentences are in the templates.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Self

from service.cases import overdue
from service.cases.acceleration_clause import condition_on
from service.cases.overdue import first_missed_due as first_default
from service.cases.plans import grace_end
from service.documents.contexts.common import Frozen, local_datetime
from service.documents.contexts.record import (
    REACHED,
    Contact,
    ContactHistory,
    DemandDeadline,
    NoticeSent,
    PlanTerms,
    delivered_day,
    notice_sent,
)
from service.documents.contexts.record import plan_terms as plan_fact

if TYPE_CHECKING:
    from service.documents.contexts.facts import CaseFacts

D = Decimal
DemandFact = Contact  # a demand for performance that reached the borrower (民法典 art. 195)
PlanFact = PlanTerms
__all__ = ["REACHED", "BreachFact", "DemandFact", "Event", "PlanFact", "Timeline", "VisitFact", "first_default",
           "plan_fact"]


class VisitFact(Frozen):
    day: date
    staff: int
    consent_to_enter: bool | None
    signature: str  # signed | refused | absent
    outcome: str
    debtor_statement: str
    proposal: str
    notice_sent: date | None = None  # borrower-local day the visit notice went out
    notice_delivered: bool = False  # CN-09: delivered, the lead time before the visit (CaseFacts)
    notice_delivered_on: date | None = None  # borrower-local day it arrived, where delivered


class BreachFact(Frozen):
    """A recorded breach of a payment plan (BreachEvent): the instalment missed, the plan's grace
    period and the day the monitor recorded it."""

    instalment_no: int
    due_date: date
    missed_amount: Decimal
    cure_deadline: date
    cured_on: date | None
    grace_days: int  # the plan's: "a payment more than N days late is a default"
    detected_on: date
    rolls: bool = False  # the grace period's last day, on a rest day, moves to the next working day (CN)
    cure_days: int = 0  # the plan's cure period after the grace period (plans.cure_deadline)

    @property
    def cure_rolled_from(self) -> date | None:
        """The period's own last day (the due date plus the grace and cure days) where it was a rest
        day and `cure_deadline` is the first working day after it (民法典 art. 203); else None. A
        document that states the deadline says why it is later than the agreement's count."""
        last = self.due_date + timedelta(days=self.grace_days + self.cure_days)
        return last if last < self.cure_deadline else None

    @property
    def defaulted_on(self) -> date:
        """The day the missed instalment became a default under the plan: the first day it was more
        than the grace period late (not its due date), as the plan's default clause and the notice
        of default, dated that day, put it."""
        return grace_end(self.due_date, self.grace_days, rolls=self.rolls) + timedelta(days=1)


class AccelerationMet(Frozen):
    """The fact on which the loan contract's acceleration clause was met by days overdue (借款人逾期
    超过N日的), as of the acceleration date: the oldest instalment then unpaid, its due date and how
    many days overdue it was (review CN-00061: "任一期借款逾期已超过90日" stated the clause, not the
    fact: "第4期借款（应还日…）至…已逾期157日，超过90日")."""

    instalment_no: int
    due_date: date
    on: date  # the acceleration date
    days: int  # days overdue on `on`
    overdue_days: int  # the clause's threshold


class Event(Frozen):
    """One dated event of the story a complaint tells after the default: `kind` names the
    Timeline field that holds it (visit: ``visits[index]``; breach: ``breaches[index]``)."""

    day: date
    kind: str  # visit | plan | breach | acceleration | lawyer_letter
    index: int = 0


# Of events on the same day, the one that came first: an agreement signed at a visit follows it;
# an acceleration follows the breach it rests on; a lawyer letter follows what it demands on.
EVENT_ORDER = ("visit", "plan", "breach", "acceleration", "lawyer_letter")


class Timeline(Frozen):
    signed_date: date
    disbursed_date: date
    disbursed_amount: Decimal
    payments: int
    paid_total: Decimal
    last_payment_date: date | None
    last_payment_amount: Decimal | None
    overdue_since: date | None  # the oldest instalment still unpaid at as-of
    first_default: date | None  # the first due date not paid in full on time (the default began)
    days_past_due: int
    contacts: ContactHistory  # the case's facts record: collection contacts since the default
    visits: tuple[VisitFact, ...]
    plan: PlanFact | None
    breaches: tuple[BreachFact, ...]
    accelerated_on: date | None
    # the breach notice that announced the acceleration, from the facts record (its day and delivery)
    acceleration_notice: NoticeSent | None = None
    intent_notice: NoticeSent | None = None
    # the governing schedule's last due date where the recorded acceleration came after it (the
    # debt had matured: nothing was accelerated; CaseRecord.matured_on)
    matured_on: date | None = None
    # the first due date of the governing schedule (the plan's, where one governs) not paid in full
    schedule_default: date | None = None
    # the lawyer letter sent to the borrower (the first, on or before as-of): its day and delivery
    lawyer_letter: NoticeSent | None = None
    # where the loan contract's own clause accelerated the debt (no repayment agreement) and no
    # notice of acceleration announced it: the lawyer letter (律师函) sent on the acceleration date,
    # which declared it (review CN-00061: "已于…宣布提前到期" named no document)
    declared_by: NoticeSent | None = None
    # where the contract's clause accelerated the debt by days overdue: the fact it rested on
    acceleration_met: AccelerationMet | None = None
    # the deadline to pay the lawyer letters gave that ends last (days from delivery; DOC-06's, from
    # CaseFacts.demand_deadline): the complaint states that it ran without payment
    demand_deadline: DemandDeadline | None = None

    @property
    def overdue_start(self) -> date | None:
        """The one "overdue since" every document states (issue 8 §6): the first due date of the
        governing schedule not paid in full on time (the plan's, where one governs), else the
        contract's. An acceleration is stated beside it, never in its place: counting from the
        acceleration understated how long the borrower had been in default (case-file review R-8)."""
        return overdue.overdue_start(self.schedule_default, self.first_default)

    @property
    def overdue_basis(self) -> str:
        """What `overdue_start` is, so every document labels it alike: plan_first_missed_due (an
        instalment of the repayment agreement) | first_missed_due (of the loan contract)."""
        if self.overdue_start is None:
            return ""
        if self.plan is not None and self.schedule_default is not None and self.schedule_default != self.first_default:
            return "plan_first_missed_due"
        return "first_missed_due"

    @property
    def events(self) -> tuple[Event, ...]:
        """The events the complaint's 事实与理由 tells one by one after the default, in the order
        they happened (same day: ``EVENT_ORDER``): the visits, the repayment agreement and its
        first breach, the acceleration (or the governing schedule's maturity) and the lawyer
        letter. The one order every document that tells them takes (review: the lawyer letter was
        told before an earlier visit)."""
        found = [Event(day=v.day, kind="visit", index=i) for i, v in enumerate(self.visits)]
        if self.plan is not None:
            found.append(Event(day=self.plan.signed_date, kind="plan"))
            if self.breaches:
                found.append(Event(day=self.breaches[0].due_date, kind="breach"))
        end = self.matured_on or self.accelerated_on
        if end is not None:
            found.append(Event(day=end, kind="acceleration"))
        if self.lawyer_letter is not None:
            found.append(Event(day=self.lawyer_letter.day, kind="lawyer_letter"))
        return tuple(sorted(found, key=lambda e: (e.day, EVENT_ORDER.index(e.kind), e.index)))

    @property
    def demands(self) -> tuple[Contact, ...]:
        """The demands for performance that reached the borrower (a visit notice is none)."""
        return self.contacts.demands.reached

    @property
    def demand_channels(self) -> tuple[str, ...]:
        return self.contacts.demands.channels

    @property
    def first_demand(self) -> Contact | None:
        return self.demands[0] if self.demands else None

    @property
    def last_demand(self) -> Contact | None:
        return self.demands[-1] if self.demands else None

    @classmethod
    def of(cls, facts: CaseFacts) -> Self:
        cf, as_of, ledger, record = facts.cf, facts.as_of, facts.ledger, facts.record
        pays = [p for p in cf.payments if p.value_date <= as_of]
        unpaid = [p.due_date for p in ledger.positions if p.days_past_due > 0]
        visits = tuple(
            VisitFact(day=local_datetime(v.started_at, facts.tz).date(), staff=len(v.staff),
                      consent_to_enter=v.consent_to_enter, signature=v.signature, outcome=v.outcome,
                      debtor_statement=v.debtor_statement, proposal=v.proposal,
                      notice_sent=local_datetime(v.notice_sent_at, facts.tz).date() if v.notice_sent_at else None,
                      notice_delivered=facts.visit_notice_delivered(v),
                      notice_delivered_on=_day_of(facts.visit_notice_delivery(v)))
            for v in cf.visits if v.started_at is not None and local_datetime(v.started_at, facts.tz).date() <= as_of)
        grace = {p.id: (p.grace_days, p.cure_days) for p in cf.plans}
        breaches = tuple(BreachFact(instalment_no=b.instalment_no, due_date=b.due_date, missed_amount=b.missed_amount,
                                    cure_deadline=b.cure_deadline, cured_on=b.cured_on, grace_days=grace[b.plan_id][0],
                                    cure_days=grace[b.plan_id][1],
                                    detected_on=b.detected_on, rolls=facts.rules.jurisdiction.rest_day_periods)
                         for b in cf.breaches if b.detected_on <= as_of)
        return cls(signed_date=cf.contract.signed_date, disbursed_date=cf.contract.disbursed_date,
                   disbursed_amount=cf.contract.disbursed_amount, payments=len(pays),
                   paid_total=sum((p.amount for p in pays), D("0.00")),
                   last_payment_date=pays[-1].value_date if pays else None,
                   last_payment_amount=pays[-1].amount if pays else None,
                   overdue_since=min(unpaid) if unpaid else None, first_default=record.first_missed_due,
                   days_past_due=ledger.days_past_due, contacts=record.contacts, visits=visits,
                   plan=record.plan, breaches=breaches, accelerated_on=record.accelerated_on,
                   acceleration_notice=record.acceleration_notice, intent_notice=record.intent_notice,
                   matured_on=record.matured_on, schedule_default=record.schedule_missed_due,
                   lawyer_letter=_first_sent(facts, "lawyer_letter"), declared_by=_declared_by(facts),
                   acceleration_met=_acceleration_met(facts), demand_deadline=facts.demand_deadline)


def breach_of(timeline: Timeline, instalment_no: int, due_date: date) -> BreachFact | None:
    """The recorded breach of the plan instalment `instalment_no` due on `due_date` (the claim's plan
    default, ``Claim.default``), if one is recorded by the timeline's as-of date."""
    return next((b for b in timeline.breaches if b.instalment_no == instalment_no and b.due_date == due_date), None)


def _day_of(moment: datetime | None) -> date | None:
    return moment.date() if moment is not None else None


def _acceleration_met(facts: CaseFacts) -> AccelerationMet | None:
    """The fact the contract's clause was met on, by days overdue, on the recorded acceleration date
    (the contract's acceleration: no repayment agreement, not matured); None where it was met only by
    instalments missed, or not by days on that date."""
    record = facts.record
    on = record.declared_on  # the day it was declared (a letter's: it takes effect on delivery)
    if on is None or facts.claim.agreement is not None or record.matured_on is not None:
        return None
    met = condition_on(facts.cf, on)
    if not met.by_days or met.days_past_due <= met.overdue_days or met.oldest_due is None:
        return None
    return AccelerationMet(instalment_no=met.oldest_no, due_date=met.oldest_due, on=on, days=met.days_past_due,
                           overdue_days=met.overdue_days)


def _declared_by(facts: CaseFacts) -> NoticeSent | None:
    """The lawyer letter that declared a contract acceleration: sent on the acceleration date (the
    borrower's day), where the claim rests on the loan contract (no agreement) and no notice of
    acceleration (US-19) or breach notice announced it."""
    record, claim = facts.record, facts.claim
    on = record.declared_on  # the letter's own date; it takes effect on its delivery (CN, 民法典 art. 137)
    if on is None or claim.agreement is not None or record.matured_on is not None \
            or record.acceleration_notice is not None:
        return None
    sent = sorted((c for c in facts.sent("lawyer_letter") if local_datetime(c.sent_at, facts.tz).date() == on),
                  key=lambda c: c.sent_at)
    if not sent:
        return None
    delivered = [c for c in sent if delivered_day(c, facts.tz, facts.as_of) is not None]
    return notice_sent("lawyer_letter", delivered[0] if delivered else sent[0], facts.tz, facts.as_of, day=on)


def _first_sent(facts: CaseFacts, kind: str) -> NoticeSent | None:
    """The first notice of `kind` sent on or before as-of (borrower-local day) and whether it was delivered."""
    sent = sorted(facts.sent(kind), key=lambda c: c.sent_at)
    if not sent:
        return None
    return notice_sent(kind, sent[0], facts.tz, facts.as_of)
