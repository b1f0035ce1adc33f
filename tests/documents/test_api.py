"""The documents API: 201 with the record, the record and the bytes back, 422 with violations."""

import hashlib
from datetime import date

import pytest
from sqlalchemy.orm import Session

from service.cases.models import DebtCase
from service.core.storage import get_store
from tests.conftest import auth
from tests.factories import import_case, schedule


def us_case(db: Session, **over) -> DebtCase:  # type: ignore[no-untyped-def]
    return import_case(
        db, profile="US", stage="REMINDER", us_state="IL",
        lender={"code": "TLKC", "name": "Lakeside Test Credit, LLC", "name_en": "Lakeside Test Credit, LLC",
                "hotline": "1-800-555-0142", "address": "200 West Adams Street, Chicago, IL 60606",
                "licence_type": "other_licensed", "creditor_role": "debt_collector",
                "collects_for": "Lakeside Consumer Credit, LLC"},
        borrower={"name": "James Miller", "gender": "male", "id_type": "us_ssn", "id_number": "123-45-6789",
                  "phones": [{"number": "312-555-0178"}], "habitual_address": "1452 N Damen Ave, Chicago, IL 60622",
                  "timezone": "America/Chicago", "language": "en-US"},
        contract={"currency": "USD", "agreed_service_address": "1452 N Damen Ave, Chicago, IL 60622",
                  "principal_agreed": "6000.00", "disbursed_amount": "6000.00", "nominal_rate": "0.1899",
                  "penalty_rate": "0.1899"},
        payments=[{"value_date": "2025-02-10", "amount": "560.00"}],
        schedule=schedule(principal="6000.00", rate="0.1899", periods=12, first_due=date(2025, 2, 10),
                          start=date(2025, 1, 10)),
        **over)


def test_generate_read_and_download(client, keys, case, settings, db):
    r = client.post(f"/v1/cases/{case.ref}/documents", json={"kind": "credit_report_prenotice", "format": "docx",
                                                             "as_of": "2025-06-20"},
                    headers=auth(keys["legal_staff"]))
    assert r.status_code == 201, r.text
    body = r.json()
    assert (body["case_ref"], body["kind"], body["format"], body["locale"], body["as_of"]) == (
        case.ref, "credit_report_prenotice", "docx", "zh-CN", "2025-06-20")
    assert client.get(f"/v1/documents/{body['id']}", headers=auth(keys["collector"])).json() == body
    content = client.get(body["content_url"], headers=auth(keys["collector"]))
    assert content.status_code == 200
    assert content.headers["content-type"].startswith("application/vnd.openxmlformats-officedocument")
    assert f'filename="{case.ref}-credit_report_prenotice-zh-CN-2025-06-20.docx"' in content.headers[
        "content-disposition"]
    assert hashlib.sha256(content.content).hexdigest() == body["sha256"] == content.headers["x-content-sha256"]
    assert get_store(settings).exists(body["sha256"])


def test_rule_refusal_is_problem_json_with_violations(client, keys, db):
    from tests.documents.conftest import cn_case

    case = cn_case(db, stage="PHONE")
    r = client.post(f"/v1/cases/{case.ref}/documents", json={"kind": "demand_letter", "format": "pdf"},
                    headers=auth(keys["collector"]))
    assert r.status_code == 422
    assert r.headers["content-type"] == "application/problem+json"
    assert [v["rule"] for v in r.json()["violations"]] == ["CN-10"]


def test_invalid_request_names_the_field(client, keys, case):
    r = client.post(f"/v1/cases/{case.ref}/documents", json={"kind": "overdue_reminder", "format": "png"},
                    headers=auth(keys["collector"]))
    assert r.status_code == 422 and [e["field"] for e in r.json()["errors"]] == ["format"]


