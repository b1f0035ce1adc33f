"""Build a litigation packet: plan → render → assemble (pikepdf) → bundle (ZIP with manifest).

The evidence index must show final page and Bates ranges, but its own length moves everything
after it; so it is rendered, the layout planned, and re-rendered until its page count is stable.
The cover's contents list the final page range of every pleading and exhibit, linked to it: it is
re-rendered from the settled layout, and should that change its own length, index and cover are
laid out again.
"""

import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time
from pathlib import Path, PurePosixPath
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from evidence.assemble import AssemblyResult, BatesOptions, Part, PartPlacement, assemble, plan
from evidence.bundle import write_bundle
from evidence.manifest import BundleFile
from evidence.stamp import Position
from service.cases.casefile import CaseFile, load_case_file
from service.cases.masking import filing_redaction
from service.cases.models import DebtCase
from service.cases.rules import LOCALIZED, load_ruleset
from service.cases.validation import checked_as_of
from service.core.clock import today, utcnow
from service.core.errors import RuleViolation, Violation
from service.core.settings import Settings
from service.core.storage import get_store
from service.documents import rules as document_rules
from service.documents.contexts.facts import CaseFacts
from service.documents.contexts.legal.base import us_court
from service.documents.exceptions import UnknownLabel
from service.documents.format import date_cn, date_en
from service.documents.models import GeneratedDocument
from service.documents.registry import KINDS, get_kind
from service.packets import render
from service.packets.models import EvidenceItem
from service.packets.plan import Exhibit, PacketPlan, packet_words, plan_packet

Progress = Callable[[int, int], None]
MAX_INDEX_PASSES = 4
FOLDER_LOCALES = ("zh-CN", "en-US")  # the languages the manifest describes its folders in


@dataclass
class Built:
    bundle: Path
    plan: PacketPlan
    assembly: AssemblyResult
    rows: list[dict[str, Any]]
    template_versions: dict[str, str] = field(default_factory=dict)


def make_plan(session: Session, settings: Settings, cf: CaseFile, *, bound: bool = False) -> PacketPlan:
    """The case's packet plan; `bound`: the plan of the packet being built (its index has pages)."""
    items = list(session.scalars(select(EvidenceItem).where(EvidenceItem.case_id == cf.case.id)
                                 .order_by(EvidenceItem.id)))
    docs = list(session.scalars(select(GeneratedDocument).where(GeneratedDocument.case_id == cf.case.id)))
    packet_plan = replace(plan_packet(cf, items, docs, templates_dir=settings.templates_dir), bound=bound)
    packet_plan.missing += _recordings_elsewhere(session, settings, cf, packet_plan)
    return packet_plan


def _recordings_elsewhere(session: Session, settings: Settings, cf: CaseFile, packet_plan: PacketPlan) -> list[str]:
    """A recording is of one call with one borrower: the same file (by its hash) filed as evidence
    in another case is an error in one of them, and neither packet files it until it is resolved.
    (Standing documents — a licence, a lawyer's certificate — are rightly the same in many cases.)"""
    mine = {i.sha256: e.title for e in packet_plan.recordings for i in e.evidence}
    if not mine:
        return []
    rows = session.execute(select(EvidenceItem.sha256, DebtCase.ref).join(DebtCase, DebtCase.id == EvidenceItem.case_id)
                           .where(EvidenceItem.sha256.in_(mine), EvidenceItem.case_id != cf.case.id)
                           .order_by(DebtCase.ref)).all()
    words = packet_words(settings.templates_dir, packet_plan.locale)["missing"]["recording_elsewhere"]
    return [str(words).format(title=mine[sha], sha256=sha, other=ref) for sha, ref in rows]


def planner_for(settings: Settings) -> Callable[[Session], Callable[[CaseFile], PacketPlan]]:
    """The packet plan as the builder makes it, for a planned document generated on its own (a
    complaint's evidence list, an evidence index): bound to the caller's session, it reads the
    case's uploaded evidence and generated documents, so the exhibits and their numbers are the
    packet's."""
    def bind(session: Session) -> Callable[[CaseFile], PacketPlan]:
        return lambda cf: make_plan(session, settings, cf)

    return bind


