"""the contract's name as the contract gives it

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 13:30:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('loan_contract') as batch:
        batch.add_column(sa.Column('title', sa.String(length=200), nullable=False, server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('loan_contract') as batch:
        batch.drop_column('title')
