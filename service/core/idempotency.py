"""Idempotency-Key on every POST: a retry replays the first answer instead of acting twice.

A key is reserved (a PENDING row with a random owner token) before the request runs; a
concurrent duplicate gets 409. The request's own transaction marks the row APPLIED just before it
commits (`fence`), so "the write happened" and "the key is used" commit together. A 2xx answer
is then kept and replayed for the same key and body; a different body under the same key is
refused (422); a request that wrote nothing frees the key. A PENDING row whose request died
(its process killed) is taken over by the next retry once its lease has run out; if the first
request was only slow and tries to commit after that, its fence fails and it rolls back, so the
write happens once. A row left APPLIED without an answer (the process died after committing) is
never run again: its retry gets 409 saying so.

The caller is authenticated before anything is replayed (a revoked key gets no replays), and
every database call runs in a worker thread, never on the event loop. The body is hashed as it
streams through, so large uploads are never held in memory here.
"""

import hashlib
import json
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import anyio
from sqlalchemy import String, Text, UniqueConstraint, delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.core.clock import utcnow
from service.core.db import Base, UTCDateTime, unit_of_work
from service.core.errors import Conflict
from service.core.problems import PROBLEM

PENDING = -1  # reserved; the request is running (or died: see the lease)
APPLIED = -2  # the request's transaction committed; its answer is not stored yet (or was lost)
MAX_KEY_LENGTH = 200
SCOPE_KEY = "idempotency"
log = logging.getLogger("dossier.idempotency")

Authenticate = Callable[[str], str | None]  # Authorization header → actor, or None when not valid


class IdempotencyRecord(Base):
    """A POST's response kept under its Idempotency-Key, so a retry replays, never repeats."""

    __tablename__ = "idempotency_record"
    __table_args__ = (UniqueConstraint("principal", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200))
    principal: Mapped[str] = mapped_column(String(40))
    method_path: Mapped[str] = mapped_column(String(300))
    request_hash: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int]
    response_body: Mapped[str] = mapped_column(Text)
    token: Mapped[str] = mapped_column(String(32), default="")  # the owner's lease (see above)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


@dataclass(frozen=True)
class Claim:
    principal: str
    key: str
    token: str


@dataclass(frozen=True)
class _Stored:
    status_code: int
    method_path: str
    request_hash: str
    response_body: str


class IdempotencyMiddleware:
    def __init__(self, app: ASGIApp, database_url: str, authenticate: Authenticate,
                 lease: timedelta = timedelta(minutes=2)) -> None:
        self.app = app
        self.database_url = database_url
        self.authenticate = authenticate
        self.lease = lease

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        key = _header(scope, b"idempotency-key")
        if scope["type"] != "http" or scope["method"] != "POST" or not key:
            await self.app(scope, receive, send)
            return
        if len(key) > MAX_KEY_LENGTH or not key.isprintable():
            await _send_problem(send, 422, f"Idempotency-Key must be 1 to {MAX_KEY_LENGTH} printable characters")
            return
        actor = await anyio.to_thread.run_sync(self.authenticate, _header(scope, b"authorization"))
        if actor is None:  # no valid key: nothing to replay; the application answers 401
            await self.app(scope, receive, send)
            return
        claim = Claim(hashlib.sha256(actor.encode()).hexdigest()[:40], key, secrets.token_hex(16))
        where = f"POST {scope['path']}"
        stored = await anyio.to_thread.run_sync(self._reserve, claim, where)
        if stored is not None:
            await _replay(stored, where, receive, send)
            return
        scope.setdefault("state", {})[SCOPE_KEY] = claim
        await self._run(scope, receive, send, claim)

    async def _run(self, scope: Scope, receive: Receive, send: Send, claim: Claim) -> None:
        digest = hashlib.sha256()
        status, body, settled = 500, bytearray(), False

        async def hashing_receive() -> Message:
            message = await receive()
            digest.update(message.get("body", b""))
            return message

        async def settle() -> None:
            nonlocal settled
            if not settled:
                settled = True
                with anyio.CancelScope(shield=True):  # a client that hung up must not leave the key held
                    await anyio.to_thread.run_sync(self._settle, claim, status, bytes(body), digest.hexdigest())

        async def capturing_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body":
                body.extend(message.get("body", b""))
                if not message.get("more_body"):
                    await settle()  # before the client has the answer, so its retry finds it kept
            await send(message)

        try:
            await self.app(scope, hashing_receive, capturing_send)
        finally:
            await settle()

    def _reserve(self, claim: Claim, where: str) -> _Stored | None:
        """Reserve the key for this request (None), or return what is stored under it."""
        for _ in range(2):  # a concurrent insert of the same key (PostgreSQL) is read back once
            try:
                with unit_of_work(self.database_url) as s:
                    return self._reserve_in(s, claim, where)
            except IntegrityError:
                continue
        return _Stored(PENDING, where, "", "")

    def _reserve_in(self, s: Session, claim: Claim, where: str) -> _Stored | None:
        row = s.scalar(select(IdempotencyRecord).filter_by(principal=claim.principal, key=claim.key))
        now = utcnow()
        if row is None:
            s.add(IdempotencyRecord(key=claim.key, principal=claim.principal, method_path=where, request_hash="",
                                    status_code=PENDING, response_body="", token=claim.token, created_at=now))
            s.flush()
            return None
        if row.status_code == PENDING and row.created_at < now - self.lease:
            log.warning("idempotency key of a dead request taken over (lease ran out)")
            row.token, row.created_at, row.method_path = claim.token, now, where
            return None
        return _Stored(row.status_code, row.method_path, row.request_hash, row.response_body)

    def _settle(self, claim: Claim, status: int, body: bytes, digest: str) -> None:
        mine = {"principal": claim.principal, "key": claim.key, "token": claim.token}
        try:
            with unit_of_work(self.database_url) as s:
                if 200 <= status < 300:
                    s.execute(update(IdempotencyRecord).filter_by(**mine).values(
                        status_code=status, request_hash=digest, response_body=body.decode("utf-8", "replace")))
                else:  # nothing was written (a request that committed and then failed stays APPLIED)
                    s.execute(delete(IdempotencyRecord).filter_by(**mine, status_code=PENDING))
        except Exception:  # the lease frees a PENDING key; an APPLIED one is never run twice
            log.exception("idempotency record not settled")


