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

Then every other bulk notice kind the same way (``--per-kind``, in a process of its own, on its own
database): a demo book of every stage (CN and US cases), and per kind and language a batch of
``--per-kind-items`` notices (default 200) over the cases the service would send that notice to
(each asked again on an override reason, DOC-03), after a small batch of the same kind has
warmed the pool's forms. The jobs run at 10:30 in Shanghai for CN cases and 12:00 in New York
for US ones. Each kind's figures: recorded notices a second (wall, which other work on the machine
slows) and the CPU time a recorded notice costs in the job's process and in the render pool (user
+ system, which it does not), with the rate that CPU time allows on this machine's cores.

Run from the project root: python -m bench.bench_batch [--cases 400] [--per-kind-items N | --no-per-kind].
Results: bench/results/batch.json.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "batch.json"
SENT_AT = datetime(2026, 11, 28, 2, 30, tzinfo=UTC)  # 10:30 in Asia/Shanghai
US_SENT_AT = datetime(2026, 11, 28, 17, 0, tzinfo=UTC)  # 12:00 in New York, 09:00 in Los Angeles
# The bulk notice kinds (issue 13: ≥ 100 recorded/s each), by kind, profile and language; the
# zh-CN overdue reminder is the two jobs above.
VARIANTS = (("overdue_reminder", "CN", "en-US"), ("overdue_reminder", "US", "en-US"),
            ("demand_letter", "CN", "zh-CN"), ("credit_report_prenotice", "CN", "zh-CN"),
            ("visit_notice", "CN", "zh-CN"), ("visit_notice", "CN", "en-US"),
            ("breach_notice", "CN", "zh-CN"), ("breach_notice", "CN", "en-US"), ("breach_notice", "US", "en-US"),
            ("validation_notice", "US", "en-US"), ("plan_reminder", "CN", "zh-CN"))


def measure(cases: int) -> dict[str, Any]:
    """The two jobs, with the clock pinned to SENT_AT and the environment pointed at a throw-away
    database for their length only: the benchmarks after this one in `make bench` run on today's
    clock (a pinned clock left behind made every case of bench_writers owe nothing, ESC-01)."""
    import service.documents.service as documents_service

    saved_env = {name: os.environ.get(name) for name in ("DOSSIER_DATABASE_URL", "DOSSIER_STORAGE_DIR")}
    saved_clock = documents_service.utcnow
    try:
        return _measure(cases)
    finally:
        documents_service.utcnow = saved_clock  # type: ignore[attr-defined]
        from service.core.settings import get_settings

        for name, value in saved_env.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        get_settings.cache_clear()


def _measure(cases: int) -> dict[str, Any]:
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
        status, wall, cpu, pool_cpu, result = _timed_job(settings, job_id, pool)
        generated, refused = result.get("generated", 0), result.get("refused", 0)
        jobs[label] = {"items": len(items), "status": status, "generated": generated, "refused": refused,
                       "wall_s": wall, "items_per_s": len(items) / wall, "generated_per_s": generated / wall,
                       # CPU a recorded notice costs, which a busy machine disturbs less than the rate
                       "job_cpu_ms": 1000 * cpu / max(generated, 1), "pool_cpu_ms": 1000 * pool_cpu / max(generated, 1)}
    return {"cases": cases, "seed_s": seeded, "jobs": jobs}


def _timed_job(settings: Any, job_id: str, pool: set[int]) -> tuple[str, float, float, float, dict[str, Any]]:
    """Run a queued job here: its status, wall seconds, this process's and the render pool's CPU
    seconds, and its result."""
    from service.core.db import unit_of_work
    from service.jobs import runner
    from service.jobs.models import Job

    pool_cpu, cpu, started = _cpu_seconds(pool), time.process_time(), time.perf_counter()
    status = runner.run_job(settings, job_id)
    wall = time.perf_counter() - started
    cpu, pool_cpu = time.process_time() - cpu, _cpu_seconds(pool) - pool_cpu
    with unit_of_work(settings.database_url) as session:
        job = session.get(Job, job_id)
        assert job is not None
        result = job.result or {}
    return status, wall, cpu, pool_cpu, result


