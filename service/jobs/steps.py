"""A long job that commits its work step by step, each step only while the job is still its own.

A notice batch records its notices a chunk at a time: holding ten thousand notices' worth of
rows, audit events and contexts until one final commit made a worker's memory grow with the
batch, and a worker that died near the end lost everything it had done. Instead each step
commits its work together with the job's progress and partial result (``commit_step``), under
the same condition as the runner's final write (``owned``): the row is still running this
attempt. A worker taken for dead and superseded, or a job cancelled meanwhile, finds the row no
longer its own at its next step: that step's work is rolled back and the job stops
(``Superseded``). A run of the job again (the sweep, after its worker died) reads the partial
result and carries on after the last committed step, so each piece of work exists once.
"""

from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from service.core.clock import utcnow
from service.core.db import ensure_writing
from service.jobs.models import Job, JobStatus


class Superseded(Exception):
    """The job is no longer this attempt's (run again elsewhere, or cancelled): stop."""


def owned(job_id: str, attempt: int) -> Any:
    """The condition of every write of a running attempt to its job row."""
    return (Job.id == job_id, Job.attempts == attempt, Job.status == JobStatus.RUNNING)


def commit_step(session: Session, job: Job, *, done: int, result: dict[str, Any]) -> None:
    """Commit the session's work with the job's progress (`done` items) and partial `result`
    (JSON values only: it is written as it is, every step), if the job is still this attempt's;
    else roll the work back and raise ``Superseded``.

    The job row's update comes before the commit: on PostgreSQL it locks the row, so a sweep or a
    cancel that would take the job from this attempt waits for this step, then sees it."""
    ensure_writing(session)
    stamped = session.execute(update(Job).where(*owned(job.id, job.attempts))
                              .values(progress=done, result=result, heartbeat_at=utcnow())
                              .execution_options(synchronize_session=False))
    if not getattr(stamped, "rowcount", 0):
        session.rollback()
        raise Superseded(job.id)
    session.commit()
    set_committed_value(job, "progress", done)  # what the row now says, without a write of its own
