"""What the API says about a job (Pydantic I/O only)."""

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from service.jobs.models import Job


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


class JobPage(BaseModel):
    items: list[JobOut] = Field(description="each job's result holds its counts only: GET the job for its items")
    next_cursor: str | None


def job_out(job: Job, *, summary: bool = False) -> JobOut:
    links = {"self": f"/v1/jobs/{job.id}"}
    links.update(job.result.get("links", {}) if job.status == "done" else {})
    result = {k: v for k, v in job.result.items() if not isinstance(v, list | dict)} if summary else job.result
    return JobOut(id=job.id, kind=job.kind, status=job.status, progress=job.progress, total=job.total,
                  result=result, error=job.error, created_at=job.created_at, finished_at=job.finished_at,
                  links=links)
