"""English documents print § ¶ ‘ ’ “ ” × … narrow, from a Latin face; Chinese ones keep the full-width
forms. The compact fonts are cut from Noto CJK SC, whose forms of these characters are a full em
wide ("Tex. Fin. Code § 392.304" printed with an ideograph-wide §); en-US.css puts the Latin faces
(fonts.LATIN_PUNCTUATION from Liberation, built with the compact fonts) first in English stacks,
and an English DOCX names the Latin face on runs of its own for them (docx.latin_punctuation_runs).

Widths are read off the PDF as a viewer reads them: each embedded font's /W advances by code,
mapped to characters through its ToUnicode CMap, in 1/1000 em."""

import io
import re
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from fontTools.ttLib import TTFont
from lxml import etree

from service.documents import fonts
from service.documents.contexts.common import DocMeta
from service.documents.docx import LATIN_SANS, LATIN_SERIF
from service.documents.pdf import get_renderer as get_pdf_renderer
from service.documents.registry import get_kind
from service.documents.render import render
from tests.documents.conftest import AS_OF, TEMPLATES, libreoffice_pdfs_of

_BFCHAR = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")
_BFRANGE = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")


def _unicode_of(cmap: bytes) -> dict[int, str]:
    found: dict[int, str] = {}
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", cmap, re.S):
        for lo, hi, first in _BFRANGE.findall(block):
            start = int(first, 16)
            for offset, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                found[code] = chr(start + offset)
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", cmap, re.S):
        for code, text in _BFCHAR.findall(block):
            found[int(code, 16)] = bytes.fromhex(text.decode()).decode("utf-16-be")
    return found


def pdf_widths(data: bytes) -> dict[str, dict[str, float]]:
    """Per embedded font (its name without the subset tag): character -> advance, 1/1000 em."""
    out: dict[str, dict[str, float]] = {}
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            for font in page.Resources.get("/Font", {}).values():
                name = str(font.BaseFont).split("+", 1)[-1]
                if font.Subtype != "/Type0":  # a simple font (LibreOffice's): one byte a character
                    if "/ToUnicode" in font and "/Widths" in font:
                        first, advances = int(font.FirstChar), [float(v) for v in font.Widths]
                        mapped = _unicode_of(font.ToUnicode.read_bytes())
                        out.setdefault(name, {}).update({text: advances[code - first] for code, text in mapped.items()
                                                         if 0 <= code - first < len(advances)})
                    continue
                cid = font.DescendantFonts[0]
                widths: dict[int, float] = {}
                w = list(cid.get("/W", []))
                i = 0
                while i < len(w):
                    first = int(w[i])
                    if isinstance(w[i + 1], pikepdf.Array):
                        widths.update({first + k: float(v) for k, v in enumerate(w[i + 1])})
                        i += 2
                    else:
                        widths.update({c: float(w[i + 2]) for c in range(first, int(w[i + 1]) + 1)})
                        i += 3
                default = float(cid.get("/DW", 1000))
                chars = out.setdefault(name, {})
                for code, text in _unicode_of(font.ToUnicode.read_bytes()).items():
                    chars[text] = widths.get(code, default)
    return out


def _width(widths: dict[str, dict[str, float]], char: str) -> tuple[str, float]:
    faces = [(name, w[char]) for name, w in widths.items() if char in w]
    assert len(faces) == 1, (char, faces)
    return faces[0]


def _latin_advance(family: str, char: str) -> float:
    face = next(f for f in fonts.FACES if f.latin and f.pattern.startswith(family))
    font = TTFont(fonts.source_face(face)[0], lazy=True)
    return font["hmtx"].metrics[font.getBestCmap()[ord(char)]][0] * 1000 / font["head"].unitsPerEm


def _sample(kind: str, profile: str, locale: str):  # type: ignore[no-untyped-def]
    doc = DocMeta(kind=kind, profile=profile, locale=locale, audience=get_kind(kind).audience, as_of=AS_OF,
                  case_ref=f"{profile}-1")
    return get_kind(kind).context_class().sample(doc)


