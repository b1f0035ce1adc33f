"""a visit's purpose in English, for the English notice of a CN case

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 17:40:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('visit') as batch:
        batch.add_column(sa.Column('purpose_en', sa.Text(), nullable=False, server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('visit') as batch:
        batch.drop_column('purpose_en')
