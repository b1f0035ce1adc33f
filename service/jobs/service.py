"""Job use-cases: create (in the caller's transaction), read."""

import secrets
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.cases.models import DebtCase
from service.core.clock import utcnow
from service.core.errors import NotFound, TooManyRequests
from service.core.security import Principal
from service.core.settings import Settings
from service.jobs.executor import dispatch_after_commit
from service.jobs.models import Job, JobKind, JobStatus
from service.jobs.parts import add_parts

ACTIVE = (JobStatus.QUEUED, JobStatus.RUNNING)
RETRY_AFTER_SECONDS = 30


def enqueue(session: Session, settings: Settings, *, kind: JobKind, params: dict[str, Any], actor: str,
            case_id: int | None = None, total: int = 0) -> Job:
    _refuse_past_limit(session, settings, actor)
    job = Job(id="job_" + secrets.token_hex(10), kind=kind, status=JobStatus.QUEUED, case_id=case_id, params=params,
              actor=actor, total=total, created_at=utcnow())
    session.add(job)
    session.flush()
    dispatch_after_commit(session, settings, job.id)
    return job


def enqueue_in_parts(session: Session, settings: Settings, *, kind: JobKind, params: dict[str, Any], actor: str,
                     part_kind: JobKind, parts: list[dict[str, Any]], total: int) -> Job:
    """A job whose work is `parts` (each a job of `part_kind` any worker claims, its params with
    the ``indexes`` of the items it covers); the job completes when they all have (``parts``)."""
    _refuse_past_limit(session, settings, actor)
    job = Job(id="job_" + secrets.token_hex(10), kind=kind, status=JobStatus.QUEUED, params=params, actor=actor,
              total=total, created_at=utcnow())
    session.add(job)
    session.flush()  # before its parts, which refer to it
    for part in add_parts(session, job, kind=part_kind, parts=parts):
        dispatch_after_commit(session, settings, part.id)
    return job


def _refuse_past_limit(session: Session, settings: Settings, actor: str) -> None:
    """One key cannot fill the workers: past its number of unfinished jobs it waits (429)."""
    active = session.scalar(select(func.count()).select_from(Job).where(
        Job.actor == actor, Job.status.in_(ACTIVE), Job.parent_id.is_(None)))  # a batch's parts count as the batch
    if (active or 0) >= settings.max_active_jobs_per_key:
        raise TooManyRequests(f"{active} jobs of this key are queued or running (limit "
                              f"{settings.max_active_jobs_per_key}); retry when one has finished",
                              retry_after=RETRY_AFTER_SECONDS)


def get_visible(session: Session, job_id: str, principal: Principal) -> Job:
    job = session.get(Job, job_id)
    if job is None:
        raise NotFound(f"job {job_id!r} does not exist")
    if principal.is_law_firm:
        case = session.get(DebtCase, job.case_id) if job.case_id else None
        if case is None or case.law_firm_id != principal.law_firm_id:
            raise NotFound(f"job {job_id!r} does not exist")
    return job