def test_the_latin_punctuation_is_what_noto_cjk_sets_a_full_em_wide() -> None:
    """The list is the SC faces' full-width Latin-1 and General Punctuation that Liberation has."""
    for cjk, latin in ((fonts.FACES[0], "Liberation Serif"), (fonts.FACES[1], "Liberation Sans")):
        source = TTFont(fonts.source_face(cjk)[0], fontNumber=fonts.source_face(cjk)[1], lazy=True)
        cmap, metrics = source.getBestCmap(), source["hmtx"].metrics
        face = next(f for f in fonts.FACES if f.latin and f.pattern.startswith(latin))
        covered = TTFont(fonts.source_face(face)[0], lazy=True).getBestCmap()
        wide = {chr(cp) for cp in [*range(0xA0, 0x100), *range(0x2010, 0x2060)]
                if cp in cmap and metrics[cmap[cp]][0] >= 1000 and cp in covered}
        assert wide <= set(fonts.LATIN_PUNCTUATION), (cjk.file_name, sorted(wide - set(fonts.LATIN_PUNCTUATION)))
        assert {c for c in fonts.LATIN_PUNCTUATION if metrics[cmap[ord(c)]][0] >= 1000} >= set("§¶‘’“”×±"), \
            cjk.file_name


def test_the_built_latin_faces_hold_the_punctuation_and_the_cjk_faces_spaces() -> None:
    directory = fonts.font_dir(TEMPLATES)
    for name, pairs in (("DossierSerifLatin.ttf", "DossierSerif.otf"), ("DossierSansLatin.ttf", "DossierSans.otf")):
        latin, cjk = TTFont(directory / name), TTFont(directory / pairs, lazy=True)
        assert set(latin.getBestCmap()) == {ord(c) for c in fonts.SPACES + fonts.LATIN_PUNCTUATION}, name
        em = latin["head"].unitsPerEm / cjk["head"].unitsPerEm
        for char in fonts.SPACES:
            assert latin["hmtx"].metrics[latin.getBestCmap()[ord(char)]][0] == \
                round(cjk["hmtx"].metrics[cjk.getBestCmap()[ord(char)]][0] * em), (name, char)


def test_an_english_pdf_prints_the_section_sign_from_the_latin_face() -> None:
    """The US claim statement cites "Cal. Fin. Code § 22000" and multiplies with ×."""
    data = render(_sample("claim_statement", "US", "en-US"), "pdf", templates_dir=TEMPLATES).data
    widths = pdf_widths(data)
    for char in "§×":
        face, width = _width(widths, char)
        assert "Latin" in face and width == pytest.approx(_latin_advance(LATIN_SERIF, char), abs=1), (char, face)
        assert width < 700, (char, width)  # not 1000: an em
    assert "a" in widths["Dossier-Serif"] and "a" not in widths["Dossier-Serif-Latin"]  # letters stay Noto's


@pytest.mark.parametrize("bold", [False, True])
def test_english_and_chinese_text_take_the_quotes_from_their_own_faces(bold: bool) -> None:
    """The stylesheets as the renderer loads them: English “ ” § ¶ narrow, in body type and in bold
    headings; Chinese “ ” full-width."""
    renderer = get_pdf_renderer(TEMPLATES)
    tag = "h2" if bold else "p"
    html = ('<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"></head><body>'
            '<{tag}>{text}</{tag}></body></html>')
    english = renderer.render(html.format(lang="en-US", tag=tag, text="the “Agreement” ¶ 3, Tex. Fin. Code § 392.304"),
                              locale="en-US", identifier=b"test", paper="letter").data
    widths = pdf_widths(english)
    for char in "“”¶§":
        face, width = _width(widths, char)
        assert "Latin" in face and width < 700, (char, face, width)
        assert width == pytest.approx(_latin_advance(LATIN_SANS if bold else LATIN_SERIF, char), abs=1)
    chinese = renderer.render(html.format(lang="zh-CN", tag=tag, text="所称“借款合同”第一条"),
                              locale="zh-CN", identifier=b"test", paper="A4").data
    widths = pdf_widths(chinese)
    assert not [name for name in widths if "Latin" in name]
    for char in "“”":
        assert _width(widths, char)[1] == 1000, char


def _run_fonts(data: bytes, char: str) -> list[dict[str, str]]:
    """The w:rFonts of every run whose text holds `char`."""
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    found = []
    for run in re.findall(r"<w:r>(?:(?!</w:r>).)*</w:r>", xml, re.S):
        text = "".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", run))
        if char in text:
            named = re.search(r"<w:rFonts([^>]*)/>", run)
            found.append(dict(re.findall(r'w:(\w+)="([^"]*)"', named.group(1))) if named else {})
    return found


