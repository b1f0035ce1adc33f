"""Fixed-layout forms: lay a notice out once, then fill its fields for every borrower.

A template opts in by putting each per-borrower value in a field — ``{{ field(borrower.name) }}``
— a fixed-size box (an inline block whose width the template sets) that holds one line. Then
nothing about the page's layout depends on the values: every notice that shares the rest of its
text (the lender, the batch's dates, which optional paragraphs and rows appear) shares one
layout. WeasyPrint renders that layout once per process — the *form*, with an invisible marker
where each value goes — and each notice is the form's page content with its values drawn into
the fields, plus a font subset holding just the values' glyphs.

Why: WeasyPrint spends ~50 ms of CPU laying out, painting and writing a one-page CJK notice;
filling a form costs a few milliseconds (bench/ measures both), which is what bulk mailings of
thousands of reminders need on two cores.

What keeps this honest:

- The form is keyed by the form HTML itself (the template's output with the values left out),
  so any difference outside the fields — a lender, a date, an extra row — is a different form.
- The field's position, width, alignment, font face, size and colour come from WeasyPrint's own
  layout of the form; the values are set in the same compact fonts with the same advance widths
  (the fonts carry no kerning or ligature tables), and drawn where the marker was in the page's
  content stream, so text extraction reads them in order.
- A value that does not fit its field, or has a character none of the compact faces holds,
  makes that notice render the ordinary way: the form's HTML with the values written inline
  (``flow_html``), laid out by WeasyPrint. Which way a notice goes depends only on its own
  inputs, so it always gives the same bytes, alone or in a batch.
"""

import fcntl
import hashlib
import os
import pickle
import re
import struct
import threading
import zlib
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from io import BytesIO
from pathlib import Path
from typing import Any

import pikepdf
from markupsafe import Markup, escape

from service.documents import fonts, hbsubset, typography, weasy
from service.documents.exceptions import RenderFailed

# --------------------------------------------------------------------------------- the template side

MARK_CHAR = "国"  # in every compact face; drawn in a marker colour where a value goes, then replaced
_MARK_RED = 253
_COLLECTOR: ContextVar[list[str] | None] = ContextVar("form_fields", default=None)
_WIDTH = re.compile(r"^\d+(\.\d+)?(em|mm|%)$")
_FIELD = re.compile(r'<span class="field" data-field="(\d+)"[^>]*><span class="field-mark"[^>]*>'
                    + MARK_CHAR + r"</span></span>")


def field(value: Any, width: str = "100%") -> Markup:
    """A template global: the value as text, or — while a form is being built — a fixed box.

    ``width`` is the box's width (``12em``, ``40mm``, ``100%`` of the containing block); the
    value must fit on one line inside it, or the notice is laid out the ordinary way.
    """
    text = str(value)
    collected = _COLLECTOR.get()
    if collected is None:
        return escape(text)
    if not _WIDTH.match(width):
        raise RenderFailed(f"field width {width!r}: use a number with em, mm or %")
    index = len(collected)
    code = index + 1
    if code > 0xFFFF:  # beyond what a marker colour can number: plain text, part of the layout
        return escape(text)
    collected.append(text)
    return Markup(f'<span class="field" data-field="{index}" style="width: {width}">'
                  f'<span class="field-mark" style="color: rgb({_MARK_RED}, {code >> 8}, {code & 255})">'
                  f"{MARK_CHAR}</span></span>")


@contextmanager
def collecting() -> Iterator[list[str]]:
    """Within this block ``field()`` builds a form and records each value, in order."""
    values: list[str] = []
    token = _COLLECTOR.set(values)
    try:
        yield values
    finally:
        _COLLECTOR.reset(token)


def flow_html(form_html: str, values: list[str], names: Sequence[str] = ()) -> str:
    """The form's HTML with each value written inline: what the template gives without forms.

    The values' amounts, dates and numbers are kept whole as in the rest of the text (the form's
    HTML had its tokens wrapped before the values were put back): a value that no longer fits
    its box may wrap, but between tokens, never inside one (nor inside one of `names`, the
    organisations the document names)."""
    return _FIELD.sub(lambda m: typography.keep_tokens_text(values[int(m.group(1))], names), form_html)


