"""Every contract, court document and packet part × profile × locale renders from its sample in
PDF and DOCX; the two formats carry the same text and every required element; fonts embedded;
LibreOffice opens every DOCX (one batch call); tables repeat their headers; the right language."""

import re
import subprocess
import zipfile
from pathlib import Path

import pytest

from service.demo import proofread
from service.documents.format import cn_upper, money
from service.documents.render import render_html
from tests.documents.conftest import TEMPLATES, Sample, libreoffice_convert, render_samples, variants

MINE = [v for folder in ("contracts", "legal", "legal/packet") for v in variants(folder)]
IDS = [v.id for v in MINE]
AMOUNT = re.compile(r"\d{1,3}(?:,\d{3})*\.\d{2}")
DATE_CN = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日")
CJK = re.compile(r"[\u4e00-\u9fff]")
EXPECTED = {
    ("visit_record", "CN", "zh-CN"), ("repayment_agreement", "CN", "zh-CN"), ("repayment_agreement", "CN", "en-US"),
    ("repayment_agreement", "US", "en-US"), ("lawyer_letter", "CN", "zh-CN"), ("mediation_application", "CN", "zh-CN"),
    ("civil_complaint", "CN", "zh-CN"), ("complaint_elements", "CN", "zh-CN"), ("evidence_index", "CN", "zh-CN"),
    ("evidence_index", "US", "en-US"), ("claim_statement", "CN", "zh-CN"), ("claim_statement", "US", "en-US"),
    ("court_fee_statement", "CN", "zh-CN"), ("service_address_confirmation", "CN", "zh-CN"),
    ("power_of_attorney", "CN", "zh-CN"), ("power_of_attorney", "CN", "en-US"),  # en-US: the lender's reading copy
    ("legal_rep_certificate", "CN", "zh-CN"),
    ("affidavit_of_debt", "US", "en-US"), ("debt_claim_petition", "US", "en-US"),
    *((k, p, loc) for k in ("packet_cover", "exhibit_cover", "repayment_schedule", "payment_history", "notice_history")
      for p, loc in (("CN", "zh-CN"), ("US", "en-US"))),
}


def flat(text: str, pages: int | None = None) -> str:
    """Text without whitespace and without this document's page footers (exact page count, so a
    footer 'Page 1 of 3' followed by a heading '3. …' loses only the footer)."""
    text = re.sub(r"\s+", "", text)
    total = str(pages) if pages else r"\d+"
    return re.sub(rf"第\d+页/共{total}页|Page\d+of{total}", "", text)


Doc = Sample


@pytest.fixture(scope="session")
def legal_docs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Doc]:
    return render_samples(MINE, tmp_path_factory.mktemp("legal-samples"))


