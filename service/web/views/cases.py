"""The case list: search, filters, sorting and cursor pagination, scoped as the API scopes it."""

from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from service.cases import search
from service.cases.enums import HoldKind, Stage
from service.core.clock import today
from service.core.deps import DbSession
from service.core.errors import InvalidInput
from service.web.auth import CurrentUser
from service.web.errors import HTMLRoute, is_htmx
from service.web.templating import render

router = APIRouter(route_class=HTMLRoute, include_in_schema=False)
PAGE = 50
Text = Annotated[str, Query(max_length=100)]


def _days(value: str, field: str) -> int | None:
    if not value.strip():
        return None
    if not value.strip().isdigit() or int(value) > 100000:
        raise InvalidInput.one(field, "must be a whole number of days")
    return int(value)


@router.get("/cases")
def case_list(request: Request, session: DbSession, user: CurrentUser, q: Text = "", stage: Text = "",
              dpd_min: Text = "", dpd_max: Text = "", amount_min: Text = "", amount_max: Text = "",
              firm: Annotated[str, Query(max_length=40)] = "", hold: Annotated[str, Query(max_length=20)] = "",
              sort: Annotated[str, Query(pattern="^(updated|ref|dpd|amount)$")] = "updated",
              cursor: Annotated[str | None, Query(max_length=300)] = None) -> Response:
    # A form sends every field, empty ones as "": each is parsed here, an empty one is no filter.
    if stage and stage not in Stage.__members__:
        raise InvalidInput.one("stage", f"must be one of {', '.join(Stage)}")
    query = search.CaseQuery(q=q.strip(), stage=stage, dpd_min=_days(dpd_min, "dpd_min"),
                             dpd_max=_days(dpd_max, "dpd_max"),
                             amount_min=search.parse_amount(amount_min, "amount_min"),
                             amount_max=search.parse_amount(amount_max, "amount_max"),
                             firm=firm if not user.principal.is_law_firm else "",
                             hold=hold if hold in search.HOLD_FILTERS else "", sort=sort)
    page = search.search(session, user.principal, query, today=today(), cursor=cursor, limit=PAGE)
    filters = {"q": q, "stage": query.stage, "dpd_min": dpd_min, "dpd_max": dpd_max, "amount_min": amount_min,
               "amount_max": amount_max, "firm": query.firm, "hold": query.hold, "sort": sort}
    context = {"page": page, "filters": filters, "stages": list(Stage), "holds": ["any", "none", *HoldKind],
               "firms": [] if user.principal.is_law_firm else search.firm_codes(session), "sorts": search.SORTS}
    return render(request, "cases/_rows.html" if is_htmx(request) else "cases/list.html", context, user=user)
