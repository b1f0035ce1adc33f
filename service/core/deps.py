"""Typed FastAPI dependencies: routes stay three lines long."""

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from service.access import service as access_service
from service.access.security import Permission, Principal
from service.cases.models import DebtCase
from service.core.db import unit_of_work
from service.core.errors import Forbidden
from service.core.settings import Settings


def get_settings_dep(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


AppSettings = Annotated[Settings, Depends(get_settings_dep)]


def get_session(settings: AppSettings) -> Iterator[Session]:
    """One transaction per request, committed at the boundary."""
    with unit_of_work(settings.database_url) as session:
        yield session


DbSession = Annotated[Session, Depends(get_session, scope="function")]


def get_principal(request: Request, session: DbSession) -> Principal:
    return access_service.authenticate(session, request.headers.get("authorization"))


CurrentPrincipal = Annotated[Principal, Depends(get_principal)]


def require(*roles: str):  # type: ignore[no-untyped-def]
    def check(principal: CurrentPrincipal) -> Principal:
        if principal.role not in roles:
            raise Forbidden(f"role {principal.role!r} may not do this (needs one of {', '.join(roles)})")
        return principal

    return Depends(check)


def permitted(permission: Permission):  # type: ignore[no-untyped-def]
    def check(principal: CurrentPrincipal) -> Principal:
        return access_service.require_permission(principal, permission)

    return Depends(check)


def get_case_or_404(ref: str, session: DbSession, principal: CurrentPrincipal) -> DebtCase:
    return access_service.visible_case(session, principal, ref)


CurrentCase = Annotated[DebtCase, Depends(get_case_or_404)]

Staff = Annotated[Principal, require("admin", "legal_staff", "collector")]
Legal = Annotated[Principal, require("admin", "legal_staff")]
Reader = Annotated[Principal, require("admin", "legal_staff", "collector", "law_firm")]
Admin = Annotated[Principal, require("admin")]
EvidenceReader = Annotated[Principal, permitted(Permission.EVIDENCE_ORIGINALS)]
PacketMaker = Annotated[Principal, permitted(Permission.PACKETS)]
