"""Filters, masking by audience and the SMS budget."""

from datetime import date, datetime
from decimal import Decimal

import pytest

from service.cases.masking import mask_middle
from service.cases.models import Borrower
from service.cases.rules import load_ruleset
from service.documents.audience import Audience
from service.documents.contexts.common import Amounts, LenderBlock, PartyBlock
from service.documents.contexts.samples import lender
from service.documents.format import (
    address_lines,
    amount,
    cn_number,
    cn_upper,
    date_cn,
    date_en,
    datetime_en,
    money,
    percent,
    person_en,
    usd,
)
from service.documents.sms import budget

D = Decimal


@pytest.mark.parametrize(("value", "text"), [
    ("12345.67", "人民币壹万贰仟叁佰肆拾伍元陆角柒分"), ("100000", "人民币壹拾万元整"),
    ("10010.01", "人民币壹万零壹拾元零壹分"), ("0", "人民币零元整"), ("0.05", "人民币伍分")])
def test_amounts_in_chinese_capitals(value, text):
    assert cn_upper(D(value)) == text


def test_figures_dates_and_rates():
    assert money(D("1234567.8")) == "1,234,567.80" and money(D("-5")) == "-5.00"
    assert usd(D("2719.48")) == "$2,719.48" and amount(D("1"), "CNY") == "RMB 1.00"
    assert date_cn(date(2026, 11, 28)) == "2026年11月28日" and date_en(date(2026, 1, 2)) == "January 2, 2026"
    assert datetime_en(datetime(2026, 1, 2, 14, 5)) == "January 2, 2026, 2:05 PM"  # noqa: DTZ001 - a local time
    assert percent(D("0.18")) == "18%" and percent(D("0.1825")) == "18.25%" and cn_number(15) == "十五"
    with pytest.raises(TypeError):
        money(1.5)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        cn_upper(D("-1"))


@pytest.mark.parametrize(("address", "lines"), [
    ("880 S Figueroa St Apt 12, Los Angeles, CA 90017", ["880 S Figueroa St Apt 12,", "Los Angeles, CA 90017"]),
    ("150 North Michigan Avenue, Suite 900, Chicago, IL 60601-1234",
     ["150 North Michigan Avenue, Suite 900,", "Chicago, IL 60601-1234"]),
    ("Los Angeles, CA 90017", ["Los Angeles, CA 90017"]),  # nothing before the city: one line
    ("北京市朝阳区建国路88号", ["北京市朝阳区建国路88号"])])
def test_a_us_address_is_set_on_its_envelope_lines(address, lines):
    assert address_lines(address) == lines
    assert "".join(lines).replace(" ", "") == address.replace(" ", "")  # the lines read as the address


def _borrower() -> Borrower:
    return Borrower(name="张伟", id_type="cn_resident_id", id_number="11010519491231002X",
                    phones=[{"number": "13800138000"}], habitual_address="北京市朝阳区建国路88号")


@pytest.mark.parametrize(("audience", "id_number", "phone"), [
    (Audience.BORROWER, "110***********002X", "138****8000"), (Audience.THIRD_PARTY, "", ""),
    (Audience.COURT, "11010519491231002X", "13800138000"), (Audience.INTERNAL, "11010519491231002X", "13800138000")])
def test_identity_is_masked_by_audience(audience, id_number, phone):
    block = PartyBlock.of(_borrower(), audience, load_ruleset("CN"))
    assert (block.id_number, block.phone) == (id_number, phone)


def test_us_court_filings_show_the_last_four():
    b = Borrower(name="James Miller", id_type="us_ssn", id_number="123-45-6789", phones=[])
    assert PartyBlock.of(b, Audience.COURT, load_ruleset("US")).id_number == "*******6789"
    assert mask_middle("6217001234567890123", 0, 4) == "***************0123"


def test_amounts_must_add_up():
    with pytest.raises(ValueError, match="do not add up"):
        Amounts(as_of=date(2026, 1, 1), principal=D("1.00"), interest=D("1.00"), penalty=D("0"), compound=D("0"),
                fees=D("0"), total_overdue=D("3.00"), principal_not_due=D("0"), total_outstanding=D("3.00"),
                days_past_due=1, oldest_due_date=None, paid_total=D("0"))


def test_sms_signature_is_the_name_without_its_legal_form():
    assert lender("CN").short_name == "华信消费金融"
    assert LenderBlock.model_validate({**lender("US").model_dump(), "name_en": "Lakeside Consumer Credit, LLC"}
                                      ).short_name_en == "Lakeside Consumer Credit"


def test_sms_budget():
    assert (budget("a" * 160).encoding, budget("a" * 160).fits) == ("GSM-7", True)
    assert not budget("a" * 159 + "€").fits  # the euro sign takes two septets
    assert (budget("您" * 70).encoding, budget("您" * 70).fits, budget("您" * 71).fits) == ("UCS-2", True, False)


@pytest.mark.parametrize(("name", "printed"), [
    ("张三", "ZHANG San (张三)"), ("陈志远", "CHEN Zhiyuan (陈志远)"),
    ("欧阳娜娜", "OUYANG Nana (欧阳娜娜)"),  # a compound surname is one surname
    ("单田芳", "SHAN Tianfang (单田芳)"), ("曾西安", "ZENG Xi'an (曾西安)"),  # a surname's own reading; Xi'an
    ("吕小军", "LÜ Xiaojun (吕小军)"), ("Daniel Harper", "Daniel Harper")])
def test_a_chinese_persons_name_in_english_is_its_pinyin_surname_first_in_capitals(name, printed):
    """Issue 10: the English versions of CN documents printed a person's name in Chinese alone."""
    assert person_en(name) == printed


def test_a_recorded_english_name_takes_the_pinyins_place_and_a_note_joins_the_brackets():
    assert person_en("张三", "Zhang San") == "Zhang San (张三)"
    assert person_en("张三", "张三") == "ZHANG San (张三)"  # the record's fallback is the Chinese name
    assert person_en("张三", "", "ID No. 1101") == "ZHANG San (张三, ID No. 1101)"
    assert person_en("John Smith", "", "ID No. 1") == "John Smith (ID No. 1)"
    # a foreign name written in Chinese characters with its dot: the recorded spelling still leads
    assert person_en("约翰·史密斯", "John Smith", "ID No. E1") == "John Smith (约翰·史密斯, ID No. E1)"
