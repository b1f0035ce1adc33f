"""The audit trail is append-only and its hash chain names the first broken row."""

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from service.audit import service as audit


def _events(db, n=5):
    events = [audit.record(db, actor="t", action=f"act.{k}", object_type="x", object_id=k, data={"k": k})
              for k in range(n)]
    audit.chain_pending(db)  # as the commit would
    return events


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


def _rechain_plain(db, events, edit_id):
    """The forgery of the review: edit a row, then recompute the plain SHA-256 chain after it and
    the head, as anyone with write access could."""
    import hashlib

    _drop_guards(db)
    db.execute(text("UPDATE audit_event SET reason = 'forged' WHERE id = :id"), {"id": edit_id})
    db.expire_all()
    prev = audit.GENESIS
    rows = db.scalars(select(audit.AuditEvent).order_by(audit.AuditEvent.seq)).all()
    for row in rows:
        row.prev_hash = prev
        row.hash = hashlib.sha256(audit.canonical_event(row).encode()).hexdigest()
        db.execute(text("UPDATE audit_event SET prev_hash = :p, hash = :h WHERE id = :id"),
                   {"p": row.prev_hash, "h": row.hash, "id": row.id})
        prev = row.hash
    db.execute(text("UPDATE audit_head SET seq = :s, hash = :h"), {"s": rows[-1].seq, "h": prev})
    db.expire_all()


def test_a_recomputed_plain_chain_does_not_pass(db):
    events = _events(db)
    _rechain_plain(db, events, events[2].id)
    _, problem = audit.verify(db)
    assert problem is not None and problem.kind == "edited"


def test_a_chain_recomputed_with_another_key_does_not_pass(db):
    events = _events(db)
    _drop_guards(db)
    wrong = b"f" * 64
    db.execute(text("UPDATE audit_event SET reason = 'forged' WHERE id = :id"), {"id": events[2].id})
    db.expire_all()
    prev = audit.GENESIS
    for row in db.scalars(select(audit.AuditEvent).order_by(audit.AuditEvent.seq)).all():
        row.prev_hash = prev
        row.hash = audit._digest(row, wrong)
        db.execute(text("UPDATE audit_event SET prev_hash = :p, hash = :h WHERE id = :id"),
                   {"p": row.prev_hash, "h": row.hash, "id": row.id})
        prev = row.hash
    db.expire_all()
    _, problem = audit.verify(db)
    assert problem is not None and problem.kind == "edited"


def test_the_head_rolled_back_over_deleted_events_is_named(db):
    """Delete the last events and point the head at the one before them: every remaining
    hash is genuine, but the head's MAC is not."""
    events = _events(db)
    first_gone = events[3].seq
    _drop_guards(db)
    for gone in events[3:]:
        db.execute(text("DELETE FROM audit_event WHERE id = :id"), {"id": gone.id})
    db.execute(text("UPDATE audit_head SET seq = :s, hash = :h"), {"s": events[2].seq, "h": events[2].hash})
    db.expire_all()
    _, problem = audit.verify(db)
    assert problem is not None and problem.kind == "head" and problem.seq == first_gone


def test_a_checkpoint_proves_nothing_before_it_was_rewritten_even_with_the_key(db):
    events = _events(db)
    point = audit.checkpoint(db)
    assert point["seq"] == events[-1].seq and point["hash"] == events[-1].hash
    _events(db, 2)  # the trail goes on after the checkpoint
    assert audit.verify_checkpoint(db, point) is None
    # An insider with the key rewrites event 2 and re-chains everything: the chain verifies...
    _drop_guards(db)
    db.execute(text("UPDATE audit_event SET reason = 'rewritten' WHERE id = :id"), {"id": events[1].id})
    db.expire_all()
    prev = audit.GENESIS
    for row in db.scalars(select(audit.AuditEvent).order_by(audit.AuditEvent.seq)).all():
        row.prev_hash = prev
        row.hash = audit._digest(row)
        db.execute(text("UPDATE audit_event SET prev_hash = :p, hash = :h WHERE id = :id"),
                   {"p": row.prev_hash, "h": row.hash, "id": row.id})
        prev = row.hash
    seq = row.seq
    db.execute(text("UPDATE audit_head SET seq = :s, hash = :h, mac = :m"),
               {"s": seq, "h": prev, "m": audit.head_mac(seq, prev)})
    db.expire_all()
    assert audit.verify(db)[1] is None
    # ...but not against the checkpoint kept outside.
    problem = audit.verify_checkpoint(db, point)
    assert problem is not None and problem.kind == "rewritten" and problem.seq == point["seq"]
    altered = {**point, "seq": point["seq"] - 1}
    assert audit.verify_checkpoint(db, altered).kind == "checkpoint"


def test_the_key_is_not_in_the_database(db, settings):
    from service.core.settings import Settings

    key = audit.chain_key().decode()
    dumped = "\n".join(str(v) for t in ("audit_event", "audit_head") for r in db.execute(text(f"SELECT * FROM {t}"))
                       for v in r)
    assert key not in dumped
    assert audit.chain_key(Settings(audit_key="k" * 40)) == b"k" * 40


def test_cli_checkpoint_and_verify_against_it(tmp_path):
    import json
    import os
    import subprocess
    import sys

    env = {**os.environ, "DOSSIER_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}",
           "DOSSIER_AUDIT_KEY_FILE": str(tmp_path / "audit.key")}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "service.cli", *args], env=env, capture_output=True,
                              text=True, timeout=300)

    assert run("db", "upgrade").returncode == 0
    assert run("apikey", "create", "--role", "admin").returncode == 0
    made = run("audit", "checkpoint")
    assert made.returncode == 0, made.stderr
    point = json.loads(made.stdout)
    assert set(point) == {"seq", "hash", "at", "sig"}
    (tmp_path / "cp.json").write_text(made.stdout)
    ok = run("audit", "verify", "--checkpoint", str(tmp_path / "cp.json"))
    assert ok.returncode == 0 and "unchanged up to checkpoint" in ok.stdout, ok.stderr
    forged = run("audit", "verify", "--checkpoint", json.dumps({**point, "hash": "f" * 64}))
    assert forged.returncode == 1 and "signature does not" in forged.stderr


def test_an_open_transaction_does_not_hold_the_head_while_it_works(tmp_path):
    """Events take their place in the chain at commit: while one transaction is still working
    after recording an event (a batch job renders for minutes), another records and commits."""
    from sqlalchemy import text as sql

    from service.core.db import unit_of_work
    from tests.live import own_database

    url = own_database(tmp_path, "audit_head")
    with unit_of_work(url) as working:
        audit.record(working, actor="t", action="slow", object_type="x", object_id=1)
        working.flush()
        with unit_of_work(url) as quick:
            if quick.bind.dialect.name == "postgresql":  # waiting on the head's row lock fails, not hangs
                quick.execute(sql("SET LOCAL lock_timeout = '10s'"))
            audit.record(quick, actor="t", action="quick", object_type="x", object_id=2)
    with unit_of_work(url, write=False) as s:
        assert audit.verify(s) == (2, None)
        assert list(s.scalars(select(audit.AuditEvent.action).order_by(audit.AuditEvent.seq))) == ["quick", "slow"]
