"""A form's DOCX as its PDF prints it (tools/make_docx_templates.py): the section rows of a
table.form (legal.css td.section: 当事人信息, 诉讼请求, 事实与理由 …) centred, bold and shaded, kept
with the row they head, and the element-form complaint's 说明 box (legal.css .box) a bordered
one-cell table whose row never splits. Both were lost: the section rows came out left-aligned
and plain, the 说明 as loose paragraphs with no border."""

from io import BytesIO

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn

from service.documents.registry import get_kind
from service.documents.render import render
from tests.documents.conftest import TEMPLATES, Variant

# every kind whose template has td.section rows: the element-form complaint and the other forms
FORMS = {"complaint_elements": ("当事人信息", "诉讼请求", "约定管辖和诉前保全", "事实与理由", "证据清单",
                                "对纠纷解决方式的意愿"),
         "service_address_confirmation": ("受送达人：原告",),
         "visit_record": ("一、走访安排", "二、走访经过")}


def _rendered(kind: str):
    ctx = Variant(get_kind(kind), "CN", "zh-CN").sample()
    return Document(BytesIO(render(ctx, "docx", templates_dir=TEMPLATES).data))


def _full_width_rows(document):
    """(text, cell) of each row that is one cell across its table."""
    for table in document.tables:
        for row in table.rows:
            cells = {id(c._tc): c for c in row.cells}
            if len(cells) == 1 and len(table.columns) > 1:
                cell = row.cells[0]
                yield cell.text.strip(), cell


def test_every_form_template_with_section_rows_is_covered():
    found = {path.parent.parent.name for path in TEMPLATES.rglob("zh-CN.html")
             if 'class="section"' in path.read_text(encoding="utf-8")}
    assert found == set(FORMS)


@pytest.mark.parametrize("kind", sorted(FORMS))
def test_section_rows_are_centred_bold_shaded_and_kept_with_the_next_row(kind):
    rows = dict(_full_width_rows(_rendered(kind)))
    for title in FORMS[kind]:
        cell = rows[title]
        paragraphs = [p for p in cell.paragraphs if p.text.strip()]
        assert paragraphs and all(p.alignment == WD_ALIGN_PARAGRAPH.CENTER for p in paragraphs), title
        assert all(p.paragraph_format.keep_with_next for p in paragraphs), title
        assert all(run.bold for p in paragraphs for run in p.runs if run.text.strip()), title
        shading = cell._tc.tcPr.find(qn("w:shd"))
        assert shading is not None and shading.get(qn("w:fill")) == "E4E4E4", title
        assert cell._tc.getparent().find(f"{qn('w:trPr')}/{qn('w:cantSplit')}") is not None, title


def test_the_element_form_complaint_has_its_instructions_box():
    document = _rendered("complaint_elements")
    body = [p.text for p in document.paragraphs]
    box = document.tables[0]  # after the title, before the form's table, as in the PDF
    text = box.cell(0, 0).text
    for words in ("说明：为了方便您更好地参加诉讼", "1. 起诉时需向人民法院提交证明您身份的材料", "★特别提示★",
                  "人民法院将视违法情形依法追究责任"):
        assert words in text, words
        assert not any(words in p for p in body), f"{words}: outside the box"
    assert len(box.rows) == 1 and len(box.columns) == 1
    assert box.rows[0]._tr.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}") is not None
    borders = box._tbl.tblPr.find(qn("w:tblBorders"))
    assert borders is not None
    assert {etree_name(e): e.get(qn("w:val")) for e in borders} == dict.fromkeys(("top", "left", "bottom", "right"),
                                                                                 "single")
    assert document.tables[1].cell(0, 0).text.strip() == "当事人信息"
    sizes = {run.font.size.pt for p in box.cell(0, 0).paragraphs for run in p.runs if run.text.strip()}
    assert sizes == {9.0}  # div.box.small: base.css .small


def etree_name(element) -> str:
    return element.tag.rsplit("}", 1)[-1]


def _all_paragraphs(document):
    yield from document.paragraphs
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                yield from _all_paragraphs(cell)


@pytest.mark.parametrize("kind", ["civil_complaint", "complaint_elements", "mediation_application"])
def test_the_salutation_is_indented_and_the_court_under_it_bold(kind):
    """legal.css p.salute (此致 two characters in) and p.court (the court in the bold sans)."""
    paragraphs = list(_all_paragraphs(_rendered(kind)))
    at = next(i for i, p in enumerate(paragraphs) if p.text.strip() == "此致")
    salute, court = paragraphs[at], paragraphs[at + 1]
    assert salute.paragraph_format.first_line_indent is not None
    assert round(salute.paragraph_format.first_line_indent.pt) == 21
    assert court.text.strip() and all(run.bold for run in court.runs if run.text.strip())
