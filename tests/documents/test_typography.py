"""The tokens that never break across lines, as the pattern finds them in running text."""

import subprocess
from datetime import date

import pytest

from service.demo import proofread
from service.documents.docx import get_renderer as get_docx_renderer
from service.documents.pdf import get_renderer as get_pdf_renderer
from service.documents.registry import get_kind
from service.documents.render import render
from service.documents.typography import TOKEN, keep_tokens_html
from tests.documents.conftest import TEMPLATES, Variant, libreoffice_pdfs_of
from tools import make_docx_templates


@pytest.mark.parametrize(("text", "tokens"), [
    ("合同编号QHXD-202508-560174）", ["QHXD-202508-560174"]),  # a letters-only head belongs to the number
    ("visit HX-0417 today", ["HX-0417"]),
    ("the pay-by date", []),  # a hyphenated word with no digit is no token
    ("by e-mail or E-mail: to a@b.example", ["e-mail", "E-mail", "a@b.example"]),  # ... but a one-letter prefix
    ("repaid 12,306.43 by PAY0625349616", ["12,306.43", "PAY0625349616"]),
    ("to ZHOU Guoqiang (周国强) and ZHANG San (张三, ID No. 1", ["(周国强)", "(张三", "1"]),  # a name in brackets
    # a court's name in Chinese in English text (issue 10 §2: "(深 | 圳前海合作区人民法院)")
    ("before the People's Court (深圳前海合作区人民法院).", ["(深圳前海合作区人民法院)"]),
])
def test_a_number_is_one_token_with_its_letter_head(text, tokens):
    assert [m.group(0) for m in TOKEN.finditer(text)] == tokens


@pytest.mark.parametrize(("text", "tokens"), [
    ("《民法典》第五百零九条、第六百六十七条之规定", ["《民法典》第五百零九条", "第六百六十七条"]),
    ("《诉讼费用交纳办法》第十四条第（二）项（财产", ["《诉讼费用交纳办法》第十四条第（二）项"]),  # one reference
    ("（合同第八条）", ["第八条"]),  # kept though short
    ("以上第一、二项暂计至", []),  # no unit after the numeral: no reference
    ("具状人（原告）：深圳市前海惠民小额贷款有限公司（盖章）", ["（原告）", "深圳市前海惠民小额贷款有限公司（盖章）"]),
    ("华信消费金融有限公司（盖章）", ["华信消费金融有限公司（盖章）"]),
    ("本协议自双方签字或盖章（含电子签名）之日起生效", []),  # a sentence is not a name
])
def test_references_and_a_sealed_name_are_tokens(text, tokens):
    assert [m.group(0) for m in TOKEN.finditer(text)] == tokens


@pytest.mark.parametrize(("text", "tokens"), [
    # a form's checkbox with its label, a short bracketed part of it included (issue 10 §2: "☐" | "解除合同")
    ("☑提前还款（加速到期），依约　☐解除合同　☐否", ["☑提前还款（加速到期）", "☐解除合同", "☐否"]),
    ("是否到期：☑是（依《还款协议》第四条）　☐否", ["☑是", "《还款协议》第四条", "☐否"]),
    ("☑转账　☐其他：无", ["☑转账", "☐其他"]),  # the label ends at its colon
])
def test_a_checkbox_is_one_token_with_its_label(text, tokens):
    assert [m.group(0) for m in TOKEN.finditer(text)] == tokens


# A form's options at a line's end in turn (the element form's 是否要求提前还款或解除合同), and a
# court's Chinese name in English text (the power of attorney in English)
BOXES = "☑提前还款（加速到期）　☐解除合同　☐否　☑是（本案诉讼费由被告承担）　☐否"
COURT = "(深圳前海合作区人民法院)"


def _boxes_html(padding: int) -> str:
    return "".join(f"<p>{'依' * k}{BOXES}</p>" for k in range(padding))


def _court_html(padding: int) -> str:
    return "".join(f"<p>{'a' * k} proceedings before the Shenzhen Qianhai Cooperation Zone People's Court {COURT}.</p>"
                   for k in range(padding))


