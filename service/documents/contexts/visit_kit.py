"""The visit kit's own documents: the internal brief for the two staff going, and the statement of
account they show the borrower. (The kit's other parts are kinds of their own: the repayment
schedule, the plan proposals as draft repayment agreements, the visit record as a form.)

Both draw their dates, counts and names from the case's facts record and their money from the
ledger on the day of the visit; nothing is recomputed here. The brief is internal: the borrower's
identity is masked per the rule set (CN-12), as a letter to them would show it.
"""

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, Self

from service.cases.enums import Outcome, PartyKind
from service.cases.limitation import is_time_barred
from service.cases.masking import mask_phone
from service.cases.proposals import Proposal, proposals
from service.core.errors import InvalidInput
from service.documents.contexts import samples as notice_samples
from service.documents.contexts.common import (
    Amounts,
    CappedRates,
    CapQuote,
    CreditSystemBlock,
    DocMeta,
    DocumentContext,
    Frozen,
    LenderBlock,
    Required,
    local_datetime,
)
from service.documents.contexts.contracts.agreement import proposal_interest_stated
from service.documents.contexts.facts import CaseFacts
from service.documents.contexts.legal import samples
from service.documents.contexts.legal.base import shown, wording_of
from service.documents.contexts.legal.blocks import CauseBlock, PersonBlock, masked_person
from service.documents.contexts.record import Contact, ContactHistory, VisitTimes
from service.documents.contexts.visit import reply_deadline
from service.documents.format import date_cn, money

# Contacts in which the borrower spoke: their notes say what they said of paying.
SPOKE = ("answered", "promise", "refused", "disputed")


class Note(Frozen):
    """A contact of the record in which the borrower spoke, with the note the log keeps of it."""

    day: date  # borrower-local
    channel: str
    outcome: str
    summary: str


def borrower_notes(facts: CaseFacts) -> tuple[Note, ...]:
    """What the borrower said of paying (willingness, ability), contact by contact: the record's
    contacts decide which count; the log supplies each one's note."""
    spoke = {(c.day, c.channel, c.outcome) for c in facts.record.contacts.contacts if c.outcome in SPOKE}
    found = []
    for c in sorted(facts.cf.communications, key=lambda c: c.sent_at):
        day = local_datetime(c.sent_at, facts.tz).date()
        if (day, c.channel, c.outcome) in spoke and c.party_kind == PartyKind.BORROWER and c.summary.strip():
            found.append(Note(day=day, channel=c.channel, outcome=c.outcome, summary=c.summary.strip()))
    return tuple(found)


class StaffLine(Frozen):
    name: str
    badge_no: str
    organisation: str


class PhoneLine(Frozen):
    number: str  # masked
    label: str  # mobile | work | home…, as recorded
    do_not_call: bool


class HoldLine(Frozen):
    kind: str  # DISPUTE | COMPLAINT | DECEASED | LITIGATION_HOLD
    reason: str
    since: date


class ProposalLine(Frozen):
    plan_type: str
    instalments: int
    first_due: date
    last_due: date
    first_amount: Decimal
    total: Decimal
    waived: Decimal  # of the debt acknowledged: instalments + waived = acknowledged
    acknowledged: Decimal = Decimal("0.00")
    interest_not_charged: Decimal = Decimal("0.00")  # contract interest to come the plan does not charge
    suspends: bool = False  # 停息挂账: that interest is suspended (revives on breach), not given up
    # the figure the plan's draft agreement states in its 第三条 (agreement.proposal_interest_stated):
    # under 停息挂账 the interest suspended over the plan, else interest_not_charged
    interest_stated: Decimal = Decimal("0.00")

    @property
    def interest_waived(self) -> Decimal:
        """Of the contract interest to come, what the plan waives on condition of performance (the
        agreement's 第三条; revived on breach to the day before the acceleration date): all of it but under 停息挂账."""
        return Decimal("0.00") if self.suspends else self.interest_not_charged

    @property
    def waived_total(self) -> Decimal:
        """The 减免 column: every conditional waiver the plan grants, of the debt and of interest to come."""
        return self.waived + self.interest_waived

    @classmethod
    def of(cls, p: Proposal, *, interest_stated: Decimal) -> Self:
        return cls(interest_stated=interest_stated,
                   plan_type=p.plan_type, instalments=len(p.instalments), first_due=p.instalments[0].due_date,
                   last_due=p.instalments[-1].due_date, first_amount=p.instalments[0].amount, total=p.total,
                   waived=p.waived_amount, acknowledged=p.acknowledged, interest_not_charged=p.interest_not_charged,
                   suspends=p.plan_type == "interest_suspension")