def check_complete(packet_plan: PacketPlan, *, draft: bool) -> None:
    """Missing required exhibits are reported by name before any work starts."""
    if packet_plan.missing and not draft:
        raise RuleViolation([Violation("PACKET-EXHIBITS", f"missing: {name}") for name in packet_plan.missing])


def check_ready(cf: CaseFile, on: date, now: datetime | None = None, *, draft: bool = False) -> None:
    """A litigation packet, draft or final, is built only at a litigation stage (DOC-01) and on a
    recorded acceleration or a matured loan (DOC-07): the packet cover's checks, before any work.
    A draft's pleadings carry the claim and the affidavit swears to it, so a draft is no exception.
    A final packet is filed: its court's designation must be recorded (US-28); a draft prints blanks."""
    document_rules.enforce(CaseFacts(cf, on, now or utcnow()), get_kind("packet_cover"), draft=draft)


def build_packet(session: Session, settings: Settings, case_ref: str, out_zip: Path, *, as_of: date | None = None,
                 draft: bool = False, sign: bool = False, progress: Progress | None = None,
                 now: datetime | None = None) -> Built:
    """`now`: the clock the packet is built by (as documents take one); the real clock by default."""
    cf = load_case_file(session, case_ref)
    tz = cf.borrower.timezone
    on = checked_as_of(cf, as_of, now.astimezone(ZoneInfo(tz)).date() if now else today(tz))
    check_ready(cf, on, now, draft=draft)
    packet_plan = make_plan(session, settings, cf, bound=True)
    check_complete(packet_plan, draft=draft)
    report = progress or (lambda done, total: None)
    with tempfile.TemporaryDirectory(prefix="dossier-packet-") as tmp:
        work = Path(tmp)
        renderer = render.PacketRenderer(session, settings, cf, on, work, locale=packet_plan.locale, draft=draft)
        packet_plan = _in_court(packet_plan, renderer.facts)
        parts, exhibit_spans = _parts(renderer, packet_plan, report, draft=draft)
        bates = BatesOptions(prefix=cf.lender.code + "-", width=settings.bates_digits,
                             position=Position(settings.bates_position))
        parts, rows, result = _with_cover(renderer, packet_plan, parts, exhibit_spans, bates)
        packet_pdf = work / "packet.pdf"
        parts = _final_covers(renderer, parts, exhibit_spans, result)
        assembly = assemble(parts, packet_pdf, bates=bates, draft=draft, page_number_position=Position.BOTTOM_LEFT,
                            info=render.document_info(settings.templates_dir, cf, on, packet_plan.locale, draft=draft))
        _check_layout(assembly, result)
        if sign:
            render.sign_packet(settings, packet_pdf)
        report(len(parts), len(parts) + 1)
        files = _bundle_files(renderer, packet_plan, work)
        manifest = _manifest(cf, on, packet_plan, assembly, rows, files, renderer, draft=draft)
        write_bundle(out_zip, packet_pdf=packet_pdf, files=files, manifest=manifest,
                     as_of=datetime.combine(on, time(0, 0), tzinfo=UTC))
    return Built(out_zip, packet_plan, assembly, rows, dict(renderer.template_versions))


def _in_court(packet_plan: PacketPlan, facts: CaseFacts) -> PacketPlan:
    """US-24: of the forms the state's table gives for one of its courts only, those of the court the
    suit is filed in (the pleadings' court, by the claim as of the packet's date), so the cover, the
    manifest and the result name the same (review US-00013: a Justice Court case's citation cited
    Tex. R. Civ. P. 99, the district court's rule, and 510.4, the eviction citation rule)."""
    if not any(f.court for f in packet_plan.filer_forms):
        return packet_plan
    court = us_court(facts).name
    return replace(packet_plan, filer_forms=[f for f in packet_plan.filer_forms if f.for_court(court)])


