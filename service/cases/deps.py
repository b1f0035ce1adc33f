"""Typed FastAPI dependencies of cases: the case a route works on, if the caller may see it."""

from typing import Annotated

from fastapi import Depends, Request

from service.access.deps import CurrentPrincipal
from service.cases import service as case_service
from service.cases.models import DebtCase
from service.core.deps import SAFE_METHODS, DbSession, is_reads_first


def get_case_or_404(ref: str, request: Request, session: DbSession, principal: CurrentPrincipal) -> DebtCase:
    case = case_service.visible_case(session, principal, ref)
    # Writers to one case queue on its row (PostgreSQL), from before they read it, a route that
    # reads first too: PostgreSQL has no database-wide writer lock to keep short (SQLite's is
    # taken late by such a route), and locking the row only after rendering measured slower there
    # (25-30 notices/s against 31-36/s, 8 clients, one server process, load average 5-6; the
    # cause was not found).
    late = is_reads_first(request) and session.get_bind().dialect.name == "sqlite"
    if request.method not in SAFE_METHODS and not late:
        session.refresh(case, with_for_update=True)
    return case


CurrentCase = Annotated[DebtCase, Depends(get_case_or_404)]
