"""The tokens that never break across lines, as the pattern finds them in running text."""

import shutil
import subprocess
from datetime import date

import pytest

from service.demo import proofread
from service.documents.docx import get_renderer as get_docx_renderer
from service.documents.pdf import get_renderer as get_pdf_renderer
from service.documents.typography import TOKEN, keep_tokens_html
from tests.documents.conftest import TEMPLATES
from tools import make_docx_templates


@pytest.mark.parametrize(("text", "tokens"), [
    ("合同编号QHXD-202508-560174）", ["QHXD-202508-560174"]),  # a letters-only head belongs to the number
    ("visit HX-0417 today", ["HX-0417"]),
    ("the pay-by date", []),  # a hyphenated word with no digit is no token
    ("repaid 12,306.43 by PAY0625349616", ["12,306.43", "PAY0625349616"]),
])
def test_a_number_is_one_token_with_its_letter_head(text, tokens):
    assert [m.group(0) for m in TOKEN.finditer(text)] == tokens


@pytest.mark.parametrize(("text", "tokens"), [
    ("《民法典》第五百零九条、第六百六十七条之规定", ["第五百零九条", "第六百六十七条"]),
    ("《诉讼费用交纳办法》第十四条第（二）项（财产", ["第十四条第（二）项"]),  # one reference
    ("（合同第八条）", ["第八条"]),  # kept though short
    ("以上第一、二项暂计至", []),  # no unit after the numeral: no reference
    ("具状人（原告）：深圳市前海惠民小额贷款有限公司（盖章）", ["（原告）", "深圳市前海惠民小额贷款有限公司（盖章）"]),
    ("华信消费金融有限公司（盖章）", ["华信消费金融有限公司（盖章）"]),
    ("本协议自双方签字或盖章（含电子签名）之日起生效", []),  # a sentence is not a name
])
def test_references_and_a_sealed_name_are_tokens(text, tokens):
    assert [m.group(0) for m in TOKEN.finditer(text)] == tokens


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


def test_references_and_sealed_names_unbroken_in_libreoffice(tmp_path):
    """The DOCX tool's output for the same text, rendered by the DOCX path (word joiners) and laid
    out by LibreOffice."""
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    source = tmp_path / "zh-CN.html"
    source.write_text('{% extends "_base.html" %}{% block title %}T{% endblock %}{% block body %}\n'
                      f'<link rel="stylesheet" href="legal.css">\n<h1>{{{{ heading }}}}</h1>\n{_closing_html(38)}\n'
                      "{% endblock %}", encoding="utf-8")
    template = make_docx_templates.convert(source)
    data = get_docx_renderer().render(template, {"heading": "起诉状", "doc": None}, templates_dir=TEMPLATES,
                                      as_of=date(2026, 12, 3))
    (tmp_path / "doc.docx").write_bytes(data)
    subprocess.run([soffice, f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}", "--headless", "--convert-to",
                    "pdf", "--outdir", str(tmp_path), str(tmp_path / "doc.docx")], capture_output=True, check=True,
                   timeout=300)
    pages = proofread.pdf_pages(tmp_path / "doc.pdf")
    assert NAME in "".join(pages) and "第六百六十七条" in "".join(pages)
    assert not _read(pages)
