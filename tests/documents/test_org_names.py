"""The English names of the organisations a document names — the lender, the law firm, the court —
never break across lines, in the PDF (nowrap spans) or in the DOCX as LibreOffice lays it out (word
joiners), as amounts and dates do not; the proofreader reads them as tokens. A name too long to
keep whole breaks only where a typesetter would break it (typography.name_pieces): after its legal
form, branch or bracketed part, or between English words outside the legal form — the same in both
formats. A Chinese name breaks as Chinese running text does, between any two ideographs, so that
the line before it is full ("…的委托诉讼代理人，在 / 深圳市南山区人民法院…" left a gap of ten
characters); it is kept whole only with the seal marker after it ("…有限公司（盖章）")."""

import shutil
import subprocess
from datetime import date

import pytest

from service.demo import proofread
from service.documents.docx import get_renderer as get_docx_renderer
from service.documents.pdf import get_renderer as get_pdf_renderer
from service.documents.registry import get_kind
from service.documents.render import render, render_form_html
from service.documents.typography import WORD_JOINER, keep_tokens_html, kept_names, name_pieces
from tests.documents.conftest import TEMPLATES, Variant, libreoffice_pdfs_of
from tools import make_docx_templates

ZH = ("深圳市前海惠民小额贷款有限公司", "北京正衡律师事务所", "深圳市南山区人民法院")
EN = ("Huaxin Consumer Finance Co., Ltd.", "Harper & Cole LLP", "Justice Court, Travis County, Texas")
# Lenders' names of 40 to 60 characters: too long to keep whole in a half-width signature cell
LONG_ZH = ("广东省深圳市前海深港现代服务业合作区惠民小额贷款股份有限公司深圳南山科技园分公司", *ZH[1:])
LONG_EN = ("Shenzhen Qianhai Huimin Microcredit Co., Ltd. Nanshan Branch", *EN[1:])


def _zh_body(names: tuple[str, ...] = ZH) -> str:
    # each paragraph starts one character later: the line ends fall at every character of the names
    return "".join(f'<p class="indent">{"依" * k}原告{names[0]}委托{names[1]}律师，向{names[2]}提起诉讼，'
                   f"请求判令被告向原告{names[0]}偿还借款。</p>" for k in range(40))


def _en_body(names: tuple[str, ...] = EN) -> str:
    return "".join(f"<p>{'a' * k} Plaintiff {names[0]}, by its attorneys {names[1]}, files this claim in the "
                   f"{names[2]} against Defendant, who owes {names[0]} the balance.</p>".replace("&", "&amp;")
                   for k in range(40))


@pytest.mark.parametrize(("name", "pieces"), [
    (LONG_ZH[0], ("广东省", "深圳市", "前海深港现代服务业合作区", "惠民小额贷款股份有限公司", "深圳南山科技园分公司")),
    ("中国工商银行股份有限公司深圳市分行南山支行", ("中国工商银行股份有限公司", "深圳市分行", "南山支行")),
    ("北京大成（深圳）律师事务所深圳前海分所", ("北京大成（深圳）", "律师事务所", "深圳前海分所")),
    (LONG_EN[0], ("Shenzhen", "Qianhai", "Huimin", "Microcredit Co., Ltd.", "Nanshan Branch")),
    ("Sichuan Rongxin Investment Consulting Co., Ltd.", ("Sichuan", "Rongxin", "Investment", "Consulting Co., Ltd.")),
    ("Bank of China Limited, Shanghai Pudong Sub-branch",
     ("Bank of China Limited,", "Shanghai", "Pudong Sub-branch")),
    ("Industrial and Commercial Bank of China, Shanghai Pudong Sub-branch",
     ("Industrial and Commercial", "Bank of China,", "Shanghai", "Pudong Sub-branch")),
    (ZH[0], (ZH[0],)),  # 15 ideographs: whole
    ("Lakeside Consumer Credit, LLC", ("Lakeside Consumer Credit, LLC",)),
])
def test_a_long_name_breaks_only_at_its_natural_boundaries(name, pieces):
    assert name_pieces(name) == pieces
    assert "".join(pieces) == name or " ".join(pieces) == name
    kept = kept_names([name])
    if name.isascii():
        assert set(kept) == {p for p in pieces if " " in p or "-" in p}  # a lone word breaks nowhere
    else:  # in running text a Chinese name breaks anywhere; its last piece stays with its seal
        assert kept == (f"{pieces[-1]}（盖章）",)


def test_the_proofreader_reads_a_long_names_pieces_and_its_seal_with_the_last():
    ctx = Variant(get_kind("repayment_agreement"), "CN", "zh-CN").sample()
    ctx = _named(ctx, LONG_ZH[0], LONG_EN[0])
    tokens = proofread.tokens_of(ctx, us=False, zh=True)
    assert set(kept_names([LONG_ZH[0], LONG_EN[0]])) <= tokens
    assert "深圳南山科技园分公司（盖章）" in tokens and LONG_ZH[0] not in tokens


