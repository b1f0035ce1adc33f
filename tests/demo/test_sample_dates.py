"""`make samples` dates a case's lawyer letter so that the deadline it gives the borrower has passed
by the day the case's complaint is dated (review C12-9; DOC-06 refuses a complaint while a sent
letter's deadline runs): the letter first, then suit, as the letter announced."""

from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from service.cases.enums import Stage
from service.cases.models import DebtCase
from service.cases.rules import load_ruleset
from service.demo.catalogue import Item, render_case, sample_day
from service.demo.delivery import POSTAL_DAYS
from tests.factories import DEMO_ANCHOR
from tests.seeded import seed_demo


def test_sample_day_dates_only_the_lawyer_letter_earlier_by_its_post_its_deadline_and_a_day():
    """Its days to pay run from its delivery (DOC-06), by EMS up to POSTAL_DAYS after it went out."""
    days = int(load_ruleset("CN").param("POL-02", "lawyer_letter_days"))
    post = POSTAL_DAYS["CN"][1]
    assert sample_day("lawyer_letter", "CN", DEMO_ANCHOR) == DEMO_ANCHOR - timedelta(days=post + days + 1)
    for kind, profile in (("civil_complaint", "CN"), ("complaint_elements", "CN"), ("breach_notice", "CN"),
                          ("affidavit_of_debt", "US"), ("lawyer_letter", "US")):
        assert sample_day(kind, profile, DEMO_ANCHOR) == DEMO_ANCHOR, kind


def test_the_samples_complaint_is_dated_after_the_lawyer_letters_deadline(db, settings):
    seed_demo(db, anchor=DEMO_ANCHOR, cases=15, settings=settings)
    ref = db.scalars(select(DebtCase.ref).where(DebtCase.profile == "CN", DebtCase.stage == Stage.PRE_LITIGATION,
                                                DebtCase.law_firm_id.is_not(None)).order_by(DebtCase.ref)).first()
    assert ref is not None
    items = {r.kind: r for r in render_case(db, settings, ref, DEMO_ANCHOR, formats=("pdf",))
             if isinstance(r, Item) and r.locale == "zh-CN"}
    letter = items["lawyer_letter"].context
    assert "自本函送达之日起七日内" in {r.text for r in letter.required()}  # type: ignore[attr-defined]
    for kind in ("civil_complaint", "complaint_elements"):
        complaint = items[kind].facts
        deadline = complaint.demand_deadline  # type: ignore[attr-defined]
        assert deadline is not None and deadline.delivered_on is not None, (kind, deadline)
        assert deadline.pay_by < complaint.as_of == DEMO_ANCHOR, (kind, deadline, complaint.as_of)  # type: ignore[attr-defined]


def test_every_cn_litigation_case_of_the_demo_sent_its_lawyer_letter_before_the_complaint(db, settings):
    """Issue 8: no demo case in litigation had a lawyer letter in its history. Each CN case from
    pre-litigation on has one, generated, sent and delivered on the day the samples date it, and the
    complaint dated the anchor passes DOC-06 (its deadline has run) and DOC-05 (the claim it states)."""
    from service.cases.casefile import load_case_file
    from service.documents import rules as document_rules
    from service.documents.contexts.facts import CaseFacts
    from service.documents.registry import KINDS
    from tests.factories import demo_clock

    seed_demo(db, anchor=DEMO_ANCHOR, cases=15, settings=settings)
    litigation = (Stage.PRE_LITIGATION, Stage.FILED, Stage.JUDGMENT, Stage.ENFORCEMENT)
    refs = db.scalars(select(DebtCase.ref).where(DebtCase.profile == "CN", DebtCase.stage.in_(litigation))
                      .order_by(DebtCase.ref)).all()
    assert len(refs) >= 2, refs
    day = sample_day("lawyer_letter", "CN", DEMO_ANCHOR)
    for ref in refs:
        cf = load_case_file(db, ref)
        [letter] = [c for c in cf.communications if c.template_kind == "lawyer_letter"]
        assert letter.document_id is not None and letter.outcome == "delivered", ref
        assert letter.sent_at.astimezone(ZoneInfo(cf.borrower.timezone)).date() == day, ref
        facts = CaseFacts(cf, DEMO_ANCHOR, demo_clock(tz=cf.borrower.timezone))
        for kind in ("civil_complaint", "complaint_elements"):
            found = [f"{v.rule}: {v.message}" for v in document_rules.check(facts, KINDS[kind])
                     if v.rule in ("DOC-05", "DOC-06")]
            assert found == [], (ref, kind, found)
    for ref in db.scalars(select(DebtCase.ref).where(DebtCase.profile == "CN", DebtCase.stage.not_in(litigation))):
        assert not [c for c in load_case_file(db, ref).communications if c.template_kind == "lawyer_letter"], ref
