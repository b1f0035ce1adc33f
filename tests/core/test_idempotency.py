"""Idempotency-Key: a retried POST replays the first answer and writes nothing twice.

The middleware keeps its records in their own transactions, so these tests use a real,
committed database of their own rather than the rolled-back test session.
"""

from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from service.access.service import create_api_key
from service.app import create_app
from service.cases.models import Payment
from service.core.db import unit_of_work
from service.core.migrate import upgrade
from service.core.settings import Settings
from tests.conftest import auth
from tests.factories import import_case
from tests.live import wait_until


@pytest.fixture
def committed(tmp_path):
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'idem.db'}", storage_dir=tmp_path / "store")
    upgrade(settings.database_url)
    with unit_of_work(settings.database_url) as s:
        key = create_api_key(s, role="collector")
        ref = import_case(s).ref
    return settings, key, ref


def test_retry_replays_and_does_not_pay_twice(committed):
    settings, key, ref = committed
    headers = {**auth(key), "Idempotency-Key": "pay-001"}
    body = {"value_date": "2025-04-01", "amount": "250.00"}
    with TestClient(create_app(settings)) as client:
        first = client.post(f"/v1/cases/{ref}/payments", json=body, headers=headers)
        second = client.post(f"/v1/cases/{ref}/payments", json=body, headers=headers)
        other = client.post(f"/v1/cases/{ref}/payments", json={**body, "amount": "9.00"}, headers=headers)
    assert first.status_code == second.status_code == 201
    assert second.json() == first.json() and second.headers["idempotent-replay"] == "true"
    assert other.status_code == 422
    with unit_of_work(settings.database_url) as s:
        amounts = list(s.scalars(select(Payment.amount).where(Payment.amount == Decimal("250.00"))))
        assert len(amounts) == 1


def test_failed_request_frees_the_key(committed):
    settings, key, ref = committed
    headers = {**auth(key), "Idempotency-Key": "pay-002"}
    with TestClient(create_app(settings)) as client:
        bad = client.post(f"/v1/cases/{ref}/payments", json={"value_date": "2099-01-01", "amount": "1.00"},
                          headers=headers)
        good = client.post(f"/v1/cases/{ref}/payments", json={"value_date": "2025-04-02", "amount": "1.00"},
                           headers=headers)
    assert bad.status_code == 422 and good.status_code == 201
    with unit_of_work(settings.database_url) as s:
        assert s.scalar(select(func.count()).select_from(Payment).where(Payment.amount == Decimal("1.00"))) == 1


def test_readyz_reports_database_and_migrations(committed):
    settings, _, _ = committed
    with TestClient(create_app(settings)) as client:
        r = client.get("/readyz")
    assert r.status_code == 200 and r.json() == {"status": "ready", "database": "ok", "migrations": "current"}


def test_readyz_not_ready_before_migrations(tmp_path):
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'empty.db'}")
    with TestClient(create_app(settings)) as client:
        r = client.get("/readyz")
    assert r.status_code == 503 and r.json()["migrations"] == "behind"


def _running(function: str) -> bool:
    """Some thread of this process is inside `function` now."""
    import sys

    for frame in sys._current_frames().values():
        while frame is not None:
            if frame.f_code.co_name == function:
                return True
            frame = frame.f_back  # type: ignore[assignment]
    return False


def _principal(key: str) -> str:
    import hashlib

    return hashlib.sha256(f"apikey:{key.split('.')[0]}".encode()).hexdigest()[:40]


def test_a_revoked_key_gets_no_replay(committed):
    from service.access.models import ApiKey
    from service.core.clock import utcnow

    settings, key, ref = committed
    headers = {**auth(key), "Idempotency-Key": "pay-revoked"}
    body = {"value_date": "2025-04-03", "amount": "3.00"}
    with TestClient(create_app(settings)) as client:
        assert client.post(f"/v1/cases/{ref}/payments", json=body, headers=headers).status_code == 201
        with unit_of_work(settings.database_url) as s:
            s.scalar(select(ApiKey).where(ApiKey.prefix == key.split(".")[0])).revoked_at = utcnow()
        again = client.post(f"/v1/cases/{ref}/payments", json=body, headers=headers)
    assert again.status_code == 401 and "idempotent-replay" not in again.headers


