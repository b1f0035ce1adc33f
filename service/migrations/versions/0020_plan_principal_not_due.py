"""a repayment plan's principal not yet due at its acknowledgement

A visit kit's plan proposal acknowledges as due only what is due on the visit day and states the
principal the contract makes due later as not yet due (the plan does not accelerate it). The plan
recorded when the proposal is signed kept only ack_principal, so its agreement acknowledged the whole
principal as due. principal_not_due holds that part of ack_principal.

Existing plans get 0.00: what their agreements stated so far (the whole principal acknowledged as
due); the column is computed for plans recorded from now on.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-04 21:30:00
"""
import sqlalchemy as sa
from alembic import op

import service.core.db

revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('repayment_plan') as batch:
        batch.add_column(sa.Column('principal_not_due', service.core.db.Money(), nullable=False,
                                   server_default='0.00'))


def downgrade() -> None:
    with op.batch_alter_table('repayment_plan') as batch:
        batch.drop_column('principal_not_due')
