"""Jobs run in real worker processes: the local pool, and Celery workers over Redis."""

import multiprocessing
import os
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from service.access.service import create_api_key
from service.app import create_app
from service.core.clock import utcnow
from service.core.db import unit_of_work
from service.core.migrate import upgrade
from service.core.settings import Settings
from service.jobs import registry
from service.jobs import service as jobs_service
from service.jobs.models import Job, JobKind
from service.jobs.runner import requeue_stale, run_job
from tests.conftest import auth
from tests.live import TEST_BROKERS, listening


def _wait(settings: Settings, job_id: str, timeout: float = 600, worker_log: Path | None = None) -> Job:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with unit_of_work(settings.database_url) as s:
            job = s.get(Job, job_id)
            assert job is not None
            if job.status in ("done", "failed"):
                return job
        time.sleep(0.3)
    said = worker_log.read_text(errors="replace")[-4000:] if worker_log and worker_log.exists() else ""
    raise AssertionError(f"job {job_id} did not finish in {timeout}s (status {job.status}); worker log:\n{said}")


def _start_worker(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """A Celery worker whose output goes to a file: a pipe nobody reads would block it once full."""
    with log.open("wb") as out:
        return subprocess.Popen([sys.executable, "-m", "service.cli", "worker", "--concurrency", "1"], env=env,
                                stdout=out, stderr=subprocess.STDOUT)


@pytest.fixture
def committed(tmp_path):
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'jobs.db'}", storage_dir=tmp_path / "store",
                        broker_url=TEST_BROKERS["redis"])
    upgrade(settings.database_url)
    with unit_of_work(settings.database_url) as s:
        key = create_api_key(s, role="legal_staff")
    return settings, key


def test_job_runs_in_the_local_process_pool(committed):
    settings, key = committed
    with TestClient(create_app(settings)) as client:
        r = client.post("/v1/audit/verify", headers=auth(key))
        assert r.status_code == 202
        job = _wait(settings, r.json()["job"])
        assert job.status == "done" and job.result["intact"] is True and job.attempts == 1
        got = client.get(f"/v1/jobs/{job.id}", headers=auth(key)).json()
        assert got["status"] == "done" and got["links"]["self"] == f"/v1/jobs/{job.id}"


def test_a_job_is_never_run_twice(committed):
    settings, _ = committed
    with unit_of_work(settings.database_url) as s:
        job = jobs_service.enqueue(s, settings.model_copy(update={"executor": "celery"}), kind="audit_verify",
                                   params={}, actor="t")
        s.info.clear()  # do not dispatch: this test runs it by hand
        job_id = job.id
    assert run_job(settings, job_id) == "done"
    assert run_job(settings, job_id) == "skipped"


def test_stale_running_jobs_are_requeued(committed):
    settings, _ = committed
    with unit_of_work(settings.database_url) as s:
        s.add(Job(id="job_stale", kind="audit_verify", status="running", actor="t", created_at=utcnow(),
                  attempts=1, heartbeat_at=utcnow() - timedelta(hours=1)))
        s.add(Job(id="job_dead", kind="audit_verify", status="running", actor="t", created_at=utcnow(),
                  attempts=3, heartbeat_at=utcnow() - timedelta(hours=1)))
    assert requeue_stale(settings) == ["job_stale"]
    with unit_of_work(settings.database_url) as s:
        assert s.get(Job, "job_stale").status == "queued"
        assert s.get(Job, "job_dead").status == "failed"
    assert run_job(settings, "job_stale") == "done"




@pytest.mark.parametrize("broker", sorted(TEST_BROKERS))
def test_celery_worker_runs_the_job(committed, broker):
    url = TEST_BROKERS[broker]
    if not listening(url):
        pytest.skip(f"{broker} is not running")
    settings, key = committed
    settings = settings.model_copy(update={"broker_url": url})
    env = {**os.environ, "DOSSIER_DATABASE_URL": settings.database_url, "DOSSIER_EXECUTOR": "celery",
           "DOSSIER_BROKER_URL": url, "DOSSIER_STORAGE_DIR": str(settings.storage_dir)}
    log = settings.storage_dir.parent / "worker.log"
    worker = _start_worker(env, log)
    try:
        with TestClient(create_app(settings.model_copy(update={"executor": "celery"}))) as client:
            r = client.post("/v1/audit/verify", headers=auth(key))
            assert r.status_code == 202
            job = _wait(settings, r.json()["job"], worker_log=log)
        assert job.status == "done" and job.result["intact"] is True
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()


