"""An amount and its unit never break across lines (issue 10: no line breaks inside an amount):
the CN-00060 review found "合计47,082.68 / 元" in the complaint, "880.19 / 元" in the claim sheet and
"977.07 / 元" in the fee statement. service/documents/typography.py keeps "47,082.68元" one token: a
nowrap span in the PDF, a word joiner before 元 in the DOCX (the figures themselves as typed)."""

import re

from service.demo import proofread
from service.documents.pdf import get_renderer as get_pdf_renderer
from service.documents.typography import TOKEN, WORD_JOINER, keep_tokens_docx_xml, keep_tokens_html
from tests.documents.conftest import TEMPLATES

# 元 opening a line after a line that ends in an amount (or in ¥/$ and figures)
BROKEN = re.compile(r"[$¥]?\d[\d,]*\.\d\d\s*\n\s*元")
SENTENCE = "截至2026年12月8日，原告主张被告偿还本金44,755.47元，支付利息1,447.02元、逾期利息880.19元，合计47,082.68元。"


def _pages(html: str, tmp_path, *, kept: bool) -> str:
    page = f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"></head><body>{html}</body></html>'
    pdf = get_pdf_renderer(TEMPLATES).render(keep_tokens_html(page) if kept else page, locale="zh-CN",
                                             identifier=b"0" * 32)
    (tmp_path / "doc.pdf").write_bytes(pdf.data)
    return "\n".join(proofread.pdf_pages(tmp_path / "doc.pdf", layout=True))


def test_an_amount_is_one_token_with_its_unit():
    found = [m.group(0) for m in TOKEN.finditer("逾期利息880.19元，合计47,082.68元、¥977.07及12万元；第3期")]
    assert found == ["880.19元", "47,082.68元", "¥977.07", "12万元", "3"]  # a count: no unit of money


def test_no_line_ends_in_an_amount_with_its_unit_on_the_next_in_the_pdf(tmp_path):
    # each paragraph starts one character later, so a line's end falls at every place of the amounts
    html = "".join(f"<p>{'依' * k}{SENTENCE}</p>" for k in range(40))
    assert BROKEN.search(_pages(html, tmp_path, kept=False))  # the check sees the break without the rule
    text = _pages(html, tmp_path, kept=True)
    assert text.count("47,082.68元") == 40, text
    assert not BROKEN.search(text), BROKEN.findall(text)


def test_the_docx_joins_the_unit_to_the_figures_as_typed():
    xml = keep_tokens_docx_xml("<w:r><w:t>合计47,082.68元，即880.19元</w:t></w:r>")
    assert f"47,082.68{WORD_JOINER}元" in xml and f"880.19{WORD_JOINER}元" in xml
    assert "47,082.68" in xml  # no joiner inside the figures: Word's Find sees them as typed
