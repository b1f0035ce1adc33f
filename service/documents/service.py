"""Use-cases of the documents domain: generate and record a document, read it back.

``generate`` runs in the caller's transaction and only flushes. Order matters for "nothing
half-written": rules and rendering come first (a refusal writes nothing), then the rows are
added and flushed (a database error stores nothing), and the bytes are stored last — the store
is content-addressed and idempotent, so a retried request reuses the same object.
"""

import hashlib
import io
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import IO, Any
from zoneinfo import ZoneInfo

import pikepdf
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from evidence.stamp import Stamper
from evidence.store import Store
from service.cases import affordability, us_law
from service.cases.casefile import CaseFile, load_case_file
from service.cases.models import LawFirm
from service.cases.validation import checked_as_of
from service.core import trail
from service.core.clock import today, utcnow
from service.core.db import ensure_writing
from service.core.errors import InvalidInput, RuleViolation, Violation
from service.core.security import Principal
from service.core.settings import get_settings
from service.documents import bulk, provided, records, rules
from service.documents.contexts.common import DocMeta, DocumentContext
from service.documents.contexts.facts import CaseFacts
from service.documents.contexts.legal.exhibits import Planner
from service.documents.models import GeneratedDocument
from service.documents.registry import Check, DocKind, get_kind, resolve_locale
from service.documents.render import Rendered, render


def _templates_dir(templates_dir: Path | None) -> Path:
    return templates_dir or get_settings().templates_dir


def _as_of(cf: CaseFile, as_of: date | None, now: datetime) -> date:
    tz = cf.borrower.timezone or "Asia/Shanghai"
    return checked_as_of(cf, as_of, now.astimezone(ZoneInfo(tz)).date())


def build_context(facts: CaseFacts, kind: DocKind, locale: str, planner: Planner | None = None,
                  **inputs: Any) -> DocumentContext:
    doc = DocMeta(kind=kind.kind, profile=facts.cf.case.profile, locale=locale, audience=kind.audience,
                  as_of=facts.as_of, case_ref=facts.cf.case.ref, state=facts.cf.case.us_state or "")
    return kind.context_class().build(facts, doc, **_inputs(facts.cf, kind, planner), **inputs)


def signed_agreement(cf: CaseFile, plan: Any, *, templates_dir: Path | None = None) -> Rendered:
    """A recorded plan's repayment agreement as it was signed: the template and context of every
    generated agreement, as of the signing day, in the profile's prevailing language. What a
    signed copy (an exhibit's scan) shows, so it cannot say other than the agreement does."""
    kind = get_kind("repayment_agreement")
    signed = datetime.combine(plan.signed_date, time(12), ZoneInfo(cf.borrower.timezone or "Asia/Shanghai"))
    facts = CaseFacts(cf, plan.signed_date, signed, frozenset())
    ctx = build_context(facts, kind, resolve_locale(kind, cf.case.profile, None), recorded=plan)
    return render(ctx, "pdf", templates_dir=_templates_dir(templates_dir))


def signed_visit_record(cf: CaseFile, visit: Any, *, templates_dir: Path | None = None) -> Rendered:
    """A visit's record as it was signed on site, at the end of the visit: the template and context
    of every generated visit record, as of the visit's day. What its signed copy (an exhibit's
    scan) shows, so the scan cannot say other than the record does."""
    kind = get_kind("visit_record")
    tz = ZoneInfo(cf.borrower.timezone or "Asia/Shanghai")
    ended = (visit.ended_at or visit.started_at).astimezone(tz)
    facts = CaseFacts(cf, ended.date(), ended, frozenset())
    ctx = build_context(facts, kind, resolve_locale(kind, cf.case.profile, None), visit_id=visit.id)
    return render(ctx, "pdf", templates_dir=_templates_dir(templates_dir))


def _inputs(cf: CaseFile, kind: DocKind, planner: Planner | None) -> dict[str, Any]:
    """What a kind needs beyond the case: a planned kind on its own takes the case's packet plan."""
    if kind.plan_if_any and planner is not None:
        return {"plan": planner(cf)}
    if not kind.planned:
        return {}
    if planner is None:
        raise InvalidInput.one("kind", f"{kind.kind} lists a packet's exhibits: generate it where the packet "
                                       "planner is wired in (the API, `dossier render`) or build the packet")
    return {"plan": planner(cf)}


