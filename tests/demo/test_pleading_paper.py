"""California's court papers on pleading paper (Cal. Rules of Court 2.104, 2.107-2.111; the state
table's US-25 `pleading_paper`), read off the files as a clerk reads the paper: on every page 28
line numbers at the left margin beside the lines of type, the type no smaller than 12 points, the
page number and under it the paper's title in the footer; the court's title on line 8 of the first
page, in a packet too. Another state's papers stay on plain paper.
The DOCX is checked as LibreOffice lays it out: the numbers 1 to 28 on every page from a frame in
its header, the lines of type beside them, the title in its footer, its caption inside the margins.
"""

import itertools
import re
import subprocess
import zipfile
from collections import defaultdict
from pathlib import Path

import pytest
from lxml import etree

from service.documents.docx import LATIN_SANS, LATIN_SERIF
from service.documents.render import render
from tests.demo.test_us_pleadings import ANCHOR, by_state  # noqa: F401  (the court sets fixture)
from tests.documents.conftest import TEMPLATES, libreoffice_pdfs_of
from tests.documents.legal_cases import context
from tests.documents.test_fonts_latin import assert_latin_in_liberation, docx_runs, pdf_widths

KINDS = {"debt_claim_petition": "COMPLAINT", "affidavit_of_debt": "DECLARATION RE ACCOUNT"}
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
LINE_PT = 24.0  # legal.css @page pleading: 28 lines from one inch below the top


