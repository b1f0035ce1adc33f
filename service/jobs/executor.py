"""Dispatch job ids to the configured executor, after the enqueuing transaction commits; replace
a broken local pool; sweep for jobs whose worker died and send them again."""

import logging
import multiprocessing
import threading
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from functools import lru_cache, partial

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from service.core.db import unit_of_work
from service.core.settings import Settings
from service.jobs.models import Job, JobStatus
from service.jobs.runner import release, requeue_stale, run_job

_PENDING_KEY = "dossier_jobs_to_dispatch"
log = logging.getLogger("dossier.jobs")
_pool_lock = threading.Lock()


@lru_cache
def _pool(workers: int) -> ProcessPoolExecutor:
    # spawn: WeasyPrint and pikepdf do not like being forked with live state
    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))


def _replace(broken: ProcessPoolExecutor, workers: int) -> None:
    """A pool whose worker died refuses all further work: start a fresh one in its place."""
    with _pool_lock:
        if _pool(workers) is broken:
            log.warning("the local job pool broke (a worker died); starting a new one")
            _pool.cache_clear()
    broken.shutdown(wait=False, cancel_futures=True)


def _submit_local(settings: Settings, job_id: str) -> None:
    for _ in range(3):
        with _pool_lock:
            pool = _pool(settings.local_workers)
        try:
            future = pool.submit(run_job, settings, job_id)
        except BrokenProcessPool:
            _replace(pool, settings.local_workers)
            continue
        future.add_done_callback(partial(_after_local, settings, job_id, pool))
        return
    raise RuntimeError("the local job pool keeps breaking")


def _after_local(settings: Settings, job_id: str, pool: ProcessPoolExecutor, future: Future[str]) -> None:
    if future.cancelled() or not isinstance(future.exception(), BrokenProcessPool):
        return
    # Off the pool's own management thread, which is still winding the broken pool down.
    threading.Thread(target=_resend_after_break, args=(settings, job_id, pool), daemon=True).start()


def _resend_after_break(settings: Settings, job_id: str, pool: ProcessPoolExecutor) -> None:
    _replace(pool, settings.local_workers)
    try:
        if release(settings, job_id):
            dispatch(settings, job_id)
    except Exception:  # the sweep sends it again later
        log.exception("job %s not re-sent after its worker died", job_id)


def dispatch(settings: Settings, job_id: str) -> None:
    if settings.executor == "celery":
        from service.jobs.celery_app import celery_for

        celery_for(settings).send_task("dossier.run_job", args=[job_id])
    else:
        _submit_local(settings, job_id)


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
        except Exception:  # the row is committed as queued; the sweep sends it again
            log.exception("could not dispatch job %s; it stays queued", job_id)


def queued_jobs(settings: Settings) -> list[str]:
    with unit_of_work(settings.database_url, write=False) as s:
        return list(s.scalars(select(Job.id).where(Job.status == JobStatus.QUEUED).order_by(Job.created_at)))


class Sweeper:
    """A thread that, every heartbeat interval, sends again the jobs whose worker died. At start
    it also sends every queued job (a restarted service's pool lost what it held; a job already
    claimed elsewhere is skipped by its claim)."""

    def __init__(self, settings: Settings, send: Callable[[str], None] | None = None,
                 resend_queued_at_start: bool = True) -> None:
        self.settings = settings
        self.send = send or (lambda job_id: dispatch(settings, job_id))
        self.resend_queued_at_start = resend_queued_at_start
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="job-sweeper", daemon=True)

    def start(self) -> "Sweeper":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()

    def sweep(self, *, at_start: bool = False) -> list[str]:
        ids = requeue_stale(self.settings)
        if at_start and self.resend_queued_at_start:
            ids = sorted({*ids, *queued_jobs(self.settings)})
        for job_id in ids:
            self.send(job_id)
        return ids

    def _run(self) -> None:
        at_start = True
        while not self._stop.is_set():
            try:
                self.sweep(at_start=at_start)
                at_start = False
            except Exception:  # a database that is down now may be back at the next sweep
                log.exception("job sweep failed")
            self._stop.wait(self.settings.job_heartbeat_seconds)
