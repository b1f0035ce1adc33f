"""Rendering for the packet builder, through the document engine (no second engine).

Pleadings are rendered from the case as of the packet date; the evidence index from the rows
the builder computes; exhibit content comes from the store (uploads, documents already sent)
or is rendered from the case records (schedule, payment history, notice history, visit record).

Issue 10 §6, one numbering per page: whatever is rendered here is rendered *bound* (no page footer
of its own: service.documents.render); a notice already sent is filed as its sent bytes less its
footer's text (evidence.redact: a re-render would not be the document that was sent), and an
upload as its inert copy, untouched but for the packet's stamp.
"""

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from evidence.assemble import DocumentInfo, Part
from evidence.inert import make_inert
from evidence.redact import remove_footer_text
from evidence.sign import ensure_dev_signing_pair, sign_pdf
from service.cases.casefile import CaseFile
from service.cases.lender_law import cause_of_action
from service.cases.rules import load_ruleset
from service.cases.us_law import court_papers
from service.core.settings import Settings
from service.core.storage import get_store
from service.documents import rules
from service.documents.contexts.common import DocMeta
from service.documents.contexts.facts import CaseFacts
from service.documents.format import long_date
from service.documents.paper import paper_of
from service.documents.registry import get_kind
from service.documents.render import Rendered, render
from service.packets.plan import Exhibit, packet_words

IMAGE_TYPES = ("image/jpeg", "image/png", "image/tiff")
MM = 72 / 25.4
# The bottom-centre band of a Dossier page that holds its own page footer (templates/assets:
# @bottom-center in the 20 mm bottom margin), as width × height in points: the body text ends
# above it, and the packet's own labels (stamped after) sit at the bottom corners, outside it.
FOOTER_BAND = (90 * MM, 17 * MM)


class PacketRenderer:
    def __init__(self, session: Session, settings: Settings, cf: CaseFile, as_of: date, work: Path, *,
                 locale: str, draft: bool = False) -> None:
        self.session, self.settings, self.cf, self.work, self.locale = session, settings, cf, work, locale
        self.draft = draft  # a draft packet's papers are not filed: the filing checks are waived (rules.FILING)
        # The packet is dated as_of: contexts see the case as it stood at the end of that day.
        self.facts = CaseFacts(cf, as_of, datetime.combine(as_of, time(12, 0), tzinfo=UTC))
        self.template_versions: dict[str, str] = {}
        self.last_rows: list[dict[str, Any]] = []
        self.removed: dict[int, list[str]] = {}  # evidence id → what its packet copy lost
        self.unfootered: dict[str, list[str]] = {}  # sent document id → what its packet copy lost
        self._words = packet_words(settings.templates_dir, locale)
        self._count = 0

    def _render(self, kind: str, fmt: str, **extra: Any) -> Rendered:
        doc_kind = get_kind(kind)
        # Each part is checked as its own kind would be on its own (stage, limitation, acceleration,
        # rate ceiling…): a packet is no way around a kind's rules.
        rules.enforce(self.facts, doc_kind, draft=self.draft)
        meta = DocMeta(kind=kind, profile=self.cf.case.profile, locale=self.locale, audience=doc_kind.audience,
                       as_of=self.facts.as_of, case_ref=self.cf.case.ref, state=self.cf.case.us_state or "")
        ctx = doc_kind.context_class().build(self.facts, meta, **extra)
        rendered = render(ctx, fmt, templates_dir=self.settings.templates_dir, bound=fmt == "pdf")
        self.template_versions[f"{kind}.{fmt}"] = rendered.template_version
        return rendered

    def _write(self, rendered: Rendered, stem: str) -> Path:
        self._count += 1
        path = self.work / "rendered" / f"{self._count:03d}-{stem}.{rendered.extension}"
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(rendered.data)
        return path

    def pdf(self, kind: str, **extra: Any) -> Path:
        if kind == "evidence_index":
            self.last_rows = list(extra.get("rows", []))
        return self._write(self._render(kind, "pdf", **extra), kind)

    def docx(self, kind: str, **extra: Any) -> Path:
        return self._write(self._render(kind, "docx", **extra), kind)

    def title(self, kind: str) -> str:
        """The bookmark title of a kind (content: templates/legal/packet/exhibits.<locale>.json); a
        US court paper's as its state names it (US-25: a complaint, an affirmation, a declaration)."""
        case = self.cf.case
        if self.facts.rules.jurisdiction.state_law and case.us_state:
            named = court_papers(self.facts.rules, case.us_state).titles.get(kind)
            if named:
                return named
        return str(self._words["titles"].get(kind, kind))

    def exhibit_label(self, number: int, title: str) -> str:
        return str(self._words["titles"]["exhibit_prefix"]).format(number=number, title=title)

    def exhibit_parts(self, exhibit: Exhibit, label: str) -> list[Part]:
        """The exhibit's own pages: rendered records, stored documents, then uploads."""
        parts: list[Part] = []
        parent = (label,)
        if exhibit.source == "render":
            extra = {"visit_id": int(exhibit.params["visit_id"])} if "visit_id" in exhibit.params else {}
            # the record alone where the exhibit files copies beside it ("催收通知记录", not "…及通知书")
            title = self.title(exhibit.key) if exhibit.documents else exhibit.title
            parts.append(Part.from_pdf(self.pdf(exhibit.key, **extra), title, kind="exhibit",
                                       outline_parent=parent))
        for doc in exhibit.documents:
            path = self._unfootered(doc.id, self._stored(doc.sha256, f"{doc.kind}-{doc.id}.pdf"))
            parts.append(Part.from_pdf(path, self._dated(doc), kind="exhibit", outline_parent=parent))
        # the notices' delivery records, from the history: one per kind, named by its kind when several
        kinds = [k for k in exhibit.params.get("delivery_of", "").split(",") if k]
        for kind in kinds:
            title = self.title("delivery_record")
            if len(kinds) > 1:
                title = str(self._words["bookmarks"]["of_kind"]).format(title=title, kind=self.title(kind))
            parts.append(Part.from_pdf(self.pdf("notice_history", only=kind), title, kind="exhibit",
                                       outline_parent=parent))
        parts.extend(self._uploads(exhibit, parent))
        return _distinct_titles(parts)

    def _dated(self, doc: Any) -> str:
        """A sent document's bookmark: its kind and the day it went out (several of a kind differ)."""
        dated = str(self._words["bookmarks"]["dated"])
        return dated.format(title=self.title(doc.kind), date=long_date(doc.as_of_date, self.locale))

    def _uploads(self, exhibit: Exhibit, parent: Sequence[str]) -> list[Part]:
        """The PDFs, then the images, each a part of its own under its title: the index and the
        cover list each with its pages (a photo is not lost in a joined part; reader CN-00012)."""
        parts, images = [], []
        size = paper_of(self.cf.case.profile).size_pt
        for item in exhibit.evidence:
            path = self._stored(item.sha256, f"{item.id:03d}-{item.filename}")
            if item.media_type in IMAGE_TYPES:
                images.append(Part.from_images([path], item.title, outline_parent=parent, page_size=size))
            elif item.media_type == "application/pdf":
                parts.append(Part.from_pdf(self._inert(item.id, path), item.title, kind="exhibit",
                                           outline_parent=parent, fit_to=size))
        return parts + images

    def _unfootered(self, doc_id: str, path: Path) -> Path:
        """The packet's copy of a document Dossier sent: its own "第1页/共2页" footer (the
        templates' bottom-centre margin box, inside the 20 mm bottom margin) is removed from its
        pages' content, so a packet page shows, and its text holds, one numbering (issue 10 §6).
        The sent file goes into the bundle as it was, and its SHA-256 is the one the notice
        history cites; what the copy lost is kept for the manifest."""
        copy = path.with_name(f"unfootered-{path.name}")
        lost = remove_footer_text(path, copy, height=FOOTER_BAND[1], width=FOOTER_BAND[0])
        self.unfootered[doc_id] = [f"page {n}: page footer text" for n, runs in enumerate(lost, start=1) if runs]
        return copy

    def _inert(self, item_id: int, path: Path) -> Path:
        """The copy of an uploaded PDF that goes into the packet: nothing in it can act. What it
        lost is kept for the manifest; the original goes into the bundle untouched."""
        inert = path.with_name(f"inert-{path.name}")
        self.removed[item_id] = [str(r) for r in make_inert(path, inert)]
        return inert

    def _stored(self, sha256: str, name: str) -> Path:
        dest = self.work / "exhibits" / name
        dest.parent.mkdir(exist_ok=True)
        get_store(self.settings).copy_to(sha256, dest)
        return dest


