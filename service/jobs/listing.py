"""Jobs listed by what they are about (a case's packets for its page and the download centre)."""

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.jobs.models import Job


def case_jobs(session: Session, case_id: int, kind: str) -> list[Job]:
    """A case's jobs of one kind (e.g. its packets), newest first."""
    return list(session.scalars(select(Job).where(Job.case_id == case_id, Job.kind == kind)
                                .order_by(Job.created_at.desc())))


def jobs_of_cases(session: Session, case_ids: Any, kind: str, *, limit: int = 200) -> list[Job]:
    """Jobs of one kind about the given cases (ids or a subquery of them), newest first."""
    return list(session.scalars(select(Job).where(Job.case_id.in_(case_ids), Job.kind == kind)
                                .order_by(Job.created_at.desc()).limit(limit)))


def count_of_cases(session: Session, case_ids: Any, kind: str, status: str) -> int:
    return int(session.scalar(select(func.count()).select_from(Job).where(
        Job.case_id.in_(case_ids), Job.kind == kind, Job.status == status)) or 0)
