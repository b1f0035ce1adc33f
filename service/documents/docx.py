"""Context → DOCX with docxtpl templates, compiled once per template.

Templates are ordinary docxtpl files (``{{ }}``, ``{%p %}``, ``{%tr %}``) that legal staff edit
in Word. docxtpl itself re-reads the package, re-patches the XML and re-compiles the Jinja
template on every render (~30 ms); this renderer does docxtpl's own preprocessing
(``patch_xml``) once per template file, keeps the compiled Jinja template and the compressed
static parts, and per document only renders ``word/document.xml`` through the same sandboxed,
auto-escaping environment as the HTML templates, applies docxtpl's ``resolve_listing`` and
writes the package. tests/documents compare its text with a plain docxtpl render of every
template. (docxtpl's ``{%tc %}`` column loops and inline images are not supported here.)

Output is deterministic: fixed zip timestamps (the as-of date), fixed member order, core
properties whose dates are the as-of date and whose revision is 1.
"""

import re
import struct
import threading
import zipfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from io import BytesIO
from pathlib import Path
from typing import Any

from docxtpl import DocxTemplate
from jinja2 import Template
from lxml import etree

from service.documents.environment import docx_environment
from service.documents.exceptions import RenderFailed
from service.documents.fonts import LATIN_PUNCTUATION
from service.documents.typography import keep_tokens_docx_xml, strip_joiners

TEMPLATED_PARTS = re.compile(r"word/(document|header\d*|footer\d*)\.xml")
_FOOTER = re.compile(r"word/footer\d*\.xml")
_BODY = re.compile(r"<w:body\b.*</w:body>", re.S)
_UTF8_FLAG = 0x0800


@dataclass(frozen=True)
class _Member:
    name: str
    crc: int
    size: int
    data: bytes  # raw-deflated


@dataclass(frozen=True)
class _Compiled:
    members: list[_Member | str]  # a static member, or the name of a part rendered per document
    templates: dict[str, tuple[str, Template, str]]  # part -> (xml before body, body template, after)
    core: str  # docProps/core.xml text
    helper: DocxTemplate  # for resolve_listing (pure, but a method)
    footers: dict[str, bytes]  # word/footer*.xml as the template has them (pleading paper adds a line)


def _deflate(data: bytes) -> bytes:
    packer = zlib.compressobj(6, zlib.DEFLATED, -15)
    return packer.compress(data) + packer.flush()


def _compile_part(helper: DocxTemplate, xml: str, templates_dir: Path) -> tuple[str, Template, str]:
    """Split a part around its body and compile the body with docxtpl's preprocessing."""
    match = _BODY.search(xml)
    before, body, after = (xml[: match.start()], match.group(0), xml[match.end():]) if match else ("", xml, "")
    patched = re.sub(r"<w:p([ >])", r"\n<w:p\1", helper.patch_xml(body))
    return before, docx_environment(templates_dir).from_string(patched), after


def _load(path: Path, templates_dir: Path) -> _Compiled:
    helper = DocxTemplate(str(path))
    members: list[_Member | str] = []
    templates: dict[str, tuple[str, Template, str]] = {}
    core = ""
    footers: dict[str, bytes] = {}
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            data = archive.read(info)
            if _FOOTER.fullmatch(info.filename):
                footers[info.filename] = data
            text = data.decode("utf-8", "replace") if info.filename.endswith(".xml") else ""
            if TEMPLATED_PARTS.fullmatch(info.filename) and ("{{" in text or "{%" in text):
                templates[info.filename] = _compile_part(helper, text, templates_dir)
                members.append(info.filename)
            elif info.filename == "docProps/core.xml":
                core = text
                members.append(info.filename)
            else:
                members.append(_Member(info.filename, zlib.crc32(data), len(data), _deflate(data)))
    return _Compiled(members, templates, core, helper, footers)


def _render_part(compiled: _Compiled, name: str, variables: dict[str, Any], names: Sequence[str] = (),
                 latin: bool = False) -> bytes:
    before, template, after = compiled.templates[name]
    xml = re.sub(r"\n<w:p([ >])", r"<w:p\1", template.render(variables))
    xml = xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
    listed: str = keep_tokens_docx_xml(compiled.helper.resolve_listing(xml), names)
    if latin:
        listed = latin_punctuation_runs(listed)
    data = (before + listed + after).encode("utf-8")
    try:  # a template that renders to broken XML is caught here, not by Word
        root = etree.fromstring(data)
    except etree.XMLSyntaxError as exc:
        raise RenderFailed(f"{name}: the template produced invalid XML ({exc})") from None
    if _keep_table_tails(root):
        data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return data


