"""Webhook use-cases: endpoints (register, list, disable), events published into deliveries,
deliveries and attempts listed, a delivery replayed. Flush only; the boundary commits."""

import base64
import json
import secrets
from collections.abc import Sequence
from typing import Any, TypeVar

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from service.core import pagination, trail
from service.core.clock import utcnow
from service.core.errors import Conflict, NotFound
from service.core.security import Principal
from service.webhooks import delivery
from service.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from service.webhooks.schemas import EndpointIn


def new_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()


def create_endpoint(session: Session, data: EndpointIn, principal: Principal) -> WebhookEndpoint:
    endpoint = WebhookEndpoint(url=data.url, secret=new_secret(), event_types=[str(t) for t in data.event_types],
                               description=data.description, owner=principal.actor, created_at=utcnow())
    session.add(endpoint)
    session.flush()
    trail.record(session, actor=principal.actor, action="webhook.endpoint_created", object_type="webhook_endpoint",
                 object_id=endpoint.id, data={"url": endpoint.url, "event_types": endpoint.event_types})
    return endpoint


S = TypeVar("S", bound=Select[Any])


def _visible(stmt: S, principal: Principal) -> S:
    """An administrator sees every endpoint; any other key only those it registered."""
    return stmt if principal.role == "admin" else stmt.where(WebhookEndpoint.owner == principal.actor)


def get_endpoint(session: Session, endpoint_id: int, principal: Principal) -> WebhookEndpoint:
    endpoint = session.scalar(_visible(select(WebhookEndpoint).where(WebhookEndpoint.id == endpoint_id), principal))
    if endpoint is None:
        raise NotFound(f"webhook endpoint {endpoint_id} does not exist")
    return endpoint


def list_endpoints(session: Session, principal: Principal, *, cursor: str | None, limit: int
                   ) -> tuple[Sequence[WebhookEndpoint], str | None]:
    stmt = _visible(select(WebhookEndpoint), principal).order_by(WebhookEndpoint.id)
    if cursor:
        stmt = stmt.where(WebhookEndpoint.id > pagination.decode(cursor, int)[0])
    return _page(session.scalars(stmt.limit(limit + 1)).all(), limit)


def disable_endpoint(session: Session, endpoint_id: int, principal: Principal) -> WebhookEndpoint:
    endpoint = get_endpoint(session, endpoint_id, principal)
    if endpoint.disabled_at is None:
        endpoint.disabled_at = utcnow()
        trail.record(session, actor=principal.actor, action="webhook.endpoint_disabled",
                     object_type="webhook_endpoint", object_id=endpoint.id)
    session.flush()
    return endpoint


def publish(session: Session, event_type: str, data: dict[str, Any], *, owner: str | None = None) -> None:
    """One delivery per subscribed endpoint, in the caller's transaction; sent after it commits."""
    stmt = select(WebhookEndpoint).where(WebhookEndpoint.disabled_at.is_(None))
    if owner is not None:
        stmt = stmt.where(WebhookEndpoint.owner == owner)
    endpoints = [e for e in session.scalars(stmt) if event_type in e.event_types]
    if not endpoints:
        return
    now = utcnow()
    message_id = "msg_" + secrets.token_hex(12)
    body = json.dumps({"type": event_type, "timestamp": now.isoformat(), "data": data}, ensure_ascii=False,
                      separators=(",", ":"), default=str)
    session.add_all([WebhookDelivery(endpoint_id=e.id, message_id=message_id, event_type=event_type, body=body,
                                     status="pending", next_attempt_at=now, created_at=now) for e in endpoints])
    session.flush()
    delivery.send_after_commit(session)


def list_deliveries(session: Session, principal: Principal, *, endpoint_id: int | None, status: str | None,
                    cursor: str | None, limit: int) -> tuple[Sequence[WebhookDelivery], str | None]:
    stmt = _visible(select(WebhookDelivery).join(WebhookEndpoint), principal).order_by(WebhookDelivery.id.desc())
    if endpoint_id is not None:
        stmt = stmt.where(WebhookDelivery.endpoint_id == endpoint_id)
    if status is not None:
        stmt = stmt.where(WebhookDelivery.status == status)
    if cursor:
        stmt = stmt.where(WebhookDelivery.id < pagination.decode(cursor, int)[0])
    return _page(session.scalars(stmt.limit(limit + 1)).all(), limit)


def get_delivery(session: Session, delivery_id: int, principal: Principal) -> WebhookDelivery:
    found = session.scalar(_visible(select(WebhookDelivery).join(WebhookEndpoint)
                                    .where(WebhookDelivery.id == delivery_id), principal))
    if found is None:
        raise NotFound(f"webhook delivery {delivery_id} does not exist")
    return found


def list_attempts(session: Session, delivery_id: int, principal: Principal, *, cursor: str | None, limit: int
                  ) -> tuple[Sequence[WebhookAttempt], str | None]:
    get_delivery(session, delivery_id, principal)
    stmt = select(WebhookAttempt).where(WebhookAttempt.delivery_id == delivery_id).order_by(WebhookAttempt.id)
    if cursor:
        stmt = stmt.where(WebhookAttempt.id > pagination.decode(cursor, int)[0])
    return _page(session.scalars(stmt.limit(limit + 1)).all(), limit)


def replay(session: Session, delivery_id: int, principal: Principal) -> WebhookDelivery:
    """Send a delivery again now (same message id and body; the receiver may deduplicate on it)."""
    found = get_delivery(session, delivery_id, principal)
    if found.status in ("pending", "sending"):
        raise Conflict(f"webhook delivery {delivery_id} is {found.status}: it is being sent already")
    found.status, found.next_attempt_at, found.finished_at = "pending", utcnow(), None
    session.flush()
    trail.record(session, actor=principal.actor, action="webhook.replayed", object_type="webhook_delivery",
                 object_id=found.id, data={"message_id": found.message_id})
    delivery.send_after_commit(session)
    return found


T = TypeVar("T", WebhookEndpoint, WebhookDelivery, WebhookAttempt)


def _page(rows: Sequence[T], limit: int) -> tuple[Sequence[T], str | None]:
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, pagination.encode(rows[-1].id) if more and rows else None