def _parts(renderer: "render.PacketRenderer", packet_plan: PacketPlan, report: Progress, *,
           draft: bool) -> tuple[list[Part], list[tuple[Exhibit, int, int]]]:
    """Every part in packet order; the evidence index is a placeholder until its rows are known."""
    parts = [Part.from_pdf(renderer.pdf("packet_cover", plan=packet_plan), renderer.title("packet_cover"))]
    total = len(packet_plan.pleadings) + len(packet_plan.exhibits) + 2
    for n, pleading in enumerate(list(packet_plan.pleadings)):
        if pleading.kind == "evidence_index":
            parts.append(Part.from_pdf(renderer.pdf("evidence_index", rows=[]), renderer.title("evidence_index"),
                                       kind="evidence_index"))
        elif (path := _pleading_or_none(renderer, packet_plan, pleading.kind, draft)) is not None:
            parts.append(Part.from_pdf(path, renderer.title(pleading.kind), kind="pleading"))
        report(n + 1, total)
    spans = []
    for number, exhibit in enumerate(packet_plan.exhibits, start=1):
        label = renderer.exhibit_label(number, exhibit.title)
        start = len(parts)
        content = renderer.exhibit_parts(exhibit, label)
        # the cover lists what follows it (unpaginated till the layout is known: _final_covers)
        parts.append(Part.from_pdf(renderer.pdf("exhibit_cover", exhibit=exhibit, number=number,
                                                sent_copies=len(exhibit.documents),
                                                contents=[{"title": p.title} for p in content]), label,
                                   kind="exhibit_cover", outline_parent=(label,)))
        parts.extend(content)
        spans.append((exhibit, start, len(parts) - 1))
        report(len(packet_plan.pleadings) + number, total)
    return parts, spans


def _plan_of(packet_plan: PacketPlan, kind: str) -> dict[str, PacketPlan]:
    """A planned pleading (the complaint lists the exhibits as the index numbers them) takes the packet's plan."""
    k = get_kind(kind)
    return {"plan": packet_plan} if k.planned or k.plan_if_any else {}


def _pleading_or_none(renderer: "render.PacketRenderer", packet_plan: PacketPlan, kind: str,
                      draft: bool) -> Path | None:
    """A draft leaves out a pleading its rules refuse (and says so); a final packet fails."""
    try:
        return renderer.pdf(kind, **_plan_of(packet_plan, kind))
    except RuleViolation as exc:
        if not draft:
            raise
        packet_plan.pleadings = [p for p in packet_plan.pleadings if p.kind != kind]
        words = packet_words(renderer.settings.templates_dir, packet_plan.locale)["missing"]["pleading_refused"]
        packet_plan.missing.extend(str(words).format(title=renderer.title(kind), reason=_reason(renderer, v))
                                   for v in exc.violations)
        return None


def _reason(renderer: "render.PacketRenderer", violation: Violation) -> str:
    """Why a rule refuses a pleading, in the packet's language: the message as the rule set's
    catalogue words it there, else (a message worded in English only) the rule's own title in that
    language. A rule with neither stops the packet rather than print English on a Chinese page."""
    if (worded := violation.localized.get(renderer.locale)) is not None:
        return worded
    if renderer.locale not in LOCALIZED:  # the API's language: the message as it is
        return violation.message
    rule = renderer.facts.rules.rules.get(violation.rule)
    if rule is None or not rule.title_zh:
        raise UnknownLabel(f"refusal in {renderer.locale}", violation.rule)
    return rule.title_zh


def _index_position(parts: list[Part]) -> int:
    return next(k for k, p in enumerate(parts) if p.kind == "evidence_index")


