"""a notice once per borrower, kind and as-of date (DOC-03): generated_document.once with a
unique constraint, and the reason a notice was sent again

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 18:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

# The notice kinds at this revision (those recorded as sent to the borrower).
NOTICE_KINDS = ('overdue_reminder', 'demand_letter', 'credit_report_prenotice', 'visit_notice', 'plan_reminder',
                'breach_notice', 'validation_notice')


def upgrade() -> None:
    with op.batch_alter_table('generated_document') as batch:
        batch.add_column(sa.Column('once', sa.Boolean(), nullable=True))
        batch.add_column(sa.Column('override_reason', sa.Text(), nullable=True))
    # The first notice of each (case, kind, as-of) already sent counts; later copies stay unmarked.
    doc = sa.table('generated_document', sa.column('id', sa.String), sa.column('case_id', sa.Integer),
                   sa.column('kind', sa.String), sa.column('as_of_date', sa.Date), sa.column('created_at'),
                   sa.column('once', sa.Boolean))
    conn = op.get_bind()
    rows = conn.execute(sa.select(doc.c.id, doc.c.case_id, doc.c.kind, doc.c.as_of_date)
                        .where(doc.c.kind.in_(NOTICE_KINDS)).order_by(doc.c.created_at, doc.c.id)).all()
    seen: set[tuple[object, ...]] = set()
    for row in rows:
        key = (row.case_id, row.kind, row.as_of_date)
        if key not in seen:
            seen.add(key)
            conn.execute(sa.update(doc).where(doc.c.id == row.id).values(once=True))
    with op.batch_alter_table('generated_document') as batch:
        batch.create_unique_constraint('uq_generated_document_once', ['case_id', 'kind', 'as_of_date', 'once'])


def downgrade() -> None:
    with op.batch_alter_table('generated_document') as batch:
        batch.drop_constraint('uq_generated_document_once', type_='unique')
        batch.drop_column('override_reason')
        batch.drop_column('once')
