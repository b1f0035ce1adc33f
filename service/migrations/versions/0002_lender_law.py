"""lender: the credit system it reports to, and whether it is the original creditor or a collector

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02 14:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('lender') as batch:
        batch.add_column(sa.Column('credit_system', sa.String(length=20), nullable=False, server_default=''))
        batch.add_column(sa.Column('creditor_role', sa.String(length=20), nullable=False,
                                   server_default='original_creditor'))


def downgrade() -> None:
    with op.batch_alter_table('lender') as batch:
        batch.drop_column('creditor_role')
        batch.drop_column('credit_system')
