"""Form templates: laid out once, filled per document — and indistinguishable from a layout.

The zh-CN overdue reminder is a form (its per-borrower values sit in ``field()`` boxes). These
tests hold the filled PDF to WeasyPrint's own rendering of the same boxes holding the same
values (pixel for pixel), check that text extracts in reading order, that every font is
embedded and the file is valid, and that a value that does not fit — too wide, or a character
the compact fonts lack — makes that document laid out whole instead.
"""

import re
import subprocess
from pathlib import Path

import pytest
from markupsafe import escape
from PIL import Image, ImageChops

from service.documents import forms
from service.documents.exceptions import RenderFailed
from service.documents.paper import paper_of
from service.documents.pdf import get_renderer
from service.documents.registry import get_kind
from service.documents.render import render, render_form_html
from tests.documents.conftest import TEMPLATES, Variant, pdf_text
from tests.documents.test_form_kinds import FORM_VARIANTS

REMINDER = Variant(get_kind("overdue_reminder"), "CN", "zh-CN")
MARKED = re.compile(r'(<span class="field" data-field="(\d+)"[^>]*>)<span class="field-mark"[^>]*>'
                    + forms.MARK_CHAR + "</span>")


FORM_KINDS = ("overdue_reminder", "plan_reminder")  # the zh-CN templates written as forms


def reminder(kind: str = "overdue_reminder", **borrower: str):  # type: ignore[no-untyped-def]
    ctx = Variant(get_kind(kind), "CN", "zh-CN").sample()
    return ctx.model_copy(update={"borrower": ctx.borrower.model_copy(update=borrower)}) if borrower else ctx


def pixels(data: bytes, tmp: Path, name: str, page: int = 1) -> Image.Image:
    (tmp / f"{name}.pdf").write_bytes(data)
    subprocess.run(["pdftoppm", "-r", "100", "-gray", "-f", str(page), "-l", str(page), "-singlefile",
                    str(tmp / f"{name}.pdf"), str(tmp / f"{name}-{page}")], check=True)
    return Image.open(tmp / f"{name}-{page}.pgm")


def boxed_reference(ctx) -> bytes:  # type: ignore[no-untyped-def]
    """WeasyPrint laying out the form with each value typed into its field box."""
    form_html, values = render_form_html(ctx, TEMPLATES)
    boxed = MARKED.sub(lambda m: m.group(1) + str(escape(values[int(m.group(2))])), form_html)
    return get_renderer(TEMPLATES).render(boxed, locale=ctx.doc.locale, identifier=b"0" * 32,
                                          paper=paper_of(ctx.doc.profile).name).data


@pytest.mark.parametrize("kind", FORM_KINDS)
@pytest.mark.parametrize("name", ["张三", "欧阳玥然"], ids=["gb2312", "outside-gb2312"])
def test_filled_form_matches_weasyprint_laying_out_the_same_values(kind, name, tmp_path):
    ctx = reminder(kind, name=name)
    _, values = render_form_html(ctx, TEMPLATES)
    assert len(values) > 10 and any(name in v for v in values)
    filled = render(ctx, "pdf", templates_dir=TEMPLATES).data
    assert len(get_renderer(TEMPLATES).forms) >= 1
    difference = ImageChops.difference(pixels(filled, tmp_path, "filled"),
                                       pixels(boxed_reference(ctx), tmp_path, "reference"))
    assert difference.getbbox() is None, "the filled form differs from WeasyPrint's layout of the same values"


@pytest.mark.parametrize("variant", FORM_VARIANTS, ids=lambda v: v.id)
def test_every_form_kind_filled_matches_weasyprint_laying_out_the_same_values(variant, tmp_path):
    """Each form letter's demo notice, page by page, against WeasyPrint's layout of its boxes."""
    ctx = variant.sample()
    filled = render(ctx, "pdf", templates_dir=TEMPLATES)
    reference = boxed_reference(ctx)
    assert filled.pages is not None
    for page in range(1, filled.pages + 1):
        difference = ImageChops.difference(pixels(filled.data, tmp_path, "filled", page),
                                           pixels(reference, tmp_path, "reference", page))
        assert difference.getbbox() is None, f"page {page}: the filled form differs from WeasyPrint's layout"


