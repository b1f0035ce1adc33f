"""Author the DOCX templates from the HTML templates, so both carry the same wording.

    .venv/bin/python tools/make_docx_templates.py [TEMPLATE.html ...]     (default: every kind)

Each ``templates/<folder>/<kind>/<profile>/<locale>.html`` becomes ``<locale>.docx`` next to it:
the same text, with the Jinja expressions kept as docxtpl tags, block-level ``{% %}`` statements
turned into ``{%p %}`` paragraphs (``{%tr %}`` rows inside tables), pages of the profile's paper
(A4 for CN, US Letter for US: service/documents/paper.py), the Noto CJK SC faces for East Asian
text with its language set (so LibreOffice does not fall back to Japanese glyph forms) and
Liberation for Latin text (``_set_fonts``), repeated table header rows and the page footer of the
locale's stylesheet as PAGE / NUMPAGES fields. The .docx files are then committed: they are what
legal staff edit in Word, and tests/documents check that their text still agrees with the HTML.

Only the HTML subset the templates use is understood (documented in service/documents/README.md):
header/div/p/h1/h2/table/colgroup/col/thead/tbody/tr/th/td/strong/b/span/br, with the classes it names
(a form's td.section rows and label cells, div.box, p.salute and p.court, span.waybill among them); of
a table's colgroups (one chosen by a Jinja condition) the first gives the DOCX's column widths.
"""

import re
import sys
import zipfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from io import BytesIO
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from lxml import etree

from service.documents.docx import TALL_ROWS
from service.documents.paper import MARGIN_BOTTOM_MM, MARGIN_SIDE_MM, MARGIN_TOP_MM, PAPERS, Paper, paper_of
from service.documents.registry import KINDS

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = ROOT / "templates"
JINJA = re.compile(r"{{.*?}}|{%.*?%}|{#.*?#}", re.S)
MARK = re.compile("\ue000(\\d+)\ue001")
SERIF, SANS = "Noto Serif CJK SC", "Noto Sans CJK SC"
# The Latin face of each: Liberation, metric-compatible with Times New Roman and Arial, which every
# Word user has (fontTable.xml names them as the faces to take in its place, ``_font_table``), and
# which LibreOffice and the PDF's Latin punctuation use here (service/documents/fonts.py). Noto CJK's
# own Latin letters are in no Word installation: Word would lay the text out in a face of its choosing.
LATIN = {SERIF: "Liberation Serif", SANS: "Liberation Sans"}
# fontTable.xml's entries for the faces the templates name: what Word needs to take a like face
# where one is not installed (its panose, family and pitch, the name to try first: w:altName)
FONT_TABLE = {
    "Liberation Serif": ("Times New Roman", "02020603050405020304", "00", "roman"),
    "Liberation Sans": ("Arial", "020B0604020202020204", "00", "swiss"),
    SERIF: ("SimSun", "02020400000000000000", "86", "roman"),
    SANS: ("SimHei", "020B0500000000000000", "86", "swiss"),
}
HTML_SPACES = " \t\n\r\f"  # what HTML collapses (not U+3000 or a no-break space)
HTML_SPACE = re.compile(f"[{HTML_SPACES}]+")
RED = RGBColor(0x9B, 0x1C, 0x1C)


# --------------------------------------------------------------------------- flatten Jinja source

def _blocks(source: str) -> dict[str, str]:
    return dict(re.findall(r"{%-?\s*block (\w+)\s*-?%}(.*?){%-?\s*endblock\s*-?%}", source, re.S))


_BLOCK = re.compile(r"({%-?\s*block (\w+)\s*-?%})(.*?)({%-?\s*endblock\s*-?%})", re.S)


def _resolve(path: Path) -> str:
    """``extends`` (child blocks override the parent's, markers kept) and literal ``include``s."""
    source = path.read_text(encoding="utf-8")
    parent = re.search(r'{%\s*extends\s+"([^"]+)"\s*%}', source)
    if parent:
        child = _blocks(source)
        source = _BLOCK.sub(lambda m: m.group(1) + child.get(m.group(2), m.group(3)) + m.group(4),
                            _resolve(TEMPLATES / parent.group(1)))
    return re.sub(r'{%\s*include\s+"([^"]+)"\s*%}', lambda m: _resolve(TEMPLATES / m.group(1)), source)


def flatten(path: Path) -> str:
    """One source with every block filled in and the block markers removed."""
    return _BLOCK.sub(lambda m: m.group(3), _resolve(path))


# --------------------------------------------------------------------------- a small HTML tree

@dataclass
class Node:
    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list["Node | str"] = field(default_factory=list)

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())


