"""Generate, at the time they were sent, the notices a court-bound demo case must show."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from service.cases.casefile import load_case_file
from service.cases.enums import Stage
from service.cases.models import DebtCase
from service.core.settings import Settings
from service.core.storage import get_store
from service.documents import service as documents_service
from service.documents.models import GeneratedDocument

ACTOR = "demo-seed"


def generate_breach_notices(session: Session, settings: Settings, case: DebtCase) -> None:
    """Each breach got its notice on the day it was detected; the document is generated as of
    that day, at 10:00 the borrower's time, with the case back at the stage it had then."""
    cf = load_case_file(session, case.ref)
    if not cf.breaches:
        return
    stage, tz = case.stage, cf.borrower.timezone
    # The credit-reporting pre-notice (征信业管理条例 art. 15) went out while phone collection ran,
    # before any notice that mentions credit reporting.
    calls = [c.sent_at for c in cf.communications if c.channel == "call"]
    if calls and cf.case.profile == "CN":
        day = min(calls).astimezone(ZoneInfo(tz)).date()
        _generate(session, settings, case, "credit_report_prenotice", Stage.PHONE, day, tz)
    for breach in cf.breaches:
        doc = _generate(session, settings, case, "breach_notice", Stage.PLAN_BREACHED, breach.detected_on, tz)
        breach.notice_document_id = doc.id
    case.stage = stage
    session.flush()


def _generate(session: Session, settings: Settings, case: DebtCase, kind: str, stage: Stage, day: date,
              tz: str) -> GeneratedDocument:
    sent = datetime.combine(day, time(10, 0), tzinfo=ZoneInfo(tz))
    case.stage = stage.value
    session.flush()
    return documents_service.generate(session, case_ref=case.ref, kind=kind, fmt="pdf", as_of=day, actor=ACTOR,
                                      store=get_store(settings), now=sent.astimezone(UTC))
