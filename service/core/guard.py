"""The API's front door: what is refused before a request reaches a route, and the headers every
answer carries.

Refused here, before a byte of the body is read:
- a body larger than its limit (413): JSON bodies have one limit, multipart uploads their own;
- an API request without credentials (401), so nobody can make the server read a large body
  unauthenticated;
- too many requests for one key or one address, and any request from an address that sent too
  many bad keys (429 with ``Retry-After``), counted with the ``limits`` library;
- control characters in the path or the query string, and an over-long ``Idempotency-Key`` (422).

A browser's page request (not under /v1/, asking for HTML) gets its refusal as a page in its
language from ``page``, a renderer the app wires in from the UI; the API always gets problem+json.

Every answer gets ``X-Content-Type-Options: nosniff``, and every answer but a static asset
``Cache-Control: no-store``: API answers and UI pages carry personal data, downloads are court
files. Static assets and health probes are not counted against an address's rate limit.
"""

import hashlib
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, unquote

from limits import RateLimitItem, parse
from limits.aio.strategies import MovingWindowRateLimiter
from limits.storage import storage_from_string
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.core.problems import problem_bytes
from service.core.settings import Settings
from service.core.text import text_problem

API_PREFIX = "/v1/"
STATIC_PREFIX = "/static/"
UNCOUNTED = ("/healthz", "/readyz")
MAX_IDEMPOTENCY_KEY = 200
# (scope, status, seconds to wait or None) -> (body, headers) of an HTML page, or None: not a page request
RefusalPage = Callable[[Scope, int, int | None], tuple[bytes, list[tuple[bytes, bytes]]] | None]


