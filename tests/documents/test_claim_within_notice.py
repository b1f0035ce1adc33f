"""DOC-05 on a contract claim: a demand letter (催收函) stores what it told the borrower is owed,
and a later court claim is held to it — it may exceed it only by what the claim computation adds
after the letter (acceleration, interest since), never by a balance the letter understated."""

from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select

from service.cases import accounts
from service.cases.casefile import load_case_file
from service.cases.enums import Stage
from service.cases.models import DebtCase
from service.core.errors import RuleViolation
from service.core.storage import get_store
from service.documents import service as documents_service
from service.documents.contexts.facts import CaseFacts
from service.documents.contexts.legal import checks
from tests.factories import DEMO_ANCHOR, demo_clock
from tests.seeded import seed_demo

EARLY = (Stage.PHONE, Stage.VISIT_PLANNED, Stage.VISIT_NOTIFIED, Stage.VISIT_DONE)


def _demand_letter_sent(db, settings) -> str:
    """A demo contract case (no agreement) that got a demand letter on the demo's anchor day."""
    refs = db.scalars(select(DebtCase.ref).where(DebtCase.profile == "CN", DebtCase.stage.in_(EARLY))
                      .order_by(DebtCase.ref))
    for ref in refs:
        cf = load_case_file(db, ref)
        if cf.current_plan is not None:
            continue
        try:
            documents_service.generate(db, case_ref=ref, kind="demand_letter", fmt="pdf", as_of=DEMO_ANCHOR,
                                       actor="test", store=get_store(settings),
                                       now=demo_clock(tz=cf.borrower.timezone))
        except RuleViolation:
            continue
        return ref
    raise AssertionError("no demo contract case could be sent a demand letter")


def test_a_demand_letter_on_a_contract_claim_stores_its_total_and_holds_the_court_claim_to_it(db, settings):
    seed_demo(db, anchor=DEMO_ANCHOR, cases=20, settings=settings)
    ref = _demand_letter_sent(db, settings)
    cf = load_case_file(db, ref)
    letter = [c for c in cf.communications if c.template_kind == "demand_letter"][-1]
    assert letter.stated_as_of == DEMO_ANCHOR
    assert letter.stated_total == accounts.ledger_of(cf, DEMO_ANCHOR).total_outstanding
    later = DEMO_ANCHOR + timedelta(days=20)
    facts = CaseFacts(cf, later, demo_clock(later, tz=cf.borrower.timezone))
    assert facts.claim.agreement is None and facts.claim.claimed_total > letter.stated_total
    assert checks.claim_within_notice(facts) == []  # what accrued since is the computation's own

    letter.stated_total -= Decimal("100.00")  # the letter told the borrower less than its records said
    db.flush()
    cf = load_case_file(db, ref)
    found = checks.claim_within_notice(CaseFacts(cf, later, demo_clock(later, tz=cf.borrower.timezone)))
    assert [v.rule for v in found] == ["DOC-05"]
    assert "demand_letter" in found[0].message and "by 100.00" in found[0].message
