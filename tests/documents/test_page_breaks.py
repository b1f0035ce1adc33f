"""Where lines and pages break, read on the PDF's text (service/demo/proofread.py, pdftotext):

- a table split across pages leaves at least two of its rows on each side, its total with two
  rows above it (base.css; issue 10's L-2: the mediation application's plan table split five rows |
  one row and the total), its lead-in with its first rows; a table of seven rows or more splits
  there, rather than move whole with its lead-in and leave the page before 65-70% full (the
  mediation application's first page, 67%); a short one, six rows at most with its header, never
  splits (issue 10 §2: the US breach notice's five rows of amounts went 3 | 2 across a page);
- a field's label stays with its value in a row of fields (typography.FIELD_LABEL; L-4: the
  letterhead's "网址：" | URL, C12-7: "借款合同编号：" | the contract number over the evidence index);
- a list number in Chinese text is followed by one space, not a justified line's slack (zh-CN.css; V-5);
- a heading (h1-h3, a table's group or section row) is never a page's last line, a paragraph leading
  into a table is never cut from it (issue 10 (3/6) item 2: the New York affirmation's explanation
  of its default interest cut at a page's foot, its table alone on page 3), and every heading of a
  DOCX keeps with what follows (item 4: the exhibit index's "Group 5: Recordings" alone at the foot
  of page 1 in LibreOffice); service/demo/page_breaks.py reads headings and lead-ins from the HTML.
"""

from io import BytesIO

import pytest
from docx import Document

from service.demo import page_breaks, proofread
from service.documents.pdf import get_renderer as get_pdf_renderer
from service.documents.registry import get_kind
from service.documents.render import render, render_html
from service.documents.typography import strip_joiners
from tests.documents.conftest import TEMPLATES, Variant, variants

FILLER = '<p class="indent">' + "委托人已依约履行放款义务，您应按合同约定按期还本付息。" * 3 + "</p>"


def _table(rows: int, total: bool) -> str:
    body = "".join(f'<tr><td class="center">{n}</td><td>第{n}行</td><td class="num">1,400.32</td></tr>'
                   for n in range(1, rows + 1))
    if total:
        body += '<tr class="total"><td>合计行</td><td></td><td class="num">8,401.95</td></tr>'
    return ('<p class="indent">被申请人实际应还8,401.95元，分期偿还：</p><table class="data">'
            '<colgroup><col style="width: 20%"><col style="width: 40%"><col style="width: 40%"></colgroup>'
            f'<thead><tr><th>期次</th><th>还款日</th><th>金额（元）</th></tr></thead><tbody>{body}</tbody></table>'
            '<p class="indent">被申请人任一期还款逾期超过5日的，上述减免失效。</p>')


def _pages(body: str, tmp_path, *, layout: bool = False) -> list[str]:
    html = f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><link rel="stylesheet" href="legal.css">' \
           f"</head><body>{body}</body></html>"
    pdf = get_pdf_renderer(TEMPLATES).render(html, locale="zh-CN", identifier=b"0" * 32)
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf.data)
    return proofread.pdf_pages(path, layout=layout)


def _rows_per_page(pages: list[str]) -> list[int]:
    """The table's rows on each page (the total counts as a row)."""
    lines = [[line.strip() for line in page.splitlines()] for page in pages]
    return [sum(1 for line in page if (line.startswith("第") and line.endswith("行")) or line == "合计行")
            for page in lines]


@pytest.mark.parametrize("rows,total", [(3, True), (4, True), (5, False), (6, True), (8, False), (10, True),
                                        (14, False)])
def test_a_table_leaves_two_rows_on_each_side_of_a_break(rows, total, tmp_path):
    """Filler paragraphs and one-line spacers put the page break at every row of the table in turn:
    the table splits where it is harmless, never leaving fewer than two rows on a page, a total
    row without two rows above it, or its lead-in without rows; a table of five rows or fewer under
    its header moves whole."""
    split_seen = False
    for fillers in range(13, 17):
        for spacers in range(4):
            pages = _pages(FILLER * fillers + "<p>第一条。</p>" * spacers + _table(rows, total), tmp_path)
            parts = [n for n in _rows_per_page(pages) if n]
            assert sum(parts) == rows + total, (fillers, spacers, parts)
            assert min(parts) >= 2 and parts[-1] >= 2 + total, (fillers, spacers, parts)
            first = next(page for page, n in zip(pages, _rows_per_page(pages), strict=True) if n)
            assert "分期偿还" in first, (fillers, spacers, parts)  # the lead-in with the first rows
            split_seen |= len(parts) > 1
    assert split_seen == (rows + total > 5)  # a table that can split did split; a short one never


