"""the acceleration clause's condition on missed instalments (连续/累计N期未按期足额还款)

The loan contract's acceleration condition was only "an instalment more than N days overdue"
(0019). Contracts also accelerate once N instalments are missed, consecutive or cumulative, or on
either condition. acceleration_basis says what the clause counts (days | instalments |
days_or_instalments), acceleration_missed_instalments the number and
acceleration_missed_consecutive whether in a row. Existing contracts keep "days": their clause as
recorded so far.

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-06 01:40:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0027'
down_revision = '0026'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('loan_contract') as batch:
        batch.add_column(sa.Column('acceleration_basis', sa.String(length=30), nullable=False, server_default='days'))
        batch.add_column(sa.Column('acceleration_missed_instalments', sa.Integer(), nullable=False,
                                   server_default='0'))
        batch.add_column(sa.Column('acceleration_missed_consecutive', sa.Boolean(), nullable=False,
                                   server_default='0'))


def downgrade() -> None:
    with op.batch_alter_table('loan_contract') as batch:
        batch.drop_column('acceleration_missed_consecutive')
        batch.drop_column('acceleration_missed_instalments')
        batch.drop_column('acceleration_basis')
