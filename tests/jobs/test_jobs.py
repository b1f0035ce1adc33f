"""Jobs run in real worker processes: the local pool, and Celery workers over Redis."""

import os
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from service.access.service import create_api_key
from service.app import create_app
from service.core.clock import utcnow
from service.core.db import unit_of_work
from service.core.migrate import upgrade
from service.core.settings import Settings
from service.jobs import service as jobs_service
from service.jobs.models import Job
from service.jobs.runner import requeue_stale, run_job
from tests.conftest import auth


def _wait(settings: Settings, job_id: str, timeout: float = 90) -> Job:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with unit_of_work(settings.database_url) as s:
            job = s.get(Job, job_id)
            assert job is not None
            if job.status in ("done", "failed"):
                return job
        time.sleep(0.3)
    raise AssertionError(f"job {job_id} did not finish in {timeout}s")


@pytest.fixture
def committed(tmp_path):
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'jobs.db'}", storage_dir=tmp_path / "store",
                        broker_url="redis://127.0.0.1:6379/15")
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


BROKERS = {"redis": ("redis://127.0.0.1:6379/15", 6379), "rabbitmq": ("amqp://guest:guest@127.0.0.1:5672//", 5672)}


def _listening(port: int) -> bool:
    import socket

    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", port)) == 0


@pytest.mark.parametrize("broker", sorted(BROKERS))
def test_celery_worker_runs_the_job(committed, broker):
    url, port = BROKERS[broker]
    if not _listening(port):
        pytest.skip(f"{broker} is not running on 127.0.0.1:{port}")
    settings, key = committed
    settings = settings.model_copy(update={"broker_url": url})
    env = {**os.environ, "DOSSIER_DATABASE_URL": settings.database_url, "DOSSIER_EXECUTOR": "celery",
           "DOSSIER_BROKER_URL": url, "DOSSIER_STORAGE_DIR": str(settings.storage_dir)}
    worker = subprocess.Popen([sys.executable, "-m", "service.cli", "worker", "--concurrency", "1"], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        with TestClient(create_app(settings.model_copy(update={"executor": "celery"}))) as client:
            r = client.post("/v1/audit/verify", headers=auth(key))
            assert r.status_code == 202
            job = _wait(settings, r.json()["job"])
        assert job.status == "done" and job.result["intact"] is True
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()


def test_failed_job_records_the_error(committed):
    settings, _ = committed
    with unit_of_work(settings.database_url) as s:
        s.add(Job(id="job_bad", kind="no_such_kind", status="queued", actor="t", created_at=utcnow()))
    assert run_job(settings, "job_bad") == "failed"
    with unit_of_work(settings.database_url) as s:
        job = s.get(Job, "job_bad")
        assert job.status == "failed" and "no handler" in job.error
        s.execute(update(Job).where(Job.id == "job_bad").values(status="done"))
