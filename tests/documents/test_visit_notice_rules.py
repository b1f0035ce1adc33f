"""What is stored is enforced on the visit notice (CN-09): the reschedule deadline falls inside
the hours a borrower can call, before the visit and after the notice; the purpose printed is the
one recorded, and a generic one (业务事宜) or one stating an amount is refused."""

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from service.cases.models import Lender
from service.cases.rules import load_ruleset
from service.core.errors import RuleViolation
from service.documents import service as documents_service
from service.documents.contexts.visit import reply_deadline
from tests.documents.conftest import add_visit, at, cn_case, squash
from tests.documents.legal_cases import texts

TZ = ZoneInfo("Asia/Shanghai")
RULES = load_ruleset("CN")
P = RULES.rule("CN-09").params
LEAD = timedelta(hours=int(P["notice_lead_hours"]))


@pytest.mark.parametrize("minutes", range(8 * 60, 22 * 60, 15))
def test_the_reply_deadline_is_inside_calling_hours_before_the_visit_and_after_the_notice(minutes):
    start = datetime.combine(date(2026, 12, 7), time(minutes // 60, minutes % 60), tzinfo=TZ)
    reply = reply_deadline(start, RULES)
    assert time.fromisoformat(P["start"]) <= reply.time() <= time.fromisoformat(P["reply_latest"]) < \
        time.fromisoformat(P["end"])
    assert start - reply >= timedelta(hours=int(P["reply_hours_before"]))
    assert reply > start - LEAD  # a notice sent at the latest allowed moment still leaves time to reply


def test_a_14_00_visit_gives_20_00_the_evening_before(db, tmp_path):
    case = cn_case(db, stage="VISIT_PLANNED")
    add_visit(db, case, at(date(2025, 6, 23), 14))
    ctx = documents_service.prepare(db, case_ref=case.ref, kind="visit_notice", fmt="pdf", locale=None,
                                    as_of=date(2025, 6, 20), now=at(date(2025, 6, 20), 10))[2]
    for text in texts(ctx, tmp_path):
        flat = squash(text)
        assert "改约或拒绝截止2025年6月22日20:00前" in flat, flat
        assert "拜访事由与您本人当面核实联系方式并协商合同履行安排" in flat and "业务事宜" not in flat


@pytest.mark.parametrize("purpose", ["业务事宜", " 面谈。", "催收欠款", "协商12个月分期", "discuss the overdue loan"])
def test_a_generic_purpose_or_one_with_an_amount_is_refused(db, purpose):
    case = cn_case(db, stage="VISIT_PLANNED")
    visit = add_visit(db, case, at(date(2025, 6, 23), 14))
    visit.purpose = purpose
    db.flush()
    with pytest.raises(RuleViolation) as refused:
        documents_service.prepare(db, case_ref=case.ref, kind="visit_notice", fmt="pdf", locale=None,
                                  as_of=date(2025, 6, 20), now=at(date(2025, 6, 20), 10))
    assert [v.rule for v in refused.value.violations] == ["CN-09"]
    assert "purpose" in refused.value.violations[0].message


def test_the_english_notice_names_the_lender_in_english_and_keeps_one_clock(db, tmp_path):
    """CN en-US: the visiting lender and its staff's organization by the lender's registered English
    name (not 华信消费金融有限公司 in an English sentence), the window on the 12-hour clock at both
    ends ("2:00 PM to 4:00 PM", not "2:00 PM to 16:00")."""
    case = cn_case(db, stage="VISIT_PLANNED")
    visit = add_visit(db, case, at(date(2025, 6, 23), 14))
    visit.purpose_en = "to confirm your contact details in person and agree how your contract is to be performed"
    db.get(Lender, case.lender_id).name_en = "Ceshi Consumer Finance Co., Ltd."  # type: ignore[union-attr]
    db.flush()
    ctx = documents_service.prepare(db, case_ref=case.ref, kind="visit_notice", fmt="pdf", locale="en-US",
                                    as_of=date(2025, 6, 20), now=at(date(2025, 6, 20), 10))[2]
    lender = ctx.lender  # type: ignore[attr-defined]
    assert lender.name_en and lender.name != lender.name_en
    for text in texts(ctx, tmp_path):
        flat = squash(text)
        assert squash(lender.name) not in flat
        assert "Organization" + squash(lender.name_en) in flat
        assert "June23,2025,2:00PMto4:00PM" in flat
        assert "Replybefore" in flat and "Replybybefore" not in flat  # not "Reply by | before …"
        assert not re.search(r"\b(1[3-9]|2[0-3]):[0-5]\d\b", text), text
