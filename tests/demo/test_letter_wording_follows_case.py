"""Wording that must follow the case's own figures (case-file review 2026-12-05):

- V-1: the demand letter said "逾期期间罚息将持续计收" to a borrower with no overdue principal,
  in a letter whose own table shows 罚息 0.00 — the misstatement the visit brief forbids staff to
  make. It now says a penalty runs only where overdue principal does.
- C12-5: the complaint's second claim said "罚息340.49元（合计340.49元）"; the total is printed only
  when it adds more than one component.
- V-3: the visit record and brief, written about the borrower, printed the notice's
  "与您本人当面核实…": the demo's purpose is worded without a person.
- Issue 10: the English versions of CN documents printed a person's name in Chinese alone: it is
  its pinyin, the surname in capitals, with the Chinese after it; a company's name stays as it was."""

from decimal import Decimal

from sqlalchemy import select

from service.cases.casefile import load_case_file
from service.cases.models import DebtCase, Visit
from service.core.errors import RuleViolation
from service.documents import service as documents_service
from service.documents.format import person_en
from service.documents.render import render
from service.packets.build import planner_for
from tests.documents.conftest import pdf_text, squash
from tests.factories import DEMO_ANCHOR, demo_clock
from tests.seeded import seed_demo


def _render(db, settings, tmp_path, ref, kind, locale="zh-CN"):
    cf = load_case_file(db, ref)
    try:
        _, _, ctx = documents_service.prepare(db, case_ref=ref, kind=kind, fmt="pdf", locale=locale, as_of=None,
                                              now=demo_clock(tz=cf.borrower.timezone), case_file=cf,
                                              planner=planner_for(settings)(db))
    except RuleViolation:
        return None, None
    return ctx, squash(pdf_text(render(ctx, "pdf", templates_dir=settings.templates_dir).data, tmp_path))


def test_penalty_and_totals_are_worded_from_the_case(db, settings, tmp_path):
    seed_demo(db, anchor=DEMO_ANCHOR, cases=18, settings=settings)
    refs = list(db.scalars(select(DebtCase.ref).where(DebtCase.profile == "CN").order_by(DebtCase.ref)))
    running = quiet = single = 0
    complaint = None
    for ref in refs:
        ctx, flat = _render(db, settings, tmp_path, ref, "demand_letter")
        if ctx is not None:
            if ctx.amounts.principal > 0:
                assert "逾期本金自逾期之日起按上表所列" in flat and "目前尚无逾期本金" not in flat, ref
                running += 1
            else:
                assert "目前尚无逾期本金，不计收" in flat and "将持续计收" not in flat, ref
                quiet += 1
        ctx, flat = _render(db, settings, tmp_path, ref, "civil_complaint")
        if ctx is not None:
            complaint = ctx
            c = ctx.claim
            claim_two = flat[flat.index("二、判令被告"):flat.index("三、")]
            if c.interest or c.compound or c.fees:
                assert f"（合计{c.cost:,.2f}元）" in claim_two, ref
            else:
                assert "合计" not in claim_two, ref
                single += 1
    assert running and quiet, (running, quiet)
    if not single:  # since V-2 every breached demo plan revives interest: a complaint's penalty alone, made so
        assert complaint is not None
        nothing = Decimal(0)
        claim = complaint.claim.model_copy(  # type: ignore[attr-defined]
            update={"interest": nothing, "compound": nothing, "fees": nothing})
        flat = squash(pdf_text(render(complaint.model_copy(update={"claim": claim}), "pdf",
                                      templates_dir=settings.templates_dir).data, tmp_path))
        claim_two = flat[flat.index("二、判令被告"):flat.index("三、")]
        assert "罚息" in claim_two and "合计" not in claim_two, claim_two


def test_the_visit_record_speaks_of_the_borrower_not_to_them(db, settings, tmp_path):
    seed_demo(db, anchor=DEMO_ANCHOR, cases=18, settings=settings)
    purposes = set(db.scalars(select(Visit.purpose)))
    assert purposes and not any("您" in p for p in purposes), purposes
    seen = 0
    for ref in db.scalars(select(DebtCase.ref).where(DebtCase.profile == "CN").order_by(DebtCase.ref)):
        ctx, flat = _render(db, settings, tmp_path, ref, "visit_record")
        if ctx is not None:
            assert "当面核实联系方式和居住情况" in flat and "与您本人" not in flat, ref
            seen += 1
    assert seen


def test_the_english_versions_of_a_cn_case_spell_each_persons_name_in_pinyin(db, settings, tmp_path):
    seed_demo(db, anchor=DEMO_ANCHOR, cases=18, settings=settings)
    seen = set()
    for ref in db.scalars(select(DebtCase.ref).where(DebtCase.profile == "CN").order_by(DebtCase.ref)):
        for kind in ("power_of_attorney", "repayment_agreement"):
            ctx, flat = _render(db, settings, tmp_path, ref, kind, "en-US")
            if ctx is None or kind in seen:
                continue
            if kind == "power_of_attorney":
                people = (ctx.plaintiff.legal_rep, ctx.agent.lawyer, ctx.defendant.name)
                assert squash(ctx.plaintiff.name_en) in flat, ref  # a company's name as it was
            else:
                people = (ctx.borrower.name, ctx.lender.legal_rep)
            for person in people:
                assert squash(person_en(person)) in flat, (ref, kind, person)
                assert person_en(person).split(" (")[0].split()[0].isupper(), person
            seen.add(kind)
    assert seen == {"power_of_attorney", "repayment_agreement"}, seen