class VisitPlan(Frozen):
    purpose: str
    place_kind: str  # home | work
    address: str
    times: VisitTimes  # from the facts record: borrower-local
    organisation: str
    on_behalf_of_lender: bool
    notice_sent_at: datetime | None  # borrower-local
    notice_delivered: bool  # the log records the visit notice as delivered, not only sent
    notice_delivered_at: datetime | None = None  # borrower-local: when it arrived, where delivered
    reply_by: datetime  # borrower-local: the notice's last moment to reschedule or decline (CN-09)
    staff: tuple[StaffLine, ...]


class VisitRules(Frozen):
    """CN-09 as it binds the staff during the visit."""

    min_staff: int
    start: str
    end: str


def chosen_visit(facts: CaseFacts, visit_id: int | None) -> Any:
    """The visit the kit prepares: the one asked for, else the next one not yet made."""
    visit = (next((v for v in facts.cf.visits if v.id == visit_id), None) if visit_id is not None
             else facts.planned_visit)
    if visit is None:
        raise InvalidInput.one("visit_id", "no such visit on this case" if visit_id is not None
                               else "no planned visit on this case: record the visit first")
    return visit


def visit_day(facts: CaseFacts, visit_id: int) -> date:
    return next(v for v in facts.record.visits if v.visit_id == visit_id).day


def case_proposals(facts: CaseFacts, visit_id: int) -> list[Proposal]:
    """The plans the visit may propose (PLAN-02), on the debt as the ledger states it that day."""
    day = visit_day(facts, visit_id)
    return proposals(facts.ledger_on(day), facts.rules, day)


class BriefRates(CappedRates, Frozen):
    """The contract's penalty rate and the cap the claim holds it to (CN-16)."""

    penalty_rate: Decimal  # as the contract states it
    cap: CapQuote | None


