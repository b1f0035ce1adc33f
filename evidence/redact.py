"""The packet's copy of a document Dossier sent, without its own page footer's text.

Issue 10 §6: inside a packet a page shows only the packet's page number and Bates label. The
parts the packet renders itself (pleadings, index, covers, records) are rendered *bound*: their
templates' ``@page @bottom-center`` footer is switched off (service.documents.render, BOUND_CSS),
so they never have one. A notice Dossier already sent is different: its bytes are evidence, and
their SHA-256 is the one the notice history cites. Rendering it again without a footer is not
that document: the templates may have changed since it went out, and its context would be
rebuilt from the case as it stands at the packet's build, so nothing proves the new render says
what was sent. The packet therefore takes the sent file and removes its footer from it.

Painting a white box over the footer (what the packet did before) is not removal: the text stays
in the page, and pdftotext, copy and paste or a court's text search still find "第1页/共2页" in
a page that shows "45 / 61". Here the text is taken out of the content stream instead:

- each page's content is parsed and walked with the graphics and text state (q/Q, cm, BT, Tm,
  Td, TD, T*, TL, Ts) that places every text-showing operator (Tj, TJ, ', ");
- a show whose origin lies in the footer band (bottom-centre of the page as displayed, the
  templates' margin box) is dropped; ' and " keep their line move, so nothing after shifts;
- every other operator is kept as it was, in order; fonts, images, annotations, bookmarks and
  the document's metadata are not touched.

Only Dossier's own renders come here (WeasyPrint output: one content stream per page, text
placed with Tm). Text drawn in the band from inside a form XObject cannot be removed without
altering an object other pages may share: the copy is refused (AssemblyError), never filed
with the footer text still in it. Uploaded exhibits never come here: their packet copies are
their inert copies (evidence.inert), content untouched but for the packet's stamp.

The file as sent goes into the bundle's originals/ byte for byte; the manifest lists what the
packet's copy lost, page by page (``removed_in_packet``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pikepdf

from evidence.errors import AssemblyError
from evidence.stamp import page_frame

Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
_SHOWS = frozenset({"Tj", "TJ", "'", '"'})


@dataclass(frozen=True, slots=True)
class Band:
    """A rectangle in a page's default user space: (x0, y0) to (x1, y1), normalised."""

    x0: float
    y0: float
    x1: float
    y1: float

    def holds(self, x: float, y: float) -> bool:
        return self.x0 <= x <= self.x1 and self.y0 <= y <= self.y1

    def meets(self, other: Band) -> bool:
        return self.x0 <= other.x1 and other.x0 <= self.x1 and self.y0 <= other.y1 and other.y0 <= self.y1


def footer_band(page: pikepdf.Page, *, width: float, height: float) -> Band:
    """The bottom-centre `width` × `height` band of the page as displayed (after /Rotate, inside
    the CropBox), in the page's user space."""
    frame = page_frame(page)
    x = (frame.width - width) / 2
    return _box(frame.matrix, (x, 0.0, x + width, height))


def remove_footer_text(src: Path, dest: Path, *, width: float, height: float) -> list[int]:
    """Write a copy of `src` to `dest` without the text shown in each page's bottom-centre band
    (`width` × `height` points, as displayed); return how many text runs each page lost."""
    removed: list[int] = []
    try:
        pdf = pikepdf.open(src)
    except pikepdf.PdfError as exc:
        raise AssemblyError(f"{src.name}: not a readable PDF ({exc})") from exc
    with pdf:
        for number, page in enumerate(pdf.pages, start=1):
            band = footer_band(page, width=width, height=height)
            ops = pikepdf.parse_content_stream(page)
            _refuse_forms_in_band(page, ops, band, f"{src.name} page {number}")
            kept, dropped = _without_text_in(ops, band)
            removed.append(dropped)
            if dropped:
                page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(kept))
        pdf.save(dest, deterministic_id=True)
    return removed


def text_in(page: pikepdf.Page, band: Band) -> int:
    """How many text runs the page's own content shows with their origin in `band`."""
    return sum(1 for _i, x, y in _placed_shows(pikepdf.parse_content_stream(page)) if band.holds(x, y))


def _without_text_in(ops: Sequence[pikepdf.ContentStreamInstruction | pikepdf.ContentStreamInlineImage],
                     band: Band) -> tuple[list[pikepdf.ContentStreamInstruction | pikepdf.ContentStreamInlineImage],
                                          int]:
    drop = {index for index, x, y in _placed_shows(ops) if band.holds(x, y)}
    kept: list[pikepdf.ContentStreamInstruction | pikepdf.ContentStreamInlineImage] = []
    for index, op in enumerate(ops):
        if index not in drop:
            kept.append(op)
            continue
        name = str(op.operator)
        if name == "'":  # move to the next line, then show: keep the move
            kept.append(pikepdf.ContentStreamInstruction([], pikepdf.Operator("T*")))
        elif name == '"':  # set word and character spacing, move, show: keep all but the show
            word, char = op.operands[0], op.operands[1]
            kept += [pikepdf.ContentStreamInstruction([word], pikepdf.Operator("Tw")),
                     pikepdf.ContentStreamInstruction([char], pikepdf.Operator("Tc")),
                     pikepdf.ContentStreamInstruction([], pikepdf.Operator("T*"))]
    return kept, len(drop)


