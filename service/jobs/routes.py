"""Job status and results."""

from fastapi import APIRouter

from service.access.deps import Reader
from service.core.deps import DbSession
from service.jobs import service
from service.jobs.schemas import JobOut, job_out

router = APIRouter(prefix="/v1/jobs", tags=["jobs"])


@router.get("/{job_id}", response_model=JobOut)
def get_job(job_id: str, session: DbSession, principal: Reader) -> JobOut:
    return job_out(service.get_visible(session, job_id, principal))
