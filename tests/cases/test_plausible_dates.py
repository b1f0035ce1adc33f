"""Dates have a plausible range per field (issue 9, part 7): what already happened cannot be in
the future, and nothing about a loan predates it. Each of these was accepted, or a 500, before."""

from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from service.cases.models import Communication, RepaymentPlan, Visit
from tests.conftest import auth


@pytest.fixture
def rclient(app):  # type: ignore[no-untyped-def]
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def _count(db, model) -> int:  # type: ignore[no-untyped-def]
    return int(db.scalar(select(func.count()).select_from(model)) or 0)


def test_a_contact_cannot_have_been_sent_in_the_future(rclient, keys, case, db):
    later = (datetime.now(UTC) + timedelta(days=3)).isoformat()
    r = rclient.post(f"/v1/cases/{case.ref}/communications", headers=auth(keys["collector"]),
                     json={"channel": "call", "to_address": "13800138000", "sent_at": later, "outcome": "no_answer"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "sent_at", r.text
    assert _count(db, Communication) == 0


def _visit(**over):  # type: ignore[no-untyped-def]
    start = datetime(2025, 6, 10, 2, 0, tzinfo=UTC)
    return {"purpose": "核实还款能力", "address": "北京市朝阳区建国路88号", "window_start": start.isoformat(),
            "window_end": (start + timedelta(hours=2)).isoformat(),
            "staff": [{"name": "王建国", "badge_no": "HX-1"}, {"name": "李明辉", "badge_no": "HX-2"}], **over}


@pytest.mark.parametrize(("field", "over"), [
    ("started_at", {"started_at": (datetime.now(UTC) + timedelta(days=2)).isoformat(), "consent_to_enter": True}),
    ("notice_sent_at", {"notice_sent_at": "2099-01-01T00:00:00+08:00"}),
    ("ended_at", {"started_at": "2025-06-10T03:00:00+00:00", "ended_at": "2025-06-10T02:30:00+00:00",
                  "consent_to_enter": True}),
])
def test_a_visit_happened_in_the_past_and_in_order(rclient, keys, case, db, field, over):
    r = rclient.post(f"/v1/cases/{case.ref}/visits", headers=auth(keys["collector"]), json=_visit(**over))
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == field, r.text
    assert _count(db, Visit) == 0


@pytest.mark.parametrize("as_of", ["1990-01-01", "2100-12-31"])
def test_a_plan_dated_outside_the_loan_is_422_not_500(rclient, keys, case, db, as_of):
    r = rclient.post(f"/v1/cases/{case.ref}/plans", headers=auth(keys["legal_staff"]), json={
        "plan_type": "instalments", "as_of": as_of, "instalments": [{"no": 1, "due_date": "2026-12-31",
                                                                     "amount": "100.00"}]})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "as_of", r.text
    assert _count(db, RepaymentPlan) == 0
