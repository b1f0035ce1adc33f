"""The dashboard: the portfolio at a glance as server-rendered SVG bars, each linking to the
case list filtered to what it counts."""

from datetime import timedelta
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from service.cases import portfolio
from service.cases import repository as case_repository
from service.cases.enums import Stage
from service.core.clock import today
from service.core.deps import DbSession
from service.jobs import listing as job_listing
from service.jobs.models import JobKind, JobStatus
from service.web.auth import CurrentUser
from service.web.errors import HTMLRoute
from service.web.templating import render

router = APIRouter(route_class=HTMLRoute, include_in_schema=False)
DAYS = 30


def _bars(items: list[tuple[str, float, str, str]]) -> list[dict[str, Any]]:
    """(label key, value, shown value, link) → bars with a width in percent of the largest."""
    top = max((v for _, v, _, _ in items), default=0) or 1
    return [{"label": k, "value": v, "shown": s, "href": h, "width": round(100 * v / top, 1)} for k, v, s, h in items]


@router.get("/dashboard")
def dashboard(request: Request, session: DbSession, user: CurrentUser) -> Response:
    on = today()
    stages = portfolio.by_stage(session, user.principal)
    buckets = portfolio.by_days_past_due(session, user.principal, on)
    daily = portfolio.per_day(session, user.principal, on - timedelta(days=DAYS - 1))
    days = [on - timedelta(days=i) for i in range(DAYS - 1, -1, -1)]
    plans = portfolio.plans_by_status(session, user.principal)
    ids = case_repository.visible_case_ids(user.principal)

    def dpd_href(b: portfolio.Bucket) -> str:
        return f"/cases?dpd_min={b.low}" + (f"&dpd_max={b.high}" if b.high is not None else "") + "&sort=dpd" * (
            b.low > 0)

    context = {
        "stages": _bars([(f"stage.{s.value}", stages.get(s.value, 0), str(stages.get(s.value, 0)),
                          f"/cases?stage={s.value}") for s in Stage]),
        "dpd": _bars([(_bucket_label(b), b.cases, str(b.cases), dpd_href(b)) for b in buckets]),
        "amounts": _bars([(_bucket_label(b), float(b.principal), f"{b.principal:,.2f}", dpd_href(b)) for b in buckets]),
        "days": days, "daily": daily, "day_top": max([1, *daily["notices"].values(), *daily["visits"].values()]),
        "plans": plans, "packets": job_listing.count_of_cases(session, ids, JobKind.PACKET, JobStatus.DONE),
        "total": sum(stages.values()),
    }
    return render(request, "dashboard.html", context, user=user)


def _bucket_label(b: portfolio.Bucket) -> str:
    return "0" if b.high == 0 else (f"{b.low}–{b.high}" if b.high is not None else f"{b.low}+")
