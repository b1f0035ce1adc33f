"""Benchmark: the service under load, as collection systems use it (issue 13, item 7).

1. Single notices: `dossier serve` (uvicorn, as `make run` starts it) on a fresh database seeded
   with reminder-stage demo cases; 8 concurrent clients ask for one overdue reminder each, again
   and again, for 60 s (each repeat of a case's notice on an override reason, as DOC-03 asks).
   Latency p50/p95/p99, notices a second and every answer that is not 201; on SQLite and on
   PostgreSQL (DOSSIER_BENCH_DATABASE_URL, else the local server's `bench_load` database, which is
   dropped and created afresh; skipped when nothing listens); with one server process and, when
   Redis runs (the shared rate-limit store), with two (`dossier serve --workers 2`). The service's
   clock is moved to 11:00 in Shanghai (DOSSIER_CLOCK_SHIFT_S) so no notice falls in quiet hours.
2. A worker's memory across a long batch: one Celery worker (concurrency 1, so one process renders
   and records everything) runs a 10,000-notice batch; its resident set is sampled against the
   job's progress. Flat within 10 % is the target (from the first recorded chunk to the end).
3. Celery with two workers against the local executor: the same batch through `POST
   /v1/notices/batch`, timed from the request to the job's end, once with the local executor (the
   server's job pool and its warm render pool) and once with two Celery workers taking its parts.

Every step also reports the CPU time (user + system) of the processes doing the work, per notice
recorded (step 1: the server's processes with their render pools, over the timed requests; steps
2 and 3: the processes working on the batch): on a machine shared with other work, wall times
say more about the others than about the service. `--only STEP` replaces that step's figures and keeps the others'.

`--quick` runs each step small (10 s of load, 1,000 and 600 notices) to try it in minutes.
Run from the project root: python -m bench.bench_load [--quick]. Results: bench/results/load.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "load.json"
PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/bench_load"
REDIS_DEFAULT = "redis://127.0.0.1:6379/14"
KIND = "overdue_reminder"
TARGETS = {"p95_ms": 300, "errors": 0, "rss_growth_pct": 10}


def _clock_shift(tz: str = "Asia/Shanghai", hour: int = 11) -> int:
    """Seconds that make the service's clock (DOSSIER_CLOCK_SHIFT_S) read `hour` o'clock today in
    `tz`, so the notices are inside contact hours (CN-01) whenever the benchmark runs."""
    from zoneinfo import ZoneInfo

    now = datetime.now(ZoneInfo(tz))
    return int((now.replace(hour=hour, minute=0, second=0, microsecond=0) - now).total_seconds())


def _listening(host: str, port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex((host, port)) == 0


def _fresh_database(engine: str, work: Path) -> str | None:
    if engine == "sqlite":
        return f"sqlite:///{work}/bench.db"
    from sqlalchemy.engine import make_url

    from bench.bench_writers import recreate_pg_database

    target = make_url(os.environ.get("DOSSIER_BENCH_DATABASE_URL") or PG_DEFAULT)
    if not _listening(target.host or "127.0.0.1", target.port or 5432):
        return None
    url = target.render_as_string(hide_password=False)
    recreate_pg_database(url)
    return url


def _seed(url: str, cases: int) -> tuple[str, list[str]]:
    """A fresh demo book at the reminder stage, and the refs of the cases the service would send
    an overdue reminder today (``producible``)."""
    from sqlalchemy import select

    from service.access.service import create_api_key
    from service.cases.enums import Stage
    from service.cases.models import DebtCase
    from service.core import migrate
    from service.core.clock import today
    from service.core.db import unit_of_work
    from service.demo.seed import seed_demo

    migrate.upgrade(url)
    with unit_of_work(url) as s:
        seed_demo(s, anchor=today(), cases=cases, stages=[Stage.REMINDER])
        key = create_api_key(s, role="legal_staff")
    with unit_of_work(url, write=False) as s:
        refs = list(s.scalars(select(DebtCase.ref).order_by(DebtCase.ref)))
    return key, producible(url, {ref: KIND for ref in refs})


# A case the demo seeds at the reminder stage may owe nothing past due on the run's date (its
# instalments due so far all paid, or paid off by the benchmark's own payments): the
# service rightly refuses its notice (ESC-01). Such a case is not asked; every other refusal is
# a fault the benchmark must show, so it stops here.
NOT_DUE = ("ESC-01",)


def producible(url: str, wanted: dict[str, str]) -> list[str]:
    """The refs, of `wanted` (ref → notice kind), whose notice the service would produce now, on
    the service's clock (DOSSIER_CLOCK_SHIFT_S as the server has it): ``producible_in``."""
    from service.core.db import unit_of_work

    with unit_of_work(url, write=False) as s:
        return producible_in(s, wanted)


