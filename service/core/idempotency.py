"""Idempotency-Key on every POST: a retry replays the first answer instead of acting twice.

A placeholder row is written before the request runs (the unique key makes a concurrent
duplicate fail fast with 409); a 2xx answer is then kept and replayed for the same key and the
same body, a different body under the same key is refused, and a failed request frees the key.
The body is hashed as it streams through, so large uploads are never held in memory here.
"""

import hashlib
import json
from datetime import datetime
from typing import Any

from sqlalchemy import String, Text, UniqueConstraint, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.core.clock import utcnow
from service.core.db import Base, UTCDateTime, session_factory
from service.core.problems import PROBLEM

PENDING = -1


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
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class IdempotencyMiddleware:
    def __init__(self, app: ASGIApp, database_url: str) -> None:
        self.app = app
        self.database_url = database_url

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        key = _header(scope, b"idempotency-key")
        if scope["type"] != "http" or scope["method"] != "POST" or not key:
            await self.app(scope, receive, send)
            return
        principal = hashlib.sha256(_header(scope, b"authorization").encode()).hexdigest()[:40]
        where = f"POST {scope['path']}"
        existing = self._find(principal, key)
        if existing is not None:
            await self._replay(existing, where, receive, send)
            return
        if not self._reserve(principal, key, where):
            await _send_problem(send, 409, "a request with this Idempotency-Key is in progress")
            return
        await self._run(scope, receive, send, principal, key)

    async def _run(self, scope: Scope, receive: Receive, send: Send, principal: str, key: str) -> None:
        digest = hashlib.sha256()
        status, body = 500, bytearray()

        async def hashing_receive() -> Message:
            message = await receive()
            digest.update(message.get("body", b""))
            return message

        async def capturing_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body":
                body.extend(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, hashing_receive, capturing_send)
        finally:
            self._settle(principal, key, status, bytes(body), digest.hexdigest())

    def _find(self, principal: str, key: str) -> IdempotencyRecord | None:
        with session_factory(self.database_url)() as s:
            return s.scalar(select(IdempotencyRecord).filter_by(principal=principal, key=key))

    def _reserve(self, principal: str, key: str, where: str) -> bool:
        with session_factory(self.database_url)() as s:
            s.add(IdempotencyRecord(key=key, principal=principal, method_path=where, request_hash="",
                                    status_code=PENDING, response_body="", created_at=utcnow()))
            try:
                s.commit()
            except IntegrityError:
                return False
        return True

    def _settle(self, principal: str, key: str, status: int, body: bytes, digest: str) -> None:
        with session_factory(self.database_url)() as s:
            if 200 <= status < 300:
                row = s.scalar(select(IdempotencyRecord).filter_by(principal=principal, key=key))
                if row is not None:
                    row.status_code, row.request_hash = status, digest
                    row.response_body = body.decode("utf-8", "replace")
            else:
                s.execute(delete(IdempotencyRecord).filter_by(principal=principal, key=key))
            s.commit()

    async def _replay(self, row: IdempotencyRecord, where: str, receive: Receive, send: Send) -> None:
        digest = hashlib.sha256()
        while True:
            message = await receive()
            digest.update(message.get("body", b""))
            if not message.get("more_body"):
                break
        if row.status_code == PENDING:
            await _send_problem(send, 409, "a request with this Idempotency-Key is in progress")
        elif row.method_path != where or row.request_hash != digest.hexdigest():
            await _send_problem(send, 422, "this Idempotency-Key was used for a different request")
        else:
            headers = [(b"content-type", b"application/json"), (b"idempotent-replay", b"true")]
            await send({"type": "http.response.start", "status": row.status_code, "headers": headers})
            await send({"type": "http.response.body", "body": row.response_body.encode()})


def _header(scope: Scope, name: bytes) -> str:
    for k, v in scope.get("headers", []):
        if k == name:
            return str(v.decode("latin-1"))
    return ""


async def _send_problem(send: Send, status: int, detail: str) -> None:
    body: dict[str, Any] = {"type": "https://dossier.example/problems/idempotency", "title": "Idempotency-Key",
                            "status": status, "detail": detail}
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", PROBLEM.encode())]})
    await send({"type": "http.response.body", "body": json.dumps(body).encode()})
