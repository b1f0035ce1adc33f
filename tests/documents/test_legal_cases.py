"""Court documents built from a real case on the test database: the amounts reconcile with the
money layer, the facts are told in order, packet inputs are honoured, and the content rules
refuse what a court would reject, naming the rule."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pikepdf
import pytest
from sqlalchemy import select

from service.cases import accounts, activity
from service.cases.acceleration_clause import condition_on
from service.cases.casefile import load_case_file
from service.cases.court_fee import compute_court_fee
from service.cases.enums import Stage
from service.cases.ledger import Component
from service.cases.models import Communication
from service.cases.money import round_money
from service.core.errors import RuleViolation
from service.core.settings import get_settings
from service.documents import service as documents_service
from service.documents.exceptions import UnknownLabel
from service.documents.format import cn_number, cn_upper, date_cn, date_en, money, percent, usd
from service.documents.render import render, render_html
from tests.documents.conftest import TEMPLATES, squash
from tests.documents.legal_cases import DAY, context, facts_for, litigation_case, moment, texts, us_case


def claim_of(db, ref, day=DAY):
    return accounts.claim_of(load_case_file(db, ref), day, licensed_cap=get_settings().licensed_cost_cap)


def refused(db, ref, kind, day=DAY, **extra) -> list[str]:
    with pytest.raises(RuleViolation) as caught:
        documents_service.prepare(db, case_ref=ref, kind=kind, fmt="pdf", locale=None, as_of=day,
                                  now=moment(day)) if not extra else context(db, ref, kind, day=day, **extra)
    return sorted({v.rule for v in caught.value.violations})


@pytest.mark.parametrize("kind", ["civil_complaint", "complaint_elements", "claim_statement", "lawyer_letter",
                                  "mediation_application"])
def test_claimed_amounts_reconcile_with_the_claim(db, tmp_path, kind):
    case = litigation_case(db)
    claim = claim_of(db, case.ref)
    assert claim.claimed_total == claim.principal + claim.interest + claim.penalty + claim.compound + claim.fees > 0
    for text in texts(context(db, case.ref, kind), tmp_path):
        for amount in (claim.principal, claim.penalty, claim.claimed_total, claim.continuing.base):
            assert money(amount) in text, (kind, money(amount))
        assert squash(cn_upper(claim.claimed_total)) in squash(text)
        assert date_cn(claim.as_of) in text and squash(date_cn(claim.continuing.from_date)) in squash(text)
        assert percent(claim.continuing.annual_rate) in text


def test_claim_statement_reconciles_from_the_agreement_to_the_claim(db, tmp_path):
    case = litigation_case(db)
    claim = claim_of(db, case.ref)
    ctx = context(db, case.ref, "claim_statement")
    c = ctx.claim  # type: ignore[attr-defined]
    assert c.basis == "agreement" and c.agreement is not None and not c.rows  # a breached plan: its rows
    assert sum(x.amount for x in c.reconciliation if not x.info) == c.claimed_total == claim.claimed_total
    assert c.contractual_total - c.reduced_by == c.claimed_total
    keys = [x.key for x in c.reconciliation]
    assert keys[:3] == ["contract", "acknowledged", "paid_under_plan"] or keys[0] == "contract"
    assert "acknowledged" in keys and "paid_under_plan" in keys and "default_penalty" in keys
    pdf, docx = texts(ctx, tmp_path)
    for text in (pdf, docx):
        assert "第四条" in text and money(claim.cap_result.allowed_cost) in text
        assert "还款协议第四条" in text and "还款协议第一条" in text  # each line cites its clause
        for x in c.reconciliation:
            assert money(x.amount) in text, x.key
        for r in c.agreement.rows:
            assert money(r.amount) in text


def test_claim_statement_rows_add_up_to_the_ledger_and_the_cap_cut(db, tmp_path):
    case = litigation_case(db, plan=False)
    claim = claim_of(db, case.ref)
    ctx = context(db, case.ref, "claim_statement")
    c = ctx.claim  # type: ignore[attr-defined]
    assert c.basis == "contract"
    assert c.row_total("principal") == claim.ledger.overdue_principal
    assert c.row_total("penalty") == claim.cap_result.contractual.penalty
    assert c.contractual_total - c.reduced_by == c.claimed_total == claim.claimed_total
    pdf, docx = texts(ctx, tmp_path)
    for text in (pdf, docx):
        assert "第四条" in text and "第七条第一款" in text and money(claim.cap_result.allowed_cost) in text
        assert len([r for r in claim.rows]) == claim.ledger.positions.__len__()
        # the 各期明细 tables' dates as the prose writes them (date_cn), not ISO: an unpaid row's due date
        # and principal due date (the acceleration date)
        unpaid = [r for r in claim.rows if r.total]
        assert squash(date_cn(unpaid[0].due_date)) in squash(text)
        assert squash(date_cn(unpaid[-1].principal_due_date)) in squash(text)
        assert not re.search(r"\d{4}-\d{2}-\d{2}", text)


def test_court_fee_statement_is_the_fee_table_on_the_claimed_total(db, tmp_path):
    case = litigation_case(db)
    claim = claim_of(db, case.ref)
    fee = compute_court_fee(claim.claimed_total, preservation_amount=claim.claimed_total)
    pdf, docx = texts(context(db, case.ref, "court_fee_statement"), tmp_path)
    for text in (pdf, docx):
        for amount in (fee.amount, fee.full, fee.halved, fee.preservation, fee.payment_order):
            assert money(amount) in text
        assert "第十三条" in text and "第十五条" in text and "第十六条" in text
        assert squash(cn_upper(fee.full)) in squash(text)


def test_complaint_tells_the_facts_in_date_order(db, tmp_path):
    case = litigation_case(db)
    ctx = context(db, case.ref, "civil_complaint")
    pdf, _ = texts(ctx, tmp_path)
    t = ctx.timeline  # type: ignore[attr-defined]
    events = [t.signed_date, t.first_default, t.first_demand.day, t.visits[0].day, t.plan.signed_date,
              t.breaches[0].cure_deadline, t.accelerated_on, DAY]
    facts = squash(pdf).index("事实与理由")
    positions = [squash(pdf).index(squash(date_cn(day)), facts) for day in events]
    assert positions == sorted(positions), list(zip(events, positions, strict=True))
    for words in ("民事起诉状", "诉讼请求", "事实与理由", "证据和证据来源", "此致", "具状人", "副本一份",
                  "北京正衡律师事务所", t.plan.agreement_no, "上海市徐汇区人民法院"):
        assert squash(words) in squash(pdf), words
    assert "11010519491231002X" in pdf  # court filing: the defendant identified in full


def test_complaint_tells_a_lawyer_letter_after_the_earlier_visit_and_acceleration(db, tmp_path):
    """The events after the default come in the order they happened, from the timeline's one order
    (Timeline.events): a lawyer letter sent after the acceleration is told after the visit, the
    agreement and the acceleration, not before them (review: CN-00012 told its 2026-11-28 lawyer
    letter before the 2026-03-20 visit), in the PDF and the DOCX alike."""
    from tests.documents.legal_cases import _comm

    case = litigation_case(db)
    _comm(db, case, date(2025, 10, 1), "letter", "delivered", "lawyer_letter")
    db.flush()
    ctx = context(db, case.ref, "civil_complaint")
    t = ctx.timeline  # type: ignore[attr-defined]
    assert t.lawyer_letter is not None and t.lawyer_letter.day == date(2025, 10, 1)
    assert [e.kind for e in t.events] == ["visit", "plan", "breach", "acceleration", "lawyer_letter"]
    for text in texts(ctx, tmp_path):
        flat = squash(text)
        facts = flat.index("事实与理由")
        told = [flat.index(squash(words), facts) for words in (
            f"{date_cn(t.visits[0].day)}，原告工作人员", f"{date_cn(t.plan.signed_date)}，原告与被告签订《还款协议》",
            "还款协议签订后", squash(date_cn(t.accelerated_on)) + "提前到期", "向被告发出《律师函》")]
        assert told == sorted(told), told


def test_element_complaint_fills_every_element(db, tmp_path):
    case = litigation_case(db)
    ctx = context(db, case.ref, "complaint_elements")
    pdf, docx = texts(ctx, tmp_path)
    # compound interest is named only where some is claimed (review 2026-12-04, F24)
    interest = "利息（期内利息、复利、罚息）" if ctx.claim.compound else "利息（期内利息、罚息）"  # type: ignore[attr-defined]
    for label in ("本金", interest, "是否要求提前还款或解除合同", "是否主张担保权利",
                  "是否主张实现债权的费用", "标的总额", "有无仲裁、法院管辖约定", "是否申请诉前保全",
                  "合同签订情况", "借款利率", "还款方式", "还款情况", "是否存在逾期还款", "保证方式",
                  "请求承担责任的依据", "其他需要说明的内容", "是否考虑先行调解"):
        assert squash(label) in squash(pdf) and squash(label) in squash(docx), label
    claim = claim_of(db, case.ref)
    assert money(claim.claimed_total) in pdf and "第四条" in pdf
    if ctx.terms.compound_allowed:  # type: ignore[attr-defined]
        assert "第七条第二款" in pdf  # the contract's compound-interest clause, as the contract gives it


def test_a_private_lenders_element_complaint_is_the_private_lending_form(db, tmp_path):
    """法〔2025〕82号 has a 民间借贷纠纷 form: 出借人, 实际提供 and how, one interest item whose rates are
    quoted as capped at 4 × LPR, naming the cap; no 贷款人, 罚息/复利 split or 逾期上浮."""
    case = litigation_case(db, lender={"licence_type": "non_licensed", "credit_system": ""})
    ctx = context(db, case.ref, "complaint_elements")
    claim = claim_of(db, case.ref)
    assert claim.cap.private_lending
    for text in texts(ctx, tmp_path):
        flat = squash(text)
        assert "（民间借贷纠纷）" in flat and "出借人：" in flat and "实际提供：" in flat and "提供方式：" in flat
        assert "贷款人：" not in flat and "逾期上浮" not in flat and "复利" not in flat.split("事实与理由")[0]
        assert f"年利率{percent(claim.cap.annual_rate)}" in flat and "一年期贷款市场报价利率的四倍" in flat
        assert "17.请求依据" in flat and "18.其他需要说明的内容" not in flat
        assert money(claim.claimed_total) in flat


def test_the_element_form_grounds_a_plans_acceleration_on_the_agreement_not_the_contract(db, tmp_path):
    """Item 17 cited the loan contract's acceleration clause for a case accelerated under the
    repayment agreement's default clause (case-file review): it names the agreement's clause, and
    the contract's acceleration clause only when the agreement did not accelerate."""
    case = litigation_case(db)
    ctx = context(db, case.ref, "complaint_elements")
    plan, agreement = ctx.timeline.plan, ctx.claim.agreement  # type: ignore[attr-defined]
    assert plan is not None and agreement is not None and agreement.accelerated_on is not None
    flat = squash(texts(ctx, tmp_path)[0])
    item = flat[flat.index("17.请求"):flat.index("法律规定", flat.index("17.请求"))]
    assert f"还款协议（编号{plan.agreement_no}）第{cn_number(agreement.default_clause)}条" in item, item
    clause = ctx.terms.clause("acceleration")  # type: ignore[attr-defined]
    assert clause and clause not in item, item


