"""The US exhibit index: its closing note and signature go to a page with the table's last two
rows (and a group heading between them), wherever the page break falls (legal.css)."""

import pytest

from service.demo import proofread
from service.documents.registry import get_kind
from service.documents.render import render
from tests.documents.conftest import TEMPLATES, Variant


def _index(count: int):
    ctx = Variant(get_kind("evidence_index"), "US", "en-US").sample()
    first = ctx.rows[0]
    rows = tuple(first.model_copy(update={"number": n, "group": f"Group {(n - 1) // 3 + 1}: Records",
                                          "title": f"Account record {n:02d}"}) for n in range(1, count + 1))
    return ctx.model_copy(update={"rows": rows})


@pytest.mark.parametrize("count", range(6, 16))
def test_the_signature_page_holds_the_last_two_rows(count, tmp_path):
    pdf = render(_index(count), "pdf", templates_dir=TEMPLATES)
    (tmp_path / "index.pdf").write_bytes(pdf.data)
    pages = proofread.pdf_pages(tmp_path / "index.pdf")
    closing = next(p for p in pages if "Submitted by" in p)
    flat = proofread.SPACE.sub(" ", closing)
    assert f"Account record {count:02d}" in flat and f"Account record {count - 1:02d}" in flat, (len(pages), flat)
    assert not proofread.orphan_signature_pages(pages)
