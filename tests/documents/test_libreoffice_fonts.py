"""A Chinese DOCX as LibreOffice prints it uses the Simplified Chinese glyphs of Noto CJK (issue
10 §4). The Noto CJK collections share one CFF table named after the Japanese face, so the font
LibreOffice embeds is always called "NotoSerifCJKjp-…": what tells the faces apart is which glyph
each character maps to (直 is cid27746 through the SC cmap, cid27745 through the JP one). The test
reads the glyph names LibreOffice embedded and checks them against the SC and JP cmaps.

LibreOffice picks the face by the East Asian language of the text (the DOCX's w:lang
w:eastAsia="zh-CN"), not by the family name: a DOCX saying ja-JP prints the JP glyphs (checked
by hand, 85 characters) and fails this test."""

import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pikepdf
import pytest
from fontTools.misc import eexec
from fontTools.ttLib import TTCollection

from service.documents.audience import Audience
from service.documents.contexts.common import DocMeta
from service.documents.contexts.notices import DemandLetterContext
from service.documents.docx import docx_text
from service.documents.render import render
from tests.documents.conftest import AS_OF, TEMPLATES
from tests.documents.test_fonts_latin import assert_latin_in_liberation, pdf_widths

GLYPH = re.compile(rb"/(cid\d+) \d+ RD")


def _collection(pattern: str) -> TTCollection:
    found = subprocess.run(["fc-match", "--format=%{file}", pattern], capture_output=True, text=True).stdout
    if not found.endswith(".ttc"):
        pytest.skip(f"{pattern} is not installed as a collection")
    return TTCollection(found)


def _cmaps(collection: TTCollection) -> dict[str, dict[int, str]]:
    return {f["name"].getDebugName(1).rsplit(" ", 1)[-1]: f.getBestCmap() for f in collection.fonts}


def _embedded_glyphs(pdf: Path) -> dict[str, set[str]]:
    """Glyph names of the embedded Noto CJK fonts, by face ("Serif", "Sans")."""
    names: dict[str, set[str]] = {"Serif": set(), "Sans": set()}
    with pikepdf.open(pdf) as doc:
        for page in doc.pages:
            for font in page.Resources.Font.values():
                descriptor = font.get("/FontDescriptor")
                if descriptor is None or "/FontFile" not in descriptor:
                    continue
                program = descriptor.FontFile
                start, length = int(program.Length1), int(program.Length2)
                clear, _ = eexec.decrypt(program.read_bytes()[start:start + length], 55665)
                face = "Serif" if "Serif" in str(font.BaseFont) else "Sans"
                names[face] |= {n.decode() for n in GLYPH.findall(clear)}
    return names


def test_libreoffice_prints_chinese_with_the_simplified_chinese_glyphs(tmp_path: Path) -> None:
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    doc = DocMeta(kind="demand_letter", profile="CN", locale="zh-CN", audience=Audience.BORROWER, as_of=AS_OF,
                  case_ref="CN-1")
    data = render(DemandLetterContext.sample(doc), "docx", templates_dir=TEMPLATES).data
    (tmp_path / "letter.docx").write_bytes(data)
    subprocess.run([soffice, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(tmp_path / "letter.docx")],
                   capture_output=True, check=True, timeout=300)
    glyphs = _embedded_glyphs(tmp_path / "letter.pdf")
    assert glyphs["Serif"], "LibreOffice embedded no CID-named glyphs: the check below would prove nothing"
    faces = {"Serif": _cmaps(_collection("Noto Serif CJK SC")), "Sans": _cmaps(_collection("Noto Sans CJK SC:bold"))}
    text = set(docx_text(data))
    # characters whose SC and JP glyphs differ, face by face
    differing = [(c, face) for c in text for face, cmaps in faces.items()
                 if ord(c) in cmaps["SC"] and cmaps["SC"][ord(c)] != cmaps["JP"].get(ord(c))]
    japanese = {c for c, face in differing if faces[face]["JP"][ord(c)] in glyphs[face]
                and faces[face]["SC"][ord(c)] not in glyphs[face]}
    assert not japanese, f"printed with the Japanese glyphs: {''.join(sorted(japanese))}"
    simplified = {c for c, face in differing if faces[face]["SC"][ord(c)] in glyphs[face]}
    assert len(simplified) >= 20
    # the letter's Latin text (its amounts, dates, contract number) in Liberation, none in Noto CJK;
    # its “ ” full width, from the CJK face, as the PDF prints them
    widths = pdf_widths((tmp_path / "letter.pdf").read_bytes())
    assert_latin_in_liberation(widths, ("LiberationSerif",))
    quotes = [(face, chars[q]) for face, chars in widths.items() for q in "“”" if q in chars]
    assert quotes and all("CJK" in face and width == 1000 for face, width in quotes), quotes


THEME_LANG = re.compile(r"<w:themeFontLang\b([^>]*)/>")


def _theme_languages(data: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(data)) as docx:
        settings = docx.read("word/settings.xml").decode()
    found = THEME_LANG.findall(settings)
    assert len(found) == 1, found
    return dict(re.findall(r'w:(\w+)="([^"]*)"', found[0]))


def test_every_docx_template_resolves_theme_fonts_for_simplified_chinese() -> None:
    """Word resolves a theme font's East Asian face by settings.xml's w:themeFontLang: python-docx's
    default says ja-JP, which gives Chinese text the Japanese face (tools/make_docx_templates.py)."""
    templates = sorted(TEMPLATES.glob("**/*.docx"))
    assert len(templates) > 40
    wrong = {str(p.relative_to(TEMPLATES)): langs for p in templates
             if (langs := _theme_languages(p.read_bytes())) != {"val": "en-US", "eastAsia": "zh-CN"}}
    assert not wrong


def test_a_rendered_docx_keeps_the_theme_languages() -> None:
    doc = DocMeta(kind="demand_letter", profile="CN", locale="zh-CN", audience=Audience.BORROWER, as_of=AS_OF,
                  case_ref="CN-1")
    data = render(DemandLetterContext.sample(doc), "docx", templates_dir=TEMPLATES).data
    assert _theme_languages(data) == {"val": "en-US", "eastAsia": "zh-CN"}
