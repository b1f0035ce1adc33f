"""The court a CN case is filed in, by CN-24's data (service/cases/rules/cn.json): the level by the
claimed amount (法发〔2021〕27号), a financial court for a financial case at its level, the court of a
special area (前海, 横琴) for an address inside it; and every court paper and the packet of the case
name that one court. An English version of a CN document names the court in English with its Chinese
name after it in brackets (CN-24's "english" data), never in Chinese only."""

import zipfile
from decimal import Decimal

import pytest

from service.cases.rules import load_ruleset
from service.demo.data import LENDERS, REGIONS
from service.documents.contexts.legal.blocks import VENUE_RULE, _city_and_district, court_for, court_name_en
from service.packets.build import build_packet
from tests.documents.conftest import TEMPLATES, pdf_text, squash
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


@pytest.mark.parametrize(("court", "english"), [
    ("深圳前海合作区人民法院", "Shenzhen Qianhai Cooperation Zone People's Court"),
    ("深圳市南山区人民法院", "Shenzhen Nanshan District People's Court"),
    ("上海市浦东新区人民法院", "Shanghai Pudong New Area People's Court"),
    ("上海金融法院", "Shanghai Financial Court"),
    ("上海市中级人民法院", "Shanghai Intermediate People's Court"),
    ("成渝金融法院", "Chengdu-Chongqing Financial Court"),
    ("杭州互联网法院", "Hangzhou Internet Court"),
    ("苏州市昆山市人民法院", ""),  # a place CN-24 does not list: no English name is made up
])
def test_a_court_s_english_name_is_cn_24_s_data(court, english):
    assert court_name_en(court, load_ruleset("CN")) == english


def test_every_court_the_demo_s_addresses_lead_to_has_an_english_name():
    rules = load_ruleset("CN")
    params = rules.rule(VENUE_RULE).params
    names = set(params["english"]["courts"])
    addresses = [city + district for _, city, district, _ in REGIONS] + [lender["address"] for lender in LENDERS]
    places = [_city_and_district(address) for address in addresses if not address[0].isascii()]
    for city, district in places:
        names |= {params["court_name"]["district"].format(city=city, district=district),
                  params["court_name"]["intermediate"].format(city=city)}
    assert all(court_name_en(name, rules) for name in names), [n for n in names if not court_name_en(n, rules)]


def test_no_english_cn_template_prints_a_court_in_chinese_only():
    for path in TEMPLATES.glob("*/*/cn/en-US.html"):
        assert "court.name }}" not in path.read_text(encoding="utf-8"), path


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
    english = "Shenzhen Qianhai Cooperation Zone People's Court (深圳前海合作区人民法院)"
    for text in texts(context(db, case.ref, "power_of_attorney", "en-US"), tmp_path):
        assert squash(english) in squash(text)
        assert squash(text).count(court) == 1  # the bracketed name, never the Chinese alone
