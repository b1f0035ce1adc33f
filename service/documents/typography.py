"""Tokens that must never break across lines: amounts, dates, IDs, phone, contract and
transaction numbers, the bracketed seal and signature markers, and the names of the
organisations the document names (the lender, the law firm, the court: the context's
``organisation_names()``, passed in as ``names``): an English name whole (or in its pieces,
``name_pieces``); a Chinese name only as far as its seal marker holds it ("…有限公司（盖章）").
Chinese running text breaks between any two ideographs (W3C clreq), a name's as well: kept whole,
a name that did not fit the rest of a line moved to the next and left a gap of up to 18
characters ("…的委托诉讼代理人，在 / 深圳市南山区人民法院…"); an amount, a date or a number is
short and broken would misread, so those stay whole. One rule for every template, applied to the
rendered output:

- HTML (the PDF path): each token in a text node is wrapped in ``<span class="nb">`` (CSS
  ``white-space: nowrap``), so WeasyPrint keeps it on one line and sizes table columns to it;
- DOCX: a WORD JOINER (U+2060), which Word and LibreOffice honour as "no break here", goes into
  ``<w:t>`` text only where a line could break inside a token: between the characters of a token
  with ideographs (Chinese text breaks between any two), and in a Latin token only beside a hyphen,
  a slash, a bracket or "§" (``_latin``; a space becomes a no-break space). Amounts ("12,306.43"),
  IDs and plain numbers get none: no line breaks inside them, and Word's Find and copy-paste see
  them as typed. ``docx_text`` drops the joiners.
  The trade-off: a joiner is a character, so Word's Find misses a Chinese date or a hyphenated
  number ("QHXD-202508-560174", "400-900-5566") typed without it. No run or paragraph property
  keeps a token whole instead (OOXML has no "nowrap"; ``w:wordWrap`` only lets Latin words break
  mid-word, ``w:kinsoku`` and the settings' custom kinsoku lists act on single characters for a
  whole language), and ``<w:noBreakHyphen/>`` (read as "-" by python-docx) still breaks after it in
  LibreOffice's Chinese paragraphs (tried: "QHXD-202508-|560174"; an en-US paragraph keeps it).
  LibreOffice ignores the joiners next to an ideograph in text whose East Asian language is
  Chinese (it breaks "2026年7|月10日"), so a token with ideographs (a Chinese date) also gets a run
  of its own marked ``w:eastAsia="en-US"``: the same font, and the SC glyphs, since the family
  then decides the face (tests/documents/test_libreoffice_fonts.py).
"""

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from itertools import pairwise

from markupsafe import escape

