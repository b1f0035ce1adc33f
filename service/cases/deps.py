"""Typed FastAPI dependencies of cases: the case a route works on, if the caller may see it."""

from typing import Annotated

from fastapi import Depends, Request

from service.access.deps import CurrentPrincipal
from service.cases import service as case_service
from service.cases.models import DebtCase
from service.core.deps import SAFE_METHODS, DbSession, is_reads_first


def get_case_or_404(ref: str, request: Request, session: DbSession, principal: CurrentPrincipal) -> DebtCase:
    case = case_service.visible_case(session, principal, ref)
    # writers to one case queue on its row (PostgreSQL); a route that reads first locks it itself
    if request.method not in SAFE_METHODS and not is_reads_first(request):
        session.refresh(case, with_for_update=True)
    return case


CurrentCase = Annotated[DebtCase, Depends(get_case_or_404)]
