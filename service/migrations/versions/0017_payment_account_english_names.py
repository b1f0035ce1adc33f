"""the repayment account's English names (bank_en, account_name_en)

An English document names the bank and the account holder in English: a lender's
payment_account and a plan's pay_to (its copy) carry bank_en and account_name_en. A name
recorded in English already is its own English name; one recorded in Chinese stays without
one ("") until it is recorded, and an English document that prints it is refused until then.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-03 19:00:00
"""
import re
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None

_CHINESE = re.compile(r"[\u3400-\u9fff]")
_ACCOUNTS = (("lender", "payment_account"), ("repayment_plan", "pay_to"))
_KEYS = (("bank", "bank_en"), ("account_name", "account_name_en"))


def _rewrite(change: Any) -> None:
    bind = op.get_bind()
    for table_name, column in _ACCOUNTS:
        table = sa.table(table_name, sa.column("id", sa.Integer), sa.column(column, sa.JSON))
        for row_id, record in bind.execute(sa.select(table.c.id, table.c[column])).all():
            if record:
                new = change(dict(record))
                if new != record:
                    bind.execute(table.update().where(table.c.id == row_id).values({column: new}))


def _add(record: dict[str, Any]) -> dict[str, Any]:
    for key, key_en in _KEYS:
        name = record.get(key, "")
        record.setdefault(key_en, "" if _CHINESE.search(name) else name)
    return record


def _drop(record: dict[str, Any]) -> dict[str, Any]:
    for _, key_en in _KEYS:
        record.pop(key_en, None)
    return record


def upgrade() -> None:
    _rewrite(_add)


def downgrade() -> None:
    _rewrite(_drop)
