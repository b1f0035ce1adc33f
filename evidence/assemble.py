"""Litigation packet assembly: one PDF from generated documents, uploaded PDFs and photos,
with continuous page numbers, a Bates label on every page, nested bookmarks, Bates page
labels and internal links from the index to the exhibits.

Pages are copied, never re-rendered: images go in as they are and stamping appends one small
content stream per page. That is what keeps a 500-page packet to about a second.

Memory: pikepdf opens every PDF with qpdf's "immediate copy" switched on, so copying a page
copies its stream data into memory. Peak RSS therefore grows with the bytes of the inputs:
about 35 MB plus 1.3 times the input size (165 MB for the benchmark's 500 pages with 100 MB
of photos, see bench/bench_packet.py). Packets far larger than that should be merged in
chunks or with the qpdf command line, which copies lazily.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass, replace
from pathlib import Path

import pikepdf
from PIL import Image

from evidence.errors import AssemblyError
from evidence.images import A4, image_to_pdf
from evidence.links import PAGE_LINK_PREFIX, page_link, relink
from evidence.stamp import Label, Position, Stamper, check_ascii_label

__all__ = [
    "PAGE_LINK_PREFIX",
    "AssemblyResult",
    "BatesOptions",
    "DocumentInfo",
    "Part",
    "PartPlacement",
    "Position",
    "assemble",
    "count_pages",
    "page_link",
    "plan",
    "relink",
]


@dataclass(frozen=True, slots=True)
class BatesOptions:
    prefix: str  # per lender, ASCII: "ACME-"
    start: int = 1
    width: int = 6  # zero-padded digits: ACME-000001
    position: Position = Position.BOTTOM_RIGHT
    font_size: float = 9.0
    margin: float = 18.0  # points from the visible edge

    def __post_init__(self) -> None:
        check_ascii_label(self.prefix)
        if self.start < 0 or not 1 <= self.width <= 12:
            raise ValueError("Bates start must be >= 0 and width between 1 and 12")

    def label(self, index: int) -> str:
        """The label of the packet's page `index` (0-based)."""
        return f"{self.prefix}{self.start + index:0{self.width}d}"


@dataclass(frozen=True, slots=True)
class Part:
    """One document of the packet: a PDF, or images that become one page each.

    `outline_parent` names the bookmarks this part's bookmark nests under, outermost first,
    e.g. ("证据3 借款合同",) for both the exhibit's cover sheet and its content.
    """

    title: str
    kind: str = "document"
    pdf: Path | None = None
    images: tuple[Path, ...] = ()
    outline_parent: tuple[str, ...] = ()
    bookmark: bool = True
    page_size: tuple[float, float] = A4  # the page images are fitted into (points): the packet's paper
    fit_to: tuple[float, float] | None = None  # a PDF's pages of another paper scaled onto this one

    def __post_init__(self) -> None:
        if (self.pdf is None) == (not self.images):
            raise ValueError(f"part {self.title!r} needs either a PDF or images, not both")

    @classmethod
    def from_pdf(
        cls, path: Path, title: str, *, kind: str = "document", outline_parent: Sequence[str] = (),
        fit_to: tuple[float, float] | None = None,
    ) -> Part:
        """`fit_to`: the packet's paper (points, portrait), onto which a page of another size is
        scaled whole (an A4 scan in a US packet on Letter); None keeps every page as it is."""
        return cls(title, kind, pdf=path, outline_parent=tuple(outline_parent), fit_to=fit_to)

    @classmethod
    def from_images(
        cls,
        paths: Sequence[Path],
        title: str,
        *,
        kind: str = "exhibit",
        outline_parent: Sequence[str] = (),
        page_size: tuple[float, float] = A4,
    ) -> Part:
        return cls(title, kind, images=tuple(paths), outline_parent=tuple(outline_parent),
                   page_size=page_size)


@dataclass(frozen=True, slots=True)
class PartPlacement:
    title: str
    kind: str
    first_page: int  # 1-based, in the assembled packet
    last_page: int
    page_count: int
    bates_first: str
    bates_last: str


@dataclass(frozen=True, slots=True)
class AssemblyResult:
    parts: tuple[PartPlacement, ...]
    total_pages: int
    links: int = 0  # index links turned into internal GoTo links
    bates_first: str = ""
    bates_last: str = ""


