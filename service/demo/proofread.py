"""What a careful reader checks on every rendered document, done by machine on its text.

Used by the catalogue tests (tests/documents/test_catalogue.py) and by `make samples`, which
lists what it finds in index.txt. Every check reads the text poppler extracts from the PDF (the
PDF itself, or the DOCX as LibreOffice lays it out), page by page.

- a page that begins with a signature or seal block: the block was pushed away from the last
  paragraph it belongs to; a page before the last left half empty (half_empty_pages);
- a token (amount, date, ID, phone, contract or transaction number, the name of an organisation
  the document names — lender, law firm, court — with or without its seal marker) broken across
  two lines: the tokens are the context's own values, formatted as the templates format them; and
  a reference of the text broken: an article (第六百六十七条, 《民法典》第六百七十六条), a legal
  citation (15 U.S.C. § 1692g, 12 CFR 1006.38(b)) or a web address;
- Chinese in an English document outside the names and addresses it must show as they are;
- British spellings in an English document (en-US: "installment", "organization", "totaling"),
  a name's own final period doubled by the sentence's ("Co., Ltd..") and a date written the ISO
  way (2026-01-26) where US documents write "January 26, 2026".
"""

import re
import subprocess
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from itertools import pairwise
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from service.documents.format import date_cn, date_en, money, usd
from service.documents.typography import (
    ARTICLE,
    CITED,
    LAW_ARTICLE,
    MAX_CITATION,
    MAX_TOKEN,
    kept_names,
    name_pieces,
)

FOOTER = re.compile(r"^\s*(第\s*\d+\s*页\s*/\s*共\s*\d+\s*页|Page \d+ of \d+|[A-Z]{2,12}-\d{4,8}|\d{1,4})\s*$")
# The first line of a signature, seal or date block (CN and US documents).
SIGNATURE = re.compile(
    r"（盖章）|（签字）|（签名|（签章）|（印章区）|盖章：|签字：|签名：|\(seal\)|\(seal area\)|^Sincerely,|"
    r"^By:|^Signature|^Signed|^_{6,}|^＿{4,}|具状人|申请人（签|委托人（签|受托人（签|^日期：|^Date:|"
    r"^\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$|^[A-Z][a-z]+ \d{1,2}, \d{4}$")
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]+")
TOKEN = re.compile(r"^(?=.*\d)[A-Za-z0-9][A-Za-z0-9\-_/*]{4,}$")
PHONE = re.compile(r"^[\d\- ()+]{7,}$")
SPACE = re.compile(r"\s+")


# Pleading paper's line numbers (templates/assets/legal.css @page pleading; the DOCX's line
# numbering) stand left of x = 100pt, the text from 108pt, and its footer (the page number and the
# paper's title) below 742pt: poppler reads the numbers into the text between the lines of a
# paragraph and the footer between its pages, so a reader of the text leaves both out.
_PLEADING_COLUMN_PT, _PLEADING_TEXT_BOTTOM_PT = 100, 742
_NUMBER_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="[\d.]+">(\d{1,2})</word>')
_LINE_PITCH_PT = 24  # the pleading grid's (legal.css; the DOCX's exact line spacing)


def text_area(path: Path) -> list[str]:
    """pdftotext's arguments that leave out a pleading paper's column of line numbers and its
    footer, or none. Pleading paper: its first page numbers its first lines 1, 2, 3, 4, 5 left of
    the text, 24pt apart (a schedule's "No." column counts too, but not on that pitch)."""
    first = subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-bbox", str(path), "-"], capture_output=True,
                           text=True, check=True).stdout
    numbers = sorted((float(y), int(n)) for x, y, n in _NUMBER_WORD.findall(first) if float(x) < _PLEADING_COLUMN_PT)
    head = numbers[:5]
    if [n for _, n in head] != [1, 2, 3, 4, 5] or \
            any(abs(b[0] - a[0] - _LINE_PITCH_PT) > 0.6 for a, b in pairwise(head)):
        return []
    return ["-x", str(_PLEADING_COLUMN_PT), "-y", "0", "-W", "10000", "-H", str(_PLEADING_TEXT_BOTTOM_PT)]