def prepare(session: Session, *, case_ref: str, kind: str, fmt: str, locale: str | None, as_of: date | None,
            now: datetime | None = None, case_file: CaseFile | None = None, planner: Planner | None = None,
            issued: frozenset[tuple[str, date]] | None = None, override_reason: str | None = None
            ) -> tuple[CaseFacts, DocKind, DocumentContext]:
    """Load the case (unless its `case_file` is given), check the rules and build the context
    (no writes). ``planner`` makes the case's packet plan for the kinds that list its exhibits;
    ``issued`` is the case's notices already sent (loaded when not given), ``override_reason``
    the explicit reason to send one again (DOC-03)."""
    facts, doc_kind, ctx, _ = _prepare(session, case_ref=case_ref, kind=kind, fmt=fmt, locale=locale, as_of=as_of,
                                       now=now, case_file=case_file, planner=planner, issued=issued,
                                       override_reason=override_reason)
    return facts, doc_kind, ctx


def _prepare(session: Session, *, case_ref: str, kind: str, fmt: str, locale: str | None, as_of: date | None,
             now: datetime | None = None, case_file: CaseFile | None = None, planner: Planner | None = None,
             issued: frozenset[tuple[str, date]] | None = None, override_reason: str | None = None,
             preview: bool = False) -> tuple[CaseFacts, DocKind, DocumentContext, list[Violation]]:
    """``prepare``, and for a ``preview`` what the checks of sending found (not refused)."""
    doc_kind = get_kind(kind)
    if fmt not in doc_kind.formats:
        raise InvalidInput.one("format", f"{kind} comes as {', '.join(doc_kind.formats)}, not {fmt!r}")
    cf = case_file or load_case_file(session, case_ref)
    moment = now or utcnow()
    if issued is None:
        issued = frozenset(records.issued_notices(session, [cf.case.id])[cf.case.id])
    facts = CaseFacts(cf, _as_of(cf, as_of, moment), moment, issued)
    chosen = resolve_locale(doc_kind, cf.case.profile, locale, cf.borrower.language)
    waived = rules.enforce(facts, doc_kind, override_reason=override_reason, preview=preview)
    return facts, doc_kind, build_context(facts, doc_kind, chosen, planner), waived


def record(session: Session, facts: CaseFacts, kind: DocKind, rendered: Rendered, *, actor: str, store: Store,
           job_id: str | None = None, override_reason: str | None = None) -> GeneratedDocument:
    """Rows, audit event and communication for a rendered document; then its bytes.

    A notice's row is inserted under a savepoint: when another transaction recorded the same
    notice since this one checked (DOC-03), the unique constraint refuses it and only that row
    is undone; the caller gets the rule's refusal."""
    item = Recording(facts, kind, rendered, override_reason)
    if item.once:
        ensure_writing(session)  # a reading session (a job) becomes a writer outside the savepoint
        try:
            with session.begin_nested():
                doc = _add_row(session, item, actor=actor, job_id=job_id)
                session.flush()
        except IntegrityError as exc:
            if not records.is_once_collision(exc):
                raise
            raise RuleViolation([rules.duplicate(facts, kind)]) from None
    else:
        doc = _add_row(session, item, actor=actor, job_id=job_id)
        session.flush()
    _add_history(session, item, doc, actor=actor)
    session.flush()
    _store(store, item, doc)
    return doc


@dataclass(frozen=True)
class Recording:
    """A rendered document on its way to the records."""

    facts: CaseFacts
    kind: DocKind
    rendered: Rendered
    override_reason: str | None = None

    @property
    def repeat(self) -> bool:
        return rules.is_repeat(self.facts, self.kind)

    @property
    def restated(self) -> bool:
        """A lawyer letter restating a delivered demand of the accelerated debt, sent on a reason (DOC-09)."""
        return bool(self.override_reason) and rules.is_restated(self.facts, self.kind)

    @property
    def overridden(self) -> str:
        """The rules its override_reason waived, as the audit trail records them ("" for none)."""
        return ",".join(r for r, on in ((rules.DUPLICATE, self.repeat), (rules.RESTATED, self.restated)) if on)

    @property
    def once(self) -> bool:
        return Check.ONCE in self.kind.checks and not self.repeat


