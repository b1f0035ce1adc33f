"""Pydantic I/O of the documents API."""

from datetime import date, datetime
from typing import Literal, Self

from pydantic import BaseModel, Field

from service.core.dates import BusinessDate
from service.core.text import InputModel
from service.documents.models import GeneratedDocument

OVERRIDE = ("send the notice although the borrower already has this kind for this as-of date (rule DOC-03): "
            "the reason is recorded on the document and in the audit trail")
OVERRIDE_MIN, OVERRIDE_MAX = 5, 500  # an override reason's length, in characters (`dossier render` checks it too)


class GenerateRequest(InputModel):
    kind: str = Field(max_length=60, description="a document kind, e.g. overdue_reminder (DESIGN §3)")
    format: Literal["pdf", "docx", "sms"] = "pdf"
    locale: str | None = Field(default=None, max_length=10, description="zh-CN | en-US; default: the borrower's "
                               "language if the kind has it, else the kind's default")
    as_of: BusinessDate | None = Field(default=None, description="the date the amounts are computed at; default today")
    override_reason: str | None = Field(default=None, min_length=OVERRIDE_MIN, max_length=OVERRIDE_MAX,
                                        description=OVERRIDE)


class PreviewRequest(InputModel):
    kind: str = Field(max_length=60, description="a document kind, e.g. lawyer_letter (DESIGN §3)")
    locale: str | None = Field(default=None, max_length=10, description="zh-CN | en-US; default: as generating")
    as_of: BusinessDate | None = Field(default=None, description="the date the amounts are computed at; default today")


class BatchItem(InputModel):
    case_ref: str = Field(max_length=40)
    kind: str = Field(max_length=60)
    locale: str | None = Field(default=None, max_length=10)
    override_reason: str | None = Field(default=None, min_length=OVERRIDE_MIN, max_length=OVERRIDE_MAX,
                                        description=OVERRIDE)


MAX_BATCH = 10_000


class BatchRequest(InputModel):
    items: list[BatchItem] = Field(min_length=1, max_length=MAX_BATCH, description=(
        f"up to {MAX_BATCH:,} notices; the job's result lists each item with its document_id, or the "
        "violations (rule ids) that refused it"))
    format: Literal["pdf", "docx", "sms"] = "pdf"


class DocumentOut(BaseModel):
    id: str
    case_ref: str
    kind: str
    locale: str
    format: str
    audience: str
    sha256: str
    size: int
    pages: int | None
    template_version: str
    context_hash: str
    as_of: date
    created_at: datetime
    actor: str
    job_id: str | None
    override_reason: str | None = Field(description="why this notice was sent again (DOC-03); null for a first")
    content_url: str
    warnings: list[dict[str, str]] = Field(default_factory=list, description="named rule warnings that did not "
                                                                           "refuse it ({rule, message}), e.g. PLAN-05")

    @classmethod
    def of(cls, doc: GeneratedDocument, case_ref: str) -> Self:
        return cls(id=doc.id, case_ref=case_ref, kind=doc.kind, locale=doc.locale, format=doc.format,
                   audience=doc.audience, sha256=doc.sha256, size=doc.size, pages=doc.pages,
                   template_version=doc.template_version, context_hash=doc.context_hash, as_of=doc.as_of_date,
                   created_at=doc.created_at, actor=doc.actor, job_id=doc.job_id,
                   override_reason=doc.override_reason, content_url=f"/v1/documents/{doc.id}/content")


class LinkRequest(InputModel):
    ttl_seconds: int = Field(default=3600, ge=60, le=7 * 24 * 3600, description="how long the link works")
    single_use: bool = Field(default=True, description="true: it opens the file once; false: until it expires")


class LinkOut(BaseModel):
    url: str = Field(description="GET it with the same Authorization as this request: the link is bound to the "
                                 "principal that asked for it", examples=["/v1/downloads/eyJuIjoi..."])
    document_id: str
    expires_at: datetime
    single_use: bool
