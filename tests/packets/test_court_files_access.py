"""Files that identify the borrower in full are for those who litigate (issue 9, part 9).

Court-audience documents, evidence as received and litigation packets: admin, legal staff and the
assigned law firm get them; a collection system gets a 403 naming the permission it lacks (the
choice documented in README "Roles and permissions"), never a copy. Law firms still see nothing of
another firm's cases (404).
"""

import pytest
from sqlalchemy import select

from service.cases.models import LawFirm
from tests.conftest import auth
from tests.documents.legal_cases import DAY, litigation_case
from tests.packets.test_evidence_api import META, pdf_bytes


@pytest.fixture
def court_case(db, keys):  # type: ignore[no-untyped-def]
    case = litigation_case(db, with_firm=False)
    case.law_firm_id = db.scalar(select(LawFirm.id).where(LawFirm.code == "TFIRM"))
    db.flush()
    return case


def _forbidden(r, permission: str) -> None:  # type: ignore[no-untyped-def]
    assert r.status_code == 403, r.text
    body = r.json()
    assert r.headers["content-type"] == "application/problem+json"
    assert body["permission"] == permission and permission in body["detail"]


def test_court_documents_are_refused_to_collectors(client, keys, court_case):
    url = f"/v1/cases/{court_case.ref}/documents"
    made = client.post(url, headers=auth(keys["legal_staff"]),
                       json={"kind": "civil_complaint", "as_of": DAY.isoformat()})
    assert made.status_code == 201, made.text
    doc = made.json()
    _forbidden(client.post(url, headers=auth(keys["collector"]),
                           json={"kind": "civil_complaint", "as_of": DAY.isoformat()}), "court_documents")
    _forbidden(client.get(doc["content_url"], headers=auth(keys["collector"])), "court_documents")
    for role in ("legal_staff", "admin", "law_firm"):
        got = client.get(doc["content_url"], headers=auth(keys[role]))
        assert got.status_code == 200 and got.content.startswith(b"%PDF"), role
    batch = client.post("/v1/notices/batch", headers=auth(keys["collector"]),
                        json={"items": [{"case_ref": court_case.ref, "kind": "civil_complaint"}]})
    _forbidden(batch, "court_documents")


def test_notices_stay_with_collectors_and_are_masked(client, keys, case):
    # (a kind without the contact-hours rule, so the test does not depend on the time of day)
    r = client.post(f"/v1/cases/{case.ref}/documents", headers=auth(keys["collector"]),
                    json={"kind": "credit_report_prenotice", "as_of": "2025-06-15"})
    assert r.status_code == 201, r.text
    got = client.get(r.json()["content_url"], headers=auth(keys["collector"]))
    assert got.status_code == 200 and r.json()["audience"] == "borrower"


def test_evidence_originals_are_refused_to_collectors(client, keys, court_case):
    r = client.post(f"/v1/cases/{court_case.ref}/evidence", headers=auth(keys["collector"]), data=META,
                    files={"file": ("合同.pdf", pdf_bytes(), "application/pdf")})
    assert r.status_code == 201, r.text  # a collector may hand evidence in
    url = f"/v1/cases/{court_case.ref}/evidence/{r.json()['id']}/content"
    _forbidden(client.get(url, headers=auth(keys["collector"])), "evidence_originals")
    for role in ("legal_staff", "admin", "law_firm"):
        assert client.get(url, headers=auth(keys[role])).status_code == 200, role
    listed = client.get(f"/v1/cases/{court_case.ref}/evidence", headers=auth(keys["collector"]))
    assert listed.status_code == 200  # what was received, not the files


def test_packets_are_refused_to_collectors(client, keys, court_case):
    _forbidden(client.post(f"/v1/cases/{court_case.ref}/packets", headers=auth(keys["collector"]),
                           json={"draft": True, "as_of": DAY.isoformat()}), "build_packet")
    _forbidden(client.post(f"/v1/cases/{court_case.ref}/packets", headers=auth(keys["law_firm"]),
                           json={"draft": True, "as_of": DAY.isoformat()}), "build_packet")  # the firm downloads
    _forbidden(client.get("/v1/jobs/job_whatever/bundle", headers=auth(keys["collector"])), "download_packet")


def test_no_law_firm_sees_another_firms_case(client, keys, db, court_case):
    """Every read of a case, its documents, evidence and jobs is a 404 for a firm it is not assigned to."""
    made = client.post(f"/v1/cases/{court_case.ref}/documents", headers=auth(keys["legal_staff"]),
                       json={"kind": "civil_complaint", "as_of": DAY.isoformat()}).json()
    item = client.post(f"/v1/cases/{court_case.ref}/evidence", headers=auth(keys["legal_staff"]), data=META,
                       files={"file": ("合同.pdf", pdf_bytes(), "application/pdf")}).json()
    job = client.post("/v1/audit/verify", headers=auth(keys["legal_staff"])).json()
    other = db.scalar(select(LawFirm.id).where(LawFirm.code == "OFIRM"))
    court_case.law_firm_id = other
    db.flush()
    ref = court_case.ref
    urls = [f"/v1/cases/{ref}", f"/v1/cases/{ref}/claim", f"/v1/cases/{ref}/evidence",
            f"/v1/cases/{ref}/evidence/{item['id']}/content", f"/v1/documents/{made['id']}", made["content_url"],
            f"/v1/audit?case_ref={ref}"]
    for url in urls:
        r = client.get(url, headers=auth(keys["law_firm"]))
        assert r.status_code == 404, (url, r.status_code)
        assert ref not in r.text or "does not exist" in r.text
    posts = [(f"/v1/cases/{ref}/packets", {"draft": True}), (f"/v1/cases/{ref}/documents", {"kind": "civil_complaint"})]
    for url, body in posts:
        assert client.post(url, headers=auth(keys["law_firm"]), json=body).status_code in (403, 404), url
    audit = client.get("/v1/audit", headers=auth(keys["law_firm"])).json()
    assert all(e["object_id"] != ref for e in audit)
    assert client.get(f"/v1/jobs/{job['job']}", headers=auth(keys["law_firm"])).status_code == 404
