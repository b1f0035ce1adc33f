"""Every notice kind × profile × locale renders from its sample in both formats, and the two
formats say the same thing: required elements, agreement, fonts, validity, size."""

import re
import subprocess

import pytest

from service.documents.contexts.common import Required
from service.documents.format import cn_upper, money
from service.documents.registry import SMS
from service.documents.render import render
from service.documents.sms import budget
from tests.documents.conftest import NOTICES, TEMPLATES, squash

IDS = [v.id for v in NOTICES]
AMOUNT = re.compile(r"\d{1,3}(?:,\d{3})*\.\d{2}")
DATE_CN = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日")


def test_every_notice_kind_of_the_design_has_templates():
    kinds = {v.kind.kind for v in NOTICES}
    assert kinds == {"overdue_reminder", "demand_letter", "credit_report_prenotice", "visit_notice",
                     "plan_reminder", "breach_notice", "validation_notice",
                     "notice_of_intent_to_accelerate", "notice_of_acceleration"}  # US-19 (Texas)
    english_cn = {v.kind.kind for v in NOTICES if v.profile == "CN" and v.locale == "en-US"}
    assert {"overdue_reminder", "visit_notice", "breach_notice", "plan_reminder"} <= english_cn


@pytest.mark.parametrize("key", IDS)
def test_required_elements_in_both_formats(samples, key):
    s = samples[key]
    required: list[Required] = s.context.required()
    assert required, "a notice declares what it must show"
    for item in required:
        assert squash(item.text) in squash(s.pdf_text), f"PDF lacks {item.label}: {item.text}"
        assert squash(item.text) in squash(s.docx_text), f"DOCX lacks {item.label}: {item.text}"


@pytest.mark.parametrize("key", IDS)
def test_pdf_and_docx_text_agree(samples, key):
    s = samples[key]
    pdf = squash(s.pdf_text)
    paragraphs = [squash(p) for p in s.docx_text.split("\n") if squash(p)]
    missing = [p for p in paragraphs if p not in pdf]
    assert not missing, f"DOCX paragraphs not in the PDF: {missing[:3]}"
    assert set(AMOUNT.findall(squash(s.docx_text))) == set(AMOUNT.findall(pdf))
    assert set(DATE_CN.findall(squash(s.docx_text))) == set(DATE_CN.findall(pdf))


@pytest.mark.parametrize("key", IDS)
def test_chinese_notices_state_amounts_in_figures_and_capitals(samples, key):
    s = samples[key]
    if not s.variant.locale.startswith("zh") or not hasattr(s.context, "amounts"):
        pytest.skip("only zh-CN notices with an amount breakdown")
    total = s.context.amounts.total_overdue  # type: ignore[attr-defined]
    for text in (s.pdf_text, s.docx_text):
        assert money(total) in text
        assert squash(cn_upper(total)) in squash(text)


@pytest.mark.parametrize("key", IDS)
def test_fonts_are_embedded_subsets_never_type3(samples, key):
    out = subprocess.run(["pdffonts", str(samples[key].pdf_path)], capture_output=True, text=True, check=True).stdout
    rows = out.splitlines()[2:]
    assert rows, "the PDF has fonts"
    for row in rows:
        assert " yes yes yes " in row, f"font not embedded/subset/unicode-mapped: {row}"
        assert "Type 3" not in row


@pytest.mark.parametrize("key", IDS)
def test_pdf_is_valid_and_page_footer_counts_pages(samples, key):
    s = samples[key]
    check = subprocess.run(["qpdf", "--check", str(s.pdf_path)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    pages = s.pdf.pages
    footer = (f"第{pages}页/共{pages}页" if s.variant.locale.startswith("zh") else f"Page{pages}of{pages}")
    assert footer in re.sub(r"\s+", "", s.pdf_text)


@pytest.mark.parametrize("key", [v.id for v in NOTICES if v.locale == "zh-CN"])
def test_one_page_chinese_notice_is_small(samples, key):
    s = samples[key]
    if s.pdf.pages != 1:
        pytest.skip(f"{s.pdf.pages} pages")
    assert len(s.pdf.data) <= 80 * 1024, f"{len(s.pdf.data) / 1024:.1f} KB"


@pytest.mark.parametrize("key", IDS)
def test_libreoffice_converts_every_docx(samples, libreoffice_pdfs, key, tmp_path):
    converted = libreoffice_pdfs[key]
    assert converted.is_file(), "soffice produced no PDF"
    text = subprocess.run(["pdftotext", "-raw", str(converted), "-"], capture_output=True, text=True, check=True).stdout
    for item in samples[key].context.required():
        assert squash(item.text) in squash(text), f"LibreOffice output lacks {item.label}"


@pytest.mark.parametrize("key", [v.id for v in NOTICES if SMS in v.kind.formats])
def test_sms_fits_one_segment(samples, key):
    ctx = samples[key].context
    text = render(ctx, SMS, templates_dir=TEMPLATES).data.decode()
    fit = budget(text)
    assert fit.fits and fit.limit == (70 if ctx.doc.locale.startswith("zh") else 160), (fit, text)
    for item in ctx.sms_required():  # type: ignore[attr-defined]
        assert item.text in text