def _words(pdf: Path) -> dict[int, list[tuple[float, float, float, str]]]:
    """Each page's words as (x, y top, height, text), from poppler's bounding boxes."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    pages: dict[int, list[tuple[float, float, float, str]]] = defaultdict(list)
    for number, page in enumerate(out.split("<page ")[1:], start=1):
        for x0, y0, y1, text in re.findall(
                r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>', page):
            pages[number].append((float(x0), float(y0), float(y1) - float(y0), text))
    return pages


def line_top(line: int, tops: list[float]) -> float:
    """Where the page's numbered `line` starts (its number's top)."""
    return tops[line - 1] - 1


def _numbers(words: list[tuple[float, float, float, str]], *, left_of: float) -> list[int]:
    return [int(t) for x, _, _, t in sorted(words, key=lambda w: w[1]) if x < left_of and t.isdigit()]


@pytest.mark.parametrize("kind", list(KINDS))
def test_california_papers_are_on_pleading_paper(by_state, db, tmp_path, kind):  # noqa: F811
    ctx = context(db, by_state["CA"].case.ref, kind, day=ANCHOR)
    assert ctx.papers.pleading_paper  # type: ignore[attr-defined]
    pdf = tmp_path / f"{kind}.pdf"
    pdf.write_bytes(render(ctx, "pdf", templates_dir=TEMPLATES).data)
    pages = _words(pdf)
    assert len(pages) >= 2
    attachment = False  # Attachment A's pages: tables, whose rows are off the grid
    for number, words in pages.items():
        attachment = attachment or any(t == "Attachment" for _, _, _, t in words)
        # 2.108(4): the lines numbered from 1 on each page, three to the vertical inch, at the left
        # margin (the text starts at 1.5 inches)
        numbers = [(y, int(t)) for x, y, _, t in words if x < 100 and t.isdigit()]
        assert [n for _, n in sorted(numbers)] == list(range(1, 29)), (kind, number)
        tops = [y for y, _ in sorted(numbers)]
        assert all(abs(b - a - LINE_PT) < 0.1 for a, b in itertools.pairwise(tops)), (kind, number)
        # the lines of type stand beside the numbers (double-spaced on their grid) in 12-point type
        # (2.104: a 17.2pt box), an attachment's tables too, their rows one and a half spaced and off
        # the grid
        body = [(y, h) for x, y, h, _ in words if x >= 108 and y <= tops[-1] + 1]
        on_grid = [h for y, h in body if any(abs(y - top) < 0.5 for top in tops)]
        assert (on_grid or attachment) and all(h >= 16.9 for _, h in body), (kind, number)
        # the signer's particulars under a signature line are single-spaced, as the attorney's block
        # (2.111(1)): off the grid, and not counted
        signed = [y for x, y, _, t in words if x >= 108 and set(t) == {"_"} and len(t) > 20]
        text = [(y, h) for y, h in body if not any(y > line for line in signed)]
        if number > 1 and not attachment:  # page 1: the attorney, the caption
            assert len([1 for y, _ in text if any(abs(y - top) < 0.5 for top in tops)]) >= 0.8 * len(text), \
                (kind, number)
        # 2.110: the page number, then the paper's title, in the bottom margin
        footer = " ".join(t for _, y, _, t in sorted(words, key=lambda w: (w[1], w[0])) if y > 792 - 52)
        assert footer == f"{number} {KINDS[kind]}", (kind, number, footer)
    # 2.111(3): the court's title on line 8, at or below 3 1/3 inches from the top of the first page
    first = sorted(pages[1], key=lambda w: (w[1], w[0]))
    court = next(y for x, y, _, t in first if t == "IN" and x >= 108)
    line_8 = next(y for x, y, _, t in first if x < 100 and t == "8")
    assert abs(court - line_8) < 1 and court >= 240 - 6
    # no page but the last leaves its foot blank where nothing requires it: the complaint's prayer
    # breaks with its last lines going on with the signature (review US-00011: page 4 stopped at
    # line 15, the prayer and signature moved whole); the declaration's statement of account keeps
    # its summary table whole on a page of its own only when it cannot split two rows each side
    for number, words in list(pages.items())[:-1]:
        if kind == "debt_claim_petition":
            text = [y for x, y, _, t in words if x >= 108 and y <= 792 - 52]
            assert max(text) >= line_top(20, sorted(y for x, y, _, t in words if x < 100 and t.isdigit())), \
                (kind, number)
    if kind == "debt_claim_petition":
        # counsel signs in four lines of the grid (the particulars are the attorney block's), never
        # alone on a page: the prayer's last words stand above the signature on its page (review
        # US-00011: the signer's seven lines took the prayer's last two over and left six blank)
        [(page, signed_at)] = [(n, y) for n, words in pages.items() for x, y, _, t in words if t == "Respectfully"]
        assert any(t == "costs." and y < signed_at for x, y, _, t in pages[page]), page
        tops = sorted(y for x, y, _, t in pages[page] if x < 100 and t.isdigit())
        below: list[float] = []  # the block's lines: the date, the signature line, the name, the party
        for y in sorted(y for x, y, _, t in pages[page] if x >= 108 and signed_at - 1 < y < signed_at + 80):
            below += [y] if not below or y - below[-1] > 3 else []
        assert len(below) == 4 and all(any(abs(y - top) < 1.5 for top in tops) for y in below), below
    # a page bound into a packet keeps the paper's own footer (2.110: the filed copy is the packet's;
    # reader US-00011), which stays clear of the packet's labels in the bottom corners
    bound = tmp_path / f"{kind}.bound.pdf"
    bound.write_bytes(render(ctx, "pdf", templates_dir=TEMPLATES, bound=True).data)
    for number, words in _words(bound).items():
        footer = [(x, t) for x, y, _, t in sorted(words, key=lambda w: (w[1], w[0])) if y > 792 - 52]
        assert " ".join(t for _, t in footer) == f"{number} {KINDS[kind]}", (kind, number, footer)
        assert all(150 < x < 612 - 150 for x, _ in footer), footer  # centred: the corners are the packet's


def test_other_states_papers_stay_on_plain_paper(by_state, db, tmp_path):  # noqa: F811
    for state in ("NY", "TX", "IL"):
        ctx = context(db, by_state[state].case.ref, "debt_claim_petition", day=ANCHOR)
        assert not ctx.papers.pleading_paper, state  # type: ignore[attr-defined]
        pdf = tmp_path / f"{state}.pdf"
        pdf.write_bytes(render(ctx, "pdf", templates_dir=TEMPLATES).data)
        for words in _words(pdf).values():
            assert len(_numbers(words, left_of=60)) == 0, state


def assert_numbered_in_the_header(body: etree._Element, headers: dict[str, etree._Element]) -> None:
    """The DOCX's line numbers are the header's (2.108(4)): in every section the header of each kind
    of page holds the numbers 1 to 28 in a frame anchored to the page, one to a line of exactly the
    grid's pitch from one inch below the top, and Word's line numbering (w:lnNumType) is not used."""
    assert not list(body.iter(f"{W}lnNumType"))
    sections = list(body.iter(f"{W}sectPr"))
    assert sections
    for section in sections:
        references = {r.get(f"{W}type"): r.get(R + "id") for r in section.findall(f"{W}headerReference")}
        assert set(references) == {"default", "first", "even"}, references
        for kind, rid in references.items():
            frames = [p for p in headers[rid].iter(f"{W}p") if p.find(f"{W}pPr/{W}framePr") is not None]
            assert len(frames) == 1, kind
            frame = frames[0].find(f"{W}pPr/{W}framePr")
            assert (frame.get(f"{W}vAnchor"), frame.get(f"{W}hAnchor"), frame.get(f"{W}y")) == ("page", "page", "1440")
            spacing = frames[0].find(f"{W}pPr/{W}spacing")
            assert (spacing.get(f"{W}line"), spacing.get(f"{W}lineRule")) == (str(int(LINE_PT * 20)), "exact")
            texts = [t.text for t in frames[0].iter(f"{W}t")]
            assert texts == [str(n) for n in range(1, 29)] and len(list(frames[0].iter(f"{W}br"))) == 27, kind


def test_the_docx_is_on_pleading_paper_in_libreoffice(by_state, db, tmp_path):  # noqa: F811
    paths = []
    for kind in KINDS:
        ctx = context(db, by_state["CA"].case.ref, kind, day=ANCHOR)
        path = tmp_path / f"{kind}.docx"
        path.write_bytes(render(ctx, "docx", templates_dir=TEMPLATES).data)
        paths.append(path)
        # 2.104: every run of text in 12-point type or larger, the tables' as the PDF sets them (an
        # attachment's statement of account came out in 8.5 points, the body's runs in the style's 10.5)
        with zipfile.ZipFile(path) as archive:
            body = etree.fromstring(archive.read("word/document.xml"))
            rels = etree.fromstring(archive.read("word/_rels/document.xml.rels"))
            headers = {r.get("Id"): etree.fromstring(archive.read(f"word/{r.get('Target')}")) for r in rels
                       if r.get("Type", "").endswith("/header")}
        assert_numbered_in_the_header(body, headers)
        sizes = [int(r.find(f"{W}rPr/{W}sz").get(f"{W}val")) if r.find(f"{W}rPr/{W}sz") is not None else 0
                 for r in body.iter(f"{W}r") if "".join(t.text or "" for t in r.iter(f"{W}t")).strip()]
        assert sizes and min(sizes) >= 24, (kind, sorted(set(sizes)))
        # 2.105: a face essentially equivalent to Times New Roman or Arial: Liberation Serif and Sans,
        # their metric twins, for every Latin letter (docx_runs: the run's fonts over the style's)
        faces = {r.fonts["ascii"] for r in docx_runs(path.read_bytes()) if re.search("[A-Za-z0-9]", r.text)}
        assert faces == {LATIN_SERIF, LATIN_SANS}, (kind, faces)
    converted = libreoffice_pdfs_of(paths, tmp_path / "lo", tmp_path / "profile")
    first_tops: dict[str, list[float]] = {}
    for path in paths:
        title = KINDS[path.stem]
        assert_latin_in_liberation(pdf_widths(converted[path].read_bytes()))
        pages = _words(converted[path])
        # 28 lines to the page, as the PDF's (the footer once reached above the bottom margin and
        # took a line: 27), and no last page holding only a line number and the footer (review
        # US-00011: the complaint's page 6 of 6); the complaint takes no more pages than its PDF
        # (fewer can be: the DOCX sets Latin text in Liberation, narrower than the PDF's Noto letters)
        assert max(max(_numbers(w, left_of=100), default=0) for w in pages.values()) == 28, path.stem
        last = pages[len(pages)]
        bottom = max(y for _, y, _, _ in last)
        assert [t for x, y, _, t in last if x >= 100 and y < bottom - 20 and not t.isdigit()], path.stem
        if path.stem == "debt_claim_petition":
            ctx = context(db, by_state["CA"].case.ref, path.stem, day=ANCHOR)
            assert len(pages) <= render(ctx, "pdf", templates_dir=TEMPLATES).pages, path.stem
        attachment = False  # Attachment A's pages: tables, whose rows are off the grid
        for number, words in pages.items():
            attachment = attachment or any(t == "Attachment" for _, _, _, t in words)
            # the header's numbers, 1 to 28 on every page a line of the grid apart, from the first
            # line one inch below the top (Word's own line numbering skipped the caption and the
            # signature blocks and left pages numbered 1-21)
            numbers = sorted((y, int(t)) for x, y, _, t in words if x < 100 and t.isdigit())
            assert [n for _, n in numbers] == list(range(1, 29)), (path.stem, number, numbers)
            tops = [y for y, _ in numbers]
            assert all(abs(b - a - LINE_PT) < 0.2 for a, b in itertools.pairwise(tops)), (path.stem, number)
            first = first_tops.setdefault(path.stem, tops)  # at the same place on every page
            assert all(abs(a - b) < 0.2 for a, b in zip(tops, first, strict=True)), (path.stem, number)
            # the body's lines of type stand beside them: the double-spaced paragraphs and the
            # caption's and signature blocks' rows, rounded up to whole lines of the grid (the
            # signer's particulars, single-spaced, two to a line: LibreOffice sets a line of 12-point
            # type exactly 12 points high some 2.4 points lower in it than a line of 24)
            body = [y for x, y, _, t in words if x >= 100 and y < tops[-1] + LINE_PT / 2]
            beside = [y for y in body if any(-1 < y - top < 3 or abs(y - top - LINE_PT / 2) < 3 for top in tops)]
            if not attachment:
                assert len(beside) >= 0.95 * len(body), (path.stem, number, sorted(set(body) - set(beside)))
            last = max(y for _, y, _, _ in words)  # the footer's two lines close the page
            footer = " ".join(t for x, y, _, t in sorted(words, key=lambda w: (w[1], w[0]))
                              if y > last - 20 and x > 100)
            assert footer.endswith(title) and footer.startswith("Page"), (path.stem, number, footer)
            # nothing is set left of the rule between the numbers and the text but the numbers
            assert all(x >= 100 for x, _, _, t in words if not t.isdigit()), (path.stem, number)
        first = sorted(pages[1], key=lambda w: (w[1], w[0]))
        court = next(y for x, y, _, t in first if t == "IN" and x >= 100)
        assert [t for x, y, _, t in first if x < 100 and abs(y - court) < 3] == ["8"], path.stem
