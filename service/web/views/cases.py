"""The case list: search, filters, sorting and cursor pagination, scoped as the API scopes it."""

from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from service.cases import service as case_service
from service.cases.enums import Stage
from service.core.deps import DbSession
from service.web.auth import CurrentUser
from service.web.errors import HTMLRoute, is_htmx
from service.web.templating import render

router = APIRouter(route_class=HTMLRoute, include_in_schema=False)


@router.get("/cases")
def case_list(request: Request, session: DbSession, user: CurrentUser, stage: Stage | None = None,
              q: Annotated[str | None, Query(max_length=100)] = None,
              cursor: Annotated[str | None, Query(max_length=200)] = None) -> Response:
    page = case_service.list_cases(session, user.principal, stage=stage, q=q or None, cursor=cursor, limit=50)
    context = {"page": page, "stages": list(Stage), "filters": {"stage": stage.value if stage else "", "q": q or ""}}
    return render(request, "cases/_rows.html" if is_htmx(request) else "cases/list.html", context, user=user)