def text_html(form_html: str, values: list[str]) -> str:
    """The form's HTML with each value written inline as plain text: the text ``flow_html``'s
    HTML shows, without its work of keeping tokens whole (what checking the text needs)."""
    return _FIELD.sub(lambda m: str(escape(values[int(m.group(1))])), form_html)


# ------------------------------------------------------------------------------------ the fonts


@dataclass(frozen=True)
class FaceData:
    """What setting text in one compact face needs: glyphs, advances and the descriptor."""

    path: str
    cmap: dict[int, int]  # code point -> glyph id (= CID in the compact faces)
    advances: list[int]  # by glyph id, in 1/1000 em
    descriptor: dict[str, Any]


@lru_cache(maxsize=8)
def face_data(path: str) -> FaceData:
    from fontTools.ttLib import TTFont

    font = TTFont(path, lazy=True)
    order = {name: gid for gid, name in enumerate(font.getGlyphOrder())}
    scale = 1000 / font["head"].unitsPerEm
    hmtx = font["hmtx"].metrics
    advances = [round(hmtx[name][0] * scale) for name in font.getGlyphOrder()]
    cmap = {cp: order[name] for cp, name in font.getBestCmap().items()}
    head, hhea, os2 = font["head"], font["hhea"], font["OS/2"]
    descriptor = {
        "/Flags": 4, "/ItalicAngle": 0, "/StemV": 80, "/StemH": 80,
        "/Ascent": round(hhea.ascent * scale), "/Descent": round(hhea.descent * scale),
        "/CapHeight": round(getattr(os2, "sCapHeight", hhea.ascent) * scale),
        "/FontBBox": [round(v * scale) for v in (head.xMin, head.yMin, head.xMax, head.yMax)],
    }
    font.close()
    return FaceData(path, cmap, advances, descriptor)


def _often_used(face: str) -> bool:
    """The main faces (nearly every document); the extension face serves rare characters."""
    return not any(f.extension and f.file_name == Path(face).name for f in fonts.FACES)


def warm(templates_dir: Path) -> None:
    """Load the main faces' metrics and subsetting indexes now rather than on a first document."""
    for face in _faces_by_family(templates_dir).values():
        if _often_used(face) and Path(face).is_file():
            face_data(face)
            hbsubset.subset_glyphs(face, [0])


LATIN_FAMILIES = ("Dossier Serif Latin", "Dossier Sans Latin")  # base.css; not filled by forms


def _faces_by_family(templates_dir: Path) -> dict[str, str]:
    """CSS family name -> compact face file, as base.css declares them."""
    directory = fonts.font_dir(templates_dir)
    return {"Dossier Serif": str(directory / "DossierSerif.otf"),
            "Dossier Sans": str(directory / "DossierSans.otf"),
            "Dossier Serif Ext": str(directory / "DossierSerifExt.otf")}


# ------------------------------------------------------------------------------------- the form


@dataclass(frozen=True)
class FieldBox:
    page: int
    left: float  # CSS px, as the page content stream draws (y grows downwards)
    width: float
    baseline: float
    size: float  # font size, px
    align: str  # left | right | center
    color: str  # "r g b" fill operands
    faces: tuple[str, ...]  # font files to try, in the family's order
    # the family starts with a Latin punctuation face (en-US.css): a value with one of its
    # characters (fonts.LATIN_PUNCTUATION) is laid out by WeasyPrint, the form fills the others
    latin: bool = False


@dataclass(frozen=True)
class FormFont:
    """A compact face the form's static text already uses: its resource name and glyphs."""

    resource: str
    cids: frozenset[int]
    text: dict[int, str]  # CID -> text, from the form's ToUnicode map


@dataclass(frozen=True)
class Form:
    pdf: bytes  # WeasyPrint's rendering of the form
    pages: int
    # Per page: the decompressed content stream cut at each field, and the fields between cuts.
    segments: tuple[tuple[bytes, ...], ...]
    order: tuple[tuple[int, ...], ...]
    fields: tuple[FieldBox, ...]
    fonts: dict[str, FormFont]  # by face file


