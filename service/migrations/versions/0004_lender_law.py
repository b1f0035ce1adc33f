"""lender: the credit system it reports to, and whether it is the original creditor or a collector;
account reviews (who reviewed a case's records, when) for affidavits

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 14:00:00
"""
from alembic import op
import sqlalchemy as sa
import service.core.db


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('lender') as batch:
        batch.add_column(sa.Column('credit_system', sa.String(length=20), nullable=False, server_default=''))
        batch.add_column(sa.Column('creditor_role', sa.String(length=20), nullable=False,
                                   server_default='original_creditor'))
        batch.add_column(sa.Column('collects_for', sa.String(length=200), nullable=False, server_default=''))
    op.create_table('account_review',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('reviewer', sa.String(length=120), nullable=False),
    sa.Column('reviewer_title', sa.String(length=80), nullable=False),
    sa.Column('reviewed_at', service.core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('actor', sa.String(length=120), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['debt_case.id'], name=op.f('fk_account_review_case_id_debt_case')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_account_review'))
    )
    op.create_index(op.f('ix_account_review_case_id'), 'account_review', ['case_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_account_review_case_id'), table_name='account_review')
    op.drop_table('account_review')
    with op.batch_alter_table('lender') as batch:
        batch.drop_column('collects_for')
        batch.drop_column('creditor_role')
        batch.drop_column('credit_system')