def test_values_extract_in_reading_order_with_every_font_embedded(tmp_path):
    ctx = reminder(name="李四")
    data = render(ctx, "pdf", templates_dir=TEMPLATES).data
    text = re.sub(r"\s+", "", pdf_text(data, tmp_path))
    assert f"尊敬的李四（证件号码：{ctx.borrower.id_number}）：" in text
    assert f"合同编号{ctx.loan.contract_no}签订日期" in text
    path = tmp_path / "doc.pdf"
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows and all(row.split()[-5] == "yes" for row in rows), fonts  # emb column
    subprocess.run(["qpdf", "--check", str(path)], check=True, capture_output=True)


def test_one_layout_serves_every_borrower_of_a_lender():
    renderer = get_renderer(TEMPLATES)
    renderer.forms.clear()  # the process's bounded cache may be full from earlier tests (it would evict)
    render(reminder(name="王五"), "pdf", templates_dir=TEMPLATES)
    before = len(renderer.forms)
    for name in ("赵六", "钱七", "孙八"):
        render(reminder(name=name), "pdf", templates_dir=TEMPLATES)
    assert len(renderer.forms) == before
    other = REMINDER.sample()
    other = other.model_copy(update={"lender": other.lender.model_copy(update={"name": "另一家消费金融有限公司"})})
    render(other, "pdf", templates_dir=TEMPLATES)
    assert len(renderer.forms) == before + 1


def test_a_value_too_wide_for_its_field_is_laid_out_whole(tmp_path):
    name = "阿卜杜拉·买买提·艾力·库尔班·吐尔逊·阿不都热合曼·依明·托合提"
    ctx = reminder(name=name)
    form_html, values = render_form_html(ctx, TEMPLATES)
    data = render(ctx, "pdf", templates_dir=TEMPLATES).data
    flow = get_renderer(TEMPLATES).render(forms.flow_html(form_html, values), locale="zh-CN",
                                          identifier=_identifier(ctx)).data
    assert data == flow
    assert name in re.sub(r"\s+", "", pdf_text(data, tmp_path))
    assert render(ctx, "pdf", templates_dir=TEMPLATES).data == data


def test_a_character_outside_the_compact_fonts_is_laid_out_whole(tmp_path):
    name = "吉\U00020bb7"  # 𠮷: CJK Extension B, in the system Noto face only
    ctx = reminder(name=name)
    data = render(ctx, "pdf", templates_dir=TEMPLATES).data
    assert name in pdf_text(data, tmp_path)
    fonts = subprocess.run(["pdffonts", str(tmp_path / "doc.pdf")], capture_output=True, text=True, check=True).stdout
    assert "+Noto-Serif-CJK-SC" in fonts  # the system face, through the CSS font stack


def test_hostile_values_are_literal_text_in_a_filled_form(tmp_path):
    name = '<img src="file:///etc/passwd">{{ 7*7 }}'
    data = render(reminder(name=name), "pdf", templates_dir=TEMPLATES).data
    assert name in pdf_text(data, tmp_path)  # '{{ 7*7 }}' as typed, not 49; the tag as text


def test_a_form_whose_field_is_not_drawn_falls_back_to_layout():
    renderer = get_renderer(TEMPLATES)
    with forms.collecting() as values:
        hidden = forms.field("隐藏的值")
        shown = forms.field("显示的值")
    form_html = (f'<html lang="zh-CN"><body><p>甲{shown}</p><p style="display: none">乙{hidden}</p></body></html>')
    result = renderer.render_form(form_html, values, locale="zh-CN", identifier=b"1" * 32)
    expected = renderer.render(forms.flow_html(form_html, values), locale="zh-CN", identifier=b"1" * 32)
    assert result.data == expected.data