class TreeBuilder(HTMLParser):
    VOID = frozenset({"br", "col", "meta", "link", "img"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("root")
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in self.VOID:
            self.stack.append(node)

    def handle_endtag(self, tag: str) -> None:
        while len(self.stack) > 1:
            if self.stack.pop().tag == tag:
                break

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def find(node: Node, tag: str) -> Node | None:
    for child in node.children:
        if isinstance(child, Node):
            if child.tag == tag:
                return child
            found = find(child, tag)
            if found:
                return found
    return None


# --------------------------------------------------------------------------- DOCX writer

class Writer:
    def __init__(self, locale: str, tags: list[str], paper: Paper) -> None:
        self.locale, self.tags, self.paper = locale, tags, paper
        self.text_width = Mm(paper.text_width_mm)
        self.closing: set[object] = set()  # closing-line paragraphs (特此通知), kept with the one before
        self.cell_size: float | None = None  # the font size of the table being written (the PDF's)
        self.cell_leading = 1.45  # its line height: base.css table.data, 1.35 in a table.data.compact
        self.form_table = False  # the table being written is a table.form (legal.css: shaded headings)
        self.dense = False  # inside a section.dense (base.css): body lines 10.5pt × 1.45
        self.tight = False  # inside a section.tight (base.css): body lines 10.5pt × 1.34
        self.form = False  # inside a section.form-notice (base.css): 9.5pt body, 14pt title
        self.overleaf = False  # the next paragraph starts a page (a div.reverse: the back of a form notice)
        self.reverse = False  # inside a form notice's div.reverse (base.css): the body's 10.5pt again
        self.doc = Document()
        self._setup()

    # -- document set-up ------------------------------------------------------------------------
    def _setup(self) -> None:
        section = self.doc.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(self.paper.width_mm), Mm(self.paper.height_mm)
        section.top_margin, section.bottom_margin = Mm(MARGIN_TOP_MM), Mm(MARGIN_BOTTOM_MM)
        section.left_margin = section.right_margin = Mm(MARGIN_SIDE_MM)
        style = self.doc.styles["Normal"]
        style.font.size = Pt(10.5)
        self._fonts(style.element, SERIF)
        style.paragraph_format.space_after = Pt(5)
        # The PDF's line height (10.5pt × 1.6); a multiple would multiply Noto CJK's tall natural
        # line (1.45 em) and run a one-page letter onto a second page in Word and LibreOffice.
        style.paragraph_format.line_spacing = Pt(16.8)
        style.paragraph_format.line_spacing_rule = WD_LINE_SPACING.AT_LEAST
        style.paragraph_format.widow_control = True
        self._theme_languages()
        self._font_table()
        self._default_fonts()

    def _default_fonts(self) -> None:
        """The document's default fonts (w:docDefaults) the Normal style's, not the theme's (Calibri,
        Cambria, a Japanese face for East Asian text): what text outside any paragraph style is set
        in, such as the line numbers of pleading paper (service/documents/docx.py), which
        LibreOffice printed in DejaVu Serif, a face no Word user has."""
        defaults = self.doc.styles.element.find(qn("w:docDefaults"))
        rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}") if defaults is not None else None
        if rpr is None:  # python-docx's default styles have one
            raise SystemExit("python-docx's default styles.xml has no w:docDefaults/w:rPrDefault/w:rPr to set")
        fonts = rpr.get_or_add_rFonts()
        for attr in list(fonts.attrib):
            del fonts.attrib[attr]  # the theme's (asciiTheme …) would win over the faces named
        self._set_fonts(fonts, SERIF)
        self._set_lang(rpr)

    def _font_table(self) -> None:
        """The faces the templates name in fontTable.xml, each with the face Word takes where it is
        not installed: Liberation's metric twins (Times New Roman, Arial), so that a Word user's
        page breaks where LibreOffice's does; the Noto CJK SC faces' Simplified Chinese ones."""
        part = next(p for p in self.doc.part.package.parts if str(p.partname) == "/word/fontTable.xml")

        root = etree.fromstring(part.blob)
        for name, (alternative, panose, charset, family) in FONT_TABLE.items():
            font = etree.SubElement(root, qn("w:font"))
            font.set(qn("w:name"), name)
            for tag, value in (("w:altName", alternative), ("w:panose1", panose), ("w:charset", charset),
                               ("w:family", family), ("w:pitch", "variable")):
                etree.SubElement(font, qn(tag)).set(qn("w:val"), value)
        part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

    def _court_title_style(self):
        """"Court Title", a paragraph style like Normal: service/documents/docx.py pleading_body
        finds the court's title by it."""
        return self._marker_style("Court Title")

    def _marker_style(self, name: str):
        """A paragraph style like Normal, by whose name service/documents/docx.py pleading_body
        finds a paragraph: "Court Title" (the court's title), "Attachment" (an attachment's heading,
        legal.css div.pleading h2.attachment: on pleading paper it starts a page)."""
        styles = self.doc.styles
        if name not in [s.name for s in styles]:
            styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH).base_style = styles["Normal"]
        return styles[name]

    def _theme_languages(self) -> None:
        """The languages Word resolves the theme's fonts by: python-docx's default settings say
        East Asian text is ja-JP, so Word picks the Japanese face of a theme font for Chinese text."""
        settings = self.doc.settings.element
        lang = settings.find(qn("w:themeFontLang"))
        if lang is None:  # python-docx's default settings have one, in its place in the schema's order
            raise SystemExit("python-docx's default settings.xml has no w:themeFontLang to set")
        lang.set(qn("w:val"), "en-US")
        lang.set(qn("w:eastAsia"), "zh-CN")

    def _set_fonts(self, fonts: object, family: str) -> None:
        """`family` (a Noto CJK SC face) for East Asian text, its Latin face (LATIN) for the rest, as
        the PDF sets an English document's § “ ” (Word and LibreOffice take a Latin letter from the
        ascii and hAnsi faces, an ideograph from the eastAsia one). A Chinese document's runs hint
        East Asian: Word then takes its “ ” … — · × from the East Asian face, full width, as the PDF
        prints them, not from the Latin one (MS-OI29500 2.1.88: without the hint, hAnsi)."""
        for attr, face in (("w:ascii", LATIN[family]), ("w:hAnsi", LATIN[family]), ("w:eastAsia", family),
                           ("w:cs", LATIN[family])):
            fonts.set(qn(attr), face)  # type: ignore[attr-defined]
        if self.locale.startswith("zh"):
            fonts.set(qn("w:hint"), "eastAsia")  # type: ignore[attr-defined]

    def _hint(self, run: object) -> None:
        """A Chinese document's run without fonts of its own hints East Asian (``_set_fonts``)."""
        if self.locale.startswith("zh"):
            run.get_or_add_rPr().get_or_add_rFonts().set(qn("w:hint"), "eastAsia")  # type: ignore[attr-defined]

    def _fonts(self, element: object, family: str) -> None:
        rpr = element.get_or_add_rPr()  # type: ignore[attr-defined]
        self._set_fonts(rpr.get_or_add_rFonts(), family)  # in the schema's place (after w:rStyle)
        self._set_lang(rpr)

    @staticmethod
    def _set_lang(rpr: object) -> None:
        lang = rpr.find(qn("w:lang"))  # type: ignore[attr-defined]
        if lang is None:
            lang = OxmlElement("w:lang")
            rpr.append(lang)  # type: ignore[attr-defined]
        # Latin text (digits, amounts, IDs) is broken by English rules: with zh-CN here LibreOffice
        # breaks "3,305.86" after the comma. Chinese text is zh-CN (the Simplified Chinese face).
        lang.set(qn("w:val"), "en-US")
        lang.set(qn("w:eastAsia"), "zh-CN")

    FOOTER_SIZE = 8.5  # base.css: @page's font-size

    def footer(self, parts: list[str]) -> None:
        """``parts`` alternates text and field names: ["第 ", "PAGE", " 页 / 共 ", "NUMPAGES", " 页"].
        A field is written as Word writes it (begin, instruction, separator, result, end), every run
        with the footer's size and face: a field run without them takes the body's 10.5pt (L-3),
        and LibreOffice gives a w:fldSimple's number the paragraph's default, whatever its run says."""
        paragraph = self.doc.sections[0].footer.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        for part in parts:
            if part in ("PAGE", "NUMPAGES"):
                self._footer_run(paragraph, fld="begin")
                self._footer_run(paragraph, instr=f" {part} ")
                self._footer_run(paragraph, fld="separate")
                self._footer_run(paragraph, text="1")
                self._footer_run(paragraph, fld="end")
            else:
                self._footer_run(paragraph, text=part)
        mark = paragraph._p.get_or_add_pPr()  # the paragraph mark too: the line's height
        mark.append(self._footer_rpr())

    def _footer_rpr(self) -> object:
        """The footer's run properties, in the schema's order (rFonts, sz, szCs, lang)."""
        rpr = OxmlElement("w:rPr")
        fonts = OxmlElement("w:rFonts")
        self._set_fonts(fonts, SERIF)
        rpr.append(fonts)
        for tag in ("w:sz", "w:szCs"):
            size = OxmlElement(tag)
            size.set(qn("w:val"), str(round(self.FOOTER_SIZE * 2)))
            rpr.append(size)
        lang = OxmlElement("w:lang")
        lang.set(qn("w:val"), "en-US")
        lang.set(qn("w:eastAsia"), "zh-CN")
        rpr.append(lang)
        return rpr

    def _footer_run(self, paragraph, *, text: str | None = None, fld: str | None = None,
                    instr: str | None = None) -> None:
        run = OxmlElement("w:r")
        run.append(self._footer_rpr())
        if fld is not None:
            child = OxmlElement("w:fldChar")
            child.set(qn("w:fldCharType"), fld)
        else:
            child = OxmlElement("w:instrText" if instr is not None else "w:t")
            child.text = instr if instr is not None else text
            child.set(qn("xml:space"), "preserve")
        run.append(child)
        paragraph._p.append(run)

    # -- text ---------------------------------------------------------------------------------------
    def restore(self, text: str) -> str:
        return MARK.sub(lambda m: self.tags[int(m.group(1))], text)

    def runs(self, paragraph, node: Node, bold: bool = False, first: list[bool] | None = None) -> None:
        first = first if first is not None else [True]
        for child in node.children:
            if isinstance(child, str):
                # HTML collapses and trims only its own white space: an ideographic space (U+3000,
                # the gap in "原告：…　　被告：…") is text, kept as the PDF prints it
                text = HTML_SPACE.sub(" ", child)
                if first[0]:
                    text = text.lstrip(HTML_SPACES)
                if text:
                    first[0] = False
                    run = paragraph.add_run(self.restore(text))
                    if bold:
                        run.bold = True
                        self._fonts(run._r, SANS)
                    else:
                        self._hint(run._r)
            elif child.tag == "br":
                paragraph.add_run().add_break(WD_BREAK.LINE)
                first[0] = True
            else:
                before = len(paragraph.runs)
                self.runs(paragraph, child, bold or child.tag in ("strong", "b") or "label" in child.classes,
                          first)
                if "waybill" in child.classes:  # legal.css span.waybill: a tracking number in the digest's 7pt
                    for run in paragraph.runs[before:]:
                        run.font.size = Pt(7)
        if paragraph.runs and node.tag in ("p", "h1", "h2", "td", "th"):
            last = paragraph.runs[-1]
            last.text = last.text.rstrip(HTML_SPACES)

    def _has_value(self, node: Node) -> bool:
        """Whether the paragraph prints a value ({{ ... }}), not only the template's own words."""
        text = "".join(self._texts(node))
        return any(self.tags[int(i)].startswith("{{") for i in MARK.findall(text))

    def _texts(self, node: Node) -> list[str]:
        return [c if isinstance(c, str) else "".join(self._texts(c)) for c in node.children]

    def paragraph(self, node: Node, container=None):
        target = container if container is not None else self.doc
        paragraph = target.add_paragraph()
        fmt, classes = paragraph.paragraph_format, node.classes
        # legal.css p.court: the court under 此致 in the bold sans
        bold = node.tag in ("h1", "h2", "th") or bool(classes & {"lh-name", "label", "section", "court"})
        # a form's section row (legal.css table.form td.section) is centred like a heading
        if node.tag == "h1" or classes & {"center", "subtitle", "lh-name", "lh-meta", "section"} or node.tag == "th":
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif classes & {"right", "ref"} or "num" in classes:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        elif self.locale.startswith("zh") and container is None and not self._has_value(node):
            # Justified only when the words are the template's own: a value (a date, an amount, a
            # contract number) is one unbreakable token, and one that moves to the next line would
            # leave LibreOffice stretching the line above it with gaps. Table cells are never justified.
            paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        if "indent" in classes:
            fmt.first_line_indent = Pt(21)
        if "salute" in classes:  # legal.css p.salute: 此致 two characters in, 5mm below what is above
            fmt.first_line_indent, fmt.space_before = Pt(21), Mm(5)
        if container is None and "party" in classes:  # legal.css p.party: 1.2mm apart; .sub: 2em in
            fmt.space_after = Pt(3.4)
            if "sub" in classes:
                fmt.left_indent = Pt(21)
        if container is None and "item" in classes:  # legal.css p.item: a hanging number, 3.2em in, 0.6mm apart
            fmt.left_indent, fmt.first_line_indent, fmt.space_after = Pt(33.6), Pt(-12.6), Pt(1.7)
        if self.overleaf:
            fmt.page_break_before, self.overleaf = True, False
        if "closing" in classes and container is None:
            self.closing.add(paragraph._p)
        if "court-title" in classes:  # a court paper's court, which pleading paper puts on line 8 (docx.py)
            paragraph.style = self._court_title_style()
        if node.tag == "h2" and "attachment" in classes and container is None:
            # an attachment to a declaration, which on pleading paper starts a page (docx.py), as in the PDF
            paragraph.style = self._marker_style("Attachment")
        self.runs(paragraph, node, bold)
        size = {"h1": 16, "h2": 11}.get(node.tag) or (14 if "lh-name" in classes else None) or (
            10 if "subtitle" in classes else None)
        if container is not None and size is None:
            size = self.cell_size
        if self.form and node.tag == "h1":
            size = 14
        elif self.form and size is None and not self.reverse:
            size = 9.5
        if classes & {"small", "ref", "note", "lh-meta"}:
            size = 8.5 if "lh-meta" in classes else 9
        for run in paragraph.runs:
            if size and run.font.size is None:  # a run sized by its span (span.waybill) keeps its size
                run.font.size = Pt(size)
            if classes & {"lh-name", "seal"}:
                run.font.color.rgb = RED
        if node.tag == "h1":  # base.css h1 (section.form-notice h1: closer)
            fmt.space_before, fmt.space_after = (Pt(3), Pt(4)) if self.form else (Pt(6), Pt(10))
        if node.tag in ("h1", "h2") or classes & {"subtitle", "lead"}:
            # a heading, the line under a title, or a lead-in to a list stays with what follows
            fmt.keep_with_next = True
        if "state-notice" in classes:  # a state's prescribed notice (base.css) is never split
            fmt.keep_together = True
        if (self.dense or self.tight) and container is None and node.tag == "p":
            # base.css section.tight: 10.5pt × 1.34; section.dense: 10.5pt × 1.45
            # form notice: 9.5pt × 1.34 (its reverse: 10.5pt × 1.34)
            fmt.line_spacing = Pt((12.7 if self.form and not self.reverse else 14.1) if self.tight else 15.2)
            # exactly, where tight: at least would give Noto's natural line (10.5pt × 1.45), no closer
            fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY if self.tight else WD_LINE_SPACING.AT_LEAST
        if classes & {"small", "ref", "note"} and container is None:  # the PDF's 9pt lines: 9pt × 1.45, not 16.8pt
            fmt.line_spacing = Pt(13.1)
            fmt.line_spacing_rule = WD_LINE_SPACING.AT_LEAST
        if classes & {"lh-name", "lh-meta"}:  # base.css .letterhead: its lines 1.4 of their size, no gaps
            fmt.line_spacing = Pt(round((size or 10.5) * 1.4, 1))
            fmt.line_spacing_rule = WD_LINE_SPACING.AT_LEAST
            fmt.space_after = Pt(0)
        if self.form and container is None:  # base.css section.form-notice: closer paragraphs and headings
            fmt.space_after = Pt(2.3 if node.tag == "h2" else 3.4)
            if node.tag == "h2":
                fmt.space_before = Pt(5.7)
        if "subtitle" in classes:  # legal.css: the line right under the title
            fmt.space_before, fmt.space_after = Pt(0), Pt(8)
        if container is not None:
            fmt.space_after = Pt(1)
            # the PDF's table line height: 9.5pt × 1.45, or 8.5pt × 1.45 in a small table
            fmt.line_spacing = Pt(round((self.cell_size or 9.5) * self.cell_leading, 1))
            # a compact table's lines exactly (at least would give Noto's natural 1.45 line)
            fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY if self.cell_leading < 1.45 else WD_LINE_SPACING.AT_LEAST
            if self.form and self.cell_size is None:  # base.css .form-notice .tearoff p: 9.5pt × 1.22
                fmt.line_spacing, fmt.line_spacing_rule = Pt(11.6), WD_LINE_SPACING.EXACTLY
        return paragraph

    def statement(self, tag_text: str, kind: str, container=None) -> None:
        """A block-level ``{% ... %}`` as a docxtpl paragraph tag."""
        inner = tag_text[2:-2].strip()
        target = container if container is not None else self.doc
        target.add_paragraph(f"{{%{kind} {inner} %}}")

    # -- blocks -------------------------------------------------------------------------------------
    def blocks(self, node: Node, container=None) -> None:
        for child in node.children:
            if isinstance(child, str):
                for index in MARK.findall(child):
                    tag = self.tags[int(index)]
                    if tag.startswith("{%"):
                        self.statement(tag, "p", container)
                    elif not tag.startswith("{#"):
                        raise ValueError(f"expression outside a paragraph: {tag}")
                continue
            if child.tag in ("link", "style", "script"):
                continue  # stylesheets apply to the PDF only
            if child.tag in ("header", "div", "section"):
                if "pleading-footer" in child.classes:
                    continue  # the PDF's running footer on pleading paper: the DOCX renderer writes its own
                if "tearoff" in child.classes:
                    self.rule(container, dashed=True)
                if "reverse" in child.classes:
                    self.overleaf = True
                if "sign" in child.classes and container is None:
                    self.sign_block(child)
                    continue
                if "box" in child.classes:
                    self.box(child, container)
                    continue
                dense, self.dense = self.dense, self.dense or "dense" in child.classes
                tight, self.tight = self.tight, self.tight or "tight" in child.classes
                form, self.form = self.form, self.form or "form-notice" in child.classes
                reverse, self.reverse = self.reverse, self.reverse or "reverse" in child.classes
                self.blocks(child, container)
                self.dense, self.tight, self.form, self.reverse = dense, tight, form, reverse
                if "letterhead" in child.classes:
                    self.rule(container, dashed=False)
            elif child.tag in ("p", "h1", "h2"):
                paragraph = self.paragraph(child, container)
                if "attach" in child.classes and container is None:
                    self._attach_to_signature(paragraph._p)
            elif child.tag == "table":
                if "sign" in child.classes and container is None:
                    if any(self.tags[int(i)].startswith("{%") for i in MARK.findall("".join(self._texts(child)))):
                        self.keep_with_previous()  # conditions inside: not nested (docxtpl's row tags)
                    else:
                        self.sign_table(child)
                        continue
                self.table(child)
            else:
                raise ValueError(f"unsupported block element <{child.tag}>")

    KEPT = 2  # ordinary paragraphs kept with a signature block, besides a closing formula
    FORMULA = re.compile(r"^(此致|特此)")  # 此致 (the court's line under it counts as a paragraph), 特此函告

    def _kept(self, through_statements: bool) -> list:
        """The body paragraphs a signature block keeps with it, last first: a closing formula and
        KEPT ordinary paragraphs above the block. A table ends the run; so does a docxtpl statement
        paragraph ({%p if %}), unless `through_statements` (they disappear when rendered, but a
        paragraph inside a condition must not move out of it)."""
        body = self.doc.element.body
        kept: list = []
        ordinary, counted = 0, False
        for element in reversed([e for e in body if e.tag != qn("w:sectPr")]):
            if element.tag != qn("w:p"):
                break
            text = "".join(element.itertext())
            if text.startswith("{%p"):
                if through_statements:
                    continue
                break
            formula = bool(self.FORMULA.match(text)) or element in self.closing
            if formula and text.startswith("此致") and counted:
                ordinary -= 1  # the line under 此致 (the court) is part of the formula
            counted = bool(text.strip()) and not formula
            kept.append(element)
            ordinary += counted
            if ordinary >= self.KEPT:
                break
        return kept

    def keep_with_previous(self) -> None:
        """Keep-with-next and keep-together on the paragraphs a signature table keeps."""
        for element in self._kept(through_statements=True):
            ppr = element.get_or_add_pPr()
            for tag in ("w:keepNext", "w:keepLines"):
                if ppr.find(qn(tag)) is None:
                    ppr.append(OxmlElement(tag))

    def _keeping_cell(self):
        """A borderless one-cell table whose row does not split: what is in it stays on one page
        (Word and LibreOffice; LibreOffice does not always honour keep-with-next)."""
        table = self.doc.add_table(rows=1, cols=1)
        table.autofit = False
        table.columns[0].width = self.text_width
        row = table.rows[0]
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        cell = row.cells[0]
        cell.width = self.text_width
        margins = OxmlElement("w:tcMar")
        for side in ("left", "right"):
            edge = OxmlElement(f"w:{side}")
            edge.set(qn("w:w"), "0")
            edge.set(qn("w:type"), "dxa")
            margins.append(edge)
        cell._tc.get_or_add_tcPr().append(margins)
        cell._tc.remove(cell.paragraphs[0]._p)
        return cell

    def _keep_loop_before(self, kept: list) -> None:
        """A loop's paragraph right before what a signature block keeps (the complaint's list of
        exhibits before 以上证据…此致) keeps with it: the block cannot take the loop in, and a
        page would otherwise open with the one sentence after the list and the block."""
        body = [e for e in self.doc.element.body if e.tag != qn("w:sectPr")]
        at = body.index(kept[-1]) if kept else len(body)
        before = body[:at]
        if not before or not "".join(before[-1].itertext()).startswith("{%p endfor"):
            return
        for element in reversed(before[:-1]):
            text = "".join(element.itertext())
            if element.tag != qn("w:p") or text.startswith("{%p for"):
                break
            if not text.startswith("{%p"):
                element.get_or_add_pPr().append(OxmlElement("w:keepNext"))

    def sign_block(self, node: Node) -> None:
        """A signature block and the paragraphs before it in one keeping cell. Only ordinary
        paragraphs right before the block move in (not out of a docxtpl {%p %} condition)."""
        kept = self._kept(through_statements=False)
        self._keep_loop_before(kept)
        previous = list(reversed(kept))
        cell = self._keeping_cell()
        for element in previous:
            cell._tc.append(element)
        self.blocks(node, cell)
        if not cell.paragraphs:
            cell.add_paragraph()

    def sign_table(self, node: Node) -> None:
        """A signature table (table.sign: the signatories side by side), nested in a keeping cell
        with the paragraphs before it."""
        kept = self._kept(through_statements=False)
        self._keep_loop_before(kept)
        previous = list(reversed(kept))
        self.table(node)
        inner = [e for e in self.doc.element.body if e.tag != qn("w:sectPr")][-1]
        cell = self._keeping_cell()
        for element in [*previous, inner]:  # the cell's closing paragraph: separate()
            cell._tc.append(element)

    def _attach_to_signature(self, element) -> None:
        """The 附 line (p.attach: a pleading's enclosures) right after a signature table goes into
        the table's keeping cell, below it, so no page holds it alone (legal.css keeps it with the
        block in the PDF; LibreOffice does not always honour keep-with-next)."""
        body = [e for e in self.doc.element.body if e.tag != qn("w:sectPr")]
        before = body[-2] if len(body) > 1 else None
        if before is None or before.tag != qn("w:tbl") or before.find(qn("w:tr")) is None:
            # e.g. a block-level {% if %} between them: its paragraph stands between, and the line
            # would be left out of the keeping row (LibreOffice then puts it alone on a page)
            raise ValueError("p.attach (the enclosures line) must follow its signature table directly; "
                             "put any condition inside the paragraph")
        row = before.find(qn("w:tr"))
        cells = row.findall(qn("w:tc"))
        props = row.find(qn("w:trPr"))
        if len(cells) != 1 or props is None or props.find(qn("w:cantSplit")) is None:
            return  # not a keeping cell: a signature table with conditions stays unnested
        if cells[0].find(qn("w:tbl")) is None:
            return
        cells[0].append(element)

    BOX_PADDING = (Mm(3), Mm(2))  # legal.css .box: padding 2mm 3mm (sides, top and bottom)

    def box(self, node: Node, container) -> None:
        """A bordered box (legal.css .box: the 说明 of the element-form complaint) as a one-cell
        table with a 0.5pt border whose row never splits (the PDF's break-inside: avoid), its
        paragraphs as the PDF sets them: justified where the words are the template's own, 9pt
        lines in a div.box.small, 1.8mm apart."""
        if container is not None:
            raise ValueError("a div.box inside a table or another box is not supported")
        table = self.doc.add_table(rows=1, cols=1)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        table.columns[0].width = self.text_width
        borders = OxmlElement("w:tblBorders")
        for side in ("top", "left", "bottom", "right"):
            edge = OxmlElement(f"w:{side}")
            for attr, value in (("val", "single"), ("sz", "4"), ("space", "0"), ("color", "000000")):
                edge.set(qn(f"w:{attr}"), value)
            borders.append(edge)
        margins = OxmlElement("w:tblCellMar")
        sides, ends = self.BOX_PADDING
        for side, width in (("top", ends), ("left", sides), ("bottom", ends), ("right", sides)):
            edge = OxmlElement(f"w:{side}")
            edge.set(qn("w:w"), str(round(width.pt * 20)))
            edge.set(qn("w:type"), "dxa")
            margins.append(edge)
        properties = table._tbl.tblPr
        properties.append(borders)
        properties.append(margins)
        row = table.rows[0]
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        cell = row.cells[0]
        cell.width = self.text_width
        cell._tc.remove(cell.paragraphs[0]._p)
        self.blocks(node, cell)
        size = 9 if "small" in node.classes else None  # base.css .small
        paragraphs = [p for p in cell.paragraphs if not p.text.startswith("{%p")]
        for paragraph in cell.paragraphs:
            if paragraph.text.startswith("{%p"):
                continue
            fmt = paragraph.paragraph_format
            if paragraph.alignment is None and self.locale.startswith("zh") and "{{" not in paragraph.text:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY  # base.css p: the template's own words
            fmt.space_after = Pt(0 if paragraph is paragraphs[-1] else 5)  # base.css p: 1.8mm apart
            fmt.line_spacing = Pt(round((size or 10.5) * 1.45, 1) if size else 16.8)
            fmt.line_spacing_rule = WD_LINE_SPACING.AT_LEAST
            if paragraph is not paragraphs[-1]:
                fmt.keep_with_next = True  # Word's keep, LibreOffice's cantSplit: the box is one piece
            if size:
                for run in paragraph.runs:
                    run.font.size = Pt(size)
        if not cell.paragraphs:
            cell.add_paragraph()

    def rule(self, container, dashed: bool) -> None:
        """An empty paragraph drawing the letterhead's red rule or the tear-off's dashed line."""
        paragraph = (container if container is not None else self.doc).add_paragraph()
        border = OxmlElement("w:pBdr")
        edge = OxmlElement("w:bottom")
        edge.set(qn("w:val"), "dashed" if dashed else "single")
        edge.set(qn("w:sz"), "4" if dashed else "12")  # a dashed cut line: one thin rule
        edge.set(qn("w:color"), "000000" if dashed else "9B1C1C")
        border.append(edge)
        paragraph._p.get_or_add_pPr().append(border)
        # a rule, not a line of text: the body's 16.8pt line would push a one-page letter over
        fmt = paragraph.paragraph_format
        fmt.line_spacing, fmt.line_spacing_rule = Pt(3), WD_LINE_SPACING.EXACTLY
        fmt.space_after = Pt(8)

    def table(self, node: Node) -> None:
        rows: list[Node | str] = []
        header_rows = 0
        for section in node.children:
            if isinstance(section, Node) and section.tag in ("thead", "tbody"):
                for child in section.children:
                    if isinstance(child, Node) and child.tag == "tr":
                        rows.append(child)
                        header_rows += section.tag == "thead"
                    elif isinstance(child, str):  # one {%tr %} row per statement between rows
                        rows.extend(f"\ue000{index}\ue001" for index in MARK.findall(child))
            elif isinstance(section, Node) and section.tag == "tr":
                rows.append(section)
        widths = [float(m) for m in re.findall(r"width:\s*([\d.]+)%", " ".join(
            c.attrs.get("style", "") for c in (find(node, "colgroup") or Node("x")).children if isinstance(c, Node)))]
        columns = len(widths) or max(sum(int(c.attrs.get("colspan", 1)) for c in r.children if isinstance(c, Node))
                                     for r in rows if isinstance(r, Node))
        table = self.doc.add_table(rows=0, cols=columns)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False  # fixed layout: the template's column widths, not equal ones
        small = "small" in node.classes
        self.form_table = "form" in node.classes
        if "data" in node.classes:  # the PDF's cell font size and padding (base.css, legal.css)
            self.cell_size = (7.5 if "wide" in node.classes else 8.5) if small else 9.5
            self.cell_leading = 1.35 if "compact" in node.classes else 1.45
            margins = OxmlElement("w:tblCellMar")
            for side, width in (("left", "57" if small else "85"), ("right", "57" if small else "85")):
                edge = OxmlElement(f"w:{side}")
                edge.set(qn("w:w"), width)
                edge.set(qn("w:type"), "dxa")
                margins.append(edge)
            table._tbl.tblPr.append(margins)
        if "data" in node.classes:
            table.style = self.doc.styles["Table Grid"]
        if "tall-rows" in node.classes:  # base.css table.data.tall-rows: it may break between rows (docx.py)
            caption = OxmlElement("w:tblCaption")
            caption.set(qn("w:val"), TALL_ROWS)
            table._tbl.tblPr.append(caption)
        self._fill(table, rows, header_rows, columns, widths)
        self.cell_size, self.cell_leading, self.form_table = None, 1.45, False

    def separate(self) -> None:
        """The paragraphs Word needs around tables, and no others: one between two tables (else
        they merge into one) and one ending a cell or the body, each a 1pt line, since an empty
        paragraph of body text after every table ran a one-page notice onto a second page in
        LibreOffice. A {%p %} paragraph vanishes when rendered, so it separates nothing. The
        paragraph after a table gets the PDF's margin below a table as its space before."""
        containers = [self.doc.element.body, *self.doc.element.body.iter(qn("w:tc"))]
        for container in containers:
            for table in [e for e in container if e.tag == qn("w:tbl")]:
                after = table.getnext()
                while after is not None and after.tag == qn("w:p") and "".join(after.itertext()).startswith("{%p"):
                    after = after.getnext()
                if after is None or after.tag in (qn("w:tbl"), qn("w:sectPr")):
                    table.addnext(self._separator(between=after is not None and after.tag == qn("w:tbl")))
                elif after.tag == qn("w:p"):
                    spacing = after.get_or_add_pPr().get_or_add_spacing()
                    if spacing.before is None:
                        spacing.before = Pt(6)

    @staticmethod
    def _separator(between: bool) -> object:
        paragraph = OxmlElement("w:p")
        ppr = paragraph.get_or_add_pPr()
        spacing = ppr.get_or_add_spacing()
        spacing.before, spacing.after = Pt(0), Pt(6 if between else 0)
        spacing.line, spacing.lineRule = Pt(1), WD_LINE_SPACING.EXACTLY
        size = OxmlElement("w:sz")  # the paragraph mark's size: a 1pt line holds it
        size.set(qn("w:val"), "2")
        mark = OxmlElement("w:rPr")
        mark.append(size)
        ppr.append(mark)
        return paragraph

    def _fill(self, table, rows, header_rows, columns, widths) -> None:
        text_width = self.text_width
        for position, row in enumerate(rows):
            cells = table.add_row().cells
            if isinstance(row, str):
                for index in MARK.findall(row):
                    cells[0].paragraphs[0].text = f"{{%tr {self.tags[int(index)][2:-2].strip()} %}}"
                continue
            if position < header_rows:
                trpr = table.rows[-1]._tr.get_or_add_trPr()
                trpr.append(OxmlElement("w:tblHeader"))
            col = 0
            for cell_node in (c for c in row.children if isinstance(c, Node)):
                if "total" in row.classes:
                    cell_node.attrs["class"] = cell_node.attrs.get("class", "") + " label"
                span = int(cell_node.attrs.get("colspan", 1))
                cell = cells[col].merge(cells[col + span - 1]) if span > 1 else cells[col]
                cell._tc.remove(cell.paragraphs[0]._p)
                self._cell(cell, cell_node)
                if self.form_table:  # legal.css table.form: td.section #e4e4e4, td.label #f6f6f6
                    fill = "E4E4E4" if "section" in cell_node.classes else (
                        "F6F6F6" if "label" in cell_node.classes else None)
                    if fill:
                        self._shade(cell, fill)
                if span == columns and cell_node.classes & {"label", "section"}:
                    # a group's or section's heading row (one cell across the table) stays with the
                    # group's first row, as legal.css keeps it in the PDF (issue 10: the exhibit
                    # index's "Group 5: Recordings" alone at a page's foot in LibreOffice)
                    for paragraph in cell.paragraphs:
                        paragraph.paragraph_format.keep_with_next = True
                col += span
        if widths:
            for i, col in enumerate(list(table.columns)[:len(widths)]):
                col.width = int(text_width * widths[i] / 100)
        for row in table.rows:
            row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))  # a row never splits
            for i, cell in enumerate(row.cells[:len(widths)]):
                cell.width = int(text_width * widths[i] / 100)

    @staticmethod
    def _shade(cell, fill: str) -> None:
        """A cell's background (w:shd, after w:tcW and the merge's w:gridSpan in the schema's order)."""
        properties = cell._tc.get_or_add_tcPr()
        shading = OxmlElement("w:shd")
        for attr, value in (("val", "clear"), ("color", "auto"), ("fill", fill)):
            shading.set(qn(f"w:{attr}"), value)
        later = [e for e in properties if etree.QName(e).localname in (
            "noWrap", "tcMar", "textDirection", "tcFitText", "vAlign", "hideMark")]
        if later:
            later[0].addprevious(shading)
        else:
            properties.append(shading)

    def _cell(self, cell, node: Node) -> None:
        if any(isinstance(c, Node) and c.tag == "p" for c in node.children):
            self.blocks(Node("div", {}, node.children), cell)
        else:
            self.paragraph(node, cell)


