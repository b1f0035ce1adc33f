"""Schedules collapse all-zero rows (issue 10 §3): instalments with nothing left on them are one
row per run, saying they are settled and what was paid on them; the totals are unchanged."""

import re
from datetime import date
from decimal import Decimal

import pytest

from service.documents.audience import Audience
from service.documents.contexts.common import DocMeta
from service.documents.contexts.legal.affidavit import AffidavitOfDebtContext
from service.documents.contexts.legal.blocks import ClaimRowBlock, SettledRun, collapse_settled
from service.documents.contexts.legal.claim import ClaimStatementContext
from service.documents.docx import docx_text
from service.documents.format import date_cn, date_en
from service.documents.render import render, render_html
from tests.documents.conftest import AS_OF, TEMPLATES

D = Decimal


def _row(no: int, principal: str, paid: str) -> ClaimRowBlock:
    day = date(2025, no, 10)
    return ClaimRowBlock(no=no, due_date=day, principal_due_date=day, days_past_due=0, principal=D(principal),
                         interest=D("0"), fee=D("0"), penalty=D("0"), compound=D("0"), paid=D(paid))


def test_runs_of_settled_rows_become_one_row_each() -> None:
    rows = (_row(1, "0", "10"), _row(2, "0", "10"), _row(3, "5", "5"), _row(4, "0", "10"), _row(5, "7", "0"))
    out = collapse_settled(rows)
    assert [type(r).__name__ for r in out] == ["SettledRun", "ClaimRowBlock", "SettledRun", "ClaimRowBlock"]
    first = out[0]
    assert isinstance(first, SettledRun)
    assert (first.first_no, first.last_no, first.paid) == (1, 2, D("20"))
    assert sum((r.paid for r in out), D("0")) == sum((r.paid for r in rows), D("0"))


@pytest.mark.parametrize("cls,kind,profile,locale", [
    (ClaimStatementContext, "claim_statement", "CN", "zh-CN"),
    (ClaimStatementContext, "claim_statement", "US", "en-US"),
    (AffidavitOfDebtContext, "affidavit_of_debt", "US", "en-US"),
])
def test_no_all_zero_row_is_printed(cls: type, kind: str, profile: str, locale: str) -> None:
    doc = DocMeta(kind=kind, profile=profile, locale=locale, audience=Audience.COURT, as_of=AS_OF, case_ref="X-1")
    ctx = cls.sample(doc)
    settled = [r for r in ctx.claim.rows if not r.total]
    assert len(settled) >= 2, "the sample should have paid-up instalments"
    # words kept apart (a cell's text from the next's): the principal-days table's amounts end in
    # digits that, run together with the next row's date, read as an instalment's number and due date
    html_words = " ".join(re.sub(r"<[^>]+>", " ", render_html(ctx, TEMPLATES)).split())
    docx_words = " ".join(docx_text(render(ctx, "docx", templates_dir=TEMPLATES).data).split())
    html, docx = html_words.replace(" ", ""), docx_words.replace(" ", "")
    run = f"{settled[0].no}–{settled[-1].no}"
    word = "已结清" if locale == "zh-CN" else "Paidinfull"

    def day(value: date) -> str:  # as the table prints it: "2026年1月26日", "January 26, 2026"
        return date_cn(value) if locale == "zh-CN" else date_en(value).replace(" ", "")
    for text, words in ((html, html_words), (docx, docx_words)):
        assert run + word in text or f"{run}{word}" in text
        assert day(settled[-1].due_date) in text
        for row in settled:  # no row of its own for a settled instalment: its number, then its date
            printed = date_cn(row.due_date) if locale == "zh-CN" else date_en(row.due_date)
            assert not re.search(rf"(?:^|\s){row.no}\s*{re.escape(printed)}", words), row.no