def _with_ctm(ops: Sequence[pikepdf.ContentStreamInstruction | pikepdf.ContentStreamInlineImage]
              ) -> Iterator[tuple[int, str, Any, Matrix]]:
    """Each operator (inline images skipped) with its index, name, operands and the current
    transformation matrix after it (q/Q save and restore it, cm concatenates)."""
    ctm, stack = IDENTITY, list[Matrix]()
    for index, op in enumerate(ops):
        if isinstance(op, pikepdf.ContentStreamInlineImage):
            continue
        name, args = str(op.operator), op.operands
        if name == "q":
            stack.append(ctm)
        elif name == "Q":
            ctm = stack.pop() if stack else IDENTITY
        elif name == "cm" and len(args) == 6:
            ctm = _mul(_matrix(args), ctm)
        yield index, name, args, ctm


def _placed_shows(ops: Sequence[pikepdf.ContentStreamInstruction | pikepdf.ContentStreamInlineImage]
                  ) -> Iterator[tuple[int, float, float]]:
    """Each text-showing operator's index and its origin in user space (the text's start on its
    baseline, raised by Ts)."""
    tm = tlm = IDENTITY
    leading = rise = 0.0
    for index, name, args, ctm in _with_ctm(ops):
        if name == "BT":
            tm = tlm = IDENTITY
        elif name == "Tm" and len(args) == 6:
            tm = tlm = _matrix(args)
        elif name in ("Td", "TD") and len(args) == 2:
            if name == "TD":
                leading = -float(args[1])
            tm = tlm = _mul((1.0, 0.0, 0.0, 1.0, float(args[0]), float(args[1])), tlm)
        elif name == "TL" and len(args) == 1:
            leading = float(args[0])
        elif name == "Ts" and len(args) == 1:
            rise = float(args[0])
        if name in ("T*", "'", '"'):
            tm = tlm = _mul((1.0, 0.0, 0.0, 1.0, 0.0, -leading), tlm)
        if name in _SHOWS:
            x, y = _apply(_mul(tm, ctm), 0.0, rise)
            yield index, x, y


def _refuse_forms_in_band(page: pikepdf.Page, ops: Sequence[pikepdf.ContentStreamInstruction |
                                                            pikepdf.ContentStreamInlineImage],
                          band: Band, where: str) -> None:
    """A form XObject that shows text and reaches into the band: its text cannot be removed from
    this page alone."""
    forms: Any = page.resources.get("/XObject", {})
    for _index, name, args, ctm in _with_ctm(ops):
        if name == "Do" and len(args) == 1 and str(args[0]) in forms:
            form = forms[str(args[0])]
            if form.get("/Subtype") != pikepdf.Name.Form or b"BT" not in form.read_bytes():
                continue
            inner = _mul(_matrix(form.get("/Matrix", list(IDENTITY))), ctm)
            x0, y0, x1, y1 = (float(v) for v in form.BBox)
            if _box(inner, (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))).meets(band):
                raise AssemblyError(f"{where}: text in a form XObject reaches the page footer band; "
                                    "it cannot be removed from this page's copy alone")


def _matrix(values: Iterable[Any]) -> Matrix:
    a, b, c, d, e, f = (float(v) for v in values)
    return a, b, c, d, e, f


def _mul(m: Matrix, n: Matrix) -> Matrix:
    """m × n, PDF's row-vector convention: apply m, then n."""
    a1, b1, c1, d1, e1, f1 = m
    a2, b2, c2, d2, e2, f2 = n
    return (a1 * a2 + b1 * c2, a1 * b2 + b1 * d2, c1 * a2 + d1 * c2, c1 * b2 + d1 * d2,
            e1 * a2 + f1 * c2 + e2, e1 * b2 + f1 * d2 + f2)


def _apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = m
    return a * x + c * y + e, b * x + d * y + f


def _box(m: Matrix, rect: tuple[float, float, float, float]) -> Band:
    x0, y0, x1, y1 = rect
    corners = [_apply(m, x, y) for x, y in ((x0, y0), (x1, y0), (x0, y1), (x1, y1))]
    xs, ys = [p[0] for p in corners], [p[1] for p in corners]
    return Band(min(xs), min(ys), max(xs), max(ys))
