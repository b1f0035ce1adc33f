"""A notice batch records and commits its chunks as it goes (a real Celery worker on Redis).

Its worker is killed in the middle of a chunk — the chunk's rows flushed and its files stored,
not committed (tests/jobs/crashing_worker.py places the kill there). The batch keeps the chunks
it committed before, each notice with its stored bytes, its communication and its audit event,
the audit chain intact, and none of the interrupted chunk. Run again by another worker, it
records the rest after the last item it committed, each notice once; a plain repeat of a
notice recorded in an earlier chunk is refused by DOC-03 on either side of the interruption.
"""

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from service.audit import service as audit
from service.audit.models import AuditEvent
from service.cases.models import Communication
from service.core.db import unit_of_work
from service.core.settings import Settings
from service.core.storage import get_store
from service.documents import jobs as notice_jobs
from service.documents.models import GeneratedDocument
from service.jobs import listing
from service.jobs.models import Job
from tests.factories import import_case
from tests.live import TEST_BROKERS, listening, own_database, service_env, stop, wait_until

CHUNK = 3
ROOT = Path(__file__).resolve().parents[2]


def _items(refs: list[str]) -> list[dict[str, Any]]:
    """Ten notices over three cases: each case's first is plain, the others on a reason, but the
    last, a plain repeat of the first case's notice. Case by case in chunks of three, the first
    case's notices are items 0, 3, 6 (chunk 1) and 9 (chunk 2): the repeat comes a chunk after."""
    items: list[dict[str, Any]] = []
    for i in range(10):
        item: dict[str, Any] = {"case_ref": refs[i % 3], "kind": "credit_report_prenotice"}
        if 3 <= i < 9:
            item["override_reason"] = f"copy {i} for the test"
        items.append(item)
    return items


def _worker(settings: Settings, log: Path, *, crash: Path | None, stale: float) -> subprocess.Popen[bytes]:
    env = service_env(settings, DOSSIER_BATCH_CHUNK_ITEMS=str(CHUNK), DOSSIER_JOB_HEARTBEAT_SECONDS="0.5",
                      DOSSIER_JOB_STALE_SECONDS=str(stale))
    if crash is not None:
        command = [sys.executable, str(ROOT / "tests" / "jobs" / "crashing_worker.py")]
        env.update(CRASH_MARKER=str(crash), CRASH_AT_STEP="2")
    else:
        command = [sys.executable, "-m", "service.cli", "worker", "--concurrency", "1"]
    with log.open("wb") as out:
        return subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
                                cwd=ROOT)


def _job(url: str, job_id: str) -> Job:
    with unit_of_work(url, write=False) as s:
        job = s.get(Job, job_id)
        assert job is not None
        return job


def _recorded(settings: Settings, job: Job) -> set[str]:
    """The batch's notices, checked: each listed in its result, its bytes in the store (read back
    against its hash), one communication and one audit event each; the audit chain intact."""
    store = get_store(settings)
    with unit_of_work(settings.database_url, write=False) as s:
        docs = list(s.scalars(select(GeneratedDocument).where(GeneratedDocument.job_id == job.id)))
        ids = {d.id for d in docs}
        assert ids == {r["document_id"] for r in job.result["items"] if r["status"] == "generated"}
        for doc in docs:
            assert store.read_bytes(doc.sha256).startswith(b"%PDF")  # read_bytes re-checks the hash
        sent = s.scalar(select(func.count()).select_from(Communication).where(Communication.document_id.in_(ids)))
        events = s.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "document.generated", AuditEvent.object_id.in_(ids)))
        assert sent == events == len(ids)  # each notice once in the contact history and the trail
        count, problem = audit.verify(s)
        assert problem is None and count >= len(ids)
    return ids


