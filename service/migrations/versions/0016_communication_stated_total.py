"""what an amount-stating notice told the borrower is owed, and as of when (DOC-05)

A court document may claim more than the last notice to the borrower only by what its
reconciliation explains; the last notice may be of any kind that states the debt (demand letter,
credit-reporting pre-notice, breach notice, lawyer letter), so the amount is kept with the
notice's communication row.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-03 15:00:00
"""
import sqlalchemy as sa
from alembic import op

import service.core.db

revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('communication') as batch:
        batch.add_column(sa.Column('stated_total', service.core.db.Money(), nullable=True))
        batch.add_column(sa.Column('stated_as_of', sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('communication') as batch:
        batch.drop_column('stated_as_of')
        batch.drop_column('stated_total')
