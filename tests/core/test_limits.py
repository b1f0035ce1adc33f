"""Limits (issue 9, part 5): body sizes checked before a body is read, rate limits per key and
per address with Retry-After, lock-out after repeated bad keys."""

import asyncio
import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.cases.models import Payment
from service.core.settings import Settings
from tests.conftest import auth
from tests.packets.test_evidence_api import META, pdf_bytes

PROBLEM = "application/problem+json"


@pytest.fixture
def make_client(settings: Settings, db: Session) -> Iterator[Callable[..., TestClient]]:
    """A client of an app built with some settings changed (limits made small enough to reach)."""
    from service.app import create_app
    from service.core.deps import get_session

    opened: list[TestClient] = []

    def make(**changes: Any) -> TestClient:
        app = create_app(settings.model_copy(update=changes))

        def _session() -> Iterator[Session]:
            yield db
            db.flush()

        app.dependency_overrides[get_session] = _session
        client = TestClient(app, raise_server_exceptions=False)
        opened.append(client.__enter__())
        return client

    yield make
    for client in opened:
        client.__exit__(None, None, None)


def _payments(db: Session) -> int:
    return int(db.scalar(select(func.count()).select_from(Payment)) or 0)


def _call(app: FastAPI, method: str, path: str, headers: dict[str, str], chunks: list[bytes]
          ) -> tuple[int, dict[str, str], bytes, int]:
    """Drive the ASGI app directly: (status, headers, body, body chunks the app asked for)."""
    asked = 0
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        nonlocal asked
        asked += 1
        if asked <= len(chunks):
            return {"type": "http.request", "body": chunks[asked - 1], "more_body": asked < len(chunks)}
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method, "path": path,
             "raw_path": path.encode(), "root_path": "", "scheme": "http", "query_string": b"",
             "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
             "client": ("203.0.113.9", 50000), "server": ("testserver", 80)}
    asyncio.run(app(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], {k.decode(): v.decode() for k, v in start["headers"]}, body, asked


def test_declared_oversized_body_is_413_before_a_byte_is_read(app, keys, case, db):
    size = 100 * 1024 * 1024
    status, headers, body, asked = _call(app, "POST", f"/v1/cases/{case.ref}/payments",
                                         {**auth(keys["collector"]), "content-type": "application/json",
                                          "content-length": str(size)}, [b"{" * 1024])
    assert status == 413 and headers["content-type"] == PROBLEM
    assert json.loads(body)["status"] == 413 and "limit" in json.loads(body)["detail"]
    assert asked == 0


def test_unauthenticated_body_is_refused_unread(app, case):
    status, headers, _, asked = _call(app, "POST", f"/v1/cases/{case.ref}/evidence",
                                      {"content-type": "multipart/form-data; boundary=x",
                                       "content-length": str(40 * 1024 * 1024)}, [b"x" * 1024])
    assert status == 401 and headers["www-authenticate"].startswith("Bearer") and asked == 0


def test_streamed_body_past_the_limit_is_413_and_stores_nothing(make_client, keys, case, db):
    client = make_client(max_body_bytes=4096)
    before = _payments(db)

    def chunks() -> Iterator[bytes]:  # no Content-Length: the limit is counted as the body arrives
        yield b'{"value_date": "2025-03-01", "amount": "100.00", "note": "'
        for _ in range(10):
            yield b"x" * 1000
        yield b'"}'

    r = client.post(f"/v1/cases/{case.ref}/payments", content=chunks(),
                    headers={**auth(keys["collector"]), "content-type": "application/json"})
    assert r.status_code == 413 and r.headers["content-type"] == PROBLEM, r.text
    assert _payments(db) == before


def test_a_100mb_note_is_refused_and_a_long_one_named(make_client, keys, case, db):
    client = make_client()
    before = _payments(db)
    url, headers = f"/v1/cases/{case.ref}/payments", auth(keys["collector"])
    r = client.post(url, headers=headers, json={"value_date": "2025-03-01", "amount": "100.00",
                                                 "note": "x" * (3 * 1024 * 1024)})
    assert r.status_code == 413 and r.headers["content-type"] == PROBLEM
    r = client.post(url, headers=headers, json={"value_date": "2025-03-01", "amount": "100.00", "note": "x" * 4001})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "note"
    assert _payments(db) == before


def test_uploads_keep_their_own_limit(make_client, keys, case):
    client = make_client(max_body_bytes=1024)
    data = pdf_bytes(pages=40)
    assert len(data) > 1024
    r = client.post(f"/v1/cases/{case.ref}/evidence", headers=auth(keys["collector"]), data=META,
                    files={"file": ("big.pdf", data, "application/pdf")})
    assert r.status_code == 201, r.text


def test_rate_limit_per_key_answers_429_with_retry_after(make_client, keys, case):
    client = make_client(rate_limit_per_key="3/minute")
    url = f"/v1/cases/{case.ref}"
    assert [client.get(url, headers=auth(keys["admin"])).status_code for _ in range(3)] == [200] * 3
    r = client.get(url, headers=auth(keys["admin"]))
    assert r.status_code == 429 and r.headers["content-type"] == PROBLEM
    assert 1 <= int(r.headers["retry-after"]) <= 60
    assert client.get(url, headers=auth(keys["legal_staff"])).status_code == 200  # another key is not held up


def test_rate_limit_per_address(make_client, keys, case):
    client = make_client(rate_limit_per_address="4/minute")
    codes = [client.get(f"/v1/cases/{case.ref}", headers=auth(keys[k])).status_code
             for k in ("admin", "legal_staff", "collector", "admin", "legal_staff")]
    assert codes == [200, 200, 200, 200, 429]
    assert client.get("/healthz").status_code == 200  # probes are not counted, nor held up


def test_repeated_bad_keys_lock_the_address_out(make_client, keys, case):
    client = make_client(auth_failure_limit="5/15 minutes")
    url = f"/v1/cases/{case.ref}"
    for n in range(5):
        assert client.get(url, headers=auth(f"dsk_guess{n}.wrong")).status_code == 401
    r = client.get(url, headers=auth(keys["admin"]))  # even a good key, from this address, waits
    assert r.status_code == 429 and "bad API key" in r.json()["detail"]
    assert 60 < int(r.headers["retry-after"]) <= 15 * 60


def test_jobs_per_key_are_limited(make_client, keys, case, db):
    from service.jobs.models import Job

    client = make_client(max_active_jobs_per_key=2)
    accepted = [client.post("/v1/audit/verify", headers=auth(keys["legal_staff"])) for _ in range(2)]
    assert [r.status_code for r in accepted] == [202, 202]
    before = db.scalar(select(func.count()).select_from(Job))
    r = client.post("/v1/audit/verify", headers=auth(keys["legal_staff"]))
    assert r.status_code == 429 and r.headers["content-type"] == PROBLEM and int(r.headers["retry-after"]) > 0
    assert "2 jobs" in r.json()["detail"]
    assert db.scalar(select(func.count()).select_from(Job)) == before  # nothing queued
    assert client.post("/v1/audit/verify", headers=auth(keys["admin"])).status_code == 202  # another key is free
    db.get(Job, accepted[0].json()["job"]).status = "done"  # type: ignore[union-attr]
    db.flush()
    assert client.post("/v1/audit/verify", headers=auth(keys["legal_staff"])).status_code == 202


def test_streamed_body_past_the_limit_read_by_a_middleware_is_413(tmp_path):
    """The idempotency middleware reads a replayed body itself (to compare it with the first one):
    the limit holds there too. A committed database: the middleware writes in its own transactions."""
    from service.access.service import create_api_key
    from service.app import create_app
    from service.core.db import unit_of_work
    from service.core.migrate import upgrade
    from tests.factories import import_case

    settings = Settings(database_url=f"sqlite:///{tmp_path / 'l.db'}", storage_dir=tmp_path / "store",
                        max_body_bytes=4096)
    upgrade(settings.database_url)
    with unit_of_work(settings.database_url) as s:
        key, ref = create_api_key(s, role="collector"), import_case(s).ref
    url = f"/v1/cases/{ref}/payments"
    headers = {**auth(key), "content-type": "application/json", "Idempotency-Key": "k-1"}

    def chunks() -> Iterator[bytes]:
        yield b'{"value_date": "2025-03-01", "amount": "100.00", "note": "'
        yield b"x" * 8000
        yield b'"}'

    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        first = client.post(url, headers=headers, json={"value_date": "2025-03-01", "amount": "100.00"})
        assert first.status_code == 201, first.text
        r = client.post(url, content=chunks(), headers=headers)
    assert r.status_code == 413 and r.headers["content-type"] == PROBLEM, r.text


def test_several_server_processes_need_a_shared_rate_limit_store(monkeypatch):
    """Each process would count only its own requests: N processes would let N times the limits
    (and the bad-key lock-out) through. `serve --workers 2` on the in-memory store is refused,
    naming the setting, before anything starts."""
    from typer.testing import CliRunner

    from service.cli import app as cli

    monkeypatch.setenv("DOSSIER_RATE_LIMIT_STORAGE", "async+memory://")
    result = CliRunner().invoke(cli, ["serve", "--workers", "2", "--port", "1"])
    assert result.exit_code == 2
    assert "DOSSIER_RATE_LIMIT_STORAGE" in result.output and "--workers" in result.output
