"""Benchmark: how many writes a second the service takes from concurrent clients.

`dossier serve` runs as `make run` starts it, on a fresh database seeded with demo cases at the
reminder stage; 1, 8 and 32 clients then post payments (validation, the case's ledger
re-allocated, an audit event; every third under an Idempotency-Key) for a fixed time each, and
32 clients post a mix of payments, notices (a PDF rendered and recorded) and evidence uploads.
A notice is one the case may lawfully receive: the credit-report pre-notice where the lender
reports to a credit system (CN-31), else the overdue reminder, to cases that owe something past
due today and that no payment of the benchmark touches (so every notice asked for is one the
service should produce); the service's clock reads 11:00 in
Shanghai (as in bench_load), so no notice falls in quiet hours (CN-01).
Reported: answered writes a second, latency percentiles, and any answer that is not 201.

The database is SQLite (the embedded default) unless DOSSIER_BENCH_DATABASE_URL names a
PostgreSQL database, which is dropped and created afresh.

Run from the project root: python -m bench.bench_writers [--seconds 15]. Results:
bench/results/writers.json (one entry per database engine).
"""

from __future__ import annotations

import argparse
import io
import itertools
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
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "writers.json"
NUMBERS = itertools.count()


def _database(work: Path) -> str:
    url = os.environ.get("DOSSIER_BENCH_DATABASE_URL", "")
    if not url.startswith("postgresql"):
        return f"sqlite:///{work}/bench.db"
    recreate_pg_database(url)
    return url


