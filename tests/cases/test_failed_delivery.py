"""A letter or notice recorded as sent that came back undelivered (退回): activity.record_failure,
POST .../failed and `dossier mark failed`, with the moment (checked as a delivery's is: never
before the communication was sent nor in the future) and a reason from a closed set ("other"
with the return slip's words), audited as communication.failed; each refusal names its field and
changes nothing. Migration 0033 adds the columns."""

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import select
from sqlalchemy.orm import Session

from service.audit.models import AuditEvent
from service.cases import activity
from service.core.errors import InvalidInput
from service.core.migrate import alembic_config
from tests.cases.test_delivery_date import SENT, WRONG_MOMENTS, _field_error, _letter
from tests.conftest import auth
from tests.factories import import_case

BACK = SENT + timedelta(days=3)


def test_the_return_is_stored_with_its_moment_and_reason_and_audited(db: Session) -> None:
    case = import_case(db)
    comm = _letter(db, case)
    activity.record_failure(db, case, comm.id, actor="test", at=BACK, reason="unknown_addressee")
    assert (comm.outcome, comm.failed_at, comm.failure_reason, comm.failure_note) == (
        "failed", BACK, "unknown_addressee", "")
    assert comm.delivered_at is None
    event = db.scalars(select(AuditEvent).where(AuditEvent.action == "communication.failed")).one()
    assert event.object_id == str(comm.id) and event.actor == "test"
    assert event.data == {"template_kind": "demand_letter", "failed_at": BACK.isoformat(),
                          "reason": "unknown_addressee", "note": ""}


def test_other_takes_the_slips_words_and_without_a_moment_it_is_now(db: Session) -> None:
    case = import_case(db)
    comm = _letter(db, case)
    before = datetime.now(UTC)
    activity.record_failure(db, case, comm.id, actor="test", reason="other", note="  地址不详，无法投递 ")
    assert comm.failure_reason == "other" and comm.failure_note == "地址不详，无法投递"
    assert comm.failed_at is not None and before <= comm.failed_at <= datetime.now(UTC)


@pytest.mark.parametrize(("at", "said"), WRONG_MOMENTS)
def test_a_wrong_moment_is_refused_naming_failed_at_and_nothing_changes(db: Session, at: datetime, said: str) -> None:
    case = import_case(db)
    comm = _letter(db, case)
    with pytest.raises(InvalidInput) as exc:
        activity.record_failure(db, case, comm.id, actor="test", at=at, reason="refused")
    field, message = _field_error(exc)
    assert field == "failed_at" and said in message
    assert comm.outcome == "sent" and comm.failed_at is None and comm.failure_reason is None


@pytest.mark.parametrize(("outcome", "direction", "said"), [
    ("delivered", "out", "recorded as sent can be marked failed (this one is delivered)"),
    ("failed", "out", "(this one is failed)"),
    ("answered", "out", "(this one is answered)"),
    ("sent", "in", "only an outbound communication can be marked failed"),
])
def test_only_an_outbound_communication_recorded_as_sent_can_fail(db: Session, outcome: str, direction: str,
                                                                  said: str) -> None:
    case = import_case(db)
    comm = _letter(db, case, outcome, direction)
    with pytest.raises(InvalidInput) as exc:
        activity.record_failure(db, case, comm.id, actor="test", at=BACK, reason="moved")
    field, message = _field_error(exc)
    assert field == "communication" and said in message, message
    assert comm.outcome == outcome and comm.failed_at is None


def test_another_cases_communication_and_a_reason_outside_the_set_are_refused(db: Session) -> None:
    case, other = import_case(db), import_case(db)
    comm = _letter(db, other)
    with pytest.raises(InvalidInput) as exc:
        activity.record_failure(db, case, comm.id, actor="test", reason="refused")
    assert _field_error(exc)[0] == "communication"
    with pytest.raises(InvalidInput) as exc:
        activity.record_failure(db, other, comm.id, actor="test", reason="lost")
    field, message = _field_error(exc)
    assert field == "reason" and "refused, unknown_addressee, moved, unclaimed, other" in message
    with pytest.raises(InvalidInput) as exc:
        activity.record_failure(db, other, comm.id, actor="test", reason="other", note="  ")
    assert _field_error(exc)[0] == "note"
    with pytest.raises(InvalidInput) as exc:
        activity.record_failure(db, other, comm.id, actor="test", reason="moved", note="地" * 501)
    assert _field_error(exc)[0] == "note"
    assert comm.outcome == "sent" and comm.failure_reason is None
    assert db.scalars(select(AuditEvent).where(AuditEvent.action == "communication.failed")).first() is None


