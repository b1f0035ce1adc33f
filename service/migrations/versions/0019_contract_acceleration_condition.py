"""the loan contract's acceleration condition (逾期超过N日)

A contract lets the lender declare the whole loan due (提前到期) only on its acceleration clause's
condition, typically an instalment more than 90 days overdue. The clause's number was recorded
(clause_refs["acceleration"]); its condition was not, so documents quoted the clause as "on any
late payment" and an acceleration could be recorded at any dpd. acceleration_overdue_days holds it:
the lender may accelerate once an instalment is more than this many days overdue (0: on any
missed instalment); rule ESC-12 refuses an acceleration recorded before it is met.

Existing rows get 90: the condition of the contracts on file (the demo's, whose scanned clause
reads 借款人逾期超过90日的，贷款人有权宣布全部借款提前到期), and the later of the usual terms, so
that no existing case is taken to allow an acceleration its contract may not; a contract with
another condition is corrected by updating this column.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-04 21:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('loan_contract') as batch:
        batch.add_column(sa.Column('acceleration_overdue_days', sa.Integer(), nullable=False, server_default='90'))


def downgrade() -> None:
    with op.batch_alter_table('loan_contract') as batch:
        batch.drop_column('acceleration_overdue_days')
