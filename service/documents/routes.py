"""The documents API: generate a document for a case, read its record and its bytes."""

from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Body, Depends, Path, Request, Response
from fastapi.responses import StreamingResponse
from sqlalchemy.orm import Session

from service.access import links
from service.access import service as access_service
from service.access.deps import Reader, Staff
from service.access.security import Permission
from service.cases import service as case_service
from service.cases.deps import CurrentCase
from service.core import trail
from service.core.deps import AppSettings, DbSession, reads_first
from service.core.security import Principal
from service.core.settings import Settings
from service.core.storage import get_store
from service.documents import jobs as notice_jobs
from service.documents import service as documents_service
from service.documents.audience import Audience
from service.documents.contexts.legal.exhibits import Planner, SessionPlanner
from service.documents.models import GeneratedDocument
from service.documents.records import case_ref_of
from service.documents.registry import KINDS, get_kind
from service.documents.render import EXTENSIONS, MEDIA_TYPES
from service.documents.schemas import BatchRequest, DocumentOut, GenerateRequest, LinkOut, LinkRequest, PreviewRequest
from service.jobs.schemas import JobOut, job_out

router = APIRouter(prefix="/v1", tags=["documents"])
GENERATE_EXAMPLES = {
    "notice": {"summary": "an overdue reminder as of today", "value": {"kind": "overdue_reminder", "format": "pdf"}},
    "again": {"summary": "the same notice sent again (DOC-03 waived, audited)", "value": {
        "kind": "overdue_reminder", "format": "pdf", "override_reason": "the borrower asked for a copy by phone"}},
    "pleading": {"summary": "a complaint as of a date", "value": {"kind": "civil_complaint", "format": "docx",
                                                                   "as_of": "2026-11-30"}}}
PREVIEW_EXAMPLES = {"letter": {"summary": "the lawyer letter as it would be generated today", "value": {
    "kind": "lawyer_letter"}}, "dated": {"summary": "a complaint as of a date", "value": {
    "kind": "civil_complaint", "as_of": "2026-11-30"}}}
BATCH_EXAMPLES = {"reminders": {"summary": "reminders for many cases (up to 10,000 items)", "value": {
    "format": "pdf", "items": [{"case_ref": "CN-2026-000001", "kind": "overdue_reminder"},
                               {"case_ref": "CN-2026-000002", "kind": "overdue_reminder", "locale": "en-US"}]}}}
LINK_EXAMPLES = {"once": {"summary": "one download within an hour", "value": {}},
                 "day": {"summary": "any number of downloads for a day", "value": {
                     "ttl_seconds": 86400, "single_use": False}}}


@dataclass(frozen=True)
class VisibleDocument:
    doc: GeneratedDocument
    case_ref: str
    actor: str


def get_visible_document(document_id: str, session: DbSession, principal: Reader) -> VisibleDocument:
    """The document, if its case is visible to the caller (another firm's document is a 404)."""
    doc = documents_service.get_document(session, document_id)
    case = case_service.visible_case(session, principal, case_ref_of(session, doc))
    return VisibleDocument(doc, case.ref, principal.actor)


CurrentDocument = Annotated[VisibleDocument, Depends(get_visible_document)]


async def get_planner(request: Request, session: DbSession) -> Planner | None:
    """The packet planner the app wires in (``create_app``: packets sits above documents), bound
    to the request's session: it plans from the case's evidence and documents as a packet does.
    Binding does no I/O (`async def`: no worker thread)."""
    bind: SessionPlanner | None = getattr(request.app.state, "packet_planner", None)
    return bind(session) if bind is not None else None


PacketPlanner = Annotated[Planner | None, Depends(get_planner)]


@router.post("/cases/{ref}/documents", status_code=201, response_model=DocumentOut,
             dependencies=[Depends(reads_first)])  # rendered before the write lock is taken
def create_document(body: Annotated[GenerateRequest, Body(openapi_examples=GENERATE_EXAMPLES)], case: CurrentCase,
                    session: DbSession, principal: Staff,
                    settings: AppSettings, planner: PacketPlanner) -> DocumentOut:
    check_audience(principal, get_kind(body.kind).audience)
    doc, warned = documents_service.generate_warned(
        session, case_ref=case.ref, kind=body.kind, fmt=body.format, locale=body.locale, as_of=body.as_of,
        actor=principal.actor, store=get_store(settings), planner=planner, override_reason=body.override_reason,
        pooled=True, render_first=True)
    return DocumentOut.of(doc, case.ref).model_copy(update={"warnings": [
        {"rule": v.rule, "message": v.message} for v in warned]})


@router.post("/cases/{ref}/documents/preview", response_class=Response, responses={200: {
    "content": {"application/pdf": {}}, "headers": {"Dossier-Warnings": {
        "description": "rule ids that would refuse generating it now (hours, holds, DOC-03, DOC-09), "
                       "comma-separated",
        "schema": {"type": "string"}}}, "description": "the case's document, DRAFT on every page"}})
