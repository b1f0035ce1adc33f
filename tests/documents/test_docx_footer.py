"""The DOCX page footer ("第 1 页 / 共 2 页", "Page 1 of 2") prints its page numbers in the
footer's own size and face (base.css: @page 8.5pt, the serif), as the PDF does: its PAGE and
NUMPAGES fields once took the body's 10.5pt, digits larger than the words around them (L-3)."""

import re
import subprocess
import zipfile
from pathlib import Path

from lxml import etree

from service.documents.registry import get_kind
from service.documents.render import render
from tests.documents.conftest import TEMPLATES, Variant, libreoffice_pdfs_of

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')
FOOTER_SIZE = "17"  # half-points: 8.5pt
SERIF = {"ascii": "Liberation Serif", "hAnsi": "Liberation Serif", "eastAsia": "Noto Serif CJK SC"}  # the serif


def _footer_runs(path: Path) -> list[etree._Element]:
    with zipfile.ZipFile(path) as docx:
        parts = [n for n in docx.namelist() if re.fullmatch(r"word/footer\d*\.xml", n)]
        return [r for n in parts for r in etree.fromstring(docx.read(n)).iter(f"{W}r")]


def test_every_footer_run_has_the_footers_size_and_face():
    templates = sorted(TEMPLATES.glob("**/*.docx"))
    assert len(templates) > 40
    wrong = {}
    for path in templates:
        runs = _footer_runs(path)
        assert any(r.find(f"{W}fldChar") is not None or r.getparent().tag == f"{W}fldSimple" for r in runs), path
        for run in runs:
            size, fonts = run.find(f"{W}rPr/{W}sz"), run.find(f"{W}rPr/{W}rFonts")
            if size is None or size.get(f"{W}val") != FOOTER_SIZE or fonts is None \
                    or {a: fonts.get(f"{W}{a}") for a in SERIF} != SERIF:
                wrong[str(path.relative_to(TEMPLATES))] = etree.tostring(run, encoding="unicode")[:200]
    assert not wrong


def _footer_words(pdf: Path) -> list[list[tuple[str, float]]]:
    """Per page, the words below the body's bottom margin (20 mm) and their heights."""
    xml = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = []
    for page in xml.split("<page ")[1:]:
        height = float(re.search(r'height="([\d.]+)"', page).group(1))  # type: ignore[union-attr]
        pages.append([(w[4], float(w[3]) - float(w[1])) for w in WORD.findall(page)
                      if float(w[1]) > height - 20 * 72 / 25.4])
    return pages


def test_libreoffice_prints_the_page_numbers_as_large_as_the_footers_words(tmp_path):
    docs = []
    for kind, profile, locale in (("civil_complaint", "CN", "zh-CN"), ("claim_statement", "US", "en-US")):
        ctx = Variant(get_kind(kind), profile, locale).sample()
        docs.append(tmp_path / f"{kind}-{locale}.docx")
        docs[-1].write_bytes(render(ctx, "docx", templates_dir=TEMPLATES).data)
    converted = libreoffice_pdfs_of(docs, tmp_path / "out", tmp_path / "profile")
    for docx, pdf in converted.items():
        for page in _footer_words(pdf):
            numbers = [h for w, h in page if w.isdigit()]
            words = [h for w, h in page if not w.isdigit()]
            assert numbers and words, (docx.name, page)
            assert max(numbers) <= max(words) + 0.2, (docx.name, page)  # 10.5pt digits: 2.6pt taller