@pytest.fixture(scope="session")
def legal_libreoffice(legal_docs: dict[str, Doc], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return libreoffice_convert(legal_docs, tmp_path_factory)


def test_every_kind_and_locale_has_both_templates():
    assert {(v.kind.kind, v.profile, v.locale) for v in MINE} == EXPECTED
    for v in MINE:
        assert v.kind.available(TEMPLATES, v.profile, v.locale, "docx"), f"{v.id} has no DOCX template"


@pytest.mark.parametrize("key", IDS)
def test_required_elements_in_both_formats(legal_docs, key):
    d = legal_docs[key]
    required = d.context.required()  # type: ignore[attr-defined]
    assert len(required) >= 4, "each document declares what it must show"
    for item in required:
        assert flat(item.text) in flat(d.pdf_text, d.pdf.pages), f"PDF lacks {item.label}: {item.text}"
        assert flat(item.text) in flat(d.docx_text), f"DOCX lacks {item.label}: {item.text}"


@pytest.mark.parametrize("key", IDS)
def test_pdf_and_docx_text_agree(legal_docs, key):
    d = legal_docs[key]
    pdf = flat(d.pdf_text, d.pdf.pages)
    paragraphs = [flat(p) for p in d.docx_text.split("\n") if flat(p)]
    missing = [p for p in paragraphs if p not in pdf]
    assert not missing, f"DOCX paragraphs not in the PDF: {missing[:3]}"
    assert set(AMOUNT.findall(flat(d.docx_text))) == set(AMOUNT.findall(pdf))
    assert set(DATE_CN.findall(flat(d.docx_text))) == set(DATE_CN.findall(pdf))


@pytest.mark.parametrize("key", IDS)
def test_right_language(legal_docs, key):
    d = legal_docs[key]
    if d.variant.profile == "US":
        assert not CJK.findall(d.pdf_text + d.docx_text), "Chinese text in a US document"
    elif d.variant.locale == "zh-CN":
        assert len(CJK.findall(d.pdf_text)) > 100
        assert not re.search(r"\b(?:Plaintiff|Defendant|Borrower|Lender)\b", d.pdf_text)


@pytest.mark.parametrize("key", [k for k in IDS if "zh-CN" in k])
def test_chinese_legal_amounts_in_figures_and_capitals(legal_docs, key):
    ctx = legal_docs[key].context
    claim = getattr(ctx, "claim", None)
    kind = legal_docs[key].variant.kind.kind
    if kind in ("civil_complaint", "complaint_elements", "claim_statement", "lawyer_letter", "mediation_application"):
        amount = claim.claimed_total  # type: ignore[union-attr]
    elif kind == "court_fee_statement":
        amount = claim.fee.full  # type: ignore[union-attr]
    elif kind == "repayment_agreement":
        amount = ctx.agreement.acknowledged  # type: ignore[attr-defined]
    else:
        pytest.skip("no amount in capitals on this document")
    for text in (legal_docs[key].pdf_text, legal_docs[key].docx_text):
        assert money(amount) in text
        assert flat(cn_upper(amount)) in flat(text)


@pytest.mark.parametrize("key", IDS)
def test_fonts_embedded_and_pdf_valid(legal_docs, key):
    d = legal_docs[key]
    fonts = subprocess.run(["pdffonts", str(d.pdf_path)], capture_output=True, text=True, check=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows and all(" yes yes yes " in row and "Type 3" not in row for row in rows), fonts
    check = subprocess.run(["qpdf", "--check", str(d.pdf_path)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    pages = d.pdf.pages
    footer = f"第{pages}页/共{pages}页" if d.variant.locale.startswith("zh") else f"Page{pages}of{pages}"
    assert footer in re.sub(r"\s+", "", d.pdf_text)


@pytest.mark.parametrize("key", IDS)
def test_docx_tables_repeat_their_header_rows(legal_docs, key):
    d = legal_docs[key]
    with zipfile.ZipFile(d.docx_path) as archive:
        xml = archive.read("word/document.xml").decode()
    html = render_html(d.context, TEMPLATES)  # the tables this context shows (some are conditional)
    assert xml.count("<w:tblHeader/>") == html.count("<thead>")


@pytest.mark.parametrize("key", IDS)
def test_libreoffice_converts_every_docx(legal_docs, legal_libreoffice, key):
    converted = legal_libreoffice[key]
    assert converted.is_file(), "soffice produced no PDF"
    text = subprocess.run(["pdftotext", "-raw", *proofread.text_area(converted), str(converted), "-"],
                          capture_output=True, text=True, check=True).stdout
    for item in legal_docs[key].context.required():  # type: ignore[attr-defined]
        assert flat(item.text) in flat(text), f"LibreOffice output lacks {item.label}: {item.text}"


def test_evidence_index_links_each_page_range_to_its_first_page(legal_docs):
    import pikepdf

    for key in ("evidence_index-CN-zh-CN", "evidence_index-US-en-US"):
        d = legal_docs[key]
        with pikepdf.open(d.pdf_path) as pdf:
            uris = [str(a.A.URI) for page in pdf.pages for a in page.get("/Annots", [])]
        rows = d.context.rows  # type: ignore[attr-defined]
        assert uris == [f"https://dossier.invalid/page/{r.first_page}" for r in rows]


def test_court_filings_show_full_identity_and_us_filings_redact(legal_docs):
    for key in ("civil_complaint-CN-zh-CN", "complaint_elements-CN-zh-CN", "repayment_agreement-CN-zh-CN"):
        assert "11010519891231002X" in legal_docs[key].pdf_text
    letter = legal_docs["lawyer_letter-CN-zh-CN"].pdf_text
    assert "110***********002X" in letter and "11010519891231002X" not in letter
    affidavit = legal_docs["affidavit_of_debt-US-en-US"].pdf_text
    # the SSN by its last four digits; no year of birth (no state's rule asks the declaration for one)
    assert "6789" in affidavit and "123-45-6789" not in affidavit and "1986" not in affidavit
    filings = [d for d in legal_docs.values() if d.variant.profile == "US" and d.variant.kind.folder != "contracts"]
    for d in filings:  # US-13: the account by its last four digits only
        assert "LKCC-2024-004512" not in d.pdf_text + d.docx_text, f"{d.variant.id} shows the full account number"
