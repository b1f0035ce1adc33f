"""Generate, at the time they were sent, the notices a court-bound demo case must show."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.cases.casefile import load_case_file
from service.cases.enums import Channel, Outcome, Stage
from service.cases.models import Communication, DebtCase
from service.core.settings import Settings
from service.core.storage import get_store
from service.documents import service as documents_service
from service.documents.models import GeneratedDocument

ACTOR = "demo-seed"


def generate_demo_notices(session: Session, settings: Settings, case: DebtCase) -> None:
    """The notices a case's history implies, each generated as of the day it went out, at 10:00
    the borrower's time, with the case back at the stage it had then: the credit-reporting
    pre-notice (征信业管理条例 art. 15) early in phone collection, the visit notice three days
    ahead of a visit, the breach notice when a plan breach was detected."""
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
    for breach in cf.breaches:
        doc = _generate(session, settings, case, "breach_notice", Stage.PLAN_BREACHED, breach.detected_on, tz)
        breach.notice_document_id = doc.id
    case.stage = stage
    session.flush()


def _delivered(session: Session, doc: GeneratedDocument) -> None:
    """The demo's letters reach the borrower: the log records the notice's delivery (the pre-notice
    and the notice of a visit made), so what the exhibits show is a lawful history."""
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
