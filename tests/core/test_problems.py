"""Every error is problem+json and none leaks internals (issue 9, part 6).

Each request here answered a 500 in plain text before: extreme dates, a 39-digit limit, a NUL
byte, an over-long Idempotency-Key, a missing stored file.
"""

import logging

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from service.audit import service as audit
from service.cases.models import Communication
from service.core.storage import get_store
from tests.conftest import auth

PROBLEM = "application/problem+json"


@pytest.fixture
def rclient(app):  # type: ignore[no-untyped-def]
    """A client that returns the server's 500 instead of raising it, as a real client sees it."""
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def _problem(r, status: int, field: str | None = None) -> dict:  # type: ignore[no-untyped-def, type-arg]
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == PROBLEM
    body = r.json()
    assert {"type", "title", "status", "detail"} <= set(body) and body["status"] == status
    if field is not None:
        assert field in [e["field"] for e in body["errors"]], body
    return body


@pytest.mark.parametrize("path", ["", "/claim"])
@pytest.mark.parametrize("as_of", ["1970-01-01", "9999-12-31", "0001-01-01"])
def test_extreme_as_of_is_422_naming_it(rclient, keys, case, path, as_of):
    r = rclient.get(f"/v1/cases/{case.ref}{path}?as_of={as_of}", headers=auth(keys["legal_staff"]))
    _problem(r, 422, "as_of")


def test_as_of_a_year_ahead_is_a_projection_but_no_further(rclient, keys, case):
    from datetime import timedelta

    from service.core.clock import today

    ahead = today() + timedelta(days=300)
    assert rclient.get(f"/v1/cases/{case.ref}/claim?as_of={ahead}", headers=auth(keys["admin"])).status_code == 200
    r = rclient.get(f"/v1/cases/{case.ref}/claim?as_of={ahead + timedelta(days=100)}", headers=auth(keys["admin"]))
    assert "after today" in _problem(r, 422, "as_of")["detail"]


@pytest.mark.parametrize("sent_at", ["0001-01-01T00:00:00+23:59", "9999-12-31T23:59:59-23:59",
                                     "1800-06-01T10:00:00+08:00", "2026-11-20T10:00:00"])
def test_sent_at_out_of_range_is_422_and_records_nothing(rclient, keys, case, db, sent_at):
    before = db.scalar(select(func.count()).select_from(Communication))
    r = rclient.post(f"/v1/cases/{case.ref}/communications", headers=auth(keys["collector"]),
                     json={"channel": "call", "to_address": "13800138000", "sent_at": sent_at, "outcome": "no_answer"})
    _problem(r, 422, "sent_at")
    assert db.scalar(select(func.count()).select_from(Communication)) == before


@pytest.mark.parametrize("url", ["/v1/audit?limit=-1", "/v1/audit?limit=0", "/v1/audit?limit=1001",
                                 "/v1/audit?limit=123456789012345678901234567890123456789",
                                 "/v1/cases?limit=123456789012345678901234567890123456789"])
def test_limit_is_bounded(rclient, keys, case, url):
    _problem(rclient.get(url, headers=auth(keys["admin"])), 422, "limit")


def test_audit_limit_within_bounds_is_honoured(rclient, keys, case, db):
    for n in range(3):
        audit.record(db, actor="test", action=f"probe.{n}", object_type="x", object_id=str(n))
    r = rclient.get("/v1/audit?limit=2", headers=auth(keys["admin"]))
    assert r.status_code == 200 and len(r.json()) == 2


@pytest.mark.parametrize("url", ["/v1/cases?q=a%00b", "/v1/cases/{ref}?as_of=%00", "/v1/audit?case_ref=X%00Y",
                                 "/v1/cases/A%00B"])
def test_nul_in_path_or_query_is_422(rclient, keys, case, url):
    r = rclient.get(url.format(ref=case.ref), headers=auth(keys["admin"]))
    assert "U+0000" in _problem(r, 422)["detail"]


def test_nul_in_body_is_422_naming_the_field(rclient, keys, case):
    r = rclient.post(f"/v1/cases/{case.ref}/payments", headers=auth(keys["collector"]),
                     json={"value_date": "2025-03-01", "amount": "100.00", "note": "paid\x00in cash"})
    assert "U+0000" in _problem(r, 422, "note")["detail"]


ROW_ID_ROUTES = [("GET", "/v1/cases/{ref}/evidence/{id}/content", "item_id", "legal_staff"),
                 ("POST", "/v1/cases/{ref}/communications/{id}/delivered", "communication_id", "collector"),
                 ("DELETE", "/v1/apikeys/{id}", "key_id", "admin"),
                 ("GET", "/v1/webhooks/endpoints/{id}", "endpoint_id", "collector"),
                 ("POST", "/v1/webhooks/deliveries/{id}/replay", "delivery_id", "collector"),
                 ("PATCH", "/v1/law-firms/{id}", "firm_id", "admin")]