def fence(session: Session, claim: Claim | None) -> None:
    """In the request's own transaction, just before it commits: mark its key APPLIED. If a
    retry took the key over meanwhile (this request outlived its lease), refuse, so the
    transaction rolls back and the write happens once."""
    if claim is None:
        return
    done = session.execute(update(IdempotencyRecord).filter_by(
        principal=claim.principal, key=claim.key, token=claim.token, status_code=PENDING).values(status_code=APPLIED))
    if getattr(done, "rowcount", 0) != 1:
        raise Conflict("this request's Idempotency-Key was taken over by a retry; nothing was written")


def claim_of(scope: Scope) -> Claim | None:
    claim = scope.get("state", {}).get(SCOPE_KEY)
    return claim if isinstance(claim, Claim) else None


async def _replay(row: _Stored, where: str, receive: Receive, send: Send) -> None:
    digest = hashlib.sha256()
    while True:
        message = await receive()
        digest.update(message.get("body", b""))
        if not message.get("more_body") or message["type"] == "http.disconnect":
            break
    if row.status_code == PENDING:
        await _send_problem(send, 409, "a request with this Idempotency-Key is in progress", retry_after=True)
    elif row.method_path != where or (row.request_hash and row.request_hash != digest.hexdigest()):
        await _send_problem(send, 422, "this Idempotency-Key was used for a different request")
    elif row.status_code == APPLIED:
        await _send_problem(send, 409, "a request with this Idempotency-Key was carried out; its answer "
                                       "is not available to replay (it is finishing, or it was lost)",
                            retry_after=True)
    else:
        headers = [(b"content-type", b"application/json"), (b"idempotent-replay", b"true")]
        await send({"type": "http.response.start", "status": row.status_code, "headers": headers})
        await send({"type": "http.response.body", "body": row.response_body.encode()})


def _header(scope: Scope, name: bytes) -> str:
    for k, v in scope.get("headers", []):
        if k == name:
            return str(v.decode("latin-1"))
    return ""


async def _send_problem(send: Send, status: int, detail: str, *, retry_after: bool = False) -> None:
    body: dict[str, Any] = {"type": "https://dossier.example/problems/idempotency", "title": "Idempotency-Key",
                            "status": status, "detail": detail}
    headers = [(b"content-type", PROBLEM.encode())]
    if retry_after:
        headers.append((b"retry-after", b"1"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": json.dumps(body).encode()})