def record_many(session: Session, items: list[Recording], *, actor: str, store: Store,
                job_id: str | None = None) -> list[GeneratedDocument | RuleViolation]:
    """Many documents with one INSERT round per table and one flush (the audit events chain at
    commit, under one lock of the head), their files synced to disk in one group commit
    (``put_many``). A DOC-03 race inside the chunk undoes the chunk's rows and records it one by
    one, so only the colliding item is refused. Bytes are stored after the rows, as ``record``
    does: a notice is never recorded without its bytes in the store by the time the
    transaction commits, and content addressing stores the same bytes once."""
    ensure_writing(session)
    try:
        with session.begin_nested():
            docs = [_add_row(session, item, actor=actor, job_id=job_id) for item in items]
            session.flush()
    except IntegrityError as exc:
        if not records.is_once_collision(exc):
            raise
        return [_one(session, item, actor=actor, store=store, job_id=job_id) for item in items]
    for item, doc in zip(items, docs, strict=True):
        _add_history(session, item, doc, actor=actor)
    session.flush()
    # One group commit for the chunk; the digests are the renderer's, made with the bytes (the
    # rows carry the same), so the bytes are not hashed a second time here.
    stored = store.put_many([item.rendered.data for item in items], sha256s=[doc.sha256 for doc in docs])
    if [s.sha256 for s in stored] != [doc.sha256 for doc in docs]:  # pragma: no cover - the store hashes
        raise RuntimeError("store returned a different hash")
    return list(docs)


def _one(session: Session, item: Recording, *, actor: str, store: Store,
         job_id: str | None) -> GeneratedDocument | RuleViolation:
    try:
        return record(session, item.facts, item.kind, item.rendered, actor=actor, store=store, job_id=job_id,
                      override_reason=item.override_reason)
    except RuleViolation as refused:
        return refused


def _add_row(session: Session, item: Recording, *, actor: str, job_id: str | None) -> GeneratedDocument:
    facts = item.facts
    return records.add_document(session, case_id=facts.cf.case.id, rendered=item.rendered,
                                audience=item.kind.audience, as_of=facts.as_of, actor=actor, created_at=facts.now,
                                job_id=job_id, once=True if item.once else None,
                                override_reason=item.override_reason if item.overridden else None)


def _add_history(session: Session, item: Recording, doc: GeneratedDocument, *, actor: str) -> None:
    """The audit event, and for a notice its communication and the case records it answers."""
    facts, kind = item.facts, item.kind
    data = {"kind": doc.kind, "format": doc.format, "locale": doc.locale, "sha256": doc.sha256,
            "template_version": doc.template_version, "context_hash": doc.context_hash,
            "as_of": facts.as_of.isoformat()}
    if item.overridden:
        data["override"] = item.overridden
    trail.record(session, actor=actor, action="document.generated", object_type="document", object_id=doc.id,
                 case_id=facts.cf.case.id, at=facts.now, reason=doc.override_reason or "", data=data)
    if kind.channel:
        stated = item.rendered.stated_debt
        records.add_notice_communication(session, facts.cf, kind, doc, sent_at=facts.now, actor=actor,
                                         stated_total=stated)
        records.link_to_case_records(facts.cf, kind, doc, facts.now, stated, stated_on=item.rendered.stated_on)


def _store(store: Store, item: Recording, doc: GeneratedDocument) -> None:
    """The bytes, as ``record_many`` stores a chunk's: under the renderer's digest (made with these
    bytes; the row carries it), not hashed again, and not written or synced again when the store
    already holds them (a copy sent again on an override reason). On SQLite this runs inside the
    write lock: ``put_bytes`` wrote and fsynced a temporary file before finding the object there."""
    (stored,) = store.put_many([item.rendered.data], sha256s=[doc.sha256])
    if stored.sha256 != doc.sha256:  # pragma: no cover - the store hashes what it was given
        raise RuntimeError("store returned a different hash")


def generate(session: Session, *, case_ref: str, kind: str, fmt: str = "pdf", locale: str | None = None,
             as_of: date | None = None, actor: str, store: Store, now: datetime | None = None,
             job_id: str | None = None, templates_dir: Path | None = None,
             planner: Planner | None = None, override_reason: str | None = None,
             pooled: bool = False, render_first: bool = False) -> GeneratedDocument:
    """`pooled`: render on the process's warm render pool (``bulk.render_one``: the API's
    single-notice requests), rather than in this thread (the CLI, one-off calls).

    `render_first` (the API, whose session begins as a reader): on SQLite the case is read,
    checked and rendered before the transaction writes, so the write lock is not held while it
    renders; then the lock is taken and, if an act on the case
    committed since it was read (``records.case_version``), the document is prepared and
    rendered again under the lock, so what is recorded is always decided on the current case."""
    doc, _ = _generate(session, case_ref=case_ref, kind=kind, fmt=fmt, locale=locale, as_of=as_of, actor=actor,
                       store=store, now=now, job_id=job_id, templates_dir=templates_dir, planner=planner,
                       override_reason=override_reason, pooled=pooled, render_first=render_first)
    return doc


