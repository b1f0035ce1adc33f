"""Migrations run on a database that holds cases, as a small lender's SQLite file does.

On SQLite a batch operation that drops a column copies the table and drops the old one; with
foreign keys on (service.core.db turns them on for every connection) dropping a table that other
rows refer to failed: `dossier db upgrade` to 0026 stopped at "DROP TABLE law_firm" on a seeded
database, and the downgrade of 0028 at "DROP TABLE repayment_plan", though both passed on an
empty one. The migrations now run with foreign keys off and check them before they commit.

The same round trip runs on PostgreSQL when the suite does (DOSSIER_DATABASE_URL names one), in a
database of its own beside the suite's: a lender moving to PostgreSQL migrates a populated database
too, and there the foreign keys are always enforced."""

import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from sqlalchemy.engine import make_url

from service.core.db import make_engine, unit_of_work
from service.core.migrate import alembic_config, upgrade
from service.core.settings import Settings
from service.demo.seed import seed_demo

TABLES = ("lender", "law_firm", "borrower", "debt_case", "repayment_plan", "communication", "generated_document")


def _counts(url: str) -> dict[str, int]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            if engine.dialect.name == "sqlite":
                assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1  # on again for the service
                assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []
            return {t: conn.execute(sa.text(f"SELECT count(*) FROM {t}")).scalar_one() for t in TABLES}
    finally:
        engine.dispose()


def _round_trip(url: str, store: Path) -> None:
    upgrade(url)
    with unit_of_work(url) as session:
        seed_demo(session, anchor=date(2026, 12, 6), cases=12, court_sets=False,
                  settings=Settings(database_url=url, storage_dir=store))
    seeded = _counts(url)
    assert seeded["law_firm"] and seeded["repayment_plan"] and seeded["debt_case"]
    command.downgrade(alembic_config(url), "0025")  # past 0028 (repayment_plan) and 0026 (law_firm)
    upgrade(url)
    assert _counts(url) == seeded


def test_a_seeded_sqlite_database_migrates_down_and_up_again_with_its_rows(tmp_path):
    _round_trip(f"sqlite:///{tmp_path / 'demo.db'}", tmp_path / "store")


@pytest.fixture
def own_pg_database() -> Iterator[str]:
    """A database of this test's own on the suite's PostgreSQL server, dropped afterwards."""
    suite = os.environ.get("DOSSIER_DATABASE_URL", "")
    if not suite.startswith("postgresql"):
        pytest.skip("the suite runs on SQLite (DOSSIER_DATABASE_URL names no PostgreSQL database)")
    target = make_url(suite)
    target = target.set(database=f"{target.database}_migrations")
    admin = sa.create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
            conn.execute(sa.text(f'CREATE DATABASE "{target.database}"'))
        yield target.render_as_string(hide_password=False)
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
    finally:
        admin.dispose()


def test_a_seeded_postgresql_database_migrates_down_and_up_again_with_its_rows(own_pg_database, tmp_path):
    _round_trip(own_pg_database, tmp_path / "store")
