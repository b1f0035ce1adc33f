"""Workers killed by pid in the middle of a job, on both executors: the job completes in another
worker, every notice of the batch exists once, and the next job runs too.

The kill happens at a point the test holds, not at a moment it guesses: once the job is claimed,
the test takes what the job needs to record its work (SQLite's write lock; on PostgreSQL the job
row), so the job cannot finish; then it kills the worker named in the job row and lets go.
"""

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from service.access.service import create_api_key
from service.cases.models import Communication
from service.core.db import unit_of_work
from service.core.settings import Settings
from service.documents.models import GeneratedDocument
from service.jobs.models import Job
from tests.factories import import_case
from tests.live import TEST_BROKERS, listening, own_database, running_server, service_env, stop, wait_until

# Enough that the claimed job is still working when the test holds it: the credit-report pre-notice
# is a fast form (60 of them ran in 2 s, which a poller on a loaded machine missed); 1,000 take
# about 10 s on a quiet machine. One job, not parts (the test kills the worker named in its row).
NOTICES = 1000
FAST = {"job_heartbeat_seconds": 0.5, "job_stale_seconds": 10.0, "batch_part_items": 10_000}


def _env(settings: Settings) -> dict[str, str]:
    return {"DOSSIER_JOB_HEARTBEAT_SECONDS": str(settings.job_heartbeat_seconds),
            "DOSSIER_JOB_STALE_SECONDS": str(settings.job_stale_seconds),
            "DOSSIER_BATCH_PART_ITEMS": str(settings.batch_part_items)}


def _seed(url: str) -> tuple[str, list[str]]:
    with unit_of_work(url) as s:
        key = create_api_key(s, role="legal_staff")
        refs = [import_case(s).ref for _ in range(3)]
    return key, refs


def _batch(refs: list[str], count: int) -> dict[str, Any]:
    # Every item on a reason: the same few cases get the notice many times, here and in the next
    # batch (DOC-03 would refuse a copy without one).
    return {"items": [{"case_ref": refs[i % len(refs)], "kind": "credit_report_prenotice",
                       "override_reason": f"copy {i} for the test"} for i in range(count)], "format": "pdf"}


def _job(url: str, job_id: str) -> Job:
    with unit_of_work(url, write=False) as s:
        job = s.get(Job, job_id)
        assert job is not None
        return job


@contextmanager
def _holding(url: str, job_id: str) -> Iterator[str]:
    """Hold what the job needs to record its work; yield the job's status seen while holding."""
    if url.startswith("sqlite"):
        import sqlite3

        conn = sqlite3.connect(url.split("///", 1)[1], isolation_level=None, timeout=60)
        try:
            conn.execute("BEGIN IMMEDIATE")
            yield conn.execute("SELECT status FROM job WHERE id = ?", (job_id,)).fetchone()[0]
        finally:
            conn.execute("ROLLBACK")
            conn.close()
    else:
        engine = create_engine(make_url(url))
        try:
            with engine.connect() as conn, conn.begin() as tx:
                held = text("SELECT status FROM job WHERE id = :id FOR UPDATE")
                yield conn.execute(held, {"id": job_id}).scalar_one()
                tx.rollback()
        finally:
            engine.dispose()


def _kill_mid_job(url: str, job_id: str) -> int:
    def claimed() -> Job | None:
        job = _job(url, job_id)
        assert job.status not in ("done", "failed"), f"the job {job.status} before the test could hold it"
        return job if job.status == "running" and job.worker else None

    job: Job = wait_until(claimed, "the job to be claimed", every=0.05)  # type: ignore[assignment]
    with _holding(url, job_id) as status:
        assert status == "running", "the job finished before the test could hold it"
        pid = int(job.worker.rsplit(":", 1)[1])
        os.kill(pid, signal.SIGKILL)
    return pid


def _assert_each_notice_once(url: str, job_id: str, count: int) -> Job:
    job: Job = wait_until(lambda: (j := _job(url, job_id)).status in ("done", "failed") and j,  # type: ignore[arg-type]
                          "the job to finish after its worker was killed", timeout=300)
    assert job.status == "done", job.error
    assert job.attempts >= 2 and (job.result["generated"], job.result["refused"]) == (count, 0)
    with unit_of_work(url, write=False) as s:
        docs = set(s.scalars(select(GeneratedDocument.id).where(GeneratedDocument.job_id == job_id)))
        assert docs == {item["document_id"] for item in job.result["items"]} and len(docs) == count
        sent = s.scalar(select(func.count()).select_from(Communication)
                        .where(Communication.document_id.in_(docs)))
        assert sent == count  # each notice once in the contact history: none lost, none twice
    return job


def test_a_killed_local_pool_worker_is_replaced_and_its_job_completes(tmp_path):
    url = own_database(tmp_path, "kill_local")
    settings = Settings(database_url=url, storage_dir=tmp_path / "store", executor="local", local_workers=1, **FAST)
    key, refs = _seed(url)
    with running_server(settings, tmp_path / "server.log", **_env(settings)) as base:
        client = httpx.Client(base_url=base, timeout=120, headers={"Authorization": f"Bearer {key}"})
        r = client.post("/v1/notices/batch", json=_batch(refs, NOTICES))
        assert r.status_code == 202, r.text
        job_id = r.json()["id"]
        killed = _kill_mid_job(url, job_id)
        job = _assert_each_notice_once(url, job_id, NOTICES)
        assert job.worker == "" and killed
        later = client.post("/v1/notices/batch", json=_batch(refs, 2)).json()["id"]  # the new pool takes work
        wait_until(lambda: _job(url, later).status == "done", "a later job to run on the new pool")


def _start_worker(settings: Settings, log: Any) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "service.cli", "worker", "--concurrency", "1"],
                            env=service_env(settings, **_env(settings)), stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)


@pytest.mark.parametrize("broker", sorted(TEST_BROKERS))
def test_a_killed_celery_worker_s_job_completes_in_another(tmp_path, broker):
    broker_url = TEST_BROKERS[broker]
    if not listening(broker_url):
        pytest.skip(f"{broker} is not running")
    url = own_database(tmp_path, f"kill_celery_{broker}")
    settings = Settings(database_url=url, storage_dir=tmp_path / "store", executor="celery", broker_url=broker_url,
                        **FAST)
    key, refs = _seed(url)
    with (tmp_path / "workers.log").open("wb") as log:
        workers = [_start_worker(settings, log) for _ in range(2)]
        try:
            with running_server(settings, tmp_path / "server.log", **_env(settings)) as base:
                client = httpx.Client(base_url=base, timeout=120, headers={"Authorization": f"Bearer {key}"})
                r = client.post("/v1/notices/batch", json=_batch(refs, NOTICES))
                assert r.status_code == 202, r.text
                job_id = r.json()["id"]
                _kill_mid_job(url, job_id)
                _assert_each_notice_once(url, job_id, NOTICES)
                later = client.post("/v1/notices/batch", json=_batch(refs, 2)).json()["id"]
                wait_until(lambda: _job(url, later).status == "done", "a later job to run")
        finally:
            for worker in workers:
                stop(worker)
    # both workers took part: each has a node name of its own (on RabbitMQ, two named celery@host
    # collide on their control queue, and the second never takes a job)
    assert b"RESOURCE_LOCKED" not in (tmp_path / "workers.log").read_bytes()