def pdf_pages(path: Path, *, layout: bool = False) -> list[str]:
    """The text of each page (poppler's reading order; with `layout`, each line as it is set, its
    gaps as runs of spaces), without a pleading paper's line numbers (text_area)."""
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", *(["-layout"] if layout else []), *text_area(path),
                          str(path), "-"], capture_output=True, text=True, check=True).stdout
    out = out.replace("\u2060", "")  # word joiners (service/documents/typography.py) are not text
    return out.split("\f")[:-1] if "\f" in out else [out]


def body_lines(page: str) -> list[str]:
    return [line.strip() for line in page.splitlines() if line.strip() and not FOOTER.match(line)]


# Where a closing block begins: a closing formula (特此函告, 此致) or the first line of the
# signature itself (a name with its seal or signature marker, "Sincerely,", "By:"). Not a bare date:
# a table continued on a page has dates on lines of their own.
CLOSING = re.compile(
    r"^(特此函告|特此通知|特此告知|此致)|（盖章）|（签字）|（签名|（签章）|盖章：|签字：|签名：|\(seal\)|^Sincerely,|"
    r"^Respectfully|^Submitted by|^By:|^Signature|^Signed|具状人|申请人（签|委托人（签|受托人（签|^制表：")
MIN_LINES_ABOVE = 3  # lines of text a page after the first holds above its signature block
# A closing note (说明：…, Note: …) is part of the closing block: a page that begins with it and holds
# nothing but it, a line or two after it and the signature is a lone signature page.
NOTE = re.compile(r"^(说明|注|备注|附注)[：:]|^Notes?:")


def orphan_signature_pages(pages: list[str], min_above: int = MIN_LINES_ABOVE) -> list[int]:
    """Pages (1-based) after the first whose signature, seal or date block is (nearly) alone: the
    page begins with it, or fewer than `min_above` lines of text stand above it, or only a closing
    note (NOTE) and what follows it."""
    found = []
    for n, page in enumerate(pages[1:], start=2):
        lines = body_lines(page)
        if not lines:
            continue
        above = next((i for i, line in enumerate(lines) if CLOSING.search(line)), None)
        if SIGNATURE.search(lines[0]) or (above is not None and (above < min_above or NOTE.search(lines[0]))):
            found.append(n)
    return found


# A seal marker: one to a seal (the litigators' review, issue 10: "（盖章）" above "（印章区）" asked
# for two seals where the signer has one).
SEAL_MARK = re.compile(r"（[^（）]*盖章[^（）]*）|（印章区）|\((?:seal|seal area)\)")


def double_seals(pages: list[str]) -> list[str]:
    """The lines marking one signer's seal twice: two markers on one line ("受送达人（签名、盖章）：
    某公司（盖章）"), or a line with one followed by a line that is a marker alone."""
    found = []
    for page in pages:
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        for line, after in zip(lines, [*lines[1:], ""], strict=True):
            if len(SEAL_MARK.findall(line)) > 1 or (SEAL_MARK.search(line) and SEAL_MARK.fullmatch(after)):
                found.append(f"{line} / {after}" if SEAL_MARK.fullmatch(after) else line)
    return found


# The text area of an A4 page in points (base.css @page margins: 18 mm top, 20 mm bottom; the DOCX's
# are the same): the footer below it does not count.
_PAGE_TOP, _PAGE_BOTTOM = 18 / 25.4 * 72, 20 / 25.4 * 72
_WORD_BOX = re.compile(r'<word xMin="[^"]+" yMin="[^"]+" xMax="[^"]+" yMax="([\d.]+)">')
_PAGE_BOX = re.compile(r'<page width="[\d.]+" height="([\d.]+)">(.*?)</page>', re.S)
MIN_FILL = 0.6  # of a page's text area a page before the last fills


