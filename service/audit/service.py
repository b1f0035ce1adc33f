"""The append-only, hash-chained audit trail: appending an event and walking the chain.

Each event's hash covers its own fields and the previous event's hash, and a one-row head
table holds the latest sequence number and hash. Editing a row breaks its own hash; inserting
or deleting rows breaks the chain or the head. Database triggers (see the migrations) refuse
UPDATE and DELETE as a first line; the chain is what proves it afterwards.
"""

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.audit.models import GENESIS, AuditEvent, AuditHead
from service.core.clock import utcnow


def _digest(event: AuditEvent) -> str:
    body = {
        "seq": event.seq,
        "at": event.at.isoformat(timespec="microseconds"),
        "actor": event.actor,
        "action": event.action,
        "case_id": event.case_id,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "reason": event.reason,
        "data": event.data,
        "prev_hash": event.prev_hash,
    }
    raw = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(raw.encode()).hexdigest()


def record(
    session: Session,
    *,
    actor: str,
    action: str,
    object_type: str,
    object_id: str | int,
    case_id: int | None = None,
    reason: str = "",
    data: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> AuditEvent:
    """Append one event in the caller's transaction (flush only; the boundary commits)."""
    head = session.execute(select(AuditHead).where(AuditHead.id == 1).with_for_update()).scalar_one()
    event = AuditEvent(
        seq=head.seq + 1,
        at=at or utcnow(),
        actor=actor,
        action=action,
        case_id=case_id,
        object_type=object_type,
        object_id=str(object_id),
        reason=reason,
        data=json.loads(json.dumps(data or {}, default=str)),
        prev_hash=head.hash,
    )
    event.hash = _digest(event)
    head.seq, head.hash = event.seq, event.hash
    session.add(event)
    session.flush()
    return event


@dataclass(frozen=True)
class ChainProblem:
    seq: int
    row_id: int | None
    kind: str  # edited | inserted | deleted
    message: str


def _events(session: Session) -> Iterator[AuditEvent]:
    stmt = select(AuditEvent).order_by(AuditEvent.seq).execution_options(yield_per=500)
    yield from session.execute(stmt).scalars()


def verify(session: Session) -> tuple[int, ChainProblem | None]:
    """Walk the chain; return the number of events checked and the first problem found."""
    prev_seq, prev_hash, count = 0, GENESIS, 0
    for event in _events(session):
        count += 1
        if event.seq != prev_seq + 1:
            return count, ChainProblem(
                prev_seq + 1, None, "deleted",
                f"events {prev_seq + 1}..{event.seq - 1} are missing (deleted)",
            )
        if event.hash != _digest(event):
            return count, ChainProblem(
                event.seq, event.id, "edited",
                f"event {event.seq} (id {event.id}, {event.action}) was edited: its hash no longer matches",
            )
        if event.prev_hash != prev_hash:
            return count, ChainProblem(
                event.seq, event.id, "inserted",
                f"event {event.seq} (id {event.id}) does not follow event {prev_seq}: inserted or re-chained",
            )
        prev_seq, prev_hash = event.seq, event.hash
    head = session.get(AuditHead, 1)
    if head is not None and (head.seq != prev_seq or head.hash != prev_hash):
        if head.seq > prev_seq:
            return count, ChainProblem(
                prev_seq + 1, None, "deleted",
                f"events {prev_seq + 1}..{head.seq} at the end of the trail are missing (deleted)",
            )
        return count, ChainProblem(
            head.seq + 1, None, "inserted",
            f"events after {head.seq} were appended outside the audit service",
        )
    return count, None
