"""Reader review (2026-12-08): the US affidavit of debt's formula lines computed default interest
"unpaid principal × the annual rate ÷ 360 × days" without saying where the 360-day year comes from.
A 360-day year is claimed only on the loan agreement's day-count clause (US-18): each formula line
cites the clause the case's contract records (clause_refs "day_count"), whatever it is numbered."""

from sqlalchemy import select

from service.cases.casefile import load_case_file
from service.cases.models import DebtCase
from tests.documents.conftest import squash
from tests.documents.legal_cases import context, texts
from tests.documents.test_acceleration_notices import in_state
from tests.factories import DEMO_ANCHOR
from tests.seeded import seed_demo


def _formula(clause: str, basis: int = 360) -> str:
    return squash(f"unpaid principal × the annual rate ÷ {basis} (the {basis}-day year of Agreement {clause}) × days")


def test_the_plan_affidavits_formula_cites_the_contracts_day_count_clause(db, tmp_path):
    seed_demo(db, anchor=DEMO_ANCHOR, cases=14)
    case = db.scalars(select(DebtCase).where(DebtCase.us_state == "TX", DebtCase.stage == "PRE_LITIGATION")).one()
    contract = load_case_file(db, case.ref).contract
    assert contract.day_basis == 360
    for clause in (contract.clause_refs["day_count"], "§5(3)"):  # the demo's §4(2), then another numbering
        contract.clause_refs = {**contract.clause_refs, "day_count": clause}
        db.flush()
        for text in texts(context(db, case.ref, "affidavit_of_debt", day=DEMO_ANCHOR), tmp_path):
            flat = squash(text)
            assert "Defaultinterestundersection" in flat
            assert _formula(clause) in flat, clause
            assert "annualrate÷360×days" not in flat  # no formula line without its clause


def test_the_contract_affidavits_formula_cites_it_and_a_calendar_year_needs_none(db, tmp_path):
    case = in_state(db, "IL")
    contract = load_case_file(db, case.ref).contract
    for text in texts(context(db, case.ref, "affidavit_of_debt"), tmp_path):
        flat = squash(text)  # a 365-day year, no day-count clause recorded: the calendar's, nothing to cite
        assert squash("unpaid principal × the annual rate ÷ 365 × days") in flat
    contract.day_basis, contract.clause_refs = 360, {**contract.clause_refs, "day_count": "§3(4)"}
    db.flush()
    for text in texts(context(db, case.ref, "affidavit_of_debt"), tmp_path):
        flat = squash(text)
        assert squash("Default interest, computed as the agreement provides:") + _formula("§3(4)") in flat
