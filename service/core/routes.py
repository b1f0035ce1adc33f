"""Health, readiness and the audit trail."""

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import select, text

from service.access import service as access_service
from service.cases.models import DebtCase
from service.cases.schemas import EventOut
from service.core.audit import AuditEvent
from service.core.db import engine_for
from service.core.deps import AppSettings, DbSession, Reader
from service.core.migrate import is_current

router = APIRouter(tags=["health"])


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    # On the event loop, not in the thread pool: it answers while every worker thread waits.
    return {"status": "ok"}


@router.get("/readyz")
def readyz(settings: AppSettings) -> JSONResponse:
    engine = engine_for(settings.database_url)
    checks: dict[str, Any] = {}
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        checks["database"] = "ok"
        checks["migrations"] = "current" if is_current(engine, settings.database_url) else "behind"
    except Exception as exc:  # readiness reports any failure as not ready
        checks["database"] = f"unreachable: {type(exc).__name__}"
    ready = checks.get("database") == "ok" and checks.get("migrations") == "current"
    return JSONResponse({"status": "ready" if ready else "not ready", **checks}, status_code=200 if ready else 503)


audit_router = APIRouter(prefix="/v1/audit", tags=["audit"])


@audit_router.get("", response_model=list[EventOut])
def audit_events(request: Request, session: DbSession, principal: Reader, case_ref: str | None = None,
                 limit: int = 200) -> list[AuditEvent]:
    stmt = select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(min(limit, 1000))
    if case_ref:
        case = access_service.visible_case(session, principal, case_ref)
        stmt = stmt.where(AuditEvent.case_id == case.id)
    elif principal.is_law_firm:  # a firm sees the trail of its own cases only
        stmt = stmt.join(DebtCase, DebtCase.id == AuditEvent.case_id).where(
            DebtCase.law_firm_id == principal.law_firm_id)
    return list(session.scalars(stmt))


@audit_router.post("/verify", status_code=202)
def verify_audit_job(session: DbSession, settings: AppSettings, principal: Reader) -> dict[str, Any]:
    """Check the whole hash chain in the background; poll the job for the result."""
    from service.jobs import service as jobs_service

    job = jobs_service.enqueue(session, settings, kind="audit_verify", params={}, actor=principal.actor)
    return {"job": job.id, "status": job.status, "links": {"self": f"/v1/jobs/{job.id}"}}
