"""Recording a visit and drafting a repayment plan from the case page: forms turned into the API's
input schemas and handed to the same use-cases (a refusal names its rule or field)."""

from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Form, Request
from starlette.responses import Response, StreamingResponse

from service.cases import activity
from service.cases import service as case_service
from service.cases.casefile import load_case_file
from service.cases.plan_draft import draft_instalments
from service.cases.schemas import PlanIn, VisitIn
from service.core.deps import AppSettings, DbSession
from service.core.errors import InvalidInput
from service.jobs import service as jobs_service
from service.visits import service as visits_service
from service.visits.schemas import VisitKitIn
from service.web.auth import CsrfChecked, CurrentUser
from service.web.errors import HTMLRoute
from service.web.templating import render
from service.web.views.actions import STAFF, back_to_case, require_role

router = APIRouter(route_class=HTMLRoute, include_in_schema=False, dependencies=[CsrfChecked])
Short = Annotated[str, Form(max_length=200)]
Long = Annotated[str, Form(max_length=2000)]


def _local(value: str, tz: str, field: str) -> str | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value).replace(tzinfo=ZoneInfo(tz)).isoformat()
    except ValueError:
        raise InvalidInput.one(field, "must be a date and time") from None


@router.post("/cases/{ref}/visits")
def record_visit(ref: str, request: Request, session: DbSession, user: CurrentUser, purpose: Long, address: Short,
                 window_start: Short, window_end: Short, staff1_name: Short, staff1_badge: Short,
                 staff2_name: Short = "", staff2_badge: Short = "", organisation: Short = "",
                 notice_sent_at: Short = "", started_at: Short = "", consent_to_enter: Short = "",
                 outcome: Short = "", signature: Short = "", debtor_statement: Long = "",
                 recording_refs: Short = "") -> Response:
    """Times are the borrower's local time. Planned only: leave `started_at` empty."""
    require_role(user.principal, STAFF)
    case = case_service.visible_case(session, user.principal, ref)
    session.refresh(case, with_for_update=True)
    tz = load_case_file(session, case.ref).borrower.timezone
    staff = [{"name": n, "badge_no": b, "organisation": organisation}
             for n, b in ((staff1_name, staff1_badge), (staff2_name, staff2_badge)) if n or b]
    data = VisitIn.model_validate({
        "purpose": purpose, "address": address, "organisation": organisation, "staff": staff,
        "window_start": _local(window_start, tz, "window_start"), "window_end": _local(window_end, tz, "window_end"),
        "notice_sent_at": _local(notice_sent_at, tz, "notice_sent_at"),
        "started_at": _local(started_at, tz, "started_at"),
        "consent_to_enter": {"yes": True, "no": False}.get(consent_to_enter),
        "outcome": outcome, "signature": signature, "debtor_statement": debtor_statement,
        "recording_refs": [r for r in recording_refs.replace(",", " ").split() if r]})
    activity.record_visit(session, case, data, actor=user.principal.actor)
    return back_to_case(request, case.ref, "visit")


def _plan_input(session: DbSession, ref: str, form: dict[str, str]) -> tuple[Decimal, dict[str, Any]]:
    cf = load_case_file(session, ref)
    try:
        as_of = date.fromisoformat(form["as_of"])
        first_due = date.fromisoformat(form["first_due"])
        count, waived = int(form["count"]), Decimal(form["waived_amount"] or "0")
    except (ValueError, InvalidOperation):
        raise InvalidInput.one("plan", "give the date, the first due date, a count and an amount") from None
    owed, instalments = draft_instalments(cf, as_of, count=count, first_due=first_due, waived=waived)
    return owed, {"plan_type": form["plan_type"], "as_of": as_of.isoformat(), "waived_amount": str(waived),
                  "signed_date": form["signed_date"] or None, "signed_place": form["signed_place"],
                  "service_address": form["service_address"], "instalments": instalments}


@router.post("/cases/{ref}/plans/{step}")
def plan(ref: str, step: str, request: Request, session: DbSession, user: CurrentUser,
         plan_type: Annotated[str, Form(max_length=30)], as_of: Annotated[str, Form(max_length=10)],
         first_due: Annotated[str, Form(max_length=10)], count: Annotated[str, Form(max_length=4)],
         waived_amount: Annotated[str, Form(max_length=20)] = "", signed_date: Annotated[str, Form(max_length=10)] = "",
         signed_place: Short = "", service_address: Short = "") -> Response:
    """`preview` shows the schedule the plan would have; `save` records it (signed when a signing
    date is given, which is what lets the case move to PLAN_ACTIVE)."""
    require_role(user.principal, STAFF)
    case = case_service.visible_case(session, user.principal, ref)
    form = {"plan_type": plan_type, "as_of": as_of, "first_due": first_due, "count": count,
            "waived_amount": waived_amount, "signed_date": signed_date, "signed_place": signed_place,
            "service_address": service_address}
    owed, data = _plan_input(session, case.ref, form)
    plan_in = PlanIn.model_validate(data)
    if step != "save":
        return render(request, "case/_plan_preview.html", {"owed": owed, "plan": plan_in}, user=user)
    session.refresh(case, with_for_update=True)
    activity.create_plan(session, case, plan_in, actor=user.principal.actor)
    return back_to_case(request, case.ref, "plan")


@router.post("/cases/{ref}/visit-kit")
def build_visit_kit(ref: str, request: Request, session: DbSession, settings: AppSettings,
                    user: CurrentUser) -> Response:
    """The visit kit as the API asks for it (a job; a refusal names its rule), with its progress."""
    require_role(user.principal, STAFF)
    case = case_service.visible_case(session, user.principal, ref)
    job = visits_service.request_visit_kit(session, settings, case, VisitKitIn(), actor=user.principal.actor)
    return render(request, "case/_job.html", {"job": job}, user=user)


@router.get("/jobs/{job_id}/visit-kit")
def download_visit_kit(job_id: str, session: DbSession, settings: AppSettings, user: CurrentUser) -> Response:
    require_role(user.principal, STAFF)
    job = jobs_service.get_visible(session, job_id, user.principal)
    stream = visits_service.open_kit(session, settings, job, actor=user.principal.actor)
    name = f"{job.result.get('case_ref', 'case')}-visit-kit.pdf"
    return StreamingResponse(stream, media_type="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{name}"', "X-Content-SHA256": job.result["pdf_sha256"]})
