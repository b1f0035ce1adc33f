"""What staff do on a case page, through the same services (and rules) as the API, and the
downloads, through the same audited paths: a refusal shows the rule ids and messages the API gives."""

from datetime import datetime
from typing import Annotated
from urllib.parse import quote
from zoneinfo import ZoneInfo

from fastapi import APIRouter, File, Form, Request, UploadFile
from starlette.responses import RedirectResponse, Response, StreamingResponse

from service.access import service as access_service
from service.access.security import Permission
from service.cases import activity, designation
from service.cases import service as case_service
from service.cases.casefile import load_case_file
from service.cases.enums import Stage
from service.cases.schemas import CommunicationIn, NewPaymentIn, TransitionIn
from service.core.clock import utcnow
from service.core.db import MAX_ROW_ID
from service.core.deps import AppSettings, DbSession
from service.core.errors import Forbidden, InvalidInput
from service.core.params import RowId
from service.core.security import Principal
from service.core.storage import get_store
from service.core.text import LONG_TEXT, SHORT_TEXT
from service.documents import service as documents_service
from service.documents.audience import Audience
from service.documents.records import case_ref_of
from service.documents.registry import get_kind
from service.documents.render import EXTENSIONS, MEDIA_TYPES
from service.jobs import service as jobs_service
from service.packets import evidence_service
from service.packets import service as packet_service
from service.packets.schemas import Category, PacketIn
from service.packets.schemas import Form as EvidenceForm
from service.web.auth import CsrfChecked, CurrentUser
from service.web.errors import HTMLRoute, is_htmx
from service.web.templating import render

router = APIRouter(route_class=HTMLRoute, include_in_schema=False, dependencies=[CsrfChecked])
STAFF = ("admin", "legal_staff", "collector")
LEGAL = ("admin", "legal_staff")


def require_role(principal: Principal, roles: tuple[str, ...]) -> None:
    if principal.role not in roles:
        raise Forbidden(f"role {principal.role!r} may not do this (needs one of {', '.join(roles)})")


def _check_audience(principal: Principal, audience: str) -> None:
    if audience == Audience.COURT:
        access_service.require_permission(principal, Permission.COURT_DOCUMENTS)


def back_to_case(request: Request, ref: str, done: str) -> Response:
    url = f"/cases/{ref}?done={done}"
    if is_htmx(request):
        return Response(status_code=204, headers={"HX-Redirect": url})
    return RedirectResponse(url, status_code=303)


@router.post("/cases/{ref}/transition")
def move_stage(ref: str, request: Request, session: DbSession, user: CurrentUser, to: Annotated[Stage, Form()],
               reason: Annotated[str, Form(min_length=1, max_length=2000)]) -> Response:
    require_role(user.principal, STAFF)
    case = case_service.visible_case(session, user.principal, ref)
    session.refresh(case, with_for_update=True)
    activity.transition(session, case, TransitionIn.model_validate({"to": to, "reason": reason}), user.principal)
    return back_to_case(request, case.ref, "moved")


@router.post("/cases/{ref}/payments")
def record_payment(ref: str, request: Request, session: DbSession, settings: AppSettings, user: CurrentUser,
                   value_date: Annotated[str, Form(max_length=10)], amount: Annotated[str, Form(max_length=20)],
                   channel: Annotated[str, Form(max_length=40)] = "",
                   overpayment: Annotated[bool, Form()] = False) -> Response:
    require_role(user.principal, STAFF)
    case = case_service.visible_case(session, user.principal, ref)
    session.refresh(case, with_for_update=True)
    data = NewPaymentIn.model_validate({"value_date": value_date, "amount": amount, "channel": channel,
                                        "overpayment": overpayment})
    activity.add_payment(session, case, data, actor=user.principal.actor, tolerance=settings.overpayment_tolerance,
                         overpayment=data.overpayment)
    return back_to_case(request, case.ref, "payment")


@router.post("/cases/{ref}/communications")
def record_contact(ref: str, request: Request, session: DbSession, user: CurrentUser,
                   channel: Annotated[str, Form(max_length=10)], to_address: Annotated[str, Form(max_length=200)],
                   outcome: Annotated[str, Form(max_length=20)], sent_at: Annotated[str, Form(max_length=20)] = "",
                   summary: Annotated[str, Form(max_length=2000)] = "",
                   promise_date: Annotated[str, Form(max_length=10)] = "",
                   promise_amount: Annotated[str, Form(max_length=20)] = "",
                   recording_ref: Annotated[str, Form(max_length=120)] = "",
                   recording_consent: Annotated[bool, Form()] = False) -> Response:
    """`sent_at` is the borrower's local time (as the contact rules judge it); empty means now. A
    call's recording and whether the borrower consented to it (US-26: a recording in a state that
    requires every party's consent is filed only with it)."""
    require_role(user.principal, STAFF)
    case = case_service.visible_case(session, user.principal, ref)
    session.refresh(case, with_for_update=True)
    cf = load_case_file(session, case.ref)
    when = utcnow() if not sent_at else _local(sent_at, cf.borrower.timezone)
    data = CommunicationIn.model_validate({
        "channel": channel, "to_address": to_address, "outcome": outcome, "sent_at": when.isoformat(),
        "summary": summary, "promise_date": promise_date or None, "promise_amount": promise_amount or None,
        "recording_ref": recording_ref, "recording_consent": recording_consent})
    activity.record_communication(session, case, data, actor=user.principal.actor)
    return back_to_case(request, case.ref, "contact")


