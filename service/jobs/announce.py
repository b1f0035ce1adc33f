"""A finished job announced to its key's webhook endpoints (``core.events``): job.completed in
the job's own transaction (so it exists exactly when the job's work and status commit: a
superseded attempt rolls its announcement back with its work), job.failed when the work raised.

The registry wraps every handler in ``announcing``; the runner stays as it is.
"""

import logging
from typing import Any

from sqlalchemy.orm import Session

from service.core import events
from service.core.db import unit_of_work
from service.core.errors import ServiceError
from service.core.settings import Settings
from service.jobs.models import Job
from service.jobs.steps import Superseded

log = logging.getLogger("dossier.jobs")
Handler = Any  # registry.Handler (a cycle otherwise)


def job_event(job: Job, status: str, result: dict[str, Any]) -> dict[str, Any]:
    """What a webhook says of a finished job: its id, kind, status and counts (the items are one
    GET away, at its link)."""
    counts = {k: v for k, v in result.items() if isinstance(v, int | str | bool) and k != "links"}
    return {"id": job.id, "kind": job.kind, "status": status, "total": job.total, "result": counts,
            "links": {"self": f"/v1/jobs/{job.id}", **result.get("links", {})}}


def announcing(handler: Handler) -> Handler:
    def run(session: Session, job: Job, settings: Settings, progress: Any) -> dict[str, Any]:
        if job.parent_id is not None:  # a part of a big batch: its parent announces (``parts``)
            part: dict[str, Any] = handler(session, job, settings, progress)
            return part
        try:
            result: dict[str, Any] = handler(session, job, settings, progress)
        except Superseded:  # another attempt, or the cancel, has the job now: not a failure
            raise
        except Exception as exc:
            _failed(settings, job, exc)
            raise
        events.publish(session, "job.completed", job_event(job, "done", result), owner=job.actor)
        return result

    return run


def _failed(settings: Settings, job: Job, exc: Exception) -> None:
    detail = exc.detail if isinstance(exc, ServiceError) else f"the job failed on an internal error (job {job.id})"
    try:
        with unit_of_work(settings.database_url) as s:
            events.publish(s, "job.failed", {**job_event(job, "failed", {}), "error": detail[:4000]}, owner=job.actor)
    except Exception:  # the job's own failure is what matters; the runner records it
        log.exception("job %s: its failure was not announced", job.id)
