"""the lead lawyer's e-mail and bar numbers by US state (Tex. R. Civ. P. 57)

A pleading signed by an attorney states the attorney's State Bar identification number, address,
telephone number and e-mail address (Tex. R. Civ. P. 57). The firm's address and the lawyer's
telephone were recorded already; the e-mail was not, and a lawyer's bar number is per state
(admitted in Illinois and Texas: two numbers), so lead_lawyer_bars maps a state code to it.
Existing firms get none ("" and {}) until they are recorded.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-03 19:40:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('law_firm') as batch:
        batch.add_column(sa.Column('lead_lawyer_email', sa.String(length=120), nullable=False, server_default=''))
        batch.add_column(sa.Column('lead_lawyer_bars', sa.JSON(), nullable=False, server_default='{}'))


def downgrade() -> None:
    with op.batch_alter_table('law_firm') as batch:
        batch.drop_column('lead_lawyer_bars')
        batch.drop_column('lead_lawyer_email')