def _cpu_seconds(pids: set[int]) -> float:
    """User and system CPU time of the processes (the render pool's), from /proc."""
    ticks = 0
    for pid in pids:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def measure_per_kind(items: int, cases: int = 128) -> dict[str, Any]:
    """Each bulk notice kind (VARIANTS) through the batch job, warm: see the module's docstring."""
    work = tempfile.mkdtemp(prefix="bench-batch-kinds-")
    os.environ["DOSSIER_DATABASE_URL"] = f"sqlite:///{work}/bench.db"
    os.environ["DOSSIER_STORAGE_DIR"] = f"{work}/store"
    from sqlalchemy import select

    import service.documents.jobs  # registers the job handler
    import service.documents.service as documents_service
    from service.cases.models import DebtCase
    from service.core import migrate
    from service.core.db import unit_of_work
    from service.core.errors import RuleViolation
    from service.core.settings import get_settings
    from service.demo.seed import seed_demo
    from service.documents import bulk
    from service.documents.registry import get_kind
    from service.jobs.models import Job

    settings = get_settings()
    migrate.upgrade(settings.database_url)
    with unit_of_work(settings.database_url) as session:
        seed_demo(session, anchor=SENT_AT.date(), cases=cases)  # every stage, CN and US cases
    with unit_of_work(settings.database_url) as session:
        book = session.execute(select(DebtCase.ref, DebtCase.profile, DebtCase.stage).order_by(DebtCase.id)).all()
    bulk.warm_up(2, settings.templates_dir)
    pool = set(bulk.get_pool(2, settings.templates_dir)._processes)
    found: dict[str, Any] = {}
    for n, (kind, profile, locale) in enumerate(VARIANTS):
        label = f"{kind} {profile} {locale}"
        sent_at = SENT_AT if profile == "CN" else US_SENT_AT
        documents_service.utcnow = lambda at=sent_at: at  # type: ignore[attr-defined]
        doc_kind = get_kind(kind)
        refs, refusals = [], set()
        with unit_of_work(settings.database_url, write=False) as session:
            for ref, case_profile, stage in book:
                if case_profile != profile or stage not in doc_kind.stages:
                    continue
                try:  # the cases the service would send this notice to (nothing written)
                    documents_service.prepare(session, case_ref=ref, kind=kind, fmt="pdf", locale=locale,
                                              as_of=None, override_reason="bench copy")
                except RuleViolation as refused:
                    refusals.update(v.rule for v in refused.violations)
                    continue
                refs.append(ref)
        if not refs:
            found[label] = {"cases": 0, "refusals": sorted(refusals)}
            continue
        runs = {}
        # The warm-up is longer than one pool chunk (bulk: 16 items): a batch that short renders in
        # the job's own process and leaves the pool's forms cold, so the measured batch paid for
        # laying each of its forms out (a few kinds have a form a case: ~2-4 ms a notice more).
        for phase, count in (("warm-up", max(2 * 16 + 1, 2 * len(refs))), ("measured", items)):
            batch = [{"case_ref": refs[i % len(refs)], "kind": kind, "locale": locale,
                      "override_reason": f"bench copy {phase} {i}"} for i in range(count)]
            job_id = f"job_kinds{n:03d}{phase[0]}{'0' * 12}"
            with unit_of_work(settings.database_url) as session:
                session.add(Job(id=job_id, kind="notice_batch", status="queued", actor="bench",
                                params={"items": batch, "format": "pdf"}, total=count, created_at=sent_at))
            status, wall, cpu, pool_cpu, result = _timed_job(settings, job_id, pool)
            generated = result.get("generated", 0)
            runs[phase] = {"items": count, "status": status, "generated": generated,
                           "refused": result.get("refused", 0), "failed": result.get("failed", 0),
                           "wall_s": wall, "generated_per_s": generated / wall,
                           "job_cpu_ms": 1000 * cpu / max(generated, 1),
                           "pool_cpu_ms": 1000 * pool_cpu / max(generated, 1),
                           "not_generated": [r for r in result.get("items", []) if r.get("status") != "generated"][:2]}
        measured = runs["measured"]
        cpu_ms = measured["job_cpu_ms"] + measured["pool_cpu_ms"]
        found[label] = {"cases": len(refs), **measured, "cpu_ms": cpu_ms,
                        # what the CPU time allows when the job and the pool share the machine's cores
                        "cpu_bound_per_s": 1000 * (os.cpu_count() or 1) / cpu_ms if cpu_ms else None}
    return {"items": items, "cases": cases, "cpus": os.cpu_count(), "kinds": found}


