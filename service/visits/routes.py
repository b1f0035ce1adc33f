"""The visit kit: asked for as a job, downloaded as one PDF."""

from typing import Any

from fastapi import APIRouter
from fastapi.responses import StreamingResponse

from service.access.deps import Staff
from service.cases.deps import CurrentCase
from service.core.deps import AppSettings, DbSession
from service.jobs import service as jobs_service
from service.visits import service as visits_service
from service.visits.schemas import VisitKitIn

router = APIRouter(tags=["visits"])


@router.post("/v1/cases/{ref}/visit-kit", status_code=202)
def request_visit_kit(case: CurrentCase, session: DbSession, settings: AppSettings, principal: Staff,
                      data: VisitKitIn | None = None) -> dict[str, Any]:
    job = visits_service.request_visit_kit(session, settings, case, data or VisitKitIn(), actor=principal.actor)
    return {"job": job.id, "status": job.status, "links": {"self": f"/v1/jobs/{job.id}"}}


@router.get("/v1/jobs/{job_id}/visit-kit")
def download_visit_kit(job_id: str, session: DbSession, settings: AppSettings, principal: Staff) -> StreamingResponse:
    job = jobs_service.get_visible(session, job_id, principal)
    stream = visits_service.open_kit(session, settings, job, actor=principal.actor)
    name = f"{job.result.get('case_ref', 'case')}-visit-kit.pdf"
    return StreamingResponse(stream, media_type="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{name}"', "X-Content-SHA256": job.result["pdf_sha256"]})
