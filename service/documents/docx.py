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
from service.documents.typography import keep_tokens_docx_xml, strip_joiners

TEMPLATED_PARTS = re.compile(r"word/(document|header\d*|footer\d*)\.xml")
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
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            data = archive.read(info)
            text = data.decode("utf-8", "replace") if info.filename.endswith(".xml") else ""
            if TEMPLATED_PARTS.fullmatch(info.filename) and ("{{" in text or "{%" in text):
                templates[info.filename] = _compile_part(helper, text, templates_dir)
                members.append(info.filename)
            elif info.filename == "docProps/core.xml":
                core = text
                members.append(info.filename)
            else:
                members.append(_Member(info.filename, zlib.crc32(data), len(data), _deflate(data)))
    return _Compiled(members, templates, core, helper)


def _render_part(compiled: _Compiled, name: str, variables: dict[str, Any], names: Sequence[str] = ()) -> bytes:
    before, template, after = compiled.templates[name]
    xml = re.sub(r"\n<w:p([ >])", r"<w:p\1", template.render(variables))
    xml = xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
    listed: str = keep_tokens_docx_xml(compiled.helper.resolve_listing(xml), names)
    data = (before + listed + after).encode("utf-8")
    try:  # a template that renders to broken XML is caught here, not by Word
        root = etree.fromstring(data)
    except etree.XMLSyntaxError as exc:
        raise RenderFailed(f"{name}: the template produced invalid XML ({exc})") from None
    if _keep_table_tails(root):
        data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return data


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _keep_table_tails(root: Any) -> bool:
    """The last two rows of every table keep with what follows (w:keepNext on their paragraphs),
    as the PDF's stylesheet keeps them with the note and signature after an index: a page never
    opens with a table's closing note or signature alone (Word and LibreOffice both honour
    keep-with-next inside table rows). A table of one or two rows (a total, a single instalment,
    a header and its one row) so goes whole with what follows: split from it, the note or
    signature would stand alone, or the header alone above it. How many rows a table has is known
    only after rendering, so this is done here, not in the template."""
    changed = False
    for table in root.iter(f"{_W}tbl"):
        for row in table.findall(f"{_W}tr")[-2:]:
            for paragraph in row.iter(f"{_W}p"):
                props = paragraph.find(f"{_W}pPr")
                if props is None:
                    props = etree.SubElement(paragraph, f"{_W}pPr")
                    paragraph.insert(0, props)
                if props.find(f"{_W}keepNext") is None:
                    style = props.find(f"{_W}pStyle")
                    props.insert(0 if style is None else 1, etree.Element(f"{_W}keepNext"))
                    changed = True
    return changed


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
               title: str = "", names: Sequence[str] = ()) -> bytes:
        """`names`: the organisations the document names, each kept whole on a line (typography)."""
        compiled = self.compiled(path, templates_dir)
        members: list[_Member] = []
        for member in compiled.members:
            if isinstance(member, _Member):
                members.append(member)
                continue
            data = _core(compiled, as_of, title) if member == "docProps/core.xml" else _render_part(
                compiled, member, variables, names)
            members.append(_Member(member, zlib.crc32(data), len(data), _deflate(data)))
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
