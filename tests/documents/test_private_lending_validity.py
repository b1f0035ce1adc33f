"""A 民间借贷 complaint pleads the contract 合法有效 only where it can (review F29): 民间借贷规定
art. 13(三) voids the loans of a lender without a licence who lends for profit to the public. The
lender records how it lends (lending_practice, migration 0022); the complaint and the lawyer letter
assert validity for a licensed lender or an occasional (or natural-person) lender, state the facts
only where nothing is recorded, and a professional lender's pleadings are refused (CN-32)."""

from datetime import date

import pytest
from sqlalchemy import select

from service.cases.casefile import load_case_file
from service.cases.enums import Stage
from service.cases.models import DebtCase
from service.cases.warnings import current_warnings
from service.core.errors import InvalidInput
from service.documents import rules as document_rules
from service.documents.registry import get_kind
from tests.documents.conftest import squash
from tests.documents.legal_cases import DAY, context, facts_for, litigation_case, moment, texts
from tests.factories import DEMO_ANCHOR, borrower, import_case
from tests.seeded import seed_demo

VALID = "合法有效"
NOT_13_3 = "不属于《最高人民法院关于审理民间借贷案件适用法律若干问题的规定》第十三条第（三）项规定的情形"
PLEADINGS = ("civil_complaint", "complaint_elements", "lawyer_letter", "mediation_application")


def _private(db, practice: str) -> DebtCase:  # type: ignore[no-untyped-def]
    code = "PL" + (practice.replace("_", "").upper()[:8] or "NONE")  # a lender of its own per practice
    return litigation_case(db, lender={"code": code, "licence_type": "non_licensed", "credit_system": "",
                                       "lending_practice": practice})


@pytest.mark.parametrize(("licence", "practice", "valid", "not_13_3"), [
    ("bank", "", True, False), ("non_licensed", "occasional", True, True),
    ("non_licensed", "natural_person", True, True), ("non_licensed", "", False, False)],
    ids=["bank", "occasional", "natural_person", "not_recorded"])
def test_validity_is_pleaded_only_where_it_holds(db, tmp_path, licence, practice, valid, not_13_3):
    credit = {"credit_system": ""} if licence == "non_licensed" else {}
    case = litigation_case(db, lender={"licence_type": licence, "lending_practice": practice, **credit})
    for kind in ("civil_complaint", "lawyer_letter"):
        assert not [v for v in document_rules.check(facts_for(db, case.ref), get_kind(kind)) if v.rule == "CN-32"]
        for text in texts(context(db, case.ref, kind), tmp_path):
            flat = squash(text)
            assert (VALID in flat) == valid, (kind, practice)
            assert (squash(NOT_13_3) in flat) == (not_13_3 and kind == "civil_complaint"), (kind, practice)
            assert "被告未按约定还本付息" in flat or "您未按约定还本付息" in flat, kind


def test_a_professional_lenders_pleadings_are_refused(db):
    case = _private(db, "to_public")
    facts = facts_for(db, case.ref)
    for kind in PLEADINGS:
        found = [v for v in document_rules.check(facts, get_kind(kind)) if v.rule == "CN-32"]
        assert found, kind
        assert "art. 13(3)" in found[0].message and "第十三条第（三）项" in found[0].localized["zh-CN"]
    # documents that plead nothing of the contract's validity are not refused by it
    assert not [v for v in document_rules.check(facts, get_kind("service_address_confirmation"))
                if v.rule == "CN-32"]


def test_the_cn32_warning_is_gone_once_the_lending_is_recorded_occasional(db):
    for practice, warned in (("", True), ("to_public", True), ("occasional", False)):
        case = _private(db, practice)
        cf = load_case_file(db, case.ref)
        facts = facts_for(db, case.ref)
        rules = [v.rule for v in current_warnings(cf, facts.limitation, now=moment(DAY), on=DAY)]
        assert ("CN-32" in rules) == warned, practice


def _resident_id(n: int) -> str:
    from stdnum.cn import ric

    base = f"11010519800101{n:03d}"
    return base + ric.calc_check_digit(base + "0")  # it takes a number with a check digit in place


