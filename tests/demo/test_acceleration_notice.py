"""The acceleration sentence of the court documents (one macro in each locale) names the breach
notice that announced the acceleration, dated as the case's communication history records it
sending (its delivery, where recorded, stated after: "于X发出、于Y送达", "sent on X and delivered …
on Y"): for every demo case in a litigation stage, CN (complaint, element form, claim statement,
lawyer letter, zh-CN) and US (claim statement, affidavit, en-US). Where the state requires notice
before acceleration (US-19: Texas) the sentence names the notice of acceleration, after the notice
of intent; where the recorded acceleration advanced nothing (the debt had matured: the effective
acceleration is None) none is announced, though a plan's notice of default may be named."""

import re
from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy import select

from service.cases import acceleration
from service.cases.accounts import effective_acceleration
from service.cases.casefile import CaseFile, load_case_file
from service.cases.models import DebtCase
from service.cases.rules import load_ruleset
from service.core.errors import RuleViolation
from service.core.settings import get_settings
from service.documents.contexts.common import DocMeta, DocumentContext
from service.documents.contexts.facts import CaseFacts
from service.documents.format import date_cn, date_en
from service.documents.registry import KINDS, LITIGATION
from service.documents.render import render
from tests.documents.conftest import pdf_text, squash
from tests.factories import DEMO_ANCHOR, demo_clock
from tests.seeded import seed_demo

ZH = re.compile(r"(?:原告|委托人)已向(?:被告|您)发出《违约及提前到期通知书》（于(\d{4}年\d{1,2}月\d{1,2}日)发出")
EN = re.compile(r"as Plaintiff's notice of default sent (?:and delivered )?(?:to Defendant )?"
                r"on ([A-Z][a-z]+ \d{1,2}, \d{4})|notice of acceleration dated [A-Z][a-z]+ \d{1,2}, \d{4} "
                r"\(sent (?:and delivered )?([A-Z][a-z]+ \d{1,2}, \d{4})")
KINDS_STATING = {"CN": ("civil_complaint", "complaint_elements", "claim_statement", "lawyer_letter"),
                 "US": ("claim_statement", "affidavit_of_debt")}


def _recorded(cf: CaseFile, matured: bool) -> date:
    """The borrower-local day of the last breach notice (where US-19 applies, notice of acceleration)
    the communication history records sent on or before the acceleration (read from the rows
    themselves, not through the facts record)."""
    tz = ZoneInfo(cf.borrower.timezone)
    accelerated = cf.case.accelerated_on
    assert accelerated is not None, cf.case.ref
    law = acceleration.notice_law(load_ruleset(cf.case.profile), cf)
    kind = law.acceleration_kind if law is not None and law.applies and not matured else "breach_notice"
    days = [c.sent_at.astimezone(tz).date() for c in cf.communications
            if c.template_kind == kind and c.direction == "out" and c.outcome in ("sent", "delivered")]
    assert days, cf.case.ref
    return max(d for d in days if d <= accelerated)


def _context(cf: CaseFile, kind: str) -> DocumentContext:
    k = KINDS[kind]
    profile = cf.case.profile
    facts = CaseFacts(cf, DEMO_ANCHOR, demo_clock(tz=cf.borrower.timezone))
    doc = DocMeta(kind=kind, profile=profile, locale=k.default_locale(profile), audience=k.audience,
                  as_of=DEMO_ANCHOR, case_ref=cf.case.ref, state=cf.case.us_state or "")
    return k.context_class().build(facts, doc)


def test_the_acceleration_is_stated_with_the_recorded_day_of_the_breach_notice(db, settings, tmp_path):
    seed_demo(db, anchor=DEMO_ANCHOR, cases=18, settings=settings)
    refs = db.scalars(select(DebtCase.ref).where(DebtCase.stage.in_(LITIGATION)).order_by(DebtCase.ref))
    templates = get_settings().templates_dir
    checked: set[tuple[str, str]] = set()
    for ref in refs:
        cf = load_case_file(db, ref)
        profile = cf.case.profile
        matured = effective_acceleration(cf, DEMO_ANCHOR).on is None
        day = _recorded(cf, matured)
        for kind in KINDS_STATING[profile]:
            try:
                ctx = _context(cf, kind)
            except RuleViolation as exc:  # a lawyer letter needs an assigned firm
                assert {v.rule for v in exc.violations} <= {"CN-29"}, (ref, kind, exc.violations)
                continue
            text = pdf_text(render(ctx, "pdf", templates_dir=templates).data, tmp_path)
            if profile == "CN":
                stated = ZH.findall(squash(text))
            else:
                stated = ["".join(found) for found in EN.findall(" ".join(text.split()))]
            expected = date_cn(day) if profile == "CN" else date_en(day)
            # matured: nothing was accelerated; a plan's notice of default may still be named (CN)
            assert (stated or matured) and set(stated) <= {expected}, (ref, kind, stated, expected)
            if stated:
                checked.add((profile, kind))
    # The 18-case demo's one US case in litigation (US-00002) had matured under its plan before the
    # recorded acceleration: no US document announces one. The US sentence, with both Texas notices,
    # is tested on a case of its own (tests/packets/test_us_acceleration_exhibit.py).
    assert checked >= {("CN", k) for k in KINDS_STATING["CN"]}, checked