def _pdf_pages(html: str, locale: str, tmp_path, *, kept: bool = True) -> list[str]:
    page = f'<!DOCTYPE html><html lang="{locale}"><head><meta charset="utf-8"></head><body>{html}</body></html>'
    pdf = get_pdf_renderer(TEMPLATES).render(keep_tokens_html(page) if kept else page, locale=locale,
                                             identifier=b"0" * 32)
    (tmp_path / "doc.pdf").write_bytes(pdf.data)
    return proofread.pdf_pages(tmp_path / "doc.pdf")


def test_a_checkbox_stays_with_its_label_in_the_pdf(tmp_path):
    assert proofread.split_checkboxes(_pdf_pages(_boxes_html(40), "zh-CN", tmp_path, kept=False))  # the check sees it
    pages = _pdf_pages(_boxes_html(40), "zh-CN", tmp_path)
    assert "".join(pages).count("解除合同") == 40 and not proofread.split_checkboxes(pages)


def test_a_chinese_name_in_english_text_is_not_broken_in_the_pdf(tmp_path):
    assert proofread.split_tokens(_pdf_pages(_court_html(60), "en-US", tmp_path, kept=False), {COURT})
    pages = _pdf_pages(_court_html(60), "en-US", tmp_path)
    assert "".join(pages).count("人民法院") == 60 and not proofread.split_tokens(pages, {COURT})


# The break falls at every character of the references and of the name in turn: each paragraph
# starts one character later than the one before.
BASIS = ("依据《中华人民共和国民法典》第五百零九条、第五百七十七条、第六百六十七条、第六百七十四条、第六百七十五条、"
         "第六百七十六条及《诉讼费用交纳办法》第十四条第（二）项之规定，特向贵院提起诉讼。")
NAME = "深圳市前海惠民小额贷款有限公司"


def _closing_html(padding: int) -> str:
    paragraphs = "".join(f'<p class="indent">{"依" * k}{BASIS}</p>' for k in range(padding))
    names = "".join(f"<p>{'具' * k}：{NAME}（盖章）</p>" for k in range(1, padding))
    return f'{paragraphs}<table class="sign"><tr><td></td><td>{names}</td></tr></table>'


def _read(pages: list[str]) -> list[str]:
    return proofread.split_references(pages) + proofread.split_tokens(pages, {f"{NAME}（盖章）"})


def test_references_and_sealed_names_unbroken_in_the_pdf(tmp_path):
    html = (f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><link rel="stylesheet" href="legal.css">'
            f"</head><body>{_closing_html(38)}</body></html>")
    pdf = get_pdf_renderer(TEMPLATES).render(keep_tokens_html(html), locale="zh-CN", identifier=b"0" * 32)
    (tmp_path / "doc.pdf").write_bytes(pdf.data)
    pages = proofread.pdf_pages(tmp_path / "doc.pdf")
    assert NAME in "".join(pages) and "第六百六十七条" in "".join(pages)
    assert not _read(pages)


# The two LibreOffice checks' documents, each through the DOCX tool and the DOCX path (word joiners),
# laid out in ONE soffice call (conftest.libreoffice_pdfs_of: an isolated profile, a generous
# timeout): a separate start-up per test timed out on a loaded machine.
def _closing_body() -> str:
    return f'<link rel="stylesheet" href="legal.css">\n<h1>{{{{ heading }}}}</h1>\n{_closing_html(38)}'


def _cites_body() -> str:
    return f"<h1>{{{{ heading }}}}</h1>\n{_cites_html(40)}"


# Numbers without word joiners in the DOCX (an amount, an ID) or with them only beside their hyphens
# (a contract or phone number), at a line's end in turn in Chinese and in English text
NUMBERS_CN = ("合同编号QHXD-202508-560174，欠款12,306.43元，客服400-900-5566，流水号PAY0625349616，"
              "身份证号110101199003074512，")
NUMBERS_EN = "contract QHXD-202508-560174, amount $12,306.43, call 1-800-555-0142, ref PAY0625349616, "
NUMBERS = {"QHXD-202508-560174", "12,306.43", "400-900-5566", "PAY0625349616", "110101199003074512",
           "1-800-555-0142"}


