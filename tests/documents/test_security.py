"""User data is text, never markup or template source; WeasyPrint reaches template assets only."""

import pytest
from jinja2.exceptions import SecurityError, UndefinedError

from service.documents.docx import docx_text
from service.documents.environment import template_environment
from service.documents.exceptions import RenderFailed
from service.documents.pdf import get_renderer
from service.documents.registry import get_kind
from service.documents.render import render, render_html
from tests.documents.conftest import TEMPLATES, Variant, pdf_text, squash

INJECTIONS = ['<img src="file:///etc/passwd">', "{{ 7*7 }}", "{% raw %}x", "</p><script>alert(1)</script>",
              "${7*7}&amp;<b>bold</b>"]


@pytest.fixture
def hostile_reminder():
    ctx = Variant(get_kind("overdue_reminder"), "CN", "zh-CN").sample()
    name = "张" + "".join(INJECTIONS)
    return ctx.model_copy(update={"borrower": ctx.borrower.model_copy(update={"name": name})})


def test_injection_is_literal_text_in_html_pdf_and_docx(hostile_reminder, tmp_path):
    html = render_html(hostile_reminder, TEMPLATES)
    assert "<img" not in html.split("<body", 1)[1] and "&lt;img src=&#34;file:///etc/passwd&#34;&gt;" in html
    pdf = render(hostile_reminder, "pdf", templates_dir=TEMPLATES)
    docx = render(hostile_reminder, "docx", templates_dir=TEMPLATES)
    for text in (pdf_text(pdf.data, tmp_path), docx_text(docx.data)):
        flat = squash(text)
        for attack in INJECTIONS:
            assert squash(attack) in flat, attack
        assert "尊敬的张49" not in flat  # {{ 7*7 }} was not evaluated


def test_control_characters_cannot_add_docx_structure():
    ctx = Variant(get_kind("overdue_reminder"), "CN", "zh-CN").sample()
    hostile = ctx.model_copy(update={"borrower": ctx.borrower.model_copy(update={"name": "张\a\f\t伟"})})
    cleaned = type(ctx).model_validate(hostile.model_dump())
    assert cleaned.borrower.name == "张 伟"  # \a and \f dropped, the tab a plain space


@pytest.mark.parametrize("url", ["file:///etc/passwd", "http://127.0.0.1:9/x.png", "https://example.com/x.css",
                                 "file:///work/main/templates/assets/../../pyproject.toml"])
def test_weasyprint_cannot_fetch_outside_the_assets(url):
    renderer = get_renderer(TEMPLATES)
    before = len(renderer.fetcher.refused)
    with pytest.raises(RenderFailed, match="template assets only"):
        renderer.render(f'<p>x</p><img src="{url}">', locale="zh-CN", identifier=b"0" * 32)
    assert renderer.fetcher.refused[before:] == [url]


def test_assets_are_served():
    response = get_renderer(TEMPLATES).fetcher.fetch((TEMPLATES / "assets" / "base.css").resolve().as_uri())
    assert b"@font-face" in response.read()


def test_sandbox_refuses_unsafe_attribute_access():
    env = template_environment(TEMPLATES)
    with pytest.raises(SecurityError):
        env.from_string("{{ ''.__class__.__mro__[1].__subclasses__() }}").render()
    with pytest.raises(SecurityError):  # immutable: a template cannot change its context
        env.from_string("{% set x = [] %}{{ x.append(1) }}").render()


def test_strict_undefined_refuses_a_missing_value():
    with pytest.raises(UndefinedError):
        template_environment(TEMPLATES).from_string("欠款{{ amounts.total }}元").render()