def test_law_firm_sees_only_its_cases_and_cannot_generate(client, keys, case):
    staff = auth(keys["legal_staff"])
    body = client.post(f"/v1/cases/{case.ref}/documents", json={"kind": "credit_report_prenotice",
                                                                "as_of": "2025-06-20"}, headers=staff).json()
    firm = auth(keys["law_firm"])
    assert client.get(f"/v1/documents/{body['id']}", headers=firm).status_code == 404
    assert client.get(body["content_url"], headers=firm).status_code == 404
    assert client.post(f"/v1/cases/{case.ref}/documents", json={"kind": "credit_report_prenotice"},
                       headers=firm).status_code in (403, 404)
    assert client.put(f"/v1/cases/{case.ref}/assignment", json={"law_firm": "TFIRM"}, headers=staff).status_code == 200
    assert client.get(f"/v1/documents/{body['id']}", headers=firm).status_code == 200


def test_unknown_document_is_404(client, keys):
    r = client.get("/v1/documents/doc_00000000000000000000", headers=auth(keys["admin"]))
    assert r.status_code == 404 and r.headers["content-type"] == "application/problem+json"


def test_us_validation_notice(client, keys, db):
    case = us_case(db)
    r = client.post(f"/v1/cases/{case.ref}/documents", json={"kind": "validation_notice", "as_of": "2025-06-20"},
                    headers=auth(keys["collector"]))
    assert r.status_code == 201, r.text
    assert r.json()["locale"] == "en-US"


def test_a_planned_kind_on_its_own_lists_the_case_plan_through_the_wired_planner(client, keys, db):
    """The evidence index lists a packet's exhibits; documents cannot plan a packet (packets sits
    above it), so the app wires the packets planner in and the API generates the index alone."""
    from service.core.errors import InvalidInput
    from service.documents import service as documents_service
    from tests.documents.legal_cases import DAY, litigation_case, moment

    case = litigation_case(db)
    r = client.post(f"/v1/cases/{case.ref}/documents", json={"kind": "evidence_index", "as_of": DAY.isoformat()},
                    headers=auth(keys["legal_staff"]))
    assert r.status_code == 201, r.text
    with pytest.raises(InvalidInput) as refused:  # no planner: refused by name, not a TypeError deep inside
        documents_service.prepare(db, case_ref=case.ref, kind="evidence_index", fmt="pdf", locale=None, as_of=DAY,
                                  now=moment(DAY))
    assert refused.value.errors[0].field == "kind" and "packet" in refused.value.errors[0].message


def test_the_answer_names_the_warnings_of_the_case_the_document_was_decided_on(client, keys, db):
    """US-22 (1812.700(c)): a California collector's validation notice to a debtor whose recorded
    language is not English comes back with the named warning, read from the same case file the
    notice was generated from (not a second load of the case)."""
    from service.cases.casefile import load_case_file
    from tests.documents.test_rosenthal_notice import _case

    case = _case(db, "CA")
    notice = {"kind": "validation_notice", "as_of": "2025-06-20"}
    r = client.post(f"/v1/cases/{case.ref}/documents", json=notice, headers=auth(keys["legal_staff"]))
    assert r.status_code == 201 and r.json()["warnings"] == [], r.text  # an English-speaking debtor
    load_case_file(db, case.ref).borrower.language = "zh-CN"
    db.flush()
    again = {**notice, "override_reason": "the debtor asked for a copy"}
    r = client.post(f"/v1/cases/{case.ref}/documents", json=again, headers=auth(keys["legal_staff"]))
    assert r.status_code == 201, r.text
    [warning] = r.json()["warnings"]
    assert warning["rule"] == "US-22" and "is zh-CN" in warning["message"]


def test_a_document_request_loads_its_case_once(client, keys, db, engine):
    """The case file (a dozen queries) is loaded once a request: the rules, the document and its
    warnings all read that one load. Counted by the case's communications, which only the case
    file reads."""
    from sqlalchemy import event

    case = us_case(db)
    seen: list[str] = []

    def note(conn, cursor, statement, *_):  # type: ignore[no-untyped-def]
        seen.append(" ".join(statement.split()))

    event.listen(engine, "before_cursor_execute", note)
    try:
        r = client.post(f"/v1/cases/{case.ref}/documents", json={"kind": "validation_notice", "as_of": "2025-06-20"},
                        headers=auth(keys["collector"]))
    finally:
        event.remove(engine, "before_cursor_execute", note)
    assert r.status_code == 201, r.text
    assert len([s for s in seen if s.startswith("SELECT") and " FROM communication " in s]) == 1, seen
