"""The audit trail's API: read events (a law firm only those of its cases), verify the chain."""

from typing import Any

from fastapi import APIRouter, Query
from sqlalchemy import select

from service.access.deps import Reader
from service.audit.models import AuditEvent
from service.audit.schemas import EventOut
from service.cases import service as case_service
from service.cases.models import DebtCase
from service.core.deps import AppSettings, DbSession
from service.jobs import service as jobs_service
from service.jobs.models import JobKind

router = APIRouter(prefix="/v1/audit", tags=["audit"])


@router.get("", response_model=list[EventOut])
def audit_events(session: DbSession, principal: Reader, case_ref: str | None = Query(None, max_length=40),
                 limit: int = Query(200, ge=1, le=1000)) -> list[AuditEvent]:
    stmt = select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(limit)
    if case_ref:
        case = case_service.visible_case(session, principal, case_ref)
        stmt = stmt.where(AuditEvent.case_id == case.id)
    elif principal.is_law_firm:  # a firm sees the trail of its own cases only
        stmt = stmt.join(DebtCase, DebtCase.id == AuditEvent.case_id).where(
            DebtCase.law_firm_id == principal.law_firm_id)
    return list(session.scalars(stmt))


@router.post("/verify", status_code=202)
def verify_audit_job(session: DbSession, settings: AppSettings, principal: Reader) -> dict[str, Any]:
    """Check the whole hash chain in the background; poll the job for the result."""
    job = jobs_service.enqueue(session, settings, kind=JobKind.AUDIT_VERIFY, params={}, actor=principal.actor)
    return {"job": job.id, "status": job.status, "links": {"self": f"/v1/jobs/{job.id}"}}
