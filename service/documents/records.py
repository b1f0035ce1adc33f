"""Every query and write of the documents domain (the repository)."""

import secrets
from collections.abc import Collection
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from typing import Any

from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.orm import Session

from service.audit.models import AuditEvent
from service.cases.casefile import CaseFile
from service.cases.enums import Channel, Direction, Outcome, PartyKind
from service.cases.models import Communication, DebtCase
from service.documents.contexts.common import local_datetime
from service.documents.exceptions import DocumentNotFound
from service.documents.models import GeneratedDocument
from service.documents.registry import SMS, DocKind
from service.documents.render import Rendered


def new_document_id() -> str:
    return "doc_" + secrets.token_hex(10)


def add_document(session: Session, *, case_id: int, rendered: Rendered, audience: str, as_of: date,
                 actor: str, created_at: datetime, job_id: str | None = None, once: bool | None = None,
                 override_reason: str | None = None) -> GeneratedDocument:
    doc = GeneratedDocument(
        id=new_document_id(), case_id=case_id, kind=rendered.kind, locale=rendered.locale, format=rendered.fmt,
        audience=audience, sha256=rendered.sha256, size=len(rendered.data), pages=rendered.pages,
        template_version=rendered.template_version, context_hash=rendered.context_hash, as_of_date=as_of,
        created_at=created_at, actor=actor, job_id=job_id, once=once, override_reason=override_reason)
    session.add(doc)
    return doc


@cache
def _issued() -> Select[int, str, date]:
    """Built once a process, as ``_version``: every single-notice request runs both (building
    them cost more CPU than running them: 0.3 ms for this one)."""
    return (select(GeneratedDocument.case_id, GeneratedDocument.kind, GeneratedDocument.as_of_date)
            .where(GeneratedDocument.case_id.in_(bindparam("ids", expanding=True)), GeneratedDocument.once.is_(True)))


@cache
def _version() -> Select[int]:
    return (select(func.max(AuditEvent.id)).join(DebtCase, DebtCase.id == AuditEvent.case_id)
            .where(DebtCase.ref == bindparam("ref")))


def issued_notices(session: Session, case_ids: Collection[int]) -> dict[int, set[tuple[str, date]]]:
    """Per case, the (kind, as-of date) of the notices it already has (DOC-03)."""
    found: dict[int, set[tuple[str, date]]] = {case_id: set() for case_id in case_ids}
    ids = list(found)
    for start in range(0, len(ids), 500):  # bounded IN lists
        for case_id, kind, as_of in session.execute(_issued(), {"ids": ids[start:start + 500]}):
            found[case_id].add((kind, as_of))
    return found


def case_version(session: Session, case_ref: str) -> int | None:
    """The last audit event of the case as this transaction sees it: every act on a case (a
    payment, a contact, a notice, a hold, a transition, a plan) records one in its transaction,
    so the same value read twice means no act on the case committed in between."""
    return session.scalar(_version(), {"ref": case_ref})


def is_once_collision(exc: Exception) -> bool:
    """The unique constraint of DOC-03 refused the row (PostgreSQL names it, SQLite its columns)."""
    text = str(getattr(exc, "orig", exc))
    return "uq_generated_document_once" in text or "generated_document.once" in text


def add_notice_communication(session: Session, cf: CaseFile, kind: DocKind, doc: GeneratedDocument,
                             *, sent_at: datetime, actor: str, stated_total: Decimal | None = None) -> Communication:
    """The notice in the case's communication history (packets list it as evidence of demand),
    with the as-of date it was made for (what its dates count from: a later notice restates them
    from it) and what it told the borrower is owed when it states the debt (DOC-05)."""
    channel = Channel.SMS if doc.format == SMS else Channel.LETTER
    phones = [p.get("number", "") for p in cf.borrower.phones or [] if p.get("number")]
    postal = cf.borrower.habitual_address or cf.borrower.hukou_address
    address = phones[0] if channel is Channel.SMS and phones else postal
    comm = Communication(
        case_id=cf.case.id, channel=channel, direction=Direction.OUT, party_kind=PartyKind.BORROWER,
        to_address=address[:200],
        sent_at=sent_at, local_time=local_datetime(sent_at, cf.borrower.timezone).isoformat(), outcome=Outcome.SENT,
        template_kind=kind.kind, document_id=doc.id, content_hash=doc.sha256, actor=actor,
        stated_total=stated_total, stated_as_of=doc.as_of_date)
    session.add(comm)
    return comm


def link_to_case_records(cf: CaseFile, kind: DocKind, doc: GeneratedDocument, sent_at: datetime,
                         stated_total: Decimal | None = None, *, stated_on: date | None = None) -> None:
    """Point the visit or the breach the notice is about at the notice; an open breach keeps what
    its last notice said falls due (`stated_total`) and the day that is the balance of (`stated_on`:
    the acceleration date, for a notice dated before it; else the notice's date) for DOC-05."""
    if kind.kind == "visit_notice":
        pending = [v for v in cf.visits if v.started_at is None]
        if pending:
            pending[-1].notice_document_id, pending[-1].notice_sent_at = doc.id, sent_at
    elif kind.kind == "breach_notice":
        for breach in cf.breaches:
            if breach.cured_on is None and breach.notice_document_id is None:
                breach.notice_document_id = doc.id
            if breach.cured_on is None and stated_total is not None:
                breach.notice_total, breach.notice_as_of = stated_total, stated_on or doc.as_of_date


def get_document(session: Session, document_id: str) -> GeneratedDocument:
    doc = session.get(GeneratedDocument, document_id)
    if doc is None:
        raise DocumentNotFound(document_id)
    return doc


def case_ref_of(session: Session, doc: GeneratedDocument) -> str:
    return session.scalars(select(DebtCase.ref).where(DebtCase.id == doc.case_id)).one()


def case_documents(session: Session, case_id: int) -> list[GeneratedDocument]:
    """A case's generated documents, newest first."""
    return list(session.scalars(select(GeneratedDocument).where(GeneratedDocument.case_id == case_id)
                                .order_by(GeneratedDocument.created_at.desc())))


def documents_of_cases(session: Session, case_ids: Any, *, limit: int = 200) -> list[tuple[GeneratedDocument, str]]:
    """(document, case ref) of the given cases (ids or a subquery of them), newest first."""
    rows = session.execute(select(GeneratedDocument, DebtCase.ref)
                           .join(DebtCase, DebtCase.id == GeneratedDocument.case_id)
                           .where(GeneratedDocument.case_id.in_(case_ids))
                           .order_by(GeneratedDocument.created_at.desc()).limit(limit))
    return [(doc, ref) for doc, ref in rows]
