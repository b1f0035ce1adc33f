"""Every kind for the demo cases that reach it (service/demo/catalogue.py), the packet's pieces
included (payment history, schedule, notice history, covers: a clerk reads them too), read as a careful
reader would (service/demo/proofread.py): pagination, unbroken tokens, one language, and the
facts each document states against the case's facts record.

The demo is seeded and every document rendered once for the module; the checks share them.
"""

import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from service.cases.enums import Stage
from service.cases.models import Borrower, DebtCase, Lender
from service.core.settings import Settings
from service.demo import factcheck, proofread
from service.demo.catalogue import PACKET_ONLY, Item, Refusal, pick_cases, render_case
from service.documents.docx import docx_text
from service.documents.format import date_cn
from service.documents.registry import KINDS, LITIGATION
from tests.factories import DEMO_ANCHOR
from tests.seeded import seed_demo


@dataclass(frozen=True)
class Read:
    item: Item
    pages: list[str]  # PDF pages' text (pdftotext); for a DOCX, its text as one page
    path: Path

    @property
    def text(self) -> str:
        return "\n".join(self.pages)


@dataclass(frozen=True)
class World:
    """The demo seeded for the module (rolled back after it), and every party's name in it."""

    session: Session
    settings: Settings
    out: Path
    names: frozenset[str]  # every borrower's and lender's name, Chinese and English


@pytest.fixture(scope="module")
def world(engine: Engine, settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    with engine.connect() as conn:
        trans = conn.begin()
        session = Session(bind=conn, join_transaction_mode="create_savepoint", expire_on_commit=False)
        try:
            # with the court sets: a case before litigation for every CN lender type and US state (the
            # cases before them are the same without them, so the catalogue's picks do not change)
            seed_demo(session, anchor=DEMO_ANCHOR, cases=40, settings=settings, court_sets=True)
            names = {n for row in session.execute(select(Borrower.name, Borrower.name_en)) for n in row}
            names |= {n for row in session.execute(select(Lender.name, Lender.name_en)) for n in row}
            yield World(session, settings, tmp_path_factory.mktemp("catalogue"), frozenset(n for n in names if n))
        finally:
            session.close()
            trans.rollback()


def _read(world: World, refs: list[str]) -> list[Read]:
    found: list[Read] = []
    for ref in refs:
        for result in render_case(world.session, world.settings, ref, DEMO_ANCHOR, packet_pieces=True):
            if isinstance(result, Refusal):
                continue
            path = world.out / result.name.replace("/", "__")
            path.write_bytes(result.rendered.data)
            if result.fmt == "pdf":
                found.append(Read(result, proofread.pdf_pages(path), path))
            else:
                found.append(Read(result, [docx_text(result.rendered.data)], path))
    return found


@pytest.fixture(scope="module")
def catalogue(world: World) -> list[Read]:
    return _read(world, pick_cases(world.session))


@pytest.fixture(scope="module")
def litigation(world: World, catalogue: list[Read]) -> list[Read]:
    """The demo cases in a litigation stage (or whose plan was breached) the catalogue did not pick,
    the court sets (every CN lender type, every US state) among them, every kind valid for them in
    both formats (issue 8: every such case's court documents)."""
    picked = {r.item.case_ref for r in catalogue}
    refs = world.session.scalars(select(DebtCase.ref).where(DebtCase.stage.in_(LITIGATION | {Stage.PLAN_BREACHED}))
                                 .order_by(DebtCase.ref))
    return _read(world, [ref for ref in refs if ref not in picked])


@pytest.fixture(scope="module")
def libreoffice(catalogue: list[Read], tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    """Every DOCX of the catalogue as LibreOffice lays it out (one soffice call): pages' text by name."""
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    out, profile = tmp_path_factory.mktemp("lo"), tmp_path_factory.mktemp("lo-profile")
    docs = [r for r in catalogue if r.item.fmt == "docx"]
    subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(out), *(str(r.path) for r in docs)], capture_output=True, check=True, timeout=900)
    return {r.item.name: proofread.pdf_pages(out / (r.path.stem + ".pdf")) for r in docs}


