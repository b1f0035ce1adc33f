"""Job status and results; the jobs list and cancelling one."""

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from service.access.deps import Reader, Staff
from service.core.deps import DbSession
from service.core.pagination import LIMIT_DEFAULT, LIMIT_MAX
from service.jobs import listing, service
from service.jobs.schemas import JobOut, JobPage, job_out

router = APIRouter(prefix="/v1/jobs", tags=["jobs"])
Status = Literal["queued", "running", "done", "failed", "cancelled"]


@router.get("", response_model=JobPage)
def list_jobs(session: DbSession, principal: Reader,
              kind: Annotated[str | None, Query(max_length=30, examples=["notice_batch"])] = None,
              status: Status | None = None, cursor: Annotated[str | None, Query(max_length=200)] = None,
              limit: Annotated[int, Query(ge=1, le=LIMIT_MAX)] = LIMIT_DEFAULT) -> JobPage:
    """Newest first; a law firm sees the jobs of its cases."""
    rows, after = listing.list_jobs(session, principal, kind=kind, status=status, cursor=cursor, limit=limit)
    return JobPage(items=[job_out(j, summary=True) for j in rows], next_cursor=after)


@router.get("/{job_id}", response_model=JobOut)
def get_job(job_id: str, session: DbSession, principal: Reader) -> JobOut:
    return job_out(service.get_visible(session, job_id, principal))


@router.post("/{job_id}/cancel", response_model=JobOut)
def cancel_job(job_id: str, session: DbSession, principal: Staff) -> JobOut:
    """A queued job never starts; a running one's work is rolled back when it ends (nothing it
    did is kept). A finished job is a 409."""
    return job_out(listing.cancel(session, service.get_visible(session, job_id, principal), actor=principal.actor))
