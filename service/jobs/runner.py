"""Running one job in whatever process picked it up (local pool or Celery worker).

The job row is claimed (queued → running) in its own short transaction, so two workers never
run the same job; progress is committed as it goes so pollers see it; the work itself and the
final status commit together, or the job is marked failed and nothing of the work remains.
"""

import logging
import traceback
from datetime import timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import OperationalError

from service.core.clock import utcnow
from service.core.db import session_factory, unit_of_work
from service.core.settings import Settings
from service.jobs.models import Job
from service.jobs.registry import get_handler, load_all

log = logging.getLogger("dossier.jobs")
MAX_ATTEMPTS = 3


def _claim(settings: Settings, job_id: str) -> bool:
    with unit_of_work(settings.database_url) as s:
        result = s.execute(
            update(Job).where(Job.id == job_id, Job.status == "queued")
            .values(status="running", started_at=utcnow(), heartbeat_at=utcnow(), attempts=Job.attempts + 1)
        )
        return bool(result.rowcount)


def _progress(settings: Settings, job: Job):  # type: ignore[no-untyped-def]
    """Live progress in its own short transactions (PostgreSQL). SQLite has one writer and
    snapshot reads: a progress commit would make the job's own final write fail, so there the
    figures ride on the job's session and appear when the job commits."""
    job_id = job.id
    if settings.database_url.startswith("sqlite"):
        def in_session(done: int, total: int) -> None:
            job.progress, job.total = done, total

        return in_session

    def report(done: int, total: int) -> None:
        # Advisory: a busy database must not fail the work itself (SQLite has one writer).
        try:
            with unit_of_work(settings.database_url) as s:
                s.execute(update(Job).where(Job.id == job_id)
                          .values(progress=done, total=total, heartbeat_at=utcnow()))
        except OperationalError as exc:
            log.info("progress of job %s not recorded: %s", job_id, exc)

    return report


def run_job(settings: Settings, job_id: str) -> str:
    """Run a queued job to completion; return its final status."""
    load_all()  # a fresh worker process: every table mapped before the first query
    if not _claim(settings, job_id):
        return "skipped"  # another worker has it, or it is finished
    session = session_factory(settings.database_url)()
    try:
        job = session.get(Job, job_id)
        assert job is not None
        result = get_handler(job.kind)(session, job, settings, _progress(settings, job))
        job.status, job.result, job.finished_at = "done", _jsonable(result), utcnow()
        job.progress = max(job.progress, job.total)
        session.commit()
        log.info("job %s done", job_id)
        return "done"
    except Exception as exc:  # any failure of the work is recorded on the job, not lost
        session.rollback()
        _fail(settings, job_id, exc)
        return "failed"
    finally:
        session.close()


def _fail(settings: Settings, job_id: str, exc: Exception) -> None:
    detail = getattr(exc, "detail", None) or str(exc) or type(exc).__name__
    log.warning("job %s failed: %s\n%s", job_id, detail, traceback.format_exc())
    with unit_of_work(settings.database_url) as s:
        s.execute(update(Job).where(Job.id == job_id)
                  .values(status="failed", error=detail[:4000], finished_at=utcnow()))


def requeue_stale(settings: Settings, *, older_than: timedelta = timedelta(minutes=5)) -> list[str]:
    """Jobs to send again: those whose worker died (no heartbeat for a while; a few times at
    most) and those queued long ago whose dispatch never reached a worker."""
    cutoff = utcnow() - older_than
    with unit_of_work(settings.database_url) as s:
        stale = list(s.scalars(select(Job).where(Job.status == "running", Job.heartbeat_at < cutoff)))
        for job in stale:
            if job.attempts >= MAX_ATTEMPTS:
                job.status, job.error, job.finished_at = "failed", "worker died too many times", utcnow()
            else:
                job.status = "queued"
        lost = list(s.scalars(select(Job.id).where(Job.status == "queued", Job.created_at < cutoff)))
        return sorted({*(j.id for j in stale if j.status == "queued"), *lost})


def _jsonable(value: Any) -> Any:
    import json

    return json.loads(json.dumps(value, default=str))
