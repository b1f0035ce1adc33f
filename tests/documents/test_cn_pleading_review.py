"""Review of the CN court set (CN-00012, CN-00039 on 2026-12-06): each pleading states what the
case's record and claim computation say, under the 案由's own words."""

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.cases.casefile import load_case_file
from service.cases.models import Communication
from service.core.settings import get_settings
from service.demo.clauses import lender_term
from service.documents.models import GeneratedDocument
from service.packets.build import make_plan
from service.packets.plan import plan_packet
from tests.documents.conftest import TEMPLATES, squash
from tests.documents.legal_cases import context, litigation_case, moment, texts, us_case
from tests.factories import schedule


def test_element_form_says_the_debt_fell_due_by_the_plans_acceleration_not_the_contracts_end(db: Session,
                                                                                          tmp_path) -> None:
    # the contract's three instalments ran out on 2025-04-10, before the plan (signed 2025-06-20,
    # last instalment 2025-12-17) was breached and its default clause took effect on 2025-09-09
    case = litigation_case(db, schedule=schedule(periods=3))
    ctx = context(db, case.ref, "complaint_elements")
    assert ctx.claim.schedule_end == date(2025, 12, 17) and ctx.claim.maturity == "accelerated"
    for text in map(squash, texts(ctx, tmp_path)):
        item = text[text.index("4.借款期限"):text.index("约定期限")]
        # the reason follows the option ticked, not "☐否" (issue 10 §2)
        assert "是否到期：☑是（依《还款协议》" in item and item.endswith("）☐否"), item
        assert "已于2025年9月9日提前到期" in item, item
        assert "是否请求支付至实际清偿之日止：☑是（自" in text and "计算至实际清偿之日止）☐否" in text
        assert "2025年4月10日" not in item


def _purpose(db: Session, ref: str, key: str) -> str:
    plan = make_plan(db, get_settings(), load_case_file(db, ref))
    return next(e.purpose for e in plan.exhibits if e.key == key)


def test_an_exhibits_purpose_says_sent_unless_the_record_says_delivered(db: Session) -> None:
    case = litigation_case(db)
    notice = db.scalars(select(Communication).where(Communication.case_id == case.id,
                                                    Communication.template_kind == "breach_notice")).one()
    notice.outcome = "sent"  # sent, not (yet) marked delivered
    db.flush()
    sent = _purpose(db, case.ref, "breach_notice")
    assert "原告已向被告发出违约及全部债务提前到期的通知" in sent and "已通知" not in sent and "送达状态" not in sent
    notice.outcome = "delivered"  # "mark delivered"
    db.flush()
    assert "原告已向被告送达违约及全部债务提前到期的通知" in _purpose(db, case.ref, "breach_notice")


def test_a_us_notice_history_with_nothing_delivered_says_the_notices_were_sent(db: Session) -> None:
    purpose = _purpose(db, us_case(db).ref, "notice_history")
    assert purpose == "Plaintiff sent Defendant notice of the debt and of the default", purpose


def test_a_lender_licensed_for_another_business_pleads_why_its_loan_is_private_lending(db: Session,
                                                                                     tmp_path) -> None:
    # the factoring company of the demo: its contract calls it what the 案由 calls it (出借人)
    clause = f"由{lender_term('other_licensed')}住所地人民法院管辖"
    case = litigation_case(db, lender={"licence_type": "other_licensed", "licence_no": "沪金管〔2018〕301号"},
                           contract={"jurisdiction_clause": clause})
    for kind in ("civil_complaint", "complaint_elements"):
        ctx = context(db, case.ref, kind)
        assert ctx.cause.code == "private_lending"
        for text in map(squash, texts(ctx, tmp_path)):
            assert "并非《最高人民法院关于审理民间借贷案件适用法律若干问题的规定》第一条第二款所称" in text, kind
            assert "（法释〔2020〕27号）" in text and "许可证号：沪金管〔2018〕301号" in text
            assert "本案为民间借贷纠纷" in text and "小额贷款公司" not in text
            if kind == "complaint_elements":  # the form's parties are 出借人 / 借款人, its quote of the contract too
                assert "贷款人" not in text and "第十三条：“由出借人住所地人民法院管辖”" in text


