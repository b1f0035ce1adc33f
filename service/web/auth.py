"""Who is signed in, from the session cookie, and the CSRF check of every POST.

The session cookie holds a random token (HttpOnly, SameSite=Lax, Secure when the request came over
TLS); the server keeps its hash (``access.users``). Before sign-in a browser gets a random
pre-session cookie instead. A form's CSRF token is an HMAC of whichever of the two the browser
holds, so a page of another site can neither read nor forge it, and signing in changes it.
"""

import hashlib
import hmac
import secrets
from typing import Annotated

from fastapi import Depends, Request
from starlette.responses import Response

from service.access import users
from service.access.users import WebUser as WebUser
from service.core.deps import SAFE_METHODS, DbSession
from service.core.security import Principal
from service.web.i18n import pick_locale

SESSION_COOKIE = "dossier_session"
PRE_COOKIE = "dossier_pre"
LANG_COOKIE = "dossier_lang"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
_PRE_SCOPE_KEY = "dossier.pre_cookie"


class SignInRequired(Exception):
    """No (valid) session: the page redirects to sign-in and comes back."""


class CsrfRefused(Exception):
    """A POST without the form's CSRF token (or with a wrong one)."""


def locale_of(request: Request) -> str:
    return pick_locale(request.cookies.get(LANG_COOKIE))


def _secret(request: Request) -> bytes:
    return str(request.app.state.settings.secret_key).encode()


def _binding(request: Request) -> str:
    """What the CSRF token is bound to: the session if any, else the pre-session cookie (made now
    for a first visit and set on the answer by ``ensure_pre_cookie``)."""
    token = request.cookies.get(SESSION_COOKIE) or request.cookies.get(PRE_COOKIE)
    if token:
        return "s:" + token if request.cookies.get(SESSION_COOKIE) else "p:" + token
    made: str = request.scope.setdefault(_PRE_SCOPE_KEY, secrets.token_urlsafe(24))
    return "p:" + made


def csrf_token(request: Request) -> str:
    return hmac.new(_secret(request), b"csrf:" + _binding(request).encode(), hashlib.sha256).hexdigest()


def ensure_pre_cookie(request: Request, response: Response) -> None:
    made = request.scope.get(_PRE_SCOPE_KEY)
    if made:
        set_cookie(request, response, PRE_COOKIE, made, max_age=None)


def set_cookie(request: Request, response: Response, name: str, value: str, *, max_age: int | None) -> None:
    response.set_cookie(name, value, max_age=max_age, httponly=True, samesite="lax",
                        secure=request.url.scheme == "https", path="/")


async def check_csrf(request: Request) -> None:
    """Every state-changing request carries the token, as a form field or (htmx) a header."""
    if request.method in SAFE_METHODS:
        return
    sent = request.headers.get(CSRF_HEADER, "")
    if not sent and request.headers.get("content-type", "").startswith(
            ("application/x-www-form-urlencoded", "multipart/form-data")):
        form = await request.form()
        value = form.get(CSRF_FIELD)
        sent = value if isinstance(value, str) else ""
    has_binding = request.cookies.get(SESSION_COOKIE) or request.cookies.get(PRE_COOKIE)
    if not has_binding or not hmac.compare_digest(sent, csrf_token(request)):
        raise CsrfRefused()


def get_web_user(request: Request, session: DbSession) -> WebUser:
    user = users.session_user(session, request.cookies.get(SESSION_COOKIE, ""))
    if user is None:
        raise SignInRequired()
    return user


def get_optional_user(request: Request, session: DbSession) -> WebUser | None:
    return users.session_user(session, request.cookies.get(SESSION_COOKIE, ""))


def get_principal(user: "CurrentUser") -> Principal:
    return user.principal


CurrentUser = Annotated[WebUser, Depends(get_web_user)]
OptionalUser = Annotated[WebUser | None, Depends(get_optional_user)]
WebPrincipal = Annotated[Principal, Depends(get_principal)]
CsrfChecked = Depends(check_csrf)