class FormUnusable(Exception):
    """The form cannot be filled safely (e.g. a field box split or hidden): lay notices out whole."""


_BFCHAR = re.compile(rb"<([0-9a-fA-F]{4})> <([0-9a-fA-F]+)>")


def _color(rgb: tuple[float, float, float]) -> str:
    return " ".join(_num(v) for v in rgb)


def _num(value: float) -> str:
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return text if text not in ("", "-0") else "0"


def _field_boxes(document: Any, count: int, families: dict[str, str]) -> dict[int, dict[str, Any]]:
    if not weasy.supported():
        raise FormUnusable(f"WeasyPrint {weasy.weasyprint_version()} is outside the tested range")
    found: dict[int, dict[str, Any]] = {}
    for laid in weasy.laid_out_fields(document):
        index = laid.index
        if index in found:
            raise FormUnusable(f"field {index} was split across lines or pages")
        # One line: a justified field's only line is its last, which starts at the left.
        align = {"start": "left", "left": "left", "justify": "left", "end": "right", "right": "right",
                 "center": "center"}.get(laid.text_align)
        if align is None or laid.letter_spacing not in ("normal", 0):
            raise FormUnusable(f"field {index}: alignment {laid.text_align} / letter spacing")
        faces = []
        family_names = list(laid.font_family)
        latin = bool(family_names) and family_names[0] in LATIN_FAMILIES
        for family in family_names[latin:]:
            if family not in families:
                break
            faces.append(families[family])
        if not faces:
            raise FormUnusable(f"field {index}: none of {laid.font_family} is a compact face")
        found[index] = {"page": laid.page, "left": laid.left, "width": laid.width, "align": align,
                        "color": _color(laid.color), "faces": tuple(faces), "latin": latin}
    if sorted(found) != list(range(count)):
        raise FormUnusable(f"laid out {len(found)} of {count} fields")
    return found


def _form_fonts(source: pikepdf.Pdf, templates_dir: Path) -> dict[str, FormFont]:
    by_name = {_base_name(path): path for path in _faces_by_family(templates_dir).values()}
    found: dict[str, FormFont] = {}
    for page in source.pages:
        for resource, font in page.Resources.get("/Font", {}).items():
            face = by_name.get(str(font.BaseFont).split("+", 1)[-1])
            if face is None:
                continue
            text = {int(cid, 16): bytes.fromhex(code.decode()).decode("utf-16-be")
                    for cid, code in _BFCHAR.findall(font.ToUnicode.read_bytes())}
            known = found.get(face)
            if known is not None and known.resource != resource[1:]:
                raise FormUnusable(f"{Path(face).name} appears as two fonts")
            found[face] = FormFont(resource[1:], frozenset(text), text)
    return found


def compile_form(document: Any, pdf: bytes, count: int, templates_dir: Path) -> Form:
    """Find each field in the laid-out form and cut the page content streams around it."""
    boxes = _field_boxes(document, count, _faces_by_family(templates_dir))
    source = pikepdf.open(BytesIO(pdf))
    segments: list[tuple[bytes, ...]] = []
    order: list[tuple[int, ...]] = []
    fields: dict[int, FieldBox] = {}
    for page_no, page in enumerate(source.pages):
        stream = page.obj.get("/Contents")
        if not isinstance(stream, pikepdf.Stream):
            raise FormUnusable(f"page {page_no + 1}: content is not one stream")
        content = stream.read_bytes()
        cuts: list[bytes] = []
        indices: list[int] = []
        position = 0
        for run in weasy.text_runs(content):
            if run.rgb[0] != _MARK_RED:
                continue
            index = (run.rgb[1] << 8 | run.rgb[2]) - 1
            box = boxes.get(index)
            if (box is None or box["page"] != page_no or run.baseline is None or run.size is None
                    or index in fields):
                raise FormUnusable(f"field {index}: marker not where the layout put it")
            fields[index] = FieldBox(page=page_no, left=box["left"], width=box["width"], baseline=run.baseline,
                                     size=run.size, align=box["align"], color=box["color"], faces=box["faces"],
                                     latin=box["latin"])
            cuts.append(content[position:run.start])
            indices.append(index)
            position = run.end
        cuts.append(content[position:])
        segments.append(tuple(cuts))
        order.append(tuple(indices))
    if len(fields) != count:
        raise FormUnusable(f"found {len(fields)} of {count} field markers in the page content")
    form_fonts = _form_fonts(source, templates_dir)
    _compact_static_fonts(source, form_fonts)
    out = BytesIO()
    source.save(out, compress_streams=False, object_stream_mode=pikepdf.ObjectStreamMode.preserve,
                deterministic_id=True, fix_metadata_version=False)
    return Form(pdf=out.getvalue(), pages=len(source.pages), segments=tuple(segments), order=tuple(order),
                fields=tuple(fields[i] for i in range(count)), fonts=form_fonts)


