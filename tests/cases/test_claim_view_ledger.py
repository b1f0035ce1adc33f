"""The claim view's `ledger` is the claim's basis (review CN-00044): under a breached repayment
agreement, what was paid under it, its principal outstanding and the days past due the element form
states (逾期时间: since the plan's first missed due date), not the loan contract's ledger at the
acknowledgement, which stays apart as `contract_ledger`. The API and `dossier claim` show the same."""

from io import StringIO

import pytest
from rich.console import Console
from sqlalchemy import select

from service.cases.casefile import CaseFile, load_case_file
from service.cases.claim_view import claim_view
from service.cases.enums import Stage
from service.cases.ledger import Component
from service.cases.models import DebtCase
from service.cli_views import print_claim
from service.documents.contexts.common import DocMeta
from service.documents.contexts.facts import CaseFacts
from service.documents.contexts.legal.pleadings import ComplaintElementsContext
from service.documents.contexts.legal.timeline import Timeline
from service.documents.registry import KINDS
from tests.conftest import auth
from tests.factories import DEMO_ANCHOR, demo_clock
from tests.seeded import seed_demo

KIND = "complaint_elements"


@pytest.fixture
def breached(db, settings) -> list[CaseFile]:
    """The demo's CN cases before litigation: each claim rests on a breached repayment agreement."""
    seed_demo(db, anchor=DEMO_ANCHOR, cases=21, settings=settings)
    refs = db.scalars(select(DebtCase.ref).where(DebtCase.profile == "CN", DebtCase.stage == Stage.PRE_LITIGATION)
                      .order_by(DebtCase.ref))
    cases = [load_case_file(db, ref) for ref in refs]
    assert cases
    return cases


def _element_form(cf: CaseFile) -> tuple[CaseFacts, ComplaintElementsContext]:
    facts = CaseFacts(cf, DEMO_ANCHOR, demo_clock(tz=cf.borrower.timezone))
    doc = DocMeta(kind=KIND, profile="CN", locale="zh-CN", audience=KINDS[KIND].audience, as_of=facts.as_of,
                  case_ref=cf.case.ref)
    return facts, ComplaintElementsContext.build(facts, doc)


def test_the_ledger_is_the_agreements_and_counts_the_days_the_element_form_states(breached, client, keys):
    differs = 0
    for cf in breached:
        facts, form = _element_form(cf)
        claim = facts.claim
        position = claim.agreement
        assert position is not None and position.breached, cf.case.ref
        view = claim_view(cf, claim)
        ledger = view["ledger"]
        assert ledger["days_past_due"] == form.overdue_days, cf.case.ref
        assert ledger["overdue_from"] == form.overdue_from
        assert ledger["basis"] == "agreement" and ledger["as_of"] == claim.as_of
        assert form.overdue_from == facts.record.schedule_missed_due  # the plan's first missed due date
        assert ledger["paid_total"] == position.paid_total
        assert ledger["outstanding_principal"] == position.outstanding[Component.PRINCIPAL]
        # the loan contract's ledger at the acknowledgement, named for what it is
        assert view["contract_ledger"] == {"as_of": position.terms.acknowledged_on,
                                           "paid_total": claim.ledger.paid_total,
                                           "outstanding_principal": claim.ledger.outstanding_principal,
                                           "days_past_due": claim.ledger.days_past_due}
        differs += claim.ledger.days_past_due != form.overdue_days
        body = client.get(f"/v1/cases/{cf.case.ref}/claim", params={"as_of": DEMO_ANCHOR.isoformat()},
                          headers=auth(keys["legal_staff"])).json()
        assert body["ledger"]["days_past_due"] == form.overdue_days
        assert body["ledger"]["overdue_from"] == form.overdue_from.isoformat()
        assert body["contract_ledger"]["days_past_due"] == claim.ledger.days_past_due
        for lang, words in (("en", f"{form.overdue_days} days past due"), ("zh", f"逾期天数{form.overdue_days}（")):
            out = StringIO()
            print_claim(Console(file=out, width=300), view, lang)
            assert words in out.getvalue(), (cf.case.ref, lang)
    assert differs  # the contract's own count at the acknowledgement is another figure: this tells them apart


def test_on_the_contract_there_is_one_ledger(db):
    seed_demo(db, anchor=DEMO_ANCHOR, cases=21)
    ref = db.scalars(select(DebtCase.ref).where(DebtCase.profile == "CN", DebtCase.stage == Stage.VISIT_DONE)).first()
    cf = load_case_file(db, ref)
    facts = CaseFacts(cf, DEMO_ANCHOR, demo_clock(tz=cf.borrower.timezone))
    view = claim_view(cf, facts.claim)
    assert view["agreement"] is None and view["contract_ledger"] is None
    ledger = view["ledger"]
    assert ledger["basis"] == "contract" and ledger["paid_total"] == facts.claim.ledger.paid_total > 0
    assert ledger["overdue_from"] == Timeline.of(facts).overdue_start == facts.record.first_missed_due
    assert ledger["days_past_due"] == facts.claim.ledger.days_past_due > 0  # the instalment missed first is unpaid
