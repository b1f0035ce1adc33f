"""the case list's filter columns: oldest owing due date, principal outstanding in cents; indexes

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 18:40:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('debt_case') as batch:
        batch.add_column(sa.Column('overdue_since', sa.Date(), nullable=True))
        batch.add_column(sa.Column('principal_cents', sa.BigInteger(), nullable=False, server_default='0'))
        batch.create_index(batch.f('ix_debt_case_overdue_since'), ['overdue_since'], unique=False)
        batch.create_index(batch.f('ix_debt_case_principal_cents'), ['principal_cents'], unique=False)
        batch.create_index(batch.f('ix_debt_case_updated_at'), ['updated_at'], unique=False)
    _backfill()


def _backfill() -> None:
    """Existing cases get their values from their ledger, as the service computes it."""
    from sqlalchemy.orm import Session

    import service.models  # noqa: F401
    from service.cases import list_columns
    from service.cases.casefile import load_case_file
    from service.cases.models import DebtCase

    session = Session(bind=op.get_bind())
    refs = session.scalars(sa.select(DebtCase.ref)).all()
    for ref in refs:
        list_columns.refresh(load_case_file(session, ref))
    session.flush()


def downgrade() -> None:
    with op.batch_alter_table('debt_case') as batch:
        batch.drop_index(batch.f('ix_debt_case_updated_at'))
        batch.drop_index(batch.f('ix_debt_case_principal_cents'))
        batch.drop_index(batch.f('ix_debt_case_overdue_since'))
        batch.drop_column('principal_cents')
        batch.drop_column('overdue_since')
