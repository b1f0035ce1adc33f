"""The record of every generated document."""

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from service.core.db import Base, UTCDateTime


class GeneratedDocument(Base):
    """One rendered file, stored by SHA-256. Same case, kind, template version and as-of
    date give the same bytes, so ``sha256`` proves what was sent.

    A notice goes to a borrower once per kind and as-of date (DOC-03): its first copy has
    ``once`` set, and the unique constraint on (case, kind, as-of, once) makes a second one fail
    even when two transactions race past the rule's check. A copy sent again on an explicit,
    audited reason has ``once`` NULL (NULLs never collide) and carries ``override_reason``."""

    __tablename__ = "generated_document"
    __table_args__ = (UniqueConstraint("case_id", "kind", "as_of_date", "once", name="uq_generated_document_once"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("debt_case.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    locale: Mapped[str] = mapped_column(String(10))
    format: Mapped[str] = mapped_column(String(5))
    audience: Mapped[str] = mapped_column(String(12))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int]
    pages: Mapped[int | None]
    template_version: Mapped[str] = mapped_column(String(64))
    context_hash: Mapped[str] = mapped_column(String(64))
    as_of_date: Mapped[date]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    actor: Mapped[str] = mapped_column(String(120))
    job_id: Mapped[str | None] = mapped_column(String(40))
    once: Mapped[bool | None] = mapped_column(default=None)
    override_reason: Mapped[str | None] = mapped_column(Text, default=None)
