"""Every bulk notice kind is a form letter: its demo case is filled into a layout made once,
reads the same as the whole layout of the same values, and a value that does not fit its field
makes that notice laid out whole.

(tests/documents/test_forms.py holds the filling itself to WeasyPrint's pixels.)
"""

import hashlib
import re
from decimal import Decimal
from pathlib import Path

import pytest

from service.documents import forms
from service.documents.contexts.common import CapQuote, DocumentContext
from service.documents.pdf import get_renderer
from service.documents.registry import get_kind
from service.documents.render import render, render_form_html
from tests.documents.conftest import TEMPLATES, Variant, pdf_text

FORM_VARIANTS = [Variant(get_kind(kind), profile, locale) for kind, profile, locale in (
    ("demand_letter", "CN", "zh-CN"),
    ("credit_report_prenotice", "CN", "zh-CN"),
    ("breach_notice", "CN", "zh-CN"),
    ("breach_notice", "CN", "en-US"),
    ("visit_notice", "CN", "zh-CN"),
    ("visit_notice", "CN", "en-US"),
    ("plan_reminder", "CN", "en-US"),
    ("plan_reminder", "US", "en-US"),
    ("overdue_reminder", "US", "en-US"),
    ("overdue_reminder", "CN", "en-US"),
    ("breach_notice", "US", "en-US"),
    ("validation_notice", "US", "en-US"),
)]
LONG_NAME = "阿卜杜拉·买买提·艾力·库尔班·吐尔逊·阿不都热合曼·依明·托合提" * 2  # wider than any name field
LONG_NAME_EN = "Bartholomew Maximilian Alexander-Featherstonehaugh Worthington-Smythe " * 3 + "the Third"


def _flow(ctx: DocumentContext) -> bytes:
    """The whole-layout render of the same form with the values written inline."""
    form_html, values = render_form_html(ctx, TEMPLATES)
    return get_renderer(TEMPLATES).render(forms.flow_html(form_html, values), locale=ctx.doc.locale,
                                          identifier=b"0" * 32).data


def _filled_from_form(ctx: DocumentContext, data: bytes) -> bool:
    """True when `data` is the process's form for this notice filled with its values."""
    renderer = get_renderer(TEMPLATES)
    form_html, values = render_form_html(ctx, TEMPLATES)
    key = hashlib.sha256(f"{ctx.doc.locale}|{renderer.font_digest}|{form_html}".encode()).hexdigest()
    known, form = renderer.forms.lookup(key)
    assert known, "the renderer never looked this form up"
    if form is None:
        return False
    try:
        return forms.fill(form, values) == data
    except forms.Unfillable:
        return False


def _words(data: bytes, tmp: Path) -> str:
    return re.sub(r"\s+", "", pdf_text(data, tmp))


@pytest.mark.parametrize("variant", FORM_VARIANTS, ids=lambda v: v.id)
def test_demo_case_is_filled_into_a_form_that_reads_as_the_whole_layout(variant, tmp_path):
    ctx = variant.sample()
    _, values = render_form_html(ctx, TEMPLATES)
    assert len(values) >= 5
    data = render(ctx, "pdf", templates_dir=TEMPLATES).data
    assert _filled_from_form(ctx, data), "the demo case fell back to a whole layout"
    flow = _flow(ctx)
    assert data != flow
    assert _words(data, tmp_path) == _words(flow, tmp_path)


@pytest.mark.parametrize("variant", FORM_VARIANTS, ids=lambda v: v.id)
def test_a_value_too_long_for_its_field_is_laid_out_whole(variant, tmp_path):
    ctx = variant.sample()
    name = LONG_NAME if variant.profile == "CN" else LONG_NAME_EN  # a US borrower's name is in Latin letters
    borrower = ctx.borrower.model_copy(update={"name": name, "name_en": LONG_NAME_EN})  # type: ignore[attr-defined]
    ctx = ctx.model_copy(update={"borrower": borrower})
    data = render(ctx, "pdf", templates_dir=TEMPLATES).data
    assert not _filled_from_form(ctx, data)
    long_name = LONG_NAME if variant.locale == "zh-CN" else LONG_NAME_EN
    assert re.sub(r"\s+", "", long_name) in _words(data, tmp_path)
    assert render(ctx, "pdf", templates_dir=TEMPLATES).data == data


@pytest.mark.parametrize("kind", ["overdue_reminder", "demand_letter"])
def test_a_rate_above_the_cap_is_still_filled_into_a_form(kind, tmp_path):
    """The capped quote and the contract's own rate are values in fields, the cap's wording is in
    the layout: a capped loan (most demo reminders) is not laid out whole (~50× slower)."""
    ctx = Variant(get_kind(kind), "CN", "zh-CN").sample()
    cap = CapQuote(rate=Decimal("0.12"), label_zh="一年期贷款市场报价利率的四倍",
                   label_en="four times the one-year LPR")
    loan = ctx.loan.model_copy(update={"cap": cap, "nominal_rate": Decimal("0.15"),  # type: ignore[attr-defined]
                                       "penalty_rate": Decimal("0.27")})
    ctx = ctx.model_copy(update={"loan": loan})
    data = render(ctx, "pdf", templates_dir=TEMPLATES).data
    assert _filled_from_form(ctx, data), "a capped loan fell back to a whole layout"
    words = _words(data, tmp_path)
    assert "12%" in words and "27%" in words and "一年期贷款市场报价利率的四倍" in words
