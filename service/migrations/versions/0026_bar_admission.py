"""bar admissions as rows: a lawyer's admission to each state's bar, with its number

A US pleading is signed with the attorney's bar number in the forum state (Tex. R. Civ. P. 57;
Cal. Rules of Court 2.111(1)). law_firm.lead_lawyer_bars (0018) held them as a JSON map with no
check on its keys and no tie to the lawyer: a firm whose lead lawyer changed kept the former
lawyer's numbers. Each admission is now a row of bar_admission (firm, lawyer, state, number),
one per lawyer and state; the JSON map's entries move over under the firm's lead lawyer.

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-06 01:40:00
"""
import json

import sqlalchemy as sa
from alembic import op

revision = '0026'
down_revision = '0025'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'bar_admission',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('law_firm_id', sa.Integer(), nullable=False),
        sa.Column('lawyer', sa.String(length=80), nullable=False),
        sa.Column('state', sa.String(length=2), nullable=False),
        sa.Column('bar_number', sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(['law_firm_id'], ['law_firm.id'], name=op.f('fk_bar_admission_law_firm_id_law_firm'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_bar_admission')),
        sa.UniqueConstraint('law_firm_id', 'lawyer', 'state', name=op.f('uq_bar_admission_law_firm_id_lawyer_state')),
    )
    op.create_index(op.f('ix_bar_admission_law_firm_id'), 'bar_admission', ['law_firm_id'], unique=False)
    bind = op.get_bind()
    firms = bind.execute(sa.text('SELECT id, lead_lawyer, lead_lawyer_bars FROM law_firm')).all()
    admission = sa.text('INSERT INTO bar_admission (law_firm_id, lawyer, state, bar_number) '
                        'VALUES (:firm, :lawyer, :state, :number)')
    for firm_id, lawyer, bars in firms:
        found = json.loads(bars) if isinstance(bars, str) else (bars or {})
        for state, number in found.items():
            bind.execute(admission, {"firm": firm_id, "lawyer": lawyer, "state": str(state).upper()[:2],
                                     "number": str(number)[:40]})
    with op.batch_alter_table('law_firm') as batch:
        batch.drop_column('lead_lawyer_bars')


def downgrade() -> None:
    with op.batch_alter_table('law_firm') as batch:
        batch.add_column(sa.Column('lead_lawyer_bars', sa.JSON(), nullable=False, server_default='{}'))
    bind = op.get_bind()
    rows = bind.execute(sa.text('SELECT a.law_firm_id, a.state, a.bar_number FROM bar_admission a '
                                'JOIN law_firm f ON f.id = a.law_firm_id AND f.lead_lawyer = a.lawyer')).all()
    bars: dict[int, dict[str, str]] = {}
    for firm_id, state, number in rows:
        bars.setdefault(firm_id, {})[state] = number
    for firm_id, found in bars.items():
        bind.execute(sa.text('UPDATE law_firm SET lead_lawyer_bars = :bars WHERE id = :id'),
                     {"bars": json.dumps(found), "id": firm_id})
    op.drop_index(op.f('ix_bar_admission_law_firm_id'), table_name='bar_admission')
    op.drop_table('bar_admission')