def _contents(layout: AssemblyResult, first: int, last: int) -> list[dict[str, Any]]:
    """What an exhibit files behind its cover (parts first+1..last), each with its own pages."""
    return [{"title": p.title, "first_page": p.first_page, "last_page": p.last_page, "bates_first": p.bates_first,
             "bates_last": p.bates_last} for p in layout.parts[first + 1:last + 1]]


def _rows(packet_plan: PacketPlan, spans: list[tuple[Exhibit, int, int]],
          layout: AssemblyResult | None) -> list[dict[str, Any]]:
    rows = []
    for number, (exhibit, first, last) in enumerate(spans, start=1):
        a: PartPlacement | None = layout.parts[first] if layout else None
        b: PartPlacement | None = layout.parts[last] if layout else None
        rows.append({"number": number, "key": exhibit.key, "redacted": exhibit.redacted, "group": exhibit.group,
                     "title": exhibit.title,
                     "form": exhibit.form, "origin": exhibit.origin, "original_available": exhibit.original_available,
                     "missing": exhibit.missing, "purpose": exhibit.purpose, "first_page": a.first_page if a else None,
                     "last_page": b.last_page if b else None, "pages": (b.last_page - a.first_page + 1) if a and b
                     else None, "bates_first": a.bates_first if a else "", "bates_last": b.bates_last if b else "",
                     "contents": _contents(layout, first, last) if layout else [],
                     "mailed": [{"carrier": m.carrier, "number": m.number} for m in exhibit.mailed]})
    for exhibit in packet_plan.recordings:
        item = exhibit.evidence[0]
        rows.append({"number": len(rows) + 1, "key": exhibit.key, "group": exhibit.group, "title": exhibit.title,
                     "form": exhibit.form, "origin": exhibit.origin, "original_available": exhibit.original_available,
                     "missing": exhibit.missing, "purpose": exhibit.purpose,
                     "first_page": None, "last_page": None, "pages": None, "bates_first": "", "bates_last": "",
                     # the upload's name as filed (masked where the forum masks numbers), never the
                     # bundle's path: the bundle's originals/ name it after the exhibit number, then this
                     "file": filed_name(packet_plan, item)})
    return rows


def _with_index(renderer: "render.PacketRenderer", packet_plan: PacketPlan, parts: list[Part],
                spans: list[tuple[Exhibit, int, int]], bates: BatesOptions
                ) -> tuple[list[Part], list[dict[str, Any]], AssemblyResult]:
    at = _index_position(parts)
    layout = plan(parts, bates)
    for _ in range(MAX_INDEX_PASSES):
        rows = _rows(packet_plan, spans, layout)
        index = Part.from_pdf(renderer.pdf("evidence_index", rows=rows), renderer.title("evidence_index"),
                              kind="evidence_index")
        parts = [*parts[:at], index, *parts[at + 1:]]
        new_layout = plan(parts, bates)
        if new_layout.parts[at].page_count == layout.parts[at].page_count:
            return parts, rows, new_layout
        layout = new_layout
    raise RuntimeError("the evidence index did not settle on a page count")


def _cover_pages(packet_plan: PacketPlan, spans: list[tuple[Exhibit, int, int]],
                 layout: AssemblyResult) -> dict[str, Any]:
    """The (first, last) page of each pleading and each exhibit, in plan order, for the cover."""
    pleadings = [p for p in layout.parts if p.kind in ("pleading", "evidence_index")]
    if len(pleadings) != len(packet_plan.pleadings):
        raise RuntimeError("the packet's pleadings differ from its plan; the cover would be wrong")
    return {"pleading_pages": [(p.first_page, p.last_page) for p in pleadings],
            "exhibit_pages": [(layout.parts[a].first_page, layout.parts[b].last_page) for _, a, b in spans]}


