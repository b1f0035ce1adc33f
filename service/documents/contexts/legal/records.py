"""Exhibits rendered from the case records: the contract's repayment schedule, the payment
history with each payment's allocation (contract order, else 民法典 art. 561), and the history of
every communication with the borrower and others (numbers masked)."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Self

from pydantic import computed_field

from service.cases import accounts
from service.cases.accounts import signed_plan
from service.cases.enums import Channel, Direction, Outcome, PartyKind
from service.cases.ledger import Component, PaymentId
from service.cases.masking import mask_middle, mask_phone
from service.cases.models import Payment
from service.cases.rules import load_ruleset
from service.documents.contexts.common import CapQuote, DocMeta, DocumentContext, Frozen, Required
from service.documents.contexts.facts import CaseFacts
from service.documents.contexts.legal import samples
from service.documents.contexts.legal.base import cause_of, cause_of_case, shown, terms_of
from service.documents.contexts.legal.blocks import CappedInterestBlock, TermsBlock
from service.documents.contexts.record import ContactHistory, delivered_day, local
from service.documents.format import date_cn, date_en, money

D = Decimal
ZERO = D("0.00")
ORDER = tuple(Component)  # fee, penalty, compound, interest, principal (art. 561)


class RecordContext(DocumentContext):
    plaintiff: str
    defendant: str
    terms: TermsBlock
    penalty_term: str = ""  # interest on overdue principal as the case's 案由 words it (CN-30); "" in the US
    lender_term: str = ""  # the lender as a party as the case's 案由 words it (贷款人 | 出借人, CN-30); "" in the US

    @property
    def account(self) -> str:
        """The contract number as shown: in full in China, by its last digits on US filings (US-13)."""
        return self.doc.filing_account(self.terms.contract_no)

    @staticmethod
    def header(facts: CaseFacts, doc: DocMeta) -> dict[str, Any]:
        cause = cause_of_case(facts)
        return {"doc": doc, "plaintiff": facts.cf.lender.name, "defendant": facts.cf.borrower.name,
                "terms": terms_of(facts), "penalty_term": cause.penalty_term if cause else "",
                "lender_term": cause.lender_term if cause else ""}

    @staticmethod
    def sample_header(doc: DocMeta) -> dict[str, Any]:
        cause = cause_of(load_ruleset(doc.profile), samples.LICENCE[doc.profile])
        return {"doc": doc, "plaintiff": samples.lender_name(doc.profile),
                "defendant": samples.person(doc.profile).name, "terms": samples.terms(doc.profile),
                "penalty_term": cause.penalty_term if cause else "",
                "lender_term": cause.lender_term if cause else ""}


class ScheduleLine(Frozen):
    no: int
    due_date: date
    principal: Decimal
    interest: Decimal
    fee: Decimal

    @property
    def total(self) -> Decimal:
        return self.principal + self.interest + self.fee


class RepaymentScheduleContext(RecordContext):
    """还款计划表 as agreed in the contract: an exhibit in a packet, or a copy shown to the borrower at
    a visit (no suit yet: the lender is not called 原告)."""

    lines: tuple[ScheduleLine, ...]
    shown_to_borrower: bool = False
    # the repayment agreement signed by the as-of date that rescheduled the debt (its number and
    # date): the note then says so instead of "unchanged" (review CN-00012)
    rescheduled_by: str | None = None
    rescheduled_on: date | None = None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def totals(self) -> dict[str, Decimal]:
        return {name: sum((getattr(line, name) for line in self.lines), ZERO)
                for name in ("principal", "interest", "fee", "total")}

    def required(self) -> list[Required]:
        # the dates as the locale's template writes them: the English one the US way (date_en), the
        # Chinese one as its prose does (date_cn)
        day = date_en if self.doc.locale == "en-US" else date_cn
        return shown(contract=self.account, principal=money(self.totals["principal"]),
                     interest=money(self.totals["interest"]), first=day(self.lines[0].due_date),
                     last=day(self.lines[-1].due_date))

    @classmethod
    def build(cls, facts: CaseFacts, doc: DocMeta, *, shown_to_borrower: bool = False) -> Self:
        lines = tuple(ScheduleLine(no=i.no, due_date=i.due_date, principal=i.principal, interest=i.interest, fee=i.fee)
                      for i in facts.cf.instalments)
        plan = facts.cf.current_plan
        signed = plan is not None and plan.signed_date is not None and plan.signed_date <= doc.as_of
        return cls(**cls.header(facts, doc), lines=lines, shown_to_borrower=shown_to_borrower,
                   rescheduled_by=plan.agreement_no if signed else None,  # type: ignore[union-attr]
                   rescheduled_on=plan.signed_date if signed else None)  # type: ignore[union-attr]

    @classmethod
    def sample(cls, doc: DocMeta) -> Self:
        lines = tuple(ScheduleLine(no=r.no, due_date=r.due_date, principal=r.principal, interest=r.interest, fee=r.fee)
                      for r in samples.schedule(doc.profile))
        return cls(**cls.sample_header(doc), lines=lines)


class AllocationLine(Frozen):
    instalment_no: int
    component: str  # a component, or ABOVE_CAP: interest paid above the cap, set against principal
    amount: Decimal


class PaymentLine(Frozen):
    value_date: date
    amount: Decimal
    channel: str
    reference: str
    parts: dict[str, Decimal]  # by component
    lines: tuple[AllocationLine, ...]
    unapplied: Decimal


class PlanPaymentLine(Frozen):
    """A payment made under a signed repayment agreement: applied as the agreement says, not to
    the contract's instalments."""

    value_date: date
    amount: Decimal
    channel: str
    reference: str