WORD_JOINER = "\u2060"
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_ALNUM = r"[A-Za-z0-9*]"
_NUMERAL = r"[〇零一二三四五六七八九十百千万两0-9]+"
# 第六百六十七条, 第十四条第（二）项, 第三款: an article, paragraph or item number and its unit
ARTICLE = rf"第(?:{_NUMERAL}|（{_NUMERAL}）)[条款项章节编](?:之{_NUMERAL})?(?:第(?:{_NUMERAL}|（{_NUMERAL}）)[款项])*"
# 深圳市前海惠民小额贷款有限公司（盖章）: the name a seal marker follows, from the start of its text
# or after a label's colon (具状人（原告）：…), so the name is never cut before its seal ("有限公|司（盖章）")
# (a name longer than MAX_TOKEN allows may break: kept whole it could overflow its cell)
# 159号, 1号A栋201室, 19栋2803室, 18号8楼: a house, building or room number with its unit (and the
# units after it) is one token, so an address never breaks "159 | 号" or "1号A | 栋201室" (L-5, L-6)
_UNIT = r"(?:号楼|号院|号|栋|幢|座|室|单元|楼|层|弄|巷)"
ADDRESS_NO = rf"(?<![A-Za-z0-9])[A-Za-z]?\d+(?:[-－]\d+)?[A-Za-z]?{_UNIT}(?:(?:[A-Za-z]|[A-Za-z]?\d+[A-Za-z]?){_UNIT})*"
_ADDRESS_NO = re.compile(ADDRESS_NO)
SEALED_NAME = r"(?:(?<=[：:])|^)[^\s：:，,。；;、]{2,20}?（盖章）"
# A law's title with the article it cites: 《民法典》第六百七十六条 whole; of a long title
# (《中华人民共和国民法典》, kept whole it would leave a gap of up to twenty characters in a
# justified line) its last three characters stay with the article ("…共和国民法典》第五百零九条").
LAW_ARTICLE = rf"(?:《[^《》\s]{{1,8}}》|[^《》\s]{{3}}》){ARTICLE}"
# A section number and its subdivisions: 1692g, 16.004(a)(3), 1006.34(c)(2)(vi), 342.201(d)-(e), 21c, 214-i,
# and California's lettered and roman ones: 685.010(a)(2)(A)(ii) (a subdivision is one case: "(a)",
# "(A)", "(ii)", "(IV)", never "(Ab)")
_SUBDIVISION = r"(?:\((?:[a-z]{1,4}|[A-Z]{1,4}|\d{1,3})\))"
_SECTION = rf"\d+[a-z]?(?:[.\-–][0-9a-z]+)*{_SUBDIVISION}*(?:[-–]{_SUBDIVISION})?"
# A legal citation, whole: 15 U.S.C. § 1692g, 12 CFR 1006.38(b), 735 ILCS 5/13-206, CPLR 214-i,
# Tex. Civ. Prac. & Rem. Code § 16.004(a)(3), Fed. R. Civ. P. 5.2(a), Cal. Code Civ. Proc. § 2015.5,
# § 1006.34(b)(5), Article 7(1), art. 561; in Chinese a law's title with its article (LAW_ARTICLE).
# "&" and "'" (Gov't) may come escaped (the patterns run on HTML and on DOCX XML text).
_CODE_WORD = r"[A-Z](?:[A-Za-z'’]|&#39;|&#x27;)*\.?"  # Civ., Prac., Gov't (its apostrophe maybe escaped)
CITATION = (
    rf"\d+ (?:U\.S\.C\.|C\.F\.R\.|CFR)(?: §§?)? {_SECTION}|\d+ ILCS \d+/{_SECTION}|CPLR {_SECTION}"
    rf"|(?:Tex|Cal|Fed|N\.Y|Fla|Ill|Pa|Ohio|Ga|Mass|N\.J|Wash|Ariz|Colo|Va)\.(?: (?:{_CODE_WORD}|&amp;|&))*?"
    rf" (?:Code|P\.|Proc\.|Stat\.|Law|Ann\.)(?: §§?)? {_SECTION}"
    rf"|§§? ?{_SECTION}|(?:Article|Art\.|art\.|Rule) {_SECTION}"
    rf"|{LAW_ARTICLE}"
)
# A web or e-mail address: www.cfpb.gov/debt-collection, disputes@prairie-recovery.example.com (no
# break at its hyphens or dots); a final period or comma is the sentence's.
URL = r"(?:https?://|www\.)[\w\-.~/%?=#:@+]*[\w/]|[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+"  # and an e-mail address
_WORD_END = r"(?![A-Za-z0-9_])"  # ASCII: an ideograph may follow a Chinese citation
CITED = rf"(?<![A-Za-z0-9.,§])(?:{URL}|{CITATION}){_WORD_END}"
# 2026年12月2日 14:20–15:05
_DATE_CN = r"\d{4}\s?年\s?\d{1,2}\s?月(?:\s?\d{1,2}\s?日)?(?:\s?\d{1,2}:\d{2}(?:\s?[–-]\s?\d{1,2}:\d{2})?)?"
# 12,306.43 · PAY0625349616 · HX-0417 · 400-900-5566
# (a letters-only head joined by a hyphen is part of it: QHXD-202508-560174, not QHXD- | 202508…)
# 47,082.68元, ¥880.19, 12万元: an amount with its unit, one token, never "47,082.68 | 元" (issue 10:
# no line breaks inside an amount); Chinese text may otherwise break between a digit and an ideograph
AMOUNT_UNIT = "元"
AMOUNT = rf"(?<![A-Za-z0-9.,])[$¥-]?\d+(?:,\d{{3}})*(?:\.\d+)?万?{AMOUNT_UNIT}"
_AMOUNT = re.compile(rf"([$¥-]?[\d,.]+)(万?{AMOUNT_UNIT})")
_NUMBER = rf"(?<![A-Za-z0-9.,])[$¥-]?(?:[A-Za-z]+[-_/])*{_ALNUM}*\d{_ALNUM}*(?:[-,./_:]{_ALNUM}+)*%?"
# 网址：www.hxcf.example.cn, 借款合同编号：QHXD-202511-449630: in a row of fields set apart by wide
# spaces (a letterhead, the line above a table), a field's label stays with its value, so the line
# breaks between two fields, never between a label and the number or address it names (L-4, C12-7).
# In running text ("（合同编号：QHXD-…）") the break after the colon is left where it falls.
FIELD_LABEL = r"(?:(?<=　)|^)[\u4e00-\u9fff]{2,8}："
_FIELD = re.compile(rf"({FIELD_LABEL})((?:{URL}|{_DATE_CN}|{_NUMBER}))")
# e-mail, E-mail, e-signature, X-ray: a word whose first part is a single letter reads as two words
# broken at its hyphen ("e-" | "mail" in a signature block's narrow cell); longer compounds
# (pay-by, follow-up) break at the hyphen as English text does.
PREFIXED_WORD = r"(?<![\w\-.@])[A-Za-z]-[A-Za-z]{2,}(?![\w\-@])"
# ☑提前还款（加速到期）, ☐解除合同, ☐否: a form's checkbox with its label (up to the punctuation or
# space after it, a short bracketed part included), never "☐" ending one line and "解除合同"
# opening the next (issue 10 §2).
_BOXES = ("☐", "☑", "☒")
CHECKBOX = r"[☐☑☒][^\s　（(），,；;：:、。《》<>&]{1,10}(?:（[^（）\s<>&]{1,6}）)?"
# A value the template asks to keep whole (the ``whole`` filter: word joiners between its
# characters), e.g. a party's name in a signature line: one token, however long.
JOINED = rf"[^\s<>{WORD_JOINER}](?:{WORD_JOINER}[^\s<>{WORD_JOINER}])+"
TOKEN = re.compile(
    rf"{JOINED}|{FIELD_LABEL}(?:{URL}|{_DATE_CN}|{_NUMBER})"
    rf"|{CITED}|{_DATE_CN}"
    rf"|{ARTICLE}|{SEALED_NAME}|{ADDRESS_NO}|{CHECKBOX}"
    r"|（[\u4e00-\u9fff]{2,3}）"  # （盖章） （签名）: a seal or signature marker stays whole after a long name
    # ZHOU Guoqiang (周国强), ZHANG San (张三, ID No. …): the Chinese name after its pinyin in an English
    # document (format.person_en), never "(周国 | 强)"; a court's or an organisation's the same, the
    # Shenzhen Qianhai Cooperation Zone People's Court (深圳前海合作区人民法院), never "(深 | 圳前海…)"
    # (issue 10 §2: a proper name in Chinese inside English text does not break)
    r"|\([\u4e00-\u9fff·]{2,16}(?:\)|(?=,))"
    rf"|(?:{_MONTHS}) \d{{1,2}}, \d{{4}}"  # December 2, 2026
    r"|\(\d{3}\) \d{3}-\d{4}"  # (312) 555-0178
    rf"|{AMOUNT}|{_NUMBER}|{PREFIXED_WORD}"
)
_TAGS = re.compile(r"(<[^>]*>)")
_IDEOGRAPH = re.compile(r"[\u3400-\u9fff]")
# Elements whose text is not the page's (by tag name: <header>, the letterhead, is the page's)
_RAW = re.compile(r"<(/?)(?:style|script|title|head)[\s>]")


