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


# The role checks are `async def`: they do no I/O, so FastAPI runs them on the event loop instead
# of handing each to a worker thread and back (a thread hop a dependency, every request).
def require(*roles: str):  # type: ignore[no-untyped-def]
    async def check(principal: CurrentPrincipal) -> Principal:
        if principal.role not in roles:
            raise Forbidden(f"role {principal.role!r} may not do this (needs one of {', '.join(roles)})")
        return principal

    return Depends(check)


Staff = Annotated[Principal, require("admin", "legal_staff", "collector")]
Legal = Annotated[Principal, require("admin", "legal_staff")]
Reader = Annotated[Principal, require("admin", "legal_staff", "collector", "law_firm")]
Admin = Annotated[Principal, require("admin")]


def permitted(permission: Permission):  # type: ignore[no-untyped-def]
    async def check(principal: CurrentPrincipal) -> Principal:
        return access_service.require_permission(principal, permission)

    return Depends(check)


EvidenceReader = Annotated[Principal, permitted(Permission.EVIDENCE_ORIGINALS)]
PacketBuilder = Annotated[Principal, permitted(Permission.BUILD_PACKET)]
PacketReader = Annotated[Principal, permitted(Permission.DOWNLOAD_PACKET)]