def _pdfs(catalogue: list[Read]) -> list[Read]:
    return [r for r in catalogue if r.item.fmt == "pdf"]


def test_the_demo_cases_reach_every_kind_in_both_formats(catalogue: list[Read], litigation: list[Read]) -> None:
    # The notice of acceleration needs a Texas case accelerated on notice (US-19): the first US case
    # in pre-litigation (the catalogue's) missed its plan's last instalment, so nothing was left to
    # accelerate (US-21); the Texas court set is accelerated.
    rendered = {(r.item.kind, r.item.fmt) for r in catalogue + litigation}
    expected = {(k, f) for k in KINDS if k not in PACKET_ONLY for f in ("pdf", "docx")}
    assert expected <= rendered, sorted(expected - rendered)
    assert {r.item.context.doc.profile for r in catalogue} == {"CN", "US"}


def test_no_page_begins_with_a_signature_block(catalogue: list[Read]) -> None:
    orphans = {r.item.name: proofread.orphan_signature_pages(r.pages) for r in _pdfs(catalogue)}
    assert not {k: v for k, v in orphans.items() if v}


def test_no_token_is_broken_across_lines(catalogue: list[Read]) -> None:
    broken = {}
    for r in _pdfs(catalogue):
        doc = r.item.context.doc
        found = proofread.split_tokens(r.pages, proofread.tokens_of(r.item.context, us=doc.profile == "US",
                                                                      zh=doc.is_zh))
        found += proofread.split_references(r.pages)  # 第六百六十七条: the templates' own references
        if found:
            broken[r.item.name] = found
    assert not broken


def test_english_documents_carry_no_chinese_but_names_and_addresses(catalogue: list[Read]) -> None:
    foreign = {}
    for r in catalogue:
        if r.item.locale == "en-US":
            runs = proofread.foreign_cjk(r.text, proofread.names_and_addresses(r.item.context))
            if runs:
                foreign[f"{r.item.name} ({r.item.fmt})"] = runs
    assert not foreign


def test_us_documents_have_no_seal_markers(catalogue: list[Read]) -> None:
    us = [r for r in catalogue if r.item.context.doc.profile == "US"]
    assert us
    for r in us:
        assert "(seal" not in r.text and "seal area" not in r.text, r.item.name


def test_english_documents_use_us_spelling_and_one_period_after_a_name(catalogue: list[Read]) -> None:
    """Every en-US document of the demo cases, CN and US: "installment", "organization", "totaling"
    (tests/documents/test_english.py checks the templates' own words), and no "Co., Ltd.."."""
    english = [r for r in catalogue if r.item.locale == "en-US"]
    assert {r.item.context.doc.profile for r in english} == {"CN", "US"}
    found = {f"{r.item.name} ({r.item.fmt})": proofread.british_spellings(r.text) + proofread.doubled_stops(r.text)
             for r in english}
    assert not {k: v for k, v in found.items() if v}


def test_agreements_say_which_language_prevails(catalogue: list[Read]) -> None:
    agreements = [r for r in catalogue if r.item.kind == "repayment_agreement"]
    assert {(r.item.context.doc.profile, r.item.locale) for r in agreements} >= {("CN", "zh-CN"), ("CN", "en-US"),
                                                                                  ("US", "en-US")}
    for r in agreements:
        text = proofread.SPACE.sub("", r.text)
        assert re.search(r"以中文文本为准|Chineseversionprevails|Englishversioncontrols", text), r.item.name


# ------------------------------------------------------------------ facts against the facts record