@router.post("/cases/{ref}/communications/{communication_id}/delivered")
def record_delivery(ref: str, communication_id: RowId, request: Request, session: DbSession,
                    user: CurrentUser, delivered_at: Annotated[str, Form(max_length=20)] = "") -> Response:
    """The log records that a notice sent (generated) reached the borrower (CN-09: a visit notice
    counts once delivered), at `delivered_at` in the borrower's local time (empty: now)."""
    require_role(user.principal, STAFF)
    case = case_service.visible_case(session, user.principal, ref)
    session.refresh(case, with_for_update=True)
    at = _local(delivered_at, load_case_file(session, case.ref).borrower.timezone, "delivered_at") \
        if delivered_at else None
    activity.record_delivery(session, case, communication_id, actor=user.principal.actor, at=at)
    return back_to_case(request, case.ref, "delivered")


@router.post("/cases/{ref}/communications/{communication_id}/failed")
def record_failure(ref: str, communication_id: RowId, request: Request, session: DbSession, user: CurrentUser,
                   reason: Annotated[str, Form(max_length=40)], note: Annotated[str, Form(max_length=2000)] = "",
                   failed_at: Annotated[str, Form(max_length=20)] = "") -> Response:
    """The log records that a letter or notice sent came back undelivered (退回), for `reason`
    (activity.record_failure: "other" needs the return slip's words in `note`), at `failed_at` in
    the borrower's local time (empty: now)."""
    require_role(user.principal, STAFF)
    case = case_service.visible_case(session, user.principal, ref)
    session.refresh(case, with_for_update=True)
    at = _local(failed_at, load_case_file(session, case.ref).borrower.timezone, "failed_at") if failed_at else None
    activity.record_failure(session, case, communication_id, actor=user.principal.actor, at=at, reason=reason,
                            note=note)
    return back_to_case(request, case.ref, "returned")


def _local(value: str, tz: str, field: str = "sent_at") -> datetime:
    try:
        return datetime.fromisoformat(value).replace(tzinfo=ZoneInfo(tz))
    except ValueError:
        raise InvalidInput.one(field, "must be a date and time") from None


@router.post("/cases/{ref}/evidence")
def upload_evidence(ref: str, request: Request, session: DbSession, settings: AppSettings, user: CurrentUser,
                    file: Annotated[UploadFile, File()], title: Annotated[str, Form(max_length=SHORT_TEXT)],
                    category: Annotated[Category, Form()], form: Annotated[EvidenceForm, Form()],
                    source: Annotated[str, Form(max_length=SHORT_TEXT)],
                    purpose: Annotated[str, Form(max_length=LONG_TEXT)],
                    original_available: Annotated[bool, Form()] = False,
                    redaction_of: Annotated[int | None, Form(ge=1, le=MAX_ROW_ID)] = None,
                    visit_id: Annotated[int | None, Form(ge=1, le=MAX_ROW_ID)] = None) -> Response:
    """The API's upload (same checks: type sniffed, size limit while streaming, hash-stored), and
    its links: the upload this file is a redacted copy of, the visit a signed record's scan records
    (an empty choice: none)."""
    require_role(user.principal, STAFF)
    case = case_service.visible_case(session, user.principal, ref)
    evidence_service.receive(session, settings, case, stream=file.file, filename=file.filename or "", title=title,
                             category=category.value, form=form.value, source=source,
                             original_available=original_available, purpose=purpose, actor=user.principal.actor,
                             redaction_of=redaction_of, visit_id=visit_id)
    return back_to_case(request, case.ref, "evidence")


@router.post("/cases/{ref}/assignment")
def assign_firm(ref: str, request: Request, session: DbSession, user: CurrentUser,
                law_firm: Annotated[str, Form(max_length=40)] = "") -> Response:
    require_role(user.principal, LEGAL)
    case = case_service.visible_case(session, user.principal, ref)
    activity.assign(session, case, law_firm or None, actor=user.principal.actor)
    return back_to_case(request, case.ref, "assigned")


@router.post("/cases/{ref}/court-designation")
def designate_court(ref: str, request: Request, session: DbSession, settings: AppSettings, user: CurrentUser,
                    court_designation: Annotated[str, Form(max_length=80)] = "") -> Response:
    """US-28: the court designation chosen for filing, as the API's PUT .../court-designation."""
    require_role(user.principal, LEGAL)
    case = case_service.visible_case(session, user.principal, ref)
    designation.record(session, case, court_designation, actor=user.principal.actor,
                       licensed_cap=settings.licensed_cost_cap)
    return back_to_case(request, case.ref, "designated")


