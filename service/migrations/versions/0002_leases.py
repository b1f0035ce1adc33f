"""leases and a keyed audit chain: an idempotency key carries its owner's token (a retry can
take over a dead request's key); a job row names the worker running it; the audit chain is
re-keyed from plain SHA-256 to HMAC-SHA256 under the settings' audit key, and its head gets a MAC

Revision ID: 0002
Revises: 0001
"""
import hashlib

import sqlalchemy as sa
from alembic import op

from service.core.db import UTCDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("idempotency_record") as batch:
        batch.add_column(sa.Column("token", sa.String(32), nullable=False, server_default=""))
    with op.batch_alter_table("job") as batch:
        batch.add_column(sa.Column("worker", sa.String(80), nullable=False, server_default=""))
    with op.batch_alter_table("audit_head") as batch:
        batch.add_column(sa.Column("mac", sa.String(64), nullable=False, server_default=""))
    _rekey_audit_chain()


def _rekey_audit_chain() -> None:
    """Check the plain chain as it stands, then chain the same events again under the key. A
    trail that is already broken is left alone and the upgrade stops, naming the row."""
    from service.audit import service as audit

    key = audit.chain_key()
    meta = sa.MetaData()
    events = sa.Table("audit_event", meta, sa.Column("id", sa.Integer), sa.Column("seq", sa.Integer),
                      sa.Column("at", UTCDateTime()), sa.Column("actor", sa.String), sa.Column("action", sa.String),
                      sa.Column("case_id", sa.Integer), sa.Column("object_type", sa.String),
                      sa.Column("object_id", sa.String), sa.Column("reason", sa.Text), sa.Column("data", sa.JSON),
                      sa.Column("prev_hash", sa.String), sa.Column("hash", sa.String))
    head = sa.Table("audit_head", meta, sa.Column("id", sa.Integer), sa.Column("seq", sa.Integer),
                    sa.Column("hash", sa.String), sa.Column("mac", sa.String))
    bind = op.get_bind()
    rows = list(bind.execute(sa.select(events).order_by(events.c.seq)))
    prev = audit.GENESIS
    for row in rows:
        if row.prev_hash != prev or row.hash != hashlib.sha256(audit.canonical_event(row).encode()).hexdigest():
            raise RuntimeError(f"the audit trail is broken at event {row.seq} (id {row.id}); not re-keyed")
        prev = row.hash
    _guards(enable=False)
    prev = audit.GENESIS
    for row in rows:
        keyed = audit._digest(_Rechained(row, prev), key)
        bind.execute(events.update().where(events.c.id == row.id).values(prev_hash=prev, hash=keyed))
        prev = keyed
    seq = rows[-1].seq if rows else 0
    bind.execute(head.update().where(head.c.id == 1).values(seq=seq, hash=prev, mac=audit.head_mac(seq, prev, key)))
    _guards(enable=True)


class _Rechained:
    def __init__(self, row: sa.Row, prev_hash: str) -> None:  # type: ignore[type-arg]
        self.__dict__.update(row._asdict())
        self.prev_hash = prev_hash


def _guards(*, enable: bool) -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"ALTER TABLE audit_event {'ENABLE' if enable else 'DISABLE'} TRIGGER audit_event_no_change")
        return
    for verb in ("UPDATE", "DELETE"):
        if enable:
            op.execute(f"CREATE TRIGGER audit_event_no_{verb.lower()} BEFORE {verb} ON audit_event "
                       "BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END")
        else:
            op.execute(f"DROP TRIGGER audit_event_no_{verb.lower()}")


def downgrade() -> None:
    with op.batch_alter_table("audit_head") as batch:
        batch.drop_column("mac")
    with op.batch_alter_table("job") as batch:
        batch.drop_column("worker")
    with op.batch_alter_table("idempotency_record") as batch:
        batch.drop_column("token")
