"""Where a document's pages break, checked as a reader checks it (issue 10 (3/6) item 2): a heading
stays with what follows it, and a paragraph that leads into a table stays whole with the table.

What a heading or a lead-in is comes from the document's HTML (the one source of both the PDF and
the DOCX templates: tools/make_docx_templates.py): h1-h3, a table's group or section row (one cell
across the table: td.label, td.section) and the paragraph right before a data table (base.css
``p:has(+ table.data)``). Where the pages break comes from the text poppler extracts page by page
(proofread.pdf_pages), of the PDF or of the DOCX as LibreOffice lays it out.
"""

import re

from lxml import html as lxml_html

from service.demo.proofread import SPACE, body_lines

_HEADINGS = ("//h1 | //h2 | //h3 | //tr[count(td) = 1][td[@colspan]]"
             "[td[contains(concat(' ', normalize-space(@class), ' '), ' label ')"
             " or contains(concat(' ', normalize-space(@class), ' '), ' section ')]]")
_LEAD_INS = "//p[following-sibling::*[1][self::table[contains(concat(' ', normalize-space(@class), ' '), ' data ')]]]"
_TAIL_LINES = 3  # a heading wraps onto three lines at most
_ENDS = 12  # characters of its beginning and its end a lead-in is found by
_HTML_SPACE = re.compile("[ \t\n\r\f]+")  # what HTML collapses: not the ideographic space between fields
_FIELD_GAP = re.compile("\u3000+")


def _squashed(text: str) -> str:
    return SPACE.sub("", text).replace("\u2060", "")


def headings(markup: str) -> list[str]:
    """The text of every heading of a document's HTML, each once, in order."""
    found = (" ".join(e.text_content().split()) for e in lxml_html.fromstring(markup).xpath(_HEADINGS))
    return list(dict.fromkeys(text for text in found if text))


def lead_ins(markup: str) -> list[str]:
    """The text of every paragraph that leads into a data table."""
    found = (_HTML_SPACE.sub(" ", e.text_content()).strip() for e in lxml_html.fromstring(markup).xpath(_LEAD_INS))
    return list(dict.fromkeys(text for text in found if text))


def headings_at_page_foot(pages: list[str], heads: list[str]) -> list[tuple[int, str]]:
    """(page, heading) for each page before the last whose last lines are a heading, whole: what
    it heads begins on the next page."""
    wanted = {_squashed(h): h for h in heads}
    found = []
    for n, page in enumerate(pages[:-1], start=1):
        lines = [_squashed(line) for line in body_lines(page)]
        for k in range(1, min(_TAIL_LINES, len(lines)) + 1):
            if (tail := "".join(lines[-k:])) in wanted:
                found.append((n, wanted[tail]))
                break
    return found


def split_lead_ins(pages: list[str], leads: list[str]) -> list[str]:
    """The lead-ins not on one page, or on one but ending a page before the last: the table they
    introduce begins on the next page. A lead-in is found by its first and last characters, those
    of its first and last field in a row of fields ("案由：…　　受诉法院：…"), which poppler reads
    in another order, with the lines of the row beside it between them."""
    squashed = [_squashed("".join(body_lines(page))) for page in pages]
    found = []
    for lead in leads:
        fields = _FIELD_GAP.split(lead)
        head, tail = _squashed(fields[0])[:_ENDS], _squashed(fields[-1])[-_ENDS:]
        on = [n for n, page in enumerate(squashed) if head in page and tail in page[page.index(head):]]
        if not on or all(squashed[n].endswith(tail) and n < len(pages) - 1 for n in on):
            found.append(lead)
    return found