def _numbers_body(fill: str, text: str) -> str:
    return "<h1>{{ heading }}</h1>\n" + "".join(f"<p>{fill * k}{text * 3}</p>" for k in range(40))


@pytest.fixture(scope="module")
def libreoffice_pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    """The text of each page of the zh-CN closing ("起诉状"), the en-US citations and the numbers
    (the "numbers-" documents: each line as it is set, so a break after a hyphen shows) as
    LibreOffice lays them out, by name."""
    tmp = tmp_path_factory.mktemp("typography-lo")
    documents = {"zh-CN": ("zh-CN", _closing_body(), "起诉状"), "en-US": ("en-US", _cites_body(), "Citations"),
                 "numbers-zh-CN": ("zh-CN", _numbers_body("依", NUMBERS_CN), "号码"),
                 "numbers-en-US": ("en-US", _numbers_body("a", f" {NUMBERS_EN}"), "Numbers"),
                 "boxes-zh-CN": ("zh-CN", f"<h1>{{{{ heading }}}}</h1>\n{_boxes_html(40)}", "要素"),
                 "court-en-US": ("en-US", f"<h1>{{{{ heading }}}}</h1>\n{_court_html(60)}", "Court")}
    docx = []
    for name, (locale, body, heading) in documents.items():
        # the DOCX tool takes the profile (its paper) from the folder and the locale from the file's name
        folder = tmp / name / {"zh-CN": "cn", "en-US": "us"}[locale]
        folder.mkdir(parents=True)
        source = folder / f"{locale}.html"
        source.write_text('{% extends "_base.html" %}{% block title %}T{% endblock %}{% block body %}\n'
                          f"{body}\n{{% endblock %}}", encoding="utf-8")
        data = get_docx_renderer().render(make_docx_templates.convert(source), {"heading": heading, "doc": None},
                                          templates_dir=TEMPLATES, as_of=date(2026, 12, 3))
        path = tmp / f"{name}.docx"
        path.write_bytes(data)
        docx.append(path)
    converted = libreoffice_pdfs_of(docx, tmp / "pdf", tmp / "lo-profile")
    return {p.stem: proofread.pdf_pages(converted[p], layout=p.stem.startswith("numbers-")) for p in docx}


@pytest.mark.timeout(1800)
@pytest.mark.parametrize("name", ["numbers-zh-CN", "numbers-en-US"])
def test_numbers_unbroken_in_libreoffice(libreoffice_pages, name):
    """An amount and an ID carry no word joiner in the DOCX (Word's Find and copy-paste see them as
    typed) and LibreOffice still keeps them whole; a contract or phone number, joined beside its
    hyphens only, too (plain, LibreOffice broke "QHXD-202508- | 560174")."""
    pages = libreoffice_pages[name]
    found = {t for t in NUMBERS if t in "".join(pages)}
    assert found >= {"QHXD-202508-560174", "12,306.43", "PAY0625349616"}
    assert not proofread.split_tokens(pages, NUMBERS)


@pytest.mark.timeout(1800)
def test_checkboxes_and_chinese_names_unbroken_in_libreoffice(libreoffice_pages):
    """A checkbox and its label, and a court's Chinese name in English text, joined in the DOCX
    (word joiners, a run outside Chinese line breaking) and kept so by LibreOffice."""
    boxes, court = libreoffice_pages["boxes-zh-CN"], libreoffice_pages["court-en-US"]
    assert "".join(boxes).count("解除合同") == 40 and not proofread.split_checkboxes(boxes)
    assert "".join(court).count("人民法院") == 60 and not proofread.split_tokens(court, {COURT})


@pytest.mark.timeout(1800)  # above the conversion's own 900 s, so a hung soffice is reported as such
def test_references_and_sealed_names_unbroken_in_libreoffice(libreoffice_pages):
    """The DOCX tool's output for the same text, rendered by the DOCX path (word joiners) and laid
    out by LibreOffice."""
    pages = libreoffice_pages["zh-CN"]
    assert NAME in "".join(pages) and "第六百六十七条" in "".join(pages)
    assert not _read(pages)


