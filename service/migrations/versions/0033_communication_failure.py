"""a communication's return: when a letter or notice recorded as sent came back undelivered, and why

A letter or notice recorded as sent could be marked delivered, not returned (退回: refused, addressee
unknown, moved, not collected). The rules already read outcome "failed" as a letter that reached no
one (DOC-07: a failed lawyer letter declares nothing); the log had no way to record it on a letter
sent, nor the day and the reason the carrier's return slip gives, which the notice history prints.

failed_at: the moment the return is recorded at (the slip's date); failure_reason: refused,
unknown_addressee, moved, unclaimed or other; failure_note: the slip's words (required with other).

Existing rows: none is returned; a row logged as failed when it was recorded (a call not answered,
a text not delivered) keeps NULL / '' (no return recorded).

Revision ID: 0033
Revises: 0032
Create Date: 2026-12-07 14:45:00
"""
import sqlalchemy as sa
from alembic import op

import service.core.db

revision = '0033'
down_revision = '0032'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('communication') as batch:
        batch.add_column(sa.Column('failed_at', service.core.db.UTCDateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('failure_reason', sa.String(length=20), nullable=True))
        batch.add_column(sa.Column('failure_note', sa.String(length=500), nullable=False, server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('communication') as batch:
        batch.drop_column('failure_note')
        batch.drop_column('failure_reason')
        batch.drop_column('failed_at')