def _with_cover(renderer: "render.PacketRenderer", packet_plan: PacketPlan, parts: list[Part],
                spans: list[tuple[Exhibit, int, int]], bates: BatesOptions
                ) -> tuple[list[Part], list[dict[str, Any]], AssemblyResult]:
    """The index settled, then the cover with the final ranges; both again if the cover grew."""
    for _ in range(MAX_INDEX_PASSES):
        parts, rows, layout = _with_index(renderer, packet_plan, parts, spans, bates)
        cover = Part.from_pdf(renderer.pdf("packet_cover", plan=packet_plan,
                                           **_cover_pages(packet_plan, spans, layout)),
                              renderer.title("packet_cover"))
        parts = [cover, *parts[1:]]
        settled = plan(parts, bates)
        if settled.parts[0].page_count == layout.parts[0].page_count:
            return parts, rows, settled
    raise RuntimeError("the packet cover did not settle on a page count")


def _final_covers(renderer: "render.PacketRenderer", parts: list[Part], spans: list[tuple[Exhibit, int, int]],
                  layout: AssemblyResult) -> list[Part]:
    """Each exhibit cover re-rendered with its exhibit's final pages and Bates range (a cover is
    one page whatever it says, so the layout does not move)."""
    parts = list(parts)
    for number, (exhibit, first, last) in enumerate(spans, start=1):
        a, b = layout.parts[first], layout.parts[last]
        path = renderer.pdf("exhibit_cover", exhibit=exhibit, number=number, sent_copies=len(exhibit.documents),
                            first_page=a.first_page,
                            last_page=b.last_page, bates_first=a.bates_first, bates_last=b.bates_last,
                            contents=_contents(layout, first, last))
        parts[first] = Part.from_pdf(path, parts[first].title, kind="exhibit_cover",
                                     outline_parent=parts[first].outline_parent)
    return parts


def _check_layout(assembly: AssemblyResult, planned: AssemblyResult) -> None:
    """The index was rendered from the planned layout; the real one must be identical."""
    actual = [(p.first_page, p.last_page, p.bates_first, p.bates_last) for p in assembly.parts]
    expected = [(p.first_page, p.last_page, p.bates_first, p.bates_last) for p in planned.parts]
    if actual != expected:
        raise RuntimeError("assembled layout differs from the planned one; the index would be wrong")


def original_names(packet_plan: PacketPlan) -> dict[int, str]:
    """Each upload's file name in the bundle's originals/, led by the number of the exhibit it
    belongs to (the first, where several hold it) as the evidence index numbers them, then its
    place in the exhibit: a clerk matches exhibit 9 to "exhibit09-1-call-1.wav". A redacted copy
    (Tex. R. Civ. P. 21c) is named "redacted" with its extension, not by its upload's name: a scan is
    often named after the agreement number the copy masks ("LKCC-202511-075511.pdf")."""
    names: dict[int, str] = {}
    for number, exhibit in enumerate([*packet_plan.exhibits, *packet_plan.recordings], start=1):
        for place, item in enumerate(exhibit.evidence, start=1):
            names.setdefault(item.id, f"exhibit{number:02d}-{place}-{filed_name(packet_plan, item)}")
    return names


def filed_name(packet_plan: PacketPlan, item: EvidenceItem) -> str:
    """The name an upload is filed under: its own, or for a redacted copy "redacted" and its extension;
    where the forum's filings show account numbers by their last digits, a number of the case in the
    name is masked as the filings show it ("disbursement-XXXX-XXXXXX-XXX400.pdf")."""
    if item.id in packet_plan.redactions:
        return "redacted" + PurePosixPath(item.filename).suffix.lower()
    name = item.filename
    for number, masked in sorted(packet_plan.masked_numbers.items(), key=lambda pair: -len(pair[0])):
        name = name.replace(number, masked)
    return name


