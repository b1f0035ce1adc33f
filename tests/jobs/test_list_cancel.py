"""The jobs list (filtered by kind and status, cursor-paginated, a law firm sees its cases' jobs)
and cancelling a job (a cancelled running job's work is rolled back when it ends)."""

from datetime import timedelta

from sqlalchemy import select

from service.cases.models import LawFirm
from service.core.clock import utcnow
from service.jobs.models import Job
from tests.conftest import auth


def _job(db, n, kind="notice_batch", status="queued", case_id=None):
    job = Job(id=f"job_list{n:016d}", kind=kind, status=status, params={}, actor="test", case_id=case_id,
              result={"generated": 1, "items": [{"status": "generated"}]} if status == "done" else {},
              created_at=utcnow() - timedelta(minutes=n))
    db.add(job)
    db.flush()
    return job


def test_jobs_are_listed_newest_first_filtered_and_paginated(client, keys, db, case):
    for n in range(5):
        _job(db, n, status="done" if n % 2 else "queued")
    _job(db, 9, kind="packet", case_id=case.id)
    page = client.get("/v1/jobs?kind=notice_batch&limit=2", headers=auth(keys["collector"])).json()
    ids = [j["id"] for j in page["items"]]
    while page["next_cursor"]:
        page = client.get(f"/v1/jobs?kind=notice_batch&limit=2&cursor={page['next_cursor']}",
                          headers=auth(keys["collector"])).json()
        ids += [j["id"] for j in page["items"]]
    assert ids == [f"job_list{n:016d}" for n in range(5)]
    done = client.get("/v1/jobs?status=done", headers=auth(keys["collector"])).json()["items"]
    assert [j["id"][-1] for j in done] == ["1", "3"] and done[0]["result"] == {"generated": 1}  # counts only
    assert client.get("/v1/jobs?status=nope", headers=auth(keys["collector"])).status_code == 422
    assert client.get("/v1/jobs", headers=auth(keys["law_firm"])).json()["items"] == []  # not its cases
    case.law_firm_id = db.scalar(select(LawFirm.id).where(LawFirm.code == "TFIRM"))
    db.flush()
    assert [j["kind"] for j in client.get("/v1/jobs", headers=auth(keys["law_firm"])).json()["items"]] == ["packet"]


def test_a_job_is_cancelled_once_and_a_finished_one_is_a_conflict(client, keys, db):
    queued, done = _job(db, 1), _job(db, 2, status="done")
    r = client.post(f"/v1/jobs/{queued.id}/cancel", headers=auth(keys["collector"]))
    assert r.status_code == 200 and r.json()["status"] == "cancelled"
    assert client.post(f"/v1/jobs/{queued.id}/cancel", headers=auth(keys["collector"])).status_code == 409
    assert client.post(f"/v1/jobs/{done.id}/cancel", headers=auth(keys["collector"])).status_code == 409
    assert client.post(f"/v1/jobs/{done.id}/cancel", headers=auth(keys["law_firm"])).status_code in (403, 404)


def test_a_cancelled_running_batch_leaves_no_notice(tmp_path, monkeypatch):
    """The runner's final write needs the row still running: a job cancelled meanwhile rolls back."""
    from service.core.db import unit_of_work
    from service.core.settings import Settings
    from service.documents.models import GeneratedDocument
    from service.jobs import listing, registry
    from service.jobs.models import JobKind
    from service.jobs.runner import run_job
    from tests.factories import import_case
    from tests.live import own_database

    url = own_database(tmp_path, "cancel")
    settings = Settings(database_url=url, storage_dir=tmp_path / "store")
    with unit_of_work(url) as s:
        ref = import_case(s).ref
        s.add(Job(id="job_cancel0000000001", kind=JobKind.NOTICE_BATCH, status="queued", params={"ref": ref},
                  actor="test", created_at=utcnow()))

    def midway(session, job, settings, progress):  # type: ignore[no-untyped-def]
        from service.core.storage import get_store
        from service.documents import service as documents_service

        with unit_of_work(url) as other:  # someone cancels it while it runs (before it writes: SQLite)
            listing.cancel(other, other.get(Job, job.id), actor="test")
        documents_service.generate(session, case_ref=job.params["ref"], kind="credit_report_prenotice",
                                   as_of=utcnow().date(), actor="test", store=get_store(settings))
        return {"generated": 1}

    registry.load_all()  # the real handlers first: this one stands in for the batch's only here
    monkeypatch.setitem(registry._HANDLERS, JobKind.NOTICE_BATCH, midway)
    assert run_job(settings, "job_cancel0000000001") == "superseded"
    with unit_of_work(url, write=False) as s:
        assert s.get(Job, "job_cancel0000000001").status == "cancelled"
        assert s.scalars(select(GeneratedDocument)).all() == []


