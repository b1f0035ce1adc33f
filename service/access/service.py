"""Authentication and case visibility (a law firm sees only its assigned cases)."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.access.models import ApiKey, LawFirm
from service.access.security import PERMISSIONS, ROLES, Permission, Principal, key_matches, new_api_key
from service.cases.models import DebtCase
from service.core.clock import utcnow
from service.core.errors import CaseNotFound, InvalidInput, PermissionDenied, Unauthorized


def authenticate(session: Session, authorization: str | None) -> Principal:
    if not authorization or not authorization.lower().startswith("bearer "):
        raise Unauthorized("send an API key as 'Authorization: Bearer <key>'")
    key = authorization[7:].strip()
    prefix = key.split(".", 1)[0]
    row = session.scalar(select(ApiKey).where(ApiKey.prefix == prefix, ApiKey.revoked_at.is_(None)))
    if row is None or not key_matches(key, row.key_hash):
        raise Unauthorized("unknown or revoked API key")
    return Principal(actor=f"apikey:{row.prefix}", role=row.role, law_firm_id=row.law_firm_id)


def require_permission(principal: Principal, permission: Permission) -> Principal:
    if not principal.may(permission):
        raise PermissionDenied(principal.role, permission.value, sorted(PERMISSIONS[permission]))
    return principal


def visible_case(session: Session, principal: Principal, ref: str) -> DebtCase:
    case = session.scalar(select(DebtCase).where(DebtCase.ref == ref))
    if case is None or (principal.is_law_firm and case.law_firm_id != principal.law_firm_id):
        raise CaseNotFound(ref)  # another firm's case is indistinguishable from no case
    return case


def create_api_key(session: Session, *, role: str, firm_code: str | None = None, label: str = "") -> str:
    """Create a key and return it; only its hash is stored, so this is the one time it is seen."""
    if role not in ROLES:
        raise InvalidInput.one("role", f"must be one of {', '.join(ROLES)}")
    firm_id = None
    if role == "law_firm":
        if not firm_code:
            raise InvalidInput.one("firm", "a law_firm key must name its firm")
        firm = session.scalar(select(LawFirm).where(LawFirm.code == firm_code))
        if firm is None:
            raise InvalidInput.one("firm", f"no law firm with code {firm_code!r}")
        firm_id = firm.id
    key, prefix, digest = new_api_key()
    session.add(ApiKey(prefix=prefix, key_hash=digest, role=role, law_firm_id=firm_id, label=label,
                       created_at=utcnow()))
    session.flush()
    return key
