"""Signed download links: made for a principal, followed only by the same principal, until they
expire, and once when single-use. Which file a link opens, and how, is the caller's (documents);
this module only issues and redeems."""

import hashlib
import secrets
from datetime import datetime, timedelta

from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from service.access.models import DownloadLink
from service.core.clock import utcnow
from service.core.errors import NotFound, ServiceError
from service.core.security import Principal

SALT = "dossier-download-link"


class LinkGone(ServiceError):
    """A link that expired or was used up: 410, so a client knows to ask for a new one."""

    status_code = 410
    title = "Gone"
    type_slug = "link-gone"


def _serializer(secret_key: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret_key, salt=SALT)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue(session: Session, *, secret_key: str, object_type: str, object_id: str, principal: Principal,
          ttl: timedelta, single_use: bool, now: datetime | None = None) -> tuple[str, DownloadLink]:
    moment = now or utcnow()
    token = _serializer(secret_key).dumps({"n": secrets.token_urlsafe(18), "t": object_type})
    link = DownloadLink(token_hash=_hash(token), object_type=object_type, object_id=object_id,
                        actor=principal.actor, single_use=single_use, created_at=moment, expires_at=moment + ttl)
    session.add(link)
    session.flush()
    return token, link


def redeem(session: Session, token: str, principal: Principal, *, secret_key: str,
           now: datetime | None = None) -> DownloadLink:
    """The link, counted as used. A token that is forged, or another principal's, is a 404 (it
    tells nothing); one expired or used up is a 410. The use is claimed by one conditional
    UPDATE, so two requests racing for a single-use link get it once."""
    moment = now or utcnow()
    try:
        _serializer(secret_key).loads(token)
    except BadSignature:
        raise NotFound("no such download link") from None
    link = session.scalar(select(DownloadLink).where(DownloadLink.token_hash == _hash(token)))
    if link is None or link.actor != principal.actor:
        raise NotFound("no such download link")
    if link.expires_at <= moment:
        raise LinkGone(f"the link expired at {link.expires_at.isoformat()}; ask for a new one")
    claimed = session.execute(update(DownloadLink).where(
        DownloadLink.id == link.id, or_(DownloadLink.single_use.is_(False), DownloadLink.used_at.is_(None)))
        .values(used_at=moment, uses=DownloadLink.uses + 1))
    if not getattr(claimed, "rowcount", 0):
        raise LinkGone("the link was single-use and has been used; ask for a new one")
    session.refresh(link)
    return link
