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