def test_the_lenders_own_loans_can_contradict_its_recorded_occasional_lending(db, tmp_path):
    """Review CN-00060 (2026-12-07): a lender recorded as lending occasionally had 12 loans to 12
    people within 15 months on record, and the complaint still pleaded "原告并非以营利为目的向社会不特定
    对象提供借款". CN-32 holds the record against the attestation (法发〔2019〕24号 art. 1: 10 loans in
    2 years to unspecified people): at 10 loans to more than one borrower within the 2 years up to the
    document's date the pleadings state the facts only, and legal staff are warned; at 9, or with
    the loans older than 2 years, nothing changes."""
    lender = {"code": "PLOFTEN", "licence_type": "non_licensed", "credit_system": "", "lending_practice": "occasional"}
    case = litigation_case(db, lender=lender)  # signed 2025-01-10, as are the loans below

    def pleaded() -> tuple[bool, list[str], list[str]]:
        facts = facts_for(db, case.ref)
        flat = squash(texts(context(db, case.ref, "civil_complaint"), tmp_path)[0])
        warned = [v.localized["zh-CN"] for v in current_warnings(facts.cf, facts.limitation, now=moment(DAY), on=DAY)
                  if v.rule == "CN-32"]
        refused = [v.rule for v in document_rules.check(facts, get_kind("civil_complaint")) if v.rule == "CN-32"]
        return VALID in flat and squash(NOT_13_3) in flat, warned, refused

    for n in range(8):  # 9 loans in all
        import_case(db, lender=lender, borrower=borrower(name=f"借款人{n}", id_number=_resident_id(n)))
    assert pleaded() == (True, [], [])
    import_case(db, lender=lender, borrower=borrower(name="借款人8", id_number=_resident_id(8)))  # the 10th
    valid, warned, refused = pleaded()
    assert not valid and not refused  # the facts only: not refused, as a lender with no practice recorded
    assert len(warned) == 1 and "出借10笔、借款人10名" in warned[0] and "法发〔2019〕24号第一条" in warned[0], warned
    assert "2023-12-02至2025-12-01" in warned[0], warned
    # two years on the same loans are outside the window: the attestation stands again
    later = facts_for(db, case.ref, date(2027, 1, 11))
    assert not [v for v in current_warnings(later.cf, later.limitation, now=moment(date(2027, 1, 11)),
                                            on=date(2027, 1, 11)) if v.rule == "CN-32"]


def test_loans_to_one_borrower_do_not_contradict_occasional_lending(db):
    """法发〔2019〕24号 counts loans to unspecified people: ten loans to one borrower are not that."""
    from service.cases.lender_law import contradicting_record
    from service.cases.rules import load_ruleset

    rules = load_ruleset("CN")
    one = [(date(2025, 1, 10), 7)] * 10
    assert contradicting_record(rules, "non_licensed", "occasional", one, DAY) is None
    many = [(date(2025, 1, 10), n) for n in range(10)]
    found = contradicting_record(rules, "non_licensed", "occasional", many, DAY)
    assert found is not None and (found.loans, found.borrowers) == (10, 10)
    assert contradicting_record(rules, "bank", "", many, DAY) is None
    assert contradicting_record(rules, "non_licensed", "to_public", many, DAY) is None  # refused by CN-32 already
    assert contradicting_record(rules, "non_licensed", "occasional", many[:9], DAY) is None


def test_lending_practice_is_recorded_only_for_an_unlicensed_lender(db):
    with pytest.raises(InvalidInput) as exc:
        import_case(db, lender={"lending_practice": "occasional"})
    assert [e.field for e in exc.value.errors] == ["lender.lending_practice"]


def test_the_demo_private_lender_can_be_sued_on_its_contracts(db, tmp_path):
    seed_demo(db, anchor=DEMO_ANCHOR, cases=40)
    court = [S for S in (Stage.PRE_LITIGATION, Stage.FILED, Stage.JUDGMENT, Stage.ENFORCEMENT)]
    refs = [c.ref for c in db.scalars(select(DebtCase).where(DebtCase.profile == "CN", DebtCase.stage.in_(court)))
            if load_case_file(db, c.ref).lender.licence_type == "non_licensed"]
    assert refs, "no 民间借贷 case in litigation in the demo"
    for ref in refs:
        cf = load_case_file(db, ref)
        assert cf.lender.lending_practice == "occasional"
        facts = facts_for(db, ref, DEMO_ANCHOR)
        assert not [v for v in document_rules.check(facts, get_kind("civil_complaint")) if v.rule == "CN-32"]
    pre = [r for r in refs if load_case_file(db, r).case.stage == Stage.PRE_LITIGATION]
    if pre:
        flat = squash(texts(context(db, pre[0], "civil_complaint", day=DEMO_ANCHOR), tmp_path)[0])
        assert "民间借贷纠纷" in flat and VALID in flat and squash(NOT_13_3) in flat


def test_no_demo_lenders_own_loans_contradict_its_recorded_practice(db):
    """The demo as `dossier demo seed` makes it: RXTZ had 12 loans in 15 months on record while its
    pleadings said it lends occasionally (review CN-00060); its twin JCSW now takes every other one."""
    from service.cases.lender_law import contradicting_record
    from service.cases.rules import load_ruleset

    seed_demo(db, anchor=DEMO_ANCHOR, cases=64, court_sets=True)
    rules = load_ruleset("CN")
    counted = {}
    for ref in db.scalars(select(DebtCase.ref).where(DebtCase.profile == "CN")):
        cf = load_case_file(db, ref)
        if cf.lender.lending_practice:
            counted[cf.lender.code] = len(cf.lender_loans)
            assert contradicting_record(rules, cf.lender.licence_type, cf.lender.lending_practice, cf.lender_loans,
                                        DEMO_ANCHOR) is None, (ref, cf.lender.code, len(cf.lender_loans))
    assert set(counted) == {"RXTZ", "JCSW"} and all(n >= 5 for n in counted.values()), counted