def run_per_kind(items: int) -> dict[str, Any]:
    """``measure_per_kind`` in a process of its own (its own database and settings)."""
    done = subprocess.run([sys.executable, "-m", "bench.bench_batch", "--per-kind-child", str(items)], cwd=ROOT,
                          capture_output=True, text=True, timeout=3600)
    if done.returncode != 0:
        return {"error": (done.stderr or done.stdout).strip().splitlines()[-3:]}
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def print_per_kind(report: dict[str, Any]) -> None:
    print(f"\nevery other bulk notice kind through the batch job, warm pool, {report.get('items')} items each "
          f"(target ≥ 100 recorded/s). Wall rates count the machine's other work; the CPU time a recorded notice "
          f"costs (job process + render pool, user + system) does not, and its ceiling is the rate that CPU time "
          f"allows with all {report.get('cpus')} cores busy:")
    if "error" in report:
        print(f"  failed: {report['error']}")
        return
    print("  {:<38} {:>5} {:>9} {:>10} {:>8} {:>8} {:>8} {:>10}".format(
        "kind", "cases", "recorded", "wall /s", "job ms", "pool ms", "CPU ms", "CPU ceiling /s"))
    for label, row in report["kinds"].items():
        if not row.get("cases"):
            print(f"  {label:<38} no demo case the service would send it to: {row.get('refusals')}")
            continue
        bad = f"  not recorded: {row['not_generated']}" if row["not_generated"] else ""
        print(f"  {label:<38} {row['cases']:>5} {row['generated']:>9} {row['generated_per_s']:>10.0f} "
              f"{row['job_cpu_ms']:>8.2f} {row['pool_cpu_ms']:>8.2f} {row['cpu_ms']:>8.2f} "
              f"{row['cpu_bound_per_s']:>10.0f}{bad}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--per-kind-items", type=int, default=200)
    parser.add_argument("--per-kind-child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--per-kind", action="store_true", help="only the other bulk kinds")
    parser.add_argument("--no-per-kind", action="store_true", help="only the zh-CN reminder's two jobs")
    args = parser.parse_args(argv)
    if args.per_kind_child:
        print(json.dumps(measure_per_kind(args.per_kind_child), default=str))
        return 0
    previous = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    if args.per_kind:
        kinds = run_per_kind(args.per_kind_items)
        kinds["measured_at"] = datetime.now(UTC).isoformat(timespec="seconds")
        print_per_kind(kinds)
        RESULTS.write_text(json.dumps({**previous, "per_kind": kinds}, indent=2) + "\n")
        return 0 if "error" not in kinds else 1
    report = measure(args.cases)
    print(f"\nbatch job end to end, {report['cases']} reminder-stage demo cases in two jobs, one reminder each "
          f"(seeding took {report['seed_s']:.0f} s):")
    for label, job in report["jobs"].items():
        print(f"  {label} render pool: {job['items']} items, {job['generated']} generated, {job['refused']} refused "
              f"in {job['wall_s']:.2f} s → {job['items_per_s']:.0f} items/s, {job['generated_per_s']:.0f} "
              f"recorded notices/s; CPU a recorded notice: job {job['job_cpu_ms']:.2f} ms, "
              f"render pool {job['pool_cpu_ms']:.2f} ms")
    ok = all(job["status"] == "done" and job["generated"] for job in report["jobs"].values())
    if not args.no_per_kind:
        report["per_kind"] = run_per_kind(args.per_kind_items)
        print_per_kind(report["per_kind"])
        ok = ok and "error" not in report["per_kind"]
    elif "per_kind" in previous:  # kept from the last run that measured them
        report["per_kind"] = previous["per_kind"]
    report["measured_at"] = datetime.now(UTC).isoformat(timespec="seconds")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n")
    print(f"written {RESULTS.relative_to(ROOT)}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
