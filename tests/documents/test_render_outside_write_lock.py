"""On SQLite, a document asked of the API renders before its transaction takes the one writer lock
(and the server's queue for it): other writers go on while it renders; an act on the case that
commits meanwhile makes it prepare and render the document again under the lock, so what is
recorded is decided on the current case. (On PostgreSQL it locks the case's row first, as every
writer of a case does: cases.deps.)"""

import sqlite3
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, select, text
from sqlalchemy.exc import OperationalError

from service.access.service import create_api_key
from service.app import create_app
from service.cases import activity
from service.cases.models import DebtCase
from service.cases.schemas import PaymentIn
from service.core.db import unit_of_work
from service.core.settings import Settings
from service.documents import bulk
from service.documents.models import GeneratedDocument
from service.documents.render import render
from tests.conftest import auth
from tests.factories import import_case
from tests.live import own_database

NOTICE = {"kind": "credit_report_prenotice", "format": "pdf", "as_of": "2025-06-20"}


def _locked(url: str, case_id: int) -> bool:
    """Whether a writer holds the lock a write to the case would wait for, seen from outside."""
    if url.startswith("sqlite"):
        probe = sqlite3.connect(url.split("///", 1)[1], timeout=0, isolation_level=None)
        try:
            probe.execute("BEGIN IMMEDIATE")
            probe.execute("ROLLBACK")
            return False
        except sqlite3.OperationalError:
            return True
        finally:
            probe.close()
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT id FROM debt_case WHERE id = :id FOR UPDATE NOWAIT"), {"id": case_id})
            return False
    except OperationalError:
        return True
    finally:
        engine.dispose()


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, TestClient, str, DebtCase]]:
    """The app on a database of its own, with its real sessions (the suite's `client` shares one
    rolled-back session and so takes no lock of its own)."""
    url = own_database(tmp_path, "render_lock")
    if not url.startswith("sqlite"):
        pytest.skip("SQLite's writer lock; PostgreSQL locks the case's row first (cases.deps)")
    with unit_of_work(url) as s:
        case = import_case(s)
        key = create_api_key(s, role="legal_staff")
    app = create_app(Settings(database_url=url, storage_dir=tmp_path / "store"))
    with TestClient(app) as client:
        yield url, client, key, case


def _spy(monkeypatch: pytest.MonkeyPatch, during: Callable[[], None]) -> list[Any]:
    rendered: list[Any] = []

    def render_one(ctx: Any, fmt: str, *, templates_dir: Path | None = None) -> Any:
        during()
        rendered.append(render(ctx, fmt, templates_dir=templates_dir))
        return rendered[-1]

    monkeypatch.setattr(bulk, "render_one", render_one)
    return rendered


def test_a_notice_renders_while_no_write_lock_is_held(served, monkeypatch):
    url, client, key, case = served
    held: list[bool] = []
    rendered = _spy(monkeypatch, lambda: held.append(_locked(url, case.id)))
    r = client.post(f"/v1/cases/{case.ref}/documents", json=NOTICE, headers=auth(key))
    assert r.status_code == 201, r.text
    assert held == [False] and len(rendered) == 1
    assert not _locked(url, case.id)  # and the request's transaction let go of it


def test_an_act_on_the_case_while_it_renders_makes_it_render_again_under_the_lock(served, monkeypatch):
    url, client, key, case = served
    held: list[bool] = []

    def pay_meanwhile() -> None:
        held.append(_locked(url, case.id))
        if len(held) == 1 and not held[0]:  # (a held lock would make this payment wait for the request)
            with unit_of_work(url) as s:
                activity.add_payment(s, s.get(DebtCase, case.id),
                                     PaymentIn(value_date="2025-06-01", amount=Decimal("100.00")), actor="test")

    rendered = _spy(monkeypatch, pay_meanwhile)
    r = client.post(f"/v1/cases/{case.ref}/documents", json=NOTICE, headers=auth(key))
    assert r.status_code == 201, r.text
    assert held == [False, True]  # the second time under the lock
    first, second = rendered
    assert first.context_hash != second.context_hash  # the payment changed what the notice says
    with unit_of_work(url, write=False) as s:
        doc = s.scalar(select(GeneratedDocument).where(GeneratedDocument.id == r.json()["id"]))
        assert doc is not None and doc.context_hash == second.context_hash
