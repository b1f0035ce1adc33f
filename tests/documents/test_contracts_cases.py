"""Contracts built from real cases: the repayment agreement acknowledges exactly the ledger's
debt at its as-of date and sets out each plan type's terms; the visit record shows what the
visit recorded and refuses an unfinished record (CN-09)."""

from datetime import date, timedelta

import pytest

from service.cases import accounts
from service.cases.casefile import load_case_file
from service.cases.proposals import principal_left_on_contract_dates
from service.core.errors import RuleViolation
from service.documents import service as documents_service
from service.documents.format import cn_upper, date_cn, money
from service.documents.registry import get_kind, resolve_locale
from tests.documents.conftest import at, squash
from tests.documents.legal_cases import PLAN_SIGNED, _visit, context, litigation_case, texts, us_case
from tests.factories import import_case

WORDS = {"extension": "展期", "instalments": "分期还款", "interest_suspension": "停息挂账",
         "partial_waiver": "附条件减免"}


@pytest.mark.parametrize("plan_type", sorted(WORDS))
def test_agreement_acknowledges_the_ledger_debt_and_sets_the_plan(db, tmp_path, plan_type):
    case = litigation_case(db, plan_type=plan_type)
    ledger = accounts.ledger_of(load_case_file(db, case.ref), PLAN_SIGNED)
    ctx = context(db, case.ref, "repayment_agreement", locale="zh-CN", day=PLAN_SIGNED + timedelta(days=1))
    a = ctx.agreement  # type: ignore[attr-defined]
    assert a.acknowledged == ledger.total_outstanding
    assert a.ack_principal == ledger.outstanding_principal and a.total + a.waived_amount == a.acknowledged
    # The fixture's six equal parts ask on 2025-11-17 for part of the principal the contract makes
    # due only on 2025-12-10: the plan makes that principal due, so none is acknowledged as "not yet
    # due" (review diff F1: the running totals are compared on every plan date too). A plan that
    # keeps the contract's dates (a visit's proposals) states it: test_visit_kit_review.
    plan = load_case_file(db, case.ref).current_plan
    assert principal_left_on_contract_dates(ledger, PLAN_SIGNED,
                                            [(i.due_date, i.amount) for i in plan.instalments]) == 0
    assert a.principal_not_due == 0 and a.principal_due == ledger.outstanding_principal
    pdf, docx = texts(ctx, tmp_path)
    for text in (pdf, docx):
        for amount in (a.principal_due, a.principal_not_due, a.ack_interest, a.ack_penalty, a.due_total, a.total,
                       *(line.amount for line in a.lines)):
            assert money(amount) in text
        assert squash(cn_upper(a.due_total)) in squash(text) and WORDS[plan_type] in squash(text)
        assert "11010519491231002X" in text  # the signer identified in full
        for words in ("债务确认", "违约责任", "送达地址及电子送达", "争议解决", "个人信息保护", "第一百九十五条",
                      "宽限期5日", "纠正期15日", "乙方（签名并按指印）"):
            assert squash(words) in squash(text), words
        assert ("减免自始失效" in squash(text)) == (plan_type == "partial_waiver")
    assert ("停止计收利息" in squash(pdf)) == (plan_type == "interest_suspension")


def test_foreign_borrower_gets_the_english_agreement(db, tmp_path):
    case = litigation_case(db, borrower={"language": "en-US", "name": "John Smith", "id_type": "passport",
                                         "id_number": "E12345678"})
    kind = get_kind("repayment_agreement")
    assert resolve_locale(kind, "CN", None, "en-US") == "en-US"
    ctx = context(db, case.ref, "repayment_agreement", locale="en-US", day=PLAN_SIGNED)
    pdf, docx = texts(ctx, tmp_path)
    for text in (pdf, docx):
        assert all(squash(w) in squash(text) for w in ("People's Republic of China", "E12345678", "article 195"))