def page_fills(path: Path) -> list[float]:
    """How far down its text area each page's text reaches (0 to 1), from the words' boxes."""
    out = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True).stdout
    fills = []
    for height, words in _PAGE_BOX.findall(out):
        bottom = float(height) - _PAGE_BOTTOM
        ys = [y for y in map(float, _WORD_BOX.findall(words)) if y <= bottom]
        fills.append(round((max(ys) - _PAGE_TOP) / (bottom - _PAGE_TOP), 2) if ys else 0.0)
    return fills


def half_empty_pages(fills: list[float], min_fill: float = MIN_FILL) -> list[int]:
    """Pages (1-based) before the last whose text ends above `min_fill` of the text area: what
    follows was kept together too aggressively (a list chained to its closing block, a short table
    moving whole with a long lead-in) or a page break was forced."""
    return [n for n, fill in enumerate(fills[:-1], start=1) if fill < min_fill]


def split_tokens(pages: list[str], tokens: set[str]) -> list[str]:
    """Tokens that occur broken across lines on some page (whitespace inside a line is ignored)."""
    broken = []
    for page in pages:
        lines = [SPACE.sub("", line) for line in page.splitlines()]
        joined = "".join(lines)
        for token in tokens:
            t = SPACE.sub("", token)
            if len(t) >= 4 and joined.count(t) > sum(line.count(t) for line in lines):
                broken.append(token)
    return sorted(set(broken))


_BOX_AT_END = re.compile(r"[☐☑☒]\s*$")


def split_checkboxes(pages: list[str]) -> list[str]:
    """Lines that end with a form's checkbox: its label went on to the next line ("…送达） ☐" |
    "解除合同 ☐否", issue 10 §2); the renderer keeps a box with its label (typography.CHECKBOX)."""
    return [line.strip() for page in pages for line in page.splitlines() if _BOX_AT_END.search(line)]


# A field's label ending a line after a gap (layout text): in a row of fields ("客服热线：400-820-1234
# 网址：" | "www.…", "受诉法院：…　　借款合同编号：" | "QHXD-…") its value went to the next line.
_LABEL_AT_END = re.compile(r"\S\s{2,}([\u4e00-\u9fff]{2,8}：)\s*$")
# A list number with a justified line's slack after it (layout text): "3.      本表所涉内容…".
_STRETCHED_NUMBER = re.compile(
    r"^\s*((?:\d{1,2}\.|[一二三四五六七八九十]{1,3}、|（[一二三四五六七八九十\d]{1,3}）))\s{3,}[\u4e00-\u9fff]")


def split_fields(layout_pages: list[str]) -> list[str]:
    """Field labels a line break cut from their values, in rows of fields (pdf_pages(layout=True)):
    the label ends a line, the next line begins with a number or an address (not a blank field of
    a signature block, "日期：" left for the hand)."""
    found = set()
    for page in layout_pages:
        lines = [line for line in page.splitlines() if line.strip()]
        for line, after in pairwise(lines):
            if (m := _LABEL_AT_END.search(line)) and re.match(r"[A-Za-z0-9]", after.strip()):
                found.add(m.group(1))
    return sorted(found)


def stretched_numbers(layout_pages: list[str]) -> list[str]:
    """Lines whose list number is followed by a wide gap (pdf_pages(layout=True)): a justified
    line's slack went into the one space after the number."""
    return [line.strip() for page in layout_pages for line in page.splitlines() if _STRETCHED_NUMBER.match(line)]


_HEX_LINE = re.compile(r"^[0-9a-f]{4,64}$")
HASH_GROUP = 16  # a SHA-256 is printed in groups of 16 hex digits (templates/legal/_partials/hash.html)


def split_hashes(pages: list[str]) -> list[str]:
    """SHA-256 values (64 hex digits) set over several lines anywhere but between groups of 16: a
    line break the renderer chose inside a group ("b91a534" | "e98af81c…")."""
    found = []
    for page in pages:
        run: list[str] = []
        for line in [*body_lines(page), ""]:
            if _HEX_LINE.match(line):
                run.append(line)
                continue
            whole = "".join(run)
            if len(whole) == 64 and len(run) > 1 and any(len(part) % HASH_GROUP for part in run):
                found.append(whole)
            run = []
    return sorted(set(found))


