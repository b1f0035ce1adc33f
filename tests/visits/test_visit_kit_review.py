"""The visit kit as a careful reader reads it (review of 2026-12-04): rates within the cap, plans
that relieve rather than accelerate, one number per signed agreement, notices said to be sent when
the log says sent, and no litigation wording before a suit. Real renders read with pdftotext."""

import re
import subprocess
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from service.cases.casefile import load_case_file
from service.cases.enums import Stage
from service.cases.models import DebtCase, LoanContract
from service.core.settings import Settings
from service.demo.seed import seed_demo
from service.documents.format import percent
from service.visits.kit import VisitKit, build_visit_kit, facts_for
from tests.factories import DEMO_ANCHOR

SPACE = re.compile(r"\s+")


@pytest.fixture(scope="module")
def seeded(engine: Engine, settings: Settings) -> Iterator[Session]:
    with engine.connect() as conn:
        trans = conn.begin()
        session = Session(bind=conn, join_transaction_mode="create_savepoint", expire_on_commit=False)
        try:
            seed_demo(session, anchor=DEMO_ANCHOR, cases=1, settings=settings, stages=(Stage.VISIT_NOTIFIED,))
            yield session
        finally:
            session.close()
            trans.rollback()


@pytest.fixture
def db(seeded: Session) -> Iterator[Session]:
    nested = seeded.begin_nested()
    try:
        yield seeded
    finally:
        nested.rollback()
        seeded.expire_all()


def _ref(session: Session) -> str:
    return session.scalars(select(DebtCase.ref).where(DebtCase.stage == Stage.VISIT_NOTIFIED)).one()


def _pages(kit: VisitKit, tmp: Path) -> list[str]:
    path = tmp / "kit.pdf"
    path.write_bytes(kit.pdf)
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return [SPACE.sub("", p) for p in out.split("\f")[:-1]]


def _part(kit: VisitKit, pages: list[str], n: int) -> str:
    part = kit.parts[n]
    return "".join(pages[part.first_page - 1:part.last_page])


def test_no_rate_above_the_cap_is_announced(db: Session, settings: Settings, tmp_path: Path) -> None:
    """F2: a contract penalty rate above the cap is quoted capped, naming the cap, in the talking
    points as in the agreements; the staff never announce the contract's rate as what is charged."""
    ref = _ref(db)
    cf = load_case_file(db, ref)
    cap = facts_for(cf, DEMO_ANCHOR, None).cap
    assert cap.binding
    above = cap.annual_rate + Decimal("0.0612")
    contract = db.get(LoanContract, cf.contract.id)
    assert contract is not None
    contract.penalty_rate = above
    db.flush()
    db.expire_all()
    kit = build_visit_kit(db, settings, ref, as_of=DEMO_ANCHOR)
    brief = _part(kit, _pages(kit, tmp_path), 0)
    point = brief[brief.index("七、沟通要点"):brief.index("八、")]
    assert f"按年利率{percent(cap.annual_rate)}继续计收" in point
    assert f"约定年利率{percent(above)}，超过{cap.label_zh}的部分不予收取" in point
    assert f"（年利率{percent(above)}）" not in point
