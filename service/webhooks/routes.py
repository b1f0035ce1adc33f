"""The webhooks API: a client registers endpoints, lists what was delivered and replays it."""

from typing import Annotated, Literal

from fastapi import APIRouter, Body, Query

from service.access.deps import Staff
from service.core.db import MAX_ROW_ID
from service.core.deps import DbSession
from service.core.pagination import LIMIT_DEFAULT, LIMIT_MAX
from service.core.params import RowId
from service.webhooks import service
from service.webhooks.schemas import (
    AttemptOut,
    AttemptPage,
    DeliveryOut,
    DeliveryPage,
    EndpointCreated,
    EndpointIn,
    EndpointOut,
    EndpointPage,
)

router = APIRouter(prefix="/v1/webhooks", tags=["webhooks"])
Cursor = Annotated[str | None, Query(max_length=200, description="next_cursor of the previous page")]
Limit = Annotated[int, Query(ge=1, le=LIMIT_MAX)]
ENDPOINT_EXAMPLE = {"collection-system": {"summary": "job completions and plan breaches", "value": {
    "url": "https://collections.example.com/hooks/dossier", "event_types": ["job.completed", "plan.breached"],
    "description": "our collection system"}}}


@router.post("/endpoints", status_code=201, response_model=EndpointCreated)
def create_endpoint(session: DbSession, principal: Staff,
                    data: Annotated[EndpointIn, Body(openapi_examples=ENDPOINT_EXAMPLE)]) -> EndpointCreated:
    """Register a URL; the answer shows its signing secret once. Each POST to it carries
    webhook-id, webhook-timestamp and webhook-signature (Standard Webhooks, HMAC-SHA256)."""
    endpoint = service.create_endpoint(session, data, principal)
    return EndpointCreated(**EndpointOut.model_validate(endpoint).model_dump(), secret=endpoint.secret)


@router.get("/endpoints", response_model=EndpointPage)
def list_endpoints(session: DbSession, principal: Staff, cursor: Cursor = None,
                   limit: Limit = LIMIT_DEFAULT) -> EndpointPage:
    rows, after = service.list_endpoints(session, principal, cursor=cursor, limit=limit)
    return EndpointPage(items=[EndpointOut.model_validate(r) for r in rows], next_cursor=after)


@router.get("/endpoints/{endpoint_id}", response_model=EndpointOut)
def get_endpoint(endpoint_id: RowId, session: DbSession, principal: Staff) -> EndpointOut:
    return EndpointOut.model_validate(service.get_endpoint(session, endpoint_id, principal))


@router.delete("/endpoints/{endpoint_id}", response_model=EndpointOut)
def disable_endpoint(endpoint_id: RowId, session: DbSession, principal: Staff) -> EndpointOut:
    """Stop sending to the endpoint (its deliveries and attempts stay listed)."""
    return EndpointOut.model_validate(service.disable_endpoint(session, endpoint_id, principal))


@router.get("/deliveries", response_model=DeliveryPage)
def list_deliveries(session: DbSession, principal: Staff,
                    endpoint_id: Annotated[int | None, Query(ge=1, le=MAX_ROW_ID)] = None,
                    status: Literal["pending", "sending", "succeeded", "failed"] | None = None,
                    cursor: Cursor = None, limit: Limit = LIMIT_DEFAULT) -> DeliveryPage:
    """Newest first."""
    rows, after = service.list_deliveries(session, principal, endpoint_id=endpoint_id, status=status, cursor=cursor,
                                          limit=limit)
    return DeliveryPage(items=[DeliveryOut.model_validate(r) for r in rows], next_cursor=after)


@router.get("/deliveries/{delivery_id}/attempts", response_model=AttemptPage)
def list_attempts(delivery_id: RowId, session: DbSession, principal: Staff, cursor: Cursor = None,
                  limit: Limit = LIMIT_DEFAULT) -> AttemptPage:
    rows, after = service.list_attempts(session, delivery_id, principal, cursor=cursor, limit=limit)
    return AttemptPage(items=[AttemptOut.model_validate(r) for r in rows], next_cursor=after)


@router.post("/deliveries/{delivery_id}/replay", status_code=202, response_model=DeliveryOut)
def replay(delivery_id: RowId, session: DbSession, principal: Staff) -> DeliveryOut:
    """Send a finished delivery again (same webhook-id and body, a fresh signature)."""
    return DeliveryOut.model_validate(service.replay(session, delivery_id, principal))