# the PDF's Latin punctuation faces' sources (fonts.py), the DOCX templates' Latin faces (make_docx_templates)
LATIN_SERIF, LATIN_SANS = "Liberation Serif", "Liberation Sans"
_TEXT_RUN = re.compile(r"(<w:r(?:\s[^>]*)?>)(<w:rPr>(?:(?!</w:rPr>).)*</w:rPr>)?<w:t(?:\s[^>]*)?>([^<]*)</w:t></w:r>",
                       re.S)
_PUNCTUATION = re.compile(f"[{re.escape(LATIN_PUNCTUATION)}]+")
_RFONTS = re.compile(r"<w:rFonts\b[^>]*/>")
_RSTYLE = re.compile(r"<w:rStyle\b[^>]*/>")


def latin_punctuation_runs(xml: str) -> str:
    """An English document's § ¶ ‘ ’ “ ” … (fonts.LATIN_PUNCTUATION) in runs of their own that name
    the Latin face for every script: the runs name Noto CJK SC as their East Asian face, whose forms
    of these are a full em wide, and Word and LibreOffice take them from the East Asian font or the
    Latin one by rules of their own. As the PDF (en-US.css): Liberation Serif, or Liberation Sans in
    a sans run."""
    return _TEXT_RUN.sub(_latin_runs, xml)


def _latin_runs(m: "re.Match[str]") -> str:
    start, props, text = m.group(1), m.group(2) or "", m.group(3)
    if not _PUNCTUATION.search(text):
        return m.group(0)
    inner = props[len("<w:rPr>"):-len("</w:rPr>")] if props else ""
    named = _RFONTS.search(inner)
    family = LATIN_SANS if named and "Sans" in named.group(0) else LATIN_SERIF
    fonts = "".join(f' w:{attr}="{family}"' for attr in ("ascii", "hAnsi", "eastAsia", "cs"))
    style = _RSTYLE.search(inner)  # w:rStyle, then w:rFonts (the schema's order)
    rest = _RFONTS.sub("", _RSTYLE.sub("", inner))
    latin = f"<w:rPr>{style.group(0) if style else ''}<w:rFonts{fonts}/>{rest}</w:rPr>"

    def run(piece: str, rpr: str) -> str:
        return f'{start}{rpr}<w:t xml:space="preserve">{piece}</w:t></w:r>' if piece else ""

    out, at = [], 0
    for found in _PUNCTUATION.finditer(text):
        out += [run(text[at:found.start()], props), run(found.group(0), latin)]
        at = found.end()
    out.append(run(text[at:], props))
    return "".join(out)


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _keep_table_tails(root: Any) -> bool:
    """The last two rows of every table keep with what follows (w:keepNext on their paragraphs),
    as the PDF's stylesheet keeps them with the note and signature after an index: a page never
    opens with a table's closing note or signature alone (Word and LibreOffice both honour
    keep-with-next inside table rows). A table of one or two rows (a total, a single instalment,
    a header and its one row) so goes whole with what follows: split from it, the note or
    signature would stand alone, or the header alone above it. A heading after a table goes with
    what it heads, not with the table's last row. How many rows a table has is known only after
    rendering, so this is done here, not in the template."""
    changed = False
    for table in root.iter(f"{_W}tbl"):
        rows = table.findall(f"{_W}tr")
        # a short table (a reconciliation, a summary) keeps all its rows together, as the PDF's
        # split rule (two rows on each side, the total with two above it) leaves it nothing to split
        # (one of few rows each a paragraph tall, which the template marks, breaks between rows: its
        # header and first row keep with the row after, base.css table.data.tall-rows)
        tall = _tall_rows(table)
        kept = rows if len(rows) <= SHORT_TABLE_ROWS and not tall else (rows[:2] if tall else []) + rows[-2:]
        if _heads_what_follows(table.getnext()):
            # not its last row with a heading after it: kept with the heading, the heading with its
            # lead-in and the next table, a chain too long for the page left page 1 of the US claim
            # statement holding only its first paragraph in LibreOffice (US-00011, US-00013)
            kept = kept[:-1]
        for row in kept:
            for paragraph in row.iter(f"{_W}p"):
                changed = _keep_next(paragraph) or changed
        lead_in = table.getprevious()
        if lead_in is not None and lead_in.tag == f"{_W}p" and lead_in.find(f".//{_W}t") is not None:
            # the paragraph that leads into a table goes with its first rows (base.css p:has(+ table.data)),
            # whole when short: a heading above it is not left at a page's foot with its opening lines
            changed = _keep_next(lead_in) or changed
            if len("".join(t.text or "" for t in lead_in.iter(f"{_W}t"))) <= _SHORT_LEAD_IN:
                changed = _keep_next(lead_in, "keepLines") or changed
    return changed


