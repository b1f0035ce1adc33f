"""The US exhibit index: its closing note and signature go to a page with the table's last two
rows (and a group heading between them), wherever the page break falls (legal.css); no group
heading is a page's last line (service/demo/page_breaks.py)."""

import pytest

from service.demo import page_breaks, proofread
from service.documents.registry import get_kind
from service.documents.render import render, render_html
from tests.documents.conftest import TEMPLATES, Variant


def _index(count: int):
    ctx = Variant(get_kind("evidence_index"), "US", "en-US").sample()
    first = ctx.rows[0]
    rows = tuple(first.model_copy(update={"number": n, "group": f"Group {(n - 1) // 3 + 1}: Records",
                                          "title": f"Account record {n:02d}"}) for n in range(1, count + 1))
    return ctx.model_copy(update={"rows": rows})


@pytest.mark.parametrize("count", range(6, 16))
def test_the_signature_page_holds_the_last_two_rows(count, tmp_path):
    pdf = render(_index(count), "pdf", templates_dir=TEMPLATES)
    (tmp_path / "index.pdf").write_bytes(pdf.data)
    pages = proofread.pdf_pages(tmp_path / "index.pdf")
    closing = next(p for p in pages if "Submitted by" in p)
    flat = proofread.SPACE.sub(" ", closing)
    assert f"Account record {count:02d}" in flat and f"Account record {count - 1:02d}" in flat, (len(pages), flat)
    assert not proofread.orphan_signature_pages(pages)
    assert not page_breaks.headings_at_page_foot(pages, page_breaks.headings(render_html(_index(count), TEMPLATES)))


def _cn_index(count: int):
    ctx = Variant(get_kind("evidence_index"), "CN", "zh-CN").sample()
    first = ctx.rows[0]
    rows = tuple(first.model_copy(update={"number": n, "group": f"第{(n - 1) // 3 + 1}组：账户记录",
                                          "title": f"账户记录{n:02d}号"}) for n in range(1, count + 1))
    return ctx.model_copy(update={"rows": rows})


@pytest.mark.parametrize("count", range(6, 18))
def test_the_cn_index_note_and_signature_go_with_the_last_two_rows(count, tmp_path):
    """C12-4: the 说明 note, the 一式…份 line and the 提交人 block never make a page of their own."""
    pdf = render(_cn_index(count), "pdf", templates_dir=TEMPLATES)
    (tmp_path / "index.pdf").write_bytes(pdf.data)
    pages = proofread.pdf_pages(tmp_path / "index.pdf")
    closing = proofread.SPACE.sub("", next(p for p in pages if "提交人：" in p and "（盖章）" in p))
    assert f"账户记录{count:02d}号" in closing and f"账户记录{count - 1:02d}号" in closing, (len(pages), closing)
    assert not proofread.orphan_signature_pages(pages)
    assert not page_breaks.headings_at_page_foot(pages, page_breaks.headings(render_html(_cn_index(count), TEMPLATES)))


def test_a_page_of_only_the_note_and_the_signature_is_a_lone_signature_page():
    page = "说明：页码为证据材料装订后的连续页码，卷宗编号印于每页右下角；\n“原件”栏为“有”的。\n" \
           "本证据目录及证据材料一式二份（人民法院一份，被告一份）。\n提交人：某某公司（盖章）\n（印章区）\n提交日期：2026年12月5日\n"
    assert proofread.orphan_signature_pages(["证据目录\n1 借款合同\n", page]) == [2]
    assert proofread.orphan_signature_pages(["Exhibit index\n", "Note: page numbers are Bates numbers.\n"
                                             "One more line.\nAnd another line.\nSubmitted by: Lakeside\n"]) == [2]


RECORDING = "REC-US-00014-20261105-1542.wav"  # the upload's name, as the index prints it


@pytest.mark.parametrize(("profile", "locale"), [("US", "en-US"), ("CN", "zh-CN")])
def test_a_recordings_file_name_is_never_broken(profile, locale, tmp_path):
    """Review: a recording's file name split across lines in the US exhibit index ("…-15 / 42.wav"),
    in a cell of the narrow Exhibit column. The name is on a line of its own under its row, kept whole
    (the ``whole`` filter: a nowrap span in the PDF, word joiners in the DOCX)."""
    from service.documents.typography import WORD_JOINER

    ctx = Variant(get_kind("evidence_index"), profile, locale).sample()
    row = ctx.rows[0].model_copy(update={"number": 9, "title": "Recorded collection call", "file": RECORDING,
                                         "first_page": None, "last_page": None})
    ctx = ctx.model_copy(update={"rows": (*ctx.rows, row)})
    (tmp_path / "index.pdf").write_bytes(render(ctx, "pdf", templates_dir=TEMPLATES).data)
    lines = [line for page in proofread.pdf_pages(tmp_path / "index.pdf", layout=True) for line in page.splitlines()]
    assert [line for line in lines if RECORDING in line], [line for line in lines if "REC-" in line or ".wav" in line]
    xml = _document_xml(render(ctx, "docx", templates_dir=TEMPLATES).data)
    assert WORD_JOINER.join(RECORDING) in xml


def _document_xml(docx: bytes) -> str:
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        return z.read("word/document.xml").decode()


@pytest.mark.parametrize(("profile", "locale", "index"), [("US", "en-US", _index), ("CN", "zh-CN", _cn_index)])
def test_each_group_heading_of_the_docx_keeps_with_its_first_row(profile, locale, index):
    """Issue 10 (3/6) item 4: in LibreOffice the US index's "Group 5: Recordings" stood alone at the
    foot of page 1, its exhibit on page 2. Every group's heading row keeps with the row after it
    (w:keepNext, tools/make_docx_templates.py), not only the last two rows (docx.py)."""
    from io import BytesIO

    from docx import Document

    ctx = index(12)  # four groups of three: a table too long to be kept whole
    groups = {r.group for r in ctx.rows}
    document = Document(BytesIO(render(ctx, "docx", templates_dir=TEMPLATES).data))
    headings = [row.cells[0] for table in document.tables for row in table.rows
                if len({c._tc for c in row.cells}) == 1 and row.cells[0].text in groups]
    assert len(headings) == len(groups) == 4
    assert all(p.paragraph_format.keep_with_next for cell in headings for p in cell.paragraphs)
