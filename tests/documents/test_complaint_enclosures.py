"""The complaint's 附 line (its enclosures) stays with the signature block before it: wherever the
page breaks, the page that holds 附 holds the signature too (review 2026-12-04, F27: CN-00013's
complaint had a third page with the 附 line alone)."""

import subprocess

from service.documents.registry import get_kind
from service.documents.render import render
from tests.documents.conftest import TEMPLATES, Variant


def test_the_enclosures_line_never_has_a_page_of_its_own(tmp_path):
    ctx = Variant(get_kind("civil_complaint"), "CN", "zh-CN").sample()
    rows = list(ctx.evidence)  # type: ignore[attr-defined]
    for extra in range(12):  # longer and longer evidence lists move the page break across the closing block
        evidence = tuple(r.model_copy(update={"number": i + 1}) for i, r in enumerate((rows * 8)[:len(rows) + extra]))
        pdf = render(ctx.model_copy(update={"evidence": evidence}), "pdf", templates_dir=TEMPLATES)
        path = tmp_path / f"c{extra}.pdf"
        path.write_bytes(pdf.data)
        last = subprocess.run(["pdftotext", "-f", str(pdf.pages), "-l", str(pdf.pages), str(path), "-"],
                              capture_output=True, text=True, check=True).stdout
        assert "附：" in last and "具状人" in last, (extra, pdf.pages)
