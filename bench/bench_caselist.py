"""Benchmark: the web UI's case list with 100,000 cases on PostgreSQL.

A fresh PostgreSQL database (DOSSIER_BENCH_DATABASE_URL, dropped and created; default
``postgresql+psycopg://postgres@127.0.0.1:5432/bench_caselist``) is migrated and seeded with the
demo (its lenders, firms and logins), then 100,000 cases are bulk-loaded next to it: borrowers,
contracts and cases in multi-row INSERTs of 5,000 (not the API one by one), with their list
columns (stage, oldest owing due date, principal, firm, holds) spread as a portfolio spreads them.

Then, for the first page, a deep cursor page (the 40th), each filter, each sort and a search by
name, contract number and case ref, it times:
- ``query``: ``cases.search.search`` (the page's SELECT of 51 rows and its three eager loads);
- ``page``: ``GET /cases`` as a signed-in legal staff user (sign-in cookie, the rendered HTML);
and EXPLAINs (ANALYZE) the page's SELECT: any sequential scan of ``debt_case`` or an aggregate
over it is reported as a failure, as a page must read an index, never the whole table.

Run from the project root: python -m bench.bench_caselist [--cases 100000] [--repeat 5].
Results: bench/results/caselist.json. `python -m bench --caselist` runs only this.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from random import Random
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "caselist.json"
DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/bench_caselist"
CHUNK = 5000
SHORTEST_INDEXED_SEARCH = 3  # pg_trgm: shorter patterns have no trigram to look up
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建文辉力飞鹏宇浩然子涵欣怡晨阳"
PINYIN = ["Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Xu", "Sun", "Ma"]


def _fresh_database(url: str) -> None:
    from bench.bench_writers import recreate_pg_database

    recreate_pg_database(url)


def _chunks(rows: Iterator[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    chunk: list[dict[str, Any]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def bulk_load(url: str, count: int, *, seed: int = 100_000) -> float:
    """Insert `count` cases with their borrower and contract; ids are given, sequences moved after."""
    from sqlalchemy import func, insert, select, text

    from service.cases.enums import HoldKind, IdType, Stage
    from service.cases.models import Borrower, CaseHold, DebtCase, LawFirm, Lender, LoanContract
    from service.core.db import unit_of_work

    rng = Random(seed)
    started = time.perf_counter()
    with unit_of_work(url) as s:
        lenders = list(s.scalars(select(Lender.id)))
        firms = list(s.scalars(select(LawFirm.id)))
        base = max(s.scalar(select(func.max(DebtCase.id))) or 0, s.scalar(select(func.max(Borrower.id))) or 0,
                   s.scalar(select(func.max(LoanContract.id))) or 0) + 1
    now = datetime.now(UTC)
    today = now.date()
    stages = list(Stage)
    holds = list(HoldKind)

    def people() -> Iterator[tuple[dict[str, Any], dict[str, Any], dict[str, Any]]]:
        for i in range(count):
            n = base + i
            name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
            name_en = f"{rng.choice(PINYIN)} {rng.choice(PINYIN)}{n % 97}"
            ref, contract_no = f"BK-{n:07d}", f"HT{2024 + n % 3}{n:08d}"
            lender = lenders[n % len(lenders)]
            signed = today - timedelta(days=rng.randint(200, 1500))
            amount = Decimal(rng.randint(2_000, 300_000))
            overdue = None if rng.random() < 0.08 else today - timedelta(days=rng.randint(0, 900))
            borrower = {"id": n, "name": name, "name_en": name_en, "id_type": IdType.CN_RESIDENT,
                        "id_number": f"1101011990{n:08d}", "phones": [f"138{n:08d}"]}
            contract = {"id": n, "lender_id": lender, "borrower_id": n, "contract_no": contract_no,
                        "signed_date": signed, "principal_agreed": amount, "disbursed_amount": amount,
                        "disbursed_date": signed, "periods": 12, "term_end": signed + timedelta(days=365),
                        "nominal_rate": Decimal("0.18"), "penalty_rate": Decimal("0.27"),
                        "repayment_method": "equal_instalment"}
            case = {"id": n, "ref": ref, "profile": "CN", "stage": rng.choice(stages), "contract_id": n,
                    "lender_id": lender, "borrower_id": n,
                    "law_firm_id": rng.choice(firms) if firms and rng.random() < 0.3 else None,
                    "opened_at": now - timedelta(days=rng.randint(30, 900)),
                    "updated_at": now - timedelta(seconds=rng.randint(0, 90 * 86400)),
                    "search_text": " ".join((ref, name, name_en, contract_no)).lower(),
                    "overdue_since": overdue,
                    "principal_cents": 0 if overdue is None else int(amount * 100 * Decimal(rng.random()))}
            yield borrower, contract, case

    def rows(k: int) -> Iterator[dict[str, Any]]:
        for triple in people_rows:
            yield triple[k]

    people_rows = list(people())
    with unit_of_work(url) as s:
        for table, k in ((Borrower, 0), (LoanContract, 1), (DebtCase, 2)):
            for chunk in _chunks(rows(k)):
                s.execute(insert(table), chunk)
        open_holds = [{"case_id": base + i, "kind": rng.choice(holds), "reason": "bench",
                       "opened_at": now} for i in rng.sample(range(count), count // 50)]
        s.execute(insert(CaseHold), open_holds)
        for table in ("borrower", "loan_contract", "debt_case"):
            s.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"))
    with unit_of_work(url) as s:
        s.connection().exec_driver_sql("ANALYZE")
    return time.perf_counter() - started


def _plan_nodes(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield node
    for child in node.get("Plans", []):
        yield from _plan_nodes(child)


def _rows_read(node: dict[str, Any]) -> int:
    kept = int(node.get("Actual Rows", 0))
    dropped = int(node.get("Rows Removed by Filter", 0)) + int(node.get("Rows Removed by Index Recheck", 0))
    return (kept + dropped) * int(node.get("Actual Loops", 1))


def explain(session: Any, stmt: Any) -> dict[str, Any]:
    """EXPLAIN ANALYZE the statement: the scans it used, and whether it read the whole case table."""
    compiled = stmt.compile(dialect=session.get_bind().dialect)
    plan = session.connection().exec_driver_sql(
        "EXPLAIN (ANALYZE, VERBOSE, FORMAT JSON) " + str(compiled), compiled.params).scalar()[0]
    nodes = list(_plan_nodes(plan["Plan"]))
    scans = sorted({f"{n['Node Type']} {n.get('Index Name') or n.get('Relation Name', '')}".strip()
                    for n in nodes if "Scan" in n["Node Type"]})
    seq = [n for n in nodes if n["Node Type"] == "Seq Scan" and n.get("Relation Name") == "debt_case"]
    # A semi-join's de-duplication is an aggregate too; a count is what a page must never run.
    counts = [n for n in nodes if n["Node Type"] == "Aggregate" and "count(" in " ".join(n.get("Output", []))]
    return {"scans": scans, "seq_scan_debt_case": bool(seq), "count": bool(counts),
            "rows_read_debt_case": sum(_rows_read(n) for n in nodes if n.get("Relation Name") == "debt_case"
                                       or "debt_case" in str(n.get("Index Name", ""))),
            "execution_ms": round(float(plan["Execution Time"]), 2)}


def _timed(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    fn()  # warm: the first run pays for plan caches and cold pages
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 2), result


def scenarios(sample: dict[str, str]) -> list[tuple[str, dict[str, str]]]:
    """(name, query parameters) of every measured list: sorts, filters, searches; a deep page is added."""
    return [
        ("first page (sort updated)", {}),
        ("sort ref", {"sort": "ref"}),
        ("sort dpd", {"sort": "dpd"}),
        ("sort amount", {"sort": "amount"}),
        ("filter stage=PHONE", {"stage": "PHONE"}),
        ("filter stage=FILED sort amount", {"stage": "FILED", "sort": "amount"}),
        ("filter dpd 90-180", {"dpd_min": "90", "dpd_max": "180"}),
        ("filter dpd >= 720", {"dpd_min": "720"}),
        ("filter amount 1000-5000", {"amount_min": "1000", "amount_max": "5000"}),
        ("filter amount >= 2500", {"amount_min": "2500", "sort": "amount"}),
        ("filter firm", {"firm": sample["firm"]}),
        ("filter firm=none", {"firm": "none"}),
        ("filter hold=any", {"hold": "any"}),
        ("filter hold=DISPUTE", {"hold": "DISPUTE"}),
        ("filter hold=none", {"hold": "none"}),
        ("search name (3 characters)", {"q": sample["name3"]}),
        ("search name (2 characters)", {"q": sample["name2"]}),
        ("search surname (1 character)", {"q": sample["name"][0]}),
        ("search pinyin name", {"q": "zhao wang"}),
        ("search contract no.", {"q": sample["contract_no"]}),
        ("search case ref", {"q": sample["ref"]}),
        ("search no hit", {"q": "zzqx-nothing"}),
        ("combined stage+dpd+amount", {"stage": "PRE_LITIGATION", "dpd_min": "30", "amount_min": "500",
                                       "sort": "amount"}),
    ]


def measure(url: str, count: int, repeat: int, *, reuse: bool = False) -> dict[str, Any]:
    os.environ["DOSSIER_DATABASE_URL"] = url
    os.environ.setdefault("DOSSIER_RATE_LIMIT_PER_ADDRESS", "100000/minute")
    from fastapi.testclient import TestClient
    from sqlalchemy import select

    from service.app import create_app
    from service.cases.models import Borrower, DebtCase, LawFirm, LoanContract
    from service.core import migrate
    from service.core.clock import today
    from service.core.db import unit_of_work
    from service.core.security import Principal
    from service.demo.seed import seed_demo, stored_credentials

    load_s = None
    if reuse:  # a database this benchmark loaded before: only new migrations are applied
        migrate.upgrade(url)
        with unit_of_work(url, write=False) as s:
            logins = stored_credentials(s, "login")
    else:
        _fresh_database(url)
        migrate.upgrade(url)
        with unit_of_work(url) as s:
            logins = seed_demo(s, anchor=today(), cases=8).logins
        load_s = round(bulk_load(url, count), 1)
        print(f"bulk load of {count} cases: {load_s} s", flush=True)
    with unit_of_work(url, write=False) as s:
        ref, name, contract_no = s.execute(
            select(DebtCase.ref, Borrower.name, LoanContract.contract_no).select_from(DebtCase)
            .join(Borrower, Borrower.id == DebtCase.borrower_id)
            .join(LoanContract, LoanContract.id == DebtCase.contract_id).where(DebtCase.ref.like("BK-%"))
            .order_by(DebtCase.id.desc()).limit(1)).one()
        three = s.scalar(select(Borrower.name).where(Borrower.name.like("___"), Borrower.id > 1000).limit(1))
        two = s.scalar(select(Borrower.name).where(Borrower.name.like("__"), Borrower.id > 1000).limit(1))
        firm = s.scalar(select(LawFirm.code).order_by(LawFirm.code).limit(1)) or ""
        total = s.scalar(select(DebtCase.id).order_by(DebtCase.id.desc()).limit(1))
    sample = {"ref": ref.lower(), "name": name, "name3": three or name, "name2": two or name,
              "contract_no": contract_no, "firm": firm}

    client = TestClient(create_app())
    _sign_in(client, "legal", logins["legal"])
    staff = Principal(actor="user:legal", role="legal_staff")
    results = []
    for label, params in scenarios(sample):
        results.append(_measure_one(url, client, staff, label, params, repeat))
    deep = _deep_page(url, client, staff, repeat)
    results.append(deep)
    return {"cases": count, "largest_case_id": total, "bulk_load_s": load_s,
            "page_size": 50, "repeat": repeat, "sample": sample, "lists": results,
            "whole_table_reads": [r["name"] for r in results if _reads_whole_table(r)],
            "known_scans": [r["name"] for r in results if r["explain"]["seq_scan_debt_case"]
                            and not _reads_whole_table(r)],
            "when": datetime.now(UTC).isoformat(timespec="seconds"), "machine": platform.platform(),
            "cpus": os.cpu_count()}


def _reads_whole_table(row: dict[str, Any]) -> bool:
    """A page that scans or counts the case table, except a search of one or two characters: a
    trigram index needs three, so PostgreSQL scans for those (documented in the results)."""
    short_search = 0 < len(row["params"].get("q", "")) < SHORTEST_INDEXED_SEARCH
    return row["explain"]["count"] or (row["explain"]["seq_scan_debt_case"] and not short_search)


def _sign_in(client: Any, username: str, password: str) -> None:
    import re

    token = re.search(r'name="csrf_token" value="([0-9a-f]{64})"', client.get("/signin").text)
    assert token, "no CSRF token on the sign-in page"
    answer = client.post("/signin", data={"username": username, "password": password, "csrf_token": token.group(1),
                                          "next": "/cases"}, follow_redirects=False)
    assert answer.status_code == 303, answer.text


def _query(params: dict[str, str], cursor: str | None = None) -> Any:
    from service.cases import search

    return search.CaseQuery(q=params.get("q", ""), stage=params.get("stage", ""),
                            dpd_min=int(params["dpd_min"]) if "dpd_min" in params else None,
                            dpd_max=int(params["dpd_max"]) if "dpd_max" in params else None,
                            amount_min=search.parse_amount(params.get("amount_min"), "amount_min"),
                            amount_max=search.parse_amount(params.get("amount_max"), "amount_max"),
                            firm=params.get("firm", ""), hold=params.get("hold", ""),
                            sort=params.get("sort", "updated"))


def _measure_one(url: str, client: Any, staff: Any, label: str, params: dict[str, str], repeat: int,
                 cursor: str | None = None) -> dict[str, Any]:
    from sqlalchemy import select

    from service.cases import search
    from service.cases.models import LawFirm
    from service.core.clock import today
    from service.core.db import unit_of_work

    query = _query(params)
    with unit_of_work(url, write=False) as s:
        def run() -> Any:
            return search.search(s, staff, query, today=today(), cursor=cursor, limit=50)

        query_ms, page = _timed(run, repeat)
        firm_id = s.scalar(select(LawFirm.id).where(LawFirm.code == query.firm)) if query.firm not in ("", "none") \
            else None
        after = search.decode_cursor(cursor) if cursor else None
        plan = explain(s, search.search_query(staff, query, today(), firm_id, after).limit(51))
    http_params = dict(params, **({"cursor": cursor} if cursor else {}))

    def get() -> Any:
        answer = client.get("/cases", params=http_params)
        assert answer.status_code == 200, (label, answer.status_code, answer.text[:300])
        return answer

    page_ms, _ = _timed(get, repeat)
    row = {"name": label, "params": http_params, "rows": len(page.rows), "more": page.next_cursor is not None,
           "query_ms": query_ms, "page_ms": page_ms, "explain": plan}
    print(f"{label:<34} rows {len(page.rows):>3}  query {query_ms:>8.1f} ms  page {page_ms:>8.1f} ms  "
          f"read {plan['rows_read_debt_case']:>6}  {'SEQ SCAN ' if plan['seq_scan_debt_case'] else ''}"
          f"{'COUNT ' if plan['count'] else ''}"
          f"{', '.join(plan['scans'])}", flush=True)
    return row


def _deep_page(url: str, client: Any, staff: Any, repeat: int, depth: int = 40) -> dict[str, Any]:
    """The cursor of page `depth` (2,000 rows in), reached by following next cursors."""
    from service.cases import search
    from service.core.clock import today
    from service.core.db import unit_of_work

    cursor = None
    with unit_of_work(url, write=False) as s:
        for _ in range(depth - 1):
            cursor = search.search(s, staff, _query({}), today=today(), cursor=cursor, limit=50).next_cursor
    return _measure_one(url, client, staff, f"deep page {depth} (cursor)", {}, repeat, cursor=cursor)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_caselist")
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--reuse", action="store_true", help="measure the database a previous run loaded")
    args = parser.parse_args(argv)
    url = os.environ.get("DOSSIER_BENCH_DATABASE_URL", DEFAULT_URL)
    if not url.startswith("postgresql"):
        print("the case-list benchmark needs PostgreSQL (DOSSIER_BENCH_DATABASE_URL)", file=sys.stderr)
        return 2
    result = measure(url, args.cases, args.repeat, reuse=args.reuse)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    print(f"results in {RESULTS.relative_to(ROOT)}")
    if result["whole_table_reads"]:
        print("read the whole case table:", ", ".join(result["whole_table_reads"]), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
