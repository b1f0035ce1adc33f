"""A California contract case (a loan with no payment plan) on pleading paper: its declaration's
statement of account (Attachment A) is type on the paper too (Cal. Rules of Court 2.104: 12 points
at least, tables included), within the text's 6.1 inches between the line numbers' rule and the
right margin. Built with the factories: no demo case shows it (the demo's contract case is Texas's)."""

import itertools
import re
import subprocess
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy.orm import Session

from service.cases.models import DebtCase
from service.documents.audience import Audience
from service.documents.contexts.common import DocMeta
from service.documents.contexts.legal.affidavit import AffidavitOfDebtContext
from service.documents.format import date_en, usd
from service.documents.render import render, render_html
from tests.documents.conftest import TEMPLATES, pdf_text, squash
from tests.documents.legal_cases import context, firm
from tests.factories import import_case, schedule

DAY = date(2026, 12, 4)
# legal.css @page pleading: the text between the rules (108pt + the double rule, 2.5pt, + 9pt padding;
# 612pt - 43pt - the rule, 0.5pt, - 5pt padding), 6.2 in
TEXT_LEFT, TEXT_RIGHT = 119.5, 563.5
FOOTER_TOP = 792 - 52


def california_contract_case(db: Session) -> DebtCase:
    """A Los Angeles borrower 14 instalments into a 24-month loan, the rest unpaid, the loan
    accelerated: sued on the contract (no payment plan)."""
    rows = schedule(principal="18500.00", rate="0.2499", periods=24, first_due=date(2025, 2, 1),
                    start=date(2025, 1, 2))
    case = import_case(
        db, profile="US", stage="PRE_LITIGATION", us_state="CA",
        lender={"code": "PCCL", "name": "Pacific Coast Consumer Lending, Inc.",
                "name_en": "Pacific Coast Consumer Lending, Inc.", "licence_type": "other_licensed",
                "hotline": "1-800-555-0190", "legal_rep": "Laura Chen", "legal_rep_title": "President",
                "address": "600 Wilshire Blvd, Los Angeles, CA 90017"},
        borrower={"name": "Daniel Ortiz", "gender": "male", "id_type": "us_ssn", "id_number": "123-45-6780",
                  "birth_date": "1984-09-12", "phones": [{"number": "2135550163"}],
                  "habitual_address": "1200 S Figueroa St Apt 7, Los Angeles, CA 90015",
                  "timezone": "America/Los_Angeles", "language": "en-US"},
        contacts=[],
        contract={"contract_no": "PCCL-2025-000731", "currency": "USD", "signed_date": "2025-01-02",
                  "principal_agreed": "18500.00", "disbursed_amount": "18500.00", "disbursed_date": "2025-01-02",
                  "nominal_rate": "0.2499", "penalty_rate": "0.2499", "day_basis": 365,
                  "clause_refs": {"rate": "§3", "default": "§7", "acceleration": "§8"},
                  "jurisdiction_clause": "Superior Court of California, County of Los Angeles"},
        schedule=rows,
        payments=[{"value_date": r["due_date"], "amount": str(Decimal(r["principal"]) + Decimal(r["interest"]))}
                  for r in rows[:14]])
    case.accelerated_on = date.fromisoformat(rows[14]["due_date"]) + timedelta(days=45)
    case.law_firm_id = firm(db).id
    db.flush()
    return case


_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')


def _words(pdf: Path) -> dict[int, list[tuple[float, float, float, float, str]]]:
    """Each page's words as (x min, x max, y top, height, text), from poppler's bounding boxes."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    pages: dict[int, list[tuple[float, float, float, float, str]]] = {}
    for number, page in enumerate(out.split("<page ")[1:], start=1):
        pages[number] = [(float(x0), float(x1), float(y0), float(y1) - float(y0), text)
                         for x0, y0, x1, y1, text in _WORD.findall(page)]
    return pages


def test_the_contract_statement_on_pleading_paper_is_in_12_point_type_within_the_text(db, tmp_path):
    case = california_contract_case(db)
    ctx = context(db, case.ref, "affidavit_of_debt", day=DAY)
    assert ctx.papers.pleading_paper and ctx.claim.agreement is None  # type: ignore[attr-defined]
    pdf = tmp_path / "declaration.pdf"
    pdf.write_bytes(render(ctx, "pdf", templates_dir=TEMPLATES).data)
    pages = _words(pdf)
    # Attachment A: from the page its heading opens (a line of its own starting "Attachment A")
    first = min((n for n, words in pages.items() if any(t == "Attachment" and x0 < TEXT_LEFT + 2
                                                         for x0, *_, t in words)), default=None)
    assert first is not None, "no Attachment A"
    statement = [n for n in pages if n >= first]
    headers = set()
    for number in statement:
        # every word but the paper's line numbers (left of the double rule) and its footer
        body = [w for w in pages[number] if not (w[4].isdigit() and w[1] < TEXT_LEFT - 10) and w[2] < FOOTER_TOP]
        headers |= {t for *_, t in body}
        for x0, x1, _, h, text in body:
            # 2.104: no type smaller than 12 points (a 17.2pt box in the compact faces), tables included
            assert h >= 16.9, (number, text, h)
            # within the text between the double rule and the right-hand rule
            assert x0 >= TEXT_LEFT - 0.5 and x1 <= TEXT_RIGHT + 0.5, (number, text, x0, x1)
        # no cell's text runs into its neighbour's: no two words on a line overlap
        for (a0, a1, ay, _, at), (b0, b1, by, _, bt) in itertools.combinations(body, 2):
            assert abs(ay - by) > 1 or a1 <= b0 + 0.2 or b1 <= a0 + 0.2, (number, at, bt)
    # every column of the statement is there: each installment's amounts, what was paid, what remains
    assert {"Principal", "Interest", "Default", "Paid", "Balance", "late"} <= headers
    flat = squash(pdf_text(pdf.read_bytes(), tmp_path))
    assert squash(f"Amount owed as of {date_en(DAY)} {usd(ctx.claim.claimed_total)}") in flat  # type: ignore[attr-defined]


def test_the_contract_statement_stays_one_table_on_plain_paper() -> None:
    """Another state's declaration (plain paper: the sample's) keeps the eight columns in one table."""
    doc = DocMeta(kind="affidavit_of_debt", profile="US", locale="en-US", audience=Audience.COURT, as_of=DAY,
                  case_ref="US-1")
    ctx = AffidavitOfDebtContext.sample(doc)
    assert not ctx.papers.pleading_paper and ctx.claim.agreement is None  # type: ignore[attr-defined]
    assert render_html(ctx, TEMPLATES).count('class="data small compact cols-8"') == 1


def test_no_line_of_the_declaration_runs_past_the_right_hand_rule(db, tmp_path):
    """The signer's line "President, Pacific Coast Consumer Lending, Inc." breaks after the title's
    comma rather than running past the rule (the name is kept whole; the space before it stays a
    place to break)."""
    case = california_contract_case(db)
    pdf = tmp_path / "declaration.pdf"
    pdf.write_bytes(render(context(db, case.ref, "affidavit_of_debt", day=DAY), "pdf", templates_dir=TEMPLATES).data)
    over = [(n, t, x1) for n, words in _words(pdf).items() for x0, x1, y, _, t in words
            if y < FOOTER_TOP and x1 > TEXT_RIGHT + 0.5]
    assert not over
