"""a communication's delivery moment: when a letter or notice reached the borrower

Until now a communication marked delivered kept no date of its own: every document took the day it
was sent as the day it reached the borrower, although a letter mailed takes days to arrive, and the
law runs some dates from arrival (民法典 art. 137: a declaration not made in conversation takes
effect when it reaches the other party). delivered_at records the moment the delivery proof gives.

Existing rows: a communication already marked delivered gets delivered_at = sent_at, the moment the
documents have stated until now (nothing recorded a later one); every other row stays NULL (not
delivered, or its delivery not recorded).

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-06 23:30:00
"""
import sqlalchemy as sa
from alembic import op

import service.core.db

revision = '0030'
down_revision = '0029'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('communication') as batch:
        batch.add_column(sa.Column('delivered_at', service.core.db.UTCDateTime(timezone=True), nullable=True))
    op.execute("UPDATE communication SET delivered_at = sent_at WHERE outcome = 'delivered'")


def downgrade() -> None:
    with op.batch_alter_table('communication') as batch:
        batch.drop_column('delivered_at')
