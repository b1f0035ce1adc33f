"""Every kind valid at a demo case's stage renders in both formats, and reads as a careful reader
would have it (service/demo/proofread.py: no signature block alone on a page, no broken token, no
Chinese in English but names and addresses, no date that is not a fact of the case); the only
refusals are the rules a careful collector would expect (credit wording before the pre-notice,
nothing overdue). The catalogue (tests/documents/test_catalogue.py) reads a case per stage more
closely, the DOCX as LibreOffice lays it out included."""

from datetime import date

import pytest
from sqlalchemy import select
from stdnum.cn import uscc

from service.cases.casefile import load_case_file
from service.cases.enums import LicenceType
from service.cases.models import DebtCase, LawFirm
from service.core.clock import today
from service.core.errors import RuleViolation
from service.demo import proofread
from service.documents import service as documents_service
from service.documents.docx import docx_text
from service.documents.registry import KINDS, LITIGATION
from service.documents.render import render
from service.packets.build import planner_for
from tests.factories import DEMO_ANCHOR, demo_clock
from tests.seeded import seed_demo

EXPECTED_REFUSALS = {("demand_letter", "CN-10"), ("demand_letter", "ESC-01"), ("credit_report_prenotice", "ESC-01"),
                     ("credit_report_prenotice", "CN-31"), ("validation_notice", "US-14"),
                     ("overdue_reminder", "ESC-01"),
                     ("demand_letter", "PLAN-03"),  # a signed agreement governs: its breach notice, not a demand
                     ("credit_report_prenotice", "PLAN-03"),  # nor a pre-notice before the agreement is accelerated
                     ("visit_notice", "DOC-03"),  # the demo sent today's visit notice already: not twice
                     # the partner firm's lawyer letter went out and reached the borrower: not again
                     # (the demo's case whose letter is still due: seed.LETTER_DUE_ROUND, test below)
                     ("lawyer_letter", "DOC-08"), ("lawyer_letter", "DOC-09"),
                     # a cure deadline inside a collector's validation period would overshadow it
                     ("notice_of_intent_to_accelerate", "US-16"),
                     # a plan whose missed instalment was its last had matured: nothing is left to accelerate
                     ("notice_of_intent_to_accelerate", "US-21"), ("notice_of_acceleration", "US-21")}


def test_every_valid_kind_renders_for_every_demo_case(db, settings, tmp_path):
    seed_demo(db, anchor=DEMO_ANCHOR, cases=18, settings=settings)
    rendered, refused, planner, misread = 0, set(), planner_for(settings)(db), {}
    for case in db.scalars(select(DebtCase).order_by(DebtCase.id)):
        daytime = demo_clock(tz=load_case_file(db, case.ref).borrower.timezone)
        for kind in (k for k in KINDS.values() if case.stage in k.stages and case.profile in k.locales):
            for locale in kind.locales[case.profile]:
                for fmt in kind.formats:
                    try:
                        facts, _, ctx = documents_service.prepare(db, case_ref=case.ref, kind=kind.kind, fmt=fmt,
                                                                  locale=locale, as_of=None, now=daytime,
                                                                  planner=planner)
                    except RuleViolation as exc:
                        refused |= {(kind.kind, v.rule) for v in exc.violations}
                        continue
                    out = render(ctx, fmt, templates_dir=settings.templates_dir)
                    assert out.data and (out.pages or fmt != "pdf")
                    rendered += 1
                    if found := _misread(facts, ctx, fmt, out.data, tmp_path / "d.pdf"):
                        misread[f"{case.ref}/{kind.kind}.{locale}.{fmt}"] = found
    assert rendered > 150
    assert refused <= EXPECTED_REFUSALS, refused - EXPECTED_REFUSALS
    assert not misread, "\n".join(f"{k}: {v}" for k, v in sorted(misread.items()))


