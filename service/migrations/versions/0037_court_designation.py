"""debt_case.court_designation: the court designation legal staff record for filing (US-28)

A Texas Justice Court is told from the county's others by its precinct and place, a District Court
by its judicial district; which one a suit goes to turns on the county's precinct map and courts,
which no data of the case holds. Legal staff record the designation chosen for filing, with the
court it was chosen for (court_designation_court), and the captions print it. Existing rows: none
recorded ("").

Revision ID: 0037
Revises: 0036
Create Date: 2026-12-08 12:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0037'
down_revision = '0036'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('debt_case') as batch:
        batch.add_column(sa.Column('court_designation', sa.String(80), nullable=False, server_default=''))
        batch.add_column(sa.Column('court_designation_court', sa.String(200), nullable=False, server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('debt_case') as batch:
        batch.drop_column('court_designation_court')
        batch.drop_column('court_designation')
