"""Jobs listed by what they are about (a case's packets for its page and the download centre)."""

from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, func, or_, select, update
from sqlalchemy.orm import Session

from service.cases.models import DebtCase
from service.core import pagination, trail
from service.core.clock import utcnow
from service.core.db import ensure_writing
from service.core.errors import Conflict
from service.core.security import Principal
from service.jobs.models import Job, JobKind, JobStatus
from service.jobs.parts import merge, settle_parent


def case_jobs(session: Session, case_id: int, kind: JobKind) -> list[Job]:
    """A case's jobs of one kind (e.g. its packets), newest first."""
    return list(session.scalars(select(Job).where(Job.case_id == case_id, Job.kind == kind)
                                .order_by(Job.created_at.desc())))


def visible_jobs(principal: Principal) -> Select[Job]:
    """The jobs a principal may see: a law firm those of its cases, everyone else all."""
    stmt = select(Job)
    if principal.is_law_firm:
        stmt = stmt.join(DebtCase, DebtCase.id == Job.case_id).where(DebtCase.law_firm_id == principal.law_firm_id)
    return stmt


def list_jobs(session: Session, principal: Principal, *, kind: JobKind | None, status: str | None, cursor: str | None,
              limit: int) -> tuple[list[Job], str | None]:
    """Newest first, cursor-paginated on (created_at, id)."""
    stmt = (visible_jobs(principal).where(Job.parent_id.is_(None))  # a batch's parts are within the batch
            .order_by(Job.created_at.desc(), Job.id.desc()))
    if kind:
        stmt = stmt.where(Job.kind == kind)
    if status:
        stmt = stmt.where(Job.status == status)
    if cursor:
        at, job_id = pagination.decode(cursor, datetime, str)
        stmt = stmt.where(or_(Job.created_at < at, and_(Job.created_at == at, Job.id < job_id)))
    rows = list(session.scalars(stmt.limit(limit + 1)))
    more, rows = len(rows) > limit, rows[:limit]
    return rows, pagination.encode(rows[-1].created_at, rows[-1].id) if more and rows else None


def cancel(session: Session, job: Job, *, actor: str) -> Job:
    """Queued or running → cancelled. A queued job is never claimed; a running one's worker
    finds its row no longer running at its next step or when it finishes, and rolls that work
    back (``steps.owned``): a cancelled batch keeps only the chunks it recorded before, listed
    in its result (and a batch run in parts, the parts that finished). Cancelling one part
    settles its batch like any other end of a part (``parts``)."""
    if job.status not in (JobStatus.QUEUED, JobStatus.RUNNING):
        raise Conflict(f"job {job.id!r} is {job.status}: only a queued or running job can be cancelled")
    ensure_writing(session)
    unfinished = (JobStatus.QUEUED, JobStatus.RUNNING)
    # Its parts first: a part ending locks its own row, then the batch's, so taking them in the
    # same order cannot deadlock with it.
    session.execute(update(Job).where(Job.parent_id == job.id, Job.status.in_(unfinished))
                    .values(status=JobStatus.CANCELLED, finished_at=utcnow(), worker=""))
    done = session.execute(update(Job).where(Job.id == job.id, Job.status.in_(unfinished))
                           .values(status=JobStatus.CANCELLED, finished_at=utcnow(), worker=""))
    if not getattr(done, "rowcount", 0):
        raise Conflict(f"job {job.id!r} finished meanwhile")
    if job.parent_id is not None:
        settle_parent(session, job.parent_id)
    else:
        _list_what_parts_recorded(session, job)
    session.refresh(job)
    trail.record(session, actor=actor, action="job.cancelled", object_type="job", object_id=job.id,
                 case_id=job.case_id, data={"kind": job.kind})
    return job


def _list_what_parts_recorded(session: Session, job: Job) -> None:
    """A batch run in parts, cancelled: its result lists what its parts recorded (the finished
    parts' items, the committed chunks of the others) and the rest as not done, as a batch
    whose last part ends does (``parts.merge``). The parts are cancelled first, so none adds to
    its result after this reads it."""
    parts = list(session.scalars(select(Job).where(Job.parent_id == job.id).order_by(Job.id)
                                 .execution_options(populate_existing=True)))
    if not parts:
        return
    session.execute(update(Job).where(Job.id == job.id).values(result=merge(job, parts)))


def jobs_of_cases(session: Session, case_ids: Any, kind: JobKind, *, limit: int = 200) -> list[Job]:
    """Jobs of one kind about the given cases (ids or a subquery of them), newest first."""
    return list(session.scalars(select(Job).where(Job.case_id.in_(case_ids), Job.kind == kind)
                                .order_by(Job.created_at.desc()).limit(limit)))


def count_of_cases(session: Session, case_ids: Any, kind: JobKind, status: JobStatus) -> int:
    return int(session.scalar(select(func.count()).select_from(Job).where(
        Job.case_id.in_(case_ids), Job.kind == kind, Job.status == status)) or 0)