def test_the_element_forms_term_states_the_agreements_change_of_it(db, tmp_path):
    """Reader, CN-00060: 借款期限 gave only the contract's term, which the repayment agreement had
    extended; the item states the agreement's instalments and last due date, as its schedule gives them
    (the form for licensed lenders and the private-lending one alike)."""
    for lender in ({}, {"licence_type": "non_licensed", "credit_system": ""}):
        case = litigation_case(db, lender=lender)
        ctx = context(db, case.ref, "complaint_elements")
        agreement = ctx.claim.agreement  # type: ignore[attr-defined]
        assert agreement is not None and agreement.rows
        said = (f"还款协议变更：《还款协议》（编号{agreement.agreement_no}）于{date_cn(agreement.signed_date)}签订，"
                f"约定分{len(agreement.rows)}期偿还，最后一期应还日为{date_cn(agreement.rows[-1].due_date)}")
        for text in texts(ctx, tmp_path):
            flat = squash(text)
            item = flat[flat.index("4.借款期限"):flat.index("5.借款利率")]
            assert squash(said) in item, item


def test_the_element_forms_overdue_dates_are_the_claims(db, tmp_path):
    """§6: 逾期时间 starts the day after the first missed instalment of a breached agreement (days counted from
    it), with the acceleration stated beside it, never in its place (review R-8: counting from the
    acceleration understated the default); a loan not yet at term and not accelerated is not "已到期"."""
    case = litigation_case(db)
    ctx = context(db, case.ref, "complaint_elements")
    accel = claim_of(db, case.ref).accelerated_on
    missed = ctx.timeline.schedule_default  # type: ignore[attr-defined]
    assert missed is not None and accel is not None and missed < accel
    assert ctx.overdue_from == missed and ctx.overdue_days == (DAY - missed).days  # type: ignore[attr-defined]
    flat = squash(texts(ctx, tmp_path)[0])
    assert (f"自{date_cn(missed)}（《还款协议》项下首次未按约定足额还款的应还日）次日起，至{date_cn(DAY)}已逾期"
            f"{(DAY - missed).days}日；全部未还款项已于{date_cn(accel)}提前到期") in flat
    assert "☑是　☐否　☐暂不确定" in flat.replace(" ", "") or "☑是☐否☐暂不确定" in flat  # 先行调解
    early = date(2025, 8, 1)  # before the contract's term end (2026-01-10) and any acceleration
    plain = litigation_case(db, plan=False)
    load_case_file(db, plain.ref).case.accelerated_on = None
    db.flush()
    ctx = context(db, plain.ref, "complaint_elements", day=early)
    assert ctx.overdue_from is not None and ctx.overdue_from <= early  # type: ignore[attr-defined]
    # DOC-07 refuses such a form; built past the rules it stops rather than state an acceleration
    # the record does not hold (its old "约定期限尚未届满…请求提前到期" text was dead)
    with pytest.raises(UnknownLabel, match="neither accelerated nor matured"):
        texts(ctx, tmp_path)


