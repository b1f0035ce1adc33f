"""The US validation notice is one page, as the CFPB's Model Form B-1 (12 CFR 1006.34, appendix B):
the notice and its response form below a dashed cut line, in the PDF and in the DOCX as LibreOffice
lays it out; a state's disclosures (time-barred debt, California's Rosenthal notice) go on the
reverse, as 1006.34(d)(3)(iv)(B) lets them, and the front says so."""

import re
import zipfile
from datetime import date

from service.cases.rules import load_ruleset
from service.demo import proofread
from service.documents.registry import get_kind
from service.documents.render import render
from tests.documents.conftest import TEMPLATES, Variant, libreoffice_pdfs_of

NY_DISCLOSURE = load_ruleset("US").rule("US-15").params["states"]["NY"]["disclosure"]


def _notices():
    ctx = Variant(get_kind("validation_notice"), "US", "en-US").sample()
    collector = ctx.lender.model_copy(update={"is_collector": True})
    return {"plain": ctx,
            "copy": ctx.model_copy(update={"first_sent": date(2026, 11, 20)}),
            "california": ctx.model_copy(update={"rosenthal_notice": True, "lender": collector}),
            "time_barred": ctx.model_copy(update={"time_barred_disclosure": NY_DISCLOSURE})}


def test_the_validation_notice_is_one_page_with_its_response_form_in_pdf_and_docx(tmp_path):
    paths = {}
    for name, ctx in _notices().items():
        for fmt in ("pdf", "docx"):
            paths[(name, fmt)] = tmp_path / f"{name}-{fmt}.{fmt}"
            paths[(name, fmt)].write_bytes(render(ctx, fmt, templates_dir=TEMPLATES).data)
    converted = libreoffice_pdfs_of([p for (_, fmt), p in paths.items() if fmt == "docx"], tmp_path / "lo",
                                    tmp_path / "profile")
    for (name, fmt), path in paths.items():
        pages = proofread.pdf_pages(converted.get(path, path))
        front = " ".join(pages[0].split())
        assert "Validation Notice" in front and "How do you want to respond?" in front, (name, fmt)
        assert "I enclosed this amount" in front, (name, fmt)  # the whole response form on the front
        if name in ("plain", "copy"):
            assert len(pages) == 1, (name, fmt, [p[:60] for p in pages])
        else:
            assert len(pages) == 2, (name, fmt, [p[:60] for p in pages])
            assert "See the reverse side of this notice" in front, (name, fmt)
            back = " ".join(pages[1].split())
            assert back.startswith("Information required by state law"), (name, fmt, back[:80])
            assert ("Rosenthal" if name == "california" else "statute of limitations") in back, (name, fmt)


def test_the_docx_cut_line_is_one_dashed_rule():
    with zipfile.ZipFile(TEMPLATES / "notices/validation_notice/us/en-US.docx") as z:
        xml = z.read("word/document.xml").decode()
    paragraph_borders = "".join(re.findall(r"<w:pBdr>.*?</w:pBdr>", xml))
    borders = re.findall(r'<w:(?:top|bottom|left|right) w:val="(\w+)"[^>]*/>', paragraph_borders)
    assert borders == ["dashed"]
