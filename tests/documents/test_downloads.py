"""Downloads: a law firm's PDFs carry the "provided to" line on every page (the stored original
keeps its bytes and hash); signed links bound to the principal, expiring, single-use or not;
every download in the audit trail."""

import hashlib
import io
from datetime import timedelta

import pikepdf
from sqlalchemy import select

from service.access import links
from service.audit.models import AuditEvent
from service.cases.models import LawFirm
from service.core.clock import utcnow
from service.core.errors import NotFound
from service.core.storage import get_store
from tests.conftest import auth
from tests.documents.conftest import pdf_text


def _generate(client, keys, case, db, fmt="pdf"):
    case.law_firm_id = db.scalar(select(LawFirm.id).where(LawFirm.code == "TFIRM"))
    db.flush()
    r = client.post(f"/v1/cases/{case.ref}/documents", json={"kind": "credit_report_prenotice", "format": fmt,
                                                             "as_of": "2025-06-20"}, headers=auth(keys["legal_staff"]))
    assert r.status_code == 201, r.text
    return r.json()


def _events(db, doc_id):
    return [e.data for e in db.scalars(select(AuditEvent).where(AuditEvent.object_id == doc_id,
                                                                AuditEvent.action == "document.downloaded")
                                       .order_by(AuditEvent.seq))]


def test_a_law_firm_s_pdf_carries_the_line_on_every_page_and_the_original_is_untouched(client, keys, case, db,
                                                                                      settings, tmp_path):
    doc = _generate(client, keys, case, db)
    got = client.get(doc["content_url"], headers=auth(keys["law_firm"]))
    assert got.status_code == 200
    assert got.headers["x-original-sha256"] == doc["sha256"] != got.headers["x-content-sha256"]
    assert hashlib.sha256(got.content).hexdigest() == got.headers["x-content-sha256"]
    with pikepdf.open(io.BytesIO(got.content)) as pdf:
        for page in pdf.pages:  # page by page: the line is on every one
            single = pikepdf.new()
            single.pages.append(page)
            out = io.BytesIO()
            single.save(out)
            assert "提供给测试律师事务所" in pdf_text(out.getvalue(), tmp_path).replace(" ", "")
    stored = get_store(settings).read_bytes(doc["sha256"])
    assert hashlib.sha256(stored).hexdigest() == doc["sha256"]  # the original, as generated
    assert "提供给" not in pdf_text(stored, tmp_path)
    staff = client.get(doc["content_url"], headers=auth(keys["collector"]))
    assert hashlib.sha256(staff.content).hexdigest() == doc["sha256"]  # staff get the original
    events = _events(db, doc["id"])
    assert events[0]["marked_for"] == "TFIRM" and events[0]["delivered_sha256"] == got.headers["x-content-sha256"]
    assert "marked_for" not in events[1]


def test_a_signed_link_is_the_principal_s_once(client, keys, case, db):
    doc = _generate(client, keys, case, db, fmt="docx")
    made = client.post(f"/v1/documents/{doc['id']}/links", json={}, headers=auth(keys["collector"]))
    assert made.status_code == 201, made.text
    url = made.json()["url"]
    assert made.json()["single_use"] is True
    assert client.get(url, headers=auth(keys["legal_staff"])).status_code == 404  # another principal's link
    first = client.get(url, headers=auth(keys["collector"]))
    assert first.status_code == 200 and hashlib.sha256(first.content).hexdigest() == doc["sha256"]
    again = client.get(url, headers=auth(keys["collector"]))
    assert again.status_code == 410 and again.headers["content-type"] == "application/problem+json"
    assert client.get(url + "x", headers=auth(keys["collector"])).status_code == 404  # not signed by us
    assert client.get(url).status_code == 401
    [used] = _events(db, doc["id"])  # one download, through the link
    assert used["link"] and used["sha256"] == doc["sha256"]


def test_a_reusable_link_works_until_it_expires(client, keys, case, db, settings):
    doc = _generate(client, keys, case, db)
    made = client.post(f"/v1/documents/{doc['id']}/links", json={"single_use": False, "ttl_seconds": 60},
                       headers=auth(keys["law_firm"])).json()
    for _ in range(2):
        r = client.get(made["url"], headers=auth(keys["law_firm"]))
        assert r.status_code == 200 and r.headers["x-original-sha256"] == doc["sha256"]
        assert r.headers["x-content-sha256"] != doc["sha256"]  # the firm's copy, marked
    token = made["url"].rsplit("/", 1)[1]
    from service.access.service import authenticate

    firm = authenticate(db, f"Bearer {keys['law_firm']}")
    try:
        links.redeem(db, token, firm, secret_key=settings.secret_key, now=utcnow() + timedelta(seconds=61))
    except links.LinkGone as gone:
        assert "expired" in gone.detail
    else:
        raise AssertionError("an expired link opened")
    try:
        links.redeem(db, token, firm, secret_key="another-key")
    except NotFound:
        pass
    else:
        raise AssertionError("a token signed with another key opened")


def test_links_follow_the_permission_table_and_firm_scoping(client, keys, case, db):
    doc = _generate(client, keys, case, db)
    case.law_firm_id = db.scalar(select(LawFirm.id).where(LawFirm.code == "OFIRM"))
    db.flush()
    assert client.post(f"/v1/documents/{doc['id']}/links", headers=auth(keys["law_firm"])).status_code == 404
    bad = client.post(f"/v1/documents/{doc['id']}/links", json={"ttl_seconds": 5}, headers=auth(keys["collector"]))
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "ttl_seconds"


def test_a_law_firm_s_evidence_pdf_is_marked_and_the_stored_one_is_not(client, keys, case, db, settings, tmp_path):
    from tests.packets.test_evidence_api import _upload, pdf_bytes

    data = pdf_bytes(2)
    item = _upload(client, keys["collector"], case.ref, "合同.pdf", data).json()
    case.law_firm_id = db.scalar(select(LawFirm.id).where(LawFirm.code == "TFIRM"))
    db.flush()
    url = f"/v1/cases/{case.ref}/evidence/{item['id']}/content"
    got = client.get(url, headers=auth(keys["law_firm"]))
    assert got.status_code == 200 and got.headers["x-original-sha256"] == item["sha256"]
    assert hashlib.sha256(got.content).hexdigest() == got.headers["x-content-sha256"] != item["sha256"]
    with pikepdf.open(io.BytesIO(got.content)) as pdf:
        assert len(pdf.pages) == 2
    assert pdf_text(got.content, tmp_path).replace(" ", "").count("提供给测试律师事务所") == 2
    assert client.get(url, headers=auth(keys["legal_staff"])).content == data  # staff: as received
    assert get_store(settings).read_bytes(item["sha256"]) == data
    event = db.scalars(select(AuditEvent).where(AuditEvent.action == "evidence.downloaded")
                       .order_by(AuditEvent.seq)).first()
    assert event.data["marked_for"] == "TFIRM"
