"""The case API: import with validation, reading balances, contacts under the rules."""

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from service.audit.models import AuditEvent
from service.cases.models import DebtCase, LoanContract, Payment
from tests.conftest import auth
from tests.factories import case_payload


def _counts(db):
    return tuple(db.scalar(select(func.count()).select_from(m)) for m in (DebtCase, LoanContract, Payment,
                                                                          AuditEvent))


def test_import_creates_case_with_balances(client, keys, db):
    r = client.post("/v1/cases", json=case_payload(), headers=auth(keys["collector"]))
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["stage"] == "REMINDER"
    assert body["borrower"]["id_number"] == "110***********002X"  # masked for API readers
    bal = body["balance"]
    # Every part reconciles: what is outstanding is what was due, plus accruals, less what was paid.
    assert Decimal(bal["total_outstanding"]) >= Decimal(bal["total_overdue"]) > 0  # matured loan
    assert Decimal(bal["paid_total"]) == Decimal("1100.00")
    payment = body["payments"][0]
    assert sum(Decimal(a["amount"]) for a in payment["allocation"]) == Decimal("1100.00")
    assert any(e.action == "case.imported" for e in db.scalars(select(AuditEvent)))


BAD_IMPORTS = [
    ("schedule.principal", {"schedule": case_payload()["schedule"][:-1]}),
    ("payments.0.amount", {"payments": [{"value_date": "2025-03-01", "amount": "-5.00"}]}),
    ("payments[0].value_date", {"payments": [{"value_date": "2099-01-01", "amount": "5.00"}]}),
    ("contract.disbursed_date", {"contract": {"disbursed_date": "2024-12-01"}}),
    ("stage", {"stage": "SOMEWHERE"}),
    ("profile", {"profile": "MARS"}),
    ("borrower.id_number", {"borrower": {"id_number": "110105194912310021"}}),
]


@pytest.mark.parametrize(("field", "change"), BAD_IMPORTS, ids=[f for f, _ in BAD_IMPORTS])
def test_bad_import_names_the_field_and_writes_nothing(client, keys, db, field, change):
    before = _counts(db)
    r = client.post("/v1/cases", json=case_payload(**change), headers=auth(keys["collector"]))
    assert r.status_code == 422, r.text
    assert r.headers["content-type"] == "application/problem+json"
    assert field in [e["field"] for e in r.json()["errors"]], r.json()
    assert _counts(db) == before


def test_dates_out_of_order_in_schedule(client, keys):
    payload = case_payload()
    payload["schedule"][3]["due_date"] = payload["schedule"][1]["due_date"]
    r = client.post("/v1/cases", json=payload, headers=auth(keys["collector"]))
    assert r.status_code == 422
    assert "schedule[3].due_date" in [e["field"] for e in r.json()["errors"]]


def test_as_of_changes_balance(client, keys, case):
    early = client.get(f"/v1/cases/{case.ref}?as_of=2025-03-15", headers=auth(keys["collector"])).json()
    late = client.get(f"/v1/cases/{case.ref}?as_of=2025-06-15", headers=auth(keys["collector"])).json()
    assert early["balance"]["as_of"] == "2025-03-15"
    assert Decimal(late["balance"]["penalty"]) > Decimal(early["balance"]["penalty"])
    assert late["balance"]["days_past_due"] - early["balance"]["days_past_due"] == 92


def test_contact_at_23_borrower_local_is_refused(client, keys, case, db):
    before = _counts(db)
    r = client.post(f"/v1/cases/{case.ref}/communications", headers=auth(keys["collector"]), json={
        "channel": "call", "to_address": "13800138000", "sent_at": "2026-11-20T15:00:00Z",  # 23:00 in Beijing
        "outcome": "no_answer"})
    assert r.status_code == 422
    assert [v["rule"] for v in r.json()["violations"]] == ["CN-01"]
    assert "23:00" in r.json()["violations"][0]["message"]
    assert _counts(db) == before


def test_seventh_unanswered_call_in_a_day_is_refused(client, keys, case):
    for k in range(6):
        r = client.post(f"/v1/cases/{case.ref}/communications", headers=auth(keys["collector"]), json={
            "channel": "call", "to_address": "13800138000", "sent_at": f"2026-11-20T{9 + k:02d}:00:00+08:00",
            "outcome": "no_answer"})
        assert r.status_code == 201, r.text
    r = client.post(f"/v1/cases/{case.ref}/communications", headers=auth(keys["collector"]), json={
        "channel": "call", "to_address": "13800138000", "sent_at": "2026-11-20T17:00:00+08:00",
        "outcome": "no_answer"})
    assert r.status_code == 422
    assert "CN-02" in [v["rule"] for v in r.json()["violations"]]


def test_hold_blocks_contact(client, keys, case):
    r = client.post(f"/v1/cases/{case.ref}/transitions", headers=auth(keys["legal_staff"]),
                    json={"hold": "DISPUTE", "reason": "borrower disputes the amount"})
    assert r.status_code == 200, r.text
    r = client.post(f"/v1/cases/{case.ref}/communications", headers=auth(keys["collector"]), json={
        "channel": "sms", "to_address": "13800138000", "sent_at": "2026-11-20T10:00:00+08:00",
        "outcome": "delivered"})
    assert r.status_code == 422
    assert [v["rule"] for v in r.json()["violations"]] == ["HOLD"]


