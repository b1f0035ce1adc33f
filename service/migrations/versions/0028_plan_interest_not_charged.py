"""a repayment plan's contract interest to come, waived on condition of performance

A plan that charges no interest while it runs gives up the interest the contract schedules after
its acknowledgement. Only a visit kit's draft stated the amount; a recorded plan kept nothing, so
its agreement gave the interest up with no amount and the ledger could neither hold nor revive it.
interest_not_charged holds the amount the agreement states (its interest clause), waived on
condition of performance and revived on breach by its default clause (agreement.py).

Existing plans get 0.00: what their agreements stated so far (no amount); the column is computed
for plans recorded from now on.

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-05 21:40:00
"""
import sqlalchemy as sa
from alembic import op

import service.core.db

revision = '0028'
down_revision = '0027'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('repayment_plan') as batch:
        batch.add_column(sa.Column('interest_not_charged', service.core.db.Money(), nullable=False,
                                   server_default='0.00'))


def downgrade() -> None:
    with op.batch_alter_table('repayment_plan') as batch:
        batch.drop_column('interest_not_charged')