def count_pages(path: Path) -> int:
    with pikepdf.open(path) as pdf:
        return len(pdf.pages)


def part_pages(part: Part) -> int:
    if part.pdf is not None:
        return count_pages(part.pdf)
    return sum(_image_frames(image) for image in part.images)


@dataclass(frozen=True, slots=True)
class DocumentInfo:
    """What the assembled PDF says of itself (its document information dictionary and catalog): the
    title a viewer shows in its title bar (DisplayDocTitle) and an e-filing system or a document
    list reads, instead of the file's name; pages copied from other PDFs bring none of theirs."""

    title: str
    subject: str = ""
    producer: str = ""
    language: str = ""  # BCP 47 (en-US, zh-CN): the catalog's /Lang, for a screen reader

    def __post_init__(self) -> None:
        if not self.title.strip():
            raise ValueError("a document's title is required")


def plan(parts: Sequence[Part], bates: BatesOptions | None) -> AssemblyResult:
    """Where every part will land, without assembling: the index needs final page numbers
    before it can be rendered, and assembly then produces exactly this layout."""
    return _placements(parts, [part_pages(part) for part in parts], bates)


def assemble(
    parts: Sequence[Part],
    out_path: Path,
    *,
    bates: BatesOptions | None,
    page_numbers: bool = True,
    draft: bool = False,
    page_number_position: Position | None = None,
    info: DocumentInfo | None = None,
) -> AssemblyResult:
    """Assemble `parts` into `out_path`; the file appears only when complete. Without `bates`
    (a visit kit, not a filing) pages carry only their page number. `info`: the title and subject
    the file states (none: it states none)."""
    if not parts:
        raise AssemblyError("a packet needs at least one part")
    number_position = _number_position(bates, page_number_position) if page_numbers else None
    with ExitStack() as stack, tempfile.TemporaryDirectory(prefix="dossier-assemble-") as work:
        out = stack.enter_context(pikepdf.new())
        counts = [_append(out, part, Path(work) / str(n), stack) for n, part in enumerate(parts)]
        result = _placements(parts, counts, bates)
        _stamp_all(out, bates, number_position, draft=draft)
        _add_outline(out, parts, result.parts)
        if bates is not None:
            _add_page_labels(out, bates)
        links = relink(out)
        if info is not None:
            _describe(out, info)
        _save_atomically(out, out_path)
    return replace(result, links=links)


def _append_fitted(out: pikepdf.Pdf, page: pikepdf.Page, paper: tuple[float, float]) -> None:
    """`page` as it is when it is on `paper` (either way up, within 2pt), else scaled whole onto a
    new page of that paper, turned as the page is (a landscape page onto landscape paper), centred:
    a filing takes one paper (Cal. Rules of Court 2.103; a US packet's is Letter)."""
    box = page.mediabox
    width, height = abs(float(box[2]) - float(box[0])), abs(float(box[3]) - float(box[1]))
    if int(page.obj.get("/Rotate", 0)) % 180:
        width, height = height, width
    short, long = sorted(paper)
    target = (long, short) if width > height else (short, long)
    if abs(width - target[0]) <= 2 and abs(height - target[1]) <= 2:
        out.pages.append(page)
        return
    blank = out.add_blank_page(page_size=target)
    blank.add_overlay(page, pikepdf.Rectangle(0, 0, *target))


def _append(out: pikepdf.Pdf, part: Part, work: Path, stack: ExitStack) -> int:
    before = len(out.pages)
    for source in _sources(part, work):
        try:
            pdf = stack.enter_context(pikepdf.open(source))
            if part.fit_to is None:
                out.pages.extend(pdf.pages)
            else:
                for page in pdf.pages:
                    _append_fitted(out, page, part.fit_to)
        except pikepdf.PdfError as exc:
            raise AssemblyError(f"cannot read part {part.title!r}: {exc}") from exc
    count = len(out.pages) - before
    if count == 0:
        raise AssemblyError(f"part {part.title!r} has no pages")
    return count


def _sources(part: Part, work: Path) -> list[Path]:
    if part.pdf is not None:
        return [part.pdf]
    # One small PDF per image: img2pdf holds only that image's bytes in memory at a time.
    return [image_to_pdf(image, Path(f"{work}-{n}.pdf"), part.page_size) for n, image in enumerate(part.images)]