def test_field_outside_a_form_is_plain_escaped_text():
    assert str(forms.field("<b>甲</b>")) == "&lt;b&gt;甲&lt;/b&gt;"
    with pytest.raises(RenderFailed, match="field width"), forms.collecting():
        forms.field("甲", width="calc(100% - 1em)")


def _identifier(ctx) -> bytes:  # type: ignore[no-untyped-def]
    import hashlib

    from service.documents.render import template_version

    kind = get_kind(ctx.doc.kind)
    version = template_version(TEMPLATES, kind, "CN", "zh-CN", "pdf")
    name = kind.template_name("CN", "zh-CN", "pdf")
    return hashlib.sha256(f"{name}|{version}|{ctx.content_hash()}".encode()).hexdigest()[:32].encode()


def test_fields_on_a_second_page_are_filled_where_weasyprint_puts_them(tmp_path):
    renderer = get_renderer(TEMPLATES)
    with forms.collecting() as values:
        first = forms.field("第一页的值 12,345.67", width="30em")
        second = forms.field("王小明（第二页）", width="30em")
    filler = "".join(f"<p>第{i}段：本段为填充文字，用于把下一个字段推到第二页。</p>" for i in range(60))
    form_html = (f'<html lang="zh-CN"><head><meta charset="utf-8"></head><body><p>甲：{first}</p>{filler}'
                 f'<p class="right">乙：{second}</p></body></html>')
    filled = renderer.render_form(form_html, values, locale="zh-CN", identifier=b"2" * 32)
    assert filled.pages == 2
    boxed = MARKED.sub(lambda m: m.group(1) + str(escape(values[int(m.group(2))])), form_html)
    reference = renderer.render(boxed, locale="zh-CN", identifier=b"2" * 32)
    for page in (1, 2):
        images = [pixels(filled.data, tmp_path, "filled", page), pixels(reference.data, tmp_path, "reference", page)]
        assert ImageChops.difference(*images).getbbox() is None, f"page {page} differs"
    assert "王小明（第二页）" in pdf_text(filled.data, tmp_path).split("\f")[1]


@pytest.mark.parametrize("value", [
    "还款账户：中国工商银行上海浦东支行，账号1001234509876543210，应还金额12,345.67元，最迟于2026年12月18日前",
    "Account HXCF-202607-928596, amount due $12,345.67 by December 18, 2026, call (312) 555-0178 or 400-820-1234",
], ids=["zh", "en"])
def test_a_value_laid_out_whole_wraps_between_tokens_never_inside_one(value, tmp_path):
    """The whole-layout fallback writes the value into the running text: it may wrap, but an
    amount, date, account or phone number in it stays on one line (as in the template's own text)."""
    from service.documents.typography import TOKEN, _long_enough

    renderer = get_renderer(TEMPLATES)
    tokens = [re.sub(r"\s+", "", t.group(0)) for t in TOKEN.finditer(value) if _long_enough(t.group(0))]
    assert len(tokens) >= 3
    for width in range(30, 75, 4):  # many line ends: some fall where a token would be split
        with forms.collecting() as values:
            box = forms.field(value, width="20mm")
        form_html = (f'<html lang="zh-CN"><head><meta charset="utf-8"></head><body>'
                     f'<p style="width: {width}mm">甲：{box}</p></body></html>')
        flowed = renderer.render_form(form_html, values, locale="zh-CN", identifier=b"3" * 32)
        lines = [re.sub(r"\s+", "", line) for line in pdf_text(flowed.data, tmp_path).splitlines()]
        assert sum(1 for line in lines if line) >= 4  # it did wrap
        for token in tokens:
            assert any(token in line for line in lines), f"{width} mm: {token} broken across lines: {lines}"