class VisitBriefContext(DocumentContext):
    """走访工作简报: what the two staff need to know before and during the visit (internal). A rate
    it tells the staff to announce is the claim's: quoted within the cap, naming it (CN-16), as the
    kit's agreements quote it."""

    lender: LenderBlock
    borrower: PersonBlock  # ID number masked (CN-12)
    phones: tuple[PhoneLine, ...]
    contract_no: str
    contract_title: str  # as the contract names itself (facts record)
    signed_date: date
    principal_agreed: Decimal
    rates: BriefRates  # the brief quotes the penalty rate within the cap
    first_missed_due: date | None
    accelerated_on: date | None
    contacts: ContactHistory
    notes: tuple[Note, ...]  # contacts in which the borrower spoke, with the note of what they said
    amounts: Amounts  # on the day of the visit
    holds: tuple[HoldLine, ...]
    flags: tuple[str, ...]  # risk flags, as codes (labelled by the template)
    visit: VisitPlan
    rules_in_force: VisitRules
    credit_system: CreditSystemBlock | None
    prenotice_sent: bool  # the pre-notice counts (CaseFacts.prenotice): staff may mention credit reporting
    prenotice_delivered: bool  # stated as a fact beside it
    time_barred: bool
    proposals: tuple[ProposalLine, ...]
    cause: CauseBlock | None  # the lender's 案由 (CN-30): its words for interest on overdue principal
    compound_allowed: bool

    def required(self) -> list[Required]:
        found = shown(borrower=self.borrower.name, contract=self.contract_no, address=self.visit.address,
                      purpose=self.visit.purpose, total=money(self.amounts.total_outstanding),
                      day=date_cn(self.visit.times.day))
        for n, s in enumerate(self.visit.staff, start=1):
            found += shown(**{f"staff_{n}": s.name, f"badge_{n}": s.badge_no})
        return found

    @classmethod
    def build(cls, facts: CaseFacts, doc: DocMeta, *, visit_id: int | None = None) -> Self:
        cf, record = facts.cf, facts.record
        visit = chosen_visit(facts, visit_id)
        times = next(v for v in record.visits if v.visit_id == visit.id)
        org = visit.organisation or cf.lender.name
        plan = VisitPlan(purpose=visit.purpose, place_kind=visit.place_kind, address=visit.address, times=times,
                         organisation=org, on_behalf_of_lender=org != cf.lender.name,
                         notice_sent_at=visit.notice_sent_at.astimezone(times.window_start.tzinfo)
                         if visit.notice_sent_at else None,
                         notice_delivered=facts.visit_notice_delivered(visit),
                         notice_delivered_at=facts.visit_notice_delivery(visit),
                         reply_by=reply_deadline(times.window_start, facts.rules),
                         staff=tuple(StaffLine(name=s.name, badge_no=s.badge_no, organisation=s.organisation or org)
                                     for s in visit.staff))
        p = facts.rules.rule("CN-09").params
        system = facts.credit_system
        return cls(
            doc=doc, lender=LenderBlock.of(cf.lender),
            borrower=masked_person(PersonBlock.of(cf.borrower, facts.rules), facts.rules).model_copy(
                update={"phone": mask_phone(PersonBlock.of(cf.borrower, facts.rules).phone, facts.rules)}),
            phones=tuple(PhoneLine(number=mask_phone(str(x.get("number", "")), facts.rules),
                                   label=str(x.get("label", "")), do_not_call=bool(x.get("do_not_call")))
                         for x in cf.borrower.phones or [] if x.get("number")),
            contract_no=record.contract.contract_no, contract_title=record.contract.title,
            signed_date=record.contract.signed_date, principal_agreed=cf.contract.principal_agreed,
            rates=BriefRates(penalty_rate=cf.contract.penalty_rate, cap=CapQuote.of(facts.cap)),
            first_missed_due=record.first_missed_due,
            accelerated_on=record.accelerated_on, contacts=record.contacts,
            notes=borrower_notes(facts),
            amounts=Amounts.of(facts.ledger_on(times.day)),
            holds=tuple(HoldLine(kind=h.kind, reason=h.reason, since=h.opened_at.date()) for h in cf.active_holds),
            flags=risk_flags(facts, record.contacts), visit=plan,
            rules_in_force=VisitRules(min_staff=int(p["min_staff"]), start=str(p["start"]), end=str(p["end"])),
            credit_system=CreditSystemBlock(name=system.name, name_en=system.name_en) if system else None,
            prenotice_sent=facts.prenotice is not None,
            prenotice_delivered=facts.delivered("credit_report_prenotice"),
            time_barred=is_time_barred(facts.limitation, times.day),
            proposals=tuple(ProposalLine.of(x, interest_stated=proposal_interest_stated(facts, x))
                            for x in case_proposals(facts, visit.id)), **wording_of(facts))

    @classmethod
    def sample(cls, doc: DocMeta) -> Self:
        from zoneinfo import ZoneInfo

        tz = ZoneInfo("Asia/Shanghai")
        day = doc.as_of + timedelta(days=3)
        start = datetime(day.year, day.month, day.day, 14, 0, tzinfo=tz)
        person = samples.person("CN")
        org = "华信消费金融有限公司"
        amounts = notice_samples.amounts("CN", day)
        contacts = ContactHistory(contacts=(
            Contact(day=doc.as_of - timedelta(days=20), channel="sms", template_kind="overdue_reminder",
                    outcome="delivered", reached=True),
            Contact(day=doc.as_of - timedelta(days=12), channel="call", template_kind="", outcome="answered",
                    reached=True),
            Contact(day=doc.as_of - timedelta(days=4), channel="letter", template_kind="visit_notice",
                    outcome="delivered", reached=True)))
        return cls(
            doc=doc, lender=notice_samples.lender("CN"), borrower=person,
            phones=(PhoneLine(number="138****5678", label="mobile", do_not_call=False),),
            contract_no="HXCF-2025-001234", contract_title="个人消费借款合同", signed_date=date(2025, 3, 18),
            principal_agreed=Decimal("30000.00"),
            rates=BriefRates(penalty_rate=Decimal("0.18"),
                             cap=CapQuote(rate=Decimal("0.24"), label_zh="年利率24%的综合资金成本上限",
                                          label_en="the 24% a year cap on the total cost of credit")),
            first_missed_due=doc.as_of - timedelta(days=75), accelerated_on=None, contacts=contacts,
            notes=(Note(day=doc.as_of - timedelta(days=12), channel="call", outcome="answered",
                        summary="借款人称近期收入减少，愿意分期偿还"),), amounts=amounts, holds=(), flags=("disputed",),
            visit=VisitPlan(purpose="当面核实联系方式和居住情况", place_kind="home",
                            address=person.habitual_address,
                            times=VisitTimes(visit_id=1, window_start=start, window_end=start.replace(hour=16),
                                             started_at=None, ended_at=None),
                            organisation=org, on_behalf_of_lender=False, notice_sent_at=start - timedelta(days=7),
                            notice_delivered=True,
                            notice_delivered_at=(start - timedelta(days=5)).replace(hour=14, minute=30),
                            reply_by=(start - timedelta(days=1)).replace(hour=20),
                            staff=(StaffLine(name="王建国", badge_no="HX-0231", organisation=org),
                                   StaffLine(name="李明辉", badge_no="HX-0417", organisation=org))),
            rules_in_force=VisitRules(min_staff=2, start="08:00", end="22:00"),
            credit_system=CreditSystemBlock(name="金融信用信息基础数据库", name_en="the PBOC credit database"),
            prenotice_sent=True, prenotice_delivered=True, time_barred=False,
            proposals=(ProposalLine(plan_type="instalments", instalments=12, first_due=day + timedelta(days=30),
                                    last_due=day + timedelta(days=360), first_amount=Decimal("2500.00"),
                                    total=Decimal("30000.00"), waived=Decimal("0.00")),), **samples.wording("CN"))