def sign_packet(settings: Settings, packet_pdf: Path) -> None:
    """PAdES signature with the configured pair (a development pair is created on demand)."""
    key, cert = ensure_dev_signing_pair(settings.storage_dir / "signing")
    signed = packet_pdf.with_suffix(".signed.pdf")
    sign_pdf(packet_pdf, signed, key, cert, reason="Litigation packet / 诉讼证据材料", location="Dossier")
    signed.replace(packet_pdf)


def _distinct_titles(parts: list[Part]) -> list[Part]:
    """No two bookmarks under one exhibit share a title: repeats get their ordinal (2), (3)…"""
    seen: dict[str, int] = {}
    out = []
    for part in parts:
        seen[part.title] = seen.get(part.title, 0) + 1
        out.append(part if seen[part.title] == 1 else replace(part, title=f"{part.title} ({seen[part.title]})"))
    return out


PRODUCER = "Dossier"


def document_info(templates_dir: Path, cf: CaseFile, on: date, locale: str, *, draft: bool) -> DocumentInfo:
    """What packet.pdf says of itself, in the packet's language (its words: exhibits.<locale>.json,
    "document_info"): a title naming the parties and the case, a draft's marked so, and a subject
    with the cause and the as-of date (reader, US-00010: the packet had no title at all)."""
    words = packet_words(templates_dir, locale)["document_info"]
    cause = cause_of_action(load_ruleset(cf.case.profile), cf.lender.licence_type)
    values = {"plaintiff": cf.lender.name, "defendant": cf.borrower.name, "case_ref": cf.case.ref,
              "as_of": long_date(on, locale), "cause": cause.name if cause else ""}
    title = str(words["title"]).format_map(values)
    return DocumentInfo(title=str(words["draft"]).format(title=title) if draft else title,
                        subject=str(words["subject"]).format_map(values), producer=PRODUCER, language=locale)
