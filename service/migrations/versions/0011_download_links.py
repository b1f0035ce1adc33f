"""signed download links, bound to a principal, expiring, single-use or not

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 18:40:00
"""
import sqlalchemy as sa
from alembic import op

import service.core.db

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'download_link',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('object_type', sa.String(length=20), nullable=False),
        sa.Column('object_id', sa.String(length=40), nullable=False),
        sa.Column('actor', sa.String(length=120), nullable=False),
        sa.Column('single_use', sa.Boolean(), nullable=False),
        sa.Column('created_at', service.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('expires_at', service.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('used_at', service.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column('uses', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_download_link')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_download_link_token_hash')))


def downgrade() -> None:
    op.drop_table('download_link')
