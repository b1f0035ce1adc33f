"""PLAN-05 (issue 8): a plan whose instalment is more than the borrower's recorded monthly income is
recorded with a named warning, and its agreement is generated with the same warning: never refused.
Without a recorded income nothing is said."""

from datetime import timedelta
from decimal import Decimal

from service.cases import accounts
from service.cases.casefile import load_case_file
from service.core.clock import today
from service.documents import service as documents_service
from tests.conftest import auth
from tests.documents.legal_cases import us_case


def _plan(db, case, income: str | None) -> dict:
    cf = load_case_file(db, case.ref)
    cf.borrower.monthly_income = None if income is None else Decimal(income)
    case.stage = "NEGOTIATING"
    db.flush()
    on = today("America/Chicago")
    owed = accounts.ledger_of(cf, on).total_outstanding
    half = (owed / 2).quantize(Decimal("0.01"))
    return {"plan_type": "instalments", "as_of": on.isoformat(), "service_address": cf.borrower.habitual_address,
            "instalments": [{"no": 1, "due_date": (on + timedelta(days=30)).isoformat(), "amount": str(half)},
                            {"no": 2, "due_date": (on + timedelta(days=60)).isoformat(), "amount": str(owed - half)}]}


def test_a_plan_above_the_borrowers_income_is_recorded_with_a_named_warning(client, keys, db):
    case = us_case(db)
    body = _plan(db, case, "1000.00")
    r = client.post(f"/v1/cases/{case.ref}/plans", headers=auth(keys["legal_staff"]), json=body)
    assert r.status_code == 201, r.text
    [warning] = r.json()["warnings"]
    first = body["instalments"][0]
    assert warning["rule"] == "PLAN-05"
    assert warning["message"] == (
        f"plan {case.ref}-P1: instalment 1 of {Decimal(first['amount']):,.2f} (due {first['due_date']}) is more "
        "than 100% of the borrower's recorded monthly income of 1,000.00: confirm the borrower can pay it "
        "before the agreement is signed")
    assert [v.rule for v in documents_service.generation_warnings(db, case.ref, "repayment_agreement")] == ["PLAN-05"]
    assert documents_service.generation_warnings(db, case.ref, "validation_notice") == []


def test_a_plan_within_the_income_or_without_one_recorded_gets_no_warning(client, keys, db):
    case = us_case(db)
    r = client.post(f"/v1/cases/{case.ref}/plans", headers=auth(keys["legal_staff"]), json=_plan(db, case, None))
    assert r.status_code == 201 and r.json()["warnings"] == [], r.text
    load_case_file(db, case.ref).borrower.monthly_income = Decimal("100000.00")
    db.flush()
    assert documents_service.generation_warnings(db, case.ref, "repayment_agreement") == []
