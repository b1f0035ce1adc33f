"""The English plan reminder (US, and CN in English) is one page however long the plan: the
installments paid in full are one row, the next is a row, those to come are one row
(PlanBlock.schedule), in the PDF and in the DOCX as LibreOffice lays it out."""

import shutil
import subprocess
from datetime import timedelta
from decimal import Decimal

import pytest

from service.demo import proofread
from service.documents.contexts.plans import PlanLine, PlanRun
from service.documents.registry import get_kind
from service.documents.render import render
from tests.documents.conftest import AS_OF, TEMPLATES, Variant

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


def test_the_schedule_collapses_the_paid_and_the_coming_installments():
    schedule = _reminder("US", 4).plan.schedule  # type: ignore[attr-defined]
    assert [type(r) for r in schedule] == [PlanRun, PlanLine, PlanRun]
    paid, nxt, coming = schedule
    assert (paid.first_no, paid.last_no, paid.paid_in_full, paid.amount) == (1, 4, True, AMOUNT * 4)
    assert nxt.no == 5
    assert (coming.first_no, coming.last_no, coming.paid_in_full, coming.amount) == (6, 12, False, AMOUNT * 7)
    assert [type(r) for r in _reminder("US", 0).plan.schedule] == [PlanLine, PlanRun]  # type: ignore[attr-defined]
    assert [r.no for r in _reminder("US", 10).plan.schedule[1:]] == [11, 12]  # type: ignore[attr-defined]


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
