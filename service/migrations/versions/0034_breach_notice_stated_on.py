"""a breach's notice_as_of is the day the notice's stated total is the balance of

A breach notice sent before the acceleration date states what falls due on that date (the day after
the cure deadline; that day's default interest included), and breach_event kept it beside the
notice's own date (review US-00010: "$748.18 then due on October 21" recorded as of October 6).
From now on notice_as_of is the day the stated total is the balance of: the acceleration date for a
notice dated before it, else the notice's date (the notice's own date stays its document's
as_of_date and its communication's stated_as_of).

Existing rows: a notice_as_of on or before the cure deadline moves to the day after it, the
acceleration date the notice stated its total for (a notice is generated before the acceleration
is recorded, so its acceleration date was the day after the cure deadline). Downgrade leaves them.

Revision ID: 0034
Revises: 0033
Create Date: 2026-12-08 10:00:00
"""
from datetime import date, timedelta

import sqlalchemy as sa
from alembic import op

revision = '0034'
down_revision = '0033'
branch_labels = None
depends_on = None

BREACH = sa.table('breach_event', sa.column('id', sa.Integer), sa.column('cure_deadline', sa.Date),
                  sa.column('notice_total', sa.Numeric), sa.column('notice_as_of', sa.Date))


def upgrade() -> None:
    bind = op.get_bind()
    rows = bind.execute(sa.select(BREACH.c.id, BREACH.c.cure_deadline, BREACH.c.notice_as_of)
                        .where(BREACH.c.notice_total.is_not(None), BREACH.c.notice_as_of.is_not(None))).all()
    for row_id, deadline, stated in rows:
        if isinstance(deadline, str):  # SQLite without type affinity hands back ISO text
            deadline, stated = date.fromisoformat(deadline), date.fromisoformat(stated)
        if stated <= deadline:
            bind.execute(sa.update(BREACH).where(BREACH.c.id == row_id)
                         .values(notice_as_of=deadline + timedelta(days=1)))


def downgrade() -> None:
    pass
