"""上门走访记录: who visited, when and where, consent to enter, what was shown and explained,
what the borrower said, the outcome, signatures or the refusal, and the recordings (CN-09).

An internal record (audience ``internal``), signed on site; before the visit it prints as a
form with the planned data and blank lines for what happens there.
"""

from datetime import date, datetime, timedelta
from typing import Any, Self

from service.cases.masking import mask_phone
from service.core.errors import InvalidInput
from service.documents.contexts import samples as notice_samples
from service.documents.contexts.common import (
    Amounts,
    DocMeta,
    DocumentContext,
    Frozen,
    LenderBlock,
    Required,
    local_datetime,
)
from service.documents.contexts.facts import CaseFacts
from service.documents.contexts.legal import samples
from service.documents.contexts.legal.base import shown, wording_of
from service.documents.contexts.legal.blocks import CauseBlock, PersonBlock, masked_person
from service.documents.contexts.legal.checks import refuse
from service.documents.format import datetime_cn


class StaffLine(Frozen):
    name: str
    badge_no: str
    organisation: str


class VisitBlock(Frozen):
    purpose: str
    place_kind: str  # home | work
    address: str
    window_start: datetime  # borrower-local
    window_end: datetime
    organisation: str
    notice_sent_at: datetime | None
    notice_delivered: bool  # the log records the visit notice as delivered, not only sent
    notice_delivered_at: datetime | None  # borrower-local: when it arrived, where delivered
    started_at: datetime | None  # None: the visit has not happened yet (a blank form)
    ended_at: datetime | None
    consent_to_enter: bool | None
    persons_present: str
    documents_shown: tuple[str, ...]
    explanations: str
    debtor_statement: str
    financial_situation: str
    proposal: str
    outcome: str
    signature: str  # signed | refused | absent | ""
    recording_refs: tuple[str, ...]
    staff: tuple[StaffLine, ...]

    @classmethod
    def of(cls, visit: Any, tz: str, lender_name: str, *, notice_delivered: bool,
           notice_delivered_at: datetime | None) -> Self:
        def local(moment: datetime | None) -> datetime | None:
            return local_datetime(moment, tz) if moment else None

        org = visit.organisation or lender_name
        return cls(purpose=visit.purpose, place_kind=visit.place_kind, address=visit.address,
                   window_start=local_datetime(visit.window_start, tz), window_end=local_datetime(visit.window_end, tz),
                   organisation=org, notice_sent_at=local(visit.notice_sent_at),
                   notice_delivered=notice_delivered, notice_delivered_at=local(notice_delivered_at),
                   started_at=local(visit.started_at),
                   ended_at=local(visit.ended_at), consent_to_enter=visit.consent_to_enter,
                   persons_present=visit.persons_present, documents_shown=tuple(str(d) for d in visit.documents_shown),
                   explanations=visit.explanations, debtor_statement=visit.debtor_statement,
                   financial_situation=visit.financial_situation, proposal=visit.proposal, outcome=visit.outcome,
                   signature=visit.signature, recording_refs=tuple(str(r) for r in visit.recording_refs),
                   staff=tuple(StaffLine(name=s.name, badge_no=s.badge_no, organisation=s.organisation or org)
                               for s in visit.staff))


