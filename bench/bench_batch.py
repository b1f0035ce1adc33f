"""Benchmark: the batch-notice job end to end, as a collection system calls it.

`POST /v1/notices/batch` queues one job; this runs that job (``run_job``) on a fresh SQLite
database seeded with demo cases at the reminder stage (five lenders, varied borrowers and loans,
their payment and contact history): every case is asked for an overdue reminder, so the job
loads the cases, applies the rules, renders the notices across the warm 2-process pool, and
records each one (document row, audit event, communication, stored bytes) in the job's
transaction.

Two jobs, each for half of the cases: the first meets a cold render pool (every notice layout
laid out for the first time), the second the same pool warm, as a running service does.

The quiet-hours rule (CN-01) refuses reminders sent at night, so the jobs run with the clock at
10:30 in Shanghai on the benchmark day; nothing else is pinned.

Run from the project root: python -m bench.bench_batch [--cases 400]. Results: bench/results/batch.json.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "batch.json"
SENT_AT = datetime(2026, 11, 28, 2, 30, tzinfo=UTC)  # 10:30 in Asia/Shanghai


def measure(cases: int) -> dict[str, Any]:
    work = tempfile.mkdtemp(prefix="bench-batch-")
    os.environ["DOSSIER_DATABASE_URL"] = f"sqlite:///{work}/bench.db"
    os.environ["DOSSIER_STORAGE_DIR"] = f"{work}/store"
    from sqlalchemy import select

    import service.documents.jobs  # registers the job handler
    import service.documents.service as documents_service
    from service.cases.enums import Stage
    from service.cases.models import DebtCase
    from service.core import migrate
    from service.core.db import unit_of_work
    from service.core.settings import get_settings
    from service.demo.seed import seed_demo
    from service.documents import bulk
    from service.jobs import runner
    from service.jobs.models import Job

    settings = get_settings()
    migrate.upgrade(settings.database_url)
    started = time.perf_counter()
    with unit_of_work(settings.database_url) as session:
        seed_demo(session, anchor=SENT_AT.date(), cases=cases, stages=[Stage.REMINDER])  # overdue at SENT_AT
    seeded = time.perf_counter() - started
    with unit_of_work(settings.database_url) as session:
        refs = session.scalars(select(DebtCase.ref).order_by(DebtCase.id)).all()
    bulk.warm_up(2, settings.templates_dir)
    documents_service.utcnow = lambda: SENT_AT  # type: ignore[attr-defined]
    jobs = {}
    for n, label in enumerate(("cold", "warm")):
        items = [{"case_ref": ref, "kind": "overdue_reminder"} for ref in refs[n::2]]
        job_id = f"job_bench{n:016d}"
        with unit_of_work(settings.database_url) as session:
            session.add(Job(id=job_id, kind="notice_batch", status="queued", actor="bench",
                            params={"items": items, "format": "pdf"}, total=len(items), created_at=SENT_AT))
        pool = set(bulk.get_pool(2, settings.templates_dir)._processes)
        pool_cpu, cpu, started = _cpu_seconds(pool), time.process_time(), time.perf_counter()
        status = runner.run_job(settings, job_id)
        wall = time.perf_counter() - started
        cpu, pool_cpu = time.process_time() - cpu, _cpu_seconds(pool) - pool_cpu
        with unit_of_work(settings.database_url) as session:
            job = session.get(Job, job_id)
            assert job is not None
            result = job.result or {}
        generated, refused = result.get("generated", 0), result.get("refused", 0)
        jobs[label] = {"items": len(items), "status": status, "generated": generated, "refused": refused,
                       "wall_s": wall, "items_per_s": len(items) / wall, "generated_per_s": generated / wall,
                       # CPU a recorded notice costs, which a busy machine disturbs less than the rate
                       "job_cpu_ms": 1000 * cpu / max(generated, 1), "pool_cpu_ms": 1000 * pool_cpu / max(generated, 1)}
    return {"cases": cases, "seed_s": seeded, "jobs": jobs}


def _cpu_seconds(pids: set[int]) -> float:
    """User and system CPU time of the processes (the render pool's), from /proc."""
    ticks = 0
    for pid in pids:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1000)
    args = parser.parse_args(argv)
    report = measure(args.cases)
    print(f"\nbatch job end to end, {report['cases']} reminder-stage demo cases in two jobs, one reminder each "
          f"(seeding took {report['seed_s']:.0f} s):")
    for label, job in report["jobs"].items():
        print(f"  {label} render pool: {job['items']} items, {job['generated']} generated, {job['refused']} refused "
              f"in {job['wall_s']:.2f} s → {job['items_per_s']:.0f} items/s, {job['generated_per_s']:.0f} "
              f"recorded notices/s; CPU a recorded notice: job {job['job_cpu_ms']:.2f} ms, "
              f"render pool {job['pool_cpu_ms']:.2f} ms")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n")
    print(f"written {RESULTS.relative_to(ROOT)}")
    return 0 if all(job["status"] == "done" and job["generated"] for job in report["jobs"].values()) else 1


if __name__ == "__main__":
    sys.exit(main())
