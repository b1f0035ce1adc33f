"""The claim's reconciliation on its own (``accounts.reconciliation_of``, what the demand letter
states of the claim): the lines of the one claim computation, computed without the claim's second
pass for what is due now before an acceleration."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from service.cases import accounts
from service.cases import claim as claim_mod
from service.cases.casefile import load_case_files
from service.cases.models import DebtCase
from service.core.settings import get_settings
from tests.factories import DEMO_ANCHOR
from tests.seeded import seed_demo


def test_the_reconciliation_alone_is_the_claims_at_every_stage_and_date(db):
    seed_demo(db, anchor=DEMO_ANCHOR, cases=40)
    cap = get_settings().licensed_cost_cap
    files = load_case_files(db, list(db.scalars(select(DebtCase.ref).order_by(DebtCase.ref))))
    kinds = set()
    for cf in files.values():
        for as_of in (DEMO_ANCHOR, DEMO_ANCHOR - timedelta(days=45)):
            if as_of <= cf.contract.disbursed_date:
                continue
            for declaring in (False, True):
                claim = accounts.claim_of(cf, as_of, licensed_cap=cap, declaring=declaring)
                assert accounts.reconciliation_of(cf, as_of, licensed_cap=cap, declaring=declaring) \
                    == claim.reconciliation, (cf.case.ref, as_of, declaring)
                kinds.add((claim.basis, claim.accelerated))
    # contract and agreement claims, accelerated and not: each path of the computation is compared
    assert kinds >= {("contract", False), ("agreement", True), ("agreement", False)}, kinds


def test_the_reconciliation_alone_skips_the_pass_for_what_is_due_now(db, monkeypatch: pytest.MonkeyPatch):
    seed_demo(db, anchor=DEMO_ANCHOR, cases=20)
    cap = get_settings().licensed_cost_cap
    files = load_case_files(db, list(db.scalars(select(DebtCase.ref).order_by(DebtCase.ref))))
    cf = next(cf for cf in files.values() if cf.current_plan is None
              and not accounts.claim_of(cf, DEMO_ANCHOR, licensed_cap=cap).accelerated)
    ledgers = []
    real = claim_mod.compute_ledger
    monkeypatch.setattr(claim_mod, "compute_ledger", lambda *a, **k: ledgers.append(1) or real(*a, **k))
    accounts.claim_of(cf, DEMO_ANCHOR, licensed_cap=cap)
    whole, ledgers[:] = len(ledgers), []
    accounts.reconciliation_of(cf, DEMO_ANCHOR, licensed_cap=cap)
    assert whole == 4 and len(ledgers) == 2  # the accelerated pass's two ledgers (contract, lawful)
