"""The batch-notice job: accepted items become recorded notices, refused ones name their rules."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from service.cases.casefile import load_case_file, load_case_files
from service.core.clock import utcnow
from service.documents.jobs import run_notice_batch
from service.documents.models import GeneratedDocument
from service.jobs.models import Job
from tests.conftest import auth
from tests.documents.conftest import add_prenotice, add_visit, cn_case


def test_batch_generates_accepted_items_and_reports_refusals(db, settings):
    ok, other, refused = cn_case(db), cn_case(db), cn_case(db, stage="PHONE")
    items = [{"case_ref": ok.ref, "kind": "credit_report_prenotice"},
             {"case_ref": refused.ref, "kind": "demand_letter"},
             {"case_ref": "CN-1999-99999", "kind": "credit_report_prenotice"},
             {"case_ref": other.ref, "kind": "credit_report_prenotice"}]
    job = Job(id="job_test0000000000000001", kind="notice_batch", status="running", params={"items": items,
              "format": "docx"}, actor="test", created_at=utcnow())
    db.add(job)
    db.flush()
    seen = []
    result = run_notice_batch(db, job, settings.model_copy(update={"storage_dir": settings.storage_dir}),
                              lambda done, total: seen.append((done, total)))
    assert (result["generated"], result["refused"]) == (2, 2)
    assert [i["status"] for i in result["items"]] == ["generated", "refused", "refused", "generated"]
    assert result["items"][1]["violations"][0]["rule"] == "CN-10"
    assert "CN-1999-99999" in result["items"][2]["detail"]
    docs = db.scalars(select(GeneratedDocument).where(GeneratedDocument.job_id == job.id)).all()
    assert sorted(d.id for d in docs) == sorted(i["document_id"] for i in result["items"] if "document_id" in i)
    assert seen[-1] == (4, 4)  # every item sent, the refused ones included (the job's and its webhook's total)


def test_batch_endpoint_answers_202_with_the_job(client, keys, case):
    r = client.post("/v1/notices/batch", json={"items": [{"case_ref": case.ref, "kind": "credit_report_prenotice"}],
                                               "format": "pdf"}, headers=auth(keys["collector"]))
    assert r.status_code == 202, r.text
    assert r.json()["kind"] == "notice_batch" and r.json()["links"]["self"].startswith("/v1/jobs/job_")


def test_case_files_load_together_as_they_load_alone(db):
    cases = [cn_case(db), cn_case(db, stage="PHONE"), cn_case(db)]
    sent = datetime(2026, 11, 2, 3, tzinfo=UTC)
    for i, case in enumerate(cases[:2]):  # some history on two of them, to be grouped by case
        for day in range(i + 1):
            add_prenotice(db, case, sent + timedelta(days=day))
            add_visit(db, case, sent + timedelta(days=10 + day))
    together = load_case_files(db, [c.ref for c in cases] + ["CN-1999-99999", cases[0].ref])
    assert sorted(together) == sorted(c.ref for c in cases)
    for case in cases:
        alone = load_case_file(db, case.ref)
        got = together[case.ref]
        assert got.case is alone.case and got.borrower is alone.borrower and got.lender is alone.lender
        for name in ("instalments", "payments", "holds", "communications", "visits", "plans", "breaches", "contacts"):
            assert [r.id for r in getattr(got, name)] == [r.id for r in getattr(alone, name)], name
    assert [len(together[c.ref].communications) for c in cases] == [1, 2, 0]
    assert [len(together[c.ref].visits) for c in cases] == [1, 2, 0]
