"""Errors as application/problem+json (RFC 9457), rendered in one place for the API.

Nothing internal leaks: an unexpected exception becomes a 500 whose text is generic and whose
`error_id` leads to the traceback in the server log.
"""

import json
import logging
import secrets
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from evidence.errors import IntegrityError, ObjectNotFound
from service.core.errors import InvalidInput, RuleViolation, ServiceError, Unauthorized

PROBLEM = "application/problem+json"
TYPE_BASE = "https://dossier.example/problems/"
WWW_AUTHENTICATE = 'Bearer realm="dossier"'

log = logging.getLogger("dossier.errors")

_PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem", "type": "object", "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
        "detail": {"type": "string"},
        "code": {"type": "string", "description": "stable refusal code (evidence uploads)"},
        "permission": {"type": "string", "description": "the permission the caller's role lacks (403)"},
        "error_id": {"type": "string", "description": "quote it to an administrator: it finds the server log"},
        "errors": {"type": "array", "items": {"type": "object", "required": ["field", "message"], "properties": {
            "field": {"type": "string"}, "message": {"type": "string"}}}},
        "violations": {"type": "array", "items": {"type": "object", "required": ["rule", "message"], "properties": {
            "rule": {"type": "string"}, "message": {"type": "string"}}}},
    },
}
_STATUS_TEXT = {400: "Bad request", 401: "No or unknown API key", 403: "The role may not do this",
                404: "No such resource (or not visible to the caller)", 409: "Conflict",
                410: "Gone: the link expired or was used",
                413: "Body larger than its limit", 422: "Invalid input or refused by a rule",
                429: "Rate limit or lock-out; see Retry-After", 500: "Internal error (generic; see error_id)"}


def problem_responses() -> dict[int | str, dict[str, Any]]:
    """The error answers every API operation can give, declared as problem+json."""
    return {status: {"description": text, "content": {PROBLEM: {"schema": _PROBLEM_SCHEMA}}}
            for status, text in _STATUS_TEXT.items()}


def problem_body(status: int, title: str, detail: str, slug: str, **extra: Any) -> dict[str, Any]:
    return {"type": TYPE_BASE + slug, "title": title, "status": status, "detail": detail, **extra}


def problem_bytes(status: int, title: str, detail: str, slug: str, **extra: Any) -> bytes:
    return json.dumps(problem_body(status, title, detail, slug, **extra), ensure_ascii=False).encode()


def problem(status: int, title: str, detail: str, slug: str, *, headers: dict[str, str] | None = None,
            **extra: Any) -> JSONResponse:
    return JSONResponse(problem_body(status, title, detail, slug, **extra), status_code=status, media_type=PROBLEM,
                        headers=headers)


def _service_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ServiceError)
    extra: dict[str, Any] = {}
    if isinstance(exc, RuleViolation):
        extra["violations"] = [v.as_dict() for v in exc.violations]
    if isinstance(exc, InvalidInput):
        extra["errors"] = [{"field": e.field, "message": e.message} for e in exc.errors]
    extra.update(exc.extra())
    headers = {"WWW-Authenticate": WWW_AUTHENTICATE} if isinstance(exc, Unauthorized) else None
    return problem(exc.status_code, exc.title, exc.detail, exc.type_slug, headers=headers or exc.headers(), **extra)


def _field_name(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or "body"


def _message(error: dict[str, Any]) -> str:
    # Pydantic prefixes the text of a ValueError raised by a validator; the field name says enough.
    return str(error["msg"]).removeprefix("Value error, ")


def _validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [{"field": _field_name(tuple(e["loc"])), "message": _message(e)} for e in exc.errors()]
    detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
    return problem(422, "Invalid input", detail, "invalid-input", errors=errors)


def _http_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    headers = dict(exc.headers or {})  # Allow on a 405, WWW-Authenticate on a 401
    if exc.status_code == 401:
        headers.setdefault("WWW-Authenticate", WWW_AUTHENTICATE)
    return problem(exc.status_code, _TITLES.get(exc.status_code, "Request failed"), str(exc.detail),
                   _SLUGS.get(exc.status_code, "http-error"), headers=headers)


_TITLES = {404: "Not found", 405: "Method not allowed", 413: "Payload too large", 401: "Unauthorized"}
_SLUGS = {404: "not-found", 405: "method-not-allowed", 413: "payload-too-large", 401: "unauthorized"}


def _missing_object(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ObjectNotFound)
    error_id = _log_failure("stored object missing", exc)
    return problem(404, "Not found", "the stored file is missing; an administrator has been told",
                   "stored-file-missing", error_id=error_id)


def _unexpected(_request: Request, exc: Exception) -> JSONResponse:
    # IntegrityError (stored bytes no longer match their hash) lands here too: it is ours to fix.
    error_id = _log_failure("unhandled error" if not isinstance(exc, IntegrityError) else "stored object corrupt",
                            exc)
    return problem(500, "Internal error", "the server could not complete the request; quote the error id to "
                   "an administrator", "internal-error", error_id=error_id)


def _log_failure(what: str, exc: Exception) -> str:
    error_id = secrets.token_hex(6)
    log.error("%s (error_id=%s)", what, error_id, exc_info=exc)
    return error_id


def install(app: FastAPI) -> None:
    app.add_exception_handler(ServiceError, _service_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(ObjectNotFound, _missing_object)
    app.add_exception_handler(Exception, _unexpected)
