"""A third-party collector's past-due notice to a California debtor carries the Rosenthal notice
(US-22, tests/documents/test_rosenthal_notice.py) and still takes one page, in the PDF and as
LibreOffice lays out the DOCX: with the notice it ran to two, the notice alone on the second."""

from service.demo import proofread
from service.documents.render import render
from tests.documents.conftest import TEMPLATES, libreoffice_pdfs_of
from tests.documents.legal_cases import context
from tests.documents.test_rosenthal_notice import _case


def test_a_california_collectors_overdue_reminder_takes_one_page(db, tmp_path):
    ctx = context(db, _case(db, "CA").ref, "overdue_reminder")
    assert ctx.rosenthal_notice  # type: ignore[attr-defined]
    pdf, docx = tmp_path / "reminder.pdf", tmp_path / "reminder-docx.docx"
    pdf.write_bytes(render(ctx, "pdf", templates_dir=TEMPLATES).data)
    docx.write_bytes(render(ctx, "docx", templates_dir=TEMPLATES).data)
    laid_out = libreoffice_pdfs_of([docx], tmp_path / "lo", tmp_path / "lo-profile")[docx]
    for path in (pdf, laid_out):
        pages = proofread.pdf_pages(path)
        assert len(pages) == 1, (path.name, [p[:80] for p in pages])
        assert "1-877-FTC-HELP" in pages[0]