def _compact_static_fonts(source: pikepdf.Pdf, form_fonts: dict[str, FormFont]) -> None:
    """Re-cut the form's compact-face subsets without WeasyPrint's retained empty glyph slots.

    Paid once per form, it saves every notice the slots' bytes. The glyphs keep their CIDs
    (the CFF charset maps them), so the content stream is unchanged.
    """
    for page in source.pages:
        for resource, font in page.Resources.get("/Font", {}).items():
            for face, known in form_fonts.items():
                if known.resource == resource[1:]:
                    program = cff_table(hbsubset.subset_glyphs(face, sorted({0, *known.cids}),
                                                               prepare=_often_used(face)))
                    descriptor = font.DescendantFonts[0].FontDescriptor
                    descriptor.FontFile3 = source.make_stream(zlib.compress(program, 9),
                                                              Filter=pikepdf.Name.FlateDecode,
                                                              Subtype=pikepdf.Name.CIDFontType0C)


# ------------------------------------------------------------------------------------- filling


@dataclass(frozen=True)
class _Run:
    face: str
    cids: tuple[int, ...]
    text: str


def _runs(text: str, faces: tuple[str, ...]) -> list[_Run] | None:
    """Split text into runs per face (the first face of the family that has the character)."""
    datas = [face_data(f) for f in faces]
    found: list[tuple[str, list[int], list[str]]] = []  # face, glyph ids, characters
    for char in text:
        cp = ord(char)
        for data in datas:
            gid = data.cmap.get(cp)
            if gid:
                if found and found[-1][0] == data.path:
                    found[-1][1].append(gid)
                    found[-1][2].append(char)
                else:
                    found.append((data.path, [gid], [char]))
                break
        else:
            return None
    return [_Run(face, tuple(cids), "".join(chars)) for face, cids, chars in found]


_PANGO_SCALE = 1024  # Pango's units per pixel: each glyph's advance is a whole number of them


def _width(runs: list[_Run], size: float) -> float:
    """The value's width as WeasyPrint measures it (through Pango): each glyph's advance rounded
    to Pango units, so a right-aligned or centred value starts exactly where the layout puts it."""
    scale = size / 1000 * _PANGO_SCALE
    return sum(round(face_data(run.face).advances[cid] * scale) for run in runs for cid in run.cids) / _PANGO_SCALE


class Unfillable(Exception):
    """A value does not fit its field (or has a glyph the compact faces lack)."""


