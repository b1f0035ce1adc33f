"""an upload's redacted copy and the visit a signed record is of

evidence_item.redaction_of: the upload this one is a redacted copy of (Tex. R. Civ. P. 21c: a filing
shows an account number only by its last digits). The original keeps its row and its hash; the copy
is an upload of its own, with its own hash, naming the original. A packet files the copy in its place.

evidence_item.visit_id: the visit a signed visit record's scan is of. Scans uploaded before it have
none; the packet matches those to the signed visits in upload order, as before.

Revision ID: 0031
Revises: 0030
Create Date: 2026-12-06 23:30:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0031'
down_revision = '0030'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('evidence_item') as batch:
        batch.add_column(sa.Column('redaction_of', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('visit_id', sa.Integer(), nullable=True))
        batch.create_foreign_key(batch.f('fk_evidence_item_redaction_of_evidence_item'), 'evidence_item',
                                 ['redaction_of'], ['id'])
        batch.create_foreign_key(batch.f('fk_evidence_item_visit_id_visit'), 'visit', ['visit_id'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('evidence_item') as batch:
        batch.drop_constraint(batch.f('fk_evidence_item_visit_id_visit'), type_='foreignkey')
        batch.drop_constraint(batch.f('fk_evidence_item_redaction_of_evidence_item'), type_='foreignkey')
        batch.drop_column('visit_id')
        batch.drop_column('redaction_of')