SHORT_TABLE_ROWS = 6  # a header and five rows at most
# the caption (w:tblCaption) tools/make_docx_templates.py gives a table the template marks
# table.data.tall-rows: few rows, each a paragraph tall, so not kept whole as a short table is
TALL_ROWS = "tall-rows"


def _tall_rows(table: Any) -> bool:
    caption = table.find(f"{_W}tblPr/{_W}tblCaption")
    return caption is not None and caption.get(f"{_W}val") == TALL_ROWS
_SHORT_LEAD_IN = 400  # characters: a few lines


def _heads_what_follows(element: Any) -> bool:
    """A paragraph the template keeps with what follows it but not whole: a heading, the line
    under a title or a list's lead-in (tools/make_docx_templates.py). A paragraph kept with a
    signature block is kept whole too (keepLines), and a table's own lead-in gets its keeps only
    when that table's turn comes, after the tables before it."""
    if element is None or element.tag != f"{_W}p" or (props := element.find(f"{_W}pPr")) is None:
        return False
    return props.find(f"{_W}keepNext") is not None and props.find(f"{_W}keepLines") is None


def _keep_next(paragraph: Any, tag: str = "keepNext") -> bool:
    """w:keepNext (or w:keepLines, after it) on `paragraph`; whether it lacked it."""
    props = paragraph.find(f"{_W}pPr")
    if props is None:
        props = etree.Element(f"{_W}pPr")
        paragraph.insert(0, props)
    if props.find(f"{_W}{tag}") is not None:
        return False
    style = props.find(f"{_W}pStyle")
    after = props.find(f"{_W}keepNext") if tag == "keepLines" else None
    at = (list(props).index(after) + 1 if after is not None else 0 if style is None else 1)
    props.insert(at, etree.Element(f"{_W}{tag}"))
    return True


# Pleading paper (Cal. Rules of Court 2.104, 2.107-2.111; the PDF's is templates/assets/legal.css
# div.pleading): the same document, set on a grid Word and LibreOffice number. One DOCX template
# serves every state, so the paper is applied here, to the rendered parts, when the state's table
# asks for it, not in the template. Only layout changes; the text is the template's.
_PPR_AFTER_SPACING = ("ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc", "textDirection",
                      "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr",
                      "pPrChange")
_SECT_AFTER_BORDERS = ("lnNumType", "pgNumType", "cols", "formProt", "vAlign", "noEndnote", "titlePg",
                       "textDirection", "bidi", "rtlGutter", "docGrid", "printerSettings", "sectPrChange")
_TWIPS_PER_PT = 20
PLEADING_LINE_PT = 24  # 28 lines from one inch below the top of US Letter: three to the inch (2.108(4))
PLEADING_TYPE_PT = 12  # no type smaller (2.104)
# The footer's foot this far above the page's edge: its two lines (the page number, the ruled title,
# some 26 points) then fit in the 48-point bottom margin. At the template's 36 points they reached
# above it, and Word and LibreOffice shorten the body by the difference: 27 lines a page, not 28,
# and a complaint whose last page was full went on to a page holding only its last empty paragraph.
PLEADING_FOOTER_PT = 12


def _child(parent: Any, tag: str, after: Sequence[str]) -> Any:
    """`parent`'s w:`tag` child, made where the schema's order puts it (before the first of
    `after`) if it has none: Word refuses elements out of order."""
    found = parent.find(f"{_W}{tag}")
    if found is not None:
        return found
    element = etree.Element(f"{_W}{tag}")
    for index, child in enumerate(parent):
        if etree.QName(child).localname in after:
            parent.insert(index, element)
            return element
    parent.append(element)
    return element


