"""US documents use plain separators and labels, not the middle dot: a reference line reads
"Reference: US-00006; Account ending 8674", a packet page's parties are labelled lines ("Creditor:",
"Borrower:", "Agreement:"), a caption sets its parties and its court (or date) on lines of their own,
and the packet cover's group headings read "Exhibits: …". The letterhead's contact line is the one
place a separator joins items (service/documents/lines.py)."""

import re

import pytest

from service.documents.render import render_html
from tests.documents.conftest import TEMPLATES, variants

US = [v for v in variants() if v.profile == "US"]
LETTERHEAD = re.compile(r'<header class="letterhead">.*?</header>', re.S)


@pytest.mark.parametrize("variant", US, ids=lambda v: v.id)
def test_a_us_document_has_no_middle_dot_outside_its_letterhead(variant):
    html = LETTERHEAD.sub("", render_html(variant.sample(), TEMPLATES))
    text = re.sub(r"<[^>]+>", " ", html)
    assert "·" not in text, [line.strip() for line in text.splitlines() if "·" in line]


def test_the_us_variants_include_the_packet_pages_and_the_notices():
    kinds = {v.kind.kind for v in US}
    assert {"payment_history", "notice_history", "repayment_schedule", "exhibit_cover", "packet_cover",
            "overdue_reminder", "breach_notice", "notice_of_acceleration", "evidence_index",
            "claim_statement"} <= kinds
