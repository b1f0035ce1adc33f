"""What the API lists of documents: the template catalogue with versions, a case's documents and
its timeline (documents and communications together); and a DRAFT preview that records nothing."""

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from service.cases.models import Communication, DebtCase
from service.core import pagination
from service.core.errors import InvalidInput
from service.documents import service as documents_service
from service.documents.models import GeneratedDocument
from service.documents.registry import KINDS
from service.documents.render import template_version


@dataclass(frozen=True)
class TemplateVariant:
    kind: str
    folder: str
    audience: str
    profile: str
    locale: str
    format: str
    version: str

    @property
    def key(self) -> str:
        return f"{self.kind}/{self.profile}/{self.locale}/{self.format}"


def template_variants(templates_dir: Path) -> list[TemplateVariant]:
    """Every kind × profile × locale × format whose template is there, with its version (the
    SHA-256 a generated document records as template_version)."""
    found = [TemplateVariant(k.kind, k.folder, k.audience, profile, locale, fmt,
                             template_version(templates_dir, k, profile, locale, fmt))
             for k in KINDS.values() for profile, locales in k.locales.items() for locale in locales
             for fmt in k.formats if k.available(templates_dir, profile, locale, fmt)]
    return sorted(found, key=lambda v: v.key)


def page_of_variants(templates_dir: Path, *, kind: str | None, cursor: str | None, limit: int
                     ) -> tuple[list[TemplateVariant], str | None]:
    rows = [v for v in template_variants(templates_dir) if kind is None or v.kind == kind]
    if cursor:
        after = pagination.decode(cursor, str)[0]
        rows = [v for v in rows if v.key > after]
    more, rows = len(rows) > limit, rows[:limit]
    return rows, pagination.encode(rows[-1].key) if more and rows else None


def draft_preview(kind: str, *, profile: str, locale: str | None, as_of: date | None, templates_dir: Path) -> bytes:
    """The kind rendered from its sample context, DRAFT across every page; nothing recorded."""
    rendered = documents_service.preview(kind, profile=profile, locale=locale, fmt="pdf", as_of=as_of,
                                         templates_dir=templates_dir)
    return documents_service.draft(rendered.data)


def case_documents(session: Session, case: DebtCase, *, kind: str | None, cursor: str | None, limit: int
                   ) -> tuple[list[GeneratedDocument], str | None]:
    """Newest first, on (created_at, id)."""
    stmt = select(GeneratedDocument).where(GeneratedDocument.case_id == case.id).order_by(
        GeneratedDocument.created_at.desc(), GeneratedDocument.id.desc())
    if kind:
        stmt = stmt.where(GeneratedDocument.kind == kind)
    if cursor:
        at, doc_id = pagination.decode(cursor, datetime, str)
        stmt = stmt.where(or_(GeneratedDocument.created_at < at,
                              and_(GeneratedDocument.created_at == at, GeneratedDocument.id < doc_id)))
    rows = list(session.scalars(stmt.limit(limit + 1)))
    more, rows = len(rows) > limit, rows[:limit]
    return rows, pagination.encode(rows[-1].created_at, rows[-1].id) if more and rows else None


@dataclass(frozen=True)
class Entry:
    """One line of a case's timeline: a communication (a notice sent is one, pointing at its
    document) or a document that was not sent (a letter, a pleading, a record)."""

    at: datetime
    type: str  # communication | document
    id: str
    kind: str  # the communication's channel, or the document's kind
    direction: str | None
    outcome: str | None
    document_id: str | None

    @property
    def key(self) -> tuple[datetime, str, str]:
        return self.at, self.type, self.id.zfill(20) if self.type == "communication" else self.id


def timeline(session: Session, case: DebtCase, *, cursor: str | None, limit: int) -> tuple[list[Entry], str | None]:
    """Newest first on (at, type, id); each source is read only as far as one page needs."""
    comms = select(Communication).where(Communication.case_id == case.id).order_by(
        Communication.sent_at.desc(), Communication.id.desc())
    docs = select(GeneratedDocument).where(GeneratedDocument.case_id == case.id, GeneratedDocument.id.not_in(
        select(Communication.document_id).where(Communication.case_id == case.id,
                                                Communication.document_id.is_not(None)))
    ).order_by(GeneratedDocument.created_at.desc(), GeneratedDocument.id.desc())
    if cursor:
        at, kind, last_id = pagination.decode(cursor, datetime, str, str)
        # "communication" sorts before "document": at the cursor's own time, every communication
        # comes after a document, and no document comes after a communication.
        same_comm = Communication.sent_at == at
        if kind == "communication":
            if not last_id.isdigit():
                raise InvalidInput.one("cursor", "not a cursor this API issued")
            same_comm = and_(same_comm, Communication.id < int(last_id))
        comms = comms.where(or_(Communication.sent_at < at, same_comm))
        earlier = GeneratedDocument.created_at < at
        docs = docs.where(earlier if kind == "communication" else or_(earlier, and_(
            GeneratedDocument.created_at == at, GeneratedDocument.id < last_id)))
    entries = [Entry(c.sent_at, "communication", str(c.id), c.channel, c.direction, c.outcome, c.document_id)
               for c in session.scalars(comms.limit(limit + 1))]
    entries += [Entry(d.created_at, "document", d.id, d.kind, None, None, d.id)
                for d in session.scalars(docs.limit(limit + 1))]
    entries.sort(key=lambda e: e.key, reverse=True)
    more, entries = len(entries) > limit, entries[:limit]
    last = entries[-1] if entries else None
    return entries, pagination.encode(last.at, last.type, last.id) if more and last else None