def pleading_body(data: bytes) -> bytes:
    """Every paragraph of the body outside tables double-spaced on the 24pt grid in 12-point type,
    the page's margins those of the PDF, a double rule left of the text and a single one right of it
    (w:pgBorders), and every section's pages headed by the paper's line numbers (pleading_header:
    1 to 28 on the same 24pt grid, each beside a line of type, 2.108(4)). Every run in the paper's
    12-point type, the tables' too (the caption, an attachment's statement of account, the signature
    block) (``_tables_in_the_papers_type``), as the PDF sets them; an attachment's tables off the
    grid, the caption's and the signature blocks' rows rounded up to whole lines of it
    (``_rows_on_the_grid``), so the text after them stands beside the numbers again."""
    root = etree.fromstring(data)
    body = root.find(f"{_W}body")
    assert body is not None
    caption = body.find(f"{_W}tbl")  # the first table: the caption, in the paper's type
    for paragraph in caption.iter(f"{_W}p") if caption is not None else ():
        _in_the_papers_type(paragraph)
    _tables_in_the_papers_type(body, caption)
    for table in body.iter(f"{_W}tbl"):
        if table is caption or _is_signature(table):
            _rows_on_the_grid(table, signature=table is not caption)
    for paragraph in body.iter(f"{_W}p"):
        if any(a.tag == f"{_W}tbl" for a in paragraph.iterancestors()):
            continue
        props = paragraph.find(f"{_W}pPr")
        if props is None:
            props = etree.Element(f"{_W}pPr")
            paragraph.insert(0, props)
        spacing = _child(props, "spacing", _PPR_AFTER_SPACING)
        spacing.set(f"{_W}line", str(PLEADING_LINE_PT * _TWIPS_PER_PT))
        spacing.set(f"{_W}lineRule", "exact")
        spacing.set(f"{_W}before", "0")
        spacing.set(f"{_W}after", "0")
        _in_the_papers_type(paragraph)
    _court_title_on_line_8(body)
    _attachments_on_a_new_page(body)
    _last_holder_off_the_grid(body)
    for section in root.iter(f"{_W}sectPr"):
        margins, size = section.find(f"{_W}pgMar"), section.find(f"{_W}pgSz")
        if margins is not None and size is not None:  # legal.css @page pleading: 72pt 43pt 47.5pt 108pt
            width = int(size.get(f"{_W}w", "0"))
            before = width - int(margins.get(f"{_W}left", "0")) - int(margins.get(f"{_W}right", "0"))
            for side, points in (("top", 72), ("right", 43), ("bottom", 48), ("left", 108),
                                 ("footer", PLEADING_FOOTER_PT)):
                margins.set(f"{_W}{side}", str(points * _TWIPS_PER_PT))
            _fit_tables(body, (width - (108 + 43) * _TWIPS_PER_PT) / before)
        borders = _child(section, "pgBorders", _SECT_AFTER_BORDERS)
        borders.set(f"{_W}offsetFrom", "text")
        for side, kind, space in (("left", "double", "14"), ("right", "single", "4")):
            rule = _child(borders, side, ("bottom", "right") if side == "left" else ())
            for key, value in (("val", kind), ("sz", "4"), ("space", space), ("color", "000000")):
                rule.set(f"{_W}{key}", value)
        _header_on_every_page(section)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


# The paper's line numbers: a frame in the page header, as the court templates have them (the
# Judicial Council's DOCX pleading paper), not Word's line numbering (w:lnNumType), which numbers
# only lines of text: it skipped the caption's table and the signature blocks, and its numbers ran
# on from wherever a page's text began. A header repeats on every page, so the numbers stand 1 to 28
# at the same place on each, a line of the grid apart (2.108(4)); the body's double-spaced lines,
# exactly as far apart from the same top margin, stand beside them. Right-aligned, they end left of
# the double rule (w:pgBorders, 14 points left of the text).
PLEADING_LINES = 28
PLEADING_HEADER = "word/pleadingNumbers.xml"
_PLEADING_HEADER_ID = "rIdPleadingNumbers"
_NUMBERS_X_PT, _NUMBERS_WIDTH_PT = 36, 50  # the frame: from half an inch to 86pt, the rule at 94pt
_TOP_PT = 72  # legal.css @page pleading: the first line one inch below the top
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_HEADER_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"
_HEADER_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/header"
_PLEADING_PARTS = ("[Content_Types].xml", "word/_rels/document.xml.rels")


def _header_on_every_page(section: Any) -> None:
    """`section`'s pages headed by the line numbers' header (pleading_header): its default, first
    and even pages' references (Word reads the last two only with a title page or different odd
    and even pages), any header the template had replaced. The references come first in w:sectPr."""
    for existing in section.findall(f"{_W}headerReference"):
        section.remove(existing)
    for index, kind in enumerate(("default", "first", "even")):
        reference = etree.Element(f"{_W}headerReference")
        reference.set(f"{_W}type", kind)
        reference.set(f"{_R}id", _PLEADING_HEADER_ID)
        section.insert(index, reference)