def generate_warned(session: Session, *, case_ref: str, kind: str, fmt: str = "pdf", locale: str | None = None,
                    as_of: date | None = None, actor: str, store: Store, planner: Planner | None = None,
                    override_reason: str | None = None, pooled: bool = False,
                    render_first: bool = False, now: datetime | None = None
                    ) -> tuple[GeneratedDocument, list[Violation]]:
    """``generate``, and the named warnings the document comes with (``generation_warnings``),
    read from the case file the document was decided on rather than from the case loaded again:
    recording a document changes nothing they read (the case's profile, state and lender, the
    borrower's language and income, the plans)."""
    doc, facts = _generate(session, case_ref=case_ref, kind=kind, fmt=fmt, locale=locale, as_of=as_of, actor=actor,
                           store=store, planner=planner, override_reason=override_reason, pooled=pooled,
                           render_first=render_first, now=now)
    # a lawyer letter sent again on a reason says what it starts again (DOC-09)
    return doc, case_warnings(facts.cf, kind) + (rules.restart_warnings(facts, get_kind(kind))
                                                 if override_reason else [])


def _generate(session: Session, *, case_ref: str, kind: str, fmt: str, locale: str | None, as_of: date | None,
              actor: str, store: Store, now: datetime | None = None, job_id: str | None = None,
              templates_dir: Path | None = None, planner: Planner | None = None,
              override_reason: str | None = None, pooled: bool = False,
              render_first: bool = False) -> tuple[GeneratedDocument, CaseFacts]:
    def build() -> tuple[CaseFacts, DocKind, Rendered]:
        facts, doc_kind, ctx = prepare(session, case_ref=case_ref, kind=kind, fmt=fmt, locale=locale, as_of=as_of,
                                       now=now, planner=planner, override_reason=override_reason)
        renderer = bulk.render_one if pooled else render
        return facts, doc_kind, renderer(ctx, fmt, templates_dir=_templates_dir(templates_dir))

    render_first = render_first and session.get_bind().dialect.name == "sqlite"  # see cases.deps
    version = records.case_version(session, case_ref) if render_first else None
    facts, doc_kind, rendered = build()
    if render_first:
        ensure_writing(session)  # SQLite's write lock, from here to the commit
        if records.case_version(session, case_ref) != version:
            facts, doc_kind, rendered = build()
    doc = record(session, facts, doc_kind, rendered, actor=actor, store=store, job_id=job_id,
                 override_reason=override_reason)
    return doc, facts


def render_to_file(session: Session, *, case_ref: str, kind: str, fmt: str, locale: str | None,
                   as_of: date | None, out: Path, actor: str, store: Store,
                   planner: Planner | None = None, override_reason: str | None = None
                   ) -> tuple[GeneratedDocument, list[Violation]]:
    """``dossier render``: generate and record the document (on ``override_reason``, sent again as
    the API's generate sends it: DOC-03, DOC-09), then write it to ``out``; with the named warnings
    it comes with (``generate_warned``)."""
    doc, warned = generate_warned(session, case_ref=case_ref, kind=kind, fmt=fmt, locale=locale, as_of=as_of,
                                  actor=actor, store=store, planner=planner, override_reason=override_reason)
    write_file(out, store.read_bytes(doc.sha256))
    return doc, warned


@dataclass(frozen=True)
class CasePreview:
    """A case's document as it would be generated now, DRAFT on every page, and what the checks of
    sending would refuse it for if it were generated now (rules.SENDING)."""

    data: bytes
    kind: str
    locale: str
    as_of: date
    pages: int | None
    warnings: list[Violation]


def preview_case(session: Session, *, case_ref: str, kind: str, locale: str | None = None, as_of: date | None = None,
                 planner: Planner | None = None, templates_dir: Path | None = None) -> CasePreview:
    """The case's own document, rendered from the same context as ``generate`` and stamped DRAFT
    across every page. Nothing is recorded: no document, no communication, no audit event, no
    stored file, so a review does not enter the case's history, its packet or its contact count.
    Held to every rule about what the document says; the rules about sending it (hours, holds,
    DOC-03) come back as warnings. PDF only: a DRAFT is for reading."""
    facts, doc_kind, ctx, waived = _prepare(session, case_ref=case_ref, kind=kind, fmt="pdf", locale=locale,
                                            as_of=as_of, planner=planner, preview=True)
    rendered = render(ctx, "pdf", templates_dir=_templates_dir(templates_dir))
    return CasePreview(draft(rendered.data), doc_kind.kind, rendered.locale, facts.as_of, rendered.pages, waived)


