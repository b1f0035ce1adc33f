"""What the API says about a job (Pydantic I/O only)."""

from datetime import datetime
from typing import Any

from pydantic import BaseModel

from service.jobs.models import Job, JobStatus


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
    links.update(job.result.get("links", {}) if job.status == JobStatus.DONE else {})
    return JobOut(id=job.id, kind=job.kind, status=job.status, progress=job.progress, total=job.total,
                  result=job.result, error=job.error, created_at=job.created_at, finished_at=job.finished_at,
                  links=links)