def fill(form: Form, values: list[str]) -> bytes:
    """The form with `values` drawn into its fields: one complete PDF.

    A value's glyph that the form's own font subset already holds is drawn from it; the others
    come from one small subset per face holding just those glyphs.
    """
    if len(values) != len(form.fields):
        raise RenderFailed(f"form has {len(form.fields)} fields, got {len(values)} values")
    placed: list[tuple[FieldBox, list[_Run], float]] = []
    extra: dict[str, dict[int, str]] = {}  # face -> glyphs the form's fonts lack
    for box, value in zip(form.fields, values, strict=True):
        if box.latin and any(char in fonts.LATIN_PUNCTUATION for char in value):
            raise Unfillable("a character is set in the Latin punctuation face")
        runs = _runs(value, box.faces)
        if runs is None:
            raise Unfillable("a character is not in the compact faces")
        width = _width(runs, box.size)
        if width > box.width + 0.01:
            raise Unfillable(f"{value!r} is wider than its field")
        x = box.left + {"left": 0.0, "right": box.width - width, "center": (box.width - width) / 2}[box.align]
        placed.append((box, runs, x))
        for run in runs:
            static = form.fonts.get(run.face)
            for cid, char in zip(run.cids, run.text, strict=True):
                if static is None or cid not in static.cids:
                    extra.setdefault(run.face, {}).setdefault(cid, char)

    with _opened(form) as pdf:
        added: dict[str, str] = {}
        for face, text in sorted(extra.items()):
            added[face] = tag = _subset_tag(face, text)
            font = _font(pdf, tag, face, text)
            for page in pdf.pages:
                page.Resources.Font[f"/{tag}"] = font
        for page_no, page in enumerate(pdf.pages):
            parts = [form.segments[page_no][0]]
            for index, segment in zip(form.order[page_no], form.segments[page_no][1:], strict=True):
                box, runs, x = placed[index]
                parts.append(_draw(box, runs, x, form.fonts, added))
                parts.append(segment)
            page.Contents = pdf.make_stream(zlib.compress(b"".join(parts), 6), Filter=pikepdf.Name.FlateDecode)
        out = BytesIO()
        # The /ID is an MD5 of what qpdf writes: the same notice gives the same bytes.
        pdf.save(out, compress_streams=False, object_stream_mode=pikepdf.ObjectStreamMode.preserve,
                 deterministic_id=True, fix_metadata_version=False)
        return out.getvalue()


class _OpenForm:
    """A form's PDF opened once and filled notice after notice: opening it (qpdf parsing the
    form) was a fifth of a filled notice's CPU time. After each fill the pages get their form
    content and fonts back; what the fill added stays in the file's object table but nothing
    refers to it, and qpdf writes only the objects the document reaches, numbered as it reaches
    them, so a notice's bytes are those of a form opened afresh. Opened again after
    ``REOPEN_AFTER`` fills, so those unreferenced objects do not pile up: qpdf keeps each fill's
    content stream and font objects (~20 KB of native memory) until the file is closed, so with
    up to ``_KEEP_OPEN`` forms kept, 100 fills a form held up to ~60 MB that Python's own
    allocations never show; a Celery worker's resident set grew +10 % over a 6,000-reminder batch
    (14 forms) until every form had been reopened once, and +3 % at 5 fills. Opening a form again
    costs ~0.2 ms, ~0.02 ms a notice at 10."""

    REOPEN_AFTER = 10

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.pdf: pikepdf.Pdf | None = None
        self.fills = 0
        self.pages: list[tuple[Any, frozenset[str]]] = []  # each page's form content and font names

    def open(self, form: Form) -> pikepdf.Pdf:
        if self.pdf is None or self.fills >= self.REOPEN_AFTER:
            self.close()
            self.pdf = pikepdf.open(BytesIO(form.pdf))
            self.fills = 0
            self.pages = [(page.obj.get("/Contents"), frozenset(page.Resources.Font.keys())) for page in self.pdf.pages]
        self.fills += 1
        return self.pdf

    def restore(self) -> None:
        assert self.pdf is not None
        for page, (contents, font_names) in zip(self.pdf.pages, self.pages, strict=True):
            page.Contents = contents
            fonts_of_page = page.Resources.Font
            for name in set(fonts_of_page.keys()) - font_names:
                del fonts_of_page[name]

    def close(self) -> None:
        if self.pdf is not None:
            self.pdf.close()
            self.pdf = None


_OPEN_FORMS: OrderedDict[int, tuple[Form, _OpenForm]] = OrderedDict()  # by id(form), the form kept alive
_OPEN_FORMS_LOCK = threading.Lock()
_KEEP_OPEN = 32  # forms; a process renders a few forms at a time (a batch's lenders and kinds)


