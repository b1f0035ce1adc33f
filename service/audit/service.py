"""The append-only, keyed hash-chained audit trail: appending an event and walking the chain.

Each event's hash is an HMAC-SHA256, under a key the database never holds (settings: the
`DOSSIER_AUDIT_KEY` or a key file beside the database), of its own fields and the previous
event's hash; a one-row head holds the latest sequence number and hash with a MAC of its own.
Editing a row breaks its hash; inserting or deleting rows breaks the chain or the head; and
someone who can write to the database but lacks the key cannot recompute either (nor roll the
head back to an earlier event). Database triggers (see the migrations) refuse UPDATE and
DELETE as a first line; the chain is what proves it afterwards. A checkpoint (seq, hash, time,
signed with the key) kept outside the database proves later that nothing up to it was rewritten,
even by someone who had the key.
"""

import hashlib
import hmac
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy import event as sa_event
from sqlalchemy.orm import ORMExecuteState, Session

from service.audit.models import GENESIS as GENESIS  # the migrations re-key from it
from service.audit.models import AuditEvent, AuditHead
from service.core.clock import utcnow
from service.core.db import ensure_writing
from service.core.settings import Settings, get_settings


def chain_key(settings: Settings | None = None) -> bytes:
    """The chain's key: `DOSSIER_AUDIT_KEY`, else the key file (made once, readable by its owner
    only). Never in the database: whoever can write there still cannot forge the chain."""
    settings = settings or get_settings()
    if settings.audit_key is not None:
        return settings.audit_key.get_secret_value().encode()
    return _key_file(settings.audit_key_file)


@lru_cache
def _key_file(path: Path) -> bytes:
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(os.urandom(32).hex() + "\n")
        try:
            os.link(tmp, path)  # atomic: of two processes making it at once, one key wins
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    key = path.read_text().strip()
    if len(key) < 32:
        raise RuntimeError(f"the audit key in {path} is too short (32 characters at least)")
    return key.encode()


def _mac(key: bytes, text: str) -> str:
    return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()


def head_mac(seq: int, chain_hash: str, key: bytes | None = None) -> str:
    return _mac(key or chain_key(), f"audit-head:{seq}:{chain_hash}")


def canonical_event(event: Any) -> str:
    """The bytes an event's hash covers: its fields and the previous hash, as canonical JSON."""
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
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _digest(event: Any, key: bytes | None = None) -> str:
    return _mac(key or chain_key(), canonical_event(event))


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
    """Append one event in the caller's transaction. It takes its place in the chain when the
    transaction commits (or as soon as the transaction reads the trail), so the chain's head is
    locked for the commit alone, not for the rest of the work (a batch job renders for minutes)."""
    event = AuditEvent(at=at or utcnow(), actor=actor, action=action, case_id=case_id, object_type=object_type,
                       object_id=str(object_id), reason=reason, data=json.loads(json.dumps(data or {}, default=str)))
    pending: list[tuple[Any, AuditEvent]] = session.info.setdefault(_PENDING, [])
    pending.append((session.get_nested_transaction() or session.get_transaction(), event))
    return event


_PENDING = "audit_pending"


@lru_cache
def _head_for_update() -> Select[AuditHead]:
    """Built once a process: every transaction that records an event runs it."""
    return select(AuditHead).where(AuditHead.id == 1).with_for_update().execution_options(populate_existing=True)


def chain_pending(session: Session) -> None:
    """Give the transaction's recorded events their place in the chain, under the head's lock."""
    pending: list[tuple[Any, AuditEvent]] = session.info.pop(_PENDING, [])
    if not pending:
        return
    ensure_writing(session)  # SQLite: the head is read inside the write transaction
    head = session.execute(_head_for_update()).scalar_one()
    key = chain_key()
    for _, event in pending:
        event.seq, event.prev_hash = head.seq + 1, head.hash
        event.hash = _digest(event, key)
        head.seq, head.hash = event.seq, event.hash
        session.add(event)
    head.mac = head_mac(head.seq, head.hash, key)
    session.flush()


@sa_event.listens_for(Session, "before_commit")
def _chain_at_commit(session: Session) -> None:
    chain_pending(session)


@sa_event.listens_for(Session, "do_orm_execute")
def _chain_before_reading_the_trail(state: ORMExecuteState) -> None:
    if state.is_select and state.session.info.get(_PENDING) and any(
            m.class_ in (AuditEvent, AuditHead) for m in state.all_mappers):
        chain_pending(state.session)