def test_contact_history_stated_as_the_record_has_it(catalogue: list[Read]) -> None:
    """The complaint, the element form and the lawyer letter count every demand for performance and
    date the last one as the case's log does (not only those that reached the borrower; not a visit
    notice, which demands nothing: ContactHistory.demands); the lawyer letter those before it (its
    own earlier send is not one: ContactHistory.before)."""
    checked = 0
    for r in catalogue:
        if r.item.kind not in ("civil_complaint", "complaint_elements", "lawyer_letter"):
            continue
        contacts = r.item.facts.record.contacts
        if r.item.kind == "lawyer_letter":
            contacts = contacts.before("lawyer_letter", r.item.facts.as_of)
        contacts = contacts.demands
        assert contacts.attempts > len(contacts.reached) > 0, "the demo case should have unanswered calls too"
        text = proofread.SPACE.sub("", r.text)
        assert f"先后{contacts.attempts}次" in text, r.item.name
        assert f"最近一次为{date_cn(contacts.last)}" in text, r.item.name  # type: ignore[arg-type]
        checked += 1
    assert checked == 6


def test_every_date_printed_is_a_fact_of_the_case(catalogue: list[Read]) -> None:
    """Every date a document prints is in the case's facts record or in the values its context was
    built with from the case (the money layer's due dates, the policy's deadlines): none is derived
    in a template or typed into one."""
    stray = {}
    for r in catalogue:
        if r.item.fmt != "docx":  # the DOCX text holds the same dates as the PDF, without page furniture
            continue
        known = r.item.facts.record.dates() | proofread.dates_of(r.item.context)
        if found := sorted(proofread.printed_dates(r.text) - known):
            stray[r.item.name] = found
    assert not stray


def test_the_contract_is_named_as_it_names_itself(catalogue: list[Read]) -> None:
    """Every 《…合同》 in a Chinese document of a case is the contract's own title (read in the DOCX
    text, where table cells do not interleave; the PDF's text equals it, tests/documents/test_samples)."""
    titled = 0
    for r in catalogue:
        if not r.item.context.doc.is_zh or r.item.fmt != "docx":
            continue
        title = r.item.facts.record.contract.title
        names = set(re.findall(r"《([^《》]*合同)》", proofread.SPACE.sub("", r.text)))
        assert names <= {title}, (r.item.name, names)
        titled += bool(names)
    assert titled >= 4


def test_a_us_case_names_its_contract_one_way(catalogue: list[Read]) -> None:
    """Every US document names the loan contract by its own title and the account's filed tail,
    "Personal Installment Loan Agreement (account ending in 4512)" (tests/documents/test_us_contract_name)."""
    named = set()
    for r in catalogue:
        if r.item.context.doc.profile != "US" or r.item.fmt != "docx":
            continue
        contract = r.item.facts.record.contract
        name = (f"{contract.title or 'Loan Agreement'} (account ending in "
                f"{r.item.context.doc.filing_account(contract.contract_no)})")
        text = " ".join(r.text.split())
        assert text.count("(account ending in ") == text.count(name), (r.item.name, name)
        assert not re.search(r"loan agreement (?:no\.\s*)?ending", text, re.IGNORECASE), r.item.name
        if name in text:
            named.add(r.item.kind)
    assert {"affidavit_of_debt", "claim_statement", "evidence_index"} <= named, named


def test_a_late_plan_instalment_is_not_asked_for_before_its_due_date(catalogue: list[Read]) -> None:
    reminders = [r for r in catalogue if r.item.kind == "plan_reminder"]
    assert reminders
    for r in reminders:
        ctx = r.item.context
        late = ctx.next_line.due_date < ctx.doc.as_of  # type: ignore[attr-defined]
        assert ctx.overdue is late  # type: ignore[attr-defined]
        if late:
            assert "请于应还日期前" not in r.text and "Please pay by the due date" not in r.text


@pytest.mark.parametrize("profile,locale", [("CN", "zh-CN"), ("CN", "en-US"), ("US", "en-US")])
def test_a_plan_reminder_after_the_due_date_names_the_end_of_grace(profile: str, locale: str) -> None:
    from datetime import timedelta

    from service.documents.contexts.common import DocMeta
    from service.documents.contexts.plans import PlanReminderContext
    from service.documents.registry import Audience
    from service.documents.render import render_html
    from tests.documents.conftest import TEMPLATES

    doc = DocMeta(kind="plan_reminder", profile=profile, locale=locale, audience=Audience.BORROWER,
                  as_of=DEMO_ANCHOR, case_ref="X-1")
    ctx = PlanReminderContext.sample(doc)
    line = ctx.next_line.model_copy(update={"due_date": DEMO_ANCHOR - timedelta(days=2), "days_late": 2})
    late = ctx.model_copy(update={"next_line": line, "overdue": True, "grace_end": DEMO_ANCHOR + timedelta(days=3)})
    text = proofread.SPACE.sub("", re.sub(r"<[^>]+>", "", render_html(late, TEMPLATES)))
    assert "请于应还日期前" not in text and "Pleasepaybytheduedate" not in text
    assert ("2026年11月30日" in text) if locale == "zh-CN" else ("November30,2026" in text)


