"""Partner law firms, managed by administrators: record, list, correct."""

from typing import Annotated

from fastapi import APIRouter, Body, Query

from service.access.deps import Admin
from service.cases import firms
from service.cases.examples import LAW_FIRM_EXAMPLE, LAW_FIRM_PATCH_EXAMPLE
from service.cases.schemas import LawFirmIn, LawFirmOut, LawFirmPage, LawFirmPatch
from service.core.deps import DbSession
from service.core.pagination import LIMIT_DEFAULT, LIMIT_MAX
from service.core.params import RowId

router = APIRouter(prefix="/v1/law-firms", tags=["law firms"])
Cursor = Annotated[str | None, Query(max_length=200, description="next_cursor of the previous page")]


@router.post("", status_code=201, response_model=LawFirmOut)
def create_firm(session: DbSession, principal: Admin,
                data: Annotated[LawFirmIn, Body(openapi_examples=LAW_FIRM_EXAMPLE)]) -> LawFirmOut:
    """Record a firm; its code (how cases are assigned to it) is new, its postal code fits its profile."""
    return LawFirmOut.model_validate(firms.create_firm(session, data, actor=principal.actor))


@router.get("", response_model=LawFirmPage)
def list_firms(session: DbSession, _: Admin, cursor: Cursor = None,
               limit: Annotated[int, Query(ge=1, le=LIMIT_MAX)] = LIMIT_DEFAULT) -> LawFirmPage:
    rows, after = firms.list_firms(session, cursor=cursor, limit=limit)
    return LawFirmPage(items=[LawFirmOut.model_validate(r) for r in rows], next_cursor=after)


@router.patch("/{firm_id}", response_model=LawFirmOut)
def update_firm(firm_id: RowId, session: DbSession, principal: Admin,
                data: Annotated[LawFirmPatch, Body(openapi_examples=LAW_FIRM_PATCH_EXAMPLE)]) -> LawFirmOut:
    """Correct the fields given (the code stays)."""
    return LawFirmOut.model_validate(firms.update_firm(session, firm_id, data, actor=principal.actor))
