"""The English letterhead's second line (address | Tel. | web | e-mail) ends its lines between
items: no line begins or ends with the separator, in the PDF or in the DOCX as LibreOffice lays it
out. Left to the engines, LibreOffice began a wrapped line with "·" and the PDF ended one with it
(service/documents/lines.py). The separator is an English one, a vertical bar: the middle dot is
Chinese usage."""

import subprocess

import pytest

from service.documents.lines import SEPARATOR, split_lines
from service.documents.registry import get_kind
from service.documents.render import render
from tests.documents.conftest import TEMPLATES, Variant, libreoffice_pdfs_of

LONG = {"website": "www.lakeside-consumer-credit.example.com",
        "email": "customer-accounts@lakeside-consumer-credit.example.com"}
# (the validation notice has none: Model Form B-1 opens with the collector's and the consumer's addresses)
LETTERS = [("overdue_reminder", "US", {}), ("breach_notice", "US", {}), ("overdue_reminder", "CN", {}),
           ("repayment_agreement", "US", LONG), ("repayment_agreement", "US", {"website": None, "email": None})]


@pytest.mark.parametrize(("width", "lines"), [
    (100, [["aaaa", "bbbb", "cccc", "dddd"]]),
    (12, [["aaaa", "bbbb"], ["cccc", "dddd"]]),  # the fewest lines, then the narrowest widest line
    (8, [["aaaa"], ["bbbb"], ["cccc"], ["dddd"]]),
    (2, [["aaaa"], ["bbbb"], ["cccc"], ["dddd"]]),  # an item wider than a line stands alone
])
def test_items_go_on_the_fewest_even_lines(width, lines):
    assert split_lines(["aaaa", "bbbb", "", "cccc", "dddd"], width, len) == lines


def test_three_items_split_where_the_lines_are_most_even():
    assert split_lines(["a" * 30, "b" * 5, "c" * 20], 40, len) == [["a" * 30], ["b" * 5, "c" * 20]]
    assert SEPARATOR.strip() == "·"
    # the lines are measured with the separator the template joins them with
    assert split_lines(["aa", "bb"], 5, len, "|") == [["aa", "bb"]]
    assert split_lines(["aa", "bb"], 5, len, " | ") == [["aa"], ["bb"]]


def _letterhead(pdf, name: str) -> list[str]:
    """The lines from the lender's name to the first line after the letterhead's rule (the title)."""
    text = subprocess.run(["pdftotext", "-layout", "-l", "1", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    start = next(i for i, line in enumerate(lines) if line.startswith(name))
    return lines[start + 1:start + 5]


def test_no_letterhead_line_begins_or_ends_with_a_separator(tmp_path):
    docs = []
    for n, (kind, profile, lender) in enumerate(LETTERS):
        ctx = Variant(get_kind(kind), profile, "en-US").sample()
        ctx = ctx.model_copy(update={"lender": ctx.lender.model_copy(update=lender)})
        name = ctx.lender.name_en if profile == "CN" else ctx.lender.name
        for fmt in ("pdf", "docx"):
            path = tmp_path / f"{n}-{kind}.{fmt}"
            path.write_bytes(render(ctx, fmt, templates_dir=TEMPLATES).data)
            docs.append((path, name, ctx.lender))
    converted = libreoffice_pdfs_of([p for p, _, _ in docs if p.suffix == ".docx"], tmp_path / "lo", tmp_path / "pr")
    for path, name, lender in docs:
        lines = _letterhead(converted.get(path, path), name)
        head = " ".join(lines[:3])
        assert lender.hotline in head, (path.name, lines)
        assert not [line for line in lines if line.startswith(("·", "|")) or line.endswith(("·", "|"))], \
            (path.name, lines)
        assert "·" not in head and " | " in head, (path.name, lines)
        if lender.email:
            assert lender.email in head.replace(" ", ""), (path.name, lines)


@pytest.mark.parametrize(("kind", "defendant", "item"), [
    ("evidence_index", "Linda Chen", "Circuit Court of Cook County, Illinois"),  # was "… Cook | County"
    ("claim_statement", "Maria Guadalupe Hernandez-Villanueva", "as of November 28, 2026"),  # was "… · as | of …"
])
def test_a_captions_lines_end_between_its_items(tmp_path, kind, defendant, item):
    """The caption under a US court paper's title (parties · court, parties · as-of date): each
    item whole on a line, no line beginning or ending with the separator."""
    ctx = Variant(get_kind(kind), "US", "en-US").sample()
    ctx = ctx.model_copy(update={"defendant": ctx.defendant.model_copy(update={"name": defendant})})
    paths = []
    for fmt in ("pdf", "docx"):
        paths.append(tmp_path / f"{kind}.{fmt}")
        paths[-1].write_bytes(render(ctx, fmt, templates_dir=TEMPLATES).data)
    paths[1] = libreoffice_pdfs_of([paths[1]], tmp_path / "lo", tmp_path / "pr")[paths[1]]
    for path in paths:
        text = subprocess.run(["pdftotext", "-layout", "-l", "1", str(path), "-"], capture_output=True, text=True,
                              check=True).stdout
        lines = [line.strip() for line in text.splitlines() if line.strip()][1:4]
        assert [line for line in lines if item in line], (path, lines)
        assert not [line for line in lines if line.startswith("·") or line.endswith("·")], (path, lines)