@pytest.mark.parametrize("plan", [True, False])
def test_every_court_document_states_one_acceleration_basis(db, tmp_path, plan):
    """Review #7: the acceleration is stated once, from the claim: under a breached agreement its
    default clause (falling due on its own, nobody "declared" it); otherwise the contract's clause."""
    case = litigation_case(db, plan=plan)
    claim = claim_of(db, case.ref)
    day = date_cn(claim.accelerated_on)
    if plan:
        clause = "第" + {4: "四", 5: "五", 6: "六"}[claim.agreement.terms.default.clause_no] + "条"
        basis = f"{clause}，被告未在纠正期内纠正违约，全部未还款项已于{day}提前到期"
    else:
        # the contract's condition (ESC-12), met by the acceleration date, then its clause
        # the fact the condition was met on (review CN-00061): the oldest instalment then unpaid, how long overdue
        met = condition_on(load_case_file(db, case.ref), claim.accelerated_on)
        fact = (f"被告第{met.oldest_no}期借款（应还日{date_cn(met.oldest_due)}）至{day}已逾期{met.days_past_due}日，"
                f"超过90日")
        basis = f"{fact}，依借款合同第八条，原告已于{day}宣布全部借款提前到期"
    for kind in ("civil_complaint", "complaint_elements", "claim_statement", "lawyer_letter"):
        for text in texts(context(db, case.ref, kind), tmp_path):
            flat = squash(text)
            if kind == "claim_statement" and not plan:  # the contract: its table cites the clause
                assert "合同第八条（任一期借款逾期超过90日的，可宣布提前到期）；提前到期后" in flat and day in flat
                continue
            if kind == "lawyer_letter":  # to the borrower: 委托人 and 您, never 原告/被告
                basis = basis.replace("原告", "委托人").replace("被告", "您")
                assert "被告" not in flat and "原告" not in flat
            assert squash(basis) in flat, kind
            if plan:
                assert "宣布" not in flat.split("事实与理由")[-1].replace("有权宣布", ""), kind
                assert "合同第八条（" not in flat, kind


def test_the_element_forms_repayments_count_the_payments_under_the_agreement(db, tmp_path):
    """Review #4: 还款情况 is the whole loan's: contract payments and plan payments, principal repaid =
    disbursed − claimed principal, as the claim allocates them."""
    case = litigation_case(db)
    claim = claim_of(db, case.ref)
    ctx = context(db, case.ref, "complaint_elements")
    c = ctx.claim  # type: ignore[attr-defined]
    plan = claim.agreement
    assert plan is not None and plan.paid_total > 0
    disbursed = ctx.terms.disbursed_amount  # type: ignore[attr-defined]
    principal = disbursed - claim.principal - claim.set_off
    total = claim.ledger.paid_total + plan.paid_total
    assert c.repaid("principal") == principal and c.repaid_total == total
    for text in texts(ctx, tmp_path):
        flat = squash(text)
        assert f"已还款合计：{money(total)}元" in flat
        assert f"《还款协议》项下{money(plan.paid_total)}元" in flat
        assert f"已还本金：{money(principal)}元" in flat
        assert f"已还利息：{money(c.repaid('interest'))}元" in flat


def test_without_compound_interest_in_the_contract_no_document_names_it(db, tmp_path):
    """Review #12, #13: a contract without 复利: the acknowledged penalty and the mediation waiver are
    罚息 only; the breach notice lists the parts of what falls due at once (the revived waiver among
    them), not as parts of what was paid under the agreement."""
    case = litigation_case(db, contract={"compound_allowed": False})
    claim = claim_of(db, case.ref)
    assert claim.compound == 0 and claim.agreement is not None
    for kind in ("civil_complaint", "claim_statement", "mediation_application"):
        for text in texts(context(db, case.ref, kind), tmp_path):
            assert "及复利" not in squash(text), kind
    for text in texts(context(db, case.ref, "breach_notice"), tmp_path):
        flat = squash(text)
        assert "及复利" not in flat
        paid = re.search(r"协议已还款[\d,]", flat).start()  # the table row, not the paragraph's words
        assert flat.index("其中：本金") < paid and "其中" not in flat[paid:paid + 40]
        assert flat.index("含不再适用的减免") < paid


def test_plan_instalments_after_the_acceleration_are_shown_as_accelerated(db, tmp_path):
    """Review #14: an instalment due after the acceleration date fell due on it: the schedule says
    so, with the days since, never "0" days late. Those are the days the default penalty has run
    (second review, 2026-12-06: the table said 56 days beside a penalty charged for 57): the
    acceleration date and the as-of date both count (R-14)."""
    case = litigation_case(db)
    claim = claim_of(db, case.ref)
    position = claim.agreement
    accel = position.accelerated_on
    later = [i for i in position.instalments if i.due_date > accel and i.paid < i.amount]
    # late from the acceleration date, the day each fell due (review US-00013: the days after it)
    assert later and all(i.days_late == (DAY - accel).days for i in later)
    days = (DAY - accel).days + 1
    terms = position.terms
    principal = position.outstanding[Component.PRINCIPAL]
    assert position.penalty == round_money(principal * terms.default.penalty_rate * days / terms.day_basis)
    ctx = context(db, case.ref, "claim_statement")
    for text in texts(ctx, tmp_path):
        flat = squash(text)
        assert flat.count(f"已提前到期（{days}天）") == len(later)
        for i in later:
            assert re.search(rf"{date_cn(i.due_date)}[\d,.]+[\d,.]+[\d,.]+已提前到期", flat), i.no


def test_the_complaint_lists_the_evidence_index_s_exhibits_in_its_numbering(db, tmp_path):
    """Review #9: the complaint's evidence list is the evidence index's: the same exhibits (the
    packet plan's, recordings included), in the same numbers."""
    case = litigation_case(db)
    index = context(db, case.ref, "evidence_index")
    rows = index.rows  # type: ignore[attr-defined]
    assert len(rows) >= 5
    pdf, docx = texts(context(db, case.ref, "civil_complaint"), tmp_path)
    for text in (pdf, docx):
        flat = squash(text)
        listed = flat[flat.index("证据和证据来源"):flat.index("此致")]
        for r in rows:
            assert squash(f"{r.number}.{r.title}，来源：{r.origin}") in listed, r.number
        assert f"{len(rows) + 1}." not in listed
        assert "借款本息计算表，来源" not in listed  # a pleading, not an exhibit of the index


def test_the_breach_notice_states_the_day_further_interest_runs_from(db, tmp_path):
    """The CN breach notice said "自起算日起" (from the start date): a reader could not tell which
    date. Its body names the table row that gives the claim computation's date, and that row holds
    it, in both languages and both formats (a date field inside the justified prose left a gap after
    every date shorter than the longest)."""
    case = litigation_case(db)
    start = claim_of(db, case.ref).continuing.from_date
    for locale, said, row in (
            ("zh-CN", "；自下表“继续计收罚息起算日”所列之日起，以未还本金为基数按下表年利率计收罚息",
             f"继续计收罚息起算日 {date_cn(start)}"),
            ("en-US", "from the day the table below gives as “Further interest from” until payment",
             f"Further interest from {date_en(start)}")):
        ctx = context(db, case.ref, "breach_notice", locale=locale)
        assert ctx.acceleration.continuing_from == start  # type: ignore[attr-defined]
        for text in texts(ctx, tmp_path):
            flat = squash(text)
            assert squash(said) in flat, locale
            assert squash(row) in flat, locale
            assert "自起算日起" not in flat and "from the date and at" not in flat, locale