def _bundle_files(renderer: "render.PacketRenderer", packet_plan: PacketPlan, work: Path) -> list[BundleFile]:
    # numbered as the cover's contents number them (packet_plan.pleadings, the evidence index among
    # them in its place), not the evidence index apart and unnumbered (review CN-00058 §6)
    files = [BundleFile(f"pleadings/{k:02d}-{p.kind}.docx",
                        renderer.docx("evidence_index", rows=renderer.last_rows) if p.kind == "evidence_index"
                        else renderer.docx(p.kind, **_plan_of(packet_plan, p.kind)))
             for k, p in enumerate(packet_plan.pleadings, start=1)]
    store = get_store(renderer.settings)
    names, seen = original_names(packet_plan), set[int]()
    for exhibit in [*packet_plan.exhibits, *packet_plan.recordings]:
        for item in exhibit.evidence:
            if item.id in seen:
                continue
            seen.add(item.id)
            dest = work / "originals" / names[item.id]
            dest.parent.mkdir(exist_ok=True)
            store.copy_to(item.sha256, dest)
            files.append(BundleFile(f"originals/{dest.name}", dest))
    # The notices as sent: the packet's copies lack their own page footer (render.PacketRenderer.
    # _unfootered), so the files whose SHA-256 the notice history cites go in too.
    for name, (_exhibit, doc) in sent_names(packet_plan).items():
        dest = work / "originals" / name
        dest.parent.mkdir(exist_ok=True)
        store.copy_to(doc.sha256, dest)
        files.append(BundleFile(f"originals/{name}", dest))
    return files


def sent_names(packet_plan: PacketPlan) -> dict[str, tuple[Exhibit, GeneratedDocument]]:
    """Each sent notice's file name in the bundle's originals/, led by its exhibit's number like
    the uploads' (``original_names``): "exhibit08-sent-breach_notice-2026-10-12-41.pdf"."""
    names: dict[str, tuple[Exhibit, GeneratedDocument]] = {}
    for number, exhibit in enumerate([*packet_plan.exhibits, *packet_plan.recordings], start=1):
        for doc in exhibit.documents:
            names.setdefault(f"exhibit{number:02d}-sent-{doc.kind}-{doc.as_of_date.isoformat()}-{doc.id}.pdf",
                             (exhibit, doc))
    return names


