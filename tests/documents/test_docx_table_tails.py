"""A DOCX table's last rows keep with what follows in LibreOffice, whatever the table's length:
a one- or two-row table (a total, a single instalment) is never left at the foot of a page with
the note after it opening the next (service/documents/docx.py, _keep_table_tails)."""

import shutil
import subprocess
from datetime import date
from io import BytesIO
from pathlib import Path

import pytest
from docx import Document

from service.demo import proofread
from service.documents.docx import get_renderer
from tests.documents.conftest import TEMPLATES

FILLERS = range(34, 62)  # paragraphs above the table: the page break falls inside this range
ROWS = (1, 2)


def _template(path: Path, fillers: int, rows: int) -> None:
    doc = Document()
    for k in range(fillers):
        doc.add_paragraph(f"Filler paragraph {k + 1}")
    table = doc.add_table(rows=rows, cols=2)
    for k, row in enumerate(table.rows, start=1):
        row.cells[0].text, row.cells[1].text = f"Table row {k}", "1,234.56"
    doc.add_paragraph("{{ note }}")
    doc.save(str(path))


def test_a_short_table_keeps_with_the_note_after_it_in_libreoffice(tmp_path):
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    rendered = []
    for rows in ROWS:
        for fillers in FILLERS:
            source, out = tmp_path / f"t{rows}-{fillers}.docx", tmp_path / f"r{rows}-{fillers}.docx"
            _template(source, fillers, rows)
            out.write_bytes(get_renderer().render(source, {"note": "Closing note of the table."},
                                                  templates_dir=TEMPLATES, as_of=date(2026, 11, 28)))
            rendered.append((rows, fillers, out))
    subprocess.run([soffice, f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}", "--headless", "--convert-to",
                    "pdf", "--outdir", str(tmp_path / "pdf"), *(str(p) for _, _, p in rendered)],
                   capture_output=True, check=True, timeout=600)
    split, two_pages = [], 0
    for rows, fillers, path in rendered:
        pages = proofread.pdf_pages(tmp_path / "pdf" / (path.stem + ".pdf"))
        two_pages += len(pages) > 1
        closing = next(p for p in pages if "Closing note" in p)
        if f"Table row {rows}" not in closing:
            split.append((rows, fillers, len(pages)))
    assert two_pages, "no document reached a second page: the range of fillers misses the page break"
    assert not split


def _headed_template(path: Path, fillers: int) -> None:
    """Fillers, a heading, a paragraph leading into a four-row table (a reconciliation), a note."""
    doc = Document()
    for k in range(fillers):
        doc.add_paragraph(f"Filler paragraph {k + 1}")
    doc.add_paragraph("Heading of the section").paragraph_format.keep_with_next = True
    doc.add_paragraph("Lead-in paragraph to the table. " * 8)
    table = doc.add_table(rows=4, cols=2)
    for k, row in enumerate(table.rows, start=1):
        row.cells[0].text, row.cells[1].text = f"Table row {k}", "1,234.56"
    doc.add_paragraph("{{ note }}")
    doc.save(str(path))


def test_a_heading_its_lead_in_and_a_short_table_stay_on_one_page_in_libreoffice(tmp_path):
    """The CN claim statement's heading 三、利率上限检验及调减 stood at the foot of page 1 with two lines
    of its lead-in, and the breach notice's reconciliation table split across pages 2 and 3
    (review CN-00060): the paragraph leading into a table keeps with it, whole when short, and a
    table of a header and five rows at most keeps all its rows together."""
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    rendered = []
    for fillers in range(30, 50):
        source, out = tmp_path / f"h{fillers}.docx", tmp_path / f"hr{fillers}.docx"
        _headed_template(source, fillers)
        out.write_bytes(get_renderer().render(source, {"note": "Closing note of the table."},
                                              templates_dir=TEMPLATES, as_of=date(2026, 11, 28)))
        rendered.append((fillers, out))
    subprocess.run([soffice, f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}", "--headless", "--convert-to",
                    "pdf", "--outdir", str(tmp_path / "pdf"), *(str(p) for _, p in rendered)],
                   capture_output=True, check=True, timeout=600)
    apart, two_pages = [], 0
    for fillers, path in rendered:
        pages = proofread.pdf_pages(tmp_path / "pdf" / (path.stem + ".pdf"))
        two_pages += len(pages) > 1
        page = " ".join(next(p for p in pages if "Heading of the section" in p).split())
        if not all(f"Table row {k}" in page for k in range(1, 5)) or page.count("Lead-in paragraph") < 8:
            apart.append((fillers, len(pages)))
    assert two_pages, "no document reached a second page: the range of fillers misses the page break"
    assert not apart


@pytest.mark.parametrize("rows", [3, 9])
def test_a_table_s_last_row_does_not_keep_with_a_heading_after_it(tmp_path, rows):
    """A heading after a table goes with what it heads: kept with the table's last row too, the
    chain (a short table's rows, the next heading, its lead-in, the next table's first rows) was
    longer than the room left on page 1 of the US claim statement (US-00011, US-00013), which
    LibreOffice then left holding its first paragraph alone. The rows keep together as before."""
    source = tmp_path / "t.docx"
    doc = Document()
    for heading in (True, False):
        table = doc.add_table(rows=rows, cols=2)
        for k, row in enumerate(table.rows, start=1):
            row.cells[0].text, row.cells[1].text = f"Row {k}", "1,234.56"
        after = doc.add_paragraph("2. The next heading" if heading else "{{ note }}")
        after.paragraph_format.keep_with_next = heading or None
    doc.save(str(source))
    out = Document(BytesIO(get_renderer().render(source, {"note": "Closing note."}, templates_dir=TEMPLATES,
                                                 as_of=date(2026, 11, 28))))
    kept = [[bool(row.cells[0].paragraphs[0].paragraph_format.keep_with_next) for row in t.rows] for t in out.tables]
    inside = rows - 1 if rows <= 6 else 1  # a short table's rows all together, a long one's last two
    assert kept[0] == [False] * (rows - 1 - inside) + [True] * inside + [False]  # before a heading
    assert kept[1] == [False] * (rows - 1 - inside) + [True] * (inside + 1)  # before its closing note
