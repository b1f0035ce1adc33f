"""案由 by lender type (CN-30): the table the court catalogue and 法释〔2020〕27号 give."""

import pytest

from service.cases.enums import LicenceType
from service.cases.lender_law import cause_of_action
from service.cases.rules import load_ruleset

CIVIL_CODE = "《中华人民共和国民法典》"
PRIVATE_LENDING_RULES = "《最高人民法院关于审理民间借贷案件适用法律若干问题的规定》"
REPLY_2020_27 = "《最高人民法院关于新民间借贷司法解释适用范围问题的批复》（法释〔2020〕27号）"

# licence type → (案由, laws cited after the Civil Code, articles of the last law)
TABLE = {
    LicenceType.BANK: ("金融借款合同纠纷", (), ()),
    LicenceType.CONSUMER_FINANCE: ("金融借款合同纠纷", (), ()),
    # a factoring (leasing, pawn...) company is a financial institution for its own business only
    # (法释〔2020〕27号); it may not lend (银保监办发〔2019〕205号): its loans are private lending
    LicenceType.OTHER_LICENSED: ("民间借贷纠纷", (PRIVATE_LENDING_RULES,), ("第二十五条", "第二十八条", "第二十九条")),
    LicenceType.MICRO_LOAN: ("小额借款合同纠纷", (), ()),  # the 批复 is why 4×LPR does not apply, not a basis
    LicenceType.NON_LICENSED: ("民间借贷纠纷", (PRIVATE_LENDING_RULES,), ("第二十五条", "第二十八条", "第二十九条")),
}


def test_the_table_covers_every_licence_type():
    assert set(TABLE) == set(LicenceType)


@pytest.mark.parametrize("licence", list(LicenceType), ids=str)
def test_cause_and_legal_basis_by_lender_type(licence):
    name, more_laws, last_articles = TABLE[licence]
    cause = cause_of_action(load_ruleset("CN"), licence)
    assert cause is not None and cause.name == name and cause.rule_id == "CN-30"
    assert [b.law for b in cause.basis] == [CIVIL_CODE, *more_laws]
    civil = cause.basis[0].articles
    assert {"第五百七十七条", "第六百六十七条", "第六百七十五条", "第六百七十六条"} <= set(civil)
    # 民法典 art. 680 (no usurious lending; no interest unless agreed) is cited for private lending only.
    assert ("第六百八十条" in civil) == (name == "民间借贷纠纷")
    assert all(b.law != REPLY_2020_27 for b in cause.basis)  # review #10: not a basis of liability
    if last_articles:
        assert cause.basis[-1].articles == last_articles


def test_us_cases_have_no_cause_of_action():
    assert cause_of_action(load_ruleset("US"), "other_licensed") is None


def test_an_unknown_licence_type_names_the_rule():
    with pytest.raises(KeyError, match="CN-30"):
        cause_of_action(load_ruleset("CN"), "pawnshop")


def test_a_lender_licensed_for_another_business_is_flagged_like_one_without_a_licence():
    # R-4: a factoring company lending to consumers is CN-32's case (民间借贷规定 art. 13(三))
    from service.cases.lender_law import pleads_validity, professional_lender_warning, void_contract
    rules = load_ruleset("CN")
    name = "上海信和商业保理有限公司"
    assert professional_lender_warning(rules, "other_licensed", name) is not None
    assert not pleads_validity(rules, "other_licensed", "")
    assert void_contract(rules, "other_licensed", "to_public", name, "civil_complaint") is not None
    assert professional_lender_warning(rules, "micro_loan", name) is None