@contextmanager
def _opened(form: Form) -> Iterator[pikepdf.Pdf]:
    """The form's PDF to fill: the one kept open for it, or — while another thread fills that
    one — a copy opened for this fill alone. Whatever happens in the block, the kept one is
    given its form pages back (or dropped, when that fails)."""
    with _OPEN_FORMS_LOCK:
        entry = _OPEN_FORMS.get(id(form))
        if entry is None or entry[0] is not form:
            entry = _OPEN_FORMS[id(form)] = (form, _OpenForm())
            while len(_OPEN_FORMS) > _KEEP_OPEN:  # closed when no fill uses it any more
                _OPEN_FORMS.popitem(last=False)
        _OPEN_FORMS.move_to_end(id(form))
    kept = entry[1]
    if not kept.lock.acquire(blocking=False):
        with pikepdf.open(BytesIO(form.pdf)) as own:
            yield own
        return
    try:
        pdf = kept.open(form)
        try:
            yield pdf
        finally:
            try:
                kept.restore()
            except Exception:
                kept.close()
                raise
    finally:
        kept.lock.release()


def cff_table(font: bytes) -> bytes:
    """The bare CFF program of an OpenType/CFF font (what PDF calls CIDFontType0C)."""
    count = struct.unpack(">H", font[4:6])[0]
    for i in range(count):
        tag, _checksum, offset, length = struct.unpack(">4sIII", font[12 + 16 * i:28 + 16 * i])
        if tag == b"CFF ":
            return font[offset:offset + length]
    raise RenderFailed("font has no CFF table")


def _subset_tag(face: str, text: dict[int, str]) -> str:
    digest = hashlib.sha256(Path(face).name.encode() + b"|" + ",".join(map(str, sorted(text))).encode()).digest()
    return "".join(chr(ord("A") + b % 26) for b in digest[:6])


def _draw(box: FieldBox, runs: list[_Run], x: float, static: dict[str, FormFont], added: dict[str, str]) -> bytes:
    ops = [f"{box.color} rg", "BT", f"1 0 0 -1 {_num(x)} {_num(box.baseline)} Tm"]
    current, codes = "", list[str]()
    for run in runs:
        known = static.get(run.face)
        for cid in run.cids:
            resource = known.resource if known is not None and cid in known.cids else added[run.face]
            if resource != current:
                if codes:
                    ops.append("<" + "".join(codes) + "> Tj")
                ops.append(f"/{resource} {_num(box.size)} Tf")
                current, codes = resource, []
            codes.append(f"{cid:04x}")
    if codes:
        ops.append("<" + "".join(codes) + "> Tj")
    ops.append("ET")
    return ("\n".join(ops) + "\n").encode("ascii")


def _base_name(face: str) -> str:
    return {"DossierSerif": "Dossier-Serif", "DossierSans": "Dossier-Sans-Bold",
            "DossierSerifExt": "Dossier-Serif-Ext"}.get(Path(face).stem, Path(face).stem)


@lru_cache(maxsize=256)
def _font_streams(face: str, text: tuple[tuple[int, str], ...]) -> tuple[bytes, bytes]:
    """The compressed font program of `face` cut to the CIDs of `text`, and its ToUnicode map.
    Kept for the glyph sets that recur — the amounts' digits in the bold face come back in most
    notices, a name's characters seldom — so a recurring one is cut and compressed once a process."""
    cids = [cid for cid, _ in text]
    program = cff_table(hbsubset.subset_glyphs(face, sorted({0, *cids}), prepare=_often_used(face)))
    return zlib.compress(program, 6), zlib.compress(_to_unicode(dict(text)), 6)


