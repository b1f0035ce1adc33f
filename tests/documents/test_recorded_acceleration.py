"""DOC-07 (review 2026-12-04, F1): no court document and no litigation packet claims the whole
balance on an acceleration the record does not hold. The claim computation accelerates at the
as-of date when nothing is recorded (a hypothesis: what would fall due); an affidavit built on it
swore to "Acceleration: <today>" for a case three days late, and to a default on a plan being
kept. Packets, draft or final, are built only at a litigation stage (DOC-01) on a recorded
acceleration; with one recorded, the affidavit states that date and no other."""

from datetime import date, timedelta

import pytest

from service.cases.models import BreachEvent
from service.core.errors import RuleViolation
from service.documents import service as documents_service
from service.documents.render import render
from service.packets.build import build_packet
from tests.documents.conftest import TEMPLATES, at, pdf_text
from tests.documents.legal_cases import DAY, litigation_case, us_case
from tests.documents.test_acceleration_notices import HOUSTON, refusals

CLAIMS = ("claim_statement", "affidavit_of_debt")


def rules_of(found: list[str]) -> set[str]:
    return {v.split(":", 1)[0] for v in found}


@pytest.mark.parametrize("kind", CLAIMS)
def test_a_us_claim_without_a_recorded_acceleration_is_refused_by_name(db, kind):
    case = us_case(db)  # 16 of 24 installments not yet due on DAY; no acceleration recorded
    found = refusals(db, case, kind)
    assert rules_of(found) == {"DOC-07"}, found
    assert f"{kind} would claim the loan as accelerated on {DAY.isoformat()}" in found[0]
    assert "records no acceleration" in found[0]


def test_the_affidavit_states_the_recorded_acceleration_and_no_other(db, tmp_path):
    case = us_case(db)
    recorded = DAY - timedelta(days=30)
    case.accelerated_on = recorded
    db.flush()
    assert refusals(db, case, "affidavit_of_debt") == []
    _, _, ctx = documents_service.prepare(db, case_ref=case.ref, kind="affidavit_of_debt", fmt="pdf", locale=None,
                                          as_of=DAY, now=at(DAY, 10, tz=HOUSTON))
    text = " ".join(pdf_text(render(ctx, "pdf", templates_dir=TEMPLATES).data, tmp_path).split())
    assert "on November 1, 2025 Plaintiff accelerated the loan" in text
    # stated once (paragraph 5); the records custodian's declaration pleads no limitation law (the
    # petition does: usfix2 7b7d532), so nothing restates the date
    assert text.count("accelerated the loan") == 1
    assert "acceleration date" not in text.split("accelerated the loan", 1)[1].split("Attachment A", 1)[0]
    assert "December 1, 2025 Plaintiff accelerated" not in text


def test_a_cn_complaint_and_claim_on_a_plan_still_running_are_refused(db):
    """The CN side: a plan whose missed instalment was cured (no open breach, no acceleration)
    gives no basis to claim the acknowledged balance at once."""
    case = litigation_case(db)
    case.accelerated_on = None
    for breach in db.query(BreachEvent).filter_by(case_id=case.id):
        breach.cured_on = breach.due_date + timedelta(days=3)
    db.flush()
    for kind in ("civil_complaint", "complaint_elements", "claim_statement"):
        found = refusals(db, case, kind)
        assert "DOC-07" in rules_of(found), (kind, found)


@pytest.mark.parametrize("stage", ["REMINDER", "PLAN_ACTIVE", "PRE_LITIGATION"])
def test_a_packet_is_built_only_at_litigation_on_a_recorded_acceleration_draft_or_not(db, settings, tmp_path, stage):
    case = us_case(db)
    case.stage = stage
    db.flush()
    with pytest.raises(RuleViolation) as refused:
        build_packet(db, settings, case.ref, tmp_path / "p.zip", as_of=DAY, draft=True)
    expected = {"DOC-07"} | ({"DOC-01"} if stage != "PRE_LITIGATION" else set())
    assert {v.rule for v in refused.value.violations} == expected
    assert not (tmp_path / "p.zip").exists()


def test_a_cn_packet_without_a_recorded_acceleration_is_refused(db, settings, tmp_path):
    case = litigation_case(db, plan=False)
    case.accelerated_on = None
    db.flush()
    with pytest.raises(RuleViolation) as refused:
        build_packet(db, settings, case.ref, tmp_path / "p.zip", as_of=DAY, draft=True)
    assert {v.rule for v in refused.value.violations} == {"DOC-07"}


def test_a_matured_loan_needs_no_acceleration(db):
    case = us_case(db)
    after_term = date(2026, 7, 1)  # the 24th installment fell due on 2026-06-03
    assert "DOC-07" not in rules_of(refusals(db, case, "claim_statement", day=after_term))


def test_a_matured_loans_statement_of_account_states_no_acceleration(db, tmp_path):
    case = us_case(db)
    after_term = date(2026, 7, 1)
    assert refusals(db, case, "claim_statement", day=after_term) == []
    _, _, ctx = documents_service.prepare(db, case_ref=case.ref, kind="claim_statement", fmt="pdf", locale=None,
                                          as_of=after_term, now=at(after_term, 10, tz=HOUSTON))
    text = " ".join(pdf_text(render(ctx, "pdf", templates_dir=TEMPLATES).data, tmp_path).split())
    assert "Acceleration — not accelerated: every installment had fallen due by July 1, 2026" in text
    assert "all unpaid principal became due" not in text
