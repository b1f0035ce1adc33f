"""A contract rate above the cap that binds the lender is never told to the borrower bare (issue 8 §2,
review F1, F3, F4, F10): the lawyer letter, the mediation application, the element form and the
breach notice quote the contract's own rate, cited to its clause, with the cap named beside it and
the excess disclaimed (templates/_partials/rates.*), as the repayment agreement does; the breach
notice no longer cites the capped rate to the contract clause; and the element form derives no
逾期上浮 percentage the contract does not state."""

import re

from sqlalchemy import select

from service.cases.casefile import CaseFile, load_case_file
from service.cases.enums import Stage
from service.cases.models import DebtCase
from service.core.errors import RuleViolation
from service.core.settings import get_settings
from service.documents.contexts.common import DocMeta, DocumentContext
from service.documents.contexts.facts import CaseFacts
from service.documents.format import percent
from service.documents.registry import KINDS
from service.documents.render import render
from tests.documents.conftest import pdf_text, squash
from tests.factories import DEMO_ANCHOR, demo_clock
from tests.seeded import seed_demo

STAGES = (Stage.PLAN_BREACHED, Stage.PRE_LITIGATION, Stage.FILED, Stage.JUDGMENT, Stage.ENFORCEMENT)
LEGAL = ("lawyer_letter", "mediation_application", "complaint_elements")


def _context(cf: CaseFile, kind: str, locale: str = "zh-CN") -> DocumentContext:
    k = KINDS[kind]
    facts = CaseFacts(cf, DEMO_ANCHOR, demo_clock(tz=cf.borrower.timezone))
    doc = DocMeta(kind=kind, profile="CN", locale=locale, audience=k.audience, as_of=DEMO_ANCHOR,
                  case_ref=cf.case.ref)
    return k.context_class().build(facts, doc)


def _text(ctx: DocumentContext, tmp_path) -> str:
    return squash(pdf_text(render(ctx, "pdf", templates_dir=get_settings().templates_dir).data, tmp_path))


def _disclaimed(flat: str, rate: str) -> bool:
    """Every place the rate is stated, the cap's disclaimer follows it in the same sentence."""
    places = [m.end() for m in re.finditer(re.escape(rate), flat)]
    return bool(places) and all(re.match(r"[^。]{0,80}?超过[^。]{0,60}?的部分不予", flat[at:]) for at in places)


def test_above_cap_contract_rates_are_quoted_with_the_cap_named(db, settings, tmp_path):
    seed_demo(db, anchor=DEMO_ANCHOR, cases=18, settings=settings)
    refs = db.scalars(select(DebtCase.ref).where(DebtCase.profile == "CN", DebtCase.stage.in_(STAGES))
                      .order_by(DebtCase.ref))
    above: set[tuple[str, bool]] = set()
    for ref in refs:
        cf = load_case_file(db, ref)
        for kind in LEGAL:
            try:
                ctx = _context(cf, kind)
            except RuleViolation:
                continue
            t = ctx.terms  # type: ignore[attr-defined]
            flat = _text(ctx, tmp_path)
            assert not re.search(r"\d\.\d{5,}%", flat), (ref, kind)  # no raw Decimal (F1)
            private = cf.lender.licence_type in ("non_licensed", "other_licensed")  # 民间借贷
            if kind == "complaint_elements" and not private:
                assert "逾期上浮：无" in flat or "逾期上浮：合同未约定上浮比例" in flat, ref
            for rate in (t.nominal_rate, t.penalty_rate):
                if t.cap is not None and rate > t.cap.rate:
                    assert _disclaimed(flat, percent(rate)), (ref, kind, percent(rate))
                    assert f"超过{t.cap.label_zh}的部分不予主张" in flat, (ref, kind)
                    above.add((kind, private))
    assert {kind for kind, _ in above} == set(LEGAL)
    assert {private for _, private in above} == {True, False}  # a licensed and a private lender


def test_the_breach_notice_cites_the_clauses_own_rate_not_the_cap(db, settings, tmp_path):
    seed_demo(db, anchor=DEMO_ANCHOR, cases=18, settings=settings)
    refs = db.scalars(select(DebtCase.ref).where(DebtCase.profile == "CN", DebtCase.stage.in_(STAGES))
                      .order_by(DebtCase.ref))
    seen = set()
    for ref in refs:
        cf = load_case_file(db, ref)
        try:
            zh, en = _context(cf, "breach_notice"), _context(cf, "breach_notice", "en-US")
        except RuleViolation:
            continue
        a = zh.acceleration  # type: ignore[attr-defined]
        clause = a.penalty_clause
        rate = percent(cf.contract.penalty_rate)
        flat = _text(zh, tmp_path)
        words = " ".join(pdf_text(render(en, "pdf", templates_dir=get_settings().templates_dir).data,
                                  tmp_path).split())
        assert f"原借款合同{clause}约定年利率{rate}" in flat, ref
        if a.cap is not None and cf.contract.penalty_rate > a.cap.rate:
            assert f"原借款合同{clause}约定年利率{rate}，超过{a.cap.label_zh}的部分不予主张" in flat, ref
            assert f"sets {rate} a year; we do not claim the part above {a.cap.label_en}" in words, ref
            seen.add("above")
        else:
            assert "不予主张）至实际清偿" not in flat, ref
            seen.add("within")
    assert "above" in seen, seen
