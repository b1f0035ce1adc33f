"""Stamping pages with Bates labels, page numbers and a DRAFT watermark.

Each page gets one small content stream appended, drawn with Liberation Sans (metric-compatible
with Helvetica, whose widths lay the labels out), embedded once per packet as a small subset of
its printable ASCII (a court's archive format wants every font embedded; nothing of the page is
decoded or re-rendered), and the page's original content is wrapped in
q/Q so whatever graphics state it leaves behind cannot move or hide our labels. Labels are
placed in the page's visible box as the reader sees it: after /Rotate, inside the CropBox,
wherever the MediaBox origin is.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from pathlib import Path

import pikepdf

FONT = pikepdf.Name("/DossierHelv")
BOLD = pikepdf.Name("/DossierHelvBold")
GSTATE = pikepdf.Name("/DossierWatermark")

# Advance widths of Helvetica for ASCII 32..126, in 1/1000 em (Adobe's AFM): needed to
# right-align and centre labels without embedding or parsing a font.
_HELVETICA = (
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
)  # fmt: skip
_DRAFT = "DRAFT"
_DRAFT_WIDTH = 722 + 722 + 722 + 611 + 611  # Helvetica-Bold D, R, A, F, T
_CAP_HEIGHT = 0.718  # Helvetica cap height in em: keeps top labels inside the box


class Position(StrEnum):
    TOP_LEFT = "top_left"
    TOP_RIGHT = "top_right"
    BOTTOM_LEFT = "bottom_left"
    BOTTOM_RIGHT = "bottom_right"
    BOTTOM_CENTER = "bottom_center"


@dataclass(frozen=True, slots=True)
class Label:
    text: str
    position: Position


@dataclass(frozen=True, slots=True)
class Frame:
    """The visible page as displayed: its size, and the matrix from display to user space."""

    width: float
    height: float
    matrix: tuple[float, float, float, float, float, float]


def check_ascii_label(text: str) -> str:
    if not all(32 <= ord(char) < 127 for char in text):
        raise ValueError(f"labels must be printable ASCII: {text!r}")
    return text


def text_width(text: str, size: float) -> float:
    return sum(_HELVETICA[ord(char) - 32] for char in text) * size / 1000


def page_frame(page: pikepdf.Page) -> Frame:
    x0, y0, x1, y1 = _visible_box(page)
    rotate = _rotation(page)
    # Display coordinates (u, v) start at the displayed bottom-left corner; /Rotate turns the
    # page clockwise, so each case maps (u, v) back onto the unrotated user space.
    if rotate == 90:
        return Frame(y1 - y0, x1 - x0, (0, 1, -1, 0, x1, y0))
    if rotate == 180:
        return Frame(x1 - x0, y1 - y0, (-1, 0, 0, -1, x1, y1))
    if rotate == 270:
        return Frame(y1 - y0, x1 - x0, (0, -1, 1, 0, x0, y1))
    return Frame(x1 - x0, y1 - y0, (1, 0, 0, 1, x0, y0))


def _visible_box(page: pikepdf.Page) -> tuple[float, float, float, float]:
    media = _normalised(page.mediabox)
    crop = _normalised(page.cropbox)
    # A CropBox reaching outside the MediaBox is clipped to it by viewers.
    box = (max(media[0], crop[0]), max(media[1], crop[1]), min(media[2], crop[2]))
    top = min(media[3], crop[3])
    if box[2] <= box[0] or top <= box[1]:
        return media
    return (*box, top)


def _normalised(array: pikepdf.Array) -> tuple[float, float, float, float]:
    x0, y0, x1, y1 = (float(value) for value in array)
    return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)


def _rotation(page: pikepdf.Page) -> int:
    try:
        rotate = int(page.obj.get("/Rotate", 0)) % 360
    except (TypeError, ValueError):
        return 0
    return rotate if rotate in (0, 90, 180, 270) else 0


def overlay(frame: Frame, labels: list[Label], *, size: float, margin: float, draft: bool) -> bytes:
    """The content stream drawn over one page, in display coordinates."""
    ops = ["Q", "q", "{} {} {} {} {} {} cm".format(*(_num(x) for x in frame.matrix))]
    ops.append("/Artifact BMC")  # tagged-PDF readers skip it when reading the page aloud
    if draft:
        ops += _watermark(frame)
    for label in labels:
        ops += _label(frame, label, size, margin)
    ops += ["EMC", "Q", ""]
    # The leading newline keeps our first operator apart from the page's last token.
    return ("\n" + "\n".join(ops)).encode("ascii")


def _label(frame: Frame, label: Label, size: float, margin: float) -> list[str]:
    # Shrink rather than spill over the edge of very small pages.
    room = max(frame.width - 2 * margin, 1.0)
    size = min(size, room * 1000 / max(text_width(label.text, 1000), 1))
    width = text_width(label.text, size)
    x = {
        Position.TOP_LEFT: margin,
        Position.BOTTOM_LEFT: margin,
        Position.TOP_RIGHT: frame.width - margin - width,
        Position.BOTTOM_RIGHT: frame.width - margin - width,
        Position.BOTTOM_CENTER: (frame.width - width) / 2,
    }[label.position]
    top = label.position in (Position.TOP_LEFT, Position.TOP_RIGHT)
    y = frame.height - margin - size * _CAP_HEIGHT if top else margin
    return [
        "BT",
        f"{FONT} {_num(size)} Tf 0 g",
        f"{_num(x)} {_num(y)} Td ({_escape(label.text)}) Tj",
        "ET",
    ]


def _watermark(frame: Frame) -> list[str]:
    angle = math.atan2(frame.height, frame.width)
    diagonal = math.hypot(frame.width, frame.height)
    size = diagonal * 0.6 * 1000 / _DRAFT_WIDTH
    cos, sin = math.cos(angle), math.sin(angle)
    centre = (frame.width / 2, frame.height / 2)
    return [
        "q",
        f"{GSTATE} gs 0.5 g",
        "{} {} {} {} {} {} cm".format(*(_num(x) for x in (cos, sin, -sin, cos, *centre))),
        "BT",
        f"{BOLD} {_num(size)} Tf",
        f"{_num(-_DRAFT_WIDTH * size / 2000)} {_num(-size * _CAP_HEIGHT / 2)} Td ({_DRAFT}) Tj",
        "ET",
        "Q",
    ]


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def _num(value: float) -> str:
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


class Stamper:
    """Holds the objects every stamped page shares, so 2,000 pages cost 2,000 tiny streams
    and no duplicated fonts."""

    def __init__(self, pdf: pikepdf.Pdf, *, size: float, margin: float, draft: bool) -> None:
        self._pdf = pdf
        self._size, self._margin, self._draft = size, margin, draft
        self._save_state = pdf.make_stream(b"q\n")
        self._fonts = {
            FONT: pdf.make_indirect(_embedded_font(pdf, REGULAR_FONT, "DSRLAB+LiberationSans")),
            BOLD: pdf.make_indirect(_embedded_font(pdf, BOLD_FONT, "DSRLAB+LiberationSans-Bold")),
        }
        self._gstate = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.ExtGState, ca=0.25))

    def stamp(self, page: pikepdf.Page, labels: list[Label]) -> None:
        for name, font in self._fonts.items():
            page.add_resource(font, pikepdf.Name.Font, name)
        if self._draft:
            page.add_resource(self._gstate, pikepdf.Name.ExtGState, GSTATE)
        content = overlay(
            page_frame(page), labels, size=self._size, margin=self._margin, draft=self._draft
        )
        page.contents_add(self._save_state, prepend=True)
        page.contents_add(self._pdf.make_stream(content))


FONT_DIRS = (Path("/usr/share/fonts/truetype/liberation2"), Path("/usr/share/fonts/truetype/liberation"))
REGULAR_FONT, BOLD_FONT = "LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf"
_FIRST, _LAST = 32, 126


def _font_path(name: str) -> Path:
    for folder in FONT_DIRS:
        if (folder / name).is_file():
            return folder / name
    raise FileNotFoundError(f"{name} not found in {', '.join(map(str, FONT_DIRS))} (Debian: fonts-liberation2)")


@lru_cache(maxsize=4)
def _subset(name: str) -> tuple[bytes, tuple[int, ...], tuple[int, int, int, int], dict[str, float]]:
    """The printable-ASCII subset of a TrueType face, its widths (1/1000 em) and its metrics."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(str(_font_path(name)))
    options = subset.Options()
    options.notdef_outline, options.name_IDs, options.layout_features = True, ["*"], []
    options.drop_tables = [*options.drop_tables, "FFTM"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=range(_FIRST, _LAST + 1))
    subsetter.subset(font)
    scale = 1000 / font["head"].unitsPerEm
    cmap, hmtx = font.getBestCmap(), font["hmtx"]
    widths = tuple(round(hmtx[cmap[c]][0] * scale) if c in cmap else 0 for c in range(_FIRST, _LAST + 1))
    head, os2 = font["head"], font["OS/2"]
    bbox = (round(head.xMin * scale), round(head.yMin * scale), round(head.xMax * scale), round(head.yMax * scale))
    metrics = {"ascent": os2.sTypoAscender * scale, "descent": os2.sTypoDescender * scale,
               "cap": getattr(os2, "sCapHeight", 700) * scale}
    out = io.BytesIO()
    font.save(out)
    return out.getvalue(), widths, bbox, metrics


def _embedded_font(pdf: pikepdf.Pdf, name: str, base: str) -> pikepdf.Dictionary:
    data, widths, bbox, m = _subset(name)
    descriptor = pikepdf.Dictionary(
        Type=pikepdf.Name.FontDescriptor, FontName=pikepdf.Name("/" + base), Flags=32,
        FontBBox=pikepdf.Array(list(bbox)), ItalicAngle=0, Ascent=round(m["ascent"]),
        Descent=round(m["descent"]), CapHeight=round(m["cap"]), StemV=80,
        FontFile2=pdf.make_stream(data, Length1=len(data)),
    )
    return pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.TrueType, BaseFont=pikepdf.Name("/" + base),
        FirstChar=_FIRST, LastChar=_LAST, Widths=pikepdf.Array(list(widths)),
        Encoding=pikepdf.Name.WinAnsiEncoding, FontDescriptor=pdf.make_indirect(descriptor),
    )