@pytest.mark.parametrize(("text", "tokens"), [
    ("under 15 U.S.C. § 1692g, you may", ["15 U.S.C. § 1692g"]),
    ("see 12 CFR 1006.38(b).", ["12 CFR 1006.38(b)"]),
    ("Tex. Civ. Prac. & Rem. Code § 16.004(a)(3); Tex. Fin. Code 342.201(d)-(e)",
     ["Tex. Civ. Prac. & Rem. Code § 16.004(a)(3)", "Tex. Fin. Code 342.201(d)-(e)"]),
    ("50 U.S.C. § 3931, Fed. R. Civ. P. 5.2(a), Cal. Code Civ. Proc. § 2015.5.",
     ["50 U.S.C. § 3931", "Fed. R. Civ. P. 5.2(a)", "Cal. Code Civ. Proc. § 2015.5"]),
    ("visit www.cfpb.gov/debt-collection. Or https://www.prairie-recovery.example.com/a-b?x=1, today",
     ["www.cfpb.gov/debt-collection", "https://www.prairie-recovery.example.com/a-b?x=1"]),
    ("write to disputes@prairie-recovery.example.com.", ["disputes@prairie-recovery.example.com"]),
    ("Article 7(1) and art. 561 apply", ["Article 7(1)", "art. 561"]),
    # California's lettered and roman subdivisions (review US-00011: "685.010(a)(2)" | "(A)(ii)" in the DOCX)
    ("the rate (Cal. Code Civ. Proc. § 685.010(a)(2)(A)(ii), in force",
     ["Cal. Code Civ. Proc. § 685.010(a)(2)(A)(ii)"]),
    ("Cal. Code Civ. Proc. § 685.010(a)(1) (A) applies", ["Cal. Code Civ. Proc. § 685.010(a)(1)"]),
    ("under Tex. Gov&#39;t Code 27.031(a)(1) and Tex. Gov't Code 24.007",
     ["Tex. Gov&#39;t Code 27.031(a)(1)", "Tex. Gov't Code 24.007"]),  # as escaped in HTML, and not
    ("revive it (735 ILCS 5/13-206 (\"within\"); CPLR 214-i, 815 ILCS 123/15-5-5.",
     ["735 ILCS 5/13-206", "CPLR 214-i", "815 ILCS 123/15-5-5"]),
    # a law's title stays with its article; of a long title, its last three characters
    ("依据《民法典》第六百七十六条之规定", ["《民法典》第六百七十六条"]),
    ("依据《中华人民共和国民法典》第五百零九条", ["民法典》第五百零九条"]),
])
def test_citations_and_web_addresses_are_tokens(text, tokens):
    assert [m.group(0) for m in TOKEN.finditer(text)] == tokens


CITES = ("Under 15 U.S.C. § 1692g and 50 U.S.C. § 3931 (735 ILCS 5/13-206), "
         "Tex. Civ. Prac. &amp; Rem. Code § 16.004(a)(3), 12 CFR 1006.38(b) and Fed. R. Civ. P. 5.2(a), "
         "see www.prairie-recovery.example.com/debt-collection "
         "or www.cfpb.gov/debt-collection, or write by e-mail to disputes@prairie-recovery.example.com, as "
         "《民法典》第六百七十六条 says.")


def _cites_html(padding: int) -> str:
    """The citations at a line's end in turn: each paragraph one letter longer than the one before."""
    return "".join(f"<p>{'a' * k} {CITES}</p>" for k in range(padding))


def _cited(pages: list[str]) -> None:
    words = " ".join("".join(pages).split())
    assert "Tex. Civ. Prac. & Rem. Code § 16.004(a)(3)" in words and "www.cfpb.gov/debt-collection" in words
    assert not proofread.split_tokens(pages, {"e-mail"})  # never "e-" | "mail"