def pleading_header() -> bytes:
    """The header of pleading paper: a frame in the left margin, anchored to the page, holding the
    numbers 1 to 28 right-aligned in the paper's 12-point type, one to a line of exactly the grid's
    pitch from one inch below the top; then an empty paragraph a point high, the header's own text,
    which pushes nothing down."""
    root = etree.Element(f"{_W}hdr", nsmap={"w": _W[1:-1], "r": _R[1:-1]})
    numbers = etree.SubElement(root, f"{_W}p")
    props = etree.SubElement(numbers, f"{_W}pPr")
    frame = etree.SubElement(props, f"{_W}framePr")
    for key, value in (("w", _NUMBERS_WIDTH_PT * _TWIPS_PER_PT),
                       ("h", PLEADING_LINES * PLEADING_LINE_PT * _TWIPS_PER_PT), ("hRule", "exact"),
                       ("hSpace", 0), ("wrap", "around"), ("vAnchor", "page"), ("hAnchor", "page"),
                       ("x", _NUMBERS_X_PT * _TWIPS_PER_PT), ("y", _TOP_PT * _TWIPS_PER_PT)):
        frame.set(f"{_W}{key}", str(value))
    spacing = etree.SubElement(props, f"{_W}spacing")
    for key, value in (("before", "0"), ("after", "0"), ("line", str(PLEADING_LINE_PT * _TWIPS_PER_PT)),
                       ("lineRule", "exact")):
        spacing.set(f"{_W}{key}", value)
    etree.SubElement(props, f"{_W}jc").set(f"{_W}val", "right")
    run = etree.SubElement(numbers, f"{_W}r")
    run_props = etree.SubElement(run, f"{_W}rPr")
    fonts = etree.SubElement(run_props, f"{_W}rFonts")
    for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(f"{_W}{attr}", LATIN_SERIF)
    for tag in ("sz", "szCs"):
        etree.SubElement(run_props, f"{_W}{tag}").set(f"{_W}val", str(2 * PLEADING_TYPE_PT))
    for line in range(1, PLEADING_LINES + 1):
        if line > 1:
            etree.SubElement(run, f"{_W}br")
        etree.SubElement(run, f"{_W}t").text = str(line)
    holder = etree.SubElement(root, f"{_W}p")
    holder_props = etree.SubElement(holder, f"{_W}pPr")
    spacing = etree.SubElement(holder_props, f"{_W}spacing")
    for key, value in (("before", "0"), ("after", "0"), ("line", str(_TWIPS_PER_PT)), ("lineRule", "exact")):
        spacing.set(f"{_W}{key}", value)
    etree.SubElement(etree.SubElement(holder_props, f"{_W}rPr"), f"{_W}sz").set(f"{_W}val", "2")
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def pleading_package(name: str, data: bytes) -> bytes:
    """The package's parts that name the line numbers' header: its content type in
    [Content_Types].xml, its relationship in word/_rels/document.xml.rels. Other parts as they are."""
    if name == "[Content_Types].xml":
        root = etree.fromstring(data)
        override = etree.SubElement(root, f"{{{root.nsmap[None]}}}Override")
        override.set("PartName", f"/{PLEADING_HEADER}")
        override.set("ContentType", _HEADER_TYPE)
    elif name == "word/_rels/document.xml.rels":
        root = etree.fromstring(data)
        relation = etree.SubElement(root, f"{{{root.nsmap[None]}}}Relationship")
        relation.set("Id", _PLEADING_HEADER_ID)
        relation.set("Type", _HEADER_REL)
        relation.set("Target", PLEADING_HEADER.removeprefix("word/"))
    else:
        return data
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


# w:rPr's children after w:sz, in the schema's order
_RPR_AFTER_SIZE = ("szCs", "highlight", "u", "effect", "bdr", "shd", "fitText", "vertAlign", "rtl", "cs", "em",
                   "lang", "eastAsianLayout", "specVanish", "oMath")
PLEADING_TABLE_LINE_PT = 18  # legal.css div.pleading table.data: 12-point type one and a half spaced
_HOLDER_SIZE = 4  # a paragraph mark of a point or two holds a rule's line (make_docx_templates): left as it is


def _in_the_papers_type(paragraph: Any) -> bool:
    """`paragraph`'s runs in the paper's 12-point type (2.104): a smaller size raised to it, a run
    without one given it (the templates' Normal style is 10.5 points). A paragraph of a point or
    two that holds a rule's line (make_docx_templates) is left as it is. Whether a run was raised."""
    mark = paragraph.find(f"{_W}pPr/{_W}rPr/{_W}sz")
    if mark is not None and int(mark.get(f"{_W}val", "0")) <= _HOLDER_SIZE:
        return False
    raised = False
    for run in paragraph.iter(f"{_W}r"):
        props = run.find(f"{_W}rPr")
        if props is None:
            props = etree.Element(f"{_W}rPr")
            run.insert(0, props)
        for tag, after in (("sz", _RPR_AFTER_SIZE), ("szCs", _RPR_AFTER_SIZE[1:])):
            size = _child(props, tag, after)
            if int(size.get(f"{_W}val", "0")) < 2 * PLEADING_TYPE_PT:
                size.set(f"{_W}val", str(2 * PLEADING_TYPE_PT))
                raised = True
    return raised


