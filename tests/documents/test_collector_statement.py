"""The debt collector's statement (15 U.S.C. 1692e(11); 12 CFR 1006.18(e)) is written once, in
templates/_partials/collector.en-US.html, and every US notice a collector sends carries it, in
the PDF and in the DOCX (the DOCX templates inline the partial: tools/make_docx_templates.py)."""

import pytest

from service.documents.docx import docx_text
from service.documents.registry import get_kind
from service.documents.render import render
from tests.documents.conftest import TEMPLATES, Variant, pdf_text, squash

STATEMENT = "This communication is from a debt collector. Any information obtained will be used for that purpose."
NOTICES = ("overdue_reminder", "plan_reminder", "breach_notice", "notice_of_intent_to_accelerate",
           "notice_of_acceleration")


def test_the_statement_is_written_once():
    written = [p.relative_to(TEMPLATES).as_posix() for p in TEMPLATES.rglob("*.html")
               if STATEMENT in p.read_text(encoding="utf-8")]
    assert written == ["_partials/collector.en-US.html"]


@pytest.mark.parametrize("kind", NOTICES)
@pytest.mark.parametrize("collector", [True, False])
def test_a_collectors_us_notice_carries_it_and_a_creditors_does_not(kind, collector, tmp_path):
    ctx = Variant(get_kind(kind), "US", "en-US").sample()
    ctx = ctx.model_copy(update={"lender": ctx.lender.model_copy(update={"is_collector": collector})})
    pdf, docx = render(ctx, "pdf", templates_dir=TEMPLATES), render(ctx, "docx", templates_dir=TEMPLATES)
    assert pdf.pages == 1
    for text in (pdf_text(pdf.data, tmp_path), docx_text(docx.data)):
        assert (squash(STATEMENT) in squash(text)) is collector