def test_the_references_check_finds_a_citation_or_address_broken(tmp_path):
    """The same text without the renderer's keeping: the check finds what WeasyPrint breaks."""
    html = (f'<!DOCTYPE html><html lang="en-US"><head><meta charset="utf-8"></head><body>{_cites_html(40)}'
            "</body></html>")
    pdf = get_pdf_renderer(TEMPLATES).render(html, locale="en-US", identifier=b"0" * 32)
    (tmp_path / "raw.pdf").write_bytes(pdf.data)
    broken = proofread.split_references(proofread.pdf_pages(tmp_path / "raw.pdf"))
    cited = {m.group(0) for m in TOKEN.finditer(CITES.replace("&amp;", "&"))}
    assert len(broken) >= 3 and set(broken) <= cited, broken


def test_citations_and_web_addresses_unbroken_in_the_pdf(tmp_path):
    html = (f'<!DOCTYPE html><html lang="en-US"><head><meta charset="utf-8"></head><body>{_cites_html(40)}'
            "</body></html>")
    pdf = get_pdf_renderer(TEMPLATES).render(keep_tokens_html(html), locale="en-US", identifier=b"0" * 32)
    (tmp_path / "doc.pdf").write_bytes(pdf.data)
    pages = proofread.pdf_pages(tmp_path / "doc.pdf")
    _cited(pages)
    assert not proofread.split_references(pages)


@pytest.mark.timeout(1800)
def test_citations_and_web_addresses_unbroken_in_libreoffice(libreoffice_pages):
    pages = libreoffice_pages["en-US"]
    _cited(pages)
    assert not proofread.split_references(pages)


def test_the_us_plan_reminder_breaks_its_lines_where_they_are_full(tmp_path):
    """The form letter (render: the form path) of the US sample: its payment sentence used to end a
    line after one word ("…1-800-555-0142, / or / by check … Suite / 1500, Chicago")."""
    ctx = Variant(get_kind("plan_reminder"), "US", "en-US").sample()
    (tmp_path / "r.pdf").write_bytes(render(ctx, "pdf", templates_dir=TEMPLATES).data)
    lines = [line.strip() for line in "".join(proofread.pdf_pages(tmp_path / "r.pdf")).splitlines()]
    start = next(i for i, line in enumerate(lines) if line.startswith("Please pay"))
    end = next(i for i, line in enumerate(lines) if i >= start and line.endswith("on the check."))
    paragraph = lines[start:end + 1]
    assert len(paragraph) >= 2 and all(len(line) > 40 for line in paragraph[:-1]), paragraph


