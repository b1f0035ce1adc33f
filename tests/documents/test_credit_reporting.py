"""Credit-reporting wording only where it is true (CN-31): a notice names the credit system the
lender reports to; a lender that reports to none sends no pre-notice and none of its documents
mentions credit reporting."""

from datetime import date, timedelta

import pytest

from service.core.errors import InvalidInput, RuleViolation
from service.documents import service as documents_service
from service.documents.contexts.notices import Policy
from service.documents.format import date_cn
from service.documents.render import render
from tests.documents.conftest import TEMPLATES, add_prenotice, at, cn_case, squash
from tests.documents.legal_cases import context, litigation_case, texts

DAY = date(2025, 6, 15)
CREDIT_WORDS = ("征信", "信用信息", "信用记录", "信用报告", "credit")
UNLICENSED = {"code": "RXTZ", "name": "四川蓉信投资咨询有限公司", "licence_type": "non_licensed", "credit_system": ""}
MICRO = {"code": "QHXD", "name": "深圳市前海惠民小额贷款有限公司", "licence_type": "micro_loan",
         "credit_system": "baihang"}


def prepare(db, ref, kind, day=DAY, locale=None):
    return documents_service.prepare(db, case_ref=ref, kind=kind, fmt="pdf", locale=locale, as_of=day,
                                     now=at(day, 10))[2]


def test_a_lender_that_reports_to_none_is_refused_the_prenotice(db):
    case = cn_case(db, stage="PHONE", lender=UNLICENSED)
    with pytest.raises(RuleViolation) as refused:
        prepare(db, case.ref, "credit_report_prenotice")
    assert [v.rule for v in refused.value.violations] == ["CN-31"]
    assert "四川蓉信投资咨询有限公司 reports to no credit system" in refused.value.violations[0].message


@pytest.mark.parametrize(("kind", "locale"), [("overdue_reminder", "zh-CN"), ("overdue_reminder", "en-US"),
                                               ("demand_letter", "zh-CN")])
def test_no_notice_of_a_lender_that_reports_to_none_mentions_credit_reporting(db, tmp_path, kind, locale):
    case = cn_case(db, stage="PHONE", lender=UNLICENSED)
    add_prenotice(db, case, at(date(2025, 6, 1), 10))  # even with a (wrongly) recorded pre-notice
    for text in texts(prepare(db, case.ref, kind, locale=locale), tmp_path):
        flat = squash(text).replace("统一社会信用代码", "")
        assert not [w for w in CREDIT_WORDS if w in flat], kind


def test_no_court_document_of_a_lender_that_reports_to_none_mentions_credit_reporting(db, tmp_path):
    case = litigation_case(db, lender=UNLICENSED)
    for kind in ("civil_complaint", "complaint_elements", "lawyer_letter", "mediation_application"):
        for text in texts(context(db, case.ref, kind), tmp_path):
            assert "征信" not in text and "信用信息" not in text, kind


def test_notices_name_the_lenders_own_credit_system(db, tmp_path):
    case = cn_case(db, stage="PHONE", lender=MICRO)
    prenotice = prepare(db, case.ref, "credit_report_prenotice")
    pdf = squash(texts(prenotice, tmp_path)[0])
    assert "百行征信有限公司个人征信系统" in pdf and "中国人民银行" not in pdf
    add_prenotice(db, case, at(date(2025, 6, 1), 10))
    for kind in ("demand_letter", "overdue_reminder"):
        for text in texts(prepare(db, case.ref, kind), tmp_path):
            assert "百行征信有限公司个人征信系统" in squash(text) and "金融信用信息基础数据库" not in squash(text), kind
    english = render(prepare(db, case.ref, "overdue_reminder", locale="en-US"), "pdf", templates_dir=TEMPLATES)
    assert english.data


def test_import_refuses_an_unknown_credit_system_and_a_bad_uscc(db):
    with pytest.raises(InvalidInput) as refused:
        cn_case(db, lender={"code": "BADL", "credit_system": "sesame", "uscc": "91310000MA1FL5XK2A"})
    fields = {e.field for e in refused.value.errors}
    assert fields == {"lender.credit_system", "lender.uscc"}
    with pytest.raises(InvalidInput) as us:
        cn_case(db, profile="US", lender={"code": "BADU", "credit_system": "pboc"})
    assert "lender.credit_system" in {e.field for e in us.value.errors}


def test_a_later_prenotice_names_the_first_and_does_not_read_as_the_first(db, tmp_path):
    """A second pre-notice (e.g. after a repayment agreement's breach) gives its own number, names
    the first notice with its day and the reporting day it announced, and calls what it announces
    an update: it must not read as if the borrower had never been told (review of 2026-12-03, #16).
    The first notice's day is the borrower's local day: sent at 07:30 in Beijing is 23:30 UTC the
    day before."""
    case = cn_case(db, stage="PHONE", lender=MICRO)
    first = squash(texts(prepare(db, case.ref, "credit_report_prenotice"), tmp_path)[0])
    assert f"{case.ref}-ZX" in first and "前次告知" not in first and "此前已向您发出" not in first
    add_prenotice(db, case, at(date(2025, 6, 1), 7, 30))
    for text in texts(prepare(db, case.ref, "credit_report_prenotice"), tmp_path):  # PDF and DOCX
        flat = squash(text)
        assert f"{case.ref}-ZX-2" in flat
        assert "此前已向您发出《不良信息报送事先告知书》" in flat and f"前次告知书编号{case.ref}-ZX前次" in flat
        assert "前次告知日期2025年6月1日" in flat and "前次告知的报送日" in flat
        # the first notice's days end on Sunday 15 June, which moves to Monday 16 (民法典 art. 203):
        # reporting from the 17th, as the first notice itself said (Policy.report_from)
        report_from = Policy.for_profile("CN").report_from(date(2025, 6, 1))
        assert report_from == date(2025, 6, 17)
        assert f"前次告知的报送日{squash(date_cn(report_from))}" in flat
        assert "（含对此前报送信息的更新）" in flat
    # a pre-notice re-issued the same day as the recorded one is not "a later" one
    add_prenotice(db, case, at(DAY, 9))
    again = squash(texts(prepare(db, case.ref, "credit_report_prenotice"), tmp_path)[0])
    assert f"{case.ref}-ZX-2" in again and f"{case.ref}-ZX-3" not in again


def test_a_later_prenotice_restates_the_reporting_day_the_first_one_stated(db, settings, tmp_path):
    """The first pre-notice, made on DAY for an as-of ten days earlier (a past as-of is allowed),
    told the borrower reporting would begin on its as-of date plus the policy's days. A later
    notice quotes that day from the first notice's record, not one recomputed from the day it was
    sent (review 2026-12-04 #4)."""
    from service.core.storage import get_store

    case = cn_case(db, stage="PHONE", lender=MICRO)
    first_as_of = DAY - timedelta(days=10)
    stated = prepare(db, case.ref, "credit_report_prenotice", day=first_as_of).report_not_before
    assert stated == first_as_of + timedelta(days=Policy.for_profile("CN").report_after_days)
    documents_service.generate(db, case_ref=case.ref, kind="credit_report_prenotice", as_of=first_as_of,
                               actor="t", store=get_store(settings), now=at(DAY, 10))
    later = prepare(db, case.ref, "credit_report_prenotice", day=DAY + timedelta(days=20))
    assert later.earlier is not None
    assert (later.earlier.sent_on, later.earlier.report_from) == (DAY, stated)
    flat = squash(texts(later, tmp_path)[0])
    assert f"前次告知的报送日{squash(date_cn(stated))}" in flat
