"""a big batch's parts: a job may be one part of another (its parent), which completes when all its parts have

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03 08:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('job') as batch:
        batch.add_column(sa.Column('parent_id', sa.String(length=40), nullable=True))
        batch.create_foreign_key(batch.f('fk_job_parent_id_job'), 'job', ['parent_id'], ['id'])
        batch.create_index(batch.f('ix_job_parent_id'), ['parent_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('job') as batch:
        batch.drop_index(batch.f('ix_job_parent_id'))
        batch.drop_constraint(batch.f('fk_job_parent_id_job'), type_='foreignkey')
        batch.drop_column('parent_id')
