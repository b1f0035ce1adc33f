"""The CN civil complaint's evidence list does not take its heading to the next page: in the DOCX
the whole list was kept with the closing block (此致, the court, the signature), and LibreOffice left
page 2 half empty (CN-00040). Only the list's last two items keep with the block now, in the PDF as
in the DOCX. Checked on the demo court set's complaint of each CN lender type, both formats."""

from datetime import date

from service.cases.casefile import load_case_file
from service.demo import proofread
from service.demo.catalogue import pick_court_sets
from service.demo.seed import seed_demo
from service.documents import service as documents_service
from service.documents.render import render
from service.packets.build import planner_for
from tests.documents.conftest import libreoffice_pdfs_of
from tests.factories import demo_clock

ANCHOR = date(2026, 12, 6)


def test_the_complaint_leaves_no_page_half_empty_before_its_evidence_list(db, settings, tmp_path):
    seed_demo(db, anchor=ANCHOR, cases=0, settings=settings, court_sets=True)
    planner = planner_for(settings)(db)
    pdfs, docx = [], []
    for ref in (r for r in pick_court_sets(db) if r.startswith("CN")):
        tz = load_case_file(db, ref).borrower.timezone
        for fmt, into in (("pdf", pdfs), ("docx", docx)):
            _, _, ctx = documents_service.prepare(db, case_ref=ref, kind="civil_complaint", fmt=fmt, locale=None,
                                                  as_of=None, planner=planner, now=demo_clock(ANCHOR, tz=tz))
            path = tmp_path / f"{ref}.{fmt}"
            path.write_bytes(render(ctx, fmt, templates_dir=settings.templates_dir).data)
            into.append(path)
    laid_out = libreoffice_pdfs_of(docx, tmp_path / "lo", tmp_path / "lo-profile")
    fills = {**{p.name: proofread.page_fills(p) for p in pdfs},
             **{f"{d.name} (LibreOffice)": proofread.page_fills(laid_out[d]) for d in docx}}
    assert len(fills) >= 10 and all(len(f) >= 2 for f in fills.values()), fills
    assert not {name: f for name, f in fills.items() if proofread.half_empty_pages(f)}, fills