# ------------------------------------------------------------------ DOCX as LibreOffice lays it out


def test_docx_pages_within_one_of_the_pdf_and_no_signature_page(catalogue: list[Read],
                                                                 libreoffice: dict[str, list[str]]) -> None:
    pdf_pages = {r.item.name.rsplit(".", 1)[0]: len(r.pages) for r in _pdfs(catalogue)}
    far, orphans = {}, {}
    for name, pages in libreoffice.items():
        expected = pdf_pages[name.rsplit(".", 1)[0]]
        if abs(len(pages) - expected) > 1:
            far[name] = (len(pages), expected)
        if found := proofread.orphan_signature_pages(pages):
            orphans[name] = found
    assert len(libreoffice) > 30
    assert not far
    assert not orphans
    reminders = {name: len(libreoffice[name]) for name in libreoffice if "/overdue_reminder." in name}
    assert reminders and set(reminders.values()) == {1}, reminders  # the one-page reminder stays one page


def test_docx_amounts_and_numbers_unbroken_in_libreoffice(catalogue: list[Read],
                                                            libreoffice: dict[str, list[str]]) -> None:
    """Amounts, IDs, phone and contract numbers and Chinese dates stay whole in the DOCX too (word
    joiners between their characters, which LibreOffice honours)."""
    broken = {}
    for r in (r for r in catalogue if r.item.fmt == "docx"):
        doc = r.item.context.doc
        tokens = set(proofread.tokens_of(r.item.context, us=doc.profile == "US", zh=doc.is_zh))
        pages = libreoffice[r.item.name]
        if found := proofread.split_tokens(pages, tokens) + proofread.split_references(pages):
            broken[r.item.name] = found
    assert not broken


# ------------------------------------------------------------------ every amount, date and name (factcheck.py)


def _allowed(read: Read, world: World, seen: dict[tuple[str, str, str], factcheck.Allowed]) -> factcheck.Allowed:
    key = (read.item.case_ref, read.item.kind, read.item.locale)  # the PDF and the DOCX share it
    if key not in seen:
        seen[key] = factcheck.allowed_for(read.item.facts, read.item.kind, read.item.context, world.names)
    return seen[key]


def test_every_amount_date_count_and_name_printed_is_the_cases(catalogue: list[Read], litigation: list[Read],
                                                                world: World) -> None:
    """Issue 10: every date, amount and name a document prints equals the case's facts record;
    issue 8: every amount and date of a court document equals the claim computation. Read in the
    PDF's text (pdftotext) and the DOCX's (python-docx), for every kind of the catalogue's cases and
    every kind of every other demo case in a litigation stage or whose plan was breached: each
    amount (12,306.43, $29,334.79, 人民币…元 in capitals), date, count of contacts (N次) and of
    payments (N笔) is one the case's facts, its claim computation or a listed derivation of them
    holds (service/demo/factcheck.py); the lender and the borrower are named, no other demo case's
    party is."""
    seen: dict[tuple[str, str, str], factcheck.Allowed] = {}
    stray: dict[str, list[str]] = {}
    read = {"amounts": 0, "capitals": 0, "dates": 0}
    for r in catalogue + litigation:
        allowed = _allowed(r, world, seen)
        if found := factcheck.unexplained(r.text, allowed):
            stray[f"{r.item.name} ({r.item.stage})"] = [str(f) for f in found]
        for k, v in factcheck.tally(r.text).items():
            read[k] += v
    assert not stray, "\n".join(f"{name}:\n  " + "\n  ".join(found) for name, found in sorted(stray.items()))
    # what was read: the court documents of every demo case before litigation, in both formats
    court = {(r.item.case_ref, r.item.kind, r.item.fmt) for r in catalogue + litigation
             if r.item.kind in factcheck.COURT_KINDS}
    pre = world.session.scalars(select(DebtCase.ref).where(DebtCase.stage == Stage.PRE_LITIGATION)).all()
    assert pre and all((ref, kind, fmt) in court for ref in pre for kind in ("claim_statement", "evidence_index")
                       for fmt in ("pdf", "docx")), sorted(court)
    assert read["amounts"] > 3000 and read["capitals"] > 60 and read["dates"] > 1200, read


