"""The CN packet cover (诉讼材料) and its contents on one page (issue 10 §2: with sixteen exhibits in
six groups, the demo's CN-00058, the contents spilled one row, 证据16, and the note on to a second
page). A list too long for one page carries its last rows on under the repeated header, never one
row alone (legal.css table.data.contents), read on the PDF's text (pdftotext)."""

import re

import pytest

from service.demo import proofread
from service.documents.contexts.legal.packet import ExhibitEntry, PageRange
from service.documents.registry import get_kind
from service.documents.render import render
from tests.documents.conftest import TEMPLATES, Variant

# The demo's groups and titles (CN-00058's packet): the recording's title is the longest
GROUPS = [
    ("第一组：当事人主体资格",
     ["原告营业执照（副本复印件）", "原告小额贷款公司经营许可证（复印件）", "法定代表人身份证明书",
      "律师事务所函（北京正衡律师事务所）", "律师执业证复印件（孙立新）", "被告居民身份证复印件"]),
    ("第二组：借款合同关系成立及借款发放",
     ["《薪享贷个人消费借款合同》（编号QHXD-202509-074616）", "放款凭证（银行转账记录）"]),
    ("第三组：还款情况及逾期事实", ["还款计划表", "还款记录及款项冲抵明细"]),
    ("第四组：催告、走访及协商经过（诉讼时效中断）",
     ["催收通知记录及通知书", "上门走访记录签署件（2026年4月5日）", "律师函（2026年11月26日）及送达记录"]),
    ("第五组：还款协议及违约事实", ["《还款协议》（编号CN-00058-P1）", "《违约及提前到期通知书》及送达记录"]),
    ("第六组：视听资料（随附电子文件，不装订）",
     ["录音：催收通话录音（北京时间2026年3月8日 15:25拨打187****7956的通话）"]),
]
EXHIBIT_ROW = re.compile(r"^\s*证据\d+\b")


def _cover_pages(tmp_path, extra: int = 0) -> list[str]:
    """The sample cover with the demo's sixteen exhibits, and `extra` more in the fifth group."""
    ctx = Variant(get_kind("packet_cover"), "CN", "zh-CN").sample()
    titles = [(group, title) for group, items in GROUPS for title in items]
    at = next(k for k, (group, _) in enumerate(titles) if group.startswith("第六组"))
    titles[at:at] = [(GROUPS[4][0], f"补充证据材料（第{k + 1}份）") for k in range(extra)]
    page = 19
    exhibits = []
    for number, (group, title) in enumerate(titles, start=1):
        recording = group.startswith("第六组")
        exhibits.append(ExhibitEntry(number=number, group=f"证据材料·{group}", title=title, form="书证",
                                     origin="原告", original_available=True, purpose="证明",
                                     pages=None if recording else PageRange(first_page=page, last_page=page + 1)))
        page += 0 if recording else 2
    ctx = ctx.model_copy(update={"exhibits": tuple(exhibits)})
    path = tmp_path / f"cover-{extra}.pdf"
    path.write_bytes(render(ctx, "pdf", templates_dir=TEMPLATES).data)
    return proofread.pdf_pages(path, layout=True)


def test_the_demo_packets_contents_fit_the_cover(tmp_path):
    pages = _cover_pages(tmp_path)
    assert len(pages) == 1, pages[-1]
    text = pages[0]
    assert "证据16" in text and "页码为全卷连续页码" in text
    # each exhibit's title on one line beside its number (the recording's too)
    assert "187****7956的通话）" in next(line for line in text.splitlines() if "证据16" in line)


@pytest.mark.parametrize("extra", [4, 8, 14])
def test_contents_too_long_for_the_cover_carry_rows_on_under_their_header(tmp_path, extra):
    pages = _cover_pages(tmp_path, extra)
    assert len(pages) == 2, extra
    rows = [line for line in pages[1].splitlines() if EXHIBIT_ROW.match(line)]
    assert "序号" in pages[1] and "材料名称" in pages[1]  # the header repeated
    assert len(rows) >= 3, pages[1]  # a few rows, never one alone
    assert "页码为全卷连续页码" in pages[1]  # the note with them