def producible_in(session: Any, wanted: dict[str, str], now: datetime | None = None) -> list[str]:
    """Each case's notice prepared as a request prepares it (rules, the case's claim and ledger,
    the context; nothing written, nothing rendered). A case with nothing overdue (ESC-01) is left
    out and named on stdout; any other refusal or error raises."""
    from service.core.errors import RuleViolation
    from service.documents.service import prepare

    found, left_out = [], []
    for ref, kind in wanted.items():
        try:  # an override reason, as the benchmark's requests give one (DOC-03 repeats)
            prepare(session, case_ref=ref, kind=kind, fmt="pdf", locale=None, as_of=None, now=now,
                    override_reason="bench copy")
        except RuleViolation as refused:
            if {v.rule for v in refused.violations} - set(NOT_DUE):
                raise RuntimeError(f"{ref}: the service refuses its {kind}: {refused}") from refused
            left_out.append(ref)
            continue
        found.append(ref)
    if left_out:
        print(f"  {len(left_out)} of {len(wanted)} cases owe nothing past due today (ESC-01), not asked: "
              f"{', '.join(left_out)}")
    if not found:
        raise RuntimeError("no seeded case has a notice to send today")
    return found


def _env(url: str, work: Path, **extra: str) -> dict[str, str]:
    return {**os.environ, "DOSSIER_DATABASE_URL": url, "DOSSIER_STORAGE_DIR": str(work / "store"),
            # the service is measured, not the rate limits (one client address, one key)
            "DOSSIER_RATE_LIMIT_PER_KEY": "1000000/minute", "DOSSIER_RATE_LIMIT_PER_ADDRESS": "1000000/minute",
            "DOSSIER_MAX_ACTIVE_JOBS_PER_KEY": "1000", **extra}


