"""Pydantic I/O of the documents API."""

from datetime import date, datetime
from typing import Literal, Self

from pydantic import BaseModel, Field

from service.core.dates import BusinessDate
from service.core.text import InputModel
from service.documents.models import GeneratedDocument


class GenerateRequest(InputModel):
    kind: str = Field(max_length=60, description="a document kind, e.g. overdue_reminder (DESIGN §3)")
    format: Literal["pdf", "docx", "sms"] = "pdf"
    locale: str | None = Field(default=None, max_length=10, description="zh-CN | en-US; default: the borrower's "
                               "language if the kind has it, else the kind's default")
    as_of: BusinessDate | None = Field(default=None, description="the date the amounts are computed at; default today")


class BatchItem(InputModel):
    case_ref: str = Field(max_length=40)
    kind: str = Field(max_length=60)
    locale: str | None = Field(default=None, max_length=10)


class BatchRequest(InputModel):
    items: list[BatchItem] = Field(min_length=1, max_length=20000)
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
    content_url: str

    @classmethod
    def of(cls, doc: GeneratedDocument, case_ref: str) -> Self:
        return cls(id=doc.id, case_ref=case_ref, kind=doc.kind, locale=doc.locale, format=doc.format,
                   audience=doc.audience, sha256=doc.sha256, size=doc.size, pages=doc.pages,
                   template_version=doc.template_version, context_hash=doc.context_hash, as_of=doc.as_of_date,
                   created_at=doc.created_at, actor=doc.actor, job_id=doc.job_id,
                   content_url=f"/v1/documents/{doc.id}/content")
