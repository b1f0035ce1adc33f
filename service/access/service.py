"""Authentication and API keys. Which cases a principal sees is the cases package's
(``cases.service.visible_case``): a law firm is a party of cases, not of access."""

from functools import cache

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import Session

from service.access.models import ApiKey
from service.access.security import PERMISSIONS, ROLES, Permission, key_matches, new_api_key
from service.core import pagination, trail
from service.core.clock import utcnow
from service.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied, Unauthorized
from service.core.security import Principal


@cache
def _live_key() -> Select[ApiKey]:
    """Built once a process: every API request runs it."""
    return select(ApiKey).where(ApiKey.prefix == bindparam("prefix"), ApiKey.revoked_at.is_(None))


def authenticate(session: Session, authorization: str | None) -> Principal:
    if not authorization or not authorization.lower().startswith("bearer "):
        raise Unauthorized("send an API key as 'Authorization: Bearer <key>'")
    key = authorization[7:].strip()
    prefix = key.split(".", 1)[0]
    row = session.scalar(_live_key(), {"prefix": prefix})
    if row is None or not key_matches(key, row.key_hash):
        raise Unauthorized("unknown or revoked API key")
    return Principal(actor=f"apikey:{row.prefix}", role=row.role, law_firm_id=row.law_firm_id)


def require_permission(principal: Principal, permission: Permission) -> Principal:
    if principal.role not in PERMISSIONS[permission]:
        raise PermissionDenied(principal.role, permission.value, sorted(PERMISSIONS[permission]))
    return principal


def create_api_key(session: Session, *, role: str, law_firm_id: int | None = None, label: str = "") -> str:
    """Create a key and return it; only its hash is stored, so this is the one time it is seen.

    A law-firm key is bound to its firm by id; the caller looks the firm up by code
    (``cases.service.firm_id``), so access needs nothing of cases."""
    if role not in ROLES:
        raise InvalidInput.one("role", f"must be one of {', '.join(ROLES)}")
    if role == "law_firm" and law_firm_id is None:
        raise InvalidInput.one("firm", "a law_firm key must name its firm")
    key, prefix, digest = new_api_key()
    session.add(ApiKey(prefix=prefix, key_hash=digest, role=role,
                       law_firm_id=law_firm_id if role == "law_firm" else None, label=label, created_at=utcnow()))
    session.flush()
    return key


def list_api_keys(session: Session, *, cursor: str | None, limit: int) -> tuple[list[ApiKey], str | None]:
    stmt = select(ApiKey).order_by(ApiKey.id)
    if cursor:
        stmt = stmt.where(ApiKey.id > pagination.decode(cursor, int)[0])
    rows = list(session.scalars(stmt.limit(limit + 1)))
    more, rows = len(rows) > limit, rows[:limit]
    return rows, pagination.encode(rows[-1].id) if more and rows else None


def revoke_api_key(session: Session, key_id: int, *, actor: str) -> ApiKey:
    """Revoked at once: the next request with it is a 401. An administrator cannot revoke the
    key it is using (it would lock itself out mid-request)."""
    row = session.get(ApiKey, key_id)
    if row is None:
        raise NotFound(f"API key {key_id} does not exist")
    if actor == f"apikey:{row.prefix}":
        raise Conflict("this is the key the request is made with: revoke it with another admin key")
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        trail.record(session, actor=actor, action="apikey.revoked", object_type="api_key", object_id=row.prefix)
    session.flush()
    return row


def key_row(session: Session, key: str) -> ApiKey:
    row = session.scalar(select(ApiKey).where(ApiKey.prefix == key.split(".", 1)[0]))
    assert row is not None
    return row