@pytest.mark.parametrize("kind", ["demand_letter", "evidence_index", "service_address_confirmation"])
def test_a_field_label_stays_with_its_value(kind, tmp_path):
    """The letterhead's fields (网址：www…, 客服热线：400-…), the line of fields over the evidence
    index (借款合同编号：QHXD-…) and the confirmation's 日期：2026年…日 break between fields."""
    ctx = Variant(get_kind(kind), "CN", "zh-CN").sample()
    (tmp_path / "doc.pdf").write_bytes(render(ctx, "pdf", templates_dir=TEMPLATES).data)
    assert proofread.split_fields(proofread.pdf_pages(tmp_path / "doc.pdf", layout=True)) == []


def test_the_field_check_finds_a_label_cut_from_its_value():
    page = ("地址：上海市浦东新区世纪大道1000号华信大厦18层 邮编：200120      客服热线：400-820-1234     网址：\n"
            "            www.hxcf.example.cn\n"
            "受送达人（签名、盖章）：某某公司（盖章）        日期：\n（印章区）\n")
    assert proofread.split_fields([page]) == ["网址："]


def test_a_list_number_in_chinese_text_is_not_followed_by_a_gap(tmp_path):
    """"3. 本表所涉内容…" (the element form's notes, the agreement's numbered clauses): WeasyPrint
    justified the line by widening its only space, the one after the number."""
    body = ("<p>3. 本表所涉内容系针对一般民间借贷纠纷案件，有些内容可能与您的案件无关，"
            "您认为与案件无关的项目可以填“无”；对于本表中勾选项可以在对应项打“√”；"
            "您认为另有重要内容需要列明的，可以在本表尾部或者另附页填写。</p>"
            '<p class="item">2. 本协议项下全部未还款项及原借款合同项下全部欠款于纠正期届满之次日'
            "（以下称“提前到期日”）全部到期，乙方应一次性清偿；</p>")
    assert proofread.stretched_numbers(_pages(body, tmp_path, layout=True)) == []
    ctx = Variant(get_kind("complaint_elements"), "CN", "zh-CN").sample()
    (tmp_path / "form.pdf").write_bytes(render(ctx, "pdf", templates_dir=TEMPLATES).data)
    assert proofread.stretched_numbers(proofread.pdf_pages(tmp_path / "form.pdf", layout=True)) == []


# The New York affirmation's explanation of its default-interest rows (review of US-00010): five
# lines, cut at the foot of page 2 ("…where a payment changes the unpaid" | "principal…"), its end
# and the table on page 3.
LEAD_IN = ("Default interest under section 4 of the payment plan, from October 21, 2026, the day after the cure "
           "period (payment plan section 4), that day included: unpaid principal × the annual rate ÷ 360 × days, "
           "each row rounded to the cent; a new row begins where a payment changes the unpaid principal or the rate "
           "changes, and after that first day and each day on which a notice to Defendant stated the balance.")
ROWS = ("<tr><td>October 21, 2026</td><td>October 21, 2026</td><td>1</td><td>$74.24</td><td>$0.02</td></tr>"
        "<tr><td>October 22, 2026</td><td>December 7, 2026</td><td>47</td><td>$74.24</td><td>$1.13</td></tr>"
        "<tr class=\"total\"><td colspan=\"4\">Default interest since October 21, 2026</td><td>$1.15</td></tr>")


def _affidavit(body: str) -> str:
    """An affidavit's page as the template sets it (the dense, tight section of legal.css)."""
    return ('<!DOCTYPE html><html lang="en-US"><head><meta charset="utf-8"><title>t</title></head><body>'
            f'<link rel="stylesheet" href="legal.css"><section class="dense tight">{body}</section></body></html>')


