"""web sign-in: sessions, lock-out after failed sign-ins, disabled users

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 18:00:00
"""
import sqlalchemy as sa
from alembic import op

from service.core.db import UTCDateTime

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('app_user') as batch:
        batch.add_column(sa.Column('failed_logins', sa.Integer(), nullable=False, server_default='0'))
        batch.add_column(sa.Column('locked_until', UTCDateTime(), nullable=True))
        batch.add_column(sa.Column('disabled_at', UTCDateTime(), nullable=True))
    op.create_table(
        'web_session',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('created_at', UTCDateTime(), nullable=False),
        sa.Column('expires_at', UTCDateTime(), nullable=False),
        sa.Column('ended_at', UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['app_user.id'], name=op.f('fk_web_session_user_id_app_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_web_session')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_web_session_token_hash')),
    )
    op.create_index(op.f('ix_web_session_user_id'), 'web_session', ['user_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_web_session_user_id'), table_name='web_session')
    op.drop_table('web_session')
    with op.batch_alter_table('app_user') as batch:
        batch.drop_column('disabled_at')
        batch.drop_column('locked_until')
        batch.drop_column('failed_logins')