def _tables_in_the_papers_type(body: Any, caption: Any) -> None:
    """Every other table's text in the paper's type too, as the PDF sets an attachment's tables
    and the signature block (legal.css div.pleading), a row's exact line height, set for smaller
    type, raised to one and a half lines of it."""
    for table in body.iter(f"{_W}tbl"):
        if table is caption or any(a is caption for a in table.iterancestors()):
            continue
        for paragraph in table.iter(f"{_W}p"):
            spacing = paragraph.find(f"{_W}pPr/{_W}spacing")
            if _in_the_papers_type(paragraph) and spacing is not None \
                    and spacing.get(f"{_W}lineRule") == "exact" \
                    and int(spacing.get(f"{_W}line", "0")) < PLEADING_TABLE_LINE_PT * _TWIPS_PER_PT:
                spacing.set(f"{_W}line", str(PLEADING_TABLE_LINE_PT * _TWIPS_PER_PT))


# A line's width in the paper's 12-point type, per character, taken wide (Liberation Serif's
# letters average some 5.5 points, its bold Sans some 7): a row's lines are counted no fewer than
# Word and LibreOffice set, and it is rounded up to whole lines of the grid.
_CHAR_PT = 6.5
_HALF_LINE_PT = PLEADING_LINE_PT // 2
_SIGNATURE_LINE = re.compile(r"_{10,}")


def _is_signature(table: Any) -> bool:
    """A signature block (the templates' table.sign): a table of one row whose text holds a line
    to sign on."""
    rows = table.findall(f"{_W}tr")
    return len(rows) == 1 and any(_SIGNATURE_LINE.search(t.text or "") for t in table.iter(f"{_W}t"))