@pytest.mark.parametrize(("licence", "we"), [("bank", "本行"), ("consumer_finance", "本公司")])
def test_a_bank_calls_itself_本行(db, tmp_path, licence, we):
    """Review #29: the lender's licence type says how its letters name it."""
    case = litigation_case(db, lender={"licence_type": licence})
    for text in texts(context(db, case.ref, "breach_notice"), tmp_path):
        flat = squash(text)
        assert f"（以下简称“{we}”）" in flat and f"以{we}官方客服热线为准" in flat
        assert ({"本行", "本公司"} - {we}).pop() not in flat


def test_the_evidence_index_counts_one_copy_for_one_defendant(db, tmp_path):
    """Review #30: one defendant: "被告一份", not "被告各一份（共一名被告）"."""
    case = litigation_case(db)
    for text in texts(context(db, case.ref, "evidence_index"), tmp_path):
        flat = squash(text)
        assert "一式二份（人民法院一份，被告一份）" in flat and "各一份" not in flat


def test_evidence_index_from_packet_rows_links_pages(db, tmp_path):
    case = litigation_case(db)
    rows = [{"number": n, "group": "第一组", "title": f"证据{n}", "form": "书证", "origin": "原告自存",
             "original_available": True, "purpose": f"证明事实{n}", "first_page": 10 * n, "last_page": 10 * n + 3,
             "pages": 4, "bates_first": f"TLND-{10 * n:06d}", "bates_last": f"TLND-{10 * n + 3:06d}"} for n in (1, 2)]
    ctx = context(db, case.ref, "evidence_index", rows=rows)
    rendered = render(ctx, "pdf", templates_dir=TEMPLATES)
    path = tmp_path / "index.pdf"
    path.write_bytes(rendered.data)
    with pikepdf.open(path) as pdf:
        uris = [str(a.A.URI) for page in pdf.pages for a in page.get("/Annots", [])]
    assert uris == ["https://dossier.invalid/page/10", "https://dossier.invalid/page/20"]
    gap = [dict(rows[0]), dict(rows[1], number=3)]
    assert refused(db, case.ref, "evidence_index", rows=gap) == ["CN-21"]
    overlap = [dict(rows[0]), dict(rows[1], first_page=12)]
    assert refused(db, case.ref, "evidence_index", rows=overlap) == ["CN-21"]


def test_evidence_index_on_its_own_lists_the_exhibits_of_the_case(db, tmp_path):
    case = litigation_case(db)
    ctx = context(db, case.ref, "evidence_index")
    titles = [r.title for r in ctx.rows]  # type: ignore[attr-defined]
    assert any("借款合同" in t for t in titles) and any("还款协议" in t for t in titles)
    assert not ctx.paginated  # type: ignore[attr-defined]
    pdf, _ = texts(ctx, tmp_path)
    assert "一式二份" in pdf


def test_packet_parts_take_the_packet_inputs(db, tmp_path):
    from service.packets.plan import plan_packet

    case = litigation_case(db)
    plan = plan_packet(load_case_file(db, case.ref), [], [], templates_dir=TEMPLATES)
    cover = context(db, case.ref, "packet_cover", plan=plan)
    pdf, _ = texts(cover, tmp_path)
    assert all(squash(e.title) in squash(pdf) for e in plan.exhibits) and "草稿" in pdf  # uploads missing
    sheet = context(db, case.ref, "exhibit_cover", exhibit=plan.exhibits[1], number=2, first_page=31, last_page=33,
                    bates_first="TLND-000031", bates_last="TLND-000033")
    pdf, docx = texts(sheet, tmp_path)
    for text in (pdf, docx):
        assert "证据2" in text and "TLND-000031" in text and squash(plan.exhibits[1].purpose) in squash(text)


def test_packet_cover_labels_the_case_ref_as_the_plaintiffs_own(db, tmp_path):
    """The case ref on the packet cover is the plaintiff's own file reference, not a court's case
    number (案号): labelled so, in Chinese and in English (review finding 5)."""
    from service.packets.plan import plan_packet

    for case, label in ((litigation_case(db), "原告内部案件编号"), (us_case(db), "Plaintiff's file reference")):
        plan = plan_packet(load_case_file(db, case.ref), [], [], templates_dir=TEMPLATES)
        for text in texts(context(db, case.ref, "packet_cover", plan=plan), tmp_path):
            assert squash(f"{label}{case.ref}") in squash(text), case.ref
            assert "Case reference" not in text and not re.search(r"(?<!内部)案件编号", text)


def test_payment_and_notice_histories(db, tmp_path):
    case = litigation_case(db)
    ledger = accounts.ledger_of(load_case_file(db, case.ref), DAY)
    history = context(db, case.ref, "payment_history")
    totals, agreement = history.totals, history.agreement  # type: ignore[attr-defined]
    # The case has a signed agreement: the contract's allocation stops at the acknowledgement and the
    # later payments are the agreement's; together they are every payment.
    assert agreement is not None and agreement.payments
    before = accounts.ledger_of(load_case_file(db, case.ref), agreement.from_date)
    assert totals["paid"] == before.paid_total and totals["principal"] == before.paid["principal"]
    assert totals["paid"] + sum(p.amount for p in agreement.payments) == ledger.paid_total
    pdf, docx = texts(history, tmp_path)
    assert "第五百六十一条" in pdf and money(before.paid_total) in pdf and money(agreement.total) in pdf
    for text in (pdf, docx):  # the tables' dates as the prose writes them (date_cn), not ISO
        assert squash(date_cn(agreement.payments[0].value_date)) in squash(text)
        assert not re.search(r"\d{4}-\d{2}-\d{2}", text)
    for text in texts(context(db, case.ref, "repayment_schedule"), tmp_path):
        assert squash(date_cn(ledger.positions[0].due_date)) in squash(text)
        assert not re.search(r"\d{4}-\d{2}-\d{2}", text)
    notices = context(db, case.ref, "notice_history")
    pdf, docx = texts(notices, tmp_path)
    for text in (pdf, docx):
        assert "13800138000" not in text and "138****8000" in text and "ab" * 32 in squash(text)
        assert "2025年3月11日" in text and "18:00" not in text  # borrower-local 10:00, not UTC
        assert not re.search(r"\d{4}-\d{2}-\d{2}", text)  # the table's dates as the prose writes them (date_cn)


def test_us_affidavit_and_statement_redact_and_reconcile(db, tmp_path):
    case = us_case(db)
    claim = claim_of(db, case.ref)
    for kind in ("affidavit_of_debt", "claim_statement", "evidence_index"):
        pdf, docx = texts(context(db, case.ref, kind), tmp_path)
        for text in (pdf, docx):
            assert "123-45-6789" not in text and "LKCC-2024-004512" not in text  # US-13: last 4 only
            if kind != "evidence_index":  # the index lists exhibits, not amounts
                assert usd(claim.claimed_total) in text
    pdf, _ = texts(context(db, case.ref, "affidavit_of_debt"), tmp_path)
    assert "ending in 4512" in pdf and "6789" in pdf and "1986" not in pdf  # no year of birth (capleading)


