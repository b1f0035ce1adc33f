"""US documents are printed on US Letter (8.5 × 11 in: US courts and US mail), CN documents on A4,
in the PDF and in the DOCX; the profile's rule set names the paper (service/documents/paper.py)."""

import io
import zipfile
from pathlib import Path

import pikepdf
import pytest
from docx import Document
from PIL import Image

from evidence.assemble import Part, assemble
from service.documents.paper import PAPERS, paper_of
from service.documents.render import render
from tests.documents.conftest import TEMPLATES, variants

LETTER_PT, A4_PT = (612.0, 792.0), (595.28, 841.89)
US = [v for v in variants() if v.profile == "US"]
# CN documents stay A4, in either locale (the en-US version of a CN notice too)
CN = [v for v in variants() if v.profile == "CN" and v.kind.kind in ("overdue_reminder", "civil_complaint")]


def _pdf_size(data: bytes) -> set[tuple[float, float]]:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return {(round(float(p.mediabox[2]) - float(p.mediabox[0]), 2),
                 round(float(p.mediabox[3]) - float(p.mediabox[1]), 2)) for p in pdf.pages}


def _docx_size_mm(data: bytes) -> tuple[float, float]:
    section = Document(io.BytesIO(data)).sections[-1]
    assert section.page_width is not None and section.page_height is not None
    return round(section.page_width.mm, 1), round(section.page_height.mm, 1)


def test_the_profiles_papers():
    assert paper_of("US") is PAPERS["letter"] and paper_of("CN") is PAPERS["A4"]
    assert PAPERS["letter"].size_pt == pytest.approx(LETTER_PT)


@pytest.mark.parametrize("variant", US + CN, ids=lambda v: v.id)
def test_a_document_is_on_its_profiles_paper_in_pdf_and_docx(variant):
    ctx = variant.sample()
    expected = LETTER_PT if variant.profile == "US" else A4_PT
    sizes = _pdf_size(render(ctx, "pdf", templates_dir=TEMPLATES).data)
    assert all(size == pytest.approx(expected, abs=0.5) for size in sizes), sizes
    paper = paper_of(variant.profile)
    if variant.kind.available(TEMPLATES, variant.profile, variant.locale, "docx"):
        docx = render(ctx, "docx", templates_dir=TEMPLATES).data
        assert _docx_size_mm(docx) == pytest.approx((paper.width_mm, paper.height_mm), abs=0.2)


def test_a_packets_photos_are_fitted_into_its_paper(tmp_path: Path):
    photo = tmp_path / "p.jpg"
    Image.new("RGB", (300, 400), "white").save(photo, "JPEG")
    out = tmp_path / "packet.pdf"
    assemble([Part.from_images([photo], "photo", page_size=PAPERS["letter"].size_pt)], out, bates=None)
    assert _pdf_size(out.read_bytes()) == {LETTER_PT}
    assemble([Part.from_images([photo], "photo")], out, bates=None)  # A4 unless the caller says
    assert [size == pytest.approx(A4_PT, abs=0.5) for size in _pdf_size(out.read_bytes())] == [True]


def test_every_us_docx_template_is_letter_and_every_cn_one_a4():
    for path in sorted(TEMPLATES.glob("**/*.docx")):
        profile = path.parent.name.upper()
        with zipfile.ZipFile(path) as z:
            xml = z.read("word/document.xml").decode()
        paper = paper_of(profile)
        size = xml.split("<w:pgSz", 1)[1].split("/>", 1)[0]
        width = int(size.split('w:w="', 1)[1].split('"', 1)[0])  # twips
        assert width / 1440 * 25.4 == pytest.approx(paper.width_mm, abs=0.2), path


def test_the_docx_tool_takes_the_paper_of_the_profiles_folder(tmp_path: Path):
    """tools/make_docx_templates.py: a template's folder names its profile, so its paper; a source
    outside the catalogue in another folder (a test's) is on A4; a catalogue template outside a
    profile's folder is refused rather than given a paper that may be the wrong one; an explicit
    paper wins."""
    from tools.make_docx_templates import convert, paper_for

    assert paper_for(TEMPLATES / "notices" / "overdue_reminder" / "us" / "en-US.html") is PAPERS["letter"]
    assert paper_for(TEMPLATES / "notices" / "overdue_reminder" / "cn" / "en-US.html") is PAPERS["A4"]
    assert paper_for(tmp_path / "zh" / "zh-CN.html") is PAPERS["A4"]
    with pytest.raises(ValueError, match="'drafts'"):
        paper_for(TEMPLATES / "notices" / "overdue_reminder" / "drafts" / "en-US.html")
    source = tmp_path / "en" / "en-US.html"
    source.parent.mkdir()
    source.write_text('{% extends "_base.html" %}{% block title %}T{% endblock %}{% block body %}\n'
                      "<p>Text</p>\n{% endblock %}", encoding="utf-8")
    letter = PAPERS["letter"]
    assert _docx_size_mm(convert(source).read_bytes()) == pytest.approx((210.0, 297.0), abs=0.2)
    assert _docx_size_mm(convert(source, letter).read_bytes()) == pytest.approx(
        (letter.width_mm, letter.height_mm), abs=0.2)
