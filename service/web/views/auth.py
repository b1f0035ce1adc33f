"""Sign-in, sign-out, the language switch and the front door."""

from typing import Annotated

from fastapi import APIRouter, Form, Request
from starlette.responses import RedirectResponse, Response

from service.access import users
from service.core.deps import AppSettings, DbSession
from service.web import auth
from service.web.auth import CsrfChecked, OptionalUser
from service.web.errors import HTMLRoute
from service.web.i18n import LOCALES
from service.web.templating import render

router = APIRouter(route_class=HTMLRoute, include_in_schema=False)


def safe_next(value: str | None, default: str = "/cases") -> str:
    """Only a path of this site (never '//host' or a scheme): no open redirect."""
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return default


@router.get("/")
def front_door(user: OptionalUser) -> Response:
    return RedirectResponse("/cases" if user else "/signin", status_code=303)


@router.get("/signin", name="web.signin")
def signin_page(request: Request, user: OptionalUser, next: str | None = None) -> Response:
    if user is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return render(request, "signin.html", {"next": safe_next(next), "failure": None, "username": ""})


@router.post("/signin", dependencies=[CsrfChecked])
def signin(request: Request, session: DbSession, settings: AppSettings, username: Annotated[str, Form(max_length=80)],
           password: Annotated[str, Form(max_length=200)], next: Annotated[str, Form(max_length=500)] = "/cases"
           ) -> Response:
    try:
        signed_in = users.sign_in(session, settings, username.strip(), password)
    except users.SignInRefused as refused:
        # 401: the request guard counts it against the address (its lock-out across accounts).
        failure = "signin.locked" if refused.locked else "signin.invalid"
        return render(request, "signin.html", {"next": safe_next(next), "failure": failure, "username": username},
                      status_code=401)
    response = RedirectResponse(safe_next(next), status_code=303)
    auth.set_cookie(request, response, auth.SESSION_COOKIE, signed_in.token,
                    max_age=settings.web_session_hours * 3600)
    response.delete_cookie(auth.PRE_COOKIE, path="/")
    return response


@router.post("/signout", dependencies=[CsrfChecked])
def signout(request: Request, session: DbSession) -> Response:
    users.sign_out(session, request.cookies.get(auth.SESSION_COOKIE, ""))
    response = RedirectResponse("/signin", status_code=303)
    response.delete_cookie(auth.SESSION_COOKIE, path="/")
    return response


@router.get("/lang/{locale}")
def switch_language(request: Request, locale: str, next: str | None = None) -> Response:
    response = RedirectResponse(safe_next(next), status_code=303)
    if locale in LOCALES:
        auth.set_cookie(request, response, auth.LANG_COOKIE, locale, max_age=365 * 24 * 3600)
    return response
