"""The names of the organisations a document names — the lender, the law firm, the court — never
break across lines in running text, in the PDF (nowrap spans) or in the DOCX as LibreOffice lays
it out (word joiners), as amounts and dates do not; the proofreader reads them as tokens."""

import shutil
import subprocess
from datetime import date

import pytest

from service.demo import proofread
from service.documents.docx import get_renderer as get_docx_renderer
from service.documents.pdf import get_renderer as get_pdf_renderer
from service.documents.registry import get_kind
from service.documents.render import render, render_form_html
from service.documents.typography import WORD_JOINER, keep_tokens_html
from tests.documents.conftest import TEMPLATES, Variant
from tools import make_docx_templates

ZH = ("深圳市前海惠民小额贷款有限公司", "北京正衡律师事务所", "深圳市南山区人民法院")
EN = ("Huaxin Consumer Finance Co., Ltd.", "Harper & Cole LLP", "Justice Court, Travis County, Texas")


def _zh_body() -> str:
    # each paragraph starts one character later: the line ends fall at every character of the names
    return "".join(f'<p class="indent">{"依" * k}原告{ZH[0]}委托{ZH[1]}律师，向{ZH[2]}提起诉讼，'
                   f"请求判令被告向原告{ZH[0]}偿还借款。</p>" for k in range(40))


def _en_body() -> str:
    return "".join(f"<p>{'a' * k} Plaintiff {EN[0]}, by its attorneys {EN[1]}, files this claim in the "
                   f"{EN[2]} against Defendant, who owes {EN[0]} the balance.</p>".replace("&", "&amp;")
                   for k in range(40))


def _pdf_pages(body: str, locale: str, names: tuple[str, ...], path) -> list[str]:
    html = (f'<!DOCTYPE html><html lang="{locale}"><head><meta charset="utf-8"><link rel="stylesheet" '
            f'href="legal.css"></head><body>{body}</body></html>')
    pdf = get_pdf_renderer(TEMPLATES).render(keep_tokens_html(html, names), locale=locale, identifier=b"0" * 32)
    path.write_bytes(pdf.data)
    return proofread.pdf_pages(path)


@pytest.mark.parametrize(("body", "locale", "names"), [(_zh_body(), "zh-CN", ZH), (_en_body(), "en-US", EN)])
def test_names_unbroken_in_the_pdf(tmp_path, body, locale, names):
    assert proofread.split_tokens(_pdf_pages(body, locale, (), tmp_path / "free.pdf"), set(names))  # they do break
    pages = _pdf_pages(body, locale, names, tmp_path / "kept.pdf")
    assert all(n in "".join(pages).replace("\n", " ") for n in names if "," not in n)
    assert not proofread.split_tokens(pages, set(names))


def test_names_unbroken_in_libreoffice(tmp_path):
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    docs = []
    for locale, body, names in (("zh-CN", _zh_body(), ZH), ("en-US", _en_body(), EN)):
        source = tmp_path / locale / f"{locale}.html"
        source.parent.mkdir()
        source.write_text('{% extends "_base.html" %}{% block title %}T{% endblock %}{% block body %}\n'
                          f'<link rel="stylesheet" href="legal.css">\n<h1>{{{{ heading }}}}</h1>\n{body}\n'
                          "{% endblock %}", encoding="utf-8")
        template = make_docx_templates.convert(source)
        data = get_docx_renderer().render(template, {"heading": "T", "doc": None}, templates_dir=TEMPLATES,
                                          as_of=date(2026, 12, 3), names=names)
        docs.append((tmp_path / f"{locale}.docx", names))
        docs[-1][0].write_bytes(data)
    subprocess.run([soffice, f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}", "--headless", "--convert-to",
                    "pdf", "--outdir", str(tmp_path / "out"), *(str(d) for d, _ in docs)], capture_output=True,
                   check=True, timeout=300)
    for path, names in docs:
        pages = proofread.pdf_pages(tmp_path / "out" / f"{path.stem}.pdf")
        assert len("".join(pages)) > 2000
        assert not proofread.split_tokens(pages, set(names)), path.stem


def test_a_documents_names_are_its_lender_firm_and_court_and_both_renders_keep_them():
    ctx = Variant(get_kind("lawyer_letter"), "CN", "zh-CN").sample()
    names = ctx.organisation_names()
    assert {ctx.plaintiff.name, ctx.counsel.firm} <= set(names)  # type: ignore[attr-defined]
    complaint = Variant(get_kind("civil_complaint"), "CN", "zh-CN").sample()
    assert complaint.court.name in complaint.organisation_names()  # type: ignore[attr-defined]
    markup, _ = render_form_html(ctx, TEMPLATES)
    assert f'<span class="nb">{ctx.counsel.firm}' in markup  # type: ignore[attr-defined]
    docx = render(ctx, "docx", templates_dir=TEMPLATES).data
    import zipfile
    from io import BytesIO

    xml = zipfile.ZipFile(BytesIO(docx)).read("word/document.xml").decode()
    assert WORD_JOINER.join(ctx.counsel.firm) in xml  # type: ignore[attr-defined]
    assert proofread.tokens_of(ctx, us=False, zh=True) >= set(names)