def _image_frames(image: Path) -> int:
    with Image.open(image) as opened:
        return int(getattr(opened, "n_frames", 1))


def _placements(
    parts: Sequence[Part], counts: Sequence[int], bates: BatesOptions | None
) -> AssemblyResult:
    def label(index: int) -> str:
        return bates.label(index) if bates is not None else ""

    placements: list[PartPlacement] = []
    first = 1
    for part, count in zip(parts, counts, strict=True):
        last = first + count - 1
        placements.append(
            PartPlacement(
                part.title,
                part.kind,
                first,
                last,
                count,
                label(first - 1),
                label(last - 1),
            )
        )
        first = last + 1
    total = first - 1
    return AssemblyResult(
        parts=tuple(placements),
        total_pages=total,
        bates_first=label(0),
        bates_last=label(total - 1),
    )


def _number_position(bates: BatesOptions | None, requested: Position | None) -> Position:
    if bates is None:
        return requested or Position.BOTTOM_CENTER
    default = Position.BOTTOM_RIGHT if bates.position is Position.BOTTOM_CENTER else None
    position = requested or default or Position.BOTTOM_CENTER
    if position is bates.position:
        raise ValueError("page numbers and Bates labels cannot share a position")
    return position


def _stamp_all(
    out: pikepdf.Pdf, bates: BatesOptions | None, number_position: Position | None, *, draft: bool
) -> None:
    style = bates or BatesOptions(prefix="")
    stamper = Stamper(out, size=style.font_size, margin=style.margin, draft=draft)
    total = len(out.pages)
    for index, page in enumerate(out.pages):
        labels = [Label(bates.label(index), bates.position)] if bates is not None else []
        if number_position is not None:
            labels.append(Label(f"{index + 1} / {total}", number_position))
        stamper.stamp(page, labels)


def _add_outline(
    out: pikepdf.Pdf, parts: Sequence[Part], placements: Sequence[PartPlacement]
) -> None:
    with out.open_outline() as outline:
        groups: dict[tuple[str, ...], pikepdf.OutlineItem] = {}
        for part, placement in zip(parts, placements, strict=True):
            if not part.bookmark:
                continue
            siblings = outline.root
            for depth in range(1, len(part.outline_parent) + 1):
                path = part.outline_parent[:depth]
                if path not in groups:
                    # A group bookmark opens at the first page of its first member.
                    groups[path] = pikepdf.OutlineItem(path[-1], placement.first_page - 1)
                    siblings.append(groups[path])
                siblings = groups[path].children
            if part.outline_parent and part.title == part.outline_parent[-1]:
                continue  # the group's own bookmark leads here: no child repeating its title
            siblings.append(pikepdf.OutlineItem(part.title, placement.first_page - 1))


def _add_page_labels(out: pikepdf.Pdf, bates: BatesOptions) -> None:
    # Viewers then show and jump to "ACME-000123", the number lawyers cite, instead of a
    # bare page index. Zero-padding needs an explicit prefix per page.
    numbers = pikepdf.Array()
    for index in range(len(out.pages)):
        numbers.append(index)
        numbers.append(pikepdf.Dictionary(P=pikepdf.String(bates.label(index))))
    out.Root.PageLabels = out.make_indirect(pikepdf.Dictionary(Nums=numbers))


def _describe(out: pikepdf.Pdf, info: DocumentInfo) -> None:
    """The document information dictionary (no dates: the same parts give the same bytes) and the
    catalog's language; a viewer shows the title rather than the file name."""
    out.docinfo["/Title"] = pikepdf.String(info.title)
    for key, value in (("/Subject", info.subject), ("/Producer", info.producer)):
        if value:
            out.docinfo[key] = pikepdf.String(value)
    out.Root.ViewerPreferences = pikepdf.Dictionary(DisplayDocTitle=True)
    if info.language:
        out.Root.Lang = pikepdf.String(info.language)


def _save_atomically(out: pikepdf.Pdf, out_path: Path) -> None:
    fd, name = tempfile.mkstemp(prefix=f".{out_path.name}.", dir=out_path.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        out.save(tmp, deterministic_id=True)
        os.replace(tmp, out_path)
    finally:
        tmp.unlink(missing_ok=True)
