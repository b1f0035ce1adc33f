"""Generating a document from the case page (or previewing it, DRAFT, recording nothing), its inline
preview and download, and the download centre: a law firm lists and downloads only its own cases'
files, each download audited."""

import hashlib
import re
from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from service.audit.models import AuditEvent
from service.cases import activity
from service.cases.models import DebtCase
from service.core.clock import utcnow
from service.jobs.models import Job
from tests.documents.legal_cases import CLAUSES
from tests.documents.test_case_preview import counts, pages_text
from tests.factories import import_case
from tests.web.conftest import csrf_of


def litigation(db: Session) -> DebtCase:
    return import_case(db, stage="PRE_LITIGATION", contract={"clause_refs": CLAUSES})


def generate(client: TestClient, ref: str, kind: str, fmt: str) -> str:
    token = csrf_of(client.get(f"/cases/{ref}").text)
    answer = client.post(f"/cases/{ref}/documents", data={"kind": kind, "format": fmt, "csrf_token": token},
                         follow_redirects=False)
    assert answer.status_code == 303, answer.text
    found = re.search(r"done=document-([\w-]+)", answer.headers["location"])
    assert found
    return found.group(1)


def test_generate_preview_and_download(signed_in: Callable[[str], TestClient], db: Session) -> None:
    case = litigation(db)
    client = signed_in("legal_staff")
    doc_id = generate(client, case.ref, "claim_statement", "pdf")
    page = client.get(f"/cases/{case.ref}?done=document-{doc_id}")
    assert f'src="/documents/{doc_id}/content?inline=1"' in page.text
    inline = client.get(f"/documents/{doc_id}/content?inline=1")
    assert inline.status_code == 200 and inline.headers["content-disposition"].startswith("inline;")
    assert inline.content.startswith(b"%PDF") and hashlib.sha256(inline.content).hexdigest() == inline.headers[
        "x-content-sha256"]
    docx_id = generate(client, case.ref, "claim_statement", "docx")
    docx = client.get(f"/documents/{docx_id}/content")
    assert docx.headers["content-disposition"].startswith("attachment;") and docx.content.startswith(b"PK")
    downloads = db.scalars(select(AuditEvent.object_id).where(AuditEvent.action == "document.downloaded")).all()
    assert {doc_id, docx_id} <= set(downloads)


def test_the_download_centre_lists_only_the_firms_cases(signed_in: Callable[[str], TestClient], db: Session) -> None:
    mine, theirs = litigation(db), litigation(db)
    staff = signed_in("legal_staff")
    mine_doc = generate(staff, mine.ref, "claim_statement", "pdf")
    theirs_doc = generate(staff, theirs.ref, "claim_statement", "pdf")
    activity.assign(db, mine, "WFIRM", actor="test")
    activity.assign(db, theirs, "XFIRM", actor="test")
    staff.cookies.clear()
    firm = signed_in("law_firm")
    centre = firm.get("/downloads")
    assert centre.status_code == 200 and mine_doc in centre.text and theirs_doc not in centre.text
    got = firm.get(f"/documents/{mine_doc}/content")
    assert got.status_code == 200  # the firm's copy carries the "provided to" line, as through the API
    assert hashlib.sha256(got.content).hexdigest() == got.headers["x-content-sha256"] != got.headers[
        "x-original-sha256"]
    assert firm.get(f"/documents/{theirs_doc}/content").status_code == 404


def test_a_packet_refused_for_missing_exhibits_names_the_rule(signed_in: Callable[[str], TestClient],
                                                              db: Session) -> None:
    case = litigation(db)
    client = signed_in("legal_staff")
    token = csrf_of(client.get(f"/cases/{case.ref}").text)
    answer = client.post(f"/cases/{case.ref}/packets", headers={"X-CSRF-Token": token, "HX-Request": "true"})
    assert answer.status_code == 422 and "PACKET-EXHIBITS" in answer.text and answer.headers["HX-Retarget"]


def test_a_packet_job_shows_as_a_polling_progress_bar_then_a_download(signed_in: Callable[[str], TestClient],
                                                                      db: Session) -> None:
    case = litigation(db)
    job = Job(id="job_webtest0001", kind="packet", status="running", case_id=case.id, progress=3, total=10,
              actor="user:wlegal", created_at=utcnow())
    db.add(job)
    db.flush()
    client = signed_in("legal_staff")
    running = client.get(f"/jobs/{job.id}/progress").text
    assert 'hx-get="/jobs/job_webtest0001/progress"' in running and 'value="3"' in running and "3/10" in running
    job.status, job.progress, job.result = "done", 10, {"bundle_sha256": "ab" * 32, "size": 2048, "case_ref": case.ref}
    db.flush()
    done = client.get(f"/jobs/{job.id}/progress").text
    assert "hx-get" not in done and "/jobs/job_webtest0001/bundle" in done and "ab" * 32 in done
    signed_out = TestClient(client.app)
    assert signed_out.get(f"/jobs/{job.id}/progress", follow_redirects=False).status_code == 303


def test_a_notice_sent_again_the_same_day_needs_a_reason_the_form_asks_for(
        signed_in: Callable[[str], TestClient], db: Session) -> None:
    case = import_case(db)  # REMINDER, its lender reporting to a credit system
    client = signed_in("legal_staff")
    generate(client, case.ref, "credit_report_prenotice", "pdf")
    token = csrf_of(client.get(f"/cases/{case.ref}").text)
    form = {"kind": "credit_report_prenotice", "format": "pdf", "csrf_token": token}
    again = client.post(f"/cases/{case.ref}/documents", data=form, follow_redirects=False)
    assert again.status_code == 422 and "DOC-03" in again.text
    reason = "第一份寄错地址，按正确地址重发"
    sent = client.post(f"/cases/{case.ref}/documents", data={**form, "override_reason": reason},
                       follow_redirects=False)
    assert sent.status_code == 303, sent.text
    reasons = db.scalars(select(AuditEvent.reason).where(AuditEvent.action == "document.generated")).all()
    assert reason in reasons


def test_the_case_page_previews_beside_generate(signed_in: Callable[[str], TestClient], db: Session,
                                                tmp_path) -> None:
    case = import_case(db)
    client = signed_in("legal_staff")
    page = client.get(f"/cases/{case.ref}").text
    assert f'formaction="/cases/{case.ref}/documents/preview"' in page
    before = counts(db)
    shown = client.post(f"/cases/{case.ref}/documents/preview",
                        data={"kind": "credit_report_prenotice", "format": "pdf", "csrf_token": csrf_of(page)})
    assert shown.status_code == 200 and shown.headers["content-disposition"].startswith("inline;")
    assert all("DRAFT" in p for p in pages_text(shown.content, tmp_path))
    assert counts(db) == before
