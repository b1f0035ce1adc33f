"""Lists of the documents API: the template catalogue and its DRAFT previews, a case's
documents and its timeline. Every list is cursor-paginated."""

from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response
from pydantic import BaseModel, Field

from service.access.deps import Reader
from service.cases.deps import CurrentCase
from service.core.deps import AppSettings, DbSession
from service.core.pagination import LIMIT_DEFAULT, LIMIT_MAX
from service.documents import listing
from service.documents.registry import get_kind
from service.documents.routes import check_audience
from service.documents.schemas import DocumentOut

router = APIRouter(prefix="/v1", tags=["documents"])
Cursor = Annotated[str | None, Query(max_length=300, description="next_cursor of the previous page")]
Limit = Annotated[int, Query(ge=1, le=LIMIT_MAX)]
Kind = Annotated[str | None, Query(max_length=60, examples=["overdue_reminder"])]


class TemplateOut(BaseModel):
    kind: str = Field(examples=["overdue_reminder"])
    folder: str = Field(examples=["notices"])
    audience: str = Field(examples=["borrower"])
    profile: str = Field(examples=["CN"])
    locale: str = Field(examples=["zh-CN"])
    format: str = Field(examples=["pdf"])
    version: str = Field(description="SHA-256 of every file the render reads: a document records it as "
                                     "template_version", examples=["9f2c…"])
    preview_url: str | None = Field(description="a DRAFT render of the kind's sample (PDF only)")


class TemplatePage(BaseModel):
    items: list[TemplateOut]
    next_cursor: str | None


class DocumentPage(BaseModel):
    items: list[DocumentOut]
    next_cursor: str | None


class TimelineEntry(BaseModel):
    at: datetime
    type: str = Field(description="communication | document", examples=["communication"])
    id: str
    kind: str = Field(description="a communication's channel, or a document's kind", examples=["letter"])
    direction: str | None = Field(examples=["out"])
    outcome: str | None = Field(examples=["sent"])
    document_id: str | None = Field(description="the notice a communication sent, or the document itself")


class TimelinePage(BaseModel):
    items: list[TimelineEntry]
    next_cursor: str | None


@router.get("/templates", response_model=TemplatePage, tags=["templates"])
def list_templates(settings: AppSettings, _: Reader, kind: Kind = None, cursor: Cursor = None,
                   limit: Limit = LIMIT_DEFAULT) -> TemplatePage:
    """Every kind × profile × locale × format whose template is installed, with its version."""
    rows, after = listing.page_of_variants(settings.templates_dir, kind=kind, cursor=cursor, limit=limit)
    return TemplatePage(items=[TemplateOut(
        kind=v.kind, folder=v.folder, audience=v.audience, profile=v.profile, locale=v.locale, format=v.format,
        version=v.version, preview_url=f"/v1/templates/{v.kind}/preview?profile={v.profile}&locale={v.locale}"
        if v.format == "pdf" else None) for v in rows], next_cursor=after)


@router.get("/templates/{kind}/preview", tags=["templates"], response_class=Response,
            responses={200: {"content": {"application/pdf": {}}, "description": "the DRAFT PDF"}})
def preview_template(kind: Annotated[str, Path(max_length=60)], settings: AppSettings, principal: Reader,
                     profile: Annotated[str, Query(pattern="^(CN|US)$")] = "CN",
                     locale: Annotated[str | None, Query(max_length=10)] = None,
                     as_of: date | None = None) -> Response:
    """The kind rendered from its sample data with DRAFT across every page. Nothing is recorded:
    no document, no communication, no audit event."""
    check_audience(principal, get_kind(kind).audience)
    data = listing.draft_preview(kind, profile=profile, locale=locale, as_of=as_of,
                                 templates_dir=settings.templates_dir)
    return Response(data, media_type="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{kind}-{profile}-draft.pdf"'})


@router.get("/cases/{ref}/documents", response_model=DocumentPage)
def case_documents(case: CurrentCase, session: DbSession, _: Reader, kind: Kind = None, cursor: Cursor = None,
                   limit: Limit = LIMIT_DEFAULT) -> DocumentPage:
    """The case's documents, newest first."""
    rows, after = listing.case_documents(session, case, kind=kind, cursor=cursor, limit=limit)
    return DocumentPage(items=[DocumentOut.of(d, case.ref) for d in rows], next_cursor=after)


@router.get("/cases/{ref}/timeline", response_model=TimelinePage)
def case_timeline(case: CurrentCase, session: DbSession, _: Reader, cursor: Cursor = None,
                  limit: Limit = LIMIT_DEFAULT) -> TimelinePage:
    """Communications (a notice sent is one, with its document) and the documents not sent,
    newest first."""
    rows, after = listing.timeline(session, case, cursor=cursor, limit=limit)
    return TimelinePage(items=[TimelineEntry(at=e.at, type=e.type, id=e.id, kind=e.kind, direction=e.direction,
                                             outcome=e.outcome, document_id=e.document_id) for e in rows],
                        next_cursor=after)