def _misread(facts, ctx, fmt: str, data: bytes, path) -> list[str]:
    """What a careful reader finds wrong in one document: in the PDF, a signature block alone on a
    page, a token or article reference broken across lines, a checkbox cut from its label (the DOCX
    as LibreOffice lays it out: the catalogue); in both, one signer's seal marked twice (issue 10) and Chinese in an
    English document but names and addresses; in the DOCX text, where table cells do not
    interleave, a date that is no fact of the case."""
    doc = ctx.doc
    if fmt not in ("pdf", "docx"):  # the SMS: tests/documents/test_sms (one segment, its own words)
        return []
    if fmt == "pdf":
        path.write_bytes(data)
        pages = proofread.pdf_pages(path)
        tokens = proofread.tokens_of(ctx, us=doc.profile == "US", zh=doc.is_zh)
        found = [f"signature alone on page {n}" for n in proofread.orphan_signature_pages(pages)]
        found += [f"broken: {t}" for t in proofread.split_tokens(pages, tokens) + proofread.split_references(pages)]
        found += [f"checkbox without its label: {line}" for line in proofread.split_checkboxes(pages)]
    else:
        pages = [docx_text(data)]
        stray = proofread.printed_dates(pages[0]) - facts.record.dates() - proofread.dates_of(ctx)
        found = [f"date not in the facts: {d}" for d in sorted(stray)]
    found += [f"two seal markers for one seal: {line}" for line in proofread.double_seals(pages)]
    if doc.locale == "en-US":
        found += [f"Chinese: {r}" for r in proofread.foreign_cjk("\n".join(pages), proofread.names_and_addresses(ctx))]
    return found


# A year's turn, a leap day, a month end, a Sunday and today: the demo must not depend on the day it is
# seeded (an anchor cannot lie in the future: contracts would be signed after today).
ANCHORS = [date(2025, 12, 31), date(2024, 2, 29), date(2026, 2, 28), date(2026, 6, 7), today()]


@pytest.mark.parametrize("anchor", ANCHORS, ids=str)
def test_every_kind_can_be_generated_from_some_demo_case_on_any_day(db, settings, anchor):
    """Whatever day the demo is anchored to, each kind passes its rules for at least one demo case
    at 11:00 that day (documents are not rendered: the test above renders them)."""
    # As `dossier demo seed` seeds it (`make run`): with the court sets. The notice of acceleration
    # needs a Texas case accelerated on notice; the first Texas case in pre-litigation may have
    # missed its plan's last instalment, leaving nothing to accelerate (US-21).
    seed_demo(db, anchor=anchor, cases=64, settings=settings, court_sets=True)
    ready: set[str] = set()
    refusals: dict[str, set[str]] = {}
    for case in db.scalars(select(DebtCase).order_by(DebtCase.id)):
        cf = load_case_file(db, case.ref)
        for kind in (k for k in KINDS.values() if k.kind not in ready and case.profile in k.locales
                     and case.stage in k.stages):
            try:
                documents_service.prepare(db, case_ref=case.ref, kind=kind.kind, fmt="pdf", locale=None, as_of=None,
                                          now=demo_clock(anchor, tz=cf.borrower.timezone), case_file=cf,
                                          planner=planner_for(settings)(db))
            except RuleViolation as exc:
                refusals.setdefault(kind.kind, set()).update(v.rule for v in exc.violations)
                continue
            ready.add(kind.kind)
    missing = {k: sorted(refusals.get(k, {"no demo case at a stage for it"})) for k in KINDS if k not in ready}
    assert not missing, missing
    _demo_contents(db)


def _demo_contents(db):
    """What the demo must contain whatever its anchor (issue 8): lenders of every licence type with
    cases in litigation, valid unified social credit codes, an instalment plan whose agreement can be
    generated, US cases in several states with a collector and an original creditor."""
    cases = [load_case_file(db, ref) for ref in db.scalars(select(DebtCase.ref))]
    litigating = {cf.lender.licence_type for cf in cases if cf.case.stage in LITIGATION and cf.case.profile == "CN"}
    assert litigating == set(LicenceType)
    assert all(uscc.is_valid(cf.lender.uscc) for cf in cases if cf.case.profile == "CN")
    # a Chinese law firm's practice licence number is its unified social credit code (31…): a clerk checks it
    firms = db.scalars(select(LawFirm)).all()
    assert firms and all(uscc.is_valid(f.licence_no) for f in firms if f.licence_no.startswith("31")), \
        [f.licence_no for f in firms]
    assert any(p.plan_type == "instalments" for cf in cases if cf.case.stage in KINDS["repayment_agreement"].stages
               for p in cf.plans)
    us = [cf for cf in cases if cf.case.profile == "US"]
    assert {cf.case.us_state for cf in us} == {"NY", "IL", "CA", "TX"}
    assert {cf.lender.creditor_role for cf in us} == {"original_creditor", "debt_collector"}
