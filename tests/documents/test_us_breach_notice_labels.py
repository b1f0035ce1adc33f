"""Review F12: the US breach notice does not call the balance acknowledged when the plan was signed
"Amount owed" (a consumer reads that as what is owed today, before the plan payments since)."""

from datetime import date

from service.documents.contexts.common import DocMeta
from service.documents.docx import docx_text
from service.documents.registry import get_kind
from service.documents.render import render
from tests.documents.conftest import TEMPLATES, pdf_text, squash


def test_the_acknowledged_balance_is_labelled_as_acknowledged_at_signing(tmp_path):
    kind = get_kind("breach_notice")
    doc = DocMeta(kind=kind.kind, profile="US", locale="en-US", audience=kind.audience, as_of=date(2026, 12, 4),
                  case_ref="US-00004", state="NY")
    ctx = kind.context_class().sample(doc)
    for text in (pdf_text(render(ctx, "pdf", templates_dir=TEMPLATES).data, tmp_path),
                 docx_text(render(ctx, "docx", templates_dir=TEMPLATES).data)):
        flat = squash(text)
        assert "Balanceacknowledged" in flat and "Amountowed" not in flat
        assert "youacknowledgedthebalanceshownbelowasowedwhenyousigned" in flat