class AgreementPayments(Frozen):
    """What was paid under the agreement and how it was applied: the claim's `paid_under_plan`."""

    agreement_no: str
    from_date: date  # the acknowledgement date: payments after it are the agreement's
    payments: tuple[PlanPaymentLine, ...]
    applied: dict[str, Decimal]  # by component, as the agreement applied them
    total: Decimal


class PaymentHistoryContext(RecordContext):
    """还款记录及款项冲抵明细: every payment to as-of and where it went. Under a signed agreement
    the contract's allocation stops at the acknowledgement; the later payments are the agreement's,
    applied as it says (the same figures as the claim's reconciliation)."""

    payments: tuple[PaymentLine, ...]
    contract_order: bool  # the contract fixes the allocation order (else art. 561)
    order: tuple[str, ...]
    agreement: AgreementPayments | None = None
    cap: CapQuote | None = None  # the cap interest paid above it was set against principal under
    # the periods whose interest the cap cut, with the basis a reader rebuilds each from (the
    # interest the payments above paid is theirs)
    capped_interest: tuple[CappedInterestBlock, ...] = ()

    @computed_field  # type: ignore[prop-decorator]
    @property
    def totals(self) -> dict[str, Decimal]:
        """Applied per component, plus ``paid`` (every payment) and ``unapplied`` (credit held)."""
        found = {str(c): sum((p.parts.get(str(c), ZERO) for p in self.payments), ZERO) for c in ORDER}
        found["paid"] = sum((p.amount for p in self.payments), ZERO)
        found["unapplied"] = sum((p.unapplied for p in self.payments), ZERO)
        found[ABOVE_CAP] = sum((x.amount for p in self.payments for x in p.lines if x.component == ABOVE_CAP), ZERO)
        return found

    def required(self) -> list[Required]:
        found = shown(contract=self.account, paid=money(self.totals["paid"]))
        return found + [Required(label=f"payment_{n}", text=money(p.amount)) for n, p in enumerate(self.payments, 1)]

    @classmethod
    def build(cls, facts: CaseFacts, doc: DocMeta) -> Self:
        by_id: dict[PaymentId, Payment] = {p.id: p for p in facts.cf.payments}
        plan, position = signed_plan(facts.cf, doc.as_of), facts.claim.agreement
        agreement, ledger = None, facts.ledger
        if plan is not None and position is not None:
            ledger = facts.ledger_on(plan.as_of_date)
            later = sorted((p for p in facts.cf.payments if plan.as_of_date < p.value_date <= doc.as_of),
                           key=lambda p: (p.value_date, p.id))
            agreement = AgreementPayments(
                agreement_no=plan.agreement_no, from_date=plan.as_of_date,
                payments=tuple(PlanPaymentLine(value_date=p.value_date, amount=p.amount, channel=p.channel,
                                               reference=p.external_ref) for p in later),
                applied={str(c): v for c, v in position.paid.items() if v}, total=position.paid_total)
        payments = tuple(_line(a, by_id.get(a.payment_id)) for a in ledger.allocations)
        # the order the ledger applies payments in: the terms it runs on (the contract's, else art. 561)
        terms = accounts.case_terms(facts.cf)
        return cls(**cls.header(facts, doc), payments=payments, contract_order=terms.allocation_order is not None,
                   order=tuple(str(c) for c in terms.order), agreement=agreement, cap=CapQuote.of(facts.cap),
                   capped_interest=CappedInterestBlock.rows(ledger))

    @classmethod
    def sample(cls, doc: DocMeta) -> Self:
        claim = samples.claim(doc.profile, doc.as_of)
        payments = tuple(_line(a, None) for a in claim.ledger.allocations)
        return cls(**cls.sample_header(doc), payments=payments, contract_order=False,
                   order=tuple(str(c) for c in ORDER))


