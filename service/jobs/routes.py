"""Job status and results."""

from datetime import datetime
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel

from service.core.deps import DbSession, Reader
from service.jobs import service
from service.jobs.models import Job

router = APIRouter(prefix="/v1/jobs", tags=["jobs"])


class JobOut(BaseModel):
    id: str
    kind: str
    status: str
    progress: int
    total: int
    result: dict[str, Any]
    error: str
    created_at: datetime
    finished_at: datetime | None
    links: dict[str, str]


def job_out(job: Job) -> JobOut:
    links = {"self": f"/v1/jobs/{job.id}"}
    links.update(job.result.get("links", {}) if job.status == "done" else {})
    return JobOut(id=job.id, kind=job.kind, status=job.status, progress=job.progress, total=job.total,
                  result=job.result, error=job.error, created_at=job.created_at, finished_at=job.finished_at,
                  links=links)


@router.get("/{job_id}", response_model=JobOut)
def get_job(job_id: str, session: DbSession, principal: Reader) -> JobOut:
    return job_out(service.get_visible(session, job_id, principal))
