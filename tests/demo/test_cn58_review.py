"""A litigation lawyer's read of CN-00058's whole file (micro-loan lender QHXD, PRE_LITIGATION), each
fault checked on real renders of the demo's CN cases in a litigation stage:

1. every en-US document names a Chinese person one way, "ZHOU Min (周敏)" (format.person_en), never the
   PartyBlock's name_en fallback to the Chinese name alone ("Dear 周敏");
2. the en-US power of attorney gives the legal representative's title, as the zh-CN one does;
3. the complaint disclaims the part above the cap of every contract rate it recites above the cap,
   even where the claim took nothing off (the repayment agreement already set the capped rate);
4. the breach notice's table reconciles its penalty (the acceleration day's penalty stated beside the
   revived reduction, as the complaint's "（含该日罚息…）"), and its cure date reads "（含当日）" without
   a "前" after it;
5. (tests/demo/test_cross_documents.py) the pleadings count the default from the day after the due date;
7. the `claim` command's note on 法发〔2017〕22号 art. 2 caps the total, the per-component cap the
   product's policy;
8. the repayment agreement's 第五条 states the service address under one label;
9. the mediation application's enclosures list the power of attorney and the legal representative's
   certificate where they apply;
10. "Below is what you have paid".
(6, the packet's file numbers: tests/packets/test_packet_build.py.)"""

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from service.cases.casefile import CaseFile, load_case_file
from service.cases.models import DebtCase
from service.cases.rules import load_ruleset
from service.core.errors import RuleViolation
from service.core.settings import get_settings
from service.documents.contexts.common import DocMeta, DocumentContext
from service.documents.contexts.facts import CaseFacts
from service.documents.format import date_cn, money, person_en
from service.documents.registry import KINDS, LITIGATION
from service.documents.render import render
from tests.documents.conftest import pdf_text, squash
from tests.factories import DEMO_ANCHOR, demo_clock
from tests.seeded import seed_demo

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


@pytest.fixture
def cn_cases(db, settings) -> list[CaseFile]:
    seed_demo(db, anchor=DEMO_ANCHOR, cases=50, settings=settings)
    refs = db.scalars(select(DebtCase.ref).where(DebtCase.stage.in_(LITIGATION), DebtCase.profile == "CN")
                      .order_by(DebtCase.ref))
    return [load_case_file(db, ref) for ref in refs]


def _context(cf: CaseFile, kind: str, locale: str, as_of: Any = None) -> DocumentContext:
    k = KINDS[kind]
    facts = CaseFacts(cf, as_of or DEMO_ANCHOR, demo_clock(tz=cf.borrower.timezone))
    doc = DocMeta(kind=kind, profile="CN", locale=locale, audience=k.audience, as_of=facts.as_of,
                  case_ref=cf.case.ref)
    return k.context_class().build(facts, doc)


def _flat(ctx: DocumentContext, tmp_path: Path) -> str:
    return squash(pdf_text(render(ctx, "pdf", templates_dir=get_settings().templates_dir).data, tmp_path))


def _notice_day(cf: CaseFile) -> Any:
    sent = [c for c in cf.communications if c.template_kind == "breach_notice" and c.stated_as_of is not None]
    return sent[-1].stated_as_of if sent else None


def test_no_en_us_template_names_a_person_by_the_name_en_fallback():
    """PartyBlock.name_en is the recorded English name or else the Chinese one: printed alone it gives
    "Dear 周敏". A person's name in an en-US template goes through person_en, which takes name_en as
    the recorded spelling (a company's name_en is its English name and is printed as it is)."""
    bare = re.compile(r"\b(borrower|defendant|b|d|member|guarantor|contact)\.name_en\b")
    found = []
    for path in TEMPLATES.rglob("en-US*"):
        if path.suffix not in (".html", ".txt"):
            continue
        for no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            for m in bare.finditer(line):
                if not re.search(r"person_en\(\s*" + re.escape(m.group(0)), line):
                    found.append(f"{path.relative_to(TEMPLATES)}:{no}: {m.group(0)}")
    assert not found, found