def test_a_job_kind_is_one_of_the_enum(client, keys, db):
    """The kind column is typed by JobKind: read back as the member, an unknown kind is refused on
    write and, as a filter, answered with a 422 naming the parameter."""
    import pytest
    from sqlalchemy.exc import StatementError

    from service.jobs.models import JobKind

    job = _job(db, 1, kind=JobKind.PACKET)
    db.expire(job)
    assert db.get(Job, job.id).kind is JobKind.PACKET
    bad = client.get("/v1/jobs?kind=no_such_kind", headers=auth(keys["collector"]))
    assert bad.status_code == 422 and "kind" in bad.text
    db.add(Job(id="job_list_unknown_kind", kind="no_such_kind", status="queued", params={}, actor="test",
               created_at=utcnow()))
    with pytest.raises(StatementError, match="no_such_kind"):
        db.flush()


def _batch_in_parts(db):
    from service.jobs.parts import add_parts

    items = [{"case_ref": f"C{n}"} for n in range(4)]
    parent = Job(id="job_parts0000000000001", kind="notice_batch", status="queued", params={"items": items},
                 actor="test", total=4, created_at=utcnow())
    db.add(parent)
    db.flush()
    first, second = add_parts(db, parent, kind="notice_batch_part", parts=[
        {"items": [items[0], items[2]], "indexes": [0, 2]}, {"items": [items[1], items[3]], "indexes": [1, 3]}])
    first.status, first.result = "done", {"generated": 1, "refused": 1, "format": "pdf", "items": [
        {"case_ref": "C0", "status": "generated"}, {"case_ref": "C2", "status": "refused"}]}
    db.flush()
    return parent, second


def test_cancelling_a_batch_in_parts_cancels_its_unfinished_parts(client, keys, db):
    parent, second = _batch_in_parts(db)
    assert parent.status == "running"  # never claimed itself: its parts are
    assert client.post(f"/v1/jobs/{parent.id}/cancel", headers=auth(keys["collector"])).json()["status"] == "cancelled"
    db.refresh(second)
    assert second.status == "cancelled"
    assert [j["id"] for j in client.get("/v1/jobs", headers=auth(keys["collector"])).json()["items"]] == [parent.id]


def test_a_cancelled_part_ends_its_batch_with_the_other_parts_results_merged(client, keys, db):
    parent, second = _batch_in_parts(db)
    assert client.post(f"/v1/jobs/{second.id}/cancel", headers=auth(keys["collector"])).status_code == 200
    db.refresh(parent)
    assert parent.status == "failed" and second.id in parent.error and parent.progress == 4
    assert [(i["case_ref"], i["status"]) for i in parent.result["items"]] == [
        ("C0", "generated"), ("C1", "failed"), ("C2", "refused"), ("C3", "failed")]
    assert (parent.result["generated"], parent.result["refused"], parent.result["failed"]) == (1, 1, 2)


def test_a_cancelled_batch_in_parts_lists_what_its_parts_recorded(client, keys, db):
    """Review 2026-12-04 #7: cancelling the batch itself (not a part) lists in its result the
    notices its parts issued — a finished part's items and the chunks a running part committed
    before — and the items never reached as not done; its result was empty."""
    parent, second = _batch_in_parts(db)
    second.status = "running"  # its first chunk (C1) committed, C3 not reached
    second.result = {"generated": 1, "format": "pdf", "items": [{"case_ref": "C1", "status": "generated",
                                                                  "document_id": "doc_c1"},
                                                                 {"status": "pending"}]}
    db.flush()
    r = client.post(f"/v1/jobs/{parent.id}/cancel", headers=auth(keys["collector"]))
    assert r.status_code == 200 and r.json()["status"] == "cancelled"
    polled = client.get(f"/v1/jobs/{parent.id}", headers=auth(keys["collector"])).json()
    assert polled["status"] == "cancelled"
    assert [(i.get("case_ref"), i["status"]) for i in polled["result"]["items"]] == [
        ("C0", "generated"), ("C1", "generated"), ("C2", "refused"), ("C3", "failed")]
    assert polled["result"]["items"][1]["document_id"] == "doc_c1"
    assert (polled["result"]["generated"], polled["result"]["refused"], polled["result"]["failed"]) == (2, 1, 1)
    assert second.id in polled["result"]["items"][3]["detail"]
