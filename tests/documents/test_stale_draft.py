"""PLAN-04 (review F34, 2026-12-04): CN-00009's draft agreement, rendered on 12-04, acknowledged the
debt as of 11-15 (interest 1,845.93) while the same day's demand letter said 3,148.93: an interest
instalment that fell due on 11-21 was in neither the acknowledgement nor the schedule. An unsigned
draft states the debt as of the day it is handed over, or is refused as stale; a signed agreement
keeps its signing date."""

from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from service.cases.casefile import load_case_file
from service.cases.enums import Stage
from service.cases.models import DebtCase
from service.core.errors import RuleViolation
from service.core.settings import Settings
from service.documents.contexts.common import DocMeta
from service.documents.registry import get_kind
from service.visits.kit import facts_for
from tests.factories import DEMO_ANCHOR
from tests.seeded import seed_demo


@pytest.fixture(scope="module")
def seeded(engine: Engine, settings: Settings) -> Iterator[Session]:
    with engine.connect() as conn:
        trans = conn.begin()
        session = Session(bind=conn, join_transaction_mode="create_savepoint", expire_on_commit=False)
        try:
            seed_demo(session, anchor=DEMO_ANCHOR, cases=2, settings=settings,
                      stages=(Stage.NEGOTIATING, Stage.PLAN_ACTIVE))
            yield session
        finally:
            session.close()
            trans.rollback()


def _build(session: Session, stage: Stage, on):  # type: ignore[no-untyped-def]
    ref = session.scalars(select(DebtCase.ref).where(DebtCase.stage == stage).order_by(DebtCase.id)).first()
    cf = load_case_file(session, ref)
    facts = facts_for(cf, on, None)
    kind = get_kind("repayment_agreement")
    locale = next(iter(kind.locales[cf.case.profile]))
    meta = DocMeta(kind=kind.kind, profile=cf.case.profile, locale=locale, audience=kind.audience, as_of=on,
                   case_ref=ref)
    return cf, kind.context_class().build(facts, meta)


def test_a_draft_states_the_debt_of_the_day_it_is_handed_over(seeded: Session) -> None:
    cf, ctx = _build(seeded, Stage.NEGOTIATING, DEMO_ANCHOR)
    plan = cf.plans[-1]
    assert plan.signed_date is None and plan.as_of_date == DEMO_ANCHOR  # the demo drafts it that day
    ledger = facts_for(cf, DEMO_ANCHOR, None).ledger
    assert ctx.agreement.ack_interest == ledger.overdue_interest  # the interest due that day, all of it


def test_a_stale_draft_is_refused_naming_the_rule(seeded: Session) -> None:
    later = DEMO_ANCHOR + timedelta(days=40)  # an instalment of the contract falls due in between
    with pytest.raises(RuleViolation) as refused:
        _build(seeded, Stage.NEGOTIATING, later)
    assert [v.rule for v in refused.value.violations] == ["PLAN-04"]
    assert "redraft" in str(refused.value)
    # worded from the rules catalogue in English and Chinese, as DOC-07 (review diff F3)
    [found] = refused.value.violations
    assert found.message.startswith("draft ") and f"on {later.isoformat()} the ledger says" in found.message
    assert "请按签署当日重新拟定" in found.localized["zh-CN"] and later.isoformat() in found.localized["zh-CN"]


def test_the_us_rule_cites_no_chinese_law() -> None:
    """Review diff F3: PLAN-04 in the US rule set cited 民法典 arts 195, 509."""
    from service.cases.rules import load_ruleset

    source = load_ruleset("US").rule("PLAN-04").source
    assert "民法典" not in source and "payment plan agreement" in source


def test_a_signed_agreement_keeps_its_signing_date(seeded: Session) -> None:
    later = DEMO_ANCHOR + timedelta(days=40)
    cf, ctx = _build(seeded, Stage.PLAN_ACTIVE, later)
    plan = cf.plans[-1]
    assert plan.signed_date is not None and ctx.agreement.as_of_date == plan.as_of_date < later
