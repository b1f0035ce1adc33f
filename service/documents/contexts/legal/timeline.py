"""The facts of a case in date order, as a complaint's 事实与理由 tells them: signing,
disbursement, repayments, default, demands and notices, visits, the repayment agreement, its
breach and the acceleration. Data only: the sentences are in the templates.
"""

from datetime import date
from decimal import Decimal
from typing import Any, Self

from service.cases.enums import Outcome, PartyKind
from service.cases.ledger import SCHEDULED
from service.cases.plans import plan_position
from service.documents.contexts.common import Frozen, local_datetime
from service.documents.contexts.facts import CaseFacts

D = Decimal
# Outbound contacts that reached the borrower or engaged them: demands for performance
# (民法典 art. 195) — the same outcomes the limitation computation counts.
REACHED = (Outcome.DELIVERED, Outcome.ANSWERED, Outcome.PROMISE)


class DemandFact(Frozen):
    day: date
    channel: str  # sms | call | letter | email | app | visit
    template_kind: str
    outcome: str


class VisitFact(Frozen):
    day: date
    staff: int
    consent_to_enter: bool | None
    signature: str  # signed | refused | absent
    outcome: str
    debtor_statement: str
    proposal: str


class PlanFact(Frozen):
    agreement_no: str
    plan_type: str
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

    @property
    def acknowledged(self) -> Decimal:
        return self.ack_principal + self.ack_interest + self.ack_penalty + self.ack_fees


class BreachFact(Frozen):
    instalment_no: int
    due_date: date
    missed_amount: Decimal
    cure_deadline: date
    cured_on: date | None


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
    demands: tuple[DemandFact, ...]
    visits: tuple[VisitFact, ...]
    plan: PlanFact | None
    breaches: tuple[BreachFact, ...]
    accelerated_on: date | None

    @property
    def demand_channels(self) -> tuple[str, ...]:
        seen: list[str] = []
        for d in self.demands:
            if d.channel not in seen:
                seen.append(d.channel)
        return tuple(seen)

    @property
    def first_demand(self) -> DemandFact | None:
        return self.demands[0] if self.demands else None

    @property
    def last_demand(self) -> DemandFact | None:
        return self.demands[-1] if self.demands else None

    @classmethod
    def of(cls, facts: CaseFacts) -> Self:
        cf, as_of, ledger = facts.cf, facts.as_of, facts.ledger
        pays = [p for p in cf.payments if p.value_date <= as_of]
        unpaid = [p.due_date for p in ledger.positions if p.days_past_due > 0]
        demands = tuple(
            DemandFact(day=local_datetime(c.sent_at, facts.tz).date(), channel=c.channel,
                       template_kind=c.template_kind, outcome=c.outcome)
            for c in cf.communications
            if c.direction == "out" and c.party_kind is PartyKind.BORROWER and c.outcome in REACHED
            and c.sent_at.date() <= as_of)
        visits = tuple(
            VisitFact(day=local_datetime(v.started_at, facts.tz).date(), staff=len(v.staff),
                      consent_to_enter=v.consent_to_enter, signature=v.signature, outcome=v.outcome,
                      debtor_statement=v.debtor_statement, proposal=v.proposal)
            for v in cf.visits if v.started_at is not None and v.started_at.date() <= as_of)
        breaches = tuple(BreachFact(instalment_no=b.instalment_no, due_date=b.due_date, missed_amount=b.missed_amount,
                                    cure_deadline=b.cure_deadline, cured_on=b.cured_on)
                         for b in cf.breaches if b.detected_on <= as_of)
        accel = cf.case.accelerated_on if cf.case.accelerated_on and cf.case.accelerated_on <= as_of else None
        return cls(signed_date=cf.contract.signed_date, disbursed_date=cf.contract.disbursed_date,
                   disbursed_amount=cf.contract.disbursed_amount, payments=len(pays),
                   paid_total=sum((p.amount for p in pays), D("0.00")),
                   last_payment_date=pays[-1].value_date if pays else None,
                   last_payment_amount=pays[-1].amount if pays else None,
                   overdue_since=min(unpaid) if unpaid else None, first_default=first_default(ledger),
                   days_past_due=ledger.days_past_due,
                   demands=demands, visits=visits, plan=plan_fact(facts), breaches=breaches, accelerated_on=accel)


def first_default(ledger: Any) -> date | None:
    """The earliest due date whose scheduled amount was not paid in full by that day."""
    on_time: dict[int, Decimal] = {}
    for allocation in ledger.allocations:
        for line in allocation.lines:
            position = next(p for p in ledger.positions if p.no == line.instalment_no)
            if line.component in SCHEDULED and line.applied_on <= position.due_date:
                on_time[line.instalment_no] = on_time.get(line.instalment_no, D("0")) + line.amount
    for p in ledger.positions:
        owed = sum((p.due[c] for c in SCHEDULED), D("0"))
        if p.due_date <= ledger.as_of and on_time.get(p.no, D("0")) < owed:
            due: date = p.due_date
            return due
    return None


def plan_fact(facts: CaseFacts) -> PlanFact | None:
    plan = facts.cf.current_plan
    if plan is None or plan.signed_date is None or plan.signed_date > facts.as_of or not plan.instalments:
        return None
    position = plan_position(plan, facts.cf.payments, facts.as_of)
    return PlanFact(agreement_no=plan.agreement_no, plan_type=plan.plan_type, as_of_date=plan.as_of_date,
                    signed_date=plan.signed_date, ack_principal=plan.ack_principal, ack_interest=plan.ack_interest,
                    ack_penalty=plan.ack_penalty, ack_fees=plan.ack_fees, waived_amount=plan.waived_amount,
                    waiver_conditional=plan.waiver_conditional, instalments=len(plan.instalments),
                    plan_total=position.total, first_due=plan.instalments[0].due_date,
                    last_due=plan.instalments[-1].due_date, grace_days=plan.grace_days, cure_days=plan.cure_days,
                    paid=position.paid)
