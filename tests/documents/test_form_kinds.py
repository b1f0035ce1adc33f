"""Every bulk notice kind is a form letter: its demo case is filled into a layout made once,
reads the same as the whole layout of the same values, and a value that does not fit its field
makes that notice laid out whole.

(tests/documents/test_forms.py holds the filling itself to WeasyPrint's pixels.)
"""

import re
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from service.documents import forms
from service.documents.contexts.common import CapQuote, DocumentContext
from service.documents.paper import paper_of
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
                                          identifier=b"0" * 32, paper=paper_of(ctx.doc.profile).name).data


def _filled_from_form(ctx: DocumentContext, data: bytes) -> bool:
    """True when `data` is the process's form for this notice filled with its values."""
    renderer = get_renderer(TEMPLATES)
    form_html, values = render_form_html(ctx, TEMPLATES)
    # the form of the notice's own paper (a US notice is laid out on Letter, a CN one on A4)
    key = renderer.form_key(form_html, locale=ctx.doc.locale, paper=paper_of(ctx.doc.profile).name)
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


def test_a_consumer_address_on_two_envelope_lines_is_filled_into_the_validation_notice(tmp_path):
    """The address beside the collector's is a half-width box: a whole US address seldom fits one
    line of it (the demo's Los Angeles consumer was laid out whole, ~30× the CPU of a fill), so it
    is set on its envelope lines, a field each."""
    ctx = Variant(get_kind("validation_notice"), "US", "en-US").sample()
    address = "880 S Figueroa St Apt 12, Los Angeles, CA 90017"
    ctx = ctx.model_copy(update={"borrower": ctx.borrower.model_copy(update={"address": address})})
    _, values = render_form_html(ctx, TEMPLATES)
    assert values[1:3] == ["880 S Figueroa St Apt 12,", "Los Angeles, CA 90017"]
    data = render(ctx, "pdf", templates_dir=TEMPLATES).data
    assert _filled_from_form(ctx, data), "the address fell back to a whole layout"
    assert _words(data, tmp_path) == _words(_flow(ctx), tmp_path)


@pytest.mark.parametrize("variant", [Variant(get_kind("plan_reminder"), profile, locale) for profile, locale in
                                     (("CN", "zh-CN"), ("CN", "en-US"), ("US", "en-US"))], ids=lambda v: v.id)
def test_plans_paid_to_another_installment_share_the_lenders_form(variant, tmp_path):
    """The schedule's installment numbers are fields: a plan one installment further on (one more
    paid, one more in all) has the same rows, so the same form, not a layout of its own."""
    ctx = variant.sample()
    plan = ctx.plan  # type: ignore[attr-defined]
    first = plan.lines[0]
    earlier = first.model_copy(update={"due_date": first.due_date - timedelta(days=30), "paid": first.amount})
    lines = (earlier, *(line.model_copy(update={"no": line.no + 1}) for line in plan.lines))
    further = plan.model_copy(update={"lines": lines, "paid": plan.paid + first.amount})
    assert [type(row) for row in further.shown(3)] == [type(row) for row in plan.shown(3)]
    other = ctx.model_copy(update={"plan": further, "next_line": further.next_line})
    (html, values), (other_html, other_values) = (render_form_html(c, TEMPLATES) for c in (ctx, other))
    assert html == other_html and values != other_values
    data = render(other, "pdf", templates_dir=TEMPLATES).data
    assert _filled_from_form(other, data)
    assert _words(data, tmp_path) == _words(_flow(other), tmp_path)


def test_a_us_notice_is_filled_into_its_letter_form_not_an_a4_one():
    """The forms are keyed by paper (a US notice is laid out on Letter): the same form HTML on A4
    would be another layout, and a US notice never fills one."""
    ctx = Variant(get_kind("overdue_reminder"), "US", "en-US").sample()
    renderer = get_renderer(TEMPLATES)
    renderer.forms.clear()
    data = render(ctx, "pdf", templates_dir=TEMPLATES).data
    assert _filled_from_form(ctx, data)
    form_html, _ = render_form_html(ctx, TEMPLATES)
    assert renderer.forms.lookup(renderer.form_key(form_html, locale="en-US", paper="A4")) == (False, None)


@pytest.mark.parametrize(("locale", "widest"), [("zh-CN", "2029年12月29日"), ("en-US", "September 29, 2029")])
def test_the_breach_notices_widest_interest_date_is_filled_into_its_field(locale, widest, tmp_path):
    """The day further interest runs from, which the prose names by its table row, is a field that
    holds the widest date of the years ahead, or every notice with a long month would be laid out
    whole."""
    ctx = Variant(get_kind("breach_notice"), "CN", locale).sample()
    day = date(2029, 12 if locale == "zh-CN" else 9, 29)
    acceleration = ctx.acceleration.model_copy(update={"continuing_from": day})  # type: ignore[attr-defined]
    ctx = ctx.model_copy(update={"acceleration": acceleration})
    _, values = render_form_html(ctx, TEMPLATES)
    assert widest in values
    data = render(ctx, "pdf", templates_dir=TEMPLATES).data
    assert _filled_from_form(ctx, data), "the date fell back to a whole layout"
    assert _words(data, tmp_path) == _words(_flow(ctx), tmp_path)


@pytest.mark.parametrize("locale", ["zh-CN", "en-US"])
def test_a_plan_with_principal_not_yet_due_is_filled_into_the_breach_notices_form(locale, tmp_path):
    """An agreement that acknowledges arrears plus principal not yet due under the loan states the
    two amounts apart (Art. 1): each is a field of its own. The English row was one sentence in one
    field, wider than it, so every such notice was laid out whole (185 ms of CPU against 5)."""
    ctx = Variant(get_kind("breach_notice"), "CN", locale).sample()
    plan = ctx.plan  # type: ignore[attr-defined]
    plan = plan.model_copy(update={"principal_not_due": (plan.ack_principal / 2).quantize(Decimal("0.01"))})
    ctx = ctx.model_copy(update={"plan": plan})
    due, not_due = (f"{amount:,.2f}" for amount in (plan.due_total, plan.principal_not_due))
    _, values = render_form_html(ctx, TEMPLATES)
    if locale == "en-US":
        assert {f"RMB {due}", f"RMB {not_due}"} <= set(values)
    else:
        assert any(due in value and not_due in value for value in values)
    data = render(ctx, "pdf", templates_dir=TEMPLATES).data
    assert _filled_from_form(ctx, data), "the acknowledged debt's split fell back to a whole layout"
    assert _words(data, tmp_path) == _words(_flow(ctx), tmp_path)