class VisitRecordContext(DocumentContext):
    lender: LenderBlock
    borrower: PersonBlock
    contract_no: str
    amounts: Amounts  # what was owed on the day of the visit, as explained to the borrower
    visit: VisitBlock
    cause: CauseBlock | None  # the lender's 案由 (CN-30): its words for interest on overdue principal
    compound_allowed: bool

    def required(self) -> list[Required]:
        v = self.visit
        found = shown(lender=self.lender.name, borrower=self.borrower.name, contract=self.contract_no,
                      address=v.address, organisation=v.organisation)
        for n, s in enumerate(v.staff, start=1):
            found += shown(**{f"staff_{n}": s.name, f"badge_{n}": s.badge_no})
        if v.started_at:
            found += shown(started=datetime_cn(v.started_at), outcome_statement=v.debtor_statement or v.outcome)
            found += [Required(label=f"recording_{n}", text=r) for n, r in enumerate(v.recording_refs, start=1)]
        return found

    @classmethod
    def build(cls, facts: CaseFacts, doc: DocMeta, *, visit_id: int | None = None) -> Self:
        visits = facts.cf.visits
        chosen = next((v for v in visits if v.id == visit_id), None) if visit_id is not None else (
            next((v for v in reversed(visits) if v.started_at is not None), None) or (visits[-1] if visits else None))
        if chosen is None:
            raise InvalidInput.one("visit_id", "no such visit on this case" if visit_id else "the case has no visit")
        visit = VisitBlock.of(chosen, facts.tz, facts.cf.lender.name,
                              notice_delivered=facts.visit_notice_delivered(chosen),
                              notice_delivered_at=facts.visit_notice_delivery(chosen))
        _check(facts.rules, visit)
        # What was owed on the day of the visit (a form printed ahead states the planned day's
        # debt, as the visit kit's brief and statement do), never past the record's date once made.
        day = next(t.day for t in facts.record.visits if t.visit_id == chosen.id)
        on = min(day, doc.as_of) if visit.started_at else day
        borrower = PersonBlock.of(facts.cf.borrower, facts.rules)
        if visit.started_at is None:
            # The form printed ahead is carried to the door in the visit kit, beside the brief, and may
            # be seen by whoever opens it: ID number and phone masked as the brief masks them (CN-12).
            # The record of a visit made (a court exhibit) keeps the full identity, as the signed
            # draft agreement does.
            borrower = masked_person(borrower, facts.rules).model_copy(
                update={"phone": mask_phone(borrower.phone, facts.rules)})
        return cls(doc=doc, lender=LenderBlock.of(facts.cf.lender), borrower=borrower,
                   contract_no=facts.cf.contract.contract_no, amounts=Amounts.of(facts.ledger_on(on)), visit=visit,
                   **wording_of(facts))

    @classmethod
    def sample(cls, doc: DocMeta) -> Self:
        from zoneinfo import ZoneInfo

        tz = ZoneInfo("Asia/Shanghai")
        day: date = samples.timeline("CN", doc.as_of).visits[0].day
        at = datetime(day.year, day.month, day.day, 14, 0, tzinfo=tz)
        person = samples.person("CN")
        org = "华信消费金融有限公司"
        visit = VisitBlock(
            purpose="了解逾期原因，告知还款义务及法律后果，协商还款方案", place_kind="home",
            address=person.habitual_address, window_start=at, window_end=at.replace(hour=16), organisation=org,
            notice_sent_at=at.replace(hour=10) - timedelta(days=7), notice_delivered=True,
            notice_delivered_at=at.replace(hour=14, minute=30) - timedelta(days=5),
            started_at=at.replace(minute=20),
            ended_at=at.replace(hour=15, minute=5), consent_to_enter=True, persons_present="借款人本人及其配偶",
            documents_shown=("借款合同", "还款计划表", "逾期明细"),
            explanations="告知逾期将持续产生罚息、可能影响个人征信记录、贷款人可依法提起民事诉讼",
            debtor_statement="因失业收入中断，暂时无力足额还款",
            financial_situation="月收入约4000至6000元，另有信用卡欠款",
            proposal="借款人提出分6期偿还，请求减免部分罚息", outcome="negotiating", signature="signed",
            recording_refs=("REC-CN-00008-20250619-01",),
            staff=(StaffLine(name="王建国", badge_no="HX-0231", organisation=org),
                   StaffLine(name="李明辉", badge_no="HX-0417", organisation=org)))
        return cls(doc=doc, lender=notice_samples.lender("CN"), borrower=person, contract_no="HXCF-2025-001234",
                   amounts=notice_samples.amounts("CN", day), visit=visit, **samples.wording("CN"))


def _check(rules: Any, visit: VisitBlock) -> None:
    """CN-09: at least the minimum staff, each with a badge; a recorded visit states whether entry
    was consented and has its recording attached before the record is final."""
    rule = rules.rule("CN-09")
    minimum = int(rule.params["min_staff"])
    found = []
    if len(visit.staff) < minimum:
        found.append(rule.violation(f"{len(visit.staff)} staff on the visit; at least {minimum}"))
    if any(not s.badge_no.strip() for s in visit.staff):
        found.append(rule.violation("every visiting staff member needs a badge number"))
    if visit.started_at and visit.consent_to_enter is None:
        found.append(rule.violation("the record must say whether the borrower consented to entry"))
    if visit.started_at and not visit.recording_refs:
        found.append(rule.violation("attach the visit recording before the record is final"))
    refuse(found)
