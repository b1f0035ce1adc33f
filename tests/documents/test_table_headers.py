"""A table of rows that may run over a page — payments, installments, a statement of account, an
exhibit list — opens with a header row, which the PDF repeats on every page (thead:
display: table-header-group) and the DOCX marks to repeat (w:tblHeader, written by
tools/make_docx_templates.py for each thead row). The affidavit of debt's statement of account
(Attachment A) had none: its third page showed amounts under no column heading. A table of
particulars (term | value pairs), a form or a caption is read across and needs none."""

import re
import zipfile

import pytest

from tests.documents.conftest import TEMPLATES
from tools import make_docx_templates

HEADERLESS = {"particulars", "form", "caption", "sign"}  # read across, not down: no column headings
TABLE = re.compile(r"<table([^>]*)>(.*?)</table>", re.S)
SOURCES = sorted(p for p in TEMPLATES.rglob("*.html") if "_partials" not in p.parts and not p.name.startswith("_"))


def _tables(path):
    for attrs, body in TABLE.findall(make_docx_templates.flatten(path)):
        classes = set(re.search(r'class="([^"]*)"', attrs).group(1).split()) if "class=" in attrs else set()
        yield classes, body


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_every_table_of_rows_has_a_header_row(path):
    for classes, body in _tables(path):
        if classes & HEADERLESS or not re.search(r"{%-?\s*(for|tr for)\b", body):
            continue
        assert "<thead>" in body, f"{path.relative_to(TEMPLATES)}: a table of rows without a header row"


@pytest.mark.parametrize("path", [p for p in SOURCES if p.with_suffix(".docx").is_file()],
                         ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_docx_template_repeats_every_header_row(path):
    with zipfile.ZipFile(path.with_suffix(".docx")) as archive:
        xml = archive.read("word/document.xml").decode()
    headers = sum(body.count("<thead>") for _, body in _tables(path))
    assert xml.count("<w:tblHeader/>") == headers, "regenerate the DOCX: tools/make_docx_templates.py"


def test_affidavit_statement_of_account_has_column_headings():
    path = TEMPLATES / "legal" / "affidavit_of_debt" / "us" / "en-US.html"
    statement = next(body for _, body in _tables(path) if "c.reconciliation" in body)
    assert "<thead><tr><th>Item</th><th>Amount</th></tr></thead>" in statement
