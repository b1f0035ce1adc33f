"""an evidence item's form is stored as a code (documentary, electronic, ...), not a Chinese word

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03 08:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None

WORDS = {'书证': 'documentary', '电子数据': 'electronic', '视听资料': 'audiovisual', '证人证言': 'witness'}


def _rewrite(pairs: dict[str, str]) -> None:
    item = sa.table('evidence_item', sa.column('form', sa.String))
    for old, new in pairs.items():
        op.execute(item.update().where(item.c.form == old).values(form=new))


def upgrade() -> None:
    _rewrite(WORDS)


def downgrade() -> None:
    _rewrite({code: word for word, code in WORDS.items()})