def test_an_english_docx_names_the_latin_face_for_the_section_sign() -> None:
    data = render(_sample("claim_statement", "US", "en-US"), "docx", templates_dir=TEMPLATES).data
    for char in "§×":
        runs = _run_fonts(data, char)
        assert runs, char
        for named in runs:
            assert named.get("ascii") == named.get("hAnsi") == named.get("eastAsia") == LATIN_SERIF, (char, named)


def test_libreoffice_prints_the_english_docx_section_sign_narrow(tmp_path: Path) -> None:
    """The DOCX as LibreOffice prints it: § and × from Liberation Serif, as narrow as the PDF's; every
    Latin letter and digit from Liberation Serif, or Liberation Sans in the bold headings, none from
    Noto CJK."""
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice is not installed")
    path = tmp_path / "statement.docx"
    path.write_bytes(render(_sample("claim_statement", "US", "en-US"), "docx", templates_dir=TEMPLATES).data)
    converted = libreoffice_pdfs_of([path], tmp_path / "lo", tmp_path / "profile")[path]
    widths = pdf_widths(converted.read_bytes())
    for char in "§×":
        face, width = _width(widths, char)
        expected = _latin_advance(LATIN_SERIF, char)
        assert face.startswith("LiberationSerif") and width == pytest.approx(expected, abs=1), (char, face, width)
    assert_latin_in_liberation(widths)


ALPHANUMERIC = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")


def assert_latin_in_liberation(widths: dict[str, dict[str, float]],
                               faces: tuple[str, ...] = ("LiberationSerif", "LiberationSans-Bold")) -> None:
    """A PDF LibreOffice printed sets its letters and digits in Liberation only: in each of `faces`."""
    latin = {face: "".join(sorted(ALPHANUMERIC & set(chars))) for face, chars in widths.items()}
    assert not {face: found for face, found in latin.items() if found and not face.startswith("Liberation")}, latin
    assert all(latin.get(face) for face in faces), latin


def test_a_chinese_docx_keeps_the_cjk_face_for_its_quotes(tmp_path: Path) -> None:
    """A Chinese document's “ ” stay in runs of the document's own fonts (no Latin punctuation runs),
    hinted East Asian: Word takes them from the Noto CJK SC face, full width, as the PDF prints them."""
    data = render(_sample("lawyer_letter", "CN", "zh-CN"), "docx", templates_dir=TEMPLATES).data  # “本所”
    runs = [r for r in docx_runs(data) if "“" in r.text or "”" in r.text]
    assert runs
    for run in runs:
        assert run.fonts["eastAsia"] in (CJK_SERIF, CJK_SANS) and run.fonts.get("hint") == "eastAsia", run


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
CJK_SERIF, CJK_SANS = "Noto Serif CJK SC", "Noto Sans CJK SC"
LATIN_OF = {CJK_SERIF: LATIN_SERIF, CJK_SANS: LATIN_SANS}


@dataclass(frozen=True)
class DocxRun:
    text: str
    fonts: dict[str, str]  # w:rFonts as the run has it, over the Normal style's
    lang: dict[str, str]  # w:lang as the run has it, over the Normal style's


def _attrs(element: Any) -> dict[str, str]:
    return {} if element is None else {etree.QName(k).localname: v for k, v in element.attrib.items()}


