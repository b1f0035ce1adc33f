"""API keys, managed by administrators: create (the key is shown once), list, revoke."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Body, Depends, Query, Request
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from service.access import service
from service.access.deps import Admin
from service.access.models import ApiKey
from service.core import trail
from service.core.deps import DbSession
from service.core.pagination import LIMIT_DEFAULT, LIMIT_MAX
from service.core.params import RowId
from service.core.text import InputModel

router = APIRouter(prefix="/v1/apikeys", tags=["api keys"])


@dataclass(frozen=True)
class Firms:
    """Law firms by code and codes by id, wired in by the app (cases sits above access)."""

    id_of: Callable[[Session, str | None], int | None]
    codes: Callable[[Session, set[int]], dict[int, str]]


def get_firms(request: Request) -> Firms:
    firms: Firms = request.app.state.firms
    return firms


FirmDirectory = Annotated[Firms, Depends(get_firms)]


class ApiKeyIn(InputModel):
    role: Literal["admin", "legal_staff", "collector", "law_firm"]
    firm: str | None = Field(default=None, max_length=20, description="the law firm's code (law_firm keys)")
    label: str = Field(default="", max_length=120)


class ApiKeyOut(BaseModel):
    id: int
    prefix: str = Field(description="the key's public part, as the audit trail names it (apikey:<prefix>)")
    role: str
    firm: str | None
    label: str
    created_at: datetime
    revoked_at: datetime | None


class ApiKeyCreated(ApiKeyOut):
    key: str = Field(description="the key itself, shown this once: send it as 'Authorization: Bearer <key>'")


class ApiKeyPage(BaseModel):
    items: list[ApiKeyOut]
    next_cursor: str | None


KEY_EXAMPLE = {"collection-system": {"summary": "a collection system's key", "value": {
    "role": "collector", "label": "collection system (production)"}},
    "law-firm": {"summary": "a partner firm's key", "value": {"role": "law_firm", "firm": "TFIRM"}}}


def _out(row: ApiKey, codes: dict[int, str]) -> ApiKeyOut:
    return ApiKeyOut(id=row.id, prefix=row.prefix, role=row.role, firm=codes.get(row.law_firm_id or 0),
                     label=row.label, created_at=row.created_at, revoked_at=row.revoked_at)


@router.post("", status_code=201, response_model=ApiKeyCreated)
def create_key(session: DbSession, principal: Admin, firms: FirmDirectory,
               data: Annotated[ApiKeyIn, Body(openapi_examples=KEY_EXAMPLE)]) -> ApiKeyCreated:
    firm_id = firms.id_of(session, data.firm) if data.role == "law_firm" else None
    key = service.create_api_key(session, role=data.role, law_firm_id=firm_id, label=data.label)
    row = service.key_row(session, key)
    trail.record(session, actor=principal.actor, action="apikey.created", object_type="api_key",
                 object_id=row.prefix, data={"role": row.role, "firm": data.firm})
    return ApiKeyCreated(**_out(row, firms.codes(session, {firm_id} if firm_id else set())).model_dump(), key=key)


@router.get("", response_model=ApiKeyPage)
def list_keys(session: DbSession, _: Admin, firms: FirmDirectory,
              cursor: Annotated[str | None, Query(max_length=200)] = None,
              limit: Annotated[int, Query(ge=1, le=LIMIT_MAX)] = LIMIT_DEFAULT) -> ApiKeyPage:
    rows, after = service.list_api_keys(session, cursor=cursor, limit=limit)
    codes = firms.codes(session, {r.law_firm_id for r in rows if r.law_firm_id})
    return ApiKeyPage(items=[_out(r, codes) for r in rows], next_cursor=after)


@router.delete("/{key_id}", response_model=ApiKeyOut)
def revoke_key(key_id: RowId, session: DbSession, principal: Admin,
               firms: FirmDirectory) -> ApiKeyOut:
    row = service.revoke_api_key(session, key_id, actor=principal.actor)
    return _out(row, firms.codes(session, {row.law_firm_id} if row.law_firm_id else set()))
