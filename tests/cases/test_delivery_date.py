"""A communication's delivery moment (issue 8): recorded by activity.record_delivery, the API's
POST .../delivered and `dossier mark delivered`, never before the communication was sent nor in the
future, each refusal naming the field; existing delivered rows get their sending moment (0030)."""

import sqlite3
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from alembic import command
from sqlalchemy import select
from sqlalchemy.orm import Session

from service.audit.models import AuditEvent
from service.cases import activity
from service.cases.models import Communication, DebtCase
from service.core.errors import InvalidInput
from service.core.migrate import alembic_config
from tests.conftest import auth
from tests.factories import import_case

SENT = datetime.now(UTC).replace(microsecond=0) - timedelta(days=5)


def _letter(db: Session, case: DebtCase, outcome: str = "sent", direction: str = "out") -> Communication:
    comm = Communication(case_id=case.id, channel="letter", direction=direction, party_kind="borrower",
                         to_address="北京市朝阳区建国路88号", sent_at=SENT, local_time="", outcome=outcome,
                         template_kind="demand_letter", actor="test")
    db.add(comm)
    db.flush()
    return comm


def _field_error(exc: pytest.ExceptionInfo[InvalidInput]) -> tuple[str, str]:
    (error,) = exc.value.errors
    return error.field, error.message


def test_the_delivery_moment_is_stored_and_audited(db: Session) -> None:
    case = import_case(db)
    comm = _letter(db, case)
    arrived = SENT + timedelta(days=2, hours=4)
    activity.record_delivery(db, case, comm.id, actor="test", at=arrived)
    assert comm.outcome == "delivered" and comm.delivered_at == arrived
    event = db.scalars(select(AuditEvent).where(AuditEvent.action == "communication.delivered")).one()
    assert event.data["delivered_at"] == arrived.isoformat()


def test_without_a_moment_it_is_delivered_now(db: Session) -> None:
    case = import_case(db)
    comm = _letter(db, case)
    before = datetime.now(UTC)
    activity.record_delivery(db, case, comm.id, actor="test")
    assert comm.delivered_at is not None and before <= comm.delivered_at <= datetime.now(UTC)


# the moments a delivery or a return (test_failed_delivery) is refused at, and what the error says
WRONG_MOMENTS = [
    (SENT - timedelta(minutes=1), "before the communication was sent"),
    (datetime.now(UTC) + timedelta(days=1), "in the future"),
    (SENT.replace(tzinfo=None) + timedelta(days=1), "time-zone offset"),
]


@pytest.mark.parametrize(("at", "said"), WRONG_MOMENTS)
def test_a_wrong_moment_is_refused_naming_the_field_and_nothing_changes(db: Session, at: datetime, said: str) -> None:
    case = import_case(db)
    comm = _letter(db, case)
    with pytest.raises(InvalidInput) as exc:
        activity.record_delivery(db, case, comm.id, actor="test", at=at)
    field, message = _field_error(exc)
    assert field == "delivered_at" and said in message
    assert comm.outcome == "sent" and comm.delivered_at is None


def test_a_contact_logged_as_delivered_is_delivered_as_it_was_sent(db: Session) -> None:
    from service.cases.schemas import CommunicationIn

    case = import_case(db)
    beijing = ZoneInfo("Asia/Shanghai")
    sent = datetime.combine(datetime.now(beijing).date() - timedelta(days=1), time(10, 0), tzinfo=beijing)
    data = CommunicationIn.model_validate({"channel": "email", "to_address": "zw@example.com", "outcome": "delivered",
                                           "sent_at": sent.isoformat()})
    comm = activity.record_communication(db, case, data, actor="test")
    assert comm.delivered_at == sent


