"""A big job split into parts that any worker claims; the parent completes when its last part ends.

The parent row is created running and is never dispatched: no worker runs it, its heartbeat is
never stamped, so the sweep (``runner.requeue_stale``) never takes it for dead. Each part is an
ordinary job (claimed, heartbeated, re-run when its worker dies, superseded attempts rolled
back), whose params name the parent's item indexes it covers. A part's final transaction —
done, failed, or given up after its worker died too often — also settles the parent under a
lock of the parent's row: the last part to finish merges every part's per-item results into the
parent's result, in the parent's item order, and announces the parent's completion. Because
the lock is taken before the parts are counted, two parts finishing at once cannot both miss
(or both do) the merge.
"""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from service.core import events
from service.core.clock import utcnow
from service.core.db import ensure_writing
from service.jobs.announce import job_event
from service.jobs.models import Job, JobKind, JobStatus

INDEXES = "indexes"  # a part's params: the parent's item indexes it covers, in order
PENDING = "pending"  # an item's status in a partial result: not reached yet


def add_parts(session: Session, parent: Job, *, kind: JobKind, parts: Sequence[dict[str, Any]]) -> list[Job]:
    """The parent (already added) becomes a running container of `parts` (params, each with
    ``indexes``); the caller dispatches the parts after commit."""
    parent.status, parent.started_at, parent.worker = JobStatus.RUNNING, utcnow(), ""
    children = [Job(id=f"{parent.id}_p{n}", kind=kind, status=JobStatus.QUEUED, parent_id=parent.id, params=params,
                    actor=parent.actor, total=len(params[INDEXES]), created_at=parent.created_at)
                for n, params in enumerate(parts)]
    session.add_all(children)
    session.flush()
    return children


def settle_parent(session: Session, parent_id: str) -> None:
    """Called in a part's final transaction: finish the parent if this part was its last."""
    ensure_writing(session)
    parent = session.scalar(select(Job).where(Job.id == parent_id).with_for_update()
                            .execution_options(populate_existing=True))
    if parent is None or parent.status != JobStatus.RUNNING:  # cancelled meanwhile
        return
    parts = list(session.scalars(select(Job).where(Job.parent_id == parent_id).order_by(Job.id)
                                 .execution_options(populate_existing=True)))
    finished = [p for p in parts if p.status.finished]
    parent.progress = sum(p.total for p in finished)
    if len(finished) < len(parts):
        return
    result = merge(parent, parts)
    failed = [p for p in parts if p.status != JobStatus.DONE]
    status = JobStatus.FAILED if failed else JobStatus.DONE
    error = "; ".join(f"part {p.id} ({p.total} items) {p.status}: {p.error}" for p in failed)[:4000]
    session.execute(update(Job).where(Job.id == parent_id).values(
        status=status, result=result, error=error, finished_at=utcnow(), progress=parent.total))
    kind = "job.failed" if failed else "job.completed"
    body = job_event(parent, str(status), result)
    events.publish(session, kind, {**body, "error": error} if failed else body, owner=parent.actor)


def merge(parent: Job, parts: Sequence[Job]) -> dict[str, Any]:
    """The parts' results as one: counts summed, items back in the parent's order. A part that
    did not finish keeps what it recorded in the steps it committed (``steps``: its partial
    result) and reports its other items as failed, naming the part."""
    items: list[dict[str, Any]] = [{} for _ in range(parent.total)]
    counts: dict[str, Any] = {"parts": len(parts)}
    for part in parts:
        indexes: list[int] = part.params[INDEXES]
        result = part.result or {}
        for key, value in result.items():
            if isinstance(value, int) and not isinstance(value, bool):
                counts[key] = counts.get(key, 0) + value
            elif isinstance(value, str):
                counts.setdefault(key, value)
        found = result.get("items") or [{"status": PENDING} for _ in indexes]
        for index, item, sent in zip(indexes, found, part.params.get("items", []), strict=True):
            if part.status == JobStatus.DONE or item.get("status") != PENDING:
                items[index] = item
            else:
                items[index] = {**sent, "status": "failed", "detail": f"part {part.id} {part.status}"}
                counts["failed"] = counts.get("failed", 0) + 1
    return {**counts, "items": items}