_ARTICLE = re.compile(rf"{LAW_ARTICLE}|{ARTICLE}")
_CITED = re.compile(CITED)


def split_references(pages: list[str]) -> list[str]:
    """References a line break cuts: a Chinese article, paragraph or item reference, with the
    law's title before it (第六百六十七条, 《民法典》第六百七十六条: "第六百六十" | "七条",
    "《民法典》" | "第六百七十六条"); a legal citation ("50" | "U.S.C. § 3931", "16.004(a)" | "(3)")
    or a web address ("www.prairie-" | "recovery.example.com"). The patterns are those the renderer
    keeps whole (service/documents/typography.py)."""
    broken = []
    for page in pages:
        lines = [" ".join(line.split()) for line in page.splitlines()]
        for above, below in pairwise(lines):
            if not above or not below:  # a paragraph's end
                continue
            broken += _cut(_ARTICLE, SPACE.sub("", above), "", SPACE.sub("", below))
            broken += _cut(_CITED, above, " ", below)  # broken at a space
            if above[-1] in "-–/" or below[0] == "(":  # broken after a hyphen or slash, or before "("
                broken += _cut(_CITED, above, "", below)
    return sorted(set(broken))


def _cut(pattern: "re.Pattern[str]", above: str, joint: str, below: str) -> list[str]:
    """The matches of `pattern` that the end of the line `above` falls inside."""
    text = above + joint + below
    return [m.group(0) for m in pattern.finditer(text)
            if m.start() < len(above) < m.end() and len(m.group(0)) <= MAX_CITATION]


def foreign_cjk(text: str, allowed: set[str]) -> list[str]:
    """Runs of Chinese left in an English text once the allowed names and addresses are removed."""
    for value in sorted(allowed, key=len, reverse=True):
        text = SPACE.sub("", text).replace(SPACE.sub("", value), " ")
    return [run for run in CJK.findall(text) if run.strip("　、，。：；（）")]


# British spellings with a US form an en-US document uses instead (the US form in the comment).
BRITISH = re.compile(
    r"\b(?:instalments?"                                   # installment(s)
    r"|organis(?:e|ed|es|ing|ation|ations)"              # organize, organization
    r"|(?:authoris|recognis|realis|apologis|summaris|itemis|minimis|prioritis|utilis|finalis|"
    r"emphasis)(?:e|ed|es|ing|ation)"                    # -ize
    r"|(?:total|cancel|label|travel|model|counsel)l(?:ed|ing|er|or)"  # totaling, canceled
    r"|(?:neighbour|behaviour|favour|honour|labour|colour|endeavour)\w*"  # neighbor, behavior
    r"|licence|defence|offence|centre|cheque|judgement|acknowledgement|fulfil|fulfilment|enrolment|"
    r"programme|whilst)\b", re.IGNORECASE)
# A period right after a name's own final period ("Co., Ltd.."), not an ellipsis.
DOUBLED_STOP = re.compile(r"\w{2,}\.\.(?!\.)")


def british_spellings(text: str) -> list[str]:
    """The British spellings an English text uses, each once, as written."""
    return sorted({m.group(0) for m in BRITISH.finditer(text)})


# A calendar date written the ISO way (2026-01-26), standing alone: not inside an ID, a reference or a
# file name (REC-US-00006-20260126-01, call-2026-01-26.wav, packet_2026-12-06.zip), nor a hash.
ISO_DATE = re.compile(r"(?<![\w\-/.])\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])(?![\w\-/]|\.\w)")


def iso_dates(text: str) -> list[str]:
    """The ISO dates an en-US text prints where a US document writes "January 26, 2026"."""
    return sorted({m.group(0) for m in ISO_DATE.finditer(text)})


def doubled_stops(text: str) -> list[str]:
    """Words followed by two periods ('Ltd..'): a name ending a sentence took a second one."""
    return sorted({m.group(0) for m in DOUBLED_STOP.finditer(text)})


# ------------------------------------------------------------------------------ context values


