"""the case list's search on PostgreSQL: a trigram GIN index on debt_case.search_text

A search is a substring match (LIKE '%…%'), which a B-tree cannot serve: with 100,000 cases it
read the whole table (about 300 ms a page). pg_trgm's GIN index answers it from the index for
three characters or more. PostgreSQL only: SQLite keeps its scan (a single-user file database).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-03 08:00:00
"""
from alembic import op

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute('CREATE EXTENSION IF NOT EXISTS pg_trgm')
    op.create_index('ix_debt_case_search_trgm', 'debt_case', ['search_text'], postgresql_using='gin',
                    postgresql_ops={'search_text': 'gin_trgm_ops'})


def downgrade() -> None:
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.drop_index('ix_debt_case_search_trgm', table_name='debt_case')
