"""Layout guarantees: the compiled DOCX path says what docxtpl says, long tables repeat their
header on every page, and a character no font has refuses the document."""

import shutil
import subprocess
import zipfile
from io import BytesIO

import pytest
from docxtpl import DocxTemplate
from lxml import etree

from service.documents.docx import docx_text
from service.documents.environment import docx_environment
from service.documents.exceptions import MissingGlyphs
from service.documents.registry import get_kind
from service.documents.render import render
from tests.documents.conftest import NOTICES, TEMPLATES, Variant, pdf_text, squash


@pytest.mark.parametrize("variant", NOTICES, ids=[v.id for v in NOTICES])
def test_compiled_docx_matches_plain_docxtpl(variant):
    ctx = variant.sample()
    path = TEMPLATES / variant.kind.template_name(variant.profile, variant.locale, "docx")
    plain = DocxTemplate(str(path))
    plain.render(ctx.template_vars(), jinja_env=docx_environment(TEMPLATES), autoescape=True)
    buffer = BytesIO()
    plain.save(buffer)
    ours = render(ctx, "docx", templates_dir=TEMPLATES).data
    # The compiled path keeps tokens (dates, amounts) on one line with no-break spaces; the words agree.
    assert docx_text(ours).replace("\xa0", " ") == docx_text(buffer.getvalue())


def test_long_tables_repeat_their_header_on_every_page(tmp_path):
    ctx = Variant(get_kind("demand_letter"), "CN", "zh-CN").sample()
    line = ctx.lines[0]
    lines = tuple(line.model_copy(update={"no": i}) for i in range(1, 61))
    long_ctx = ctx.model_copy(update={"lines": lines})
    pdf = render(long_ctx, "pdf", templates_dir=TEMPLATES)
    assert pdf.pages >= 3
    pages = pdf_text(pdf.data, tmp_path).split("\f")
    with_rows = [p for p in pages if "罚息及复利" in p or squash(line.due_date.strftime("%Y")) in squash(p)]
    table_pages = [p for p in pages[1:] if "逾期天数" in p]
    assert len(table_pages) >= 1 and all("应还日期" in p for p in table_pages)
    assert with_rows


def test_a_character_no_font_has_refuses_the_document():
    ctx = Variant(get_kind("overdue_reminder"), "CN", "zh-CN").sample()
    odd = ctx.model_copy(update={"borrower": ctx.borrower.model_copy(update={"name": "张\U00013000"})})
    with pytest.raises(MissingGlyphs) as refused:
        render(odd, "pdf", templates_dir=TEMPLATES)
    assert "U+13000" in str(refused.value)


def test_rare_ideographs_come_from_the_extension_face(tmp_path):
    ctx = Variant(get_kind("overdue_reminder"), "CN", "zh-CN").sample()
    rare = ctx.model_copy(update={"borrower": ctx.borrower.model_copy(update={"name": "王堃赟"})})
    pdf = render(rare, "pdf", templates_dir=TEMPLATES)
    assert "王堃赟" in pdf_text(pdf.data, tmp_path)
    import subprocess

    path = tmp_path / "rare.pdf"
    path.write_bytes(pdf.data)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout
    assert "Dossier-Serif-Ext" in fonts and "Noto" not in fonts
    assert len(pdf.data) <= 80 * 1024


def test_breach_notice_in_chinese_is_one_page_and_keeps_its_closing_with_the_text(tmp_path):
    """The zh-CN breach notice fits one page with two missed instalments (its second page used to
    hold only 特此通知 and the signature); in the DOCX the paragraph before 特此通知 shares the
    signature's unsplittable cell, so the signature never starts a page with the closing line alone."""
    from docx import Document

    ctx = Variant(get_kind("breach_notice"), "CN", "zh-CN").sample()
    extra = ctx.missed[0].model_copy(update={"no": ctx.missed[0].no + 1})  # type: ignore[attr-defined]
    ctx = ctx.model_copy(update={"missed": (*ctx.missed, extra)})  # type: ignore[attr-defined]
    assert render(ctx, "pdf", templates_dir=TEMPLATES).pages == 1
    document = Document(BytesIO(render(ctx, "docx", templates_dir=TEMPLATES).data))
    cell = document.tables[-1].cell(0, 0)
    texts = [p.text.strip() for p in cell.paragraphs if p.text.strip()]
    assert texts[1] == "特此通知。" and texts[0].startswith("三、还款及异议"), texts[:3]


def _two_missed_breach_notice():
    ctx = Variant(get_kind("breach_notice"), "CN", "zh-CN").sample()
    extra = ctx.missed[0].model_copy(update={"no": ctx.missed[0].no + 1})  # type: ignore[attr-defined]
    return ctx.model_copy(update={"missed": (*ctx.missed, extra)})  # type: ignore[attr-defined]


def test_breach_notice_in_chinese_is_one_page_in_libreoffice_too(tmp_path):
    """The DOCX of the same notice is one page as LibreOffice lays it out (an empty paragraph after
    each of its tables ran it onto a second page)."""
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    (tmp_path / "notice.docx").write_bytes(render(_two_missed_breach_notice(), "docx", templates_dir=TEMPLATES).data)
    subprocess.run([soffice, f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}", "--headless", "--convert-to",
                    "pdf", "--outdir", str(tmp_path), str(tmp_path / "notice.docx")], capture_output=True, check=True,
                   timeout=300)
    text = subprocess.run(["pdftotext", str(tmp_path / "notice.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "特此通知" in text and text.count("\f") == 1


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def test_docx_templates_have_no_empty_paragraph_but_where_word_needs_one():
    """Between two tables (else Word merges them) and ending a cell or the body after a table: no
    other empty paragraph (a docxtpl {%p %} paragraph vanishes when rendered, so it is skipped)."""
    def needed(p) -> bool:
        if p.getparent().tag == f"{W}tc" and len(p.getparent().findall(f"{W}p")) == 1:
            return True  # an empty cell's paragraph
        before, after = p.getprevious(), p.getnext()
        while after is not None and after.tag == f"{W}p" and "".join(after.itertext()).startswith("{%p"):
            after = after.getnext()
        return before is not None and before.tag == f"{W}tbl" and (after is None or after.tag in (f"{W}tbl",
                                                                                                     f"{W}sectPr"))
    docs = sorted(TEMPLATES.rglob("*.docx"))
    assert len(docs) > 40
    found = {}
    for path in docs:
        with zipfile.ZipFile(path) as archive:
            body = etree.fromstring(archive.read("word/document.xml")).find(f"{W}body")
        empty = [p for p in body.iter(f"{W}p") if not "".join(p.itertext()).strip()
                 and p.find(f"{W}pPr/{W}pBdr") is None and not needed(p)]  # a border draws a rule
        if empty:
            found[str(path.relative_to(TEMPLATES))] = len(empty)
    assert not found