# The code of an allocation line that set interest paid above the cap against principal (its label
# in templates/legal/_partials/labels.*: component).
ABOVE_CAP = "above_cap"


def _line(allocation: Any, payment: Any) -> PaymentLine:
    lines = tuple(AllocationLine(instalment_no=x.instalment_no, amount=x.amount,
                                 component=ABOVE_CAP if x.above_cap else str(x.component))
                  for x in allocation.lines)
    return PaymentLine(value_date=allocation.value_date, amount=allocation.amount,
                       channel=payment.channel if payment else "bank_transfer",
                       reference=payment.external_ref if payment else str(allocation.payment_id),
                       parts={str(c): v for c, v in allocation.parts.items()}, lines=lines,
                       unapplied=allocation.unapplied)


class NoticeLine(Frozen):
    local: datetime  # in the party's own time zone
    channel: str
    direction: str
    party: str  # borrower | contact | guarantor | attorney
    address: str  # masked number, masked e-mail, or the postal address of a letter
    outcome: str
    template: str
    content_hash: str
    recording_ref: str = ""  # the call centre's recording of this call (an exhibit of the packet's)
    # the party-local day a letter reached them, where later than the day it went out (by post)
    delivered_on: date | None = None
    # a letter that came back undelivered (退回, outcome "returned") by the as-of date: the
    # party-local day it came back, the reason (refused, unknown_addressee, moved, unclaimed,
    # other) and the return slip's words; never a delivery
    returned_on: date | None = None
    return_reason: str = ""
    return_note: str = ""
    # a letter's carrier (ems, usps) and the tracking number it was mailed under (EMS 邮件号, USPS
    # tracking number): its delivery or return is the carrier's record of that item; "" where none is recorded
    carrier: str = ""
    tracking_no: str = ""


# The outcome a notice history prints for a letter that came back undelivered with its reason
# recorded (activity.record_failure): "returned" (退回), not the bare "failed" of a contact logged
# as failed when it was recorded (a text not delivered).
RETURNED = "returned"


def _mask_address(channel: str, address: str, rules: Any) -> str:
    if channel in (Channel.SMS, Channel.CALL, Channel.APP):
        return mask_phone(address, rules)
    if channel == Channel.EMAIL and "@" in address:
        local, _, domain = address.partition("@")
        return f"{mask_middle(local, 1, 0)}@{domain}"
    return address


