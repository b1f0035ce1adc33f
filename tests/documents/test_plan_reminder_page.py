"""The English plan reminder (US, and CN in English) is one page however long the plan: the
installments paid in full are one row, the next three are a row each, those to come are one row
(PlanBlock.shown(3), as in Chinese), in the PDF and in the DOCX as LibreOffice lays it out."""

import re
import shutil
import subprocess
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from service.cases.casefile import load_case_file
from service.demo import proofread
from service.documents.contexts.common import DocMeta
from service.documents.contexts.facts import CaseFacts
from service.documents.contexts.plans import PlanLine, PlanRun
from service.documents.format import date_en
from service.documents.registry import get_kind
from service.documents.render import render
from tests.documents.conftest import AS_OF, TEMPLATES, Variant
from tests.factories import DEMO_ANCHOR, demo_clock, import_case, signed_plan

AMOUNT = Decimal("10357.52")


def _reminder(profile: str, paid: int, *, overdue: bool = False):
    """A 12-installment plan with `paid` installments paid in full; the next one due soon, or
    three days late (still within its grace period)."""
    ctx = Variant(get_kind("plan_reminder"), profile, "en-US").sample()
    first = AS_OF - timedelta(days=30 * paid - (-3 if overdue else 20))
    lines = tuple(PlanLine(no=n, due_date=first + timedelta(days=30 * (n - 1)), amount=AMOUNT,
                           paid=AMOUNT if n <= paid else Decimal("0.00"), days_late=0) for n in range(1, 13))
    plan = ctx.plan.model_copy(update={"lines": lines, "paid": AMOUNT * paid})  # type: ignore[attr-defined]
    nxt = lines[paid]
    return ctx.model_copy(update={"plan": plan, "next_line": nxt, "overdue": nxt.due_date < AS_OF})


@pytest.mark.parametrize("profile", ["US", "CN"])
def test_the_english_schedule_shows_what_the_chinese_one_does(profile, tmp_path):
    """The English letter listed only the next installment between the paid and the coming rows; it
    lists the rows of PlanBlock.shown(3), as the zh-CN letter does: the paid ones as a row, the next
    three (and any later one already late) a row each, the rest as a row."""
    ctx = _reminder(profile, 4)
    (tmp_path / "r.pdf").write_bytes(render(ctx, "pdf", templates_dir=TEMPLATES).data)
    lines = [" ".join(line.split()) for line in proofread.pdf_pages(tmp_path / "r.pdf", layout=True)[0].splitlines()]
    rows = [line for line in lines if re.match(r"^\d{1,2}(–\d{1,2})? (Paid in full|[A-Z][a-z]+ \d{1,2}, \d{4})", line)]
    due = [ln.due_date for ln in ctx.plan.lines]  # type: ignore[attr-defined]
    assert rows[0].startswith("1–4 Paid in full"), rows
    assert [r.split()[0] for r in rows[1:4]] == ["5", "6", "7"], rows
    assert rows[1].startswith(f"5 {date_en(due[4])}"), rows
    assert rows[4].startswith(f"8–12 {date_en(due[7])} to {date_en(due[11])}"), rows
    assert len(rows) == 5


def test_the_chinese_schedule_shows_the_next_three_and_every_overdue_one():
    """The zh-CN reminder's rows (PlanBlock.shown(3)): the paid ones as a row, the next three a row
    each, the rest as a row with its count; an installment already late is a row of its own."""
    plan = _reminder("CN", 4).plan  # type: ignore[attr-defined]
    paid, *shown, coming = plan.shown(3)
    assert (paid.first_no, paid.last_no) == (1, 4) and [r.no for r in shown] == [5, 6, 7]
    assert (coming.first_no, coming.last_no, coming.count, coming.amount) == (8, 12, 5, AMOUNT * 5)
    late = tuple(ln.model_copy(update={"days_late": 3}) if ln.no in (5, 9) else ln for ln in plan.lines)
    rows = plan.model_copy(update={"lines": late}).shown(3)
    assert [getattr(r, "no", None) for r in rows] == [None, 5, 6, 7, 8, 9, None]
    assert [r.no for r in _reminder("CN", 10).plan.shown(3)[1:]] == [11, 12]  # type: ignore[attr-defined]


CASES = [(profile, paid, overdue) for profile in ("US", "CN") for paid in (0, 1, 4, 10) for overdue in (False, True)]


