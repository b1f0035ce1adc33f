"""The case list: search, filters, sorting and cursor pagination, scoped as the API scopes it."""

from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from service.cases import search
from service.cases.enums import HoldKind, Stage
from service.core.clock import today
from service.core.deps import DbSession
from service.web.auth import CurrentUser
from service.web.errors import HTMLRoute, is_htmx
from service.web.templating import render

router = APIRouter(route_class=HTMLRoute, include_in_schema=False)
PAGE = 50
Text = Annotated[str, Query(max_length=100)]
Days = Annotated[int | None, Query(ge=0, le=100000)]


@router.get("/cases")
def case_list(request: Request, session: DbSession, user: CurrentUser, q: Text = "", stage: Stage | None = None,
              dpd_min: Days = None, dpd_max: Days = None, amount_min: Text = "", amount_max: Text = "",
              firm: Annotated[str, Query(max_length=40)] = "", hold: Annotated[str, Query(max_length=20)] = "",
              sort: Annotated[str, Query(pattern="^(updated|ref|dpd|amount)$")] = "updated",
              cursor: Annotated[str | None, Query(max_length=300)] = None) -> Response:
    query = search.CaseQuery(q=q.strip(), stage=stage.value if stage else "", dpd_min=dpd_min, dpd_max=dpd_max,
                             amount_min=search.parse_amount(amount_min, "amount_min"),
                             amount_max=search.parse_amount(amount_max, "amount_max"),
                             firm=firm if not user.principal.is_law_firm else "",
                             hold=hold if hold in search.HOLD_FILTERS else "", sort=sort)
    page = search.search(session, user.principal, query, today=today(), cursor=cursor, limit=PAGE)
    filters = {"q": q, "stage": query.stage, "dpd_min": "" if dpd_min is None else str(dpd_min),
               "dpd_max": "" if dpd_max is None else str(dpd_max), "amount_min": amount_min,
               "amount_max": amount_max, "firm": query.firm, "hold": query.hold, "sort": sort}
    context = {"page": page, "filters": filters, "stages": list(Stage), "holds": ["any", "none", *HoldKind],
               "firms": [] if user.principal.is_law_firm else search.firm_codes(session), "sorts": search.SORTS}
    return render(request, "cases/_rows.html" if is_htmx(request) else "cases/list.html", context, user=user)