def draft(pdf: bytes) -> bytes:
    """DRAFT across every page of a PDF (the evidence stamper's draft mark)."""
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        stamper = Stamper(doc, size=8, margin=20, draft=True)
        for page in doc.pages:
            stamper.stamp(page, [])
        out = io.BytesIO()
        doc.save(out)
        return out.getvalue()


def preview(kind: str, *, profile: str, locale: str | None = None, fmt: str = "pdf", as_of: date | None = None,
            templates_dir: Path | None = None) -> Rendered:
    """A kind rendered from its sample context (no case, nothing recorded)."""
    doc_kind = get_kind(kind)
    chosen = resolve_locale(doc_kind, profile, locale)
    meta = DocMeta(kind=kind, profile=profile, locale=chosen, audience=doc_kind.audience,
                   as_of=as_of or today(), case_ref="SAMPLE")
    return render(doc_kind.context_class().sample(meta), fmt, templates_dir=_templates_dir(templates_dir))


def get_document(session: Session, document_id: str) -> GeneratedDocument:
    return records.get_document(session, document_id)


def open_content(store: Store, doc: GeneratedDocument) -> IO[bytes]:
    """The stored bytes, verified against the recorded SHA-256 before the first byte is read."""
    return store.open(doc.sha256)


def iter_content(stream: IO[bytes], chunk: int = 64 * 1024) -> Iterator[bytes]:
    with stream:
        while data := stream.read(chunk):
            yield data


def record_download(session: Session, doc: GeneratedDocument, *, actor: str, delivered_sha256: str | None = None,
                    marked_for: str | None = None, link_id: int | None = None) -> None:
    data: dict[str, Any] = {"sha256": doc.sha256}
    if marked_for is not None:  # the copy carried the "provided to" line: its own hash
        data.update(delivered_sha256=delivered_sha256, marked_for=marked_for)
    if link_id is not None:
        data["link"] = link_id
    trail.record(session, actor=actor, action="document.downloaded", object_type="document", object_id=doc.id,
                 case_id=doc.case_id, data=data)


@dataclass(frozen=True)
class Delivery:
    """What a download sends: the stored bytes as a stream, or a marked copy in memory."""

    sha256: str
    size: int
    stream: IO[bytes] | None = None
    data: bytes | None = None

    def chunks(self) -> Iterator[bytes]:
        if self.data is not None:
            yield self.data
        elif self.stream is not None:
            yield from iter_content(self.stream)


def deliver(session: Session, store: Store, doc: GeneratedDocument, principal: Principal, *,
            templates_dir: Path | None = None, link_id: int | None = None) -> Delivery:
    """A document on its way to `principal`, audited. A law firm's PDF carries the "provided to"
    line on every page (``provided.mark``); the stored original stays as it is."""
    firm = session.get(LawFirm, principal.law_firm_id) if principal.is_law_firm and doc.format == "pdf" else None
    if firm is None:
        record_download(session, doc, actor=principal.actor, link_id=link_id)
        return Delivery(doc.sha256, doc.size, stream=open_content(store, doc))
    marked = provided.mark(store.read_bytes(doc.sha256), firm=firm.name, on=today(get_settings().default_timezone),
                           locale=doc.locale, templates_dir=_templates_dir(templates_dir))
    digest = hashlib.sha256(marked).hexdigest()
    record_download(session, doc, actor=principal.actor, delivered_sha256=digest, marked_for=firm.code,
                    link_id=link_id)
    return Delivery(digest, len(marked), data=marked)


def write_file(out: Path, data: bytes) -> None:
    """Write ``out`` whole or not at all (a temporary file renamed over it)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", dir=out.parent)
    with os.fdopen(fd, "wb") as stream:
        stream.write(data)
    os.chmod(tmp, 0o644)
    os.replace(tmp, out)


def generation_warnings(session: Session, case_ref: str, kind: str) -> list[Violation]:
    """The named warnings a document of `kind` comes with, without refusing it: the person who hands it
    over decides (PLAN-05 for a repayment agreement; US-22's language for a notice with California's
    notice of the debtor's rights)."""
    return case_warnings(load_case_file(session, case_ref), kind)


def case_warnings(cf: CaseFile, kind: str) -> list[Violation]:
    """``generation_warnings`` of a loaded case file."""
    found = affordability.plan_warnings(cf) if kind == "repayment_agreement" else []
    return found + us_law.rosenthal_language_warning(cf, kind)
