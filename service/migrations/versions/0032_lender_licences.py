"""a US lender's licences per state, and its NMLS ID as a field of its own

A US consumer lender is licensed by each state it lends in, under that state's law (a California
Financing Law licence, "60DBO-12345"; a New York licensed-lender licence; an Illinois Consumer
Installment Loan Act licence; a Texas regulated-lender licence). lender.licence_no held one number
for all of them, and the demo's was its NMLS ID: the registry's identifier of the company, no
state's licence number, which the California complaint alleged as its CFL licence number.

lender_licence: one row per lender, state and kind of licence (the law it is held under, a key of
the state's US-15 table), with its number and, where recorded, the date it was issued.
lender.nmls_id: the NMLS ID. A US lender whose licence_no is an NMLS ID ("NMLS 1234567",
"NMLS ID 1234567") has it moved there; any other licence_no stays where it is (no state can be read
from it): its state licences are recorded through the lender's API or CLI.

Downgrade puts an NMLS ID back into an empty licence_no as "NMLS <id>" and drops the state licences.

Revision ID: 0032
Revises: 0031
Create Date: 2026-12-07 10:30:00
"""
import re

import sqlalchemy as sa
from alembic import op

revision = '0032'
down_revision = '0031'
branch_labels = None
depends_on = None

_NMLS = re.compile(r"^\s*NMLS(?:\s+ID)?\s*(?:no\.|#|:)?\s*(\d{1,12})\s*$", re.I)


def upgrade() -> None:
    op.create_table(
        'lender_licence',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('lender_id', sa.Integer(), nullable=False),
        sa.Column('state', sa.String(length=2), nullable=False),
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.Column('number', sa.String(length=60), nullable=False),
        sa.Column('issued_on', sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(['lender_id'], ['lender.id'], name=op.f('fk_lender_licence_lender_id_lender'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_lender_licence')),
        sa.UniqueConstraint('lender_id', 'state', 'kind', name=op.f('uq_lender_licence_lender_id_state_kind')),
    )
    op.create_index(op.f('ix_lender_licence_lender_id'), 'lender_licence', ['lender_id'], unique=False)
    with op.batch_alter_table('lender') as batch:
        batch.add_column(sa.Column('nmls_id', sa.String(length=12), nullable=False, server_default=''))
    bind = op.get_bind()
    for lender_id, licence_no in bind.execute(sa.text("SELECT id, licence_no FROM lender WHERE profile = 'US'")).all():
        found = _NMLS.match(licence_no or "")
        if found:
            bind.execute(sa.text("UPDATE lender SET nmls_id = :nmls, licence_no = '' WHERE id = :id"),
                         {"nmls": found.group(1), "id": lender_id})


def downgrade() -> None:
    bind = op.get_bind()
    bind.execute(sa.text("UPDATE lender SET licence_no = 'NMLS ' || nmls_id "
                         "WHERE nmls_id <> '' AND licence_no = ''"))
    with op.batch_alter_table('lender') as batch:
        batch.drop_column('nmls_id')
    op.drop_index(op.f('ix_lender_licence_lender_id'), table_name='lender_licence')
    op.drop_table('lender_licence')