def _letter_pages(markup: str, tmp_path, name: str) -> list[str]:
    pdf = get_pdf_renderer(TEMPLATES).render(markup, locale="en-US", identifier=b"t", paper="letter")
    (tmp_path / name).write_bytes(pdf.data)
    return proofread.pdf_pages(tmp_path / name)


def test_a_heading_and_a_table_s_lead_in_go_whole_with_the_table_wherever_the_page_breaks(tmp_path):
    """Moved line by line down the page, the attachment's heading and the explanation are on the
    page of the table, the explanation whole."""
    table = ("<table class=\"data small compact accruals\"><thead><tr><th>From</th><th>Through</th><th>Days</th>"
             f"<th>Unpaid principal</th><th>Default interest</th></tr></thead><tbody>{ROWS}</tbody></table>")
    found, moved = [], set()
    for lines in range(34, 46):
        fillers = "".join(f"<p class=\"item\">{k}. A line of the statement.</p>" for k in range(1, lines + 1))
        markup = _affidavit(f"{fillers}<h2>Attachment A: Statement of account</h2><p>{LEAD_IN}</p>{table}")
        pages = _letter_pages(markup, tmp_path, f"lead-in-{lines}.pdf")
        moved.add(len(pages))
        found += [(lines, lead) for lead in page_breaks.split_lead_ins(pages, page_breaks.lead_ins(markup))]
        found += [(lines, h) for _, h in page_breaks.headings_at_page_foot(pages, page_breaks.headings(markup))]
    assert moved == {1, 2}, "the range of fillers misses the page break"
    assert not found


def test_a_heading_at_a_page_s_foot_and_a_cut_lead_in_are_found():
    heads = ["Attachment A to this affirmation: Statement of account", "Group 5: Recordings"]
    pages = ["1. The text.\nAttachment A to this affirmation:\nStatement of account\nPage 1 of 2\n", "The rest.\n"]
    assert page_breaks.headings_at_page_foot(pages, heads) == [(1, heads[0])]
    assert page_breaks.headings_at_page_foot(["Group 5: Recordings\n8 Recording\n", "x\n"], heads) == []
    lead = "Default interest under section 4, a new row begins where a payment changes the unpaid principal."
    assert page_breaks.split_lead_ins(["x\nDefault interest under section 4, a new row begins\nwhere a payment "
                                       "changes the unpaid\n", "principal.\nFrom Through\n"], [lead]) == [lead]
    assert page_breaks.split_lead_ins(["x\n", f"{lead}\nFrom Through\n"], [lead]) == []


def _kept(paragraph) -> bool:
    return bool(paragraph.paragraph_format.keep_with_next)


def _paragraphs(container):
    """The paragraphs a heading may be: of the body, and of a table row that is one cell across (a
    group's or section's row, a keeping cell), nested tables' too; not of a cell beside others (a
    form's label cell may repeat its section's words: 证据清单)."""
    yield from container.paragraphs
    yield from _in_tables(container)


def _in_tables(container):
    for table in container.tables:
        for row in table.rows:
            cells = list({cell._tc: cell for cell in row.cells}.values())  # a merged cell once
            for cell in cells:
                yield from _paragraphs(cell) if len(cells) == 1 else _in_tables(cell)


@pytest.mark.parametrize("variant", variants(), ids=[v.id for v in variants()])
def test_every_heading_of_a_docx_keeps_with_what_follows(variant):
    """Each heading of the kind's HTML (h1, h2, a group's or section's row across a table) is kept
    with the next paragraph in its DOCX (w:keepNext): LibreOffice left the exhibit index's "Group 5:
    Recordings" row alone at the foot of page 1, its exhibit on page 2."""
    ctx = variant.sample()
    heads = {" ".join(h.split()) for h in page_breaks.headings(render_html(ctx, TEMPLATES))}
    document = Document(BytesIO(render(ctx, "docx", templates_dir=TEMPLATES).data))
    found = [(text, _kept(p)) for p in _paragraphs(document)
             if (text := " ".join(strip_joiners(p.text).replace("\xa0", " ").split())) in heads]
    assert {text for text, _ in found} == heads  # each heading is a paragraph of its own in the DOCX
    assert not [text for text, kept in found if not kept]
