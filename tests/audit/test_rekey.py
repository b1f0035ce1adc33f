"""An install from before the keyed chain: upgrading re-chains its (intact) plain SHA-256 trail
under the key, and refuses, naming the row, to re-key a trail that is already broken."""

import hashlib
from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from service.audit import service as audit
from service.core.db import make_engine, unit_of_work
from service.core.migrate import upgrade


def _plain_trail(url: str, n: int = 4, break_at: int | None = None) -> None:
    """Events as version 0001 wrote them: a plain SHA-256 chain."""
    engine = make_engine(url)
    prev = audit.GENESIS
    with engine.begin() as conn:
        for seq in range(1, n + 1):
            row = type("Row", (), {"seq": seq, "at": datetime(2026, 11, 1, 9, seq, tzinfo=UTC), "actor": "t",
                                   "action": f"act.{seq}", "case_id": None, "object_type": "x",
                                   "object_id": str(seq), "reason": "", "data": {"k": seq}, "prev_hash": prev})()
            digest = hashlib.sha256(audit.canonical_event(row).encode()).hexdigest()
            if seq == break_at:
                digest = "f" * 64
            conn.execute(text("INSERT INTO audit_event (seq, at, actor, action, case_id, object_type, object_id, "
                              "reason, data, prev_hash, hash) VALUES (:seq, :at, 't', :action, NULL, 'x', :oid, '', "
                              ":data, :prev, :hash)"),
                         {"seq": seq, "at": row.at.replace(tzinfo=None) if url.startswith("sqlite") else row.at,
                          "action": row.action, "oid": row.object_id, "data": f'{{"k": {seq}}}', "prev": prev,
                          "hash": digest})
            prev = digest
        conn.execute(text("UPDATE audit_head SET seq = :s, hash = :h"), {"s": n, "h": prev})
    engine.dispose()


def test_an_intact_plain_trail_is_re_keyed(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    upgrade(url, "0001")
    _plain_trail(url)
    upgrade(url)
    with unit_of_work(url, write=False) as s:
        assert audit.verify(s) == (4, None)


def test_a_broken_plain_trail_stops_the_upgrade(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    upgrade(url, "0001")
    _plain_trail(url, break_at=3)
    with pytest.raises(RuntimeError, match="broken at event 3"):
        upgrade(url)
