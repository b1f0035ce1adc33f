"""the lender's litigation contact e-mail: where a court serves it electronically

The service-address confirmation (送达地址确认书) gave the lender's customer mailbox, the one
borrowers write to, as the address for the court's e-service (电子送达, 民诉法 art. 90) when the
plaintiff was not represented (review C12-6). legal_email is its litigation or legal department's
e-mail; the confirmation states it (or the counsel's, when represented). Existing lenders get ""
until recorded: then the form ticks no e-mail channel.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-05 22:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('lender') as batch:
        batch.add_column(sa.Column('legal_email', sa.String(length=120), nullable=False, server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('lender') as batch:
        batch.drop_column('legal_email')