@pytest.mark.parametrize(("method", "url", "name", "role"), ROW_ID_ROUTES)
@pytest.mark.parametrize("row_id", ["99999999999999999999", "2147483648", "0"])
def test_an_id_past_the_column_range_is_422_not_a_database_error(rclient, keys, case, method, url, name, role,
                                                                 row_id):
    r = rclient.request(method, url.format(ref=case.ref, id=row_id), headers=auth(keys[role]))
    _problem(r, 422, name)


def test_every_integer_path_parameter_is_a_row_id_in_range(app):
    """core.params.RowId on every route: the OpenAPI bounds of each integer path parameter."""
    bounds = {(path, p["name"]): (p["schema"].get("minimum"), p["schema"].get("maximum"))
              for path, ops in app.openapi()["paths"].items() for op in ops.values()
              for p in op.get("parameters", []) if p["in"] == "path" and p["schema"].get("type") == "integer"}
    assert len(bounds) >= 7
    assert {k: v for k, v in bounds.items() if v != (1, 2**31 - 1)} == {}


def test_over_long_idempotency_key_is_422(rclient, keys, case):
    r = rclient.post(f"/v1/cases/{case.ref}/payments", json={"value_date": "2025-03-01", "amount": "100.00"},
                     headers={**auth(keys["collector"]), "Idempotency-Key": "k" * 201})
    _problem(r, 422, "Idempotency-Key")


def test_missing_stored_file_is_404_problem(rclient, keys, case, settings):
    r = rclient.post(f"/v1/cases/{case.ref}/documents", headers=auth(keys["legal_staff"]),
                     json={"kind": "credit_report_prenotice", "as_of": "2025-06-15"})
    assert r.status_code == 201, r.text
    doc = r.json()
    path = get_store(settings).path_for(doc["sha256"])  # type: ignore[attr-defined]
    path.unlink()
    r = rclient.get(doc["content_url"], headers=auth(keys["legal_staff"]))
    body = _problem(r, 404)
    assert "missing" in body["detail"] and doc["sha256"] not in r.text


def test_unexpected_error_is_generic_problem_with_id_in_log(app, keys, caplog):
    @app.get("/v1/boom")
    def boom() -> None:
        raise RuntimeError("SELECT secret FROM api_key WHERE prefix = 'dsk_x'")

    with TestClient(app, raise_server_exceptions=False) as c, caplog.at_level(logging.ERROR, "dossier.errors"):
        r = c.get("/v1/boom", headers=auth(keys["admin"]))
    body = _problem(r, 500)
    assert "SELECT" not in r.text and "secret" not in r.text and "Traceback" not in r.text
    assert body["error_id"] in caplog.text and "SELECT secret" in caplog.text


def test_401_says_how_to_authenticate(rclient, case):
    for headers in ({}, {"Authorization": "Bearer dsk_nope.wrong"}):
        r = rclient.get(f"/v1/cases/{case.ref}", headers=headers)
        _problem(r, 401)
        assert r.headers["www-authenticate"].startswith("Bearer")


def test_405_lists_the_allowed_methods(rclient, keys, case):
    r = rclient.delete(f"/v1/cases/{case.ref}", headers=auth(keys["admin"]))
    _problem(r, 405)
    assert r.headers["allow"] == "GET"


def test_api_answers_are_not_sniffed_or_cached(rclient, keys, case):
    for r in (rclient.get(f"/v1/cases/{case.ref}", headers=auth(keys["admin"])),
              rclient.get("/v1/cases/NOPE-1", headers=auth(keys["admin"])), rclient.get("/v1/cases")):
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["cache-control"] == "no-store"
    health = rclient.get("/healthz")
    assert health.headers["x-content-type-options"] == "nosniff" and health.headers["cache-control"] == "no-store"


def test_served_answers_carry_no_server_banner(tmp_path):
    import os
    import socket
    import subprocess
    import sys
    import time

    import httpx

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "DOSSIER_DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}",
           "DOSSIER_STORAGE_DIR": str(tmp_path / "store")}
    server = subprocess.Popen([sys.executable, "-m", "service.cli", "serve", "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline, answer = time.monotonic() + 60, None
        while answer is None and time.monotonic() < deadline:
            try:
                answer = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2)
            except httpx.TransportError:
                time.sleep(0.2)
        assert answer is not None and answer.status_code == 200
        assert "server" not in answer.headers and answer.headers["x-content-type-options"] == "nosniff"
        missing = httpx.get(f"http://127.0.0.1:{port}/v1/cases", timeout=5)
        assert missing.status_code == 401 and "server" not in missing.headers
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.mark.parametrize("as_of", ["9999-12-31", "2099-01-01", "1970-01-01"])
def test_packet_for_an_implausible_day_is_refused_before_a_job_exists(rclient, keys, case, db, as_of):
    from service.jobs.models import Job

    before = db.scalar(select(func.count()).select_from(Job))
    r = rclient.post(f"/v1/cases/{case.ref}/packets", headers=auth(keys["legal_staff"]),
                     json={"as_of": as_of, "draft": True})
    _problem(r, 422, "as_of")
    assert db.scalar(select(func.count()).select_from(Job)) == before
