"""DOCX paragraphs that print a value are not justified: a date, an amount or a contract number
is one unbreakable token (word joiners), and one that moves to the next line left LibreOffice
stretching the line above it with visible gaps ("2025年8月11日，  您与委托人…"). Paragraphs of the
template's own words stay justified. Read in the committed DOCX templates
(tools/make_docx_templates.py)."""

import zipfile

from lxml import etree

from tests.documents.conftest import TEMPLATES

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _body_paragraphs(path):
    with zipfile.ZipFile(path) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
    body = root.find(f"{W}body")
    for p in body.iter(f"{W}p"):
        in_table = any(a.tag == f"{W}tc" for a in p.iterancestors())
        jc = p.find(f"{W}pPr/{W}jc")
        yield "".join(t.text or "" for t in p.iter(f"{W}t")), in_table, None if jc is None else jc.get(f"{W}val")


def test_no_paragraph_with_a_value_is_justified():
    docs = sorted(TEMPLATES.rglob("zh-CN.docx"))
    assert len(docs) > 10
    justified = {}
    for path in docs:
        found = [text[:40] for text, _, jc in _body_paragraphs(path) if jc == "both" and "{{" in text]
        if found:
            justified[str(path.relative_to(TEMPLATES))] = found
    assert not justified


def test_paragraphs_of_the_templates_own_words_stay_justified():
    own = [(text, jc) for path in sorted(TEMPLATES.rglob("zh-CN.docx")) for text, in_table, jc in _body_paragraphs(path)
           if not in_table and len(text) > 40 and "{" not in text]
    assert own and all(jc == "both" for _, jc in own), [t[:30] for t, jc in own if jc != "both"][:5]


def test_the_exhibit_cover_docx_matches_its_html():
    """The exhibit cover's DOCX as the PDF prints it: the ideographic gaps between the parties
    (HTML keeps U+3000; the tool used to collapse it like an ASCII space) and the subtitle centred
    under the title."""
    paragraphs = list(_body_paragraphs(TEMPLATES / "legal/packet/exhibit_cover/cn/zh-CN.docx"))
    assert ("原告：{{ plaintiff }}\u3000\u3000被告：{{ defendant }}\u3000\u3000借款合同编号：{{ contract_no }}", False,
            None) in paragraphs
    subtitle = next(p for p in paragraphs if p[0] == "{{ e.title }}" and not p[1])
    assert subtitle[2] == "center"
    for path in sorted(TEMPLATES.rglob("*.html")):
        docx = path.with_suffix(".docx")
        if docx.exists() and "\u3000" in path.read_text(encoding="utf-8").split("{% block body %}")[-1]:
            assert any("\u3000" in text for text, _, _ in _body_paragraphs(docx)), docx
