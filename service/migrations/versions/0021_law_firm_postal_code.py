"""the law firm's postal code, and the jurisdiction it practises in

The service-address confirmation (送达地址确认书) states the postal code of the address the court
serves on (法院专递规定 arts 3-4: the form states postcode, detailed address and the recipient's
phone); where the plaintiff is represented, that is the law firm's address, and the firm had no
postal code: the form printed 邮政编码 无. profile says which postal code the firm's address takes
(CN: six digits; US: a ZIP code). Existing firms get "" and CN until recorded.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-05 03:50:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('law_firm') as batch:
        batch.add_column(sa.Column('postal_code', sa.String(length=12), nullable=False, server_default=''))
        batch.add_column(sa.Column('profile', sa.String(length=2), nullable=False, server_default='CN'))


def downgrade() -> None:
    with op.batch_alter_table('law_firm') as batch:
        batch.drop_column('profile')
        batch.drop_column('postal_code')
