"""The complaint pleads the contract interest a repayment agreement waived on condition (its interest
clause, RepaymentPlan.interest_not_charged) and revived on breach (its default clause): the facts
say what was waived, on what condition, the breach and the revival; the 诉讼请求 claim it as its own
component, with the amounts of the one claim computation (Claim.interest_split)."""

from decimal import Decimal

from service.cases.casefile import load_case_file
from service.documents.format import date_cn, money
from tests.documents.conftest import squash
from tests.documents.legal_cases import context, litigation_case, texts
from tests.documents.test_legal_cases import claim_of


def test_the_complaint_pleads_and_claims_the_revived_interest_waiver(db, tmp_path):
    case = litigation_case(db, plan_type="instalments")
    plan = load_case_file(db, case.ref).current_plan
    assert plan is not None
    plan.interest_not_charged = Decimal("300.00")  # as the agreement's interest clause states it
    db.flush()
    claim = claim_of(db, case.ref)
    other, revived = claim.interest_split
    assert revived > 0 and other + revived == claim.interest
    line = claim.line("revived_interest_waiver")
    assert line is not None and line.amount == revived
    breach = load_case_file(db, case.ref).breaches[0]
    for text in texts(context(db, case.ref, "civil_complaint"), tmp_path):
        flat = squash(text)
        # the facts: waived on condition (第三条), the breach and its date, the revival (第四条)
        assert "还款协议第三条约定，在被告按期足额履行全部还款义务的条件下，原告不再收取" in flat
        # the default and its consequence are the default clause's (第四条), and what revives is what its
        # item 3 says, not the whole waiver "自始失效" (reader, CN-00044)
        assert ("；还款协议第四条约定，被告任一期应还款项逾期超过5日未足额支付的构成违约，被告应自应还日起20日内"
                "（宽限期5日及纠正期15日）付清逾期款项，逾期仍未纠正的，上述附条件不再收取的利息中"
                "按原借款合同计算至提前到期日前一日的部分恢复计收，原告有权要求被告一次性偿还全部欠款") in flat
        assert "减免自始失效" not in flat
        assert f"利息{money(Decimal('300.00'))}元" in flat
        assert f"应还日{date_cn(breach.due_date)}" in flat
        assert f"在{date_cn(breach.cure_deadline)}（含当日" in flat
        assert f"的部分{money(revived)}元恢复计收，原告一并主张" in flat
        # the claim: its own component, in the 诉讼请求 and in the closing sum
        request = flat.split("二、判令被告向原告支付")[1].split("三、")[0]
        assert f"依《还款协议》第四条恢复计收的原借款合同利息{money(revived)}元" in request
        assert (f"利息{money(other)}元、" in request) == bool(other)
        assert flat.count(f"恢复计收的原借款合同利息{money(revived)}元") == 2  # the request and 截至…尚欠


def test_a_cure_deadline_moved_past_a_holiday_says_why(db, tmp_path):
    """The agreement gives 20 days from the due date; where the 20th is a rest day the deadline is
    the next working day (民法典 art. 203), and every pleading that states it says so, or the
    defendant argues the debt fell due the day after the 20th (reader, CN-00012: 2026-09-13 + 20
    = 2026-10-03, in the National Day holiday, so 2026-10-08)."""
    from datetime import date

    case = litigation_case(db, plan_type="instalments")
    breach = load_case_file(db, case.ref).breaches[0]
    breach.due_date, breach.cure_deadline = date(2025, 9, 13), date(2025, 10, 9)  # 10-03 in the 2025 holiday
    db.flush()
    for kind in ("civil_complaint", "complaint_elements", "lawyer_letter"):
        for text in texts(context(db, case.ref, kind), tmp_path):
            flat = squash(text)
            assert ("2025年10月9日（含当日；自应还日起20日届满之日2025年10月3日为法定休假日，依《中华人民共和国民法典》"
                    "第二百零三条，以法定休假日结束的次日为期间的最后一日）前未纠正") in flat, kind
