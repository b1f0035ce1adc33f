"""what the last breach notice said falls due on acceleration, and as of when (DOC-05)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 18:30:00
"""
import sqlalchemy as sa
from alembic import op

import service.core.db

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('breach_event') as batch:
        batch.add_column(sa.Column('notice_total', service.core.db.Money(), nullable=True))
        batch.add_column(sa.Column('notice_as_of', sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('breach_event') as batch:
        batch.drop_column('notice_as_of')
        batch.drop_column('notice_total')