def docx_runs(data: bytes) -> list[DocxRun]:
    """Every text run of the body, with the fonts and languages it is set in (the run's own
    attributes over the Normal style's: the templates set no other style's fonts)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        body, styles = (etree.fromstring(archive.read(f"word/{n}.xml")) for n in ("document", "styles"))
    (normal,) = [s for s in styles.iter(f"{W}style") if s.get(f"{W}styleId") == "Normal"]
    base = {tag: _attrs(normal.find(f"{W}rPr/{W}{tag}")) for tag in ("rFonts", "lang")}
    used = {s.get(f"{W}val") for s in body.iter(f"{W}pStyle")} | {s.get(f"{W}val") for s in body.iter(f"{W}rStyle")}
    for tag in ("rFonts", "lang"):  # no other style the body uses names fonts or languages of its own
        assert not [s for s in styles.iter(f"{W}style") if s.get(f"{W}styleId") in used - {"Normal"}
                    and s.find(f"{W}rPr/{W}{tag}") is not None], tag
    out = []
    for run in body.iter(f"{W}r"):
        text = "".join(t.text or "" for t in run.iter(f"{W}t"))
        if text.strip():
            own = {tag: _attrs(run.find(f"{W}rPr/{W}{tag}")) for tag in ("rFonts", "lang")}
            out.append(DocxRun(text, base["rFonts"] | own["rFonts"], base["lang"] | own["lang"]))
    return out


@pytest.mark.parametrize(("kind", "profile", "locale"), [("claim_statement", "US", "en-US"),
                                                         ("lawyer_letter", "CN", "zh-CN")])
def test_docx_text_is_set_latin_in_liberation_and_chinese_in_noto_cjk_sc(kind: str, profile: str,
                                                                         locale: str) -> None:
    """Issue: the DOCX named Noto CJK SC for Latin text too, a face no Word installation has. Latin
    text is in Liberation (Times New Roman's and Arial's metric twins, which fontTable.xml names for
    Word to take), the Serif face's text in Liberation Serif and the Sans face's (bold headings,
    labels) in Liberation Sans; Chinese text in Noto Serif/Sans CJK SC, its East Asian language
    Simplified Chinese. An English document's § “ ” … are Liberation's for every script; a token
    kept whole (a Chinese date) has an East Asian language of en-US (typography.NO_CJK_BREAKS)."""
    data = render(_sample(kind, profile, locale), "docx", templates_dir=TEMPLATES).data
    runs = docx_runs(data)
    assert len(runs) > 20
    for run in runs:
        named, punctuation = run.fonts, locale == "en-US" and set(run.text) <= set(fonts.LATIN_PUNCTUATION)
        latin = named["ascii"]
        assert named["hAnsi"] == named["cs"] == latin and latin in (LATIN_SERIF, LATIN_SANS), run
        assert named["eastAsia"] == latin if punctuation else LATIN_OF[named["eastAsia"]] == latin, run
        east = run.lang.get("eastAsia")
        assert east == "zh-CN" or (east == "en-US" and re.search(r"[\u4e00-\u9fff]", run.text)), run
        assert (named.get("hint") == "eastAsia") == (locale == "zh-CN"), run
    assert {r.fonts["ascii"] for r in runs} == {LATIN_SERIF, LATIN_SANS}  # body text and bold headings
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        table = etree.fromstring(archive.read("word/fontTable.xml"))
        styles = etree.fromstring(archive.read("word/styles.xml"))
    # text outside any style (pleading paper's line numbers) in the same faces, not the theme's
    (defaults,) = styles.iterfind(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}rFonts")
    assert {k: v for k, v in _attrs(defaults).items() if k != "hint"} == {
        "ascii": LATIN_SERIF, "hAnsi": LATIN_SERIF, "eastAsia": CJK_SERIF, "cs": LATIN_SERIF}, _attrs(defaults)
    alternatives = {f.get(f"{W}name"): f.find(f"{W}altName").get(f"{W}val") for f in table.iter(f"{W}font")
                    if f.find(f"{W}altName") is not None}
    assert alternatives[LATIN_SERIF] == "Times New Roman" and alternatives[LATIN_SANS] == "Arial", alternatives


def test_an_english_form_letter_sets_a_value_with_quotes_in_the_latin_face(caplog: pytest.LogCaptureFixture) -> None:
    """A form letter's fields name the Latin face first: the form is still usable (the others
    are filled), and a value holding “ ” is laid out by WeasyPrint, in the Latin face."""
    ctx = _sample("overdue_reminder", "US", "en-US")
    plain = render(ctx, "pdf", templates_dir=TEMPLATES).data
    assert "form not usable" not in caplog.text
    assert "Latin" not in " ".join(pdf_widths(plain))
    address = "“Rose Court”, 12 Elm St, Austin, TX 78701"
    quoted = ctx.model_copy(update={"borrower": ctx.borrower.model_copy(update={"address": address})})
    widths = pdf_widths(render(quoted, "pdf", templates_dir=TEMPLATES).data)
    for char in "“”":
        face, width = _width(widths, char)
        assert "Latin" in face and width < 700, (char, face, width)
