"""a letter's carrier and tracking number: what makes a mailed notice evidence of its service

A notice sent by post (EMS in China, USPS first-class or certified mail in the US) is evidence of
service with the carrier's tracking number (EMS 邮件号, USPS tracking number), by which the carrier's
record of its delivery or return is found; the communication log had no place for it, so the notice
history and the evidence index could not name the waybill (a reviewing lawyer's note).

carrier: ems | usps; tracking_no: the number without spaces, as service.cases.postal checks it.

Existing rows: NULL (no tracking number recorded); a letter's can be recorded after the fact
(POST .../communications/{id}/mailed, `dossier mark mailed`). Downgrade drops both.

Revision ID: 0036
Revises: 0035
Create Date: 2026-12-08 12:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0036'
down_revision = '0035'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('communication') as batch:
        batch.add_column(sa.Column('carrier', sa.String(length=10), nullable=True))
        batch.add_column(sa.Column('tracking_no', sa.String(length=30), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('communication') as batch:
        batch.drop_column('tracking_no')
        batch.drop_column('carrier')
