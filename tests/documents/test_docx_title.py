"""A DOCX's title property (docProps/core.xml, the title a file manager, Word and a PDF made from
it by LibreOffice show) is the document's title with the case's values, as the PDF's is: read as
the template's source, it was "{{ papers.heading(affiant) }}" and "证据{{ exhibit.number }}"."""

import re
import zipfile
from io import BytesIO

import pikepdf
import pytest

from service.documents.render import render
from tests.documents.conftest import TEMPLATES, variants

DOCX = [v for v in variants() if v.kind.available(TEMPLATES, v.profile, v.locale, "docx")]
TEMPLATED = re.compile(r"{{|{%|}}|%}")


def _docx_title(data: bytes) -> str:
    core = zipfile.ZipFile(BytesIO(data)).read("docProps/core.xml").decode("utf-8")
    match = re.search(r"<dc:title>([^<]*)</dc:title>", core)
    return match.group(1) if match else ""


@pytest.mark.parametrize("variant", DOCX, ids=lambda v: v.id)
def test_the_docx_title_is_the_documents_title_with_its_values(variant):
    source = (TEMPLATES / variant.kind.template_name(variant.profile, variant.locale, "pdf")).read_text("utf-8")
    block = re.search(r"{%\s*block title\s*%}(.*?){%\s*endblock", source, re.S)
    if block is None or not TEMPLATED.search(block.group(1)):
        pytest.skip("a title without values")
    ctx = variant.sample()
    title = _docx_title(render(ctx, "docx", templates_dir=TEMPLATES).data)
    with pikepdf.open(BytesIO(render(ctx, "pdf", templates_dir=TEMPLATES).data)) as pdf:
        pdf_title = str(pdf.docinfo.get("/Title", ""))
    assert title and not TEMPLATED.search(title), title
    assert title == pdf_title