def _font(pdf: pikepdf.Pdf, tag: str, face: str, text: dict[int, str]) -> pikepdf.Object:
    """A Type 0 font of `face` cut to the CIDs in `text` (CID-keyed CFF, Identity-H)."""
    data = face_data(face)
    cids = sorted(text)
    program, to_unicode_map = _font_streams(face, tuple(sorted(text.items())))
    base = pikepdf.Name(f"/{tag}+{_base_name(face)}")
    file_stream = pdf.make_stream(program, Filter=pikepdf.Name.FlateDecode, Subtype=pikepdf.Name.CIDFontType0C)
    descriptor = pikepdf.Dictionary(Type=pikepdf.Name.FontDescriptor, FontName=base, FontFile3=file_stream,
                                    **{k[1:]: v for k, v in data.descriptor.items()})
    widths: list[Any] = []
    for cid in cids:
        if widths and isinstance(widths[-1], list) and widths[-2] + len(widths[-1]) == cid:
            widths[-1].append(data.advances[cid])
        else:
            widths += [cid, [data.advances[cid]]]
    cid_font = pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.CIDFontType0, BaseFont=base,
        CIDSystemInfo=pikepdf.Dictionary(Registry=pikepdf.String("Adobe"), Ordering=pikepdf.String("Identity"),
                                         Supplement=0),
        FontDescriptor=pdf.make_indirect(descriptor),
        W=pikepdf.Array([pikepdf.Array(w) if isinstance(w, list) else w for w in widths]))
    to_unicode = pdf.make_stream(to_unicode_map, Filter=pikepdf.Name.FlateDecode)
    font = pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type0, BaseFont=base,
                              Encoding=pikepdf.Name("/Identity-H"),
                              DescendantFonts=pikepdf.Array([pdf.make_indirect(cid_font)]), ToUnicode=to_unicode)
    return pdf.make_indirect(font)


def _to_unicode(text: dict[int, str]) -> bytes:
    lines = ["/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
             "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
             "/CMapName /Adobe-Identity-UCS def", "/CMapType 2 def",
             "1 begincodespacerange", "<0000> <ffff>", "endcodespacerange"]
    items = sorted(text.items())
    for start in range(0, len(items), 100):
        chunk = items[start:start + 100]
        lines.append(f"{len(chunk)} beginbfchar")
        lines += [f"<{cid:04x}> <{chars.encode('utf-16-be').hex()}>" for cid, chars in chunk]
        lines.append("endbfchar")
    lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(lines).encode("utf-8")


# ------------------------------------------------------------------------------------ the cache


class FormCache:
    """Compiled forms of one renderer, by the SHA-256 of the form HTML (and fonts loaded)."""

    def __init__(self, size: int = 128) -> None:
        self.size = size
        self._forms: OrderedDict[str, Form | None] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._forms)

    def clear(self) -> None:
        with self._lock:
            self._forms.clear()

    def lookup(self, key: str) -> tuple[bool, Form | None]:
        """(known, form): a known key whose form is None could not be made into a form."""
        with self._lock:
            if key not in self._forms:
                return False, None
            self._forms.move_to_end(key)
            return True, self._forms[key]

    def put(self, key: str, form: Form | None) -> None:
        with self._lock:
            self._forms[key] = form
            self._forms.move_to_end(key)
            while len(self._forms) > self.size:
                self._forms.popitem(last=False)


_MISSING = object()


class SharedForms:
    """Compiled forms shared by the processes of one render pool, through a directory only they
    use (made by the pool's owner, removed with the pool): the first process that needs a form
    lays it out and writes it there, under a lock on the form's name, and the others — which
    wait on that lock rather than laying the same form out too — read it. A cold pool of n
    processes then lays each form out once, not n times. The key covers what the layout depends
    on (the form's HTML, locale, fonts and stylesheets loaded); the same inputs give the same
    form in any process, so which process made it does not change a byte of a notice."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def get_or_make(self, key: str, make: Callable[[], Form | None]) -> Form | None:
        path = self.directory / f"{key}.form"
        found = self._read(path)
        if found is not _MISSING:
            return found  # type: ignore[return-value]
        with open(self.directory / f"{key}.lock", "wb") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
            found = self._read(path)
            if found is not _MISSING:
                return found  # type: ignore[return-value]
            form = make()  # an error leaves nothing written: the next process tries (and fails) itself
            tmp = path.with_name(f".{path.name}.{os.getpid()}")
            tmp.write_bytes(pickle.dumps(form, protocol=pickle.HIGHEST_PROTOCOL))
            os.replace(tmp, path)
            return form

    @staticmethod
    def _read(path: Path) -> object:
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return _MISSING
        form = pickle.loads(data)  # written by a process of this pool, in a directory only it uses
        if form is not None and not isinstance(form, Form):
            raise RenderFailed(f"{path.name}: not a compiled form")
        return form
