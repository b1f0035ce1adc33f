"""US-22, California's Rosenthal Act notice (Cal. Civ. Code 1812.700): a third-party debt collector's
first written notice to a debtor at a California address carries the prescribed notice of the
debtor's rights, word for word, in at least the type size that states the debt (1812.701(b)). The
validation notice and the overdue reminder letter (the kinds a collector may send first) carry it
for a collector's California case; an original creditor's, or another state's, do not."""

import re
import subprocess

import pytest

from service.cases.casefile import load_case_file
from service.core.settings import get_settings
from service.documents.format import usd
from service.documents.render import render
from tests.documents.conftest import squash
from tests.documents.legal_cases import context, texts
from tests.documents.test_acceleration_notices import in_state

NOTICE = ("The state Rosenthal Fair Debt Collection Practices Act and the federal Fair Debt Collection Practices "
          "Act require that, except under unusual circumstances, collectors may not contact you before 8 a.m. or "
          "after 9 p.m. They may not harass you by using threats of violence or arrest or by using obscene "
          "language. Collectors may not use false or misleading statements or call you at work if they know or "
          "have reason to know that you may not receive personal calls at work. For the most part, collectors may "
          "not tell another person, other than your attorney or spouse, about your debt. Collectors may contact "
          "another person to confirm your location or enforce a judgment. For more information about debt "
          "collection activities, you may contact the Federal Trade Commission at 1-877-FTC-HELP or www.ftc.gov.")
KINDS = ("validation_notice", "overdue_reminder")


def _case(db, state: str, *, collector: bool = True):  # type: ignore[no-untyped-def]
    case = in_state(db, state, accelerated_on=None)
    case.stage = "PHONE"
    if collector:
        lender = load_case_file(db, case.ref).lender
        lender.creditor_role, lender.collects_for = "debt_collector", "Lakeside Consumer Credit, LLC"
    db.flush()
    return case


@pytest.mark.parametrize("kind", KINDS)
def test_a_collectors_first_letter_to_a_california_debtor_carries_the_notice_word_for_word(db, tmp_path, kind):
    case = _case(db, "CA")
    ctx = context(db, case.ref, kind)
    assert ctx.rosenthal_notice  # type: ignore[attr-defined]
    for text in texts(ctx, tmp_path):  # the PDF and the DOCX
        assert squash(NOTICE) in squash(text), kind


@pytest.mark.parametrize(("state", "collector"), [("CA", False), ("IL", True), ("TX", True)])
def test_an_original_creditor_or_another_state_gets_no_rosenthal_notice(db, tmp_path, state, collector):
    case = _case(db, state, collector=collector)
    for kind in KINDS if collector else ("overdue_reminder",):  # an original creditor sends no validation notice
        ctx = context(db, case.ref, kind)
        assert not ctx.rosenthal_notice  # type: ignore[attr-defined]
        for text in texts(ctx, tmp_path):
            assert "Rosenthal" not in text and "1-877-FTC-HELP" not in text, (state, kind)


def _word_heights(pdf: bytes, tmp_path) -> list[tuple[str, float]]:  # type: ignore[no-untyped-def]
    path = tmp_path / "notice.pdf"
    path.write_bytes(pdf)
    boxes = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True,
                           check=True).stdout
    return [(m.group(3), float(m.group(2)) - float(m.group(1)))
            for m in re.finditer(r'<word xMin="[^"]+" yMin="([^"]+)" xMax="[^"]+" yMax="([^"]+)">([^<]*)</word>',
                                 boxes)]


def test_the_notice_is_in_at_least_the_type_size_that_states_the_debt(db, tmp_path):
    """1812.701(b): the notice's words are no smaller than the itemization's amounts (the words
    that inform the debtor of the debt), nor than the letter's body text."""
    case = _case(db, "CA")
    ctx = context(db, case.ref, "validation_notice")
    words = _word_heights(render(ctx, "pdf", templates_dir=get_settings().templates_dir).data, tmp_path)
    current = usd(ctx.itemization.current)  # type: ignore[attr-defined]
    debt = [h for w, h in words if w == current]
    notice = [h for w, h in words if w in ("Rosenthal", "harass", "Commission")]
    assert debt and len(notice) == 3, (current, debt, notice)
    assert min(notice) >= max(debt) - 0.01
    body = [h for w, h in words if w == "collect"]  # "We are trying to collect a debt"
    assert body and min(notice) >= min(body) - 0.01


@pytest.mark.parametrize("kind", KINDS)
def test_a_debtor_spoken_to_in_another_language_is_flagged_for_the_notice_in_it(db, kind):
    """1812.700(c) (issue 8): where the first oral contact was principally in another language, the
    notice goes to the debtor in that language within five working days. The notices print it in
    English; a borrower whose recorded language is another gets a named US-22 warning with the notice
    (not a refusal: the English notice is still due with the first written notice, 1812.700(b))."""
    from service.documents import service as documents_service

    case = _case(db, "CA")
    assert documents_service.generation_warnings(db, case.ref, kind) == []  # an English-speaking debtor
    load_case_file(db, case.ref).borrower.language = "zh-CN"
    db.flush()
    [warning] = documents_service.generation_warnings(db, case.ref, kind)
    assert warning.rule == "US-22" and "is zh-CN" in warning.message and "1812.700(c)" in warning.message
    assert "within five working days" in warning.message
    assert context(db, case.ref, kind).rosenthal_notice  # type: ignore[attr-defined]  # still carried, in English
    case.us_state = "IL"
    db.flush()
    assert documents_service.generation_warnings(db, case.ref, kind) == []  # not California
