"""A big notice batch on Celery is split into parts that every worker claims (two real workers on
Redis); the batch completes with every part's per-item results merged in its own order, each
notice once, and a part whose worker is killed is run again elsewhere without duplicates."""

import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from service.access.service import create_api_key
from service.cases.models import Communication
from service.core.db import unit_of_work
from service.core.settings import Settings
from service.documents.jobs import split
from service.documents.models import GeneratedDocument
from service.jobs.models import Job
from tests.factories import import_case
from tests.jobs.test_worker_kill import _holding
from tests.live import TEST_BROKERS, listening, own_database, running_server, service_env, stop, wait_until

PART = 8
FAST = {"DOSSIER_JOB_HEARTBEAT_SECONDS": "0.5", "DOSSIER_JOB_STALE_SECONDS": "10",
        "DOSSIER_BATCH_PART_ITEMS": str(PART)}


def test_a_batch_is_split_by_case_in_order_and_near_the_part_size():
    items = [{"case_ref": ref} for ref in "AABCADDDEFGGHA"]
    parts = split(items, 4)
    assert sorted(i for part in parts for i in part) == list(range(len(items)))
    for part in parts:
        assert part == sorted(part)
        cases = {items[i]["case_ref"] for i in part}
        assert all(items[i]["case_ref"] not in cases for other in parts if other is not part for i in other)
    assert [len(p) for p in parts] == [4, 2, 4, 4]  # A×4; B C; D×3 E; F G×2 H
    assert split(items[:3], 500) == [[0, 1, 2]]


def _seed(url: str, cases: int) -> tuple[str, list[str]]:
    with unit_of_work(url) as s:
        key = create_api_key(s, role="legal_staff")
        refs = [import_case(s).ref for _ in range(cases)]
    return key, refs


def _items(refs: list[str], count: int) -> list[dict[str, Any]]:
    """`count` notices over the cases; each case's first is plain, the rest are sent on a reason,
    but for one plain repeat that DOC-03 must refuse (the same part sees both)."""
    items: list[dict[str, Any]] = []
    for i in range(count):
        item: dict[str, Any] = {"case_ref": refs[i % len(refs)], "kind": "credit_report_prenotice"}
        if i >= len(refs) and i != len(refs) + 1:
            item["override_reason"] = f"copy {i} for the test"
        items.append(item)
    return items


def _job(url: str, job_id: str) -> Job:
    with unit_of_work(url, write=False) as s:
        job = s.get(Job, job_id)
        assert job is not None
        return job


def _parts(url: str, job_id: str) -> list[Job]:
    with unit_of_work(url, write=False) as s:
        return list(s.scalars(select(Job).where(Job.parent_id == job_id).order_by(Job.id)))


def _start_worker(settings: Settings, log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        return subprocess.Popen([sys.executable, "-m", "service.cli", "worker", "--concurrency", "1"],
                                env=service_env(settings, **FAST), stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)


def _finished(url: str, job_id: str, logs: list[Path]) -> Job:
    def done() -> Job | None:
        job = _job(url, job_id)
        return job if job.status in ("done", "failed", "cancelled") else None

    try:
        found: Job = wait_until(done, "the batch to finish", timeout=400)  # type: ignore[assignment]
    except AssertionError:
        raise AssertionError("\n".join(log.read_text(errors="replace")[-3000:] for log in logs)) from None
    return found


def _assert_merged_once(url: str, job: Job, items: list[dict[str, Any]]) -> None:
    assert job.status == "done", job.error
    results = job.result["items"]
    assert [(r["case_ref"], r.get("override_reason")) for r in results] == \
        [(i["case_ref"], i.get("override_reason")) for i in items]  # the batch's own order
    refused = [n for n, r in enumerate(results) if r["status"] == "refused"]
    assert refused == [len({i["case_ref"] for i in items}) + 1]
    assert results[refused[0]]["violations"][0]["rule"] == "DOC-03"
    assert (job.result["generated"], job.result["refused"]) == (len(items) - 1, 1)
    assert job.progress == job.total == len(items)
    docs = {r["document_id"] for r in results if r["status"] == "generated"}
    parts = _parts(url, job.id)
    with unit_of_work(url, write=False) as s:
        recorded = set(s.scalars(select(GeneratedDocument.id).where(
            GeneratedDocument.job_id.in_([p.id for p in parts]))))
        sent = s.scalar(select(func.count()).select_from(Communication).where(Communication.document_id.in_(docs)))
    assert recorded == docs and len(docs) == len(items) - 1 and sent == len(docs)  # each notice once


@pytest.mark.parametrize("kill", [False, True], ids=["two-workers", "worker-killed"])
def test_a_big_celery_batch_runs_in_parts_on_every_worker(tmp_path, kill):
    broker = TEST_BROKERS["redis"]
    if not listening(broker):
        pytest.skip("redis is not running")
    url = own_database(tmp_path, f"parts_{kill}")
    settings = Settings(database_url=url, storage_dir=tmp_path / "store", executor="celery", broker_url=broker)
    key, refs = _seed(url, 6)
    items = _items(refs, 40)
    logs = [tmp_path / f"worker{n}.log" for n in range(2)]
    workers = [_start_worker(settings, log) for log in logs]
    try:
        for log in logs:  # both take tasks before the batch is sent, so both can get parts
            wait_until(lambda log=log: "ready." in log.read_text(errors="replace"), f"{log.name} to be ready",
                       timeout=120)
        with running_server(settings, tmp_path / "server.log", **FAST) as base:
            client = httpx.Client(base_url=base, timeout=120, headers={"Authorization": f"Bearer {key}"})
            r = client.post("/v1/notices/batch", json={"items": items, "format": "pdf"})
            assert r.status_code == 202, r.text
            job_id = r.json()["id"]
            assert r.json()["status"] == "running"
            listed = client.get("/v1/jobs", params={"kind": "notice_batch_part"}).json()["items"]
            assert listed == []  # the parts are inside the batch, not beside it
            if kill:
                _kill_a_part(url, job_id)
            job = _finished(url, job_id, logs)
            _assert_merged_once(url, job, items)
            parts = _parts(url, job_id)
            assert len(parts) == job.result["parts"] >= 40 // PART - 1
            assert all(p.status == "done" for p in parts)
            if kill:
                assert max(p.attempts for p in parts) >= 2
            else:
                ran = [log.read_text(errors="replace").count("succeeded") for log in logs]
                assert all(ran), f"a worker took no part: {ran}"
            assert client.get(f"/v1/jobs/{job_id}").json()["result"]["generated"] == len(items) - 1
    finally:
        for worker in workers:
            stop(worker)


def _kill_a_part(url: str, job_id: str) -> None:
    import os
    import signal

    def claimed() -> Job | None:
        return next((p for p in _parts(url, job_id) if p.status == "running" and p.worker), None)

    part: Job = wait_until(claimed, "a part to be claimed", every=0.05)  # type: ignore[assignment]
    with _holding(url, part.id) as status:
        assert status == "running", "the part finished before the test could hold it"
        os.kill(int(part.worker.rsplit(":", 1)[1]), signal.SIGKILL)
