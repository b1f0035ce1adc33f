"""Generate, at the time they were sent, the notices a court-bound demo case must show."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.cases import acceleration
from service.cases.casefile import load_case_file
from service.cases.enums import Channel, Outcome, Stage
from service.cases.models import Communication, DebtCase
from service.cases.rules import load_ruleset
from service.core.settings import Settings
from service.core.storage import get_store
from service.demo.catalogue import sample_day
from service.documents import service as documents_service
from service.documents.models import GeneratedDocument

ACTOR = "demo-seed"


def generate_demo_notices(session: Session, settings: Settings, case: DebtCase, anchor: date) -> None:
    """The notices a case's history implies, each generated as of the day it went out, at 10:00
    the borrower's time, with the case back at the stage it had then: the credit-reporting
    pre-notice (征信业管理条例 art. 15) early in phone collection, the visit notice three days
    ahead of a visit, the breach notice when a plan breach was detected, the demand letter and the
    notices before acceleration the history logged, and a CN case's lawyer letter once it is in
    litigation."""
    cf = load_case_file(session, case.ref)
    stage, tz = case.stage, cf.borrower.timezone
    calls = [c.sent_at for c in cf.communications if c.channel == Channel.CALL]
    if calls and cf.case.profile == "CN" and cf.lender.credit_system:  # CN-31: only a lender that reports
        day = min(calls).astimezone(ZoneInfo(tz)).date()
        _delivered(session, _generate(session, settings, case, "credit_report_prenotice", Stage.PHONE, day, tz))
    for visit, notice_sent in ((v, v.notice_sent_at) for v in cf.visits if v.notice_sent_at is not None):
        sent = notice_sent.astimezone(ZoneInfo(tz))
        doc = _generate(session, settings, case, "visit_notice", Stage.VISIT_PLANNED, sent.date(), tz)
        visit.notice_document_id = doc.id
        if visit.started_at is not None:  # a visit made: its notice was delivered before it (CN-09)
            _delivered(session, doc)
    for breach in cf.breaches:  # delivered, as the pleadings that rest the acceleration on it need
        doc = _generate(session, settings, case, "breach_notice", Stage.PLAN_BREACHED, breach.detected_on, tz)
        breach.notice_document_id = doc.id
        _delivered(session, doc)
    _demand_letters(session, settings, case, tz)
    _acceleration_notices(session, settings, case, tz)
    _lawyer_letter(session, settings, case, Stage(stage), anchor, tz)
    case.stage = stage
    session.flush()


def _acceleration_notices(session: Session, settings: Settings, case: DebtCase, tz: str) -> None:
    """US-19, ESC-13: the history logs the notice of intent to accelerate and the notice of acceleration as
    letters delivered (history.py); each becomes the document itself, generated on its day, so the
    packet files the notices the pleadings rest the acceleration on. The generated notice records
    its own sending, which replaces the history's row."""
    law = acceleration.notice_law(load_ruleset(case.profile), load_case_file(session, case.ref))
    if law is None:
        return
    logged = session.scalars(select(Communication).where(
        Communication.case_id == case.id, Communication.document_id.is_(None),
        Communication.template_kind.in_((law.intent_kind, law.acceleration_kind))).order_by(Communication.sent_at))
    planned = bool(load_case_file(session, case.ref).plans)
    accelerated = case.accelerated_on
    for comm in list(logged):
        kind, day = comm.template_kind, comm.sent_at.astimezone(ZoneInfo(tz)).date()
        # after a plan's breach; on the contract (no plan) both in phone collection, before the step to
        # pre-litigation the notice of acceleration allows records the acceleration (ESC-13,
        # activity._enter): the intent states the balance that would fall due, the notice of
        # acceleration the balance due from its own date, the loan accelerated on it
        stage = Stage.PLAN_BREACHED if planned else Stage.PHONE
        if not planned:
            case.accelerated_on = None
        session.delete(comm)
        session.flush()
        _delivered(session, _generate(session, settings, case, kind, stage, day, tz))
        case.accelerated_on = accelerated
    session.flush()


def _demand_letters(session: Session, settings: Settings, case: DebtCase, tz: str) -> None:
    """A CN case accelerated on its contract (history._accelerated_on_contract) logs the 催收函 it sent
    after the visit as a letter delivered; it becomes the letter itself, generated on its day with the
    case back at the visit's stage, and delivered."""
    logged = session.scalars(select(Communication).where(
        Communication.case_id == case.id, Communication.document_id.is_(None),
        Communication.template_kind == "demand_letter").order_by(Communication.sent_at))
    for comm in list(logged):
        day = comm.sent_at.astimezone(ZoneInfo(tz)).date()
        session.delete(comm)
        session.flush()
        _delivered(session, _generate(session, settings, case, "demand_letter", Stage.VISIT_DONE, day, tz))


LITIGATION = (Stage.PRE_LITIGATION, Stage.FILED, Stage.JUDGMENT, Stage.ENFORCEMENT)


def _lawyer_letter(session: Session, settings: Settings, case: DebtCase, stage: Stage, anchor: date,
                   tz: str) -> None:
    """A CN case in litigation had its partner firm's lawyer letter (律师函) sent and delivered before
    the complaint: on the day the samples date it (catalogue.sample_day, DOC-06: its deadline to pay
    has passed when the complaint, dated the anchor, is filed)."""
    if case.profile != "CN" or stage not in LITIGATION or case.law_firm_id is None:
        return
    day = sample_day("lawyer_letter", case.profile, anchor)
    _delivered(session, _generate(session, settings, case, "lawyer_letter", Stage.PRE_LITIGATION, day, tz))


def _delivered(session: Session, doc: GeneratedDocument) -> None:
    """The demo's letters reach the borrower: the log records the notice's delivery (the pre-notice,
    the notice of a visit made, the breach notice), so what the exhibits show is a lawful history."""
    for comm in session.scalars(select(Communication).where(Communication.document_id == doc.id)):
        comm.outcome = Outcome.DELIVERED
    session.flush()


def _generate(session: Session, settings: Settings, case: DebtCase, kind: str, stage: Stage, day: date,
              tz: str) -> GeneratedDocument:
    sent = datetime.combine(day, time(10, 0), tzinfo=ZoneInfo(tz))
    case.stage = stage.value
    session.flush()
    return documents_service.generate(session, case_ref=case.ref, kind=kind, fmt="pdf", as_of=day, actor=ACTOR,
                                      store=get_store(settings), now=sent.astimezone(UTC))
