"""A signature block is never (nearly) alone on a page: wherever the page break falls in a
letter, a page that holds the block also holds at least three lines of the text above it (base.css
in the PDF; tools/make_docx_templates.py keeps the paragraphs above it in one row in the DOCX).
The demo catalogue checks every kind (tests/documents/test_catalogue.py); this checks the rule at
every break position, in both kinds of signature block."""

import pytest

from service.demo import proofread
from service.documents.pdf import get_renderer as get_pdf_renderer
from tests.documents.conftest import TEMPLATES

FILLER = "<p class=\"indent\">" + "委托人已依约履行放款义务，您应按合同约定按期还本付息。" * 3 + "</p>"
CLOSING = {
    "table.sign": ('<p class="indent">' + "如您对上述事实或金额有异议，请携带相关凭证与本所律师联系核实。" * 3 + "</p>"
                   '<p class="indent">特此函告。</p><table class="sign"><tr><td></td>'
                   '<td><p>北京正衡律师事务所（盖章）</p>'
                   '<p class="seal">（印章区）</p><p>律师：孙立新（签名）</p><p>2026年12月3日</p></td></tr></table>'),
    "div.sign": ('<p>' + "本函所述金额以本公司系统记录为准，如有疑问请致电客服热线核实。" * 2 + "</p>"
                 '<p>' + "逾期记录将依法报送金融信用信息基础数据库，请您尽快还款以免影响信用。" * 3 + "</p>"
                 '<div class="sign"><p class="right">华信消费金融有限公司（盖章）</p>'
                 '<p class="right seal">（印章区）</p>'
                 '<p class="right">2026年12月3日</p></div>'),
    "salute": ('<p class="indent">' + "被申请人任一期还款逾期超过5日的，上述减免失效。" * 2 + "</p>"
               '<p class="salute">此致</p><p class="court">深圳市南山区人民法院</p><table class="sign"><tr><td></td>'
               '<td><p>申请人：深圳市前海惠民小额贷款有限公司（盖章）</p><p>2026年12月3日</p></td></tr></table>'),
}


def _pages(body: str, tmp_path) -> list[str]:
    html = f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><link rel="stylesheet" href="legal.css">' \
           f"</head><body>{body}</body></html>"
    pdf = get_pdf_renderer(TEMPLATES).render(html, locale="zh-CN", identifier=b"0" * 32)
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf.data)
    return proofread.pdf_pages(path)


@pytest.mark.parametrize("block", sorted(CLOSING))
def test_the_signature_block_brings_three_lines_at_every_break_position(block, tmp_path):
    """Filler paragraphs of three lines, then a one-line spacer of 0..3 lines, put the page
    break at every line of the closing text in turn."""
    pages_seen = set()
    for fillers in range(12, 16):
        for spacers in range(4):
            body = FILLER * fillers + "<p>第一条。</p>" * spacers + CLOSING[block]
            pages = _pages(body, tmp_path)
            pages_seen.add(len(pages))
            assert not proofread.orphan_signature_pages(pages), (fillers, spacers, pages[-1][:200])
    assert 2 in pages_seen  # the closing text did reach the second page


def test_the_check_finds_a_block_with_a_line_or_two_above_it():
    one = ("正文第一页。\n第 1 页 / 共 2 页\n\f特此函告。\n北京正衡律师事务所（盖章）\n（印章区）\n2026年12月3日\n"
           "第 2 页 / 共 2 页\n\f")
    two = ("Dear Ms Davis,\nPage 1 of 2\n\fwhole remaining balance at once. If you have difficulty paying, call us\n"
           "before the due date.\nSincerely,\nLakeside Consumer Credit, LLC\nDecember 3, 2026\nPage 2 of 2\n\f")
    three = ("x\n\f第一行。\n第二行。\n第三行。\n此致\n深圳市南山区人民法院\n申请人：某公司（盖章）\n\f")
    assert proofread.orphan_signature_pages(one.split("\f")[:-1]) == [2]
    assert proofread.orphan_signature_pages(two.split("\f")[:-1]) == [2]
    assert proofread.orphan_signature_pages(three.split("\f")[:-1]) == []
    rows = "x\n\fNo.\nDue date\n1\nDecember 23, 2026\n$12,119.81\n2\nJanuary 23, 2027\n\f"  # a table's dates
    assert proofread.orphan_signature_pages(rows.split("\f")[:-1]) == []


def test_a_tables_closing_note_brings_the_last_row_at_every_break_position(tmp_path):
    """The packet cover's contents, then its note ("页码为全卷连续页码…", legal.css p.note.tail):
    wherever the page break falls, the note never starts a page alone (review CN-00061: page 2
    held that one sentence)."""
    note = '<p class="note tail">页码为全卷连续页码，每页另印有卷宗编号；各证据的编号范围见《证据目录》。</p>'
    pages_seen = set()
    for rows in range(30, 44):
        body = ('<table class="data"><thead><tr><th>序号</th><th>材料名称</th></tr></thead><tbody>'
                + "".join(f"<tr><td>证据{n}</td><td>还款记录及款项冲抵明细第{n}页</td></tr>"
                          for n in range(1, rows + 1))
                + "</tbody></table>" + note)
        pages = _pages(body, tmp_path)
        pages_seen.add(len(pages))
        [last] = [p for p in pages if "页码为全卷连续页码" in p]
        assert f"证据{rows}" in last, (rows, last[:200])
    assert 2 in pages_seen and 1 in pages_seen  # the break did fall on either side of the note


def test_a_seal_marked_twice_for_one_signer_is_found():
    """Issue 10: "（盖章）" above "（印章区）" asked for two seals where the signer has one."""
    from service.demo import proofread

    assert proofread.double_seals(["特此函告。\n北京正衡律师事务所（盖章）\n（印章区）\n2026年12月3日\n"])
    assert proofread.double_seals(["受送达人（签名、盖章）：某某公司（盖章）　　日期：2026年12月3日\n"])
    assert proofread.double_seals(["Party A: Acme Co., Ltd. (seal)\n(seal area)\n"])
    assert not proofread.double_seals(["特此函告。\n北京正衡律师事务所（盖章）\n律师：孙立新（签名）\n2026年12月3日\n",
                                       "Principal: Acme Co., Ltd.\n(seal)\nLegal representative: ZHANG San (张三)\n"])