def _pdf_pages(body: str, locale: str, names: tuple[str, ...], path) -> list[str]:
    html = (f'<!DOCTYPE html><html lang="{locale}"><head><meta charset="utf-8"><link rel="stylesheet" '
            f'href="legal.css"></head><body>{body}</body></html>')
    pdf = get_pdf_renderer(TEMPLATES).render(keep_tokens_html(html, names), locale=locale, identifier=b"0" * 32)
    path.write_bytes(pdf.data)
    return proofread.pdf_pages(path)


@pytest.mark.parametrize(("body", "locale", "names"), [(_en_body(), "en-US", EN)])
def test_names_unbroken_in_the_pdf(tmp_path, body, locale, names):
    assert proofread.split_tokens(_pdf_pages(body, locale, (), tmp_path / "free.pdf"), set(names))  # they do break
    pages = _pdf_pages(body, locale, names, tmp_path / "kept.pdf")
    assert all(n in "".join(pages).replace("\n", " ") for n in names if "," not in n)
    assert not proofread.split_tokens(pages, set(names))


@pytest.mark.parametrize(("body", "locale", "names"), [(_en_body(LONG_EN), "en-US", LONG_EN)])
def test_a_long_name_breaks_between_its_pieces_in_the_pdf(tmp_path, body, locale, names):
    pieces = set(kept_names(names))
    assert proofread.split_tokens(_pdf_pages(body, locale, (), tmp_path / "free.pdf"), pieces)  # they do break
    pages = _pdf_pages(body, locale, names, tmp_path / "kept.pdf")
    assert not proofread.split_tokens(pages, pieces)
    assert proofread.split_tokens(pages, {names[0]})  # not kept whole: it breaks, between its pieces


def _named(ctx, zh: str, en: str):
    """The sample with its lender (the plaintiff of a court document) renamed."""
    field = "lender" if hasattr(ctx, "lender") else "plaintiff"
    name = zh if ctx.doc.profile == "CN" else en
    return ctx.model_copy(update={field: getattr(ctx, field).model_copy(
        update={"name": name, "name_en": en, "seal_text": name})})


# Documents that print the lender's name in running text and in a half-width signature cell
LONG_NAMED = [("repayment_agreement", "CN", "zh-CN"), ("repayment_agreement", "CN", "en-US"),
              ("repayment_agreement", "US", "en-US"), ("civil_complaint", "CN", "zh-CN")]


def _long_named(kind: str, profile: str, locale: str):
    return _named(Variant(get_kind(kind), profile, locale).sample(), LONG_ZH[0],
                  LONG_EN[0] if profile == "CN" else "Lakeside Consumer Installment Lending Company of Illinois, LLC")


@pytest.mark.parametrize(("kind", "profile", "locale"), LONG_NAMED)
def test_a_documents_long_lender_name_breaks_between_its_pieces_in_the_pdf(tmp_path, kind, profile, locale):
    ctx = _long_named(kind, profile, locale)
    (tmp_path / "d.pdf").write_bytes(render(ctx, "pdf", templates_dir=TEMPLATES).data)
    pages = proofread.pdf_pages(tmp_path / "d.pdf")
    tokens = proofread.tokens_of(ctx, us=profile == "US", zh=locale == "zh-CN")
    assert set(kept_names(ctx.organisation_names())) <= tokens
    assert not proofread.split_tokens(pages, tokens)


def test_names_unbroken_in_libreoffice(tmp_path):
    """Short names whole, long ones broken only between their pieces, as in the PDF: in running
    text at every line position, and in documents with a 40 to 60 character lender's name."""
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    docs = []
    for key, locale, body, names in (("zh", "zh-CN", _zh_body(), ZH), ("en", "en-US", _en_body(), EN),
                                     ("zh-long", "zh-CN", _zh_body(LONG_ZH), LONG_ZH),
                                     ("en-long", "en-US", _en_body(LONG_EN), LONG_EN)):
        # the DOCX tool takes the profile (its paper) from the folder and the locale from the file's name
        source = tmp_path / key / ("cn" if locale == "zh-CN" else "us") / f"{locale}.html"
        source.parent.mkdir(parents=True)
        source.write_text('{% extends "_base.html" %}{% block title %}T{% endblock %}{% block body %}\n'
                          f'<link rel="stylesheet" href="legal.css">\n<h1>{{{{ heading }}}}</h1>\n{body}\n'
                          "{% endblock %}", encoding="utf-8")
        template = make_docx_templates.convert(source)
        data = get_docx_renderer().render(template, {"heading": "T", "doc": None}, templates_dir=TEMPLATES,
                                          as_of=date(2026, 12, 3), names=names)
        docs.append((tmp_path / f"{key}.docx", set(kept_names(names)), names[0]))
        docs[-1][0].write_bytes(data)
    for kind, profile, locale in LONG_NAMED:
        ctx = _long_named(kind, profile, locale)
        docs.append((tmp_path / f"{kind}-{profile}-{locale}.docx",
                     proofread.tokens_of(ctx, us=profile == "US", zh=locale == "zh-CN"), ""))
        docs[-1][0].write_bytes(render(ctx, "docx", templates_dir=TEMPLATES).data)
    subprocess.run([soffice, f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}", "--headless", "--convert-to",
                    "pdf", "--outdir", str(tmp_path / "out"), *(str(d) for d, _, _ in docs)], capture_output=True,
                   check=True, timeout=300)
    for path, tokens, name in docs:
        pages = proofread.pdf_pages(tmp_path / "out" / f"{path.stem}.pdf")
        assert len("".join(pages)) > 2000
        assert not proofread.split_tokens(pages, tokens), path.stem
        if name and name not in tokens:  # a long name: it does break, between its pieces
            assert proofread.split_tokens(pages, {name}), path.stem


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
    assert proofread.tokens_of(ctx, us=False, zh=True) >= set(kept_names(names))


