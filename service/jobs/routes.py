"""Job status and results; the jobs list and cancelling one."""

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from service.access.deps import Reader, Staff
from service.core.deps import DbSession
from service.core.pagination import LIMIT_DEFAULT, LIMIT_MAX
from service.jobs import listing, service
from service.jobs.models import Job, JobKind, JobStatus
from service.jobs.schemas import JobOut, job_out

router = APIRouter(prefix="/v1/jobs", tags=["jobs"])


class JobPage(BaseModel):
    items: list[JobOut] = Field(description="each job's result holds its counts only: GET the job for its items")
    next_cursor: str | None


def _summary(job: Job) -> JobOut:
    out = job_out(job)
    return out.model_copy(update={"result": {k: v for k, v in out.result.items() if not isinstance(v, list | dict)}})


@router.get("", response_model=JobPage)
def list_jobs(session: DbSession, principal: Reader,
              kind: Annotated[JobKind | None, Query(examples=["notice_batch"])] = None,
              status: JobStatus | None = None, cursor: Annotated[str | None, Query(max_length=200)] = None,
              limit: Annotated[int, Query(ge=1, le=LIMIT_MAX)] = LIMIT_DEFAULT) -> JobPage:
    """Newest first; a law firm sees the jobs of its cases."""
    rows, after = listing.list_jobs(session, principal, kind=kind, status=status, cursor=cursor, limit=limit)
    return JobPage(items=[_summary(j) for j in rows], next_cursor=after)


@router.get("/{job_id}", response_model=JobOut)
def get_job(job_id: str, session: DbSession, principal: Reader) -> JobOut:
    return job_out(service.get_visible(session, job_id, principal))


@router.post("/{job_id}/cancel", response_model=JobOut)
def cancel_job(job_id: str, session: DbSession, principal: Staff) -> JobOut:
    """A queued job never starts; a running one's work is rolled back when it ends (nothing it
    did is kept). A finished job is a 409."""
    return job_out(listing.cancel(session, service.get_visible(session, job_id, principal), actor=principal.actor))
