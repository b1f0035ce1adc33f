"""Shared fixtures: a real database built by the migrations, one rolled-back transaction per test.

The database is SQLite in a temporary directory by default; when DOSSIER_DATABASE_URL names a
PostgreSQL database the same suite runs there (its schema is dropped and rebuilt first).
"""

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import hypothesis
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

import service.models  # noqa: F401  (every table mapped, the audit trail installed)
from service.access.service import create_api_key
from service.core.db import make_engine
from service.core.migrate import upgrade
from service.core.settings import Settings
from tests.factories import import_case
from tests.live import fresh_postgresql_database

# No timing in tests: hypothesis's per-example deadline (200 ms) fails a slow example on a busy
# machine, and so does its too_slow health check (data generation timed against a fixed limit).
hypothesis.settings.register_profile("dossier", deadline=None,
                                     suppress_health_check=[hypothesis.HealthCheck.too_slow])
hypothesis.settings.load_profile("dossier")

# This run's own Celery queue: two runs sharing the broker (the SQLite and the PostgreSQL suite side
# by side) must not take each other's jobs. Workers the tests start inherit it through os.environ.
# Under pytest-xdist (`make test` runs two processes) each process is such a run: its own queue,
# its own PostgreSQL database and its own Redis database for the shared rate limits.
XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
if XDIST_WORKER:
    os.environ["DOSSIER_CELERY_QUEUE"] = f"dossier-test-{uuid.uuid4().hex[:12]}"
    # xdist starts its workers with COLUMNS=80, which rich's console (service.cli) takes as a fixed
    # width when it is made; the CLI tests give each invocation its own COLUMNS instead
    os.environ.pop("COLUMNS", None)
else:
    os.environ.setdefault("DOSSIER_CELERY_QUEUE", f"dossier-test-{uuid.uuid4().hex[:12]}")


def _worker_resources(worker: str) -> None:
    """Point this xdist worker's PostgreSQL suite (if any) and shared-limits Redis at its own."""
    number = int(worker.removeprefix("gw") or 0)
    os.environ.setdefault("DOSSIER_TEST_LIMITS_URL", f"async+redis://127.0.0.1:6379/{13 - number % 12}")
    suite_url = os.environ.get("DOSSIER_DATABASE_URL", "")
    if suite_url.startswith("postgresql"):
        os.environ["DOSSIER_DATABASE_URL"] = fresh_postgresql_database(suite_url, worker)


if XDIST_WORKER:
    _worker_resources(XDIST_WORKER)


def _database_url(tmp: Path) -> str:
    url = os.environ.get("DOSSIER_DATABASE_URL", "")
    return url if url.startswith("postgresql") else f"sqlite:///{tmp / 'test.db'}"


@pytest.fixture(scope="session")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    tmp = tmp_path_factory.mktemp("dossier")
    return Settings(database_url=_database_url(tmp), storage_dir=tmp / "store")


@pytest.fixture(scope="session")
def engine(settings: Settings) -> Iterator[Engine]:
    engine = make_engine(settings.database_url)
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    upgrade(settings.database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def db(engine: Engine) -> Iterator[Session]:
    """A session inside a transaction that is rolled back after the test; services may flush
    and even commit (to a savepoint) without leaving anything behind."""
    with engine.connect() as conn:
        trans = conn.begin()
        session = Session(bind=conn, join_transaction_mode="create_savepoint", expire_on_commit=False)
        try:
            yield session
        finally:
            session.close()
            trans.rollback()


@pytest.fixture
def app(settings: Settings, db: Session):  # type: ignore[no-untyped-def]
    from service.app import create_app
    from service.core.deps import get_session

    application = create_app(settings)

    def _session() -> Iterator[Session]:
        yield db
        db.flush()

    application.dependency_overrides[get_session] = _session
    return application


@pytest.fixture
def client(app) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    with TestClient(app, raise_server_exceptions=True) as c:
        yield c


@pytest.fixture
def keys(db: Session) -> dict[str, str]:
    from service.cases.models import LawFirm

    firm = LawFirm(code="TFIRM", name="测试律师事务所")
    other = LawFirm(code="OFIRM", name="另一律师事务所")
    db.add_all([firm, other])
    db.flush()
    return {role: create_api_key(db, role=role, law_firm_id=firm.id if role == "law_firm" else None)
            for role in ("admin", "legal_staff", "collector", "law_firm")}


def auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


@pytest.fixture
def case(db: Session):  # type: ignore[no-untyped-def]
    return import_case(db)


@pytest.fixture
def run(db: Session, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """The CLI (``dossier ARGS…``) on the test's own transaction: run("lawfirm", "list")."""
    from contextlib import contextmanager
    from typing import Any

    from typer.testing import CliRunner

    from service.cli import app as cli

    @contextmanager
    def unit_of_work(url: str, **_: Any) -> Iterator[Session]:
        yield db

    monkeypatch.setattr("service.core.db.unit_of_work", unit_of_work)
    return lambda *args: CliRunner().invoke(cli, list(args), env={"COLUMNS": "200"})
