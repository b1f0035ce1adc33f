"""the lender's litigation contact phone: where a court reaches an unrepresented lender

The service-address confirmation (送达地址确认书) gave the lender's customer hotline, the number
borrowers call, as the recipient's phone and e-service number when the plaintiff was not
represented (issue 8). legal_phone is its litigation or legal department's phone, beside
legal_email (0023). Existing lenders get "" until recorded: an unrepresented lender's
confirmation is then refused, naming the field, rather than printing the hotline.

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-06 01:20:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0024'
down_revision = '0023'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('lender') as batch:
        batch.add_column(sa.Column('legal_phone', sa.String(length=40), nullable=False, server_default=''))


def downgrade() -> None:
    with op.batch_alter_table('lender') as batch:
        batch.drop_column('legal_phone')