def test_us_payment_plan_agreement(db, tmp_path):
    from decimal import Decimal

    from service.cases import activity
    from service.cases.schemas import PlanIn

    case = us_case(db)
    day = date(2025, 4, 1)
    owed = accounts.ledger_of(load_case_file(db, case.ref), day).total_outstanding
    share = (owed / 4).quantize(Decimal("0.01"))
    activity.create_plan(db, case, PlanIn.model_validate({
        "plan_type": "instalments", "as_of": day, "signed_date": day, "service_address": "1452 N Damen Ave",
        "instalments": [{"no": k + 1, "due_date": day + timedelta(days=30 * (k + 1)),
                         "amount": share if k < 3 else owed - 3 * share} for k in range(4)]}), actor="t")
    pdf, docx = texts(context(db, case.ref, "repayment_agreement", day=day), tmp_path)
    for text in (pdf, docx):
        assert "123-45-6789" not in text
        assert squash("State of Illinois") in squash(text) and squash("right to cure") in squash(text)
        assert f"${owed:,.2f}" in text


@pytest.mark.parametrize(("state", "shown"), [("TX", "871"), ("IL", "9871")])
def test_the_us_agreement_shows_the_lenders_account_by_the_digits_the_forums_rule_keeps(db, tmp_path, state, shown):
    """Review: the US agreement printed the lender's account "ending in 9871", four digits, though
    Texas filings show the last three of a financial account number (Tex. R. Civ. P. 21c); the signed
    agreement is filed as an exhibit. One rule (masking.filing_redaction), as every filing shows an
    account: three digits in Texas, US-13's four elsewhere."""
    from service.cases import activity
    from service.cases.models import Lender
    from service.cases.schemas import PlanIn

    case = us_case(db)
    case.us_state = state
    db.get(Lender, case.lender_id).payment_account = {
        "bank": "First Prairie Bank", "account_name": "Lakeside Consumer Credit, LLC", "account_no": "4400129871"}
    db.flush()
    day = date(2025, 4, 1)
    owed = accounts.ledger_of(load_case_file(db, case.ref), day).total_outstanding
    activity.create_plan(db, case, PlanIn.model_validate({
        "plan_type": "instalments", "as_of": day, "signed_date": day, "service_address": "1452 N Damen Ave",
        "instalments": [{"no": 1, "due_date": day + timedelta(days=30), "amount": owed}]}), actor="t")
    pdf, docx = texts(context(db, case.ref, "repayment_agreement", day=day), tmp_path)
    for text in (pdf, docx):
        assert f"account ending in {shown}" in " ".join(text.split()), text
        assert "4400129871" not in text and (state != "TX" or "9871" not in text)


@pytest.mark.parametrize(("count", "said"), [(1, "in one payment as follows"), (4, "in 4 payments as follows")])
def test_us_agreement_counts_its_payments_in_english(db, tmp_path, count, said):
    """A one-payment plan reads "in one payment", never "in 1 payments"."""
    from decimal import Decimal

    from service.cases import activity
    from service.cases.schemas import PlanIn

    case = us_case(db)
    day = date(2025, 4, 1)
    owed = accounts.ledger_of(load_case_file(db, case.ref), day).total_outstanding
    share = (owed / count).quantize(Decimal("0.01"))
    activity.create_plan(db, case, PlanIn.model_validate({
        "plan_type": "instalments", "as_of": day, "signed_date": day, "service_address": "1452 N Damen Ave",
        "instalments": [{"no": k + 1, "due_date": day + timedelta(days=30 * (k + 1)),
                         "amount": share if k < count - 1 else owed - (count - 1) * share} for k in range(count)]}),
        actor="t")
    for text in texts(context(db, case.ref, "repayment_agreement", day=day), tmp_path):
        assert squash(f"pay the balance {said}") in squash(text)
        assert "1 payments" not in text


def test_agreement_needs_a_plan(db):
    case = import_case(db, stage="NEGOTIATING")
    with pytest.raises(Exception) as caught:
        documents_service.prepare(db, case_ref=case.ref, kind="repayment_agreement", fmt="pdf", locale=None,
                                  as_of=date(2025, 6, 20), now=at(date(2025, 6, 20), 10))
    assert "plan" in str(caught.value)


def test_visit_record_shows_what_was_recorded(db, tmp_path):
    case = litigation_case(db)
    ctx = context(db, case.ref, "visit_record", visit_id=load_case_file(db, case.ref).visits[0].id)
    pdf, docx = texts(ctx, tmp_path)
    for text in (pdf, docx):
        for words in ("王建国", "HX-0231", "李明辉", "HX-0417", "☑同意", "失业，收入中断", "REC-0001",
                      date_cn(date(2025, 6, 10)), "借款合同、还款计划表"):
            assert squash(words) in squash(text), words