def test_time_barred_debt_refuses_suit_and_threat(db):
    from tests.factories import schedule

    old = dict(stage="PRE_LITIGATION", schedule=schedule(first_due=date(2019, 2, 10), start=date(2019, 1, 10)),
               contract={"signed_date": "2019-01-10", "disbursed_date": "2019-01-10"},
               payments=[{"value_date": "2019-02-10", "amount": "1100.00"}])
    from tests.factories import import_case

    case = import_case(db, **old)
    day = date(2026, 11, 1)
    for kind in ("civil_complaint", "complaint_elements", "lawyer_letter", "mediation_application"):
        assert "CN-18" in refused(db, case.ref, kind, day=day), kind


def test_counsel_documents_need_an_assigned_firm(db):
    case = litigation_case(db, with_firm=False)
    assert refused(db, case.ref, "power_of_attorney") == ["CN-22"]
    assert refused(db, case.ref, "lawyer_letter") == ["CN-29"]


def test_element_complaint_needs_rate_clause_numbers(db):
    # the day-count clause recorded (else CN-33 refuses it too): the rate clauses alone are missing
    case = litigation_case(db, contract={"clause_refs": {"rate": "第四条", "day_count": "第四条第二款"}})
    assert refused(db, case.ref, "complaint_elements") == ["CN-20"]


def test_complaint_needs_an_identifiable_defendant(db):
    case = litigation_case(db, borrower={"habitual_address": "", "hukou_address": ""},
                           contract={"agreed_service_address": ""})
    assert refused(db, case.ref, "civil_complaint") == ["CN-19"]


def test_service_address_confirmation_needs_an_address(db):
    from tests.factories import import_case

    case = import_case(db, stage="PRE_LITIGATION", borrower={"habitual_address": "", "hukou_address": ""},
                       contract={"agreed_service_address": ""})
    assert refused(db, case.ref, "service_address_confirmation") == ["CN-23"]


def test_internet_court_only_for_online_loans(db):
    case = litigation_case(db, contract={"channel": "offline", "jurisdiction_clause": "由北京互联网法院管辖"})
    assert refused(db, case.ref, "civil_complaint") == ["CN-24"]
    online = litigation_case(db, contract={"contract_no": "TLND-ONLINE-1",
                                           "jurisdiction_clause": "由北京互联网法院管辖"})
    assert context(db, online.ref, "civil_complaint").court.name == "北京互联网法院"  # type: ignore[attr-defined]


def test_service_address_confirmation_uses_the_agreed_address_and_consent(db, tmp_path):
    case = litigation_case(db)
    ctx = context(db, case.ref, "service_address_confirmation")
    assert ctx.defendant_address_source == "agreement" and ctx.defendant_e_service  # type: ignore[attr-defined]
    pdf, docx = texts(ctx, tmp_path)
    for text in (pdf, docx):
        assert "孙立新" in text and "北京市朝阳区建国门外大街1号" in text and "还款协议" in text


def test_litigation_documents_only_at_litigation_stages(db):
    case = litigation_case(db)
    case.stage = "PLAN_ACTIVE"
    db.flush()
    assert refused(db, case.ref, "civil_complaint") == ["DOC-01"]
    assert facts_for(db, case.ref).cf.case.stage == "PLAN_ACTIVE"


def test_a_rate_above_the_cap_is_quoted_as_capped_naming_the_cap(db, tmp_path):
    """Issue 8 §2: no notice or agreement states or locks in a rate above the cap (a private
    lender's 27 % penalty rate is quoted at 4 × LPR, naming it)."""
    case = litigation_case(db, lender={"licence_type": "non_licensed", "credit_system": ""})
    cap = accounts.cap_of(load_case_file(db, case.ref), DAY)
    assert cap.private_lending and cap.annual_rate < Decimal("0.27")
    capped, contract = percent(cap.annual_rate), "27%"
    for kind, locale in (("overdue_reminder", "zh-CN"), ("repayment_agreement", "zh-CN"), ("demand_letter", "zh-CN"),
                         ("overdue_reminder", "en-US"), ("repayment_agreement", "en-US")):
        for text in texts(context(db, case.ref, kind, locale=locale), tmp_path):
            flat = squash(text)
            assert capped in flat and contract in flat, (kind, locale)
            assert ("一年期贷款市场报价利率的四倍" in flat) if locale == "zh-CN" else ("LPR" in flat), (kind, locale)


def test_a_claim_above_the_last_breach_notice_must_be_explained_by_the_reconciliation(db):
    """Issue 8 §6 (DOC-05): the breach notice's total is kept with the breach; later, the claim may
    exceed it only by default interest since (a reconciliation line). A record changed under the
    notice, here a plan payment removed, leaves an excess no line explains: the pleadings are refused."""
    case = litigation_case(db)
    cf = load_case_file(db, case.ref)
    breach = cf.breaches[0]
    notice_day = breach.cure_deadline - timedelta(days=5)
    stated = claim_of(db, case.ref, notice_day)
    breach.notice_total, breach.notice_as_of = stated.claimed_total, notice_day
    db.flush()
    later = claim_of(db, case.ref)
    assert later.claimed_total > stated.claimed_total and later.line("default_penalty") is not None
    context(db, case.ref, "civil_complaint")  # the difference is the default interest since: explained
    breach.notice_total = stated.claimed_total - Decimal("500.00")  # the notice said less than the record now does
    db.flush()
    for kind in ("civil_complaint", "complaint_elements", "claim_statement", "mediation_application"):
        assert "DOC-05" in refused(db, case.ref, kind), kind


def test_a_claim_above_a_later_lawyer_letter_is_refused_though_the_breach_notice_explains_it(db):
    """DOC-05 compares against the last notice of any kind that told the borrower what is owed,
    not only the breach notice: a lawyer letter after it that stated less (the record has changed
    under it since) leaves an excess the reconciliation does not explain."""
    case = litigation_case(db)
    cf = load_case_file(db, case.ref)
    breach = cf.breaches[0]
    notice_day = breach.cure_deadline - timedelta(days=5)
    breach.notice_total, breach.notice_as_of = claim_of(db, case.ref, notice_day).claimed_total, notice_day
    # its deadline to pay (7 days, POL-02) has run (DOC-06): from Friday 11-21 it ends Friday 11-28 (from
    # DAY - 8, a Sunday, it ended on Sunday 11-30, moved to Monday DAY by 民法典 art. 203)
    letter_day = DAY - timedelta(days=10)
    letter = claim_of(db, case.ref, letter_day)
    db.add(Communication(case_id=case.id, channel="letter", direction="out", party_kind="borrower",
                         to_address="上海市", sent_at=moment(letter_day), local_time=moment(letter_day).isoformat(),
                         outcome="delivered", template_kind="lawyer_letter", stated_total=letter.claimed_total,
                         stated_as_of=letter_day))
    db.flush()
    context(db, case.ref, "civil_complaint")  # the letter stated the claim of its day: explained since
    sent = next(c for c in load_case_file(db, case.ref).communications if c.template_kind == "lawyer_letter")
    sent.stated_total = letter.claimed_total - Decimal("300.00")
    db.flush()
    for kind in ("civil_complaint", "complaint_elements", "claim_statement", "mediation_application"):
        assert "DOC-05" in refused(db, case.ref, kind), kind
    with pytest.raises(RuleViolation) as refusal:
        context(db, case.ref, "civil_complaint")
    assert "lawyer_letter" in str(refusal.value.violations[0].message)