def test_a_twelve_installment_reminder_is_one_page_in_pdf_and_libreoffice(tmp_path):
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    docs = []
    for profile, paid, overdue in CASES:
        ctx = _reminder(profile, paid, overdue=overdue)
        pdf = render(ctx, "pdf", templates_dir=TEMPLATES)
        assert pdf.pages == 1, (profile, paid, overdue)
        name = tmp_path / f"r-{profile}-{paid}-{int(overdue)}.docx"
        name.write_bytes(render(ctx, "docx", templates_dir=TEMPLATES).data)
        docs.append(name)
    subprocess.run([soffice, f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}", "--headless", "--convert-to",
                    "pdf", "--outdir", str(tmp_path / "lo-out"), *map(str, docs)], capture_output=True, check=True,
                   timeout=600)
    pages = {d.stem: len(proofread.pdf_pages(tmp_path / "lo-out" / f"{d.stem}.pdf")) for d in docs}
    assert set(pages.values()) == {1}, pages


def _pages_in_libreoffice(docs: list[Path], tmp_path: Path) -> dict[str, int]:
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    subprocess.run([soffice, f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}", "--headless", "--convert-to",
                    "pdf", "--outdir", str(tmp_path / "lo-out"), *map(str, docs)], capture_output=True, check=True,
                   timeout=600)
    return {d.stem: len(proofread.pdf_pages(tmp_path / "lo-out" / f"{d.stem}.pdf")) for d in docs}


def test_a_36_installment_plan_with_partly_paid_installments_is_one_page(db, settings, tmp_path):
    """A CN case's English reminder of a 36-installment plan (issue 10: it ran to two pages). The
    case: three payments short of an installment each, which the plan applies oldest first (two paid
    in full, the third in part). Its variant has two installments after the next one partly paid
    (as a correction or a reallocation leaves them): those to come are still one row."""
    case = import_case(db)
    signed_plan(db, case, signed=date(2026, 8, 10), count=36,
                paid=((date(2026, 9, 9), "300.00"), (date(2026, 10, 9), "300.00"), (date(2026, 11, 9), "300.00")))
    kind = get_kind("plan_reminder")
    doc = DocMeta(kind=kind.kind, profile="CN", locale="en-US", audience=kind.audience, as_of=DEMO_ANCHOR,
                  case_ref=case.ref)
    ctx = kind.context_class().build(CaseFacts(load_case_file(db, case.ref), DEMO_ANCHOR, demo_clock()), doc)
    plan = ctx.plan  # type: ignore[attr-defined]
    assert len(plan.lines) == 36 and [ln.no for ln in plan.lines if 0 < ln.paid < ln.amount] == [3]
    part = plan.lines[4].amount / 2
    lines = tuple(ln.model_copy(update={"paid": part}) if ln.no in (5, 7) else ln for ln in plan.lines)
    corrected = ctx.model_copy(update={"plan": plan.model_copy(update={"lines": lines, "paid": plan.paid + 2 * part})})
    shown = corrected.plan.shown(3)  # type: ignore[attr-defined]
    assert [type(r) for r in shown] == [PlanRun, PlanLine, PlanLine, PlanLine, PlanRun]
    docs = []
    for name, c in (("case", ctx), ("two-partly-paid", corrected)):
        pdf = render(c, "pdf", templates_dir=settings.templates_dir)
        assert pdf.pages == 1, name
        docs.append(tmp_path / f"{name}.docx")
        docs[-1].write_bytes(render(c, "docx", templates_dir=settings.templates_dir).data)
    assert set(_pages_in_libreoffice(docs, tmp_path).values()) == {1}


def test_a_36_installment_plan_reminder_in_chinese_is_one_page(db, settings, tmp_path):
    """The same case's reminder in Chinese (issue 10: it listed all 36 instalments and ran to two
    pages): the paid ones, the next three and the rest's count and total, one page in the PDF and
    in LibreOffice."""
    case = import_case(db)
    signed_plan(db, case, signed=date(2026, 8, 10), count=36,
                paid=((date(2026, 9, 9), "300.00"), (date(2026, 10, 9), "300.00"), (date(2026, 11, 9), "300.00")))
    kind = get_kind("plan_reminder")
    doc = DocMeta(kind=kind.kind, profile="CN", locale="zh-CN", audience=kind.audience, as_of=DEMO_ANCHOR,
                  case_ref=case.ref)
    ctx = kind.context_class().build(CaseFacts(load_case_file(db, case.ref), DEMO_ANCHOR, demo_clock()), doc)
    pdf = render(ctx, "pdf", templates_dir=settings.templates_dir)
    (tmp_path / "reminder.pdf").write_bytes(pdf.data)
    text = proofread.SPACE.sub("", "".join(proofread.pdf_pages(tmp_path / "reminder.pdf")))
    rest = ctx.plan.shown(3)[-1]  # type: ignore[attr-defined]
    assert isinstance(rest, PlanRun) and f"共{rest.count}期" in text and rest.last_no == 36
    assert pdf.pages == 1
    docx = tmp_path / "reminder.docx"
    docx.write_bytes(render(ctx, "docx", templates_dir=settings.templates_dir).data)
    assert _pages_in_libreoffice([docx], tmp_path) == {"reminder": 1}