def test_the_en_us_notices_and_power_of_attorney_name_people_and_titles_as_the_zh_cn_do(cn_cases, tmp_path):
    titles = {"执行董事": "Executive Director", "董事长": "Chairman of the Board of Directors",
              "总经理": "General Manager"}
    notices = attorneys = 0
    for cf in cn_cases:
        day = _notice_day(cf)
        if day is not None:
            flat = _flat(_context(cf, "breach_notice", "en-US", day), tmp_path)
            name = squash(person_en(cf.borrower.name, cf.borrower.name_en or ""))
            assert f"Dear{name[:-1]}," in flat, (cf.case.ref, name)  # "ZHOU Min (周敏, ID No. …),"
            assert f"Dear{cf.borrower.name}" not in flat, cf.case.ref
            assert "Belowarewhat" not in flat and "Belowiswhatyouhavepaid" in flat, cf.case.ref
            notices += 1
        try:
            ctx = _context(cf, "power_of_attorney", "en-US")
        except RuleViolation:
            continue  # no firm assigned (CN-29)
        flat = _flat(ctx, tmp_path)
        title = cf.lender.legal_rep_title
        assert f"Legalrepresentative:{squash(person_en(cf.lender.legal_rep))},{squash(titles[title])}" in flat, \
            (cf.case.ref, title)
        attorneys += 1
    assert notices and attorneys


def test_the_complaint_disclaims_every_recited_rate_above_the_cap(cn_cases, tmp_path):
    """CN-00058: the agreement took the debt at 24 %, so the claim cut nothing (rate_cut 0), yet the
    complaint recites the contract's 33.98 %: it says the part above 24 % is not claimed."""
    checked = 0
    for cf in cn_cases:
        ctx = _context(cf, "civil_complaint", "zh-CN")
        c, t = ctx.claim, ctx.terms  # type: ignore[attr-defined]
        if not c.cap_binding or max(t.nominal_rate, t.penalty_rate) <= c.cap_rate:
            continue
        flat = _flat(ctx, tmp_path)
        assert "的利率计算，超过部分不予主张。" in flat, cf.case.ref
        checked += c.rate_cut == 0
    assert checked  # a case whose claim cut nothing (CN-00058's kind)


def test_the_breach_notice_reconciles_its_penalty_and_words_the_cure_date(cn_cases, tmp_path):
    """CN-00058's notice: 罚息2,584.80 = the reduction lost 2,559.14 + the acceleration day's 25.66; the
    25.66 has a row of its own in both languages. The cure date: "2026年10月26日（含当日）", no "前"."""
    checked = 0
    for cf in cn_cases:
        day = _notice_day(cf)
        if day is None:
            continue
        zh = _context(cf, "breach_notice", "zh-CN", day)
        a = zh.acceleration  # type: ignore[attr-defined]
        flat = _flat(zh, tmp_path)
        assert "（含当日）前" not in flat, cf.case.ref
        assert f"补救截止日{date_cn(zh.cure_deadline)}（含当日）" in flat, cf.case.ref  # type: ignore[attr-defined]
        if not a.default_penalty:
            continue
        term = zh.cause.penalty_term  # type: ignore[attr-defined]
        on = "违约条款适用日" if a.matured_on else "提前到期日"  # the row the table names that day by
        assert f"含{on}{term}{money(a.default_penalty)}元" in flat, cf.case.ref
        en = _flat(_context(cf, "breach_notice", "en-US", day), tmp_path)
        on_en = "thedatethedefaultclauseapplies" if a.matured_on else "thebalance-duedate"
        assert on_en in en and f"RMB{money(a.default_penalty)}" in en, cf.case.ref
        if cf.case.ref == "CN-00058":
            assert a.penalty == a.revived_waiver + a.default_penalty == Decimal("2584.80"), a
        checked += 1
    assert checked


def test_the_claim_note_caps_the_total_by_the_opinion_and_each_rate_by_policy():
    basis = load_ruleset("CN").param("CN-16", "basis")["licensed"]
    assert "分别及总计" not in basis["zh"] and "each and together" not in basis["en"]
    assert "总计超过年利率{rate}的部分予以调减" in basis["zh"] and "产品政策" in basis["zh"]
    assert "together above {rate} p.a. are reduced" in basis["en"] and "product's policy" in basis["en"]


def test_the_repayment_agreement_and_mediation_application_read_as_a_lawyer_expects(cn_cases, tmp_path):
    agreements = mediations = 0
    for cf in cn_cases:
        plan = cf.current_plan
        if plan is not None and plan.signed_date is not None and not agreements:
            flat = _flat(_context(cf, "repayment_agreement", "zh-CN", plan.signed_date), tmp_path)
            assert "地址：地址：" not in flat, cf.case.ref
            assert "乙方确认其有效送达地址为：" in flat, cf.case.ref
            agreements += 1
        try:
            ctx = _context(cf, "mediation_application", "zh-CN")
        except RuleViolation:
            continue
        flat = _flat(ctx, tmp_path)
        attached = flat[flat.rindex("附：1."):]
        assert "法定代表人身份证明书" in attached, cf.case.ref
        assert ("授权委托书" in attached) == (ctx.counsel is not None), cf.case.ref  # type: ignore[attr-defined]
        mediations += 1
    assert agreements and mediations
