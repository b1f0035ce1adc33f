"""The demo seed, run once per set of arguments and copied into each test that asks for it again.

Most tests here read a seeded demo (18 to 50 cases, with their notices rendered and evidence
uploaded); seeding it is 10 to 40 s of CPU, and these ~100 tests seeded it ~100 times: the larger
part of the suite's time. `seed_demo` here runs the real seed once per arguments, into a database
file of its own with the test's settings (so its stored files land in the suite's store), then
copies the rows it wrote into the test's database, as they are, inside the test's transaction
(rolled back after the test like any other row). The seed is deterministic for its arguments but
for its random credentials (`SeedResult.keys`, returned with the rows that hash them), so a copy is
what a seeding in that test would have written.

It copies only where that holds: on SQLite (a PostgreSQL run seeds for real), into a database
in its freshly migrated state (a test that wrote rows before seeding seeds for real), with the
service's own clock. tests/demo/test_seed.py tests the seed itself and imports the real one;
test_seeded.py compares a copy with a real seeding.
"""

import copy
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.orm import Session

import service.demo.delivery
import service.demo.seed
from service.core import clock
from service.core.db import Base, make_engine
from service.core.migrate import upgrade
from service.demo.seed import SeedResult
from service.demo.seed import seed_demo as real_seed_demo

Rows = dict[str, list[tuple[Any, ...]]]

_DIR: Path | None = None
_BASELINE: Rows | None = None  # every table's rows in a freshly migrated database
_SEEDED: dict[tuple[Any, ...], tuple[Rows, SeedResult]] = {}


def seed_demo(session: Session, *, anchor: date, **options: Any) -> SeedResult:
    """`service.demo.seed.seed_demo`, copied from its first run with the same arguments."""
    real_clock = service.demo.seed.utcnow is clock.utcnow and service.demo.delivery.utcnow is clock.utcnow
    if session.get_bind().dialect.name != "sqlite" or not real_clock:
        return real_seed_demo(session, anchor=anchor, **options)
    session.flush()
    conn = session.connection()
    baseline = _baseline()
    if _rows(conn) != baseline:
        return real_seed_demo(session, anchor=anchor, **options)
    settings = options.get("settings")
    key = (anchor, clock.utcnow().date(), settings.storage_dir if settings else None,
           tuple(sorted((name, repr(value)) for name, value in options.items() if name != "settings")))
    if key not in _SEEDED:
        _SEEDED[key] = _seed_once(anchor, options)
    rows, result = _SEEDED[key]
    for table in _insert_order(rows):
        if rows[table] == baseline.get(table, []):
            continue
        if baseline.get(table):  # a row the migrations wrote and the seed changed (the audit head)
            conn.exec_driver_sql(f'DELETE FROM "{table}"')
        marks = ", ".join("?" * len(rows[table][0]))
        conn.exec_driver_sql(f'INSERT INTO "{table}" VALUES ({marks})', rows[table])
    return copy.deepcopy(result)


def _seed_once(anchor: date, options: dict[str, Any]) -> tuple[Rows, SeedResult]:
    global _DIR
    _DIR = _DIR or Path(tempfile.mkdtemp(prefix="dossier-seeded-"))
    path = _DIR / f"seed{len(_SEEDED)}.db"
    upgrade(f"sqlite:///{path}")
    engine = make_engine(f"sqlite:///{path}")
    try:
        with Session(engine) as session:
            result = real_seed_demo(session, anchor=anchor, **options)
            session.commit()
        with engine.connect() as conn:
            return _rows(conn), result
    finally:
        engine.dispose()
        path.unlink(missing_ok=True)


def _baseline() -> Rows:
    global _DIR, _BASELINE
    if _BASELINE is None:
        _DIR = _DIR or Path(tempfile.mkdtemp(prefix="dossier-seeded-"))
        path = _DIR / "migrated.db"
        upgrade(f"sqlite:///{path}")
        engine = make_engine(f"sqlite:///{path}")
        with engine.connect() as conn:
            _BASELINE = _rows(conn)
        engine.dispose()
        path.unlink(missing_ok=True)
    return _BASELINE


def _rows(conn: Connection) -> Rows:
    """Every table's rows, as the driver gives them (no type conversion either way), in rowid order."""
    names = [name for (name,) in conn.exec_driver_sql(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    return {name: [tuple(row) for row in conn.exec_driver_sql(f'SELECT * FROM "{name}" ORDER BY rowid')]
            for name in names}


def _insert_order(rows: Rows) -> list[str]:
    """Parents before children (the tables' foreign keys), then anything the models do not map."""
    mapped = [table.name for table in Base.metadata.sorted_tables if table.name in rows]
    return mapped + sorted(set(rows) - set(mapped))
