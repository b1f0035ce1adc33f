"""Text that cannot rearrange a document (issue 9, part 4) and sensible amounts (part 7)."""

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select

from service.cases.models import Borrower, Payment
from service.core.text import text_problem
from tests.conftest import auth
from tests.factories import case_payload
from tests.packets.test_evidence_api import META, pdf_bytes

RLO = "\u202e"

HOSTILE = [
    ("borrower.name", {"borrower": {"name": f"张{RLO}伟"}}),
    ("borrower.habitual_address", {"borrower": {"habitual_address": "北京市\x07朝阳区"}}),
    ("borrower.name_en", {"borrower": {"name_en": "Zhang\u2066Wei"}}),
    ("lender.name", {"lender": {"name": "测试\x00金融"}}),
    ("lender.payment_account.bank", {"lender": {"payment_account": {"bank": f"工商银行{RLO}"}}}),
    ("contacts.0.name", {"contacts": [{"name": "李\u200f娜", "relation": "配偶", "phone": "13900139000"}]}),
    ("contract.signed_place", {"contract": {"signed_place": "上海\u2028徐汇"}}),
    ("payments.0.note", {"payments": [{"value_date": "2025-02-10", "amount": "1100.00", "note": f"ok{RLO}"}]}),
]


@pytest.mark.parametrize(("field", "change"), HOSTILE, ids=[f for f, _ in HOSTILE])
def test_control_and_bidi_characters_are_refused_naming_the_field(client, keys, db, field, change):
    before = db.scalar(select(func.count()).select_from(Borrower))
    r = client.post("/v1/cases", json=case_payload(**change), headers=auth(keys["collector"]))
    assert r.status_code == 422, r.text
    errors = r.json()["errors"]
    assert field in [e["field"] for e in errors], errors
    assert "U+" in errors[0]["message"]
    assert db.scalar(select(func.count()).select_from(Borrower)) == before


def test_right_to_left_script_without_controls_is_accepted(client, keys):
    r = client.post("/v1/cases", headers=auth(keys["collector"]), json=case_payload(
        borrower={"name_en": "محمد علي", "id_type": "passport", "id_number": "E12345678"}))
    assert r.status_code == 201, r.text


