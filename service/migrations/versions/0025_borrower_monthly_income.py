"""the borrower's monthly income: a plan above it is flagged (PLAN-05)

A repayment plan whose instalment is more than the borrower can pay is set up to be breached, and
nothing recorded what the borrower earns. monthly_income is the income the borrower states or the
lender records; a plan instalment above it (or the rule's share of it) gets a named warning when
the plan is recorded and when its agreement is generated. Existing borrowers get NULL (not
recorded): no warning until it is.

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-06 01:30:00
"""
import sqlalchemy as sa
from alembic import op

import service.core.db

revision = '0025'
down_revision = '0024'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('borrower') as batch:
        batch.add_column(sa.Column('monthly_income', service.core.db.Money(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('borrower') as batch:
        batch.drop_column('monthly_income')
