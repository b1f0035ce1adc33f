"""The court a CN case is filed in, by CN-24's data (service/cases/rules/cn.json): the level by the
claimed amount (法发〔2021〕27号), a financial court for a financial case at its level, the court of a
special area (前海, 横琴) for an address inside it; and every court paper and the packet of the case
name that one court."""

import zipfile
from decimal import Decimal

import pytest

from service.cases.rules import load_ruleset
from service.documents.contexts.legal.blocks import VENUE_RULE, court_for
from service.packets.build import build_packet
from tests.documents.conftest import pdf_text, squash
from tests.documents.legal_cases import DAY, context, litigation_case, texts

QIANHAI = "广东省深圳市南山区前海深港合作区前湾一路1号A栋201室"
NANSHAN = "广东省深圳市南山区科技园南区高新南一道9号"
PUDONG = "上海市浦东新区世纪大道1000号华信大厦18层"
XUHUI = "上海市徐汇区漕溪北路1号"
JINAN = "山东省济南市历下区文化东路228号"
CHENGDU = "四川省成都市武侯区人民南路四段12号"


@pytest.mark.parametrize(("lender", "borrower", "amount", "cause", "court"), [
    (QIANHAI, JINAN, "10324.68", "micro_loan", "深圳前海合作区人民法院"),  # the area's own court
    (NANSHAN, JINAN, "10324.68", "micro_loan", "深圳市南山区人民法院"),  # Nanshan outside 前海
    (PUDONG, JINAN, "129720.05", "financial_loan", "上海市浦东新区人民法院"),  # a consumer loan: the basic court
    (PUDONG, JINAN, "100000000", "financial_loan", "上海金融法院"),  # one party outside, from 1亿
    (PUDONG, XUHUI, "100000000", "financial_loan", "上海市浦东新区人民法院"),  # both in Shanghai: below 5亿
    (PUDONG, XUHUI, "500000000", "financial_loan", "上海金融法院"),
    (PUDONG, JINAN, "100000000", "private_lending", "上海市中级人民法院"),  # 民间借贷 is no financial case
    (CHENGDU, JINAN, "100000000", "micro_loan", "成渝金融法院"),
    (QIANHAI, JINAN, "100000000", "micro_loan", "深圳市中级人民法院"),  # no financial court in Shenzhen
])
def test_the_court_follows_the_level_the_cause_and_the_area(db, lender, borrower, amount, cause, court):
    case = litigation_case(db)
    terms = context(db, case.ref, "civil_complaint").terms  # type: ignore[attr-defined]
    assert "贷款人住所地" in terms.jurisdiction_clause  # the lender's domicile decides
    found = court_for(terms, lender, borrower, load_ruleset("CN"), amount=Decimal(amount), cause=cause)
    assert found.name == court


def test_the_special_courts_state_their_source_and_assumption():
    params = load_ruleset("CN").rule(VENUE_RULE).params
    for key in ("special_areas", "intermediate_from", "financial_courts"):
        assert params[key]["source"] and params[key]["assumption"], key


def test_a_qianhai_lenders_court_papers_and_packet_name_one_court(db, settings, tmp_path):
    case = litigation_case(db, lender={"address": QIANHAI})
    court = "深圳前海合作区人民法院"
    for kind in ("civil_complaint", "power_of_attorney", "service_address_confirmation", "court_fee_statement",
                 "complaint_elements", "evidence_index", "mediation_application"):
        ctx = context(db, case.ref, kind)
        assert ctx.court.name == court, kind  # type: ignore[attr-defined]
        for text in texts(ctx, tmp_path):
            assert court in squash(text), kind
            assert "南山区人民法院" not in squash(text), kind
    bundle = tmp_path / "packet.zip"
    build_packet(db, settings, case.ref, bundle, as_of=DAY, draft=True)
    with zipfile.ZipFile(bundle) as z:
        packet = squash(pdf_text(z.read("packet.pdf"), tmp_path))
    assert court in packet and "南山区人民法院" not in packet
