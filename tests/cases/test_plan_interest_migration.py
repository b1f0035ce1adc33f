"""Migration 0028 (V-2): a recorded plan's contract interest to come, waived on condition. Plans
recorded before it state no amount, so they get 0.00; downgrade removes the column."""

from datetime import UTC, date, datetime
from decimal import Decimal

import sqlalchemy as sa
from alembic import command

from service.core.migrate import alembic_config, upgrade


def _filler(kind: sa.types.TypeEngine) -> object:
    if isinstance(kind, sa.DateTime):
        return datetime(2026, 1, 1, tzinfo=UTC)
    if isinstance(kind, sa.Date):
        return date(2026, 1, 1)
    if isinstance(kind, sa.Integer | sa.Numeric | sa.Boolean):
        return 0
    return {} if isinstance(kind, sa.JSON) else "x"


def _row(conn: sa.Connection, made: dict[str, int], name: str, **values: object) -> int:
    """A row of table `name` with every required column filled, its required parents made first
    (one of each, shared)."""
    if name in made:
        return made[name]
    table = sa.Table(name, sa.MetaData(), autoload_with=conn)
    row: dict[str, object] = {}
    for c in table.columns:
        if c.nullable or c.server_default is not None or c.primary_key:
            continue
        parents = [fk.column.table.name for fk in c.foreign_keys]
        row[c.name] = _row(conn, made, parents[0]) if parents else _filler(c.type)
    key = conn.execute(table.insert().values({**row, **values})).inserted_primary_key
    assert key is not None
    made[name] = int(key[0])
    return made[name]


def test_existing_plans_get_no_interest_waived_and_downgrade_removes_the_column(tmp_path):
    url = f"sqlite:///{tmp_path / 'm.db'}"
    upgrade(url, "0027")
    engine = sa.create_engine(url)
    with engine.begin() as conn:  # a plan row as 0027 stores it, on rows of its parents
        _row(conn, {}, "repayment_plan", agreement_no="CN-1-P1")
    upgrade(url, "0028")
    with engine.connect() as conn:
        plan = sa.Table("repayment_plan", sa.MetaData(), autoload_with=conn)
        rows = conn.execute(sa.select(plan.c.agreement_no, plan.c.interest_not_charged)).all()
        assert [(no, Decimal(str(v))) for no, v in rows] == [("CN-1-P1", Decimal("0.00"))]
    command.downgrade(alembic_config(url), "0027")
    with engine.connect() as conn:
        assert "interest_not_charged" not in {c["name"] for c in sa.inspect(conn).get_columns("repayment_plan")}
        assert conn.execute(sa.text("select agreement_no from repayment_plan")).scalars().all() == ["CN-1-P1"]
    engine.dispose()