def _rows_on_the_grid(table: Any, *, signature: bool) -> None:
    """The caption's and a signature block's rows take whole lines of the grid, so the text after
    them stands beside the numbers again (the header's, pleading_header): their paragraphs at
    exactly the grid's pitch (the caption, and a signature block's first two lines: legal.css
    div.pleading table.caption td, table.sign p), or half of it (the signer's particulars under
    the signature line, single-spaced as the attorney's block: table.sign td p:nth-child(n+3)),
    and each row at least as tall as its lines rounded up to whole lines of the grid."""
    for row in table.findall(f"{_W}tr"):
        height = 0
        for cell in row.findall(f"{_W}tc"):
            width = int(cell.find(f"{_W}tcPr/{_W}tcW").get(f"{_W}w", "0")) / _TWIPS_PER_PT \
                if cell.find(f"{_W}tcPr/{_W}tcW") is not None else 0
            lines = 0
            for index, paragraph in enumerate(cell.findall(f"{_W}p")):
                pitch = _HALF_LINE_PT if signature and index >= 2 else PLEADING_LINE_PT
                props = paragraph.find(f"{_W}pPr")
                if props is None:
                    props = etree.Element(f"{_W}pPr")
                    paragraph.insert(0, props)
                spacing = _child(props, "spacing", _PPR_AFTER_SPACING)
                for key, value in (("before", 0), ("after", 0), ("line", pitch * _TWIPS_PER_PT)):
                    spacing.set(f"{_W}{key}", str(value))
                spacing.set(f"{_W}lineRule", "exact")
                lines += pitch * _line_count(paragraph, width - 12)
            height = max(height, lines)
        properties = row.find(f"{_W}trPr")
        if properties is None:
            properties = etree.Element(f"{_W}trPr")
            row.insert(0 if row.find(f"{_W}tblPrEx") is None else 1, properties)
        grid = -(-height // PLEADING_LINE_PT) * PLEADING_LINE_PT
        tall = _child(properties, "trHeight", ("hidden", "tblCellSpacing", "tblHeader", "jc", "trPrChange"))
        tall.set(f"{_W}val", str(grid * _TWIPS_PER_PT))
        tall.set(f"{_W}hRule", "atLeast")


def _line_count(paragraph: Any, width: float) -> int:
    """How many lines `paragraph` takes in a cell `width` points wide, each of its pieces between
    line breaks wrapped at spaces (_CHAR_PT a character: no fewer than Word's)."""
    pieces, text = [], ""
    for element in paragraph.iter(f"{_W}t", f"{_W}br"):
        if element.tag == f"{_W}br":
            pieces.append(text)
            text = ""
        else:
            text += element.text or ""
    pieces.append(text)
    per_line = max(1, int(width / _CHAR_PT))
    count = 0
    for piece in pieces:
        line = 0
        for word in piece.split(" "):
            if line and line + 1 + len(word) > per_line:
                count += 1
                line = len(word)
            else:
                line += len(word) + (1 if line else 0)
        count += 1 + max(0, line - 1) // per_line if line > per_line else 1
    return count


def _fit_tables(body: Any, factor: float) -> None:
    """The template's tables have fixed widths, its text width's; the wider margins of pleading
    paper narrow that by `factor`, and every table with it."""
    for element in body.iter(f"{_W}tblW", f"{_W}tcW", f"{_W}gridCol"):
        if element.tag == f"{_W}gridCol" or element.get(f"{_W}type") == "dxa":
            element.set(f"{_W}w", str(int(int(element.get(f"{_W}w", "0")) * factor)))


def _court_title_on_line_8(body: Any) -> None:
    """The court's title (the paragraph styled "Court Title", tools/make_docx_templates.py) opens
    line 8 (2.111(3)): the attorney's block above it holds fewer lines, so it starts lower by the
    lines it lacks, blank."""
    lines = 0
    for paragraph in body.findall(f"{_W}p"):
        style = paragraph.find(f"{_W}pPr/{_W}pStyle")
        if style is not None and style.get(f"{_W}val") == "CourtTitle":
            for _ in range(7 - lines):  # blank lines, numbered as the paper's lines are
                blank = etree.Element(f"{_W}p")
                props = etree.SubElement(blank, f"{_W}pPr")
                spacing = etree.SubElement(props, f"{_W}spacing")
                for key, value in (("before", "0"), ("after", "0"), ("line", str(PLEADING_LINE_PT * _TWIPS_PER_PT)),
                                   ("lineRule", "exact")):
                    spacing.set(f"{_W}{key}", value)
                paragraph.addprevious(blank)
            return
        lines += 1 + len(paragraph.findall(f".//{_W}br"))


# w:pPr's children after w:pageBreakBefore, in the schema's order
_PPR_AFTER_PAGE_BREAK = ("framePr", "widowControl", "numPr", "suppressLineNumbers", "pBdr", "shd", "tabs",
                         "suppressAutoHyphens", "kinsoku", "wordWrap", "overflowPunct", "topLinePunct",
                         "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid", "spacing",
                         *_PPR_AFTER_SPACING)


def _attachments_on_a_new_page(body: Any) -> None:
    """An attachment to a declaration (the paragraph styled "Attachment", tools/make_docx_templates.py:
    an h2.attachment) starts a page of its own, as legal.css div.pleading h2.attachment sets it in the
    PDF."""
    for paragraph in body.findall(f"{_W}p"):
        style = paragraph.find(f"{_W}pPr/{_W}pStyle")
        if style is not None and style.get(f"{_W}val") == "Attachment":
            _child(paragraph.find(f"{_W}pPr"), "pageBreakBefore", _PPR_AFTER_PAGE_BREAK)


def _last_holder_off_the_grid(body: Any) -> None:
    """The empty paragraph a document ends with after its last table (Word requires one) takes no
    line of the paper: a point high, it never takes a page of its own."""
    last = body.findall(f"{_W}p")
    if not last or last[-1].getprevious() is None or last[-1].getprevious().tag != f"{_W}tbl" \
            or last[-1].getnext() is None or last[-1].getnext().tag != f"{_W}sectPr" \
            or last[-1].find(f".//{_W}t") is not None:
        return
    props = last[-1].find(f"{_W}pPr")
    spacing = _child(props, "spacing", _PPR_AFTER_SPACING)
    spacing.set(f"{_W}line", str(_TWIPS_PER_PT))


def pleading_footer(data: bytes, title: str) -> bytes:
    """The footer's page number, then under a printed line the paper's title in capitals, 10-point
    (2.110)."""
    root = etree.fromstring(data)
    paragraph = etree.SubElement(root, f"{_W}p")
    props = etree.SubElement(paragraph, f"{_W}pPr")
    rule = etree.SubElement(etree.SubElement(props, f"{_W}pBdr"), f"{_W}top")
    for key, value in (("val", "single"), ("sz", "4"), ("space", "1"), ("color", "000000")):
        rule.set(f"{_W}{key}", value)
    etree.SubElement(props, f"{_W}jc").set(f"{_W}val", "center")
    run = etree.SubElement(paragraph, f"{_W}r")
    run_props = etree.SubElement(run, f"{_W}rPr")
    etree.SubElement(run_props, f"{_W}caps")
    for tag in ("sz", "szCs"):
        etree.SubElement(run_props, f"{_W}{tag}").set(f"{_W}val", "20")
    etree.SubElement(run, f"{_W}t").text = title
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def _core(compiled: _Compiled, as_of: date, title: str) -> bytes:
    stamp = f"{as_of.isoformat()}T00:00:00Z"
    xml = re.sub(r"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)", rf"\g<1>{stamp}\g<3>", compiled.core)
    xml = re.sub(r"<cp:revision>[^<]*</cp:revision>", "<cp:revision>1</cp:revision>", xml)
    if title:
        escaped = title.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        xml = re.sub(r"<dc:title>[^<]*</dc:title>|<dc:title/>", f"<dc:title>{escaped}</dc:title>", xml)
    return xml.encode("utf-8")


def _write_zip(members: list[_Member], as_of: date) -> bytes:
    """A deterministic deflated ZIP: one timestamp (the as-of date), no extra fields."""
    dos_date = ((max(as_of.year, 1980) - 1980) << 9) | (as_of.month << 5) | as_of.day
    out, central, offset = BytesIO(), BytesIO(), 0
    for m in members:
        name = m.name.encode("utf-8")
        header = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, _UTF8_FLAG, 8, 0, dos_date, m.crc,
                             len(m.data), m.size, len(name), 0)
        out.write(header + name + m.data)
        central.write(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, _UTF8_FLAG, 8, 0, dos_date, m.crc,
                                  len(m.data), m.size, len(name), 0, 0, 0, 0, 0, offset) + name)
        offset += len(header) + len(name) + len(m.data)
    directory = central.getvalue()
    out.write(directory)
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(directory), offset, 0))
    return out.getvalue()