def preview_document(body: Annotated[PreviewRequest, Body(openapi_examples=PREVIEW_EXAMPLES)], case: CurrentCase,
                     session: DbSession, principal: Staff, settings: AppSettings, planner: PacketPlanner) -> Response:
    """The case's document as generating it would make it, with DRAFT across every page, for review.
    Nothing is recorded: no document, no communication, no audit event, no stored file. Refused as
    generating is for what the document would say (stage, acceleration, demand deadline, …); the
    rules about sending it now (contact hours, holds, DOC-03, DOC-09) are named in `Dossier-Warnings`."""
    check_audience(principal, get_kind(body.kind).audience)
    shown = documents_service.preview_case(session, case_ref=case.ref, kind=body.kind, locale=body.locale,
                                           as_of=body.as_of, planner=planner, templates_dir=settings.templates_dir)
    headers = {"Content-Disposition": f'inline; filename="{case.ref}-{shown.kind}-draft.pdf"'}
    if shown.warnings:
        headers["Dossier-Warnings"] = ",".join(dict.fromkeys(v.rule for v in shown.warnings))
    return Response(shown.data, media_type="application/pdf", headers=headers)


@router.post("/notices/batch", status_code=202, response_model=JobOut)
def create_notice_batch(body: Annotated[BatchRequest, Body(openapi_examples=BATCH_EXAMPLES)], session: DbSession,
                        principal: Staff, settings: AppSettings) -> JobOut:
    for item in body.items:
        if item.kind in KINDS:  # an unknown kind is refused per item by the job, naming it
            check_audience(principal, KINDS[item.kind].audience)
    job = notice_jobs.enqueue(session, settings, body.model_dump(), actor=principal.actor)
    return job_out(job)


@router.get("/documents/{document_id}", response_model=DocumentOut)
def read_document(found: CurrentDocument) -> DocumentOut:
    return DocumentOut.of(found.doc, found.case_ref)


@router.get("/documents/{document_id}/content")
def read_content(found: CurrentDocument, session: DbSession, settings: AppSettings,
                 principal: Reader) -> StreamingResponse:
    """The file. A law firm's PDF carries a light "Provided to {firm} on {date}" line on every
    page (X-Original-SHA256 is the stored file's hash, X-Content-SHA256 that of what is sent)."""
    check_audience(principal, found.doc.audience)
    return _send(session, settings, found, principal, None)


@router.post("/documents/{document_id}/links", status_code=201, response_model=LinkOut)
def create_link(found: CurrentDocument, session: DbSession, settings: AppSettings, principal: Reader,
                body: Annotated[LinkRequest | None, Body(openapi_examples=LINK_EXAMPLES)] = None) -> LinkOut:
    """An expiring signed link to the file, for the same principal only (e.g. handed to a
    download manager that holds the same key); single-use unless asked otherwise."""
    check_audience(principal, found.doc.audience)
    ask = body or LinkRequest()
    token, link = links.issue(session, secret_key=settings.secret_key, object_type="document",
                              object_id=found.doc.id, principal=principal, ttl=timedelta(seconds=ask.ttl_seconds),
                              single_use=ask.single_use)
    trail.record(session, actor=principal.actor, action="download_link.issued", object_type="document",
                 object_id=found.doc.id, case_id=found.doc.case_id,
                 data={"link": link.id, "expires_at": link.expires_at.isoformat(), "single_use": link.single_use})
    return LinkOut(url=f"/v1/downloads/{token}", document_id=found.doc.id, expires_at=link.expires_at,
                   single_use=link.single_use)


@router.get("/downloads/{token}", tags=["downloads"])
def follow_link(token: Annotated[str, Path(max_length=300)], session: DbSession, settings: AppSettings,
                principal: Reader) -> StreamingResponse:
    """The file behind a signed link: 404 for a forged token or another principal's link, 410
    once it expired or was used."""
    link = links.redeem(session, token, principal, secret_key=settings.secret_key)
    found = get_visible_document(link.object_id, session, principal)
    check_audience(principal, found.doc.audience)
    return _send(session, settings, found, principal, link.id)


def _send(session: Session, settings: Settings, found: VisibleDocument, principal: Principal,
          link_id: int | None) -> StreamingResponse:
    sent = documents_service.deliver(session, get_store(settings), found.doc, principal,
                                     templates_dir=settings.templates_dir, link_id=link_id)
    headers = {**_disposition(found), "Content-Length": str(sent.size), "X-Content-SHA256": sent.sha256,
               "X-Original-SHA256": found.doc.sha256}
    return StreamingResponse(sent.chunks(), media_type=MEDIA_TYPES[found.doc.format], headers=headers)


def check_audience(principal: Principal, audience: str) -> None:
    """A court document identifies the borrower in full: only those who litigate get it."""
    if audience == Audience.COURT:
        access_service.require_permission(principal, Permission.COURT_DOCUMENTS)


def _disposition(found: VisibleDocument) -> dict[str, str]:
    doc = found.doc
    name = f"{found.case_ref}-{doc.kind}-{doc.locale}-{doc.as_of_date.isoformat()}.{EXTENSIONS[doc.format]}"
    return {"Content-Disposition": f'attachment; filename="{name}"', "Content-Length": str(doc.size),
            "X-Content-SHA256": doc.sha256}