MAX_TOKEN = 24  # longer runs (content hashes) may break: kept whole they would overflow a cell
# A citation or a web address is kept whole up to this length (the longest cited, "Tex. Civ. Prac.
# & Rem. Code § 16.004(a)(3)", is 43): broken it misleads ("50 | U.S.C.", "16.004(a) | (3)").
MAX_CITATION = 64
_CITED = re.compile(rf"(?:{URL}|{CITATION})", re.S)

# An organisation's name is kept whole when it fits a half-width cell (a signature table's): up to
# MAX_NAME units of width, a Latin character one and an ideograph two (36 Latin characters, 18
# ideographs). A longer name breaks only where a typesetter would break it (``name_pieces``), each
# piece kept whole; kept whole it would overflow the cell ("Sichuan Rongxin Investment Consulting
# Co., Ltd.", 47, pulled "Party A:" apart), and broken anywhere it reads "有限公|司" or "Co.,|Ltd.".
MAX_NAME = 36
_MARKER = r"(?:（[\u4e00-\u9fff]{2,3}）)?"


def name_width(text: str) -> int:
    """Width in Latin characters: an ideograph (a wide or full-width character) counts two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


# Where a long Chinese name may break: after its legal form, a branch unit or a bracketed part
# (…股份有限公司 | 深圳分公司 | 南山支行; 北京大成（深圳）| 律师事务所), when more follows ...
_ZH_BREAK_AFTER = re.compile(r"股份有限公司|有限责任公司|有限公司|分公司|公司|分行|支行|营业部|律师事务所|）"
                             r"|银行(?!股份|有限)")
# ... and, in a part still too wide, after the administrative divisions it begins with
# (广东省 | 深圳市 | 前海深港现代服务业合作区 | 惠民小额贷款股份有限公司).
_ZH_PLACE = re.compile(r"[^省市区县（）]{1,12}?(?:自治区|特别行政区|省|市|区|县)(?=..)")
# A long English name breaks between words, but not inside its legal form or branch ("Microcredit
# Co., Ltd." | "Nanshan Branch"), nor after a word that leads into the next ("the | Treasury"), nor
# on either side of a word that joins two ("Bank | of China", "Industrial | and Commercial").
_EN_TAIL = frozenset({"Co.", "Ltd.", "Limited", "LLC", "L.L.C.", "LLP", "PLLC", "Inc.", "Corp.", "N.A.", "P.C.",
                      "Branch", "Sub-branch", "Sub-Branch", "&", "of", "and"})
_EN_HEAD = frozenset({"&", "of", "and", "the", "for", "at", "in"})
_WORD = re.compile(r"[A-Za-z]+")


def name_pieces(name: str) -> tuple[str, ...]:
    """The pieces a name is kept in: the whole name if it fits MAX_NAME, else the runs between the
    breaks a typesetter allows in it. A piece still wider than MAX_NAME (a Chinese name with no
    such break) may break anywhere: overflowing its cell would be worse."""
    if name_width(name) <= MAX_NAME:
        return (name,)
    if not _IDEOGRAPH.search(name):
        return _en_pieces(name)
    ends = [m.end() for m in _ZH_BREAK_AFTER.finditer(name) if m.end() < len(name)]
    parts = [name[a:b] for a, b in zip([0, *ends], [*ends, len(name)], strict=True)]
    return tuple(p for part in parts for p in (_place_pieces(part) if name_width(part) > MAX_NAME else (part,)))


def _place_pieces(part: str) -> tuple[str, ...]:
    pieces, at = [], 0
    while m := _ZH_PLACE.match(part, at):
        pieces.append(m.group(0))
        at = m.end()
    return (*pieces, part[at:])


def _en_pieces(name: str) -> tuple[str, ...]:
    pieces: list[str] = []
    for word in name.split(" "):
        if pieces and (word.rstrip(",;") in _EN_TAIL or pieces[-1].rsplit(" ", 1)[-1] in _EN_HEAD):
            pieces[-1] += f" {word}"
        else:
            pieces.append(word)
    return tuple(p for p in pieces if p)


SEAL = "（盖章）"


def kept_names(names: Iterable[str]) -> tuple[str, ...]:
    """What the renderer keeps whole of the names: each English name, or each piece of a long one
    (``name_pieces``) that is more than a word, no wider than MAX_NAME; of a Chinese name, its
    last piece with the seal marker after it (in running text it breaks as Chinese text does);
    longest first."""
    return _kept_names(tuple(names))


@lru_cache(maxsize=256)
def _kept_names(names: tuple[str, ...]) -> tuple[str, ...]:  # asked for each value of a document
    pieces = {p for n in names if not _IDEOGRAPH.search(n) for p in name_pieces(n)}
    sealed = {f"{last}{SEAL}" for n in names if _IDEOGRAPH.search(n) and len(last := name_pieces(n)[-1]) >= 2
              and name_width(last) <= MAX_NAME}
    return tuple(sorted(sealed | {p for p in pieces if len(p) >= 4 and name_width(p) <= MAX_NAME
                                  and not _WORD.fullmatch(p)}, key=lambda n: (-len(n), n)))


@lru_cache(maxsize=256)
def _pattern(names: tuple[str, ...]) -> "re.Pattern[str]":
    """TOKEN with the names first, each with the seal marker after it (（盖章）)."""
    if not names:
        return TOKEN
    return re.compile(rf"(?:{'|'.join(re.escape(n) for n in names)}){_MARKER}|{TOKEN.pattern}")


def whole(text: str) -> str:
    """`text` kept whole on a line (the ``whole`` filter): word joiners between its characters,
    which the renderer reads as one token (``JOINED``): in the PDF a nowrap span without them, in
    the DOCX a run of its own outside Chinese line breaking, joined."""
    return WORD_JOINER.join(str(text))


def _long_enough(token: str, names: tuple[str, ...] = ()) -> bool:
    if WORD_JOINER in token:  # the template's own: whole (``whole``)
        return True
    if names and token.startswith(names):  # a name (and its seal marker): kept_names set its bounds
        return True
    if field := _FIELD.fullmatch(token):  # a label and its value: the value's bounds
        return _long_enough(field.group(2))
    if _CITED.fullmatch(token):
        return len(token) <= MAX_CITATION
    return ((len(token) >= 4 or "年" in token or token.endswith(AMOUNT_UNIT) or token.startswith(("第", *_BOXES))
             or bool(_ADDRESS_NO.fullmatch(token))) and len(token) <= MAX_TOKEN)


def keep_tokens_text(text: str, names: Iterable[str] = ()) -> str:
    """Plain `text` as HTML: escaped, each token in a nowrap span (what ``keep_tokens_html``
    gives the template's own text, for a value written into the page later)."""
    kept = kept_names(names)
    parts, at = [], 0
    for m in _pattern(kept).finditer(text):
        token = m.group(0)
        if not _long_enough(token, kept):
            continue
        parts += [str(escape(text[at:m.start()])), f'<span class="nb">{escape(strip_joiners(token))}</span>']
        at = m.end()
    parts.append(str(escape(text[at:])))
    return "".join(parts)


def keep_tokens_html(markup: str, names: Iterable[str] = ()) -> str:
    """Wrap each token in the text of `markup` (outside tags, style and head) in a nowrap span."""
    kept = tuple(str(escape(n)) for n in kept_names(names))
    spaced = _spaced(kept)
    parts = _TAGS.split(markup)
    raw_depth = 0
    for k, part in enumerate(parts):
        if k % 2:  # a tag
            if raw := _RAW.match(part.lower()):
                raw_depth = max(raw_depth - 1, 0) if raw.group(1) else raw_depth + 1
            continue
        if raw_depth or not part.strip():
            continue
        parts[k] = spaced.sub(lambda m: _nowrap(m, kept), part)
    return "".join(parts)


# A token with the space before it: the space goes inside the nowrap span. WeasyPrint 70 (its
# inline line breaking) mis-breaks a line when a nowrap span overflows the line's end right
# after a space it could break at: it ends that line after its first word ("…0142, / or / by
# check … Suite / 1500"). With the space inside the span the break falls before the word ahead
# of the token instead ("Suite 1500" moves whole), which it gets right (tests/documents/test_typography.py).
@lru_cache(maxsize=256)
def _spaced(escaped_names: tuple[str, ...]) -> "re.Pattern[str]":
    names = "".join(f"{re.escape(n)}{_MARKER}|" for n in escaped_names)
    return re.compile(rf"(?: (?=\S))?(?:{names}{TOKEN.pattern})")


SEPARATOR = "·"


def _nowrap(m: "re.Match[str]", names: tuple[str, ...]) -> str:
    token = m.group(0).removeprefix(" ")
    if not _long_enough(token, names):
        return m.group(0)
    if WORD_JOINER in token:  # the nowrap span keeps it whole: the joiners are the DOCX's
        return f'{m.group(0)[:len(m.group(0)) - len(token)]}<span class="nb">{strip_joiners(token)}</span>'
    before = m.string[:m.start()]
    if token != m.group(0) and (before.endswith((*names, SEPARATOR)) or (token.startswith(names)
                                                                        and before.endswith(","))):
        # the space between two pieces of a long name (name_pieces) is where it may break, the
        # space after a separator ("1-888-555-0199 · www.…"): the separator ends the line, not
        # begins the next; and the space after a comma before a name ("President, Pacific Coast
        # Consumer Lending, Inc."): the title ends the line and the name begins the next
        return f' <span class="nb">{token}</span>'
    return f'<span class="nb">{m.group(0)}</span>'


_WT = re.compile(r"(<w:t(?:\s[^>]*)?>)([^<]*)(</w:t>)")


def _join(token: str, names: tuple[str, ...] = ()) -> str:
    """Joiners between the characters; a space inside a token ("December 2, 2026") becomes a
    no-break space."""
    if not _long_enough(token, names) or WORD_JOINER in token:  # short, or joined already (``whole``)
        return token
    if (field := _FIELD.fullmatch(token)) and not _IDEOGRAPH.search(field.group(2)):
        # 借款合同编号：QHXD-…: the label joined, and to its value; the value as a Latin token
        return WORD_JOINER.join(field.group(1)) + WORD_JOINER + _latin(field.group(2))
    if not _IDEOGRAPH.search(token):
        return _latin(token)
    if amount := _AMOUNT.fullmatch(token):  # the figures as typed (Word's Find sees them), joined to 元
        return _latin(amount.group(1)) + WORD_JOINER + WORD_JOINER.join(amount.group(2))
    units = _XML_UNIT.findall(token)  # an escaped character ("&amp;") is one unit
    return WORD_JOINER.join(units).replace(f"{WORD_JOINER} {WORD_JOINER}", "\u00a0")


# Characters no line breaks at or beside inside a Latin token (UAX #14: letters, digits, the
# separators of an amount, a currency sign, "@"): "12,306.43", "PAY0625349616", "a@b.example"
_UNBROKEN = re.compile(r"[A-Za-z0-9.,$¥%@_*]")


def _latin(token: str) -> str:
    """A token without ideographs: word joiners only beside the characters a line may break at or
    after (a hyphen, a slash, a bracket, "§"), spaces made no-break spaces; amounts and plain
    numbers keep no joiner (search and copy in Word find them)."""
    units = _XML_UNIT.findall(token)
    out = [units[0]] if units else []
    for before, unit in pairwise(units):
        if " " in (before, unit):
            out.append("\u00a0" if unit == " " else unit)
        elif _UNBROKEN.fullmatch(before) and _UNBROKEN.fullmatch(unit):
            out.append(unit)
        else:
            out += [WORD_JOINER, unit]
    return "".join(out)


_XML_UNIT = re.compile(r"&(?:#\d+|#x[0-9a-fA-F]+|\w+);|.", re.S)


def keep_tokens_docx_xml(xml: str, names: Iterable[str] = ()) -> str:
    """Word joiners between the characters of each token in the document's text runs; tokens with
    ideographs in runs of their own (``_own_runs``). Text in ``<w:t>`` is XML-escaped, as the
    names are matched."""
    kept = tuple(str(escape(n)) for n in kept_names(names))
    pattern = _pattern(kept)  # the names as escaped in the XML ("Harper &amp; Cole")
    xml = _RUN.sub(lambda m: _own_runs(m, pattern, kept), xml)
    return _WT.sub(lambda m: m.group(1) + pattern.sub(lambda t: _join(t.group(0), kept), m.group(2)) + m.group(3),
                   xml)


_RUN = re.compile(r"(<w:r(?:\s[^>]*)?>)(<w:rPr>(?:(?!</w:rPr>).)*</w:rPr>)?<w:t(?:\s[^>]*)?>([^<]*)</w:t></w:r>",
                  re.S)
_LANG = re.compile(r"<w:lang\b[^>]*/>")
NO_CJK_BREAKS = '<w:lang w:val="en-US" w:eastAsia="en-US"/>'


def _own_runs(m: "re.Match[str]", pattern: "re.Pattern[str]", names: tuple[str, ...]) -> str:
    """A run split so that each token with ideographs is a run of its own, outside Chinese line
    breaking (its East Asian language is en-US); the rest keeps the run's properties."""
    start, props, text = m.group(1), m.group(2) or "", m.group(3)
    tokens = [t for t in pattern.finditer(text) if _IDEOGRAPH.search(t.group(0)) and _long_enough(t.group(0), names)]
    if not tokens:
        return m.group(0)
    inner = props[len("<w:rPr>"):-len("</w:rPr>")] if props else ""
    kept = f"<w:rPr>{_LANG.sub('', inner)}{NO_CJK_BREAKS}</w:rPr>"

    def run(piece: str, rpr: str) -> str:
        return f'{start}{rpr}<w:t xml:space="preserve">{piece}</w:t></w:r>' if piece else ""

    out, at = [], 0
    for t in tokens:
        out += [run(text[at:t.start()], props), run(_join(t.group(0), names), kept)]
        at = t.end()
    out.append(run(text[at:], props))
    return "".join(out)


def strip_joiners(text: str) -> str:
    return text.replace(WORD_JOINER, "")
