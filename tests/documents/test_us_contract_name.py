"""A US case's documents name the loan contract one way: as it names itself (its title in the facts
record, "Loan Agreement" when the import did not say) with the account's last digits a filing
shows, "Personal Installment Loan Agreement (account ending in 4512)" (issue 10 item 1: one set of
facts). The affidavit said "loan agreement no. ending in 4512", the claim statement and the
evidence index "loan agreement ending in 4512", the exhibit list "Loan agreement (account ending
4512)". The demo catalogue checks every US document of the demo cases (test_catalogue)."""

import re

import pytest

from service.documents.docx import docx_text
from service.documents.registry import get_kind
from service.documents.render import render
from tests.documents.conftest import TEMPLATES, Variant, pdf_text

NAMING = ("affidavit_of_debt", "claim_statement", "evidence_index", "packet_cover", "repayment_schedule",
          "payment_history", "notice_history")
OTHER_NAMES = re.compile(r"loan agreement (?:no\.\s*)?ending|account ending \d", re.IGNORECASE)


CASES = [(kind, "Consumer Installment Loan and Security Agreement") for kind in NAMING] + [("affidavit_of_debt", "")]


@pytest.mark.parametrize(("kind", "title"), CASES)
def test_every_us_filing_names_the_contract_by_its_title_and_account_tail(kind, title, tmp_path):
    ctx = Variant(get_kind(kind), "US", "en-US").sample()
    ctx = ctx.model_copy(update={"terms": ctx.terms.model_copy(update={"title": title})})  # type: ignore[attr-defined]
    tail = ctx.doc.filing_account(ctx.terms.contract_no)  # type: ignore[attr-defined]
    name = f"{title or 'Loan Agreement'} (account ending in {tail})"
    for fmt in ("pdf", "docx"):
        data = render(ctx, fmt, templates_dir=TEMPLATES).data
        text = " ".join((pdf_text(data, tmp_path) if fmt == "pdf" else docx_text(data)).split())
        assert name in text, (fmt, kind)
        assert not OTHER_NAMES.search(text), (fmt, kind, OTHER_NAMES.search(text))