def recreate_pg_database(url: str) -> None:
    """An empty PostgreSQL database at `url` (dropped first, whoever is connected)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    target = make_url(url)
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{target.database}"'))
    admin.dispose()


PAYMENT_CASES, NOTICE_CASES = 16, 8


def _prepare(url: str, work: Path) -> tuple[str, dict[str, list[str]], dict[str, str]]:
    """The API key, the cases each kind of write goes to, and by ref the notice kind each case may
    receive. Payments go to the first 16 cases and notices to the other 8, which no payment
    touches: the runs post thousands of payments, which would pay off a case's overdue amount
    (then its notice is rightly refused, ESC-01). A notice case is one whose notice the service
    would produce today (``bench_load.producible``)."""
    from bench.bench_load import producible
    from service.access.service import create_api_key
    from service.cases.enums import Stage
    from service.core import migrate
    from service.core.clock import today
    from service.core.db import unit_of_work
    from service.demo.seed import seed_demo

    migrate.upgrade(url)
    with unit_of_work(url) as s:
        seed_demo(s, anchor=today(), cases=PAYMENT_CASES + NOTICE_CASES, stages=[Stage.REMINDER])
        key = create_api_key(s, role="legal_staff")
    with unit_of_work(url, write=False) as s:
        notices = notice_kinds(s)
    refs = list(notices)
    to_notify = producible(url, {ref: notices[ref] for ref in refs[PAYMENT_CASES:]})
    return key, {"payment": refs[:PAYMENT_CASES], "notice": to_notify, "upload": refs}, notices


def notice_kinds(session: Any) -> dict[str, str]:
    """By case ref (in order), the notice the bench asks for: one the case may lawfully receive.
    CN-31: credit-reporting wording only from a lender that reports to a credit system."""
    from sqlalchemy import select

    from service.cases.models import DebtCase, Lender

    rows = session.execute(select(DebtCase.ref, DebtCase.profile, Lender.credit_system)
                           .join(Lender, Lender.id == DebtCase.lender_id).order_by(DebtCase.ref)).all()
    return {ref: "credit_report_prenotice" if profile == "CN" and system else "overdue_reminder"
            for ref, profile, system in rows}


def _serve(url: str, work: Path) -> tuple[subprocess.Popen[bytes], str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "DOSSIER_DATABASE_URL": url, "DOSSIER_STORAGE_DIR": str(work / "store"),
           # the database is measured, not the rate limits (one client address, one key)
           "DOSSIER_RATE_LIMIT_PER_KEY": "1000000/minute", "DOSSIER_RATE_LIMIT_PER_ADDRESS": "1000000/minute"}
    log = (work / "server.log").open("wb")
    server = subprocess.Popen([sys.executable, "-m", "service.cli", "serve", "--port", str(port)], env=env,
                              stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    import httpx

    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + "/healthz", timeout=2).status_code == 200:
                return server, base
        except httpx.HTTPError:
            time.sleep(0.2)
    raise RuntimeError(f"the server did not start; see {work / 'server.log'}")


def _pdf(n: int) -> bytes:
    import pikepdf

    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    pdf.docinfo["/Title"] = f"bench exhibit {n}"
    out = io.BytesIO()
    pdf.save(out, deterministic_id=True)
    return out.getvalue()


def _write(client: Any, kind: str, ref: str, n: int, notice: str) -> Any:
    from service.core.clock import today

    headers = {"Idempotency-Key": f"bench-{n}"} if n % 3 == 0 else {}
    if kind == "payment":
        return client.post(f"/v1/cases/{ref}/payments", headers=headers,
                           json={"value_date": today().isoformat(), "amount": "1.00", "external_ref": f"b{n}"})
    if kind == "notice":
        return client.post(f"/v1/cases/{ref}/documents", headers=headers,
                           json={"kind": notice, "format": "pdf",
                                 "override_reason": f"bench copy {n}"})  # the same notice again (DOC-03)
    meta = {"title": f"证据{n}", "category": "loan_contract", "form": "electronic", "source": "基准测试",
            "purpose": "证明借款合同关系成立"}
    return client.post(f"/v1/cases/{ref}/evidence", headers=headers, data=meta,
                       files={"file": (f"e{n}.pdf", _pdf(n), "application/pdf")})


def run(base: str, key: str, targets: dict[str, list[str]], notices: dict[str, str], clients: int, seconds: float,
        kinds: tuple[str, ...]) -> dict[str, Any]:
    import httpx

    numbers = NUMBERS  # one count over all runs: every write its own Idempotency-Key
    latencies: list[float] = []
    statuses: dict[str, int] = {}
    examples: dict[str, str] = {}
    lock = threading.Lock()
    until = time.monotonic() + seconds

    def client_loop(index: int) -> None:
        kind = kinds[index % len(kinds)]
        refs = targets[kind]
        with httpx.Client(base_url=base, timeout=300, headers={"Authorization": f"Bearer {key}"}) as client:
            while time.monotonic() < until:
                n = next(numbers)
                started = time.perf_counter()
                detail = ""
                try:
                    ref = refs[n % len(refs)]
                    response = _write(client, kind, ref, n, notices[ref])
                    code, detail = str(response.status_code), response.text[:300]
                except httpx.HTTPError as exc:
                    code = type(exc).__name__
                with lock:
                    if code != "201":
                        examples.setdefault(f"{kind} {code}", detail)
                    latencies.append(time.perf_counter() - started)
                    statuses[f"{kind} {code}"] = statuses.get(f"{kind} {code}", 0) + 1

    started = time.perf_counter()
    threads = [threading.Thread(target=client_loop, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    ok = sum(v for k, v in statuses.items() if k.endswith(" 201"))
    cuts = statistics.quantiles(latencies, n=100, method="inclusive") if len(latencies) > 1 else [0.0] * 99
    return {"clients": clients, "kinds": list(kinds), "seconds": round(elapsed, 1), "writes": ok,
            "writes_per_s": round(ok / elapsed, 1), "p50_ms": round(cuts[49] * 1000), "p95_ms": round(cuts[94] * 1000),
            "p99_ms": round(cuts[98] * 1000), "max_ms": round(max(latencies, default=0) * 1000), "statuses": statuses,
            "not_201": examples}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=15.0, help="how long each run posts")
    args = parser.parse_args(argv)
    from bench.bench_load import _clock_shift

    # before the service is imported (its clock reads the shift once): 11:00 in Shanghai, so no
    # notice falls in the borrowers' quiet hours (CN-01) whenever the benchmark runs
    os.environ.setdefault("DOSSIER_CLOCK_SHIFT_S", str(_clock_shift()))
    work = Path(tempfile.mkdtemp(prefix="bench-writers-"))
    url = _database(work)
    engine = "postgresql" if url.startswith("postgresql") else "sqlite"
    key, targets, notices = _prepare(url, work)
    server, base = _serve(url, work)
    runs = []
    try:
        for clients in (1, 8, 32):
            runs.append(run(base, key, targets, notices, clients, args.seconds, ("payment",)))
        runs.append(run(base, key, targets, notices, 32, args.seconds, ("payment", "notice", "upload")))
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)
    print(f"\nconcurrent writers on {engine} ({os.cpu_count()} cores)")
    head = ("clients", "writes", "writes/s", "p50 ms", "p95 ms", "p99 ms", "max ms")
    print("{:>7} {:<24} {:>9} {:>7} {:>7} {:>7} {:>7}  not 201".format(*head))
    for r in runs:
        bad = {k: v for k, v in r["statuses"].items() if not k.endswith(" 201")}
        print(f"{r['clients']:>7} {'+'.join(r['kinds']):<24} {r['writes_per_s']:>9} {r['p50_ms']:>7} {r['p95_ms']:>7} "
              f"{r['p99_ms']:>7} {r['max_ms']:>7}  {bad or 'none'}")
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results[engine] = {"measured_at": datetime.now(UTC).isoformat(timespec="seconds"), "cpus": os.cpu_count(),
                       "python": platform.python_version(), "runs": runs}
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    return 1 if any(not k.endswith(" 201") for r in runs for k in r["statuses"]) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