def test_a_micro_lenders_pleading_keeps_its_own_paragraph(db: Session, tmp_path) -> None:
    case = litigation_case(db, lender={"licence_type": "micro_loan"})
    text = squash(texts(context(db, case.ref, "civil_complaint"), tmp_path)[0])
    assert "小额贷款公司" in text and "贷款以外金融业务" not in text


def test_the_mediation_application_asks_enforcement_only_after_judicial_confirmation(db: Session,
                                                                                    tmp_path) -> None:
    case = litigation_case(db)
    for text in map(squash, texts(context(db, case.ref, "mediation_application"), tmp_path)):
        item = text[text.index("三、"):]
        item = item[:item.index("强制执行") + 4]
        assert item.startswith("三、调解协议经人民法院司法确认后，被申请人未按调解方案履行的"), item
        assert item.endswith("向人民法院申请强制执行")


def test_the_element_forms_computation_gives_every_part_of_the_claim_its_line_and_clause(db: Session,
                                                                                         tmp_path) -> None:
    # a partial waiver (penalty and compound interest at signing) on condition of performance,
    # revived by the breach under the default clause: the total claimed includes it
    case = litigation_case(db, plan_type="partial_waiver")
    ctx = context(db, case.ref, "complaint_elements")
    c = ctx.claim
    revived = c.line("revived_waiver")
    assert revived is not None and revived.amount > 0 and c.agreement is not None
    assert sum(v for _, v in c.agreement.revived_waiver_parts) == revived.amount
    adding = [x for x in c.reconciliation if x.key in ("revived_waiver", "revived_interest", "default_penalty")
              and x.amount]
    for text in map(squash, texts(ctx, tmp_path)):
        method = text[text.index("计算方式："):]
        method = method[:method.index("是否请求支付至实际清偿之日止")]
        for x in adding:  # each with its amount (or its parts') and the agreement's clause
            amounts = [v for _, v in c.agreement.revived_waiver_parts] if x.key == "revived_waiver" else [x.amount]
            assert all(f"{a:,.2f}元" in method for a in amounts), (x.key, method)
        assert "附条件减免的部分，因被告违约未纠正，依还款协议第" in method and "减免失效，恢复主张" in method, method


def test_a_delivered_lawyer_letter_is_the_latest_demand_the_pleadings_count_and_its_own_exhibit(db: Session,
                                                                                                tmp_path) -> None:
    case = litigation_case(db)
    sent_on = date(2025, 11, 20)
    db.add(Communication(case_id=case.id, channel="letter", direction="out", party_kind="borrower",
                         to_address="北京市朝阳区建国路88号", sent_at=moment(sent_on),
                         local_time=moment(sent_on).isoformat(), outcome="delivered", template_kind="lawyer_letter",
                         content_hash="cd" * 32, delivered_at=moment(date(2025, 11, 22))))
    db.flush()
    cf = load_case_file(db, case.ref)
    # sha256: the file the history records as sent
    letter = GeneratedDocument(id="d-lawyer-letter", kind="lawyer_letter", locale="zh-CN", format="pdf",
                               as_of_date=sent_on, created_at=moment(sent_on), sha256="cd" * 32)
    plan = plan_packet(cf, [], [letter], templates_dir=TEMPLATES)
    [exhibit] = [e for e in plan.exhibits if e.key == "lawyer_letter"]
    assert exhibit.documents == (letter,) and exhibit.params["delivery_of"] == "lawyer_letter"
    assert exhibit.title == "律师函（2025年11月20日）及送达记录"
    # sent on the 20th, arrived on the 22nd: limitation is interrupted on arrival (民法典 art. 195)
    assert "于2025年11月20日向被告发出律师函、该函于2025年11月22日送达被告" in exhibit.purpose
    assert "诉讼时效自该催告到达被告之日中断" in exhibit.purpose
    [history] = [e for e in plan.exhibits if e.key == "notice_history"]
    assert letter not in history.documents
    complaint = squash(texts(context(db, case.ref, "civil_complaint"), tmp_path)[0])
    contacts = context(db, case.ref, "civil_complaint").timeline.contacts
    assert contacts.last == sent_on and f"先后{contacts.attempts}次" in complaint
    assert "最近一次为2025年11月20日" in complaint
    index = squash(texts(context(db, case.ref, "evidence_index", plan=plan), tmp_path)[0])
    assert "律师函（2025年11月20日）及送达记录" in index
