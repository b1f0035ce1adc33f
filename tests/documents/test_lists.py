"""The template catalogue with versions, its DRAFT previews (nothing recorded), a case's
documents and its timeline, each cursor-paginated and scoped like the case."""

import io

import pikepdf
from sqlalchemy import func, select

from service.audit.models import AuditEvent
from service.cases.models import LawFirm
from service.documents.models import GeneratedDocument
from tests.conftest import auth
from tests.documents.conftest import pdf_text


def _all(client, key, url):
    page = client.get(url, headers=auth(key)).json()
    items = page["items"]
    while page["next_cursor"]:
        sep = "&" if "?" in url else "?"
        page = client.get(f"{url}{sep}cursor={page['next_cursor']}", headers=auth(key)).json()
        items += page["items"]
    return items


def test_templates_are_listed_with_their_versions(client, keys):
    items = _all(client, keys["collector"], "/v1/templates?limit=7")
    found = {(t["kind"], t["profile"], t["locale"], t["format"]): t for t in items}
    assert len(found) == len(items) > 40
    reminder = found[("overdue_reminder", "CN", "zh-CN", "pdf")]
    assert len(reminder["version"]) == 64 and reminder["preview_url"].startswith("/v1/templates/overdue_reminder/")
    assert ("overdue_reminder", "CN", "zh-CN", "sms") in found and found[("overdue_reminder", "CN", "zh-CN",
                                                                            "sms")]["preview_url"] is None
    only = client.get("/v1/templates?kind=validation_notice", headers=auth(keys["collector"])).json()["items"]
    assert {t["kind"] for t in only} == {"validation_notice"}


def test_a_document_records_the_version_the_catalogue_lists(client, keys, case):
    doc = client.post(f"/v1/cases/{case.ref}/documents", json={"kind": "credit_report_prenotice",
                                                               "as_of": "2025-06-20"}, headers=auth(keys["collector"]))
    listed = client.get("/v1/templates?kind=credit_report_prenotice", headers=auth(keys["collector"])).json()
    versions = {(t["locale"], t["format"]): t["version"] for t in listed["items"]}
    assert versions[("zh-CN", "pdf")] == doc.json()["template_version"]


def test_a_preview_is_draft_on_every_page_and_records_nothing(client, keys, db, tmp_path):
    before = [db.scalar(select(func.count()).select_from(m)) for m in (GeneratedDocument, AuditEvent)]
    r = client.get("/v1/templates/demand_letter/preview?profile=CN", headers=auth(keys["collector"]))
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    with pikepdf.open(io.BytesIO(r.content)) as pdf:
        assert len(pdf.pages) >= 1
        for page in pdf.pages:
            single = pikepdf.new()
            single.pages.append(page)
            out = io.BytesIO()
            single.save(out)
            assert "DRAFT" in "".join(pdf_text(out.getvalue(), tmp_path).split())  # drawn diagonally
    assert [db.scalar(select(func.count()).select_from(m)) for m in (GeneratedDocument, AuditEvent)] == before
    assert client.get("/v1/templates/civil_complaint/preview", headers=auth(keys["collector"])).status_code == 403
    assert client.get("/v1/templates/nope/preview", headers=auth(keys["collector"])).json()["errors"][0][
        "field"] == "kind"


def test_a_case_s_documents_and_timeline(client, keys, case, db):
    comm = client.post(f"/v1/cases/{case.ref}/communications", headers=auth(keys["collector"]), json={
        "channel": "call", "to_address": "13800138000", "sent_at": "2025-06-19T10:00:00+08:00",
        "outcome": "no_answer", "summary": "t"})
    assert comm.status_code == 201, comm.text
    made = [client.post(f"/v1/cases/{case.ref}/documents", json={"kind": "credit_report_prenotice",
                                                                 "as_of": f"2025-06-{d}"},
                        headers=auth(keys["collector"])).json()["id"] for d in (20, 21, 22)]
    docs = _all(client, keys["collector"], f"/v1/cases/{case.ref}/documents?limit=2")
    assert [d["id"] for d in docs] == made[::-1]  # newest first, across pages
    timeline = _all(client, keys["collector"], f"/v1/cases/{case.ref}/timeline?limit=2")
    assert [e["document_id"] for e in timeline if e["type"] == "communication" and e["document_id"]] == made[::-1]
    assert any(e["kind"] == "call" for e in timeline) and len(timeline) == 4
    assert [e["at"] for e in timeline] == sorted((e["at"] for e in timeline), reverse=True)
    assert client.get(f"/v1/cases/{case.ref}/timeline", headers=auth(keys["law_firm"])).status_code == 404
    case.law_firm_id = db.scalar(select(LawFirm.id).where(LawFirm.code == "TFIRM"))
    db.flush()
    assert len(_all(client, keys["law_firm"], f"/v1/cases/{case.ref}/documents")) == 3
    bad = client.get(f"/v1/cases/{case.ref}/timeline?cursor=eyJ4Ijox", headers=auth(keys["collector"]))
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "cursor"
