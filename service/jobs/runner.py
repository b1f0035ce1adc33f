"""Running one job in whatever process picked it up (local pool or Celery worker).

The job row is claimed (queued → running, attempt n) in its own short transaction, so two
workers never run the same attempt. While it runs, a heartbeat thread stamps the row in short
transactions of its own, so a job that runs for long is never taken for dead; progress is
committed as it goes. The work itself and the final status commit together, and only if the row
still belongs to this attempt: a worker that was taken for dead and superseded rolls its work
back, so a job's effects (its notices) exist once. A long job may commit its work in steps
before that (``steps``: a notice batch, a chunk at a time), each under the same condition; a
superseded attempt stops at its next step, and the job run again carries on after the last
step committed. A failure is recorded on the job in its own transaction.
"""

import logging
import os
import socket
import threading
from datetime import timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from service.core.clock import utcnow
from service.core.db import ensure_writing, session_factory, unit_of_work
from service.core.errors import ServiceError
from service.core.settings import Settings
from service.jobs.models import Job, JobStatus
from service.jobs.parts import settle_parent
from service.jobs.registry import get_handler, load_all
from service.jobs.steps import Superseded, owned

log = logging.getLogger("dossier.jobs")
MAX_ATTEMPTS = 3
INTERNAL_ERROR = "the job failed on an internal error; the server log has the details (job {id})"


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _claim(settings: Settings, job_id: str) -> int | None:
    """queued → running for this process; the attempt number, or None when not ours to run."""
    with unit_of_work(settings.database_url) as s:
        now = utcnow()
        claimed = s.execute(
            update(Job).where(Job.id == job_id, Job.status == JobStatus.QUEUED)
            .values(status=JobStatus.RUNNING, started_at=now, heartbeat_at=now, attempts=Job.attempts + 1,
                    worker=worker_id())
        )
        if not getattr(claimed, "rowcount", 0):
            return None
        return int(s.scalar(select(Job.attempts).where(Job.id == job_id)) or 0)


class Heartbeat:
    """Stamps the job row every `every` seconds from a thread while the work runs."""

    def __init__(self, settings: Settings, job_id: str, attempt: int) -> None:
        self.settings, self.job_id, self.attempt = settings, job_id, attempt
        self.superseded = False
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"heartbeat-{job_id}", daemon=True)

    def __enter__(self) -> "Heartbeat":
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(self.settings.job_heartbeat_seconds):
            try:
                with unit_of_work(self.settings.database_url) as s:
                    beat = s.execute(update(Job).where(*owned(self.job_id, self.attempt)).values(heartbeat_at=utcnow()))
                    self.superseded = not getattr(beat, "rowcount", 0)
            except OperationalError as exc:  # a busy database delays a beat; the stale limit is far longer
                log.info("heartbeat of job %s not recorded: %s", self.job_id, exc)


def _progress(settings: Settings, session: Session, job: Job, attempt: int):  # type: ignore[no-untyped-def]
    """Progress in its own short transactions, so pollers see it. On SQLite, once the job's own
    session holds the one write lock (it is recording its results), a second connection could
    only wait for it: there the figures ride on the job's session and appear when it commits."""
    job_id = job.id

    def report(done: int, total: int) -> None:
        conn_info = session.connection().info if session.in_transaction() else {}
        if conn_info.get("sqlite_writing") and session.info.get("read_only"):
            job.progress, job.total = done, total
            return
        try:  # advisory: a busy database must not fail the work itself
            with unit_of_work(settings.database_url) as s:
                s.execute(update(Job).where(*owned(job_id, attempt))
                          .values(progress=done, total=total, heartbeat_at=utcnow()))
        except OperationalError as exc:
            log.info("progress of job %s not recorded: %s", job_id, exc)

    return report