def test_a_returned_letter_cannot_then_be_marked_delivered(db: Session) -> None:
    case = import_case(db)
    comm = _letter(db, case)
    activity.record_failure(db, case, comm.id, actor="test", at=BACK, reason="unclaimed")
    with pytest.raises(InvalidInput) as exc:
        activity.record_delivery(db, case, comm.id, actor="test")
    assert _field_error(exc)[0] == "communication" and comm.delivered_at is None


def test_the_api_marks_failed_and_names_the_wrong_field(client, keys, db: Session) -> None:  # type: ignore[no-untyped-def]
    case = import_case(db)
    first, second = _letter(db, case), _letter(db, case)
    delivered = _letter(db, case, "delivered")
    h, url = auth(keys["collector"]), f"/v1/cases/{case.ref}/communications"
    back = BACK.astimezone(UTC)
    r = client.post(f"{url}/{first.id}/failed", headers=h, json={"reason": "refused", "failed_at": back.isoformat()})
    assert r.status_code == 200, r.text
    assert r.json()["outcome"] == "failed" and r.json()["reason"] == "refused"
    assert datetime.fromisoformat(r.json()["failed_at"]) == back
    r = client.post(f"{url}/{second.id}/failed", headers=h,
                    json={"reason": "moved", "failed_at": (SENT - timedelta(days=1)).isoformat()})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "failed_at"
    r = client.post(f"{url}/{second.id}/failed", headers=h, json={"failed_at": back.isoformat()})
    assert r.status_code == 422 and "reason" in r.text
    r = client.post(f"{url}/{second.id}/failed", headers=h, json={"reason": "lost"})
    assert r.status_code == 422 and "reason" in r.text
    r = client.post(f"{url}/{second.id}/failed", headers=h, json={"reason": "other"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "note"
    r = client.post(f"{url}/{delivered.id}/failed", headers=h, json={"reason": "refused"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "communication"
    r = client.post(f"{url}/{second.id}/failed", headers=h, json={"reason": "other", "note": "地址不详"})
    assert r.status_code == 200, r.text
    assert (second.outcome, second.failure_note) == ("failed", "地址不详")
    schema = client.get("/openapi.json").json()
    body = schema["paths"]["/v1/cases/{ref}/communications/{communication_id}/failed"]["post"]["requestBody"]
    assert "returned_unknown" in body["content"]["application/json"]["examples"]


def test_the_cli_marks_failed_with_a_reason_and_names_a_wrong_input(run, db: Session) -> None:  # type: ignore[no-untyped-def]
    case = import_case(db)
    comm, other = _letter(db, case), _letter(db, case)
    back = BACK.astimezone(UTC)
    done = run("mark", "failed", case.ref, str(comm.id), "--reason", "unknown_addressee", "--at", back.isoformat())
    assert done.exit_code == 0, done.output
    assert comm.failed_at == back and comm.failure_reason == "unknown_addressee"
    assert "returned undelivered (unknown_addressee)" in done.output
    bad = run("mark", "failed", case.ref, str(other.id), "--reason", "lost")
    assert bad.exit_code == 1 and "reason" in bad.output and other.outcome == "sent"
    bare = run("mark", "failed", case.ref, str(other.id), "--reason", "other")
    assert bare.exit_code == 1 and "note" in bare.output
    early = run("mark", "failed", case.ref, str(other.id), "--reason", "moved", "--at",
                (SENT - timedelta(hours=1)).isoformat())
    assert early.exit_code == 1 and "failed_at" in early.output and other.failed_at is None
    naive = run("mark", "failed", case.ref, str(other.id), "--reason", "moved", "--at", "2026-11-20T10:00:00")
    assert naive.exit_code == 1 and "--at" in naive.output and "offset" in naive.output
    again = run("mark", "failed", case.ref, str(comm.id), "--reason", "moved")
    assert again.exit_code == 1 and "communication" in again.output
    assert run("mark", "failed", case.ref, str(other.id)).exit_code != 0  # --reason is required
    now = run("mark", "failed", case.ref, str(other.id), "--reason", "other", "--note", "地址不详")
    assert now.exit_code == 0, now.output
    assert other.failure_note == "地址不详" and other.failed_at is not None


def test_the_migration_adds_and_drops_the_return_columns(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    command.upgrade(alembic_config(url), "0032")
    command.upgrade(alembic_config(url), "0033")
    with sqlite3.connect(tmp_path / "old.db") as conn:
        columns = {c[1] for c in conn.execute("PRAGMA table_info(communication)")}
    assert {"failed_at", "failure_reason", "failure_note"} <= columns
    command.downgrade(alembic_config(url), "0032")
    with sqlite3.connect(tmp_path / "old.db") as conn:
        columns = {c[1] for c in conn.execute("PRAGMA table_info(communication)")}
    assert not {"failed_at", "failure_reason", "failure_note"} & columns