class DocxRenderer:
    """Compiled templates, keyed by path and file signature (an edited template recompiles)."""

    def __init__(self) -> None:
        self._compiled: dict[tuple[str, int, int], _Compiled] = {}
        self._lock = threading.Lock()

    def compiled(self, path: Path, templates_dir: Path) -> _Compiled:
        stat = path.stat()
        key = (str(path), stat.st_mtime_ns, stat.st_size)
        with self._lock:
            if key not in self._compiled:
                self._compiled[key] = _load(path, templates_dir)
            return self._compiled[key]

    def render(self, path: Path, variables: dict[str, Any], *, templates_dir: Path, as_of: date,
               title: str = "", names: Sequence[str] = (), pleading: str | None = None,
               latin: bool = False) -> bytes:
        """`names`: the organisations the document names, each kept whole on a line (typography).
        `latin`: an English document, its Latin punctuation set in the Latin face (latin_punctuation_runs).
        `pleading`: set the document on the state's pleading paper, with this title in its footer
        (pleading_paper below)."""
        compiled = self.compiled(path, templates_dir)
        members: list[_Member] = []
        for member in compiled.members:
            name = member.name if isinstance(member, _Member) else member
            if isinstance(member, _Member) and not (pleading and name in (*compiled.footers, *_PLEADING_PARTS)):
                members.append(member)
                continue
            if name == "docProps/core.xml":
                data = _core(compiled, as_of, title)
            elif isinstance(member, _Member) and name in _PLEADING_PARTS:  # on pleading paper: name the header
                data = pleading_package(name, zlib.decompress(member.data, -15))
            elif isinstance(member, _Member):  # a static footer, on pleading paper
                data = pleading_footer(compiled.footers[name], pleading or "")
            else:
                data = _render_part(compiled, name, variables, names, latin)
                if pleading:
                    data = pleading_footer(data, pleading) if name in compiled.footers else \
                        pleading_body(data) if name == "word/document.xml" else data
            members.append(_Member(name, zlib.crc32(data), len(data), _deflate(data)))
        if pleading:
            data = pleading_header()
            members.append(_Member(PLEADING_HEADER, zlib.crc32(data), len(data), _deflate(data)))
        return _write_zip(members, as_of)


@lru_cache(maxsize=1)
def get_renderer() -> DocxRenderer:
    return DocxRenderer()


def docx_text(data: bytes) -> str:
    """The text of a DOCX body (paragraphs and table cells), one paragraph per line."""
    with zipfile.ZipFile(BytesIO(data)) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
    ns = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}
    lines = ["".join(t.text or "" for t in p.iterfind(".//w:t", ns)) for p in root.iterfind(".//w:p", ns)]
    return strip_joiners("\n".join(lines))