def _complaint(catalogue: list[Read]) -> Read:
    return next(r for r in catalogue if r.item.kind == "civil_complaint" and r.item.fmt == "docx")


def _perturbed(read: Read, world: World, **update: object) -> list[factcheck.Finding]:
    """The complaint rendered again from its context with some values changed, checked as above."""
    from service.documents.render import render

    ctx = read.item.context
    changed = ctx.model_copy(update={k: v(ctx) if callable(v) else v for k, v in update.items()})
    text = docx_text(render(changed, "docx", templates_dir=world.settings.templates_dir).data)
    assert factcheck.unexplained(read.text, _allowed(read, world, {})) == []
    return factcheck.unexplained(text, _allowed(read, world, {}))


def test_the_fact_check_finds_an_amount_the_claim_does_not_hold(catalogue: list[Read], world: World) -> None:
    """A complaint demanding more than the claim: its principal and total one yuan more."""
    from decimal import Decimal

    from service.documents.format import cn_upper, money

    r = _complaint(catalogue)
    claim = r.item.context.claim  # type: ignore[attr-defined]
    more = claim.model_copy(update={"principal": claim.principal + 1, "claimed_total": claim.claimed_total + 1})
    found = _perturbed(r, world, claim=more)
    assert {(f.what, f.token) for f in found} >= {("amount", money(claim.principal + Decimal(1))),
                                                  ("amount", money(claim.claimed_total + Decimal(1))),
                                                  ("capitals", cn_upper(claim.claimed_total + 1, prefix=""))}, found


def test_the_fact_check_finds_a_date_two_years_ahead_and_a_wrong_count(catalogue: list[Read], world: World) -> None:
    """A date two years ahead and a contact count that is not the log's. (Issue 8 §6's "自2028年8月8日起"
    was a scheduled due date, a date of the record in the wrong place: membership does not catch
    that; tests/demo/test_cross_documents.py checks every "overdue since" against the record.)"""
    from datetime import timedelta

    r = _complaint(catalogue)
    timeline = r.item.context.timeline  # type: ignore[attr-defined]
    later = r.item.facts.as_of + timedelta(days=730)
    assert later not in _allowed(r, world, {}).dates
    contacts = timeline.contacts
    more = contacts.model_copy(update={"contacts": contacts.contacts + (contacts.contacts[-1],) * 9})
    found = _perturbed(r, world, timeline=timeline.model_copy(update={"first_default": later, "contacts": more}))
    assert ("date", later.isoformat()) in {(f.what, f.token) for f in found}, found
    assert contacts.contacts[-1].demand  # the pleading counts the demands: nine more of them
    assert ("contact count", f"{contacts.demands.attempts + 9}次") in {(f.what, f.token) for f in found}, found


def test_the_fact_check_finds_another_cases_borrower(catalogue: list[Read], world: World) -> None:
    r = _complaint(catalogue)
    defendant = r.item.context.defendant  # type: ignore[attr-defined]
    other = next(read.item.facts.cf.borrower.name for read in catalogue
                 if read.item.facts.cf.borrower.name != defendant.name and read.item.facts.cf.case.profile == "CN")
    found = _perturbed(r, world, defendant=defendant.model_copy(update={"name": other}))
    assert ("name", other) in {(f.what, f.token) for f in found}, found