def _start(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        return subprocess.Popen([sys.executable, "-m", "service.cli", *args], env=env, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True, cwd=ROOT)


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@contextmanager
def _server(env: dict[str, str], log: Path, workers: int = 1) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    import httpx

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = _start(["serve", "--port", str(port), "--workers", str(workers)], env, log)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the server did not start; see {log}")
            try:
                if httpx.get(base + "/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        yield base, server
    finally:
        _stop(server)


def _tree(pid: int) -> list[int]:
    """A process and its descendants: the children of every thread (a pool started from a request
    thread is that thread's child, not the main thread's)."""
    found, pending = [], [pid]
    while pending:
        current = pending.pop()
        found.append(current)
        for children in Path(f"/proc/{current}/task").glob("*/children"):
            try:
                pending.extend(int(c) for c in children.read_text().split())
            except (FileNotFoundError, ProcessLookupError):
                continue
    return found


def _tree_rss_mb(pid: int) -> float:
    """Resident set of a process and its descendants (the server with its render pool)."""
    total = 0
    for current in _tree(pid):
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:"))
        except (FileNotFoundError, ProcessLookupError, StopIteration):
            continue
    return total / 1024


def _tree_cpu_s(pid: int) -> float:
    """CPU time (user + system) of a process and its descendants, as far as they still run: a
    figure the machine's other work does not inflate the way it does wall times."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for current in _tree(pid):
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError):
            continue
        total += (int(fields[11]) + int(fields[12])) / tick
    return total


def _percentiles(latencies: list[float]) -> dict[str, int]:
    cuts = statistics.quantiles(latencies, n=100, method="inclusive") if len(latencies) > 1 else [0.0] * 99
    return {"p50_ms": round(cuts[49] * 1000), "p95_ms": round(cuts[94] * 1000), "p99_ms": round(cuts[98] * 1000),
            "max_ms": round(max(latencies, default=0) * 1000)}


def single_notices(engine: str, seconds: float, clients: int = 8, cases: int = 64,
                   workers: int = 1) -> dict[str, Any] | None:
    import httpx

    work = Path(tempfile.mkdtemp(prefix=f"bench-load-{engine}-"))
    url = _fresh_database(engine, work)
    if url is None:
        return None
    key, refs = _seed(url, cases)
    counter = iter(range(10**9))
    lock = threading.Lock()
    latencies: list[float] = []
    statuses: dict[str, int] = {}
    examples: dict[str, str] = {}

    def ask(client: httpx.Client) -> tuple[str, str]:
        n = next(counter)
        body = {"kind": KIND, "format": "pdf", "override_reason": f"bench copy {n}"}  # repeats: DOC-03 asks one
        try:
            r = client.post(f"/v1/cases/{refs[n % len(refs)]}/documents", json=body)
            return str(r.status_code), r.text[:300]
        except httpx.HTTPError as exc:
            return type(exc).__name__, str(exc)[:300]

    # more than one server process counts its rate limits in a shared store (here: they are lifted)
    shared = {"DOSSIER_RATE_LIMIT_STORAGE": f"async+{REDIS_DEFAULT}"} if workers > 1 else {}
    with _server(_env(url, work, **shared), work / "server.log", workers) as (base, server):
        headers = {"Authorization": f"Bearer {key}"}
        with httpx.Client(base_url=base, timeout=120, headers=headers) as warm:
            # every lender's form in every render process, as a running service has them
            for _ in range(2 * len(refs)):
                ask(warm)
        until = time.monotonic() + seconds
        peak_rss = [0.0]

        def loop() -> None:
            with httpx.Client(base_url=base, timeout=120, headers=headers) as client:
                while time.monotonic() < until:
                    started = time.perf_counter()
                    code, text = ask(client)
                    with lock:
                        latencies.append(time.perf_counter() - started)
                        statuses[code] = statuses.get(code, 0) + 1
                        if code != "201":
                            examples.setdefault(code, text)

        threads = [threading.Thread(target=loop) for _ in range(clients)]
        cpu_before = _tree_cpu_s(server.pid)  # the server's processes and their render pools
        started = time.perf_counter()
        for t in threads:
            t.start()
        while any(t.is_alive() for t in threads):
            peak_rss[0] = max(peak_rss[0], _tree_rss_mb(server.pid))
            time.sleep(0.5)
        elapsed = time.perf_counter() - started
        server_cpu = _tree_cpu_s(server.pid) - cpu_before
    ok = statuses.get("201", 0)
    return {"engine": engine, "clients": clients, "server_processes": workers, "seconds": round(elapsed, 1),
            "notices": ok,
            "notices_per_s": round(ok / elapsed, 1), **_percentiles(latencies),
            "errors": sum(v for k, v in statuses.items() if k != "201"), "statuses": statuses, "not_201": examples,
            "server_peak_rss_mb": round(peak_rss[0]), "server_cpu_s": round(server_cpu, 1),
            # what a busy machine disturbs least: the server's CPU time (user + system, with its
            # render pool) per notice answered 201
            "cpu_ms_per_notice": round(server_cpu * 1000 / ok, 2) if ok else None}


def _batch(refs: list[str], count: int) -> dict[str, Any]:
    return {"items": [{"case_ref": refs[i % len(refs)], "kind": KIND,
                       **({"override_reason": f"bench copy {i}"} if i >= len(refs) else {})} for i in range(count)],
            "format": "pdf"}


def _job(url: str, job_id: str) -> Any:
    from service.core.db import unit_of_work
    from service.jobs.models import Job

    with unit_of_work(url, write=False) as s:
        return s.get(Job, job_id)


def _wait_ready(logs: list[Path]) -> None:
    deadline = time.monotonic() + 180
    while not all(log.exists() and "ready." in log.read_text(errors="replace") for log in logs):
        if time.monotonic() > deadline:
            raise RuntimeError(f"the Celery workers did not start; see {logs}")
        time.sleep(0.5)


def _run_batch(base: str, key: str, url: str, refs: list[str], count: int,
               sample: Any = None, cpu_of: list[int] | None = None) -> dict[str, Any]:
    """The batch from the request to the job's end; with `cpu_of` (process ids), the CPU time
    those processes and their children spent meanwhile, per notice recorded."""
    import httpx

    cpu_before = sum(_tree_cpu_s(pid) for pid in cpu_of or [])
    started = time.perf_counter()
    r = httpx.post(base + "/v1/notices/batch", json=_batch(refs, count), timeout=120,
                   headers={"Authorization": f"Bearer {key}"})
    r.raise_for_status()
    job_id = r.json()["id"]
    while (job := _job(url, job_id)).status in ("queued", "running"):
        if sample:
            sample(job)
        time.sleep(0.25)
    wall = time.perf_counter() - started
    result = job.result or {}
    generated = result.get("generated", 0)
    found = {"items": count, "status": str(job.status), "generated": generated,
             "refused": result.get("refused", 0), "parts": result.get("parts", 1), "wall_s": round(wall, 1),
             "notices_per_s": round(generated / wall, 1), "error": job.error[:300]}
    if cpu_of:
        cpu = sum(_tree_cpu_s(pid) for pid in cpu_of) - cpu_before
        found.update(cpu_s=round(cpu, 1), cpu_ms_per_notice=round(cpu * 1000 / generated, 2) if generated else None)
    return found


def worker_memory(count: int, cases: int) -> dict[str, Any]:
    """One Celery worker (concurrency 1) runs the whole batch; its pool child's RSS sampled each
    second (with the job's progress where the database shows it while the job runs: PostgreSQL)."""
    work = Path(tempfile.mkdtemp(prefix="bench-rss-"))
    url = _fresh_database("postgresql", work) or _fresh_database("sqlite", work)
    assert url is not None
    key, refs = _seed(url, cases)
    env = _env(url, work, DOSSIER_EXECUTOR="celery", DOSSIER_BROKER_URL=REDIS_DEFAULT,
               DOSSIER_CELERY_QUEUE=f"bench-{os.getpid()}", DOSSIER_BATCH_PART_ITEMS=str(count))
    log = work / "worker.log"
    worker = _start(["worker", "--concurrency", "1"], env, log)
    samples: list[tuple[float, int, float, float]] = []
    began = time.monotonic()

    def sample(job: Any) -> None:
        if job.worker and (not samples or time.monotonic() - began - samples[-1][0] >= 1):
            child = int(job.worker.rsplit(":", 1)[1])
            samples.append((time.monotonic() - began, job.progress, _tree_rss_mb(child), _tree_cpu_s(child)))

    try:
        _wait_ready([log])
        with _server(env, work / "server.log") as (base, _):
            began = time.monotonic()
            run = _run_batch(base, key, url, refs, count, sample, cpu_of=[worker.pid])
    finally:
        _stop(worker)
    # The baseline: once a tenth of the run has passed (the renderer warm, the first chunk recorded).
    settled = [rss for at, _, rss, _ in samples if at >= run["wall_s"] / 10 and rss]
    first, peak = (settled[0], max(settled)) if settled else (0.0, 0.0)
    return {**run, "engine": url.split(":", 1)[0], "rss_first_chunk_mb": round(first), "rss_peak_mb": round(peak),
            "rss_growth_pct": round((peak - first) / first * 100, 1) if first else None,
            "samples_s_done_mb_cpu_s": [(round(at), done, round(rss), round(cpu, 1))
                                        for at, done, rss, cpu in samples[:: max(1, len(samples) // 20)]]}


def celery_vs_local(count: int, cases: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for executor in ("local", "celery"):
        work = Path(tempfile.mkdtemp(prefix=f"bench-exec-{executor}-"))
        url = _fresh_database("sqlite", work)
        assert url is not None
        key, refs = _seed(url, cases)
        env = _env(url, work, DOSSIER_EXECUTOR=executor, DOSSIER_BROKER_URL=REDIS_DEFAULT,
                   DOSSIER_CELERY_QUEUE=f"bench-{os.getpid()}-{executor}",
                   DOSSIER_BATCH_PART_ITEMS=str(max(50, count // 8)))
        logs = [work / f"worker{n}.log" for n in range(2)] if executor == "celery" else []
        workers = [_start(["worker", "--concurrency", "1"], env, log) for log in logs]
        try:
            _wait_ready(logs)
            with _server(env, work / "server.log") as (base, server):
                # CPU of everything that works on the batch: the server (with, for the local
                # executor, its job pool and render pool) and the Celery workers
                out[executor] = _run_batch(base, key, url, refs, count, cpu_of=[server.pid, *(w.pid for w in workers)])
        finally:
            for w in workers:
                _stop(w)
    return out


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small runs, to try it in a few minutes")
    parser.add_argument("--only", choices=("single", "memory", "executors"), action="append")
    args = parser.parse_args(argv)
    # before the service is imported: its clock reads the shift once
    os.environ.setdefault("DOSSIER_CLOCK_SHIFT_S", str(_clock_shift()))
    steps = args.only or ["single", "memory", "executors"]
    seconds, rss_count, exec_count = (10.0, 1000, 600) if args.quick else (60.0, 10_000, 3000)
    report: dict[str, Any] = {"measured_at": datetime.now(UTC).isoformat(timespec="seconds"), "quick": args.quick,
                              "cpus": os.cpu_count(), "python": platform.python_version(), "targets": TARGETS}
    redis_up = _listening("127.0.0.1", 6379)
    if "single" in steps:
        # one server process, as `make run` serves; two (`serve --workers 2`, rate limits in Redis)
        processes = (1, 2) if redis_up else (1,)
        report["single"] = [r for engine in ("sqlite", "postgresql") for workers in processes
                            if (r := single_notices(engine, seconds, workers=workers))]
    if "memory" in steps and redis_up:
        report["worker_memory"] = worker_memory(rss_count, cases=200)
    if "executors" in steps and redis_up:
        report["executors"] = celery_vs_local(exec_count, cases=200)
    print_report(report)
    previous = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    mode = "quick" if args.quick else "full"
    sections = ("single", "worker_memory", "executors")
    before = previous.get(mode, {})
    dates = before.get("steps_measured_at") or {k: before.get("measured_at") for k in sections if k in before}
    if args.only:  # the steps run now replace theirs; the others keep their figures and dates
        report = {**{k: v for k, v in before.items() if k in sections}, **report}
    else:
        dates = {}
    report["steps_measured_at"] = {**dates, **{k: report["measured_at"] for k in _sections_of(steps) if k in report}}
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({**previous, mode: report}, indent=2, ensure_ascii=False) + "\n")
    print(f"written {RESULTS.relative_to(ROOT)}")
    return 0


def _sections_of(steps: list[str]) -> set[str]:
    return {{"memory": "worker_memory"}.get(step, step) for step in steps}


def print_report(report: dict[str, Any]) -> None:
    print(f"\nthe service under load ({report['cpus']} cores{', quick' if report['quick'] else ''})")
    for r in report.get("single", []):
        print(f"  {r['clients']} clients, single {KIND} for {r['seconds']:.0f} s on {r['engine']}, "
              f"{r.get('server_processes', 1)} server process(es): "
              f"{r['notices_per_s']} notices/s, p50 {r['p50_ms']} ms, p95 {r['p95_ms']} ms (target ≤ "
              f"{TARGETS['p95_ms']}), p99 {r['p99_ms']} ms, {r['errors']} errors {r['not_201'] or ''}; "
              f"{r.get('cpu_ms_per_notice')} ms of the server's CPU a notice; "
              f"server peak RSS {r['server_peak_rss_mb']} MB")
    if mem := report.get("worker_memory"):
        print(f"  one Celery worker, {mem['items']} notices on {mem['engine']}: {mem['notices_per_s']} notices/s, "
              f"{mem.get('cpu_ms_per_notice')} ms of the worker's CPU a notice; RSS "
              f"{mem['rss_first_chunk_mb']} MB after the first chunk, peak {mem['rss_peak_mb']} MB "
              f"(+{mem['rss_growth_pct']} %, target ≤ {TARGETS['rss_growth_pct']} %)")
    for executor, run in report.get("executors", {}).items():
        print(f"  batch of {run['items']} through the {executor} executor ({run['parts']} part(s)): "
              f"{run['generated']} recorded in {run['wall_s']} s → {run['notices_per_s']} notices/s, "
              f"{run.get('cpu_ms_per_notice')} ms of CPU a notice {run['error']}")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
