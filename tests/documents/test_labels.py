"""Codes are printed as labels, and a code the templates have no word for stops the render
(issue 10 §3): a payment channel, an outcome or a hold kind never reaches a page raw."""

import re
from pathlib import Path

import pytest

from service.documents.audience import Audience
from service.documents.contexts.common import DocMeta
from service.documents.contexts.visit_kit import AccountStatementContext
from service.documents.docx import docx_text
from service.documents.exceptions import UnknownLabel
from service.documents.render import render, render_html
from tests.documents.conftest import AS_OF, TEMPLATES

DOC = DocMeta(kind="account_statement", profile="CN", locale="zh-CN", audience=Audience.BORROWER, as_of=AS_OF,
              case_ref="CN-1")


def _with_channel(channel: str) -> AccountStatementContext:
    ctx = AccountStatementContext.sample(DOC)
    return ctx.model_copy(update={"payments": tuple(p.model_copy(update={"channel": channel})
                                                    for p in ctx.payments)})


def test_a_known_code_is_printed_as_its_label() -> None:
    html = render_html(_with_channel("bank_transfer"), TEMPLATES)
    assert "银行转账" in html and "bank_transfer" not in html
    assert "银行转账" in docx_text(render(_with_channel("bank_transfer"), "docx", templates_dir=TEMPLATES).data)


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_an_unknown_code_fails_the_render(fmt: str) -> None:
    with pytest.raises(UnknownLabel) as failed:
        render(_with_channel("carrier_pigeon"), fmt, templates_dir=TEMPLATES)
    assert failed.value.code == "carrier_pigeon" and "payment channel" in failed.value.detail


def test_no_template_falls_back_to_the_raw_code() -> None:
    """`.get(code, code)` printed the raw code; every label goes through `label()` now."""
    offenders = [str(p.relative_to(TEMPLATES)) for p in Path(TEMPLATES).rglob("*.html")
                 if re.search(r"\.get\(", p.read_text(encoding="utf-8"))]
    assert not offenders