def _short_lines(pdf) -> list[str]:
    """Lines of a paragraph (not its last) that end more than two ideographs before the right
    margin: a gap left by a token that moved whole to the next line."""
    import re
    from html import unescape

    xml = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, text=True,
                         check=True).stdout
    right = 595.28 - 20 * 72 / 25.4
    short = []
    for block in re.findall(r"<block .*?</block>", xml, re.S):
        lines = re.findall(r'<line xMin="[\d.]+" yMin="[\d.]+" xMax="([\d.]+)".*?</line>', block, re.S)
        texts = ["".join(re.findall(r">([^<]*)</word>", line)) for line in re.findall(r"<line .*?</line>", block, re.S)]
        short += [unescape(t) for x, t in zip(lines[:-1], texts[:-1], strict=True) if float(x) < right - 2 * 10.5]
    return short


def test_a_chinese_name_breaks_where_the_line_is_full(tmp_path):
    """A court's, firm's or lender's name in Chinese running text starts on the line it reaches,
    as the text around it does, in the PDF and in LibreOffice (a paragraph with a value is
    left-aligned in the DOCX: a gap shows, it is not spread over the line)."""
    body = _zh_body().replace('<p class="indent">', '<p class="indent">{{ heading }}')
    pdf = tmp_path / "zh.pdf"
    _pdf_pages(body.replace("{{ heading }}", "依"), "zh-CN", ZH, pdf)
    source = tmp_path / "zh" / "cn" / "zh-CN.html"  # the profile folder gives the DOCX its paper
    source.parent.mkdir(parents=True)
    source.write_text('{% extends "_base.html" %}{% block title %}T{% endblock %}{% block body %}\n'
                      f'<link rel="stylesheet" href="legal.css">\n{body}\n{{% endblock %}}', encoding="utf-8")
    data = get_docx_renderer().render(make_docx_templates.convert(source), {"heading": "依", "doc": None},
                                      templates_dir=TEMPLATES, as_of=date(2026, 12, 3), names=ZH)
    (tmp_path / "zh.docx").write_bytes(data)
    converted = libreoffice_pdfs_of([tmp_path / "zh.docx"], tmp_path / "lo", tmp_path / "profile")
    for path in (pdf, converted[tmp_path / "zh.docx"]):
        pages = proofread.pdf_pages(path)
        assert len("".join(pages)) > 2000
        assert proofread.split_tokens(pages, set(ZH)), path  # the names do break at line ends
        assert not _short_lines(path), path


def test_a_payment_accounts_bank_and_holder_are_names_kept_whole(tmp_path):
    """The bank of the account a notice asks the borrower to pay into is an organisation's name:
    "Industrial and Commercial Bank | of China, Shanghai Pudong Sub-branch" broke in the CN case's
    en-US overdue reminder. It breaks only between its pieces ("Bank of China," whole)."""
    ctx = Variant(get_kind("overdue_reminder"), "CN", "en-US").sample()
    bank = ctx.lender.account.bank_en  # type: ignore[attr-defined]
    assert bank in ctx.organisation_names() and "Bank of China," in kept_names(ctx.organisation_names())
    padded = "".join(f"<p>{'a' * k} Pay into the account of Huaxin Consumer Finance Co., Ltd. at {bank}.</p>"
                     for k in range(40))
    pages = _pdf_pages(padded, "en-US", ctx.organisation_names(), tmp_path / "bank.pdf")
    assert not proofread.split_tokens(pages, set(kept_names(ctx.organisation_names())))
    assert not proofread.split_tokens(pages, {"Bank of China"})