def test_a_contract_claim_above_what_a_lawyer_letter_stated_for_its_own_date_is_refused(db):
    """On the contract (no agreement), DOC-05 holds the claim to the last lawyer letter: what
    accrued since is the computation's own, but a letter that stated less than the same
    computation gives for the letter's date (the record changed under it) is not explained."""
    case = litigation_case(db, plan=False)
    letter_day = DAY - timedelta(days=10)
    letter = claim_of(db, case.ref, letter_day)
    assert letter.agreement is None
    db.add(Communication(case_id=case.id, channel="letter", direction="out", party_kind="borrower",
                         to_address="上海市", sent_at=moment(letter_day), local_time=moment(letter_day).isoformat(),
                         outcome="delivered", template_kind="lawyer_letter", stated_total=letter.claimed_total,
                         stated_as_of=letter_day))
    db.flush()
    assert claim_of(db, case.ref).claimed_total > letter.claimed_total  # accrued since: explained
    context(db, case.ref, "civil_complaint")
    sent = next(c for c in load_case_file(db, case.ref).communications if c.template_kind == "lawyer_letter")
    sent.stated_total = letter.claimed_total - Decimal("300.00")
    db.flush()
    for kind in ("civil_complaint", "complaint_elements", "claim_statement"):
        assert "DOC-05" in refused(db, case.ref, kind), kind


def _lawyer_letter_sent(db, case, day, **extra):
    comm = Communication(case_id=case.id, channel="letter", direction="out", party_kind="borrower",
                         to_address="上海市", sent_at=moment(day), local_time=moment(day).isoformat(),
                         outcome="sent", template_kind="lawyer_letter", **extra)
    db.add(comm)
    db.flush()
    return comm


def test_no_complaint_while_the_lawyer_letter_s_deadline_to_pay_runs(db):
    """DOC-06: a lawyer letter that gives the borrower seven days from its delivery to pay before
    suit (POL-02, "自本函送达之日起七日内") holds the complaint back until the day after the
    seventh; a failed letter (never sent) holds nothing."""
    case = litigation_case(db, plan=False)
    comm = _lawyer_letter_sent(db, case, DAY - timedelta(days=9))
    activity.record_delivery(db, case, comm.id, actor="test", at=moment(DAY - timedelta(days=7), 14))  # pay by DAY
    for kind in ("civil_complaint", "complaint_elements"):
        assert "DOC-06" in refused(db, case.ref, kind), kind
    assert "DOC-06" not in refused_or_none(db, case.ref, "claim_statement")
    with pytest.raises(RuleViolation) as refusal:
        documents_service.prepare(db, case_ref=case.ref, kind="civil_complaint", fmt="pdf", locale=None, as_of=DAY,
                                  now=moment(DAY))
    assert any(f"until {DAY.isoformat()}" in v.message for v in refusal.value.violations)
    after = DAY + timedelta(days=1)
    assert "DOC-06" not in refused_or_none(db, case.ref, "civil_complaint", day=after)
    sent = next(c for c in load_case_file(db, case.ref).communications if c.template_kind == "lawyer_letter")
    sent.outcome = "failed"
    db.flush()
    assert "DOC-06" not in refused_or_none(db, case.ref, "civil_complaint")


def test_the_lawyer_letter_s_deadline_counts_from_its_delivery_not_its_date(db):
    """DOC-06 counts the letter's seven days from the day it reached the borrower (delivered_at,
    borrower-local), not from its date or its sending: a letter dated DAY-12 and delivered on DAY-7
    gives the borrower until DAY (from its date it would have been DAY-5). While its delivery is
    not recorded the days have not begun: refused, naming delivery. The complaint states that
    deadline, delivery + 7 days (CaseFacts.demand_deadline)."""
    case = litigation_case(db, plan=False)
    letter_day = DAY - timedelta(days=12)
    comm = _lawyer_letter_sent(db, case, letter_day, stated_as_of=letter_day)
    late = DAY + timedelta(days=30)
    with pytest.raises(RuleViolation) as refusal:
        documents_service.prepare(db, case_ref=case.ref, kind="civil_complaint", fmt="pdf", locale=None, as_of=late,
                                  now=moment(late))
    (undelivered,) = [v for v in refusal.value.violations if v.rule == "DOC-06"]
    assert "7 days from its delivery" in undelivered.message and "not recorded" in undelivered.message
    assert "自送达之日起7日" in undelivered.localized["zh-CN"] and "未记录送达" in undelivered.localized["zh-CN"]
    activity.record_delivery(db, case, comm.id, actor="test", at=moment(DAY - timedelta(days=7), 14))
    assert "DOC-06" in refused(db, case.ref, "civil_complaint", day=DAY - timedelta(days=4))
    assert "DOC-06" in refused(db, case.ref, "civil_complaint")
    after = DAY + timedelta(days=1)
    assert "DOC-06" not in refused_or_none(db, case.ref, "civil_complaint", day=after)
    html = squash(render_html(context(db, case.ref, "civil_complaint", day=after), TEMPLATES))
    assert "未在该函限定的期限内（自送达之日起七日内，即至2025年12月1日止）偿还欠款" in html, html


def test_a_notice_that_states_the_debt_keeps_what_it_said_with_its_communication(db, store):
    case = litigation_case(db)
    cf = load_case_file(db, case.ref)
    cf.case.stage = "PRE_LITIGATION"
    db.flush()
    doc = documents_service.generate(db, case_ref=case.ref, kind="lawyer_letter", as_of=DAY, actor="test",
                                     store=store, now=moment(DAY))
    sent = [c for c in load_case_file(db, case.ref).communications if c.document_id == doc.id]
    assert [(c.template_kind, c.stated_total, c.stated_as_of) for c in sent] == [
        ("lawyer_letter", claim_of(db, case.ref).claimed_total, DAY)]


def test_recording_a_breach_notice_keeps_what_it_said_falls_due(db, store):
    case = litigation_case(db, lender={"credit_system": ""})
    cf = load_case_file(db, case.ref)
    day = cf.breaches[0].cure_deadline - timedelta(days=2)
    cf.case.stage = "PLAN_BREACHED"
    db.flush()
    documents_service.generate(db, case_ref=case.ref, kind="breach_notice", as_of=day, actor="test",
                               store=store, now=moment(day))
    breach = load_case_file(db, case.ref).breaches[0]
    # what falls due on the acceleration date (the day after the cure deadline), recorded as that day's
    # balance, not as of the notice's own date (review US-00010)
    accelerated = cf.breaches[0].cure_deadline + timedelta(days=1)
    assert breach.notice_as_of == accelerated and breach.notice_total == claim_of(db, case.ref, day).claimed_total


def test_a_cure_deadline_still_running_is_not_stated_as_missed(db):
    """Issue 8 §6 (DOC-04): a pleading dated while the cure period runs would say the borrower
    "did not cure by" a date still ahead: refused by name."""
    case = litigation_case(db)
    running = load_case_file(db, case.ref).breaches[0].cure_deadline - timedelta(days=1)
    assert "DOC-04" in refused(db, case.ref, "lawyer_letter", day=running)
    # The pleadings are refused before they are laid out: while the cure period runs the agreement
    # is not accelerated, so there is nothing to claim in full yet (DOC-07, which checks first).
    for kind in ("civil_complaint", "complaint_elements"):
        assert "DOC-07" in refused(db, case.ref, kind, day=running), kind
    assert "DOC-04" not in refused_or_none(db, case.ref, "civil_complaint")