@sa_event.listens_for(Session, "after_soft_rollback")
def _forget_rolled_back(session: Session, rolled_back: Any) -> None:
    """Events recorded in a transaction (or savepoint) that rolled back never happened."""
    pending = session.info.get(_PENDING)
    if pending:
        session.info[_PENDING] = [(tx, e) for tx, e in pending if not _within(tx, rolled_back)]


def _within(tx: Any, ancestor: Any) -> bool:
    while tx is not None:
        if tx is ancestor:
            return True
        tx = tx.parent
    return False


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
    key = chain_key()
    prev_seq, prev_hash, count = 0, GENESIS, 0
    for event in _events(session):
        count += 1
        if event.seq != prev_seq + 1:
            return count, ChainProblem(
                prev_seq + 1, None, "deleted",
                f"events {prev_seq + 1}..{event.seq - 1} are missing (deleted)",
            )
        if not hmac.compare_digest(event.hash, _digest(event, key)):
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
    return count, _head_problem(session.get(AuditHead, 1), prev_seq, prev_hash, key)


def _head_problem(head: AuditHead | None, last_seq: int, last_hash: str, key: bytes) -> ChainProblem | None:
    if head is None:
        return ChainProblem(last_seq + 1, None, "head", "the head row of the audit trail is missing")
    if head.seq != last_seq or head.hash != last_hash:
        if head.seq > last_seq:
            return ChainProblem(
                last_seq + 1, None, "deleted",
                f"events {last_seq + 1}..{head.seq} at the end of the trail are missing (deleted)",
            )
        return ChainProblem(
            head.seq + 1, None, "inserted",
            f"events after {head.seq} were appended outside the audit service",
        )
    if not hmac.compare_digest(head.mac, head_mac(head.seq, head.hash, key)):
        return ChainProblem(
            head.seq + 1, None, "head",
            f"the head (event {head.seq}) was written outside the audit service: events after it may "
            "have been deleted",
        )
    return None


def checkpoint(session: Session, *, at: datetime | None = None) -> dict[str, Any]:
    """The head as it is now, signed with the chain's key, to keep outside the database."""
    head = session.get(AuditHead, 1)
    if head is None:
        raise LookupError("the audit trail has no head row (is the database migrated?)")
    body = {"seq": head.seq, "hash": head.hash, "at": (at or utcnow()).isoformat(timespec="seconds")}
    return {**body, "sig": _mac(chain_key(), "audit-checkpoint:" + _canonical(body))}


def verify_checkpoint(session: Session, point: dict[str, Any]) -> ChainProblem | None:
    """Whether the trail still holds, at the checkpoint's sequence number, the event it held
    then. With an intact chain (`verify`) that proves every event up to it unchanged."""
    try:
        seq, digest, at = int(point["seq"]), str(point["hash"]), str(point["at"])
        sig = str(point["sig"])
    except (KeyError, TypeError, ValueError):
        return ChainProblem(0, None, "checkpoint", "not a checkpoint: it needs seq, hash, at and sig")
    body: dict[str, Any] = {"seq": seq, "hash": digest, "at": at}
    if not hmac.compare_digest(sig, _mac(chain_key(), "audit-checkpoint:" + _canonical(body))):
        return ChainProblem(seq, None, "checkpoint",
                            "the checkpoint's signature does not match: altered, or made with another key")
    if seq == 0:
        return None
    event = session.scalar(select(AuditEvent).where(AuditEvent.seq == seq))
    if event is None:
        return ChainProblem(seq, None, "deleted", f"event {seq}, checkpointed at {body['at']}, is missing")
    if event.hash != body["hash"]:
        return ChainProblem(seq, event.id, "rewritten",
                            f"event {seq} is not the one checkpointed at {body['at']}: the trail up to it "
                            "was rewritten")
    return None


def _canonical(body: dict[str, Any]) -> str:
    return json.dumps(body, sort_keys=True, separators=(",", ":"))


def case_events(session: Session, case_id: int, *, limit: int = 200) -> list[AuditEvent]:
    """A case's acts, newest first: the timeline every surface shows."""
    return list(session.scalars(select(AuditEvent).where(AuditEvent.case_id == case_id)
                                .order_by(AuditEvent.seq.desc()).limit(limit)))


def find_events(session: Session, *, case_id: int | None = None, actor: str = "", action: str = "",
                limit: int = 200) -> list[AuditEvent]:
    """Events newest first, filtered by case, actor and action (a prefix: 'document.' finds all)."""
    stmt = select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(limit)
    if case_id is not None:
        stmt = stmt.where(AuditEvent.case_id == case_id)
    if actor:
        stmt = stmt.where(AuditEvent.actor == actor)
    if action:
        stmt = stmt.where(AuditEvent.action.startswith(action))
    return list(session.scalars(stmt))
