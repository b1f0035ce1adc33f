"""Evidence upload and download, packet jobs."""

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, UploadFile
from fastapi.responses import StreamingResponse

from service.access.deps import EvidenceReader, PacketBuilder, PacketReader, Reader, Staff
from service.cases.deps import CurrentCase
from service.core.db import MAX_ROW_ID
from service.core.deps import AppSettings, DbSession
from service.core.params import RowId
from service.core.text import LONG_TEXT, SHORT_TEXT
from service.jobs import service as jobs_service
from service.packets import evidence_service
from service.packets import service as packet_service
from service.packets.schemas import Category, EvidenceOut, PacketIn
from service.packets.schemas import Form as EvidenceForm

router = APIRouter(prefix="/v1/cases/{ref}", tags=["evidence"])


@router.post("/evidence", status_code=201, response_model=EvidenceOut)
def upload_evidence(
    case: CurrentCase, session: DbSession, settings: AppSettings, principal: Staff,
    file: Annotated[UploadFile, File(description="PDF, JPEG, PNG, TIFF, MP3/WAV/M4A, CSV or TXT")],
    title: Annotated[str, Form(max_length=SHORT_TEXT)], category: Annotated[Category, Form()],
    form: Annotated[EvidenceForm, Form()], source: Annotated[str, Form(max_length=SHORT_TEXT)],
    purpose: Annotated[str, Form(max_length=LONG_TEXT, description="证明目的 / purpose of proof")],
    original_available: Annotated[bool, Form()] = False,
    redaction_of: Annotated[int | None, Form(ge=1, le=MAX_ROW_ID, description="the upload this file is a "
                                             "redacted copy of (Tex. R. Civ. P. 21c)")] = None,
    visit_id: Annotated[int | None, Form(ge=1, le=MAX_ROW_ID,
                                         description="signed_visit_record: the visit it records")] = None,
) -> EvidenceOut:
    item = evidence_service.receive(
        session, settings, case, stream=file.file, filename=file.filename or "", title=title,
        category=category.value, form=form.value, source=source, original_available=original_available,
        purpose=purpose, actor=principal.actor, redaction_of=redaction_of, visit_id=visit_id)
    return EvidenceOut.model_validate(item)


@router.get("/evidence", response_model=list[EvidenceOut])
def list_evidence(case: CurrentCase, session: DbSession, _: Reader) -> list[EvidenceOut]:
    return [EvidenceOut.model_validate(i) for i in evidence_service.list_items(session, case)]


@router.get("/evidence/{item_id}/content")
def download_evidence(case: CurrentCase, item_id: RowId, session: DbSession,
                      settings: AppSettings, principal: EvidenceReader) -> StreamingResponse:
    """The file as received; a law firm's PDF carries a light "Provided to {firm} on {date}" line
    on every page (X-Original-SHA256: the stored file; X-Content-SHA256: what is sent)."""
    item, stream, sent = evidence_service.deliver(session, settings, case, item_id, principal=principal)
    return StreamingResponse(stream, media_type=item.media_type, headers={
        "Content-Disposition": f"attachment; filename*=UTF-8''{_quote(item.filename)}",
        "X-Content-SHA256": sent, "X-Original-SHA256": item.sha256})


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name)


@router.post("/packets", status_code=202)
def request_packet(case: CurrentCase, session: DbSession, settings: AppSettings, principal: PacketBuilder,
                   data: PacketIn | None = None) -> dict[str, Any]:
    job = packet_service.request_packet(session, settings, case, data or PacketIn(), actor=principal.actor)
    return {"job": job.id, "status": job.status, "links": {"self": f"/v1/jobs/{job.id}"}}


bundle_router = APIRouter(prefix="/v1/jobs", tags=["evidence"])


@bundle_router.get("/{job_id}/bundle")
def download_bundle(job_id: str, session: DbSession, settings: AppSettings,
                    principal: PacketReader) -> StreamingResponse:
    job = jobs_service.get_visible(session, job_id, principal)
    stream = packet_service.open_bundle(session, settings, job, actor=principal.actor)
    name = f"{job.result.get('case_ref', 'packet')}-packet.zip"
    return StreamingResponse(stream, media_type="application/zip", headers={
        "Content-Disposition": f'attachment; filename="{name}"', "X-Content-SHA256": job.result["bundle_sha256"]})