def refused_or_none(db, ref, kind, day=DAY) -> list[str]:
    try:
        documents_service.prepare(db, case_ref=ref, kind=kind, fmt="pdf", locale=None, as_of=day, now=moment(day))
    except RuleViolation as exc:
        return sorted({v.rule for v in exc.violations})
    return []


def test_every_cent_between_the_agreement_and_the_claim_has_a_line(db, tmp_path):
    """The contract's 27 % penalty was above the 24 % line when the agreement was signed, so the
    agreement set 24 % itself (第四条第N项, the excess not charged): after it the agreed figure is at
    24 %, and no cut of it appears (review 2026-12-07, CN-00058: a "cap reduction" of a rate the
    agreement never charged). contractual − claimed is what the counted lines take away."""
    case = litigation_case(db)
    claim = claim_of(db, case.ref)
    assert claim.line("rate_cap_plan") is None
    penalty = claim.line("default_penalty")
    assert penalty is not None and penalty.rate == claim.cap.annual_rate and penalty.item
    others = sum((x.amount for x in claim.reconciliation if x.key in ("acknowledged_above_cap", "cap_together",
                                                                      "cost_set_off")), Decimal(0))
    assert claim.reduced_by == -others
    for text in texts(context(db, case.ref, "claim_statement"), tmp_path):
        flat = squash(text)
        assert "超过利率上限的部分（不予主张）" not in flat
        assert f"还款协议第四条第{penalty.item}项" in flat


def test_the_mediation_proposal_falls_on_the_contracts_repayment_day(db, tmp_path):
    """The proposed instalments are monthly on the day of month the contract's instalments fell on
    (its first due date, 2025-02-10: the 10th), the first at least a month after the application
    (not every 30 days from the application date, which drifts through the month)."""
    case = litigation_case(db)
    ctx = context(db, case.ref, "mediation_application")
    lines = ctx.proposal.lines  # type: ignore[attr-defined]
    day = ctx.terms.first_due_date.day  # type: ignore[attr-defined]
    assert day == 10 and len(lines) > 2
    assert all(x.due_date.day == day for x in lines)
    months = [x.due_date.year * 12 + x.due_date.month for x in lines]
    assert months == list(range(months[0], months[0] + len(lines)))
    assert DAY + timedelta(days=28) <= lines[0].due_date <= DAY + timedelta(days=62)
    for text in texts(ctx, tmp_path):
        assert all(squash(date_cn(x.due_date)) in squash(text) for x in lines)


def test_claim_statement_prints_each_period_with_its_end_and_negatives_one_way(db, tmp_path):
    """Every dated line of the reconciliation runs "X至Y" or "至Y", never "X至" with no end; a
    reference line's amount is printed as it is, a negative with its minus sign, never "（-3.71）"
    (parentheses and a minus). The waiver revived on default covers what the agreement waived, the
    amounts up to its signing (review of 2026-12-06: CN-00012 printed the fixed penalty waived to
    2026-03-20 as if it ran from the acceleration to the as-of date)."""
    case = litigation_case(db)
    ctx = context(db, case.ref, "claim_statement")
    c = ctx.claim  # type: ignore[attr-defined]
    assert any(x.info and x.amount < 0 for x in c.reconciliation)
    revived, held = c.line("revived_waiver"), c.line("waiver_held")
    assert revived is not None and held is not None and revived.amount == -held.amount
    assert revived.start is None and revived.end == held.end == c.line("acknowledged").end
    for text in texts(ctx, tmp_path):
        flat = squash(text)
        assert not re.search(r"\d日至）|至）", flat), flat
        assert not re.search(r"[（(]-", flat), flat
        assert f"违约后减免失效，恢复主张（至{date_cn(revived.end)}）" in flat
        assert f"恢复主张（{date_cn(c.accelerated_on)}至" not in flat
        for x in c.reconciliation:
            assert money(x.amount) in text, x.key


@pytest.mark.parametrize("kind", ["lawyer_letter", "mediation_application"])
def test_a_filed_case_gets_no_letter_threatening_suit_and_no_pre_suit_mediation(db, kind):
    """Both come before a suit: at FILED a lawyer letter warning that one will be filed, and an
    application for 诉前调解, would be untrue (DOC-01)."""
    case = litigation_case(db)
    case.stage = Stage.FILED
    db.flush()
    assert refused(db, case.ref, kind) == ["DOC-01"]
    # and, once filed, no new complaint either: the filed one stands (review 2026-12-04, F14)
    assert refused(db, case.ref, "civil_complaint") == ["DOC-01"]


def test_a_lawyer_letter_generated_again_counts_only_the_contacts_before_it(db, tmp_path):
    """The letter was sent once; generated again for its date it states the contacts before it,
    not its own earlier send, while the complaint counts the letter once among the contacts. A
    letter of a later date is another letter: the one sent before it is a contact before it
    (litigator's review: a second letter restated the count without the first)."""
    from tests.documents.legal_cases import _comm

    case = litigation_case(db)
    sent = DAY - timedelta(days=3)
    before = context(db, case.ref, "lawyer_letter", day=sent).timeline.contacts  # type: ignore[attr-defined]
    _comm(db, case, sent, "letter", "delivered", "lawyer_letter")
    db.flush()
    letter = context(db, case.ref, "lawyer_letter", day=sent)
    contacts = letter.timeline.contacts  # type: ignore[attr-defined]
    assert contacts == before and "lawyer_letter" not in {c.template_kind for c in contacts.contacts}
    for text in texts(letter, tmp_path):
        # in the complaint's words (issue 10): the ways, then how many reached the borrower
        assert f"委托人自{date_cn(before.first)}起先后{before.attempts}次通过" in squash(text)
        assert "等方式联系您催告还款" in squash(text)
        assert squash(f"最近一次为{date_cn(before.last)}") in squash(text)
    complaint = context(db, case.ref, "civil_complaint").timeline.contacts  # type: ignore[attr-defined]
    assert complaint.attempts == before.attempts + 1
    assert [c.template_kind for c in complaint.contacts].count("lawyer_letter") == 1
    later = context(db, case.ref, "lawyer_letter").timeline.contacts  # type: ignore[attr-defined]
    assert later == complaint


def test_the_complaint_names_the_lawyer_letter_sent(db, tmp_path):
    from tests.documents.legal_cases import _comm

    case = litigation_case(db)
    for text in texts(context(db, case.ref, "civil_complaint"), tmp_path):
        assert "《律师函》" not in squash(text)  # none sent: none pleaded
    sent = DAY - timedelta(days=10)
    _comm(db, case, sent, "letter", "sent", "lawyer_letter")
    db.flush()
    for text in texts(context(db, case.ref, "civil_complaint"), tmp_path):  # issue 8: sent, delivery not recorded
        assert squash(f"{date_cn(sent)}，原告委托北京正衡律师事务所向被告发出《律师函》，催告被告偿还欠款，"
                      "送达情况未记录。") in squash(text)
    (letter,) = db.scalars(select(Communication).where(Communication.case_id == case.id,
                                                       Communication.template_kind == "lawyer_letter"))
    letter.outcome, letter.delivered_at = "delivered", letter.sent_at + timedelta(days=2, hours=4)  # by EMS
    db.flush()
    for text in texts(context(db, case.ref, "civil_complaint"), tmp_path):
        assert squash(f"{date_cn(sent)}，原告委托北京正衡律师事务所向被告发出《律师函》，催告被告偿还欠款，"
                      f"该律师函已于{date_cn(sent + timedelta(days=2))}送达被告。") in squash(text)