def test_visit_record_before_the_visit_is_a_blank_form(db, tmp_path):
    case = import_case(db, stage="VISIT_NOTIFIED")
    _visit(db, case, date(2025, 6, 10), recorded=False)
    pdf, _ = texts(context(db, case.ref, "visit_record", day=date(2025, 6, 8)), tmp_path)
    assert "☐同意" in pdf and "＿＿＿＿" in pdf and "王建国" in pdf


def test_unfinished_visit_record_is_refused(db):
    case = import_case(db, stage="VISIT_DONE")
    _visit(db, case, date(2025, 6, 10))
    visit = load_case_file(db, case.ref).visits[0]
    visit.recording_refs = []
    db.flush()
    with pytest.raises(RuleViolation) as caught:
        context(db, case.ref, "visit_record", day=date(2025, 6, 11))
    assert [v.rule for v in caught.value.violations] == ["CN-09"]


def test_an_interest_suspension_agreement_states_the_interest_it_suspends(db, tmp_path):
    """停息挂账: 第三条 stated no amount for the contract interest suspended while the plan runs. It
    now states the interest suspended for the plan period (to the last instalment, each paid when
    due): the number the claim computation revives under 第四条第3项 when the default clause applies
    the day after that instalment, in zh-CN and en-US, PDF and DOCX."""
    from decimal import Decimal

    from service.cases import activity
    from service.cases.schemas import PaymentIn
    from service.core.settings import get_settings
    from service.documents.format import date_en

    case = litigation_case(db, plan_type="interest_suspension")
    day = PLAN_SIGNED + timedelta(days=1)
    stated = {}
    for locale, said in (("zh-CN", "停止计收的原借款合同利息"), ("en-US", "The Loan Agreement interest suspended")):
        ctx = context(db, case.ref, "repayment_agreement", locale=locale, day=day)
        a = ctx.agreement  # type: ignore[attr-defined]
        stated[locale] = a.interest_suspended
        last = a.lines[-1].due_date
        for text in texts(ctx, tmp_path):
            flat = squash(text)
            if locale == "zh-CN":
                assert squash(f"自{date_cn(PLAN_SIGNED)}次日起计算至最后一期还款日{date_cn(last)}止") in flat
                assert squash(f"（各期按期足额偿还），共计{money(a.interest_suspended)}元，不在上表之内") in flat
            else:
                assert squash(f"to the last installment date, {date_en(last)} (every installment paid in full when "
                              f"due), is RMB {money(a.interest_suspended)}") in flat
            assert squash(said) in flat
    assert stated["zh-CN"] == stated["en-US"] > Decimal("0.00")
    # the borrower pays every instalment when due: had the default clause applied the day after the
    # last one, the claim computation revives exactly the amount stated
    cf = load_case_file(db, case.ref)
    plan = cf.current_plan
    for b in list(cf.breaches):
        db.delete(b)
    case.accelerated_on = None
    plan.status = "active"
    for inst in plan.instalments[1:]:
        activity.add_payment(db, case, PaymentIn(value_date=inst.due_date, amount=inst.amount, channel="bank_transfer",
                                                 external_ref=f"P-PLAN-{inst.no}"), actor="test")
    db.flush()
    cf = load_case_file(db, case.ref)
    claim = accounts.claim_of(cf, plan.instalments[-1].due_date + timedelta(days=1),
                              licensed_cap=get_settings().licensed_cost_cap)
    assert claim.agreement is not None and claim.agreement.revived_interest == stated["zh-CN"]


def test_a_kind_of_the_other_profile_is_refused_naming_the_kind_that_does_its_work():
    """Review (US-00011): `dossier render US-… civil_complaint` was refused without naming the US
    complaint, debt_claim_petition."""
    from service.core.errors import InvalidInput

    for kind, profile, counterpart in (("civil_complaint", "US", "debt_claim_petition"),
                                       ("complaint_elements", "US", "debt_claim_petition"),
                                       ("debt_claim_petition", "CN", "civil_complaint")):
        with pytest.raises(InvalidInput) as refused:
            resolve_locale(get_kind(kind), profile, None)
        assert f"a {profile} case's is {counterpart}" in str(refused.value), kind
    with pytest.raises(InvalidInput) as refused:
        resolve_locale(get_kind("lawyer_letter"), "US", None)
    assert "case's is" not in str(refused.value)
