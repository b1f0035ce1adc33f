"""The UI's one error surface: the service's error tree (and sign-in and CSRF refusals) become
HTML pages, where the API turns the same errors into problem+json. Every web route uses this
route class, so a refusal by a rule shows its rule ids and messages exactly as the API lists them."""

import inspect
import logging
import re
import secrets
from collections.abc import Callable, Coroutine
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from pydantic import ValidationError
from starlette.exceptions import HTTPException
from starlette.responses import RedirectResponse, Response
from starlette.types import Scope

from service.core.errors import InvalidInput, RuleViolation, ServiceError, Violation
from service.web import auth
from service.web.i18n import Translator
from service.web.templating import render

log = logging.getLogger("dossier.web")
CASE_ACTION = re.compile(r"^/cases/([^/]+)/")
Handler = Callable[[Request], Coroutine[Any, Any, Response]]


def is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


def is_page_request(request: Request) -> bool:
    """A browser asking for a page (or htmx for a fragment), not an API client."""
    if request.url.path.startswith("/v1/"):
        return False
    return is_htmx(request) or "text/html" in request.headers.get("accept", "")


def refusal_page(scope: Scope, status: int, wait: int | None) -> tuple[bytes, list[tuple[bytes, bytes]]] | None:
    """What the request guard answers a browser it refuses (too many requests, a body too large):
    the error page in the browser's language instead of problem+json."""
    request = Request(scope)
    if not is_page_request(request):
        return None
    detail = Translator(auth.locale_of(request))("error.retry", seconds=wait) if wait else ""
    response = error_page(request, status, f"error.{status}", detail)
    return bytes(response.body), [(k, v) for k, v in response.raw_headers if k.lower() != b"content-length"]


def install_page_errors(app: FastAPI) -> None:
    """An unknown URL or a wrong method opened in a browser gets the error page; the API keeps
    the problem+json handler installed before this."""
    api_handler = app.exception_handlers[HTTPException]

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        if is_page_request(request):
            return error_page(request, exc.status_code, f"error.{exc.status_code}")
        answer = api_handler(request, exc)
        return await answer if inspect.isawaitable(answer) else answer

    app.add_exception_handler(HTTPException, http_error)


def sign_in_redirect(request: Request) -> Response:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    url = "/signin?next=" + quote(target, safe="")
    if is_htmx(request):
        return Response(status_code=204, headers={"HX-Redirect": url})
    return RedirectResponse(url, status_code=303)


def error_page(request: Request, status: int, title_key: str, detail: str = "", *,
               violations: list[Violation] | None = None, errors: list[dict[str, str]] | None = None) -> Response:
    # A refused action on a case leads back to that case (its ref as the URL gave it, escaped on output).
    on_case = CASE_ACTION.match(request.url.path) if status != 404 else None
    context = {"status": status, "title_key": title_key, "detail": detail, "violations": violations or [],
               "errors": errors or [], "back_to_case": on_case.group(1) if on_case else ""}
    name = "_refusal.html" if is_htmx(request) else "error.html"
    response = render(request, name, context, status_code=status)
    if is_htmx(request):  # htmx swaps only 2xx answers unless told: show the refusal where asked
        response.headers["HX-Retarget"] = request.headers.get("hx-target-error", "#flash")
        response.headers["HX-Reswap"] = "innerHTML"
    return response


def service_error_page(request: Request, exc: ServiceError) -> Response:
    violations = exc.violations if isinstance(exc, RuleViolation) else None
    errors = [{"field": e.field, "message": e.message} for e in exc.errors] if isinstance(exc, InvalidInput) else None
    return error_page(request, exc.status_code, f"error.{exc.status_code}", exc.detail,
                      violations=violations, errors=errors)


class HTMLRoute(APIRoute):
    def get_route_handler(self) -> Handler:
        handler = super().get_route_handler()

        async def html_errors(request: Request) -> Response:
            try:
                return await handler(request)
            except auth.SignInRequired:
                return sign_in_redirect(request)
            except auth.CsrfRefused:
                return error_page(request, 403, "error.csrf")
            except ServiceError as exc:
                return service_error_page(request, exc)
            except ValidationError as exc:  # a form turned into the API's input schema
                errors = [{"field": ".".join(str(p) for p in e["loc"]) or "form", "message": str(e["msg"])}
                          for e in exc.errors()]
                return error_page(request, 422, "error.422", errors=errors)
            except RequestValidationError as exc:
                errors = [{"field": ".".join(str(p) for p in e["loc"][1:]) or "form", "message": str(e["msg"])}
                          for e in exc.errors()]
                return error_page(request, 422, "error.422", errors=errors)
            except HTTPException as exc:
                return error_page(request, exc.status_code, f"error.{exc.status_code}", str(exc.detail))
            except Exception as exc:  # nothing internal leaks: the id finds the traceback in the log
                error_id = secrets.token_hex(6)
                log.error("unhandled error in the web UI (error_id=%s)", error_id, exc_info=exc)
                return error_page(request, 500, "error.500", f"error id {error_id}")

        return html_errors