def test_free_text_keeps_its_lines(client, keys, case):
    r = client.post(f"/v1/cases/{case.ref}/transitions", headers=auth(keys["legal_staff"]),
                    json={"hold": "DISPUTE", "reason": "借款人来电称已还款。\n需核对流水。"})
    assert r.status_code == 200, r.text
    r = client.post(f"/v1/cases/{case.ref}/transitions", headers=auth(keys["legal_staff"]),
                    json={"release": True, "hold": "DISPUTE", "reason": f"核对完毕{RLO}"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "reason"


def _stored(settings) -> set[str]:  # type: ignore[no-untyped-def]
    objects = settings.storage_dir / "objects"
    return {p.name for p in objects.rglob("*") if p.is_file()} if objects.exists() else set()


def test_evidence_metadata_is_checked_like_any_text(client, keys, case, settings):
    url = f"/v1/cases/{case.ref}/evidence"
    before = _stored(settings)
    for field, value in (("title", f"借款合同{RLO}fdp.exe"), ("source", "平台\x1b[31m"), ("purpose", "x" * 4001)):
        r = client.post(url, headers=auth(keys["collector"]), data={**META, field: value},
                        files={"file": ("a.pdf", pdf_bytes(), "application/pdf")})
        assert r.status_code == 422, r.text
        assert field in [e["field"] for e in r.json()["errors"]]
    assert _stored(settings) == before  # refused before anything was stored


def _request_strings(schema: dict[str, Any], node: Any, path: str) -> list[tuple[str, dict[str, Any]]]:
    """Every string a client can send in a request body, with where it is."""
    if isinstance(node, dict) and "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        return _request_strings(schema, schema["components"]["schemas"][name], path)
    if not isinstance(node, dict):
        return []
    found: list[tuple[str, dict[str, Any]]] = []
    if node.get("type") == "string" and not {"enum", "format", "const", "contentMediaType"} & set(node):
        found.append((path, node))
    for key in ("anyOf", "oneOf", "allOf"):
        for option in node.get(key, []):
            if not (option.get("type") == "string" and key == "anyOf" and any(
                    o.get("type") == "number" for o in node[key])):  # a decimal as number or string
                found += _request_strings(schema, option, path)
    for name, prop in node.get("properties", {}).items():
        found += _request_strings(schema, prop, f"{path}.{name}")
    if isinstance(node.get("items"), dict):
        found += _request_strings(schema, node["items"], f"{path}[]")
    if isinstance(node.get("additionalProperties"), dict):
        found += _request_strings(schema, node["additionalProperties"], f"{path}{{}}")
    return found


def test_every_text_field_of_every_request_has_a_length_limit(app):
    schema = app.openapi()
    strings = []
    for url, item in schema["paths"].items():
        for method, op in item.items():
            for content in op.get("requestBody", {}).get("content", {}).values():
                strings += _request_strings(schema, content["schema"], f"{method.upper()} {url}")
            for param in op.get("parameters", []):
                if param["in"] == "path":  # identifiers looked up, never stored as text
                    continue
                strings += _request_strings(schema, param["schema"], f"{method.upper()} {url} {param['name']}")
    assert len(strings) > 50
    unbounded = [path for path, node in strings if "maxLength" not in node and "pattern" not in node]
    assert unbounded == []


@pytest.mark.parametrize("text", ["张伟", "Zhang Wei", "محمد", "O'Brien-Smith", "株式会社", "Ñandú"])
def test_ordinary_names_pass(text):
    assert text_problem(text) is None


def test_amounts_are_normalised_to_cents_and_echoed_so(client, keys, case, db):
    r = client.post(f"/v1/cases/{case.ref}/payments", headers=auth(keys["collector"]),
                    json={"value_date": "2025-03-01", "amount": "1E+2"})
    assert r.status_code == 201, r.text
    assert r.json()["amount"] == "100.00"
    db.expire_all()
    stored = db.get(Payment, r.json()["id"])
    assert stored is not None and str(stored.amount) == "100.00"  # read back from the database


@pytest.mark.parametrize("amount", ["1E+20", "NaN", "Infinity", "0.001", "-1"])
def test_unreasonable_amount_forms_are_refused(client, keys, case, amount):
    r = client.post(f"/v1/cases/{case.ref}/payments", headers=auth(keys["collector"]),
                    json={"value_date": "2025-03-01", "amount": amount})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "amount", r.text


def test_overpayment_beyond_balance_and_tolerance_needs_the_flag(client, keys, case, db, settings):
    url, headers = f"/v1/cases/{case.ref}/payments", auth(keys["collector"])
    before = db.scalar(select(func.count()).select_from(Payment))
    r = client.post(url, headers=headers, json={"value_date": "2025-03-01", "amount": "99999999999999.99"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "amount"
    assert "owed" in r.json()["detail"] and str(settings.overpayment_tolerance) in r.json()["detail"]
    assert db.scalar(select(func.count()).select_from(Payment)) == before
    detail = client.get(f"/v1/cases/{case.ref}?as_of=2025-03-01", headers=headers).json()
    owed = Decimal(detail["balance"]["total_outstanding"])
    within = owed + settings.overpayment_tolerance
    r = client.post(url, headers=headers, json={"value_date": "2025-03-01", "amount": str(within)})
    assert r.status_code == 201, r.text
    r = client.post(url, headers=headers, json={"value_date": "2025-03-01", "amount": "500.00", "overpayment": True})
    assert r.status_code == 201, r.text


def test_text_longer_than_its_column_is_422_on_every_database(client, keys, case, db):
    # PostgreSQL answered this with a 500 (value too long for type character varying(80)).
    before = db.scalar(select(func.count()).select_from(Payment))
    r = client.post(f"/v1/cases/{case.ref}/payments", headers=auth(keys["collector"]),
                    json={"value_date": "2025-03-01", "amount": "100.00", "external_ref": "R" * 81})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "external_ref", r.text
    assert db.scalar(select(func.count()).select_from(Payment)) == before
