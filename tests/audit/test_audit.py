"""The audit trail is append-only and its hash chain names the first broken row."""

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from service.audit import service as audit


def _events(db, n=5):
    return [audit.record(db, actor="t", action=f"act.{k}", object_type="x", object_id=k, data={"k": k})
            for k in range(n)]


def _drop_guards(db):
    """A DBA with full rights can still tamper; the chain is what proves it afterwards."""
    if db.bind.dialect.name == "postgresql":
        db.execute(text("ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_change"))
    else:
        db.execute(text("DROP TRIGGER audit_event_no_update"))
        db.execute(text("DROP TRIGGER audit_event_no_delete"))


def test_intact_chain_verifies(db):
    _events(db)
    count, problem = audit.verify(db)
    assert problem is None and count >= 5


def test_update_and_delete_are_refused_by_the_database(db):
    events = _events(db, 1)
    with pytest.raises(DBAPIError), db.begin_nested():
        db.execute(text("UPDATE audit_event SET actor = 'x' WHERE id = :id"), {"id": events[0].id})
    with pytest.raises(DBAPIError), db.begin_nested():
        db.execute(text("DELETE FROM audit_event WHERE id = :id"), {"id": events[0].id})


def test_edited_row_is_named(db):
    events = _events(db)
    seq = events[2].seq
    _drop_guards(db)
    db.execute(text("UPDATE audit_event SET reason = 'changed' WHERE id = :id"), {"id": events[2].id})
    db.expire_all()
    _, problem = audit.verify(db)
    assert problem is not None and problem.kind == "edited" and problem.seq == seq


def test_deleted_row_is_named(db):
    events = _events(db)
    seq = events[1].seq
    _drop_guards(db)
    db.execute(text("DELETE FROM audit_event WHERE id = :id"), {"id": events[1].id})
    db.expire_all()
    _, problem = audit.verify(db)
    assert problem is not None and problem.kind == "deleted" and problem.seq == seq


def test_deleted_tail_is_named(db):
    events = _events(db)
    seq = events[-1].seq
    _drop_guards(db)
    db.execute(text("DELETE FROM audit_event WHERE id = :id"), {"id": events[-1].id})
    db.expire_all()
    _, problem = audit.verify(db)
    assert problem is not None and problem.kind == "deleted" and problem.seq == seq


def test_inserted_row_is_named(db):
    events = _events(db)
    seq = events[2].seq
    _drop_guards(db)
    # Make room after event 2 by shifting later events, then insert a forged one in the gap.
    for e in reversed(events[3:]):
        db.execute(text("UPDATE audit_event SET seq = seq + 1 WHERE id = :id"), {"id": e.id})
    forged = audit.AuditEvent(seq=events[2].seq + 1, at=events[2].at, actor="mallory", action="act.forged",
                              object_type="x", object_id="f", reason="", data={}, prev_hash=events[2].hash)
    forged.hash = audit._digest(forged)
    db.add(forged)
    db.flush()
    db.expire_all()
    _, problem = audit.verify(db)
    assert problem is not None and problem.kind in ("inserted", "edited") and problem.seq == seq + 2