def _manifest(cf: CaseFile, on: date, packet_plan: PacketPlan, assembly: AssemblyResult, rows: list[dict[str, Any]],
              files: list[BundleFile], renderer: "render.PacketRenderer", *, draft: bool) -> dict[str, Any]:
    from evidence.hashing import sha256_file

    items: list[dict[str, Any]] = [{"path": f.arcname, "sha256": sha256_file(f.path), "size": f.path.stat().st_size,
                                    "kind": f.arcname.split("/", 1)[0]} for f in files]
    names = original_names(packet_plan)
    by_name = {f"originals/{names[i.id]}": i
               for e in [*packet_plan.exhibits, *packet_plan.recordings] for i in e.evidence}
    ranges = {i.id: row for row, e in zip(rows, [*packet_plan.exhibits, *packet_plan.recordings], strict=True)
              for i in e.evidence}
    consented = {i.id: e.params["recording_consent"] for e in packet_plan.recordings
                 if "recording_consent" in e.params for i in e.evidence}
    exhibit_rows = {id(e): row for row, e in zip(rows, [*packet_plan.exhibits, *packet_plan.recordings], strict=True)}
    sent = {f"originals/{name}": found for name, found in sent_names(packet_plan).items()}
    for entry in items:
        if (item := by_name.get(entry["path"])) is not None:
            row = ranges[item.id]  # the exhibit the file belongs to, and where it stands in packet.pdf
            entry.update(title=item.title, source=item.source, purpose=item.purpose, media_type=item.media_type,
                         original_name=filed_name(packet_plan, item), pages=item.pages, exhibit=row["number"],
                         bates_first=row["bates_first"], bates_last=row["bates_last"])
            if law := consented.get(item.id):  # a recording filed on its call's recorded consent (US-26)
                entry["recording_consent"] = {"law": law, "disclosure_given": True, "consented": True}
            if (original := packet_plan.redactions.get(item.id)) is not None:  # the unredacted file kept (21c(c))
                entry["redaction_of"] = {"evidence_id": original.id, "sha256": original.sha256}
            if item.id in renderer.removed:  # the packet holds an inert copy of this PDF
                entry["removed_in_packet"] = renderer.removed[item.id]
        elif (found := sent.get(entry["path"])) is not None:
            exhibit, doc = found
            row = exhibit_rows[id(exhibit)]
            # labels a person reads (review CN-00012: "source": "sent", "original_name":
            # "credit_report_prenotice"); the kind stays apart, as a code
            words = packet_words(renderer.settings.templates_dir, packet_plan.locale)["manifest"]
            day = date_en(doc.as_of_date) if packet_plan.locale == "en-US" else date_cn(doc.as_of_date)
            entry.update(title=renderer.title(doc.kind), source=words["sent_source"], purpose=exhibit.purpose,
                         media_type="application/pdf", document_kind=doc.kind,
                         original_name=str(words["sent_name"]).format(title=renderer.title(doc.kind), date=day),
                         pages=None, exhibit=row["number"],
                         bates_first=row["bates_first"], bates_last=row["bates_last"],
                         removed_in_packet=renderer.unfootered.get(doc.id, []))
    return {
        "case_ref": cf.case.ref, "as_of": on.isoformat(), "draft": draft, "locale": packet_plan.locale,
        "lender": cf.lender.name, "bates_prefix": cf.lender.code + "-", "total_pages": assembly.total_pages,
        "bates_first": assembly.bates_first, "bates_last": assembly.bates_last,
        "template_versions": dict(sorted(renderer.template_versions.items())),
        "exhibits": rows,
        "parts": [{"title": p.title, "kind": p.kind, "first_page": p.first_page, "last_page": p.last_page,
                   "bates_first": p.bates_first, "bates_last": p.bates_last} for p in assembly.parts],
        "items": items,
        "missing": packet_plan.missing,
        # uploads the packet does not file, with the reason (US-26: a recording without its consent)
        "withheld": packet_plan.withheld,
        # what an exhibit cites that the case does not hold (a recording a visit's record names)
        "not_held": packet_plan.not_held,
        "filer_forms": [{"form": f.form, "title": f.title, "source": f.source, "stage": f.stage}
                        for f in packet_plan.filer_forms],
        # what the bundle's folders hold, in the languages the profile's documents are in: a Chinese
        # document names the folder in Chinese (原件目录), the manifest ties that name to the folder's
        # own; a US case's documents are English only, and so is its manifest
        "folders": {"originals/": {locale: originals_folder(renderer.settings.templates_dir, locale, cf, packet_plan)
                                   for locale in _document_locales(cf.case.profile)}},
    }


def originals_folder(templates_dir: Path, locale: str, cf: CaseFile, packet_plan: PacketPlan) -> str:
    """What the bundle's originals/ holds, in `locale`: the files as received and as sent, byte for
    byte; where redacted copies are filed in their originals' place (Tex. R. Civ. P. 21c), but for
    those, each named, which are not the files as received (their items name the originals)."""
    words = packet_words(templates_dir, locale)
    folders = words["folders"]
    if not packet_plan.redactions:
        return str(folders["originals"])
    names = original_names(packet_plan)
    copies = [f"originals/{names[i]}" for i in sorted(packet_plan.redactions) if i in names]
    redaction = filing_redaction(load_ruleset(cf.case.profile), cf.case.us_state)
    number = "one" if len(copies) == 1 else "many"
    return str(folders["originals_redacted"]).format(
        copies=str(words["list_joiner"]).join(copies), copy_is=folders["redacted_copy"][number],
        item_names=folders["item_names"][number], citation=redaction.citation if redaction else "")


def _document_locales(profile: str) -> tuple[str, ...]:
    """The languages of FOLDER_LOCALES some document of the profile is made in (the registry's)."""
    made = {locale for kind in KINDS.values() for locale in kind.locales.get(profile, ())}
    return tuple(locale for locale in FOLDER_LOCALES if locale in made)
