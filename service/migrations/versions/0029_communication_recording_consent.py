"""a call's recording consent: the disclosure given and the party's consent to being recorded

California (Cal. Penal Code 632) forbids recording a confidential call without the consent of every
party: a packet files a California call recording only where the call's record shows that the
recording disclosure was given and the borrower consented (US-26). recording_consent records it.

Existing communications get false: nothing recorded a consent so far, so a California recording is
withheld until the call's consent is recorded.

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-06 19:40:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0029'
down_revision = '0028'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('communication') as batch:
        batch.add_column(sa.Column('recording_consent', sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table('communication') as batch:
        batch.drop_column('recording_consent')