@router.post("/cases/{ref}/documents")
def generate_document(ref: str, request: Request, session: DbSession, settings: AppSettings, user: CurrentUser,
                      kind: Annotated[str, Form(max_length=40)],
                      format: Annotated[str, Form(pattern="^(pdf|docx)$")] = "pdf",
                      override_reason: Annotated[str, Form(max_length=500)] = "") -> Response:
    require_role(user.principal, STAFF)
    case = case_service.visible_case(session, user.principal, ref)
    _check_audience(user.principal, get_kind(kind).audience)
    bind = getattr(request.app.state, "packet_planner", None)  # the packet's plan, from this session
    planner = bind(session) if bind is not None else None
    doc = documents_service.generate(session, case_ref=case.ref, kind=kind, fmt=format, locale=None, as_of=None,
                                     actor=user.principal.actor, store=get_store(settings), planner=planner,
                                     override_reason=override_reason.strip() or None)
    return back_to_case(request, case.ref, f"document-{doc.id}")


@router.post("/cases/{ref}/documents/preview")
def preview_document(ref: str, request: Request, session: DbSession, settings: AppSettings, user: CurrentUser,
                     kind: Annotated[str, Form(max_length=40)]) -> Response:
    """The generate form's other button: the document as it would be generated, DRAFT on every
    page, opened for reading; nothing is recorded (documents.service.preview_case)."""
    require_role(user.principal, STAFF)
    case = case_service.visible_case(session, user.principal, ref)
    _check_audience(user.principal, get_kind(kind).audience)
    bind = getattr(request.app.state, "packet_planner", None)
    shown = documents_service.preview_case(session, case_ref=case.ref, kind=kind,
                                           planner=bind(session) if bind is not None else None,
                                           templates_dir=settings.templates_dir)
    return Response(shown.data, media_type="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{case.ref}-{shown.kind}-draft.pdf"'})


@router.post("/cases/{ref}/packets")
def build_packet(ref: str, request: Request, session: DbSession, settings: AppSettings, user: CurrentUser) -> Response:
    access_service.require_permission(user.principal, Permission.BUILD_PACKET)
    case = case_service.visible_case(session, user.principal, ref)
    job = packet_service.request_packet(session, settings, case, PacketIn(), actor=user.principal.actor)
    return render(request, "case/_job.html", {"job": job}, user=user)


@router.get("/jobs/{job_id}/progress")
def job_progress(job_id: str, request: Request, session: DbSession, user: CurrentUser) -> Response:
    job = jobs_service.get_visible(session, job_id, user.principal)
    return render(request, "case/_job.html", {"job": job}, user=user)


@router.get("/documents/{document_id}/content")
def document_content(document_id: str, session: DbSession, settings: AppSettings, user: CurrentUser,
                     inline: bool = False) -> Response:
    doc = documents_service.get_document(session, document_id)
    case = case_service.visible_case(session, user.principal, case_ref_of(session, doc))
    _check_audience(user.principal, doc.audience)
    # As the API sends it: a law firm's PDF carries the "provided to" line; audited.
    sent = documents_service.deliver(session, get_store(settings), doc, user.principal,
                                     templates_dir=settings.templates_dir)
    name = f"{case.ref}-{doc.kind}-{doc.locale}-{doc.as_of_date.isoformat()}.{EXTENSIONS[doc.format]}"
    how = "inline" if inline and doc.format == "pdf" else "attachment"
    return StreamingResponse(sent.chunks(), media_type=MEDIA_TYPES[doc.format], headers={
        "Content-Disposition": f'{how}; filename="{name}"', "Content-Length": str(sent.size),
        "X-Content-SHA256": sent.sha256, "X-Original-SHA256": doc.sha256})


@router.get("/cases/{ref}/evidence/{item_id}/content")
def evidence_content(ref: str, item_id: RowId, session: DbSession, settings: AppSettings,
                     user: CurrentUser) -> Response:
    access_service.require_permission(user.principal, Permission.EVIDENCE_ORIGINALS)
    case = case_service.visible_case(session, user.principal, ref)
    item, stream, sent = evidence_service.deliver(session, settings, case, item_id, principal=user.principal)
    return StreamingResponse(stream, media_type=item.media_type, headers={
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(item.filename)}", "X-Content-SHA256": sent,
        "X-Original-SHA256": item.sha256})


@router.get("/jobs/{job_id}/bundle")
def packet_bundle(job_id: str, session: DbSession, settings: AppSettings, user: CurrentUser) -> Response:
    access_service.require_permission(user.principal, Permission.DOWNLOAD_PACKET)
    job = jobs_service.get_visible(session, job_id, user.principal)
    stream = packet_service.open_bundle(session, settings, job, actor=user.principal.actor)
    name = f"{job.result.get('case_ref', 'packet')}-packet.zip"
    return StreamingResponse(stream, media_type="application/zip", headers={
        "Content-Disposition": f'attachment; filename="{name}"', "X-Content-SHA256": job.result["bundle_sha256"]})