def test_a_token_at_a_line_end_moves_with_the_word_before_it(tmp_path):
    """A nowrap token that does not fit at the end of a line takes the word before it to the next
    line; no line but a paragraph's last is left with a word or two. The sentence of the US plan
    reminder, its words lengthened a letter at a time, puts the tokens at the lines' ends in turn."""
    paragraphs = "".join(
        f"<p>{'a' * i} Please pay by the due date online at www.lakeside.example.com, by phone at 1-800-555-0142, "
        f"or by check payable {'b' * j} to Lakeside Consumer Credit, LLC mailed to 200 West Adams Street, Suite "
        "1500, Chicago, IL 60606, on December 2, 2026 at the latest.</p>" for i in range(12) for j in range(12))
    html = (f'<!DOCTYPE html><html lang="en-US"><head><meta charset="utf-8"></head><body>{paragraphs}'
            "</body></html>")
    pdf = get_pdf_renderer(TEMPLATES).render(keep_tokens_html(html), locale="en-US", identifier=b"0" * 32)
    (tmp_path / "p.pdf").write_bytes(pdf.data)
    text = subprocess.run(["pdftotext", str(tmp_path / "p.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("Page ")]
    short = [line for line in lines if len(line) < 40 and not line.endswith("latest.")]  # a paragraph's last
    assert len(lines) > 200 and not short, short


@pytest.mark.parametrize(("text", "kept"), [
    ("雁塔区小寨东路159号康城19栋2803室", ["159号", "19栋2803室"]),  # L-5: never "159 | 号"
    ("前湾一路1号A栋201室）", ["1号A栋201室"]),  # L-6: never "1号A | 栋201室）"
    ("中山东一路18号8楼", ["18号8楼"]),
])
def test_an_address_number_stays_with_its_unit(text, kept):
    from service.documents.typography import keep_tokens_docx_xml, keep_tokens_text

    html = keep_tokens_text(text)
    assert [s.split(">", 1)[1] for s in html.split("</span>")[:-1]] == kept
    xml = keep_tokens_docx_xml(f"<w:r><w:t>{text}</w:t></w:r>")
    for token in kept:
        assert "\u2060".join(token) in xml


def _email_cells() -> str:
    """A signature block's narrow cell with the lawyer's contact line, its words lengthened a letter
    at a time so that "e-mail" falls at the cell's edge in turn ("e-" | "mail" in the US petition:
    the address after it kept whole with the space before it, the hyphen was the only break left)."""
    return "".join(f'<p style="width: 62mm">{"a" * k} Tel. 312-555-0191; e-mail jane@harper.example</p>'
                   for k in range(24))


def test_e_mail_is_not_broken_at_its_hyphen_in_the_pdf(tmp_path):
    html = f'<!DOCTYPE html><html lang="en-US"><head><meta charset="utf-8"></head><body>{_email_cells()}</body></html>'
    renderer = get_pdf_renderer(TEMPLATES)
    (tmp_path / "doc.pdf").write_bytes(renderer.render(keep_tokens_html(html), locale="en-US",
                                                       identifier=b"0" * 32).data)
    pages = proofread.pdf_pages(tmp_path / "doc.pdf")
    assert "".join(pages).count("e-mail") == 24 and not proofread.split_tokens(pages, {"e-mail"})


def test_e_mail_is_joined_in_the_docx():
    from service.documents.typography import WORD_JOINER, keep_tokens_docx_xml

    xml = keep_tokens_docx_xml("<w:r><w:t>Tel. 312-555-0191; e-mail jane@harper.example</w:t></w:r>")
    assert f"e{WORD_JOINER}-{WORD_JOINER}mail" in xml  # joined at its hyphen only


def test_docx_latin_tokens_keep_their_text():
    """Word's Find and copy-paste see an amount, an ID and a plain number as typed: no word joiner
    inside them; a hyphenated number is joined only beside its hyphens, a Chinese date throughout."""
    from service.documents.typography import WORD_JOINER, keep_tokens_docx_xml

    xml = keep_tokens_docx_xml("<w:r><w:t>欠款12,306.43元，流水号PAY0625349616，身份证号110101199003074512，"
                               "合同编号QHXD-202508-560174，于2026年11月28日</w:t></w:r>")
    for plain in ("12,306.43", "PAY0625349616", "110101199003074512"):
        assert plain in xml
    assert WORD_JOINER.join(("QHXD", "-", "202508", "-", "560174")) in xml
    assert WORD_JOINER.join("2026年11月28日") in xml
    en = keep_tokens_docx_xml("<w:r><w:t>pay $12,306.43 on December 2, 2026 to a@b.example</w:t></w:r>")
    assert "$12,306.43" in en and "December\u00a02,\u00a02026" in en and "a@b.example" in en


@pytest.mark.parametrize(("profile", "locale"), [("CN", "zh-CN"), ("US", "en-US")])
def test_docx_text_has_no_joiner_inside_an_amount_or_a_number(tmp_path, profile, locale):
    """The DOCX of a sample as python-docx (and Word's Find, and copy-paste) reads it: its amounts
    ("1,763.28") and numbers as typed, no word joiner between two letters or digits outside a
    Chinese token (a date, an address number)."""
    import re

    import docx

    ctx = Variant(get_kind("plan_reminder"), profile, locale).sample()
    path = tmp_path / "r.docx"
    path.write_bytes(render(ctx, "docx", templates_dir=TEMPLATES).data)
    document = docx.Document(str(path))
    text = "\n".join([p.text for p in document.paragraphs]
                     + [c.text for t in document.tables for row in t.rows for c in row.cells])
    assert re.search(r"\d,\d{3}\.\d\d", text)  # an amount, whole
    latin = re.sub(r"[\w\u2060]*[\u3400-\u9fff][\w\u2060]*", " ", text)  # the Chinese tokens out
    assert not re.findall(r"[A-Za-z0-9.,]\u2060[A-Za-z0-9.,]", latin)
