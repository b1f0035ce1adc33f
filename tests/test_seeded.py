"""The memoised demo seed the tests here use (tests/seeded.py) writes what the seed writes."""

from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from service.core.db import make_engine
from service.core.settings import Settings
from service.demo.seed import seed_demo as real_seed_demo
from tests import seeded
from tests.factories import DEMO_ANCHOR
from tests.live import own_database


def _real(tmp: Path, name: str, settings: Settings) -> seeded.Rows:
    engine = make_engine(own_database(tmp, name))
    with Session(engine) as session:
        assert real_seed_demo(session, anchor=DEMO_ANCHOR, cases=6, settings=settings).cases == 6
        session.commit()
    with engine.connect() as conn:
        rows = seeded._rows(conn)
    engine.dispose()
    return rows


def test_a_copied_seed_writes_what_a_seeding_with_the_same_arguments_writes(db, settings, tmp_path):
    if db.get_bind().dialect.name != "sqlite":
        pytest.skip("on PostgreSQL the demo is seeded for real in every test")
    result = seeded.seed_demo(db, anchor=DEMO_ANCHOR, cases=6, settings=settings)
    copied = seeded._rows(db.connection())
    assert result.cases == 6 and set(result.keys) and set(result.logins)
    assert any(key[0] == DEMO_ANCHOR for key in seeded._SEEDED), "it was copied, not seeded in the test"

    # Two real seedings differ in their clock times, random ids and credentials: every value
    # they agree on, the copy has too, and it has every row they have.
    first, second = _real(tmp_path, "first", settings), _real(tmp_path, "second", settings)
    assert set(copied) == set(first) == set(second)
    for table in sorted(first):
        assert len(copied[table]) == len(first[table]) == len(second[table]), table
        for n, (a, b, c) in enumerate(zip(first[table], second[table], copied[table], strict=True)):
            differ = [k for k, (x, y, z) in enumerate(zip(a, b, c, strict=True)) if x == y != z]
            assert not differ, f"{table} row {n}, columns {differ}: {a} against {c}"
    assert first["debt_case"] and first["generated_document"] and first["communication"]


def test_a_test_that_wrote_before_seeding_gets_a_real_seeding(db, settings):
    from service.cases.models import LawFirm

    db.add(LawFirm(code="EARLY", name="先写的律所"))
    db.flush()
    size = len(seeded._SEEDED)
    assert seeded.seed_demo(db, anchor=DEMO_ANCHOR, cases=2).cases == 2
    assert len(seeded._SEEDED) == size, "a database with rows of its own is seeded, not copied into"
    assert db.connection().exec_driver_sql("SELECT count(*) FROM debt_case").scalar() == 2
