"""how a lender without a lending licence lends: whether its contracts can be pleaded valid

民间借贷规定 art. 13(三) voids a loan by a lender without a lending licence who lends for profit
to the public (职业放贷人; 九民纪要 §53: repeated paid lending in a period). The 民间借贷 complaint
pleaded every contract 合法有效. lending_practice records what the complaint may rest on:
natural_person (a natural person lending occasionally), occasional (an organisation lending
occasionally, for production or operation or to its staff, not to the public: arts 10-11), to_public
(lends for profit to the public: no complaint pleads its contract, rule CN-32), or "" (not
recorded: the complaint states the facts without asserting validity). Existing lenders get "".

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-05 04:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('lender') as batch:
        batch.add_column(sa.Column('lending_practice', sa.String(length=20), nullable=False, server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('lender') as batch:
        batch.drop_column('lending_practice')