# --------------------------------------------------------------------------- entry points

def footer_parts(locale: str) -> list[str]:
    css = (TEMPLATES / "assets" / f"{locale}.css").read_text(encoding="utf-8")
    content = re.search(r"@bottom-center\s*{\s*content:\s*(.*?);", css, re.S)
    if not content:
        return []
    tokens = re.findall(r'"([^"]*)"|counter\((page|pages)\)', content.group(1))
    return [text if text or not counter else {"page": "PAGE", "pages": "NUMPAGES"}[counter]
            for text, counter in tokens]


def paper_for(html_path: Path) -> Paper:
    """The paper of ``templates/<folder>/<kind>/<profile>/<locale>.html``: its profile's (A4 for CN,
    US Letter for US). A template of the catalogue in a folder that names no profile is an error (it
    would get the wrong paper); a source outside it (a test's, a draft) in no profile's folder is
    set on A4, the page base.css lays out when no profile names another."""
    profile = html_path.parent.name.upper()
    if profile in {p for kind in KINDS.values() for p in kind.profiles}:
        return paper_of(profile)
    if html_path.resolve().is_relative_to(TEMPLATES.resolve()):
        raise ValueError(f"{html_path}: a template sits in its profile's folder (cn, us), not in "
                         f"{html_path.parent.name!r}: the folder gives its paper")
    return PAPERS["A4"]


