"""English (en-US) documents read as US English: US spelling in every template and every render,
and a name that ends in a period ("Co., Ltd.", "Inc.") ends a sentence with that one period."""

import html
import itertools
import json
import re
from typing import Any

import pytest
from pydantic import BaseModel

from service.demo import proofread
from service.documents.docx import docx_text
from service.documents.render import render_html
from tests.documents.conftest import TEMPLATES, Variant, variants

ENGLISH = [v for v in variants() if v.locale == "en-US"]
IDS = [v.id for v in ENGLISH]
JINJA = re.compile(r"{{.*?}}|{%.*?%}|{#.*?#}", re.S)
CODE = re.compile(r"^[a-z0-9_.-]*$")
NAMES = {"name", "name_en", "creditor_now", "collects_for", "original_creditor", "current_creditor"}


def _text(markup: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", markup))


def _dotted(value: Any) -> Any:
    """`value` with every party's name ending in a period, as "… Co., Ltd." and "… Inc." do."""
    if isinstance(value, BaseModel):
        update = {}
        for field in type(value).model_fields:
            item = getattr(value, field)
            if field in NAMES and isinstance(item, str) and item.isascii() and item and not item.endswith("."):
                update[field] = f"{item} Co., Ltd."
            elif isinstance(item, BaseModel | tuple | list):
                update[field] = _dotted(item)
        return value.model_copy(update=update)
    if isinstance(value, tuple | list):
        return type(value)(_dotted(v) for v in value)
    return value


def test_english_variants_cover_both_profiles():
    assert {v.profile for v in ENGLISH} == {"CN", "US"}
    assert len(ENGLISH) > 10


@pytest.mark.parametrize("variant", ENGLISH, ids=IDS)
def test_a_name_ending_in_a_period_ends_a_sentence_once(variant: Variant):
    text = _text(render_html(_dotted(variant.sample()), TEMPLATES))
    if "Co., Ltd." not in text:
        pytest.skip("the kind names no party from a name field (a caption, a title)")
    assert not proofread.doubled_stops(text)


def test_the_doubled_period_check_finds_one():
    assert proofread.doubled_stops("Issued by Huaxin Consumer Finance Co., Ltd.. Customer service") == ["Ltd.."]
    assert not proofread.doubled_stops("Issued by Huaxin Consumer Finance Co., Ltd. Customer service… and so on...")


# ------------------------------------------------------------------ US spelling


def _english_sources() -> dict[str, str]:
    """Every en-US template's own words (Jinja expressions and variable names left out), the
    DOCX templates' text and the exhibit titles."""
    found: dict[str, str] = {}
    for path in sorted(TEMPLATES.rglob("*en-US*")):
        rel = str(path.relative_to(TEMPLATES))
        if path.suffix in (".html", ".txt"):
            found[rel] = JINJA.sub(_words_of_expression, path.read_text(encoding="utf-8"))
        elif path.suffix == ".docx":
            found[rel] = JINJA.sub(" ", docx_text(path.read_bytes()))
        elif path.suffix == ".json":
            found[rel] = " ".join(_strings(json.loads(path.read_text(encoding="utf-8"))))
    return found


def _words_of_expression(match: re.Match[str]) -> str:
    """A Jinja expression's string literals that are words ("an installment payment" in a label
    map), not its names and codes (``instalment_no``, ``"instalments"``)."""
    if match.group(0).startswith("{#"):
        return " "  # a comment for template authors
    literals = re.findall(r'"([^"]*)"|\'([^\']*)\'', match.group(0))
    return " ".join(s for pair in literals for s in pair if s and not CODE.match(s))


def _strings(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return [value] if isinstance(value, str) else []


def test_every_english_template_uses_us_spelling():
    sources = _english_sources()
    assert any(p.endswith(".docx") for p in sources) and any(p.endswith(".json") for p in sources)
    british = {path: words for path, text in sources.items() if (words := proofread.british_spellings(text))}
    assert not british


@pytest.mark.parametrize("variant", ENGLISH, ids=IDS)
def test_every_english_render_uses_us_spelling(variant: Variant):
    text = _text(render_html(variant.sample(), TEMPLATES))
    assert not proofread.british_spellings(text)


def test_the_spelling_check_knows_the_british_forms():
    text = "Instalment totalling organisation, neighbours, licence, Acknowledgement"
    assert proofread.british_spellings(text) == ["Acknowledgement", "Instalment", "licence", "neighbours",
                                                 "organisation", "totalling"]
    assert not proofread.british_spellings("Installment totaling organization, neighbors, license, emphasis")


# ------------------------------------------------------------------ US dates


@pytest.mark.parametrize("variant", ENGLISH, ids=IDS)
def test_every_english_render_writes_dates_the_us_way(variant: Variant):
    """Review of 2026-12-06: the US contact-history and delivery-record tables printed "2026-01-26",
    the NY complaint and affidavit "in force 2022-04-07": an en-US document writes "January 26, 2026"
    (hashes, IDs and file names aside)."""
    assert not proofread.iso_dates(_text(render_html(variant.sample(), TEMPLATES)))


def test_english_rule_sources_write_dates_the_us_way():
    """The US rule set's words (sources, disclosures, what to confirm) are printed in pleadings: the NY
    complaint's limitation period cites "CPLR 214-i (Consumer Credit Fairness Act, in force …)"."""
    from service.cases.rules import RULES_DIR

    def words(value: Any, key: str = "") -> list[str]:
        if isinstance(value, dict):
            return [s for k, v in value.items() for s in words(v, k)]
        if isinstance(value, list):
            return [s for v in value for s in words(v, key)]
        return [value] if isinstance(value, str) and key not in ("version", "effective_from", "from") else []

    found = {s: d for s in words(json.loads((RULES_DIR / "us.json").read_text(encoding="utf-8")))
             if (d := proofread.iso_dates(s))}
    assert not found


def test_the_iso_date_check_leaves_ids_hashes_and_file_names():
    assert proofread.iso_dates("due 2026-01-26, in force 2022-04-07.") == ["2022-04-07", "2026-01-26"]
    assert not proofread.iso_dates("REC-US-00006-20260126-01 call-2026-01-26.wav packet_2026-12-06.zip "
                                   "2026-01-26T10:00 2026-13-01 3af347c3e0")



# ------------------------------------------------------------------ English tables


def _cell_faults(html_text: str, locale: str) -> list[str]:
    """Table cells (signature tables aside) whose text runs past the cell or breaks inside a word,
    read from WeasyPrint's layout (its private box tree, as service/documents/weasy.py reads it)."""
    from weasyprint import HTML

    from service.documents.pdf import get_renderer

    r = get_renderer(TEMPLATES)
    document = HTML(string=html_text, base_url=r.base_url, url_fetcher=r.fetcher).render(
        stylesheets=r.stylesheets(locale), font_config=r.font_config)
    faults = []
    for page in document.pages:
        tables = [b for b in page._page_box.descendants()
                  if type(b).__name__ == "TableBox" and "sign" not in (b.element.get("class") or "")]
        for cell in (c for t in tables for c in t.descendants() if type(c).__name__ == "TableCellBox"):
            right = cell.content_box_x() + cell.width
            source = " ".join("".join(cell.element.itertext()).split())
            lines = []
            for line in (b for b in cell.descendants() if type(b).__name__ == "LineBox"):
                boxes = [b for b in line.descendants() if type(b).__name__ == "TextBox"]
                faults += [f"overflow: {b.text}" for b in boxes if b.position_x + b.width > right + 0.5]
                lines.append("".join(b.text for b in boxes).strip())
            for a, b in itertools.pairwise(lines):
                left, rest = re.search(r"[A-Za-z]+$", a), re.match(r"[A-Za-z]+", b)
                if left and rest and re.search(rf"\b{left.group(0)}{rest.group(0)}", source):
                    faults.append(f"split: {left.group(0)}/{rest.group(0)}")
    return faults


@pytest.mark.parametrize("variant", ENGLISH, ids=IDS)
def test_english_table_cells_break_between_words_and_fit(variant: Variant):
    """No "Directio/n" or "documen/t": columns sized to their content, words never hyphenated or
    cut; amounts and other tokens fit their column."""
    from service.documents.typography import keep_tokens_html

    html_text = keep_tokens_html(render_html(variant.sample(), TEMPLATES))
    assert not _cell_faults(html_text, variant.locale)


def test_the_cell_check_finds_a_cut_word_and_an_overflow():
    html_text = ('<html><body><table class="data"><colgroup><col style="width: 4%"><col style="width: 96%"></colgroup>'
                 '<tbody><tr><td>Direction</td><td>x</td></tr></tbody></table></body></html>')
    assert _cell_faults(html_text, "en-US")
    assert _cell_faults(html_text.replace('class="data"', 'class="x" style="overflow-wrap: anywhere"'), "en-US")


@pytest.mark.parametrize("itemized", [False, True])
def test_the_us_payment_history_s_widest_amounts_dates_and_references_fit_their_columns(itemized: bool):
    """The payments table takes a column for fees and one for interest on interest only where a
    payment went to either (no US demo loan's did): ten columns of amounts are set smaller, and
    in both tables the widest date, a five-figure amount and a payment reference fit their column
    on one line (the US dates change had widened the date column and left "Unapplied", "No." and
    the amounts running past theirs)."""
    from datetime import date
    from decimal import Decimal

    from service.documents.typography import keep_tokens_html

    variant = next(v for v in ENGLISH if v.id == "payment_history-US-en-US")
    ctx = variant.sample()
    first = ctx.payments[0]  # type: ignore[attr-defined]
    parts = {**first.parts, "fee": Decimal("125.00") if itemized else Decimal("0.00"),
             "compound": Decimal("12.34") if itemized else Decimal("0.00"), "penalty": Decimal("1234.56"),
             "interest": Decimal("12345.67"), "principal": Decimal("40517.20")}
    big = first.model_copy(update={"value_date": date(2026, 9, 30), "reference": "PAY123456789012",
                                   "amount": sum(parts.values(), Decimal("0")), "parts": parts})
    ctx = ctx.model_copy(update={"payments": (big, *ctx.payments[1:])})  # type: ignore[attr-defined]
    markup = render_html(ctx, TEMPLATES)
    assert ("<th>Fees</th>" in markup) is itemized and ("<th>Interest on interest</th>" in markup) is itemized
    assert "September 30, 2026" in markup and "$40,517.20" in markup
    assert not _cell_faults(keep_tokens_html(markup), "en-US")


def test_an_email_address_in_the_notice_history_breaks_only_after_its_at_sign(tmp_path):
    """A masked e-mail address wider than its column breaks after "@" ("l*********@" /
    "mail.example.com"), never inside the domain ("mail.examp" / "le.com"); a masked telephone
    number (one token) fits its column."""
    from service.documents.render import render
    from tests.documents.conftest import pdf_text

    variant = next(v for v in ENGLISH if v.id == "notice_history-US-en-US")
    ctx = variant.sample()
    notices = (ctx.notices[0].model_copy(update={"address": "l*********@mail.example.com", "channel": "email"}),  # type: ignore[attr-defined]
               ctx.notices[0].model_copy(update={"address": "***********0173"}), *ctx.notices[1:])  # type: ignore[attr-defined]
    ctx = ctx.model_copy(update={"notices": notices})
    lines = [line.strip() for line in pdf_text(render(ctx, "pdf", templates_dir=TEMPLATES).data, tmp_path).splitlines()]
    assert any("mail.example.com" in line for line in lines), lines
    assert any("***********0173" in line for line in lines)
    from service.documents.typography import keep_tokens_html

    assert not _cell_faults(keep_tokens_html(render_html(ctx, TEMPLATES)), "en-US")


def test_a_content_hash_in_the_us_notice_history_is_printed_whole_on_a_line_under_its_row(tmp_path):
    """Review of 2026-12-06: US-00007's delivery record broke a SHA-256 into nine fragments
    ("b91a534" / "e98af81c" / …) in a narrow column; it is printed whole on a line under its row,
    and the proofreader's split_hashes check finds the old breaks."""
    from service.demo import proofread
    from service.documents.render import render
    from tests.documents.conftest import pdf_text

    variant = next(v for v in ENGLISH if v.id == "notice_history-US-en-US")
    ctx = variant.sample()
    digest = "b91a534e98af81c86175b2cf5a8dda9cfba4f671830ac6d28c41594479ccd7a5"
    ctx = ctx.model_copy(update={"notices": (ctx.notices[0].model_copy(update={"content_hash": digest}),  # type: ignore[attr-defined]
                                             *ctx.notices[1:])})  # type: ignore[attr-defined]
    text = pdf_text(render(ctx, "pdf", templates_dir=TEMPLATES).data, tmp_path)
    assert f"SHA-256 of the document sent: {digest}" in " ".join(text.split()), text
    assert proofread.split_hashes([text]) == []
    broken = "\n".join(["b91a534", "e98af81c", "86175b2", "cf5a8dda9cfba4f", "671830ac6d28c41594479ccd7a5"])
    assert proofread.split_hashes([broken]) == [digest]


def test_the_us_claim_statement_s_verb_agrees_with_what_authorizes_the_claim():
    """"as the loan agreement provides … it does not", "as the loan agreement and the payment plan
    provide … they do not" (the review of 2026-12-04 read "as the loan agreement provide")."""
    variant = next(v for v in ENGLISH if v.kind.kind == "claim_statement" and v.profile == "US")
    ctx = variant.sample()
    text = re.sub(r"\s+", " ", _text(render_html(ctx, TEMPLATES)))
    if ctx.claim.agreement:  # type: ignore[attr-defined]
        assert "the loan agreement and the payment plan provide; nothing is claimed that they do not" in text
    else:
        assert "as the loan agreement provides; nothing is claimed that it does not expressly" in text
    assert "agreement provide;" not in text