def test_the_complaints_attachments_are_what_the_packet_plan_files(db, tmp_path):
    case = litigation_case(db, lender={"licence_type": "other_licensed", "lending_practice": "occasional"})
    ctx = context(db, case.ref, "civil_complaint")
    index = context(db, case.ref, "evidence_index")
    rows = ctx.evidence  # type: ignore[attr-defined]
    assert [r.title for r in rows] == [r.title for r in index.rows]  # type: ignore[attr-defined]
    standing = [r for r in rows if r.group == rows[0].group]
    # a factoring company's standing group has its business permit (cn.json standing_licences)
    assert [r.key for r in standing][:2] == ["business_licence", "business_permit"]
    filed = ["民事起诉状（要素式）", "借款本息计算表", "诉讼费计算说明", "送达地址确认书", "授权委托书"]
    for text in texts(ctx, tmp_path):
        attach = squash(text).split("附：")[-1]
        assert attach.startswith(squash(
            f"1.本诉状副本一份；2.《证据目录》一份及所列证据{len(rows)}项（其中第1至{len(standing)}项为当事人主体资格"
            "证明及委托代理材料）"))
        assert [t for t in filed if f"《{t}》一份" in attach] == filed
        assert "原告经营许可证明（复印件）" in squash(text)


def test_claim_statement_names_where_the_agreed_column_takes_its_rates(db, tmp_path):
    """Under a repayment agreement the 按约定计算 column computes the default penalty at the rate the
    agreement set: where the contract's was above the cap when it was signed, the agreement's own
    rate (the cap's), stated in an item of its default clause (第四条第N项). The heading names that
    item and rate, never the contract's rate the agreement replaced, and no cap cut is shown for it
    (reader, CN-00058: the heading said 33.98 % "依还款协议第四条" and cut it to 24 %)."""
    case = litigation_case(db)
    ctx = context(db, case.ref, "claim_statement")
    c, t = ctx.claim, ctx.terms  # type: ignore[attr-defined]
    dp = c.line("default_penalty")
    assert c.agreement is not None and dp is not None and dp.rate < t.penalty_rate  # the agreement took the cap's
    assert dp.item, "the agreement's item that states its rate"
    for text in texts(ctx, tmp_path):
        flat = squash(text)
        assert "按还款协议约定计算" not in flat
        assert squash(f"按还款协议及借款合同约定计算（元）罚息按还款协议第{cn_number(c.agreement.default_clause)}条"
                      f"第{dp.item}项约定的年利率{percent(dp.rate)}") in flat
        assert f"约定的年利率{percent(t.penalty_rate)}，依还款协议" not in flat


def test_element_complaint_keeps_the_lenders_name_whole(db, tmp_path):
    """A party's name never breaks inside (review: the element form's 具状人 line broke
    "深圳市前海惠民小额贷款 | 有限公司"): the template keeps it whole (the ``whole`` filter): in the PDF
    a nowrap span, in the DOCX a run outside Chinese line breaking with word joiners."""
    import zipfile
    from io import BytesIO

    from service.demo import proofread
    from service.documents.typography import NO_CJK_BREAKS, WORD_JOINER

    name = "深圳市前海惠民小额贷款有限公司"
    case = litigation_case(db, lender={"name": name})
    ctx = context(db, case.ref, "complaint_elements")
    pdf = render(ctx, "pdf", templates_dir=TEMPLATES)
    (tmp_path / "doc.pdf").write_bytes(pdf.data)
    pages = proofread.pdf_pages(tmp_path / "doc.pdf")
    assert "".join(pages).count(name) >= 3  # 名称, 贷款人, 具状人
    assert not proofread.split_tokens(pages, {name})
    docx = render(ctx, "docx", templates_dir=TEMPLATES)
    xml = zipfile.ZipFile(BytesIO(docx.data)).read("word/document.xml").decode()
    runs = re.findall(r"<w:r>(?:(?!</w:r>).)*</w:r>", xml, re.S)
    joined = [r for r in runs if WORD_JOINER.join(name) in r]
    assert len(joined) >= 3 and all(NO_CJK_BREAKS in r for r in joined)


def test_a_360_day_year_is_cited_to_the_contracts_clause_or_refused_by_cn_33(db, tmp_path):
    """CN-33 (as US-18 for a US claim): the claim statement and the element form compute interest on
    the contract's 360-day year; they cite the contract's day-count clause beside it, and are
    refused, naming the rule in both languages, when the contract records none. A 365-day year is
    the calendar's and needs no clause."""
    case = litigation_case(db)
    kinds = ("claim_statement", "complaint_elements")
    texts_of = {kind: texts(context(db, case.ref, kind), tmp_path) for kind in kinds}
    for text in texts_of["claim_statement"]:
        assert "日利率=年利率÷360（合同第四条第二款约定）" in squash(text)
    for text in texts_of["complaint_elements"]:
        assert "（年利率按360天计，合同第四条第二款约定）" in squash(text)
    cf = load_case_file(db, case.ref)
    cf.contract.clause_refs = {k: v for k, v in cf.contract.clause_refs.items() if k != "day_count"}
    db.flush()
    for kind in ("claim_statement", "complaint_elements"):
        with pytest.raises(RuleViolation) as caught:
            context(db, case.ref, kind)
        [found] = [v for v in caught.value.violations if v.rule == "CN-33"]
        assert "360-day year" in found.message and "clause_refs" in found.message
        assert "按360天/年" in found.localized["zh-CN"]
    cf.contract.day_basis = 365
    db.flush()
    for text in texts(context(db, case.ref, "complaint_elements"), tmp_path):
        assert "年利率按365天计）" in squash(text) and "约定）" not in squash(text).split("年利率按365天计")[1][:6]


@pytest.mark.parametrize(("licence", "role"), [("non_licensed", "出借人"), ("consumer_finance", "贷款人")])
def test_a_private_lenders_claim_statement_names_the_plaintiff_出借人(db, tmp_path, licence, role):
    """民间借贷 (CN-30): the claim statement filed with the complaint called every plaintiff
    原告（贷款人）, a financial lender's word, beside the demand letter's and agreement's 出借人."""
    case = litigation_case(db, lender={"licence_type": licence})
    for text in texts(context(db, case.ref, "claim_statement"), tmp_path):
        assert f"原告（{role}）：" in squash(text), licence


@pytest.mark.parametrize("kind", ["civil_complaint", "complaint_elements", "mediation_application"])
@pytest.mark.parametrize("legal_phone", ["021-6000-1299", ""])
def test_a_pleading_gives_the_lenders_legal_phone_not_its_customer_hotline(db, tmp_path, kind, legal_phone):
    """The plaintiff's 联系电话 in a pleading is its legal contact's phone, which a court calls; the
    customers' hotline only where none is recorded (reader, CN-00012)."""
    case = litigation_case(db, lender={"legal_phone": legal_phone})
    hotline = case.lender.hotline
    for text in texts(context(db, case.ref, kind), tmp_path):
        party = squash(text)
        assert squash(f"联系电话：{legal_phone or hotline}") in party, (kind, legal_phone)
        if legal_phone:
            assert squash(f"联系电话：{hotline}") not in party, kind