def test_an_interrupted_batch_keeps_its_committed_chunks_and_finishes_once(tmp_path):
    broker = TEST_BROKERS["redis"]
    if not listening(broker):
        pytest.skip("redis is not running")
    url = own_database(tmp_path, "chunks")
    settings = Settings(database_url=url, storage_dir=tmp_path / "store", executor="celery", broker_url=broker)
    with unit_of_work(url) as s:
        refs = [import_case(s).ref for _ in range(3)]
    items = _items(refs)
    marker = tmp_path / "killed"
    crashing = _worker(settings, tmp_path / "crashing.log", crash=marker, stale=600)
    try:
        wait_until(lambda: "ready." in (tmp_path / "crashing.log").read_text(errors="replace"), "the worker to start")
        with unit_of_work(url) as s:
            job_id = notice_jobs.enqueue(s, settings, {"items": items, "format": "pdf"}, actor="test").id
        wait_until(marker.exists, "the worker to be killed at the second chunk's commit")
    finally:
        stop(crashing)

    interrupted = _job(url, job_id)
    assert interrupted.status == "running" and interrupted.progress == CHUNK
    statuses = [r["status"] for r in interrupted.result["items"]]
    assert [n for n, status in enumerate(statuses) if status != "pending"] == [0, 3, 6]  # the first chunk
    first = _recorded(settings, interrupted)
    assert len(first) == CHUNK

    resuming = _worker(settings, tmp_path / "worker.log", crash=None, stale=10)  # its sweep sends the job again
    try:
        job = wait_until(lambda: (j := _job(url, job_id)).status in ("done", "failed") and j,
                         "the batch to finish in the other worker")
    finally:
        stop(resuming)
    assert isinstance(job, Job) and job.status == "done", job.error
    assert job.attempts >= 2 and job.progress == job.total == len(items)
    results = job.result["items"]
    assert [(r["case_ref"], r.get("override_reason")) for r in results] == \
        [(i["case_ref"], i.get("override_reason")) for i in items]  # the batch's own order
    assert [r["status"] for r in results] == ["generated"] * 9 + ["refused"]
    assert results[9]["violations"][0]["rule"] == "DOC-03"
    assert (job.result["generated"], job.result["refused"]) == (9, 1)
    recorded = _recorded(settings, job)
    assert first <= recorded and len(recorded) == 9  # the first chunk's notices kept, none again, none lost


def test_a_cancelled_batch_in_parts_lists_the_notices_its_parts_recorded(tmp_path):
    """Review 2026-12-04 #7, with a real worker: a batch in parts whose worker is killed at a
    part's second chunk commit, then cancelled, lists in its result every notice its parts
    recorded (the committed chunk's), with their document ids, and the rest as not done."""
    broker = TEST_BROKERS["redis"]
    if not listening(broker):
        pytest.skip("redis is not running")
    url = own_database(tmp_path, "cancel_parts")
    settings = Settings(database_url=url, storage_dir=tmp_path / "store", executor="celery", broker_url=broker,
                        batch_part_items=4)
    with unit_of_work(url) as s:
        refs = [import_case(s).ref for _ in range(3)]
    items = _items(refs)
    marker = tmp_path / "killed"
    crashing = _worker(settings, tmp_path / "crashing.log", crash=marker, stale=600)
    try:
        wait_until(lambda: "ready." in (tmp_path / "crashing.log").read_text(errors="replace"), "the worker to start")
        with unit_of_work(url) as s:
            job_id = notice_jobs.enqueue(s, settings, {"items": items, "format": "pdf"}, actor="test").id
        wait_until(marker.exists, "the worker to be killed at a part's second chunk commit")
    finally:
        stop(crashing)
    with unit_of_work(url) as s:
        parts = list(s.scalars(select(Job).where(Job.parent_id == job_id)))
        assert len(parts) > 1 and any(p.status == "running" for p in parts)
        listing.cancel(s, s.get(Job, job_id), actor="test")
    job = _job(url, job_id)
    assert job.status == "cancelled"
    results = job.result["items"]
    assert [r["case_ref"] for r in results] == [i["case_ref"] for i in items]  # the batch's own order
    with unit_of_work(url, write=False) as s:
        recorded = set(s.scalars(select(GeneratedDocument.id).where(
            GeneratedDocument.job_id.in_([p.id for p in parts]))))
    listed = {r["document_id"] for r in results if r["status"] == "generated"}
    assert len(recorded) >= CHUNK and listed == recorded  # the committed chunk's notices, each listed
    assert {r["status"] for r in results} <= {"generated", "refused", "failed"}
    assert job.result["generated"] == len(recorded)
