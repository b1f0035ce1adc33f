"""Typed FastAPI dependencies of access: who is calling, and the role each route needs."""

from typing import Annotated

from fastapi import Depends, Request

from service.access import service as access_service
from service.access.security import Permission
from service.core.deps import DbSession
from service.core.errors import Forbidden
from service.core.security import Principal


def get_principal(request: Request, session: DbSession) -> Principal:
    return access_service.authenticate(session, request.headers.get("authorization"))


CurrentPrincipal = Annotated[Principal, Depends(get_principal)]


def require(*roles: str):  # type: ignore[no-untyped-def]
    def check(principal: CurrentPrincipal) -> Principal:
        if principal.role not in roles:
            raise Forbidden(f"role {principal.role!r} may not do this (needs one of {', '.join(roles)})")
        return principal

    return Depends(check)


Staff = Annotated[Principal, require("admin", "legal_staff", "collector")]
Legal = Annotated[Principal, require("admin", "legal_staff")]
Reader = Annotated[Principal, require("admin", "legal_staff", "collector", "law_firm")]
Admin = Annotated[Principal, require("admin")]


def permitted(permission: Permission):  # type: ignore[no-untyped-def]
    def check(principal: CurrentPrincipal) -> Principal:
        return access_service.require_permission(principal, permission)

    return Depends(check)


EvidenceReader = Annotated[Principal, permitted(Permission.EVIDENCE_ORIGINALS)]
PacketBuilder = Annotated[Principal, permitted(Permission.BUILD_PACKET)]
PacketReader = Annotated[Principal, permitted(Permission.DOWNLOAD_PACKET)]
