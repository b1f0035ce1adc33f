"""The law firm's postal code (migration 0021): the service-address confirmation states it for the
firm's office where the plaintiff is represented (it printed 邮政编码 无), the power of attorney
gives it with the firm's address, and a postal code that is not one is refused naming its field."""

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from service.cases import firms
from service.cases.casefile import load_case_file
from service.cases.enums import Stage
from service.cases.models import DebtCase, LawFirm
from service.cases.schemas import LawFirmIn
from service.core.errors import InvalidInput
from service.core.settings import get_settings
from service.documents.contexts.common import DocMeta
from service.documents.contexts.facts import CaseFacts
from service.documents.registry import KINDS
from service.documents.render import render
from tests.documents.conftest import pdf_text, squash
from tests.factories import demo_clock, import_case
from tests.seeded import seed_demo

ANCHOR = date(2026, 11, 27)


def _pdf(db: Session, ref: str, kind: str, tmp_path) -> str:  # type: ignore[no-untyped-def]
    cf = load_case_file(db, ref)
    facts = CaseFacts(cf, ANCHOR, demo_clock(ANCHOR, tz=cf.borrower.timezone))
    doc = DocMeta(kind=kind, profile="CN", locale="zh-CN", audience=KINDS[kind].audience, as_of=ANCHOR,
                  case_ref=ref)
    ctx = KINDS[kind].context_class().build(facts, doc)
    return squash(pdf_text(render(ctx, "pdf", templates_dir=get_settings().templates_dir).data, tmp_path))


def test_the_service_address_confirmation_and_power_of_attorney_state_the_firms_postal_code(db, tmp_path):
    seed_demo(db, anchor=ANCHOR, cases=15)
    firms = {f.code: f for f in db.scalars(select(LawFirm))}
    assert (firms["ZHLAW"].postal_code, firms["MDLAW"].postal_code, firms["HCLAW"].postal_code) == (
        "100004", "200002", "60601")
    case = db.scalars(select(DebtCase).where(DebtCase.profile == "CN", DebtCase.stage == Stage.PRE_LITIGATION,
                                             DebtCase.law_firm_id.is_not(None))).first()
    assert case is not None
    firm = next(f for f in firms.values() if f.id == case.law_firm_id)
    confirmation = _pdf(db, case.ref, "service_address_confirmation", tmp_path)
    assert f"邮政编码{firm.postal_code}" in confirmation and "邮政编码无" not in confirmation
    power = _pdf(db, case.ref, "power_of_attorney", tmp_path)
    assert f"律师事务所地址：{squash(firm.address)}，邮政编码：{firm.postal_code}" in power


@pytest.mark.parametrize(("profile", "code", "ok"), [
    ("CN", "100004", True), ("CN", "", True), ("CN", "10004", False), ("CN", "1000O4", False),
    ("CN", "1000045", False), ("US", "60601", True), ("US", "60601-1234", True), ("US", "100004", False)])
def test_a_firms_postal_code_is_checked_by_where_it_practises(db, profile, code, ok):
    data = LawFirmIn(code="PCLAW", name="测试律师事务所", profile=profile, postal_code=code)
    if ok:
        assert firms.save_law_firm(db, data).postal_code == code
        return
    with pytest.raises(InvalidInput) as exc:
        firms.save_law_firm(db, data)
    assert [e.field for e in exc.value.errors] == ["postal_code"]
    assert ("six digits" if profile == "CN" else "ZIP") in exc.value.errors[0].message


def test_a_case_import_refuses_a_lender_postal_code_that_is_not_one(db):
    with pytest.raises(InvalidInput) as exc:
        import_case(db, lender={"postal_code": "SH-200"})
    assert [e.field for e in exc.value.errors] == ["lender.postal_code"]