def convert(html_path: Path, paper: Paper | None = None) -> Path:
    """`html_path`'s DOCX template, next to it, on `paper` (default: the paper of its profile's
    folder, ``paper_for``)."""
    locale = html_path.stem
    source = flatten(html_path)
    title = re.sub(r"<[^>]+>", "", re.search(r"<title>(.*?)</title>", source, re.S).group(1)).strip()  # type: ignore[union-attr]
    tags: list[str] = []
    body = re.search(r"<body>(.*)</body>", source, re.S).group(1)  # type: ignore[union-attr]
    body = JINJA.sub(lambda m: (tags.append(m.group(0)), f"\ue000{len(tags) - 1}\ue001")[1], body)
    builder = TreeBuilder()
    builder.feed(body)
    writer = Writer(locale, tags, paper or paper_for(html_path))
    # macros imported outside <body>: in the layout's head, or at the top level of the template
    # itself (between extends and its blocks, which flattening drops)
    own = re.sub(r"{%-?\s*block body\s*-?%}.*?{%-?\s*endblock\s*-?%}", "", html_path.read_text(encoding="utf-8"),
                 flags=re.S)
    imports = re.findall(r"{%-?\s*(?:import|from)\s.*?%}", source.split("<body>")[0] + own, re.S)
    for statement in dict.fromkeys(imports):
        writer.statement(statement, "p")  # macros imported outside <body> (e.g. legal labels)
    writer.blocks(builder.root)
    writer.separate()
    writer.footer(footer_parts(locale))
    props = writer.doc.core_properties
    props.title, props.author, props.last_modified_by = title, "Dossier", "Dossier"
    props.language, props.revision, props.comments = locale, 1, ""
    from datetime import datetime

    props.created = props.modified = datetime(2000, 1, 1)  # noqa: DTZ001 - replaced at render time
    out = html_path.with_suffix(".docx")
    buffer = BytesIO()
    writer.doc.save(buffer)
    out.write_bytes(_normalised(buffer.getvalue()))
    return out


def _normalised(data: bytes) -> bytes:
    """Fixed member timestamps, so re-running the tool changes nothing unless the text did."""
    out = BytesIO()
    with zipfile.ZipFile(BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            clean = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            clean.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(clean, src.read(info))
    return out.getvalue()


def main(argv: list[str]) -> int:
    paths = [Path(a).resolve() for a in argv] or sorted(
        p for folder in ("notices", "contracts", "legal", "visits") for p in (TEMPLATES / folder).glob("**/*/*/*.html"))
    for path in paths:
        print(f"{convert(path).relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