def _walk(value: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _walk(getattr(value, name), f"{path}.{name}" if path else name)
        for name in type(value).model_computed_fields:
            yield from _walk(getattr(value, name), f"{path}.{name}" if path else name)
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _walk(v, f"{path}.{k}")
    elif isinstance(value, list | tuple):
        for v in value:
            yield from _walk(v, path)
    else:
        yield path, value


def tokens_of(context: Any, *, us: bool, zh: bool) -> set[str]:
    """The context's amounts, dates, numbers and IDs as the templates print them, and the names
    of the organisations it names: whole, or a long name's pieces, as the renderer keeps them
    (typography.kept_names: a long name breaks only between its pieces)."""
    names = context.organisation_names() if hasattr(context, "organisation_names") else ()
    found: set[str] = set(kept_names(names))
    for path, value in _walk(context):
        if isinstance(value, bool):
            continue
        if isinstance(value, Decimal) and value.as_tuple().exponent == -2 and abs(value) >= 1000:
            found.add(usd(value) if us else money(value))
        elif isinstance(value, date):
            found.add(date_cn(value) if zh else date_en(value))
        elif isinstance(value, str) and (TOKEN.match(value) or PHONE.match(value)) and len(value) <= MAX_TOKEN:
            found.add(value)  # a longer run (a content hash) may break: typography.MAX_TOKEN
        if zh and isinstance(value, str) and SEALED.search(path) and value:
            last = name_pieces(value)[-1]  # a long name may break before its last piece, never after it
            if 2 <= len(last) <= MAX_TOKEN - 4:
                found.add(f"{last}（盖章）")  # a longer one may break (typography.SEALED_NAME)
    return found | (SEAL_MARKERS if zh else PREFIXED_WORDS)


# Words whose first part is one letter (typography.PREFIXED_WORD): broken at the hyphen ("e-" |
# "mail") they read as two words.
PREFIXED_WORDS = {"e-mail", "E-mail"}


# A seal or signature marker after a name: broken ("（盖/章）") it reads as two words.
SEAL_MARKERS = {"（盖章）", "（签名）", "（签字）", "（印章区）"}
# Fields holding a name a seal marker may follow: the name and its seal are one token
# ("深圳市前海惠民小额贷款有限公|司（盖章）" is broken).
SEALED = re.compile(r"(^|\.)(name|seal_text|firm)$")


# Fields whose Chinese text an English document shows as it is: names, addresses, banks, courts.
NAME_FIELDS = re.compile(r"(^|\.)(name|name_en|address|domicile|habitual_address|bank|account_name|branch|"
                         r"place|seal_text|organisation|court|firm|lawyer|legal_rep|signed_place|staff|title|"
                         r"letterhead|employer|recipient|agent|persons_present|jurisdiction_clause|"
                         r"agreed_service_address|[a-z_]*_name|[a-z_]*_address)$")


def names_and_addresses(context: Any) -> set[str]:
    return {v for path, v in _walk(context) if isinstance(v, str) and v and NAME_FIELDS.search(path)}


# ------------------------------------------------------------------------------ dates against the facts

_DATE_CN = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
_DATE_ISO = re.compile(r"(?<![\d-])(\d{4})-(\d{2})-(\d{2})(?![\d-])")
_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                "November", "December")
_DATE_EN = re.compile(rf"({'|'.join(_MONTH_NAMES)}) (\d{{1,2}}), (\d{{4}})")


def printed_dates(text: str) -> set[date]:
    """Every calendar date a document prints (2026年12月2日, 2026-12-02, December 2, 2026)."""
    flat = SPACE.sub("", text)
    found = {date(int(y), int(m), int(d)) for y, m, d in _DATE_CN.findall(flat)}
    found |= {date(int(y), int(m), int(d)) for y, m, d in _DATE_ISO.findall(flat)}
    found |= {date(int(y), _MONTH_NAMES.index(m) + 1, int(d)) for m, d, y in _DATE_EN.findall(text)}
    return found


def dates_of(context: Any) -> set[date]:
    """The dates a context holds (a datetime counts by its day, in the zone it carries)."""
    return {v.date() if isinstance(v, datetime) else v for _, v in _walk(context) if isinstance(v, date)}