def risk_flags(facts: CaseFacts, contacts: ContactHistory) -> tuple[str, ...]:
    """What the staff must know before they knock (codes; the template says them in words)."""
    cf = facts.cf
    found = []
    if any(p.get("do_not_call") for p in cf.borrower.phones or []):
        found.append("do_not_call")
    if any(c.outcome == Outcome.DISPUTED for c in contacts.contacts):
        found.append("disputed")
    if any(c.outcome == Outcome.REFUSED for c in contacts.contacts):
        found.append("refused")
    if any(c.do_not_contact for c in cf.contacts):
        found.append("contact_do_not_contact")
    if cf.borrower.language and not cf.borrower.language.startswith("zh"):
        found.append("foreign_language")
    if any(b for b in cf.breaches):
        found.append("plan_breached_before")
    return tuple(found)


class PaymentLine(Frozen):
    value_date: date
    amount: Decimal
    channel: str  # a code, labelled by the template
    reference: str


class AccountStatementContext(DocumentContext):
    """对账单: what is owed on the day of the visit and every payment received, shown to the borrower.
    It prints the day it is made; figures computed for a later visit day are labelled projected
    (a payment in between changes them), and the payments listed are those received by then."""

    lender: LenderBlock
    borrower_name: str
    contract_no: str
    contract_title: str
    signed_date: date
    principal_agreed: Decimal
    amounts: Amounts
    payments: tuple[PaymentLine, ...]
    cause: CauseBlock | None  # the lender's 案由 (CN-30): its words for interest on overdue principal
    compound_allowed: bool

    def required(self) -> list[Required]:
        a = self.amounts
        return shown(borrower=self.borrower_name, contract=self.contract_no, total=money(a.total_outstanding),
                     overdue=money(a.total_overdue), day=date_cn(a.as_of), issued=date_cn(self.doc.as_of))

    @classmethod
    def build(cls, facts: CaseFacts, doc: DocMeta, *, visit_id: int | None = None) -> Self:
        visit = chosen_visit(facts, visit_id)
        day = visit_day(facts, visit.id)
        record = facts.record
        return cls(doc=doc, lender=LenderBlock.of(facts.cf.lender), borrower_name=facts.cf.borrower.name,
                   contract_no=record.contract.contract_no, contract_title=record.contract.title,
                   signed_date=record.contract.signed_date, principal_agreed=facts.cf.contract.principal_agreed,
                   amounts=Amounts.of(facts.ledger_on(day)),
                   payments=tuple(PaymentLine(value_date=p.value_date, amount=p.amount, channel=p.channel,
                                              reference=p.external_ref)
                                  for p in sorted(facts.cf.payments, key=lambda p: (p.value_date, p.id))
                                  if p.value_date <= min(day, doc.as_of)), **wording_of(facts))

    @classmethod
    def sample(cls, doc: DocMeta) -> Self:
        day = doc.as_of + timedelta(days=3)
        return cls(doc=doc, lender=notice_samples.lender("CN"), borrower_name=samples.person("CN").name,
                   contract_no="HXCF-2025-001234", contract_title="个人消费借款合同", signed_date=date(2025, 3, 18),
                   principal_agreed=Decimal("30000.00"), amounts=notice_samples.amounts("CN", day),
                   payments=(PaymentLine(value_date=date(2025, 4, 18), amount=Decimal("2735.50"),
                                         channel="bank_transfer", reference="PAY0625349616"),),
                   **samples.wording("CN"))
