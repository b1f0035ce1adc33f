"""Typed FastAPI dependencies of cases: the case a route works on, if the caller may see it."""

from typing import Annotated

from fastapi import Depends

from service.access.deps import CurrentPrincipal
from service.cases import service as case_service
from service.cases.models import DebtCase
from service.core.deps import DbSession


def get_case_or_404(ref: str, session: DbSession, principal: CurrentPrincipal) -> DebtCase:
    return case_service.visible_case(session, principal, ref)


CurrentCase = Annotated[DebtCase, Depends(get_case_or_404)]