def test_failed_job_records_the_error(committed, caplog, monkeypatch):
    """An internal failure is logged in full; the job itself says only that it failed."""
    settings, _ = committed

    def broken(session, job, settings, progress):  # type: ignore[no-untyped-def]
        raise LookupError("the handler broke on table secret_internal_name")

    registry.load_all()  # the real handlers first: this one stands in for the audit check only here
    monkeypatch.setitem(registry._HANDLERS, JobKind.AUDIT_VERIFY, broken)
    with unit_of_work(settings.database_url) as s:
        s.add(Job(id="job_bad", kind=JobKind.AUDIT_VERIFY, status="queued", actor="t", created_at=utcnow()))
    assert run_job(settings, "job_bad") == "failed"
    assert "the handler broke on table secret_internal_name" in caplog.text
    with unit_of_work(settings.database_url) as s:
        job = s.get(Job, "job_bad")
        assert job.status == "failed" and "internal error" in job.error and "job_bad" in job.error
        assert "secret_internal_name" not in job.error
        s.execute(update(Job).where(Job.id == "job_bad").values(status="done"))


@pytest.mark.parametrize("executor", ["local", "celery"])
def test_a_notice_batch_job_renders_and_records_every_notice(committed, executor):
    """A batch bigger than one render chunk, run by each executor: in a local pool process the
    job starts its own warm render pool; in a Celery prefork child (a daemonic process, which may
    not start processes) it renders in the worker's own process."""
    url = TEST_BROKERS["redis"]
    if executor == "celery" and not listening(url):
        pytest.skip("redis is not running")
    from tests.factories import import_case

    settings, key = committed
    settings = settings.model_copy(update={"broker_url": url, "executor": executor})
    with unit_of_work(settings.database_url) as s:
        refs = [import_case(s).ref for _ in range(3)]
    # Three cases, so each notice after the first three is sent again, on a reason (DOC-03).
    items = [{"case_ref": refs[i % 3], "kind": "credit_report_prenotice",
              **({"override_reason": f"copy {i} for the test"} if i >= 3 else {})} for i in range(40)]
    env = {**os.environ, "DOSSIER_DATABASE_URL": settings.database_url, "DOSSIER_EXECUTOR": "celery",
           "DOSSIER_BROKER_URL": url, "DOSSIER_STORAGE_DIR": str(settings.storage_dir)}
    worker = None
    if executor == "celery":
        worker = _start_worker(env, settings.storage_dir.parent / "worker.log")
    try:
        with TestClient(create_app(settings)) as client:
            r = client.post("/v1/notices/batch", json={"items": items, "format": "pdf"}, headers=auth(key))
            assert r.status_code == 202, r.text
            job = _wait(settings, r.json()["id"], timeout=180, worker_log=settings.storage_dir.parent / "worker.log")
        assert job.status == "done", job.error
        assert (job.result["generated"], job.result["refused"]) == (40, 0)
        assert len({i["document_id"] for i in job.result["items"]}) == 40
        if executor == "local":
            _assert_the_local_pool_stops(settings)
    finally:
        if worker is not None:
            worker.terminate()
            try:
                worker.wait(timeout=20)
            except subprocess.TimeoutExpired:
                worker.kill()


def _assert_the_local_pool_stops(settings: Settings) -> None:
    """A job worker that started a render pool must still exit when the service stops."""
    from service.jobs import executor as jobs_executor

    pool = jobs_executor._pool(settings.local_workers)
    processes = list(pool._processes.values())  # type: ignore[attr-defined]
    stopper = threading.Thread(target=pool.shutdown, daemon=True)
    stopper.start()
    stopper.join(60)
    jobs_executor._pool.cache_clear()
    hung = stopper.is_alive()
    for process in processes:  # do not leave the test run waiting on them
        if process.is_alive():
            for child in multiprocessing.active_children():
                child.terminate()
            process.terminate()
    assert not hung, "the job worker did not exit: its render pool kept it waiting"


def test_a_running_job_keeps_its_heartbeat_so_the_sweep_leaves_it_alone(committed):
    """However long a job runs, its heartbeat thread keeps the row fresh: the sweep does not take
    it for dead and run it twice. A superseded attempt cannot record its result."""
    from service.jobs.runner import Heartbeat, _claim
    from tests.live import wait_until

    settings, _ = committed
    settings = settings.model_copy(update={"job_heartbeat_seconds": 0.1, "job_stale_seconds": 30.0})
    with unit_of_work(settings.database_url) as s:
        s.add(Job(id="job_long", kind="audit_verify", status="queued", actor="t", created_at=utcnow()))
    attempt = _claim(settings, "job_long")
    assert attempt == 1
    with unit_of_work(settings.database_url) as s:
        claimed_beat = s.get(Job, "job_long").heartbeat_at
    with Heartbeat(settings, "job_long", attempt):
        def beaten() -> bool:
            with unit_of_work(settings.database_url, write=False) as s:
                return s.get(Job, "job_long").heartbeat_at > claimed_beat

        wait_until(beaten, "the heartbeat to stamp the row")
        # the sweep of a worker whose limit has passed since the claim: the beat is newer
        assert requeue_stale(settings, older_than=utcnow() - claimed_beat) == []
    with unit_of_work(settings.database_url) as s:
        assert s.get(Job, "job_long").status == "running"
