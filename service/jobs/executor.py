"""Dispatch job ids to the configured executor, after the enqueuing transaction commits."""

import logging
import multiprocessing
from concurrent.futures import Executor, ProcessPoolExecutor
from functools import lru_cache

from sqlalchemy import event
from sqlalchemy.orm import Session

from service.core.settings import Settings
from service.jobs.runner import run_job

_PENDING_KEY = "dossier_jobs_to_dispatch"
log = logging.getLogger("dossier.jobs")


@lru_cache
def _pool(workers: int) -> Executor:
    # spawn: WeasyPrint and pikepdf do not like being forked with live state
    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))


def dispatch(settings: Settings, job_id: str) -> None:
    if settings.executor == "celery":
        from service.jobs.celery_app import celery_for

        celery_for(settings).send_task("dossier.run_job", args=[job_id])
    else:
        _pool(settings.local_workers).submit(run_job, settings, job_id)


def dispatch_after_commit(session: Session, settings: Settings, job_id: str) -> None:
    """A worker must never see a job whose row is not committed yet."""
    pending: list[str] = session.info.setdefault(_PENDING_KEY, [])
    pending.append(job_id)
    if len(pending) == 1:
        event.listen(session, "after_commit", lambda s: _flush(s, settings), once=True)
        event.listen(session, "after_rollback", lambda s: s.info.pop(_PENDING_KEY, None), once=True)


def _flush(session: Session, settings: Settings) -> None:
    for job_id in session.info.pop(_PENDING_KEY, []):
        try:
            dispatch(settings, job_id)
        except Exception:  # the row is committed as queued; a worker's start-up sweep sends it again
            log.exception("could not dispatch job %s; it stays queued", job_id)