def test_payment_validation(client, keys, case):
    r = client.post(f"/v1/cases/{case.ref}/payments", headers=auth(keys["collector"]),
                    json={"value_date": "2099-01-01", "amount": "10.00"})
    assert r.status_code == 422
    r = client.post(f"/v1/cases/{case.ref}/payments", headers=auth(keys["collector"]),
                    json={"value_date": "2025-04-01", "amount": "0"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "amount"


def test_backdated_payment_reallocates_history(client, keys, case):
    h = auth(keys["collector"])
    before = client.get(f"/v1/cases/{case.ref}", headers=h).json()
    r = client.post(f"/v1/cases/{case.ref}/payments", headers=h, json={"value_date": "2025-03-10", "amount": "500.00"})
    assert r.status_code == 201, r.text
    after = client.get(f"/v1/cases/{case.ref}", headers=h).json()
    assert Decimal(after["balance"]["paid_total"]) == Decimal(before["balance"]["paid_total"]) + 500
    for p in after["payments"]:
        assert sum(Decimal(a["amount"]) for a in p["allocation"]) == Decimal(p["amount"])


def test_law_firm_sees_only_assigned_cases(client, keys, case, db):
    h = auth(keys["law_firm"])
    assert client.get(f"/v1/cases/{case.ref}", headers=h).status_code == 404
    assert client.get("/v1/cases", headers=h).json()["items"] == []
    r = client.put(f"/v1/cases/{case.ref}/assignment", json={"law_firm": "TFIRM"}, headers=auth(keys["legal_staff"]))
    assert r.status_code == 200
    assert client.get(f"/v1/cases/{case.ref}", headers=h).status_code == 200
    client.put(f"/v1/cases/{case.ref}/assignment", json={"law_firm": "OFIRM"}, headers=auth(keys["legal_staff"]))
    assert client.get(f"/v1/cases/{case.ref}", headers=h).status_code == 404


def test_collector_cannot_assign(client, keys, case):
    r = client.put(f"/v1/cases/{case.ref}/assignment", json={"law_firm": "TFIRM"}, headers=auth(keys["collector"]))
    assert r.status_code == 403


def test_unauthenticated(client):
    r = client.get("/v1/cases")
    assert r.status_code == 401 and r.headers["content-type"] == "application/problem+json"


def test_search_and_cursor_pagination(client, keys, db):
    from tests.factories import import_case

    refs = [import_case(db, borrower={"name": f"王{n}"}).ref for n in ("一", "二", "三")]
    h = auth(keys["collector"])
    page = client.get("/v1/cases?limit=2", headers=h).json()
    assert [i["ref"] for i in page["items"]] == refs[:2]
    rest = client.get(f"/v1/cases?limit=2&cursor={page['next_cursor']}", headers=h).json()
    assert [i["ref"] for i in rest["items"]] == refs[2:] and rest["next_cursor"] is None
    assert [i["ref"] for i in client.get("/v1/cases?q=王二", headers=h).json()["items"]] == [refs[1]]
    assert client.get("/v1/cases?cursor=garbage", headers=h).status_code == 422
    assert client.get("/v1/cases?stage=PHONE", headers=h).json()["items"] == []


def test_openapi_has_examples(client):
    spec = client.get("/openapi.json").json()
    body = spec["paths"]["/v1/cases"]["post"]["requestBody"]["content"]["application/json"]
    assert "cn_equal_instalment" in body["examples"]


def test_the_case_api_masks_as_the_documents_do(client, keys, db):
    """One masking function (the rule set and the audience): a US SSN shows its last four only
    (US-13), as on the documents; a CN ID keeps CN-12's head and tail."""
    from service.cases.masking import Audience, identity_for
    from service.cases.models import Borrower
    from service.cases.rules import load_ruleset
    from service.documents.contexts.common import PartyBlock
    from tests.documents.test_api import us_case

    case = us_case(db)
    body = client.get(f"/v1/cases/{case.ref}", headers=auth(keys["collector"])).json()
    shown = body["borrower"]["id_number"]
    assert shown == "*******6789" and body["borrower"]["phones"] == ["********0178"]
    borrower = db.get(Borrower, case.borrower_id)
    letter = PartyBlock.of(borrower, Audience.BORROWER, load_ruleset("US"))
    assert letter.id_number == shown == identity_for("123-45-6789", "", Audience.BORROWER, load_ruleset("US")).id_number


def test_a_payment_channel_documents_have_no_word_for_is_refused_naming_the_field(client, keys, case):
    r = client.post(f"/v1/cases/{case.ref}/payments", headers=auth(keys["collector"]),
                    json={"value_date": "2026-03-01", "amount": "10.00", "channel": "carrier_pigeon"})
    assert r.status_code == 422, r.text
    assert [e["field"] for e in r.json()["errors"]] == ["channel"]