class BodyTooLarge(HTTPException):
    """Raised from `receive` when a body without a Content-Length passes its limit; an
    HTTPException so the framework's body parser lets it through as a 413."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"the request body is larger than the limit of {limit} bytes")


@dataclass(frozen=True)
class _Refusal:
    status: int
    slug: str
    title: str
    detail: str
    headers: tuple[tuple[bytes, bytes], ...] = ()
    extra: tuple[tuple[str, Any], ...] = ()


class RequestGuard:
    def __init__(self, app: ASGIApp, settings: Settings, page: RefusalPage | None = None) -> None:
        self.app = app
        self.settings = settings
        self.page = page
        # limits' asyncio Redis storage takes coredis unless told otherwise; redis-py is installed
        # already (Celery's broker client)
        shared = settings.rate_limit_storage.startswith(("async+redis", "async+rediss"))
        storage = storage_from_string(settings.rate_limit_storage, **({"implementation": "redispy"} if shared else {}))
        self.limiter = MovingWindowRateLimiter(storage)
        self.per_key = parse(settings.rate_limit_per_key)
        self.per_address = parse(settings.rate_limit_per_address)
        self.lockout = parse(settings.auth_failure_limit)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        api, static = path.startswith(API_PREFIX), path.startswith(STATIC_PREFIX)
        address = "" if static or path in UNCOUNTED else _client_address(scope)
        refusal = _malformed(scope) or await self._refuse_early(scope, address, api)
        if refusal is not None:
            await _refuse(send, refusal, not static, self._page(scope, api, refusal))
            return
        limit = self._body_limit(scope)
        status = 0

        async def guarded_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message = {**message, "headers": _secure_headers(message.get("headers", []), not static)}
            await send(message)

        try:
            await self.app(scope, _bounded(receive, limit), guarded_send)
        except BodyTooLarge as exc:
            # Read by a middleware rather than a route (an idempotent replay hashes the body).
            if status:
                raise
            refusal = _Refusal(413, "payload-too-large", "Payload too large", str(exc.detail))
            await _refuse(send, refusal, not static, self._page(scope, api, refusal))
            return
        if status == 401 and address:
            await self.limiter.hit(self.lockout, "auth-failure", address)

    def _page(self, scope: Scope, api: bool, refusal: _Refusal) -> tuple[bytes, list[tuple[bytes, bytes]]] | None:
        if api or self.page is None:
            return None
        wait = next((int(v) for k, v in refusal.headers if k.lower() == b"retry-after"), None)
        return self.page(scope, refusal.status, wait)

    async def _refuse_early(self, scope: Scope, address: str, api: bool) -> _Refusal | None:
        limit = self._body_limit(scope)
        length = _content_length(scope)
        if length is not None and length > limit:
            return _Refusal(413, "payload-too-large", "Payload too large",
                            f"the request body has {length} bytes, more than the limit of {limit}")
        if address and not await self.limiter.test(self.lockout, "auth-failure", address):
            wait = await self._retry_after(self.lockout, "auth-failure", address)
            return _too_many(f"too many requests with a bad API key from this address; retry in {wait} s", wait)
        if address and not await self.limiter.hit(self.per_address, "address", address):
            wait = await self._retry_after(self.per_address, "address", address)
            return _too_many(f"too many requests from this address (limit {self.per_address}); "
                             f"retry in {wait} s", wait)
        credential = _header(scope, b"authorization")
        if api and not credential.lower().startswith("bearer "):
            return _Refusal(401, "unauthorized", "Unauthorized", "send an API key as 'Authorization: Bearer <key>'",
                            headers=((b"www-authenticate", b'Bearer realm="dossier"'),))
        if credential:
            key = hashlib.sha256(credential.encode("latin-1")).hexdigest()
            if not await self.limiter.hit(self.per_key, "key", key):
                wait = await self._retry_after(self.per_key, "key", key)
                return _too_many(f"too many requests with this API key (limit {self.per_key}); retry in {wait} s",
                                 wait)
        return None

    async def _retry_after(self, item: RateLimitItem, *ids: str) -> int:
        stats = await self.limiter.get_window_stats(item, *ids)
        return max(1, math.ceil(stats.reset_time - time.time()))

    def _body_limit(self, scope: Scope) -> int:
        content_type = _header(scope, b"content-type").lower()
        if content_type.startswith("multipart/form-data"):
            # The file's own limit is enforced exactly while it is spooled; this one only
            # allows for the form's other fields and boundaries around it.
            return self.settings.max_upload_bytes + self.settings.max_body_bytes
        return self.settings.max_body_bytes


def _malformed(scope: Scope) -> _Refusal | None:
    """Control characters in the path or query, or an Idempotency-Key longer than we keep."""
    key = _header(scope, b"idempotency-key")
    if len(key) > MAX_IDEMPOTENCY_KEY:
        return _invalid("Idempotency-Key", f"must be at most {MAX_IDEMPOTENCY_KEY} characters (got {len(key)})")
    if (found := text_problem(scope["path"])) is not None:
        return _invalid("path", found)
    query = scope.get("query_string", b"").decode("latin-1")
    try:
        pairs = parse_qsl(query, keep_blank_values=True, errors="strict")
    except UnicodeDecodeError:
        return _invalid("query", "is not valid UTF-8")
    for name, value in pairs:
        if (found := text_problem(name) or text_problem(value)) is not None:
            return _invalid(unquote(name)[:40] or "query", found)
    return None


def _invalid(field: str, message: str) -> _Refusal:
    return _Refusal(422, "invalid-input", "Invalid input", f"{field}: {message}",
                    extra=(("errors", [{"field": field, "message": message}]),))


def _too_many(detail: str, wait: int) -> _Refusal:
    return _Refusal(429, "too-many-requests", "Too many requests", detail,
                    headers=((b"retry-after", str(wait).encode()),))


def _bounded(receive: Receive, limit: int) -> Receive:
    """Count body bytes as they arrive; past the limit the read fails with a 413."""
    seen = 0

    async def bounded_receive() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise BodyTooLarge(limit)
        return message

    return bounded_receive


async def _refuse(send: Send, refusal: _Refusal, private: bool,
                  page: tuple[bytes, list[tuple[bytes, bytes]]] | None = None) -> None:
    # The body is deliberately left unread: the server closes the connection after answering.
    if page is not None:
        body, page_headers = page
        headers = [*page_headers, (b"content-length", str(len(body)).encode()), *refusal.headers]
    else:
        body = problem_bytes(refusal.status, refusal.title, refusal.detail, refusal.slug, **dict(refusal.extra))
        headers = [(b"content-type", b"application/problem+json"), (b"content-length", str(len(body)).encode()),
                   *refusal.headers]
    if refusal.status == 413:
        headers.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": refusal.status,
                "headers": _secure_headers(headers, private)})
    await send({"type": "http.response.body", "body": body})


def _secure_headers(headers: Any, private: bool) -> list[tuple[bytes, bytes]]:
    out = [(k, v) for k, v in headers if k.lower() not in (b"server", b"x-content-type-options")]
    out.append((b"x-content-type-options", b"nosniff"))
    if private and not any(k.lower() == b"cache-control" for k, _ in out):
        out.append((b"cache-control", b"no-store"))
    return out


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope.get("headers", []):
        if key == name:
            return str(value.decode("latin-1"))
    return ""


def _content_length(scope: Scope) -> int | None:
    value = _header(scope, b"content-length")
    return int(value) if value.isdigit() else None


def _client_address(scope: Scope) -> str:
    client = scope.get("client")
    return str(client[0]) if client else ""