def test_the_api_takes_an_optional_delivered_at(client, keys, db: Session) -> None:  # type: ignore[no-untyped-def]
    case = import_case(db)
    first, second, third = _letter(db, case), _letter(db, case), _letter(db, case)
    h, url = auth(keys["collector"]), f"/v1/cases/{case.ref}/communications"
    arrived = (SENT + timedelta(days=3)).astimezone(UTC)
    r = client.post(f"{url}/{first.id}/delivered", headers=h, json={"delivered_at": arrived.isoformat()})
    assert r.status_code == 200, r.text
    assert datetime.fromisoformat(r.json()["delivered_at"]) == arrived and r.json()["outcome"] == "delivered"
    r = client.post(f"{url}/{second.id}/delivered", headers=h,
                    json={"delivered_at": (SENT - timedelta(days=1)).isoformat()})
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "delivered_at" and "before" in r.json()["errors"][0]["message"]
    r = client.post(f"{url}/{second.id}/delivered", headers=h,
                    json={"delivered_at": (datetime.now(UTC) + timedelta(days=2)).isoformat()})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "delivered_at"
    r = client.post(f"{url}/{third.id}/delivered", headers=h)  # no body: now
    assert r.status_code == 200, r.text
    schema = client.get("/openapi.json").json()
    body = schema["paths"]["/v1/cases/{ref}/communications/{communication_id}/delivered"]["post"]["requestBody"]
    assert "letter_by_ems" in body["content"]["application/json"]["examples"]



def test_the_cli_marks_delivered_at_a_moment_and_names_a_wrong_one(run, db: Session) -> None:  # type: ignore[no-untyped-def]
    case = import_case(db)
    comm, other = _letter(db, case), _letter(db, case)
    arrived = (SENT + timedelta(days=2)).astimezone(UTC)
    done = run("mark", "delivered", case.ref, str(comm.id), "--at", arrived.isoformat())
    assert done.exit_code == 0, done.output
    assert comm.delivered_at == arrived and "delivered at" in done.output
    early = run("mark", "delivered", case.ref, str(other.id), "--at", (SENT - timedelta(hours=1)).isoformat())
    assert early.exit_code == 1 and "delivered_at" in early.output and other.delivered_at is None
    naive = run("mark", "delivered", case.ref, str(other.id), "--at", "2026-11-20T10:00:00")
    assert naive.exit_code == 1 and "--at" in naive.output and "offset" in naive.output
    future = run("mark", "delivered", case.ref, str(other.id), "--at",
                 (datetime.now(UTC) + timedelta(days=1)).isoformat())
    assert future.exit_code == 1 and "in the future" in future.output
    assert run("mark", "delivered", "CN-NOPE", str(other.id)).exit_code == 1
    now = run("mark", "delivered", case.ref, str(other.id))
    assert now.exit_code == 0, now.output
    assert other.delivered_at is not None


def test_the_migration_backfills_delivered_rows_with_their_sending_moment(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    command.upgrade(alembic_config(url), "0029")
    with sqlite3.connect(tmp_path / "old.db") as conn:  # foreign keys off: the rows alone
        columns = conn.execute("PRAGMA table_info(communication)").fetchall()
        required = [c[1] for c in columns if c[3] and c[4] is None and c[1] != "id"]
        for n, outcome in enumerate(("delivered", "sent", "answered"), start=1):
            row = {name: "x" for name in required}
            row.update(case_id=1, sent_at=f"2026-07-0{n} 02:00:00.000000", outcome=outcome, direction="out",
                       channel="letter")
            conn.execute(f"INSERT INTO communication ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
                         list(row.values()))
    command.upgrade(alembic_config(url), "0030")
    with sqlite3.connect(tmp_path / "old.db") as conn:
        rows = conn.execute("SELECT outcome, sent_at, delivered_at FROM communication ORDER BY id").fetchall()
    assert rows == [("delivered", "2026-07-01 02:00:00.000000", "2026-07-01 02:00:00.000000"),
                    ("sent", "2026-07-02 02:00:00.000000", None), ("answered", "2026-07-03 02:00:00.000000", None)]
    command.downgrade(alembic_config(url), "0029")
    with sqlite3.connect(tmp_path / "old.db") as conn:
        assert "delivered_at" not in {c[1] for c in conn.execute("PRAGMA table_info(communication)")}