def _notice_line(c: Any, facts: CaseFacts, as_of: date, rules: Any) -> NoticeLine:
    """One communication as of `as_of`: a letter delivered after it was, then, sent; a letter
    returned undelivered (its reason recorded) is "returned" with its day and reason, and sent
    while it had not come back by `as_of`."""
    sent = datetime.fromisoformat(c.local_time) if c.local_time else c.sent_at
    delivered = delivered_day(c, facts.tz, as_of)
    returned = returned_day(c, facts.tz)
    outcome = c.outcome
    if c.outcome == Outcome.DELIVERED and delivered is None:
        outcome = Outcome.SENT
    elif returned is not None:
        outcome = RETURNED if returned <= as_of else Outcome.SENT
    back = returned is not None and returned <= as_of
    return NoticeLine(local=sent, channel=c.channel, direction=c.direction, party=c.party_kind,
                      address=_mask_address(c.channel, c.to_address, rules), outcome=outcome, template=c.template_kind,
                      content_hash=c.content_hash, recording_ref=c.recording_ref,
                      delivered_on=delivered if delivered is not None and delivered != sent.date() else None,
                      returned_on=returned if back else None,
                      return_reason=str(c.failure_reason) if back else "",
                      return_note=c.failure_note if back else "",
                      carrier=str(c.carrier or "") if c.tracking_no else "", tracking_no=c.tracking_no or "")


def returned_day(comm: Any, tz: str) -> date | None:
    """The party-local day a letter recorded as sent came back undelivered (activity.record_failure);
    None for any other communication (one logged as failed when it was recorded has no return)."""
    if comm.outcome != Outcome.FAILED or comm.failed_at is None or comm.failure_reason is None:
        return None
    on: date = local(comm.failed_at, tz).date()
    return on


class NoticeHistoryContext(RecordContext):
    """催收通知记录: every communication to as-of, in order, as the borrower-local clock read; with
    `only`, the delivery record of one notice kind (the breach notice's exhibit: how, to which
    address, when it was sent and what became of it)."""

    notices: tuple[NoticeLine, ...]
    timezone: str
    contacts: ContactHistory  # the facts record's count of collection contacts, as the pleadings state it
    only: str = ""  # a notice kind: only its communications (its delivery record)

    def required(self) -> list[Required]:
        return shown(contract=self.account, count=str(len(self.notices)),
                     **{f"hash_{n}": x.content_hash for n, x in enumerate(self.notices, 1) if x.content_hash},
                     **{f"tracking_{n}": x.tracking_no for n, x in enumerate(self.notices, 1) if x.tracking_no})

    @classmethod
    def build(cls, facts: CaseFacts, doc: DocMeta, only: str = "") -> Self:
        rules = facts.rules
        notices = tuple(_notice_line(c, facts, doc.as_of, rules)
                        for c in facts.cf.communications  # borrower-local days, as the facts record counts contacts
                        if local(c.sent_at, facts.tz).date() <= doc.as_of and (not only or c.template_kind == only))
        return cls(**cls.header(facts, doc), notices=notices, timezone=facts.tz, only=only,
                   contacts=facts.record.contacts)

    @classmethod
    def sample(cls, doc: DocMeta) -> Self:
        from zoneinfo import ZoneInfo

        tz, phone = samples.contact_place(doc.profile)
        carrier, number = samples.mailing(doc.profile)
        notices = tuple(
            NoticeLine(local=datetime(d.day.year, d.day.month, d.day.day, 10 + n, 5, tzinfo=ZoneInfo(tz)),
                       channel=d.channel, direction=Direction.OUT, party=PartyKind.BORROWER, address=phone,
                       outcome=d.outcome, template=d.template_kind,
                       content_hash=f"{n:x}" * 64 if d.template_kind else "",
                       recording_ref=f"REC-{doc.case_ref}-{d.day:%Y%m%d}-{10 + n:02d}05" if d.outcome == "answered"
                       else "", carrier=carrier if d.channel == Channel.LETTER else "",
                       tracking_no=number if d.channel == Channel.LETTER else "")
            for n, d in enumerate(samples.timeline(doc.profile, doc.as_of).demands, start=1))
        return cls(**cls.sample_header(doc), notices=notices, timezone=tz,
                   contacts=samples.timeline(doc.profile, doc.as_of).contacts)
