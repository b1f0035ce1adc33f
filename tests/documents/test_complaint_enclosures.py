"""The complaint's 附 line (its enclosures) stays with the signature block before it: wherever the
page breaks, the page that holds 附 holds the signature too, in the PDF and in the DOCX as
LibreOffice lays it out (review 2026-12-04, F27: CN-00013's complaint had a third page with the 附
line alone)."""

import subprocess

from service.demo import proofread
from service.documents.registry import get_kind
from service.documents.render import render
from tests.documents.conftest import TEMPLATES, Variant, libreoffice_pdfs_of

EXTRA = range(12)  # longer and longer evidence lists move the page break across the closing block


def _complaint(extra: int):
    ctx = Variant(get_kind("civil_complaint"), "CN", "zh-CN").sample()
    rows = list(ctx.evidence)  # type: ignore[attr-defined]
    evidence = tuple(r.model_copy(update={"number": i + 1}) for i, r in enumerate((rows * 8)[:len(rows) + extra]))
    return ctx.model_copy(update={"evidence": evidence})


def test_the_enclosures_line_never_has_a_page_of_its_own(tmp_path):
    for extra in EXTRA:
        pdf = render(_complaint(extra), "pdf", templates_dir=TEMPLATES)
        path = tmp_path / f"c{extra}.pdf"
        path.write_bytes(pdf.data)
        last = subprocess.run(["pdftotext", "-f", str(pdf.pages), "-l", str(pdf.pages), str(path), "-"],
                              capture_output=True, text=True, check=True).stdout
        assert "附：" in last and "具状人" in last, (extra, pdf.pages)


def test_the_enclosures_line_keeps_with_the_signature_in_libreoffice(tmp_path):
    """The DOCX keeps 附 in the signature table's unsplittable row (tools/make_docx_templates.py)."""
    docs = []
    # the DOCX's page break crosses the closing block somewhere in this window (the sample's 附 line
    # lists the evidence index and the other pleadings since 20da90a; with Latin text in Liberation,
    # narrower than Noto, the break came later: the window is wide enough for either face)
    for extra in range(5, 21):
        docs.append(tmp_path / f"c{extra}.docx")
        docs[-1].write_bytes(render(_complaint(extra), "docx", templates_dir=TEMPLATES).data)
    laid_out = libreoffice_pdfs_of(docs, tmp_path / "out", tmp_path / "lo")
    page_counts = set()
    for path in docs:
        pages = proofread.pdf_pages(laid_out[path])
        page_counts.add(len(pages))
        assert "附：" in pages[-1] and "具状人" in pages[-1], (path.stem, len(pages), pages[-1][:120])
    assert len(page_counts) > 1  # the lists did move the break across the closing block
