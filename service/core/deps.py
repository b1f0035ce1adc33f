"""Typed FastAPI dependencies: routes stay three lines long."""

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from service.access import service as access_service
from service.access.security import Principal
from service.cases.models import DebtCase
from service.core import idempotency
from service.core.db import unit_of_work
from service.core.errors import Forbidden
from service.core.settings import Settings


def get_settings_dep(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


AppSettings = Annotated[Settings, Depends(get_settings_dep)]


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def get_session(request: Request, settings: AppSettings) -> Iterator[Session]:
    """One transaction per request, committed at the boundary. A request that changes something
    starts as a writer (on SQLite it queues for the write lock before reading, so what it reads
    is what it writes against); a GET reads beside the writer and becomes one only to append an
    audit event. A POST under an Idempotency-Key marks its key used in this same transaction."""
    with unit_of_work(settings.database_url, write=request.method not in SAFE_METHODS) as session:
        yield session
        idempotency.fence(session, idempotency.claim_of(request.scope))


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


def get_case_or_404(ref: str, request: Request, session: DbSession, principal: CurrentPrincipal) -> DebtCase:
    case = access_service.visible_case(session, principal, ref)
    if request.method not in SAFE_METHODS:  # writers to one case queue on its row (PostgreSQL)
        session.refresh(case, with_for_update=True)
    return case


CurrentCase = Annotated[DebtCase, Depends(get_case_or_404)]

Staff = Annotated[Principal, require("admin", "legal_staff", "collector")]
Legal = Annotated[Principal, require("admin", "legal_staff")]
Reader = Annotated[Principal, require("admin", "legal_staff", "collector", "law_firm")]
Admin = Annotated[Principal, require("admin")]
