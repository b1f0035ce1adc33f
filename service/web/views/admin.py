"""Administration: web users, API keys (a new key is shown once), the audit trail with the
result of the chain check. Administrators only; every change is in the audit trail."""

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from starlette.responses import RedirectResponse, Response

from service.access import service as access_service
from service.access import users
from service.access.security import ROLES
from service.audit import service as audit_service
from service.cases import search
from service.cases import service as case_service
from service.core.deps import DbSession
from service.core.errors import Forbidden
from service.web.auth import CsrfChecked, CurrentUser, WebUser
from service.web.errors import HTMLRoute
from service.web.templating import render

router = APIRouter(route_class=HTMLRoute, include_in_schema=False, dependencies=[CsrfChecked])


def _admin(user: WebUser) -> None:
    if user.principal.role != "admin":
        raise Forbidden("administrators only")


def _page(request: Request, session: DbSession, user: WebUser, *, new_key: str = "") -> Response:
    keys, _ = access_service.list_api_keys(session, cursor=None, limit=200)
    return render(request, "admin/index.html", {"users": users.list_users(session), "keys": keys,
                                                "roles": ROLES, "firms": search.firm_codes(session),
                                                "new_key": new_key}, user=user)


@router.get("/admin")
def admin_page(request: Request, session: DbSession, user: CurrentUser) -> Response:
    _admin(user)
    return _page(request, session, user)


@router.post("/admin/users")
def create_user(request: Request, session: DbSession, user: CurrentUser, username: Annotated[str, Form(max_length=80)],
                password: Annotated[str, Form(max_length=200)], role: Annotated[str, Form(max_length=20)],
                firm: Annotated[str, Form(max_length=40)] = "",
                display_name: Annotated[str, Form(max_length=120)] = "") -> Response:
    _admin(user)
    firm_id = case_service.firm_id(session, firm) if role == "law_firm" else None
    users.create_user(session, username=username.strip(), password=password, role=role, law_firm_id=firm_id,
                      display_name=display_name, actor=user.principal.actor)
    return RedirectResponse("/admin", status_code=303)


@router.post("/admin/users/{user_id}/{what}")
def enable_user(user_id: int, what: str, session: DbSession, user: CurrentUser) -> Response:
    _admin(user)
    users.set_disabled(session, user_id, what == "disable", actor=user.principal.actor)
    return RedirectResponse("/admin", status_code=303)


@router.post("/admin/keys")
def create_key(request: Request, session: DbSession, user: CurrentUser, role: Annotated[str, Form(max_length=20)],
               firm: Annotated[str, Form(max_length=40)] = "", label: Annotated[str, Form(max_length=120)] = ""
               ) -> Response:
    _admin(user)
    firm_id = case_service.firm_id(session, firm) if role == "law_firm" else None
    key = access_service.create_api_key(session, role=role, law_firm_id=firm_id, label=label)
    return _page(request, session, user, new_key=key)  # shown this once; only its hash is kept


@router.post("/admin/keys/{key_id}/revoke")
def revoke_key(key_id: int, session: DbSession, user: CurrentUser) -> Response:
    _admin(user)
    access_service.revoke_api_key(session, key_id, actor=user.principal.actor)
    return RedirectResponse("/admin", status_code=303)


@router.get("/admin/audit")
def audit_trail(request: Request, session: DbSession, user: CurrentUser,
                case_ref: Annotated[str, Query(max_length=40)] = "", actor: Annotated[str, Query(max_length=120)] = "",
                action: Annotated[str, Query(max_length=80)] = "", verify: bool = False) -> Response:
    _admin(user)
    case_id = case_service.visible_case(session, user.principal, case_ref).id if case_ref else None
    events = audit_service.find_events(session, case_id=case_id, actor=actor.strip(), action=action.strip())
    checked = audit_service.verify(session) if verify else None
    return render(request, "admin/audit.html", {"events": events, "checked": checked, "filters": {
        "case_ref": case_ref, "actor": actor, "action": action}}, user=user)