def run_job(settings: Settings, job_id: str) -> str:
    """Run a queued job to completion; return its final status."""
    load_all()  # a fresh worker process: every table mapped before the first query
    attempt = _claim(settings, job_id)
    if attempt is None:
        return "skipped"  # another worker has it, or it is finished
    session = session_factory(settings.database_url, write=False)()  # reads first; writes at the end
    try:
        with Heartbeat(settings, job_id, attempt):
            job = session.get(Job, job_id)
            assert job is not None
            result = get_handler(job.kind)(session, job, settings, _progress(settings, session, job, attempt))
            ensure_writing(session)
            done = session.execute(update(Job).where(*owned(job_id, attempt)).values(
                status=JobStatus.DONE, result=_jsonable(result), finished_at=utcnow(), worker="",
                progress=max(job.progress, job.total), total=job.total))
            if not getattr(done, "rowcount", 0):  # taken for dead and run again elsewhere: keep theirs
                session.rollback()
                log.warning("job %s attempt %d was superseded; its work is rolled back", job_id, attempt)
                return "superseded"
            if job.parent_id is not None:
                settle_parent(session, job.parent_id)  # with this part's work, or not at all
            session.commit()
        log.info("job %s done", job_id)
        return "done"
    except Superseded:  # a step found the row no longer this attempt's: its own work is rolled back
        session.rollback()
        log.warning("job %s attempt %d was superseded; it stopped at its next step", job_id, attempt)
        return "superseded"
    except Exception as exc:  # any failure of the work is recorded on the job, not lost
        session.rollback()
        _fail(settings, job_id, attempt, exc)
        return "failed"
    finally:
        session.close()


def _fail(settings: Settings, job_id: str, attempt: int, exc: Exception) -> None:
    """The job's error is what its user can act on (a refusal's own text); anything else is
    logged in full here and the job says only that it failed (no SQL, no parameters)."""
    if isinstance(exc, ServiceError):
        detail = exc.detail
        log.warning("job %s refused: %s", job_id, detail)
    else:
        detail = INTERNAL_ERROR.format(id=job_id)
        log.exception("job %s failed", job_id)
    with unit_of_work(settings.database_url) as s:
        failed = s.execute(update(Job).where(*owned(job_id, attempt))
                           .values(status=JobStatus.FAILED, error=detail[:4000], finished_at=utcnow(), worker=""))
        parent_id = s.scalar(select(Job.parent_id).where(Job.id == job_id))
        if parent_id is not None and bool(getattr(failed, "rowcount", 0)):
            settle_parent(s, parent_id)


def requeue_stale(settings: Settings, *, older_than: timedelta | None = None) -> list[str]:
    """Jobs to send again: those whose worker died (no heartbeat for the stale limit; a few times
    at most) and those queued that long ago whose dispatch never reached a worker."""
    cutoff = utcnow() - (older_than or timedelta(seconds=settings.job_stale_seconds))
    with unit_of_work(settings.database_url, write=False) as s:
        stale = list(s.scalars(select(Job.id).where(Job.status == JobStatus.RUNNING, Job.heartbeat_at < cutoff)))
        lost = list(s.scalars(select(Job.id).where(Job.status == JobStatus.QUEUED, Job.created_at < cutoff)))
        requeued = [job_id for job_id in stale if _release(s, job_id, cutoff)]
        return sorted({*requeued, *lost})


def release(settings: Settings, job_id: str) -> bool:
    """The worker running this job is known to be dead (its pool broke): queue it again now.
    True when the job is queued (and should be sent)."""
    with unit_of_work(settings.database_url) as s:
        status = s.scalar(select(Job.status).where(Job.id == job_id))
        return status == JobStatus.QUEUED or (status == JobStatus.RUNNING and _release(s, job_id, None))


def _release(s: Session, job_id: str, cutoff: Any) -> bool:
    ensure_writing(s)
    where = [Job.id == job_id, Job.status == JobStatus.RUNNING]
    if cutoff is not None:
        where.append(Job.heartbeat_at < cutoff)  # it may have beaten since we looked
    job = s.scalar(select(Job).where(*where).execution_options(populate_existing=True))
    if job is None:
        return False
    if job.attempts >= MAX_ATTEMPTS:
        job.status, job.error = JobStatus.FAILED, "worker died too many times"
        job.finished_at, job.worker = utcnow(), ""
        log.warning("job %s failed: its worker died %d times", job_id, job.attempts)
        if job.parent_id is not None:
            s.flush()
            settle_parent(s, job.parent_id)
        return False
    job.status, job.worker = JobStatus.QUEUED, ""
    log.warning("job %s re-sent: its worker died (attempt %d)", job_id, job.attempts)
    return True


def _jsonable(value: Any) -> Any:
    import json

    return json.loads(json.dumps(value, default=str))