def test_the_key_of_a_request_that_died_is_taken_over_after_its_lease(committed):
    from datetime import timedelta

    from service.core.clock import utcnow
    from service.core.idempotency import PENDING, IdempotencyRecord

    settings, key, ref = committed
    with unit_of_work(settings.database_url) as s:  # what a killed server leaves behind
        s.add(IdempotencyRecord(key="pay-dead", principal=_principal(key), method_path=f"POST /v1/cases/{ref}/payments",
                                request_hash="", status_code=PENDING, response_body="", token="dead",
                                created_at=utcnow() - timedelta(seconds=settings.idempotency_lease_seconds + 1)))
        s.add(IdempotencyRecord(key="pay-live", principal=_principal(key), method_path=f"POST /v1/cases/{ref}/payments",
                                request_hash="", status_code=PENDING, response_body="", token="live",
                                created_at=utcnow()))
    headers = {**auth(key), "Idempotency-Key": "pay-dead"}
    body = {"value_date": "2025-04-04", "amount": "4.00"}
    with TestClient(create_app(settings)) as client:
        retried = client.post(f"/v1/cases/{ref}/payments", json=body, headers=headers)
        replayed = client.post(f"/v1/cases/{ref}/payments", json=body, headers=headers)
        running = client.post(f"/v1/cases/{ref}/payments", json=body,
                              headers={**headers, "Idempotency-Key": "pay-live"})
    assert retried.status_code == 201 and replayed.headers["idempotent-replay"] == "true"
    assert running.status_code == 409 and running.headers["retry-after"]
    with unit_of_work(settings.database_url) as s:
        assert s.scalar(select(func.count()).select_from(Payment).where(Payment.amount == Decimal("4.00"))) == 1


def test_a_request_that_outlived_its_lease_does_not_commit(committed):
    """If a retry took the key over, the slow first request's fence fails and it rolls back."""
    from sqlalchemy import update

    from service.core.clock import utcnow
    from service.core.errors import Conflict
    from service.core.idempotency import PENDING, Claim, IdempotencyRecord, fence

    settings, _, _ = committed
    with unit_of_work(settings.database_url) as s:
        s.add(IdempotencyRecord(key="k", principal="p", method_path="POST /x", request_hash="", status_code=PENDING,
                                response_body="", token="first", created_at=utcnow()))
    with unit_of_work(settings.database_url) as s:
        s.execute(update(IdempotencyRecord).values(token="retry"))
    with pytest.raises(Conflict), unit_of_work(settings.database_url) as s:
        fence(s, Claim("p", "k", "first"))
    with unit_of_work(settings.database_url) as s:
        fence(s, Claim("p", "k", "retry"))


def test_an_overlong_idempotency_key_is_refused_by_name(committed):
    settings, key, ref = committed
    with TestClient(create_app(settings)) as client:
        r = client.post(f"/v1/cases/{ref}/payments", json={"value_date": "2025-04-05", "amount": "5.00"},
                        headers={**auth(key), "Idempotency-Key": "k" * 201})
    assert r.status_code == 422 and "Idempotency-Key" in r.json()["detail"]
    assert r.headers["content-type"] == "application/problem+json"


def test_the_server_answers_while_an_idempotent_request_waits_for_the_database(committed):
    """The middleware's database calls run in worker threads: while one waits for SQLite's write
    lock, /healthz still answers."""
    import sqlite3
    import threading

    settings, key, ref = committed
    if not settings.database_url.startswith("sqlite"):
        pytest.skip("SQLite's write lock")
    holder = sqlite3.connect(settings.database_url.split("///", 1)[1], isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process holding the write lock
    result: dict[str, int] = {}
    with TestClient(create_app(settings)) as client:
        def pay() -> None:
            result["status"] = client.post(f"/v1/cases/{ref}/payments", json={"value_date": "2025-04-06",
                                           "amount": "6.00"}, headers={**auth(key), "Idempotency-Key": "wait"}
                                           ).status_code

        waiting = threading.Thread(target=pay)
        waiting.start()
        try:
            wait_until(lambda: _running("_reserve"), "the idempotent request to wait for the write lock")
            assert client.get("/healthz").status_code == 200
            assert _running("_reserve") and "status" not in result  # answered while the request still waits
        finally:
            holder.execute("ROLLBACK")
            holder.close()
            waiting.join()
    assert result["status"] == 201
