"""a lender's repayment app, by its name (lender.app_name, nullable)

Every CN notice told the borrower to repay "through our official app" (登录本公司官方App), whatever
the lender: false for a lender without one (a lender without a licence lending now and then, a
factoring company), and a notice that names a repayment channel that does not exist misleads the
borrower it tells to pay only through the lender's published channels. A lender now records its
app's name where it has one; notices name the app by that name only then (rule DOC-10).

Existing lenders: NULL (no app recorded), so their notices name no app until one is recorded
(PATCH /v1/lenders/{code} with app_name, or `dossier lender app CODE NAME`): a notice states the
repayment account, or the hotline where there is none, rather than an app nobody recorded.

Revision ID: 0035
Revises: 0034
Create Date: 2026-12-08 01:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0035'
down_revision = '0034'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('lender') as batch:
        batch.add_column(sa.Column('app_name', sa.String(length=60), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('lender') as batch:
        batch.drop_column('app_name')
