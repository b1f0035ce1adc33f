"""What a bulk notice computes of the claim (issue 13: every bulk kind at ≥ 100 recorded notices a
second): the demand letter states only the claim's set-off lines, computed without the claim's
pass for what is due now; a pre-notice on the contract states the case's ledger and computes no
claim. The amounts are the one claim computation's all the same (tests/cases/test_reconciliation_alone)."""

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

from service.cases import accounts
from service.documents import service as documents_service
from service.documents.contexts.common import DocumentContext
from service.documents.contexts.facts import CaseFacts
from tests.documents.conftest import add_prenotice, at, cn_case

DAY = date(2025, 6, 15)


def _prepare(db: Session, ref: str, kind: str) -> tuple[CaseFacts, DocumentContext]:
    facts, _, ctx = documents_service.prepare(db, case_ref=ref, kind=kind, fmt="pdf", locale="zh-CN", as_of=DAY,
                                              now=at(DAY, 10))
    return facts, ctx


def _no_claim(*args: object, **kwargs: object) -> None:
    raise AssertionError("the whole claim was computed")


def test_the_demand_letter_states_its_set_off_from_the_reconciliation_alone(db: Session,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    case = cn_case(db, stage="PHONE")
    add_prenotice(db, case, at(date(2025, 6, 1), 10))  # the letter speaks of credit reporting (CN-10)
    facts, ctx = _prepare(db, case.ref, "demand_letter")
    assert facts.cap.binding  # the set-off is asked for
    assert getattr(ctx, "principal_set_off") == -sum(  # noqa: B009
        (ln.amount for ln in facts.claim.reconciliation if ln.key in ("rate_cap_set_off", "cost_set_off")), Decimal(0))
    monkeypatch.setattr(accounts, "claim_of", _no_claim)
    assert _prepare(db, case.ref, "demand_letter")[1] == ctx


def test_a_prenotice_on_the_contract_computes_no_claim(db: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    case = cn_case(db, stage="PHONE")
    ctx = _prepare(db, case.ref, "credit_report_prenotice")[1]
    monkeypatch.setattr(accounts, "claim_of", _no_claim)
    assert _prepare(db, case.ref, "credit_report_prenotice")[1] == ctx
