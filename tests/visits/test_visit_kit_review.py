"""The visit kit as a careful reader reads it (review of 2026-12-04): rates within the cap, plans
that relieve rather than accelerate, one number per signed agreement, notices said to be sent when
the log says sent, and no litigation wording before a suit. Real renders read with pdftotext."""

import re
import subprocess
from collections.abc import Iterator
from dataclasses import fields
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from service.cases import accounts, activity
from service.cases import service as case_service
from service.cases.casefile import load_case_file
from service.cases.claim_view import claim_view
from service.cases.enums import Stage
from service.cases.ledger import Component
from service.cases.masking import mask_id, mask_phone
from service.cases.models import Communication, DebtCase, LoanContract
from service.cases.proposals import Proposal
from service.cases.schedule import add_months
from service.cases.schemas import PlanIn
from service.core.errors import RuleViolation
from service.core.settings import Settings
from service.documents import service as documents_service
from service.documents.contexts.common import DocMeta
from service.documents.contexts.legal.blocks import PersonBlock
from service.documents.contexts.visit_kit import case_proposals
from service.documents.format import date_cn, money, percent
from service.documents.registry import get_kind
from service.visits.kit import VisitKit, build_visit_kit, facts_for
from tests.documents.legal_cases import context, texts
from tests.factories import DEMO_ANCHOR, demo_clock
from tests.seeded import seed_demo

SPACE = re.compile(r"\s+")


@pytest.fixture(scope="module")
def seeded(engine: Engine, settings: Settings) -> Iterator[Session]:
    with engine.connect() as conn:
        trans = conn.begin()
        session = Session(bind=conn, join_transaction_mode="create_savepoint", expire_on_commit=False)
        try:
            seed_demo(session, anchor=DEMO_ANCHOR, cases=1, settings=settings, stages=(Stage.VISIT_NOTIFIED,))
            yield session
        finally:
            session.close()
            trans.rollback()


@pytest.fixture
def db(seeded: Session) -> Iterator[Session]:
    nested = seeded.begin_nested()
    try:
        yield seeded
    finally:
        nested.rollback()
        seeded.expire_all()


def _ref(session: Session) -> str:
    return session.scalars(select(DebtCase.ref).where(DebtCase.stage == Stage.VISIT_NOTIFIED)).one()


def _pages(kit: VisitKit, tmp: Path) -> list[str]:
    path = tmp / "kit.pdf"
    path.write_bytes(kit.pdf)
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return [SPACE.sub("", p) for p in out.split("\f")[:-1]]


def _part(kit: VisitKit, pages: list[str], n: int) -> str:
    part = kit.parts[n]
    return "".join(pages[part.first_page - 1:part.last_page])


def _draft_plan(p: Proposal) -> Any:  # duck-typed as a RepaymentPlan
    """A proposal as the unsigned plan its draft agreement becomes (the money layer's reading of a plan)."""
    draft = {f.name: getattr(p, f.name) for f in fields(p)}
    defaults = PlanIn.model_fields
    draft.update(agreement_no="draft", signed_date=None, waiver_conditional=True, interest_not_charged=Decimal(0),
                 grace_days=defaults["grace_days"].default, cure_days=defaults["cure_days"].default)
    return SimpleNamespace(**draft)


def test_no_rate_above_the_cap_is_announced(db: Session, settings: Settings, tmp_path: Path) -> None:
    """F2: a contract penalty rate above the cap is quoted capped, naming the cap, in the talking
    points as in the agreements; the staff never announce the contract's rate as what is charged."""
    ref = _ref(db)
    cf = load_case_file(db, ref)
    cap = facts_for(cf, DEMO_ANCHOR, None).cap
    assert cap.binding
    above = cap.annual_rate + Decimal("0.0612")
    contract = db.get(LoanContract, cf.contract.id)
    assert contract is not None
    contract.penalty_rate = above
    db.flush()
    db.expire_all()
    kit = build_visit_kit(db, settings, ref, as_of=DEMO_ANCHOR)
    brief = _part(kit, _pages(kit, tmp_path), 0)
    point = brief[brief.index("七、沟通要点"):brief.index("八、")]
    assert f"按年利率{percent(cap.annual_rate)}继续计收" in point
    assert f"约定罚息年利率{percent(above)}，超过{cap.label_zh}的部分不予收取" in point
    assert f"（年利率{percent(above)}）" not in point


def test_proposals_relieve_and_never_accelerate(db: Session, settings: Settings, tmp_path: Path) -> None:
    """F3: the loan is not accelerated, so each proposal acknowledges as due only what is due on the
    visit day; principal not yet due stays on the contract's dates, which an extension moves later
    (issue 8: "an extension moves due dates"); no plan asks for more, sooner, than the contract."""
    ref = _ref(db)
    cf = load_case_file(db, ref)
    facts = facts_for(cf, DEMO_ANCHOR, None)
    visit = facts.planned_visit
    day = next(v.day for v in facts.record.visits if v.visit_id == visit.id)
    ledger = facts.ledger_on(day)
    later = sorted(i.due_date for i in cf.instalments if i.due_date > day)
    not_due = ledger.total_outstanding - ledger.total_overdue
    assert ledger.accelerated_on is None and later and not_due > 0  # the case the finding is about
    offered = case_proposals(facts, visit.id)
    for p in offered:
        assert sum(i.amount for i in p.instalments) + p.waived_amount == ledger.total_outstanding  # as create_plan
        for cutoff in later:  # by each contract date: at most the arrears and the principal due by then
            asked = sum(i.amount for i in p.instalments if i.due_date <= cutoff)
            allowed = ledger.total_overdue + sum(x.principal for x in cf.instalments if day < x.due_date <= cutoff)
            assert asked <= allowed, (p.plan_type, cutoff, asked, allowed)
        assert p.principal_not_due == not_due
    extension = next(p for p in offered if p.plan_type == "extension")
    dates = [i.due_date for i in extension.instalments]
    assert max(dates) > later[-1]  # the principal's dates later, the last past the term (not the arrears: F16)

    kit = build_visit_kit(db, settings, ref, as_of=DEMO_ANCHOR)
    pages = _pages(kit, tmp_path)
    for n in range(len(offered)):
        text = _part(kit, pages, len(kit.parts) - 1 - len(offered) + n)
        assert f"已到期未还的款项为借款本金{money(ledger.overdue_principal)}元" in text
        assert f"合计{money(ledger.total_overdue)}元" in text
        assert f"另有借款本金{money(not_due)}元依原借款合同尚未到期，本协议不使其提前到期" in text
        assert f"尚欠甲方借款本金{money(ledger.outstanding_principal)}元" not in text
    ext = _part(kit, pages, len(kit.parts) - 1 - len(offered))
    assert f"最后一期还款日为{date_cn(max(dates))}（原借款合同约定的最后一期还款日为{date_cn(later[-1])}）" in ext


def test_each_proposal_has_its_own_draft_number(db: Session, settings: Settings, tmp_path: Path) -> None:
    """F16: the kit's alternative agreements are not four documents under one number: each draft has
    its own, says it is one of the alternatives, and names the number the signed one takes."""
    ref = _ref(db)
    kit = build_visit_kit(db, settings, ref, as_of=DEMO_ANCHOR)
    pages = _pages(kit, tmp_path)
    count = len(kit.proposals)
    numbers = []
    for n in range(count):
        text = _part(kit, pages, len(kit.parts) - 1 - count + n)
        numbers += re.findall(r"协议编号：([A-Z]{2}-\d+-P\d+(?:-[A-Z])?)", text)
        assert f"生效协议编号为{ref}-P1；未签署的方案不生效" in text
    assert len(numbers) == count and len(set(numbers)) == count and f"{ref}-P1" not in numbers


def test_a_notice_the_log_says_was_sent_is_not_called_delivered(db: Session, settings: Settings,
                                                                 tmp_path: Path) -> None:
    """F15: the brief and the visit record say the visit notice was sent (发出) when the log says
    sent, and 送达 only when it says delivered; credit reporting is a talking point only once the
    pre-notice is recorded as delivered."""
    ref = _ref(db)
    case_id = db.scalars(select(DebtCase.id).where(DebtCase.ref == ref)).one()
    notices = list(db.scalars(select(Communication).where(
        Communication.case_id == case_id,
        Communication.template_kind.in_(("visit_notice", "credit_report_prenotice")))))
    assert any(c.template_kind == "visit_notice" for c in notices)

    def kit_text(outcome: str) -> tuple[str, str]:
        for c in notices:
            c.outcome = outcome
            c.delivered_at = c.delivered_at if outcome == "delivered" else None
        db.flush()
        db.expire_all()
        if outcome != "delivered":  # no kit for a visit whose notice is not delivered (CN-09): its parts alone
            with pytest.raises(RuleViolation) as refused:
                build_visit_kit(db, settings, ref, as_of=DEMO_ANCHOR)
            assert [v.rule for v in refused.value.violations] == ["CN-09"]
            found = []
            for kind in ("visit_brief", "visit_record"):
                ctx = documents_service.prepare(db, case_ref=ref, kind=kind, fmt="pdf", locale=None,
                                                as_of=DEMO_ANCHOR, now=demo_clock())[2]
                found.append(SPACE.sub("", texts(ctx, tmp_path)[0]))
            return found[0], found[1]
        kit = build_visit_kit(db, settings, ref, as_of=DEMO_ANCHOR)
        pages = _pages(kit, tmp_path)
        return _part(kit, pages, 0), _part(kit, pages, len(kit.parts) - 1)

    brief, record = kit_text("sent")
    assert "送达记录登记前不得走访" in brief
    for text in (brief, record):
        when = r"\d{4}年\d+月\d+日\d\d:\d\d"
        assert re.search(rf"已于{when}发出《上门走访告知函》|告知函》已于{when}发出", text)
        assert "通信记录未显示送达" in text
        assert not re.search(r"已于[^，。]*送达《上门走访告知函》|告知函》已于[^，。]*送达", text)
    assert "不良信息报送事先告知书已送达" not in brief
    # one rule of when the pre-notice counts (CaseFacts.prenotice): sent is enough, as for the
    # reminders and demand letters of the same case, and the brief says it was not shown delivered
    assert "不得提及征信报送" not in brief
    assert re.search(r"逾期信息依法报送[^（]{2,40}（不良信息报送事先告知书已发出，通信记录未显示送达", brief)

    brief, record = kit_text("delivered")
    assert "发出，已送达" in brief and "》，已送达" in record


def test_nothing_in_the_kit_speaks_of_a_plaintiff(db: Session, settings: Settings, tmp_path: Path) -> None:
    """F26: there is no suit at a visit: the schedule copy shown to the borrower comes from the
    lender's system, not 原告's; the packet's exhibit keeps 原告."""
    ref = _ref(db)
    lender = load_case_file(db, ref).lender.name
    kit = build_visit_kit(db, settings, ref, as_of=DEMO_ANCHOR)
    pages = _pages(kit, tmp_path)
    assert f"摘自{lender}贷款业务系统" in "".join(pages)
    assert "原告" not in "".join(pages)


def test_no_waiver_wording_without_a_waived_amount(db: Session, settings: Settings, tmp_path: Path) -> None:
    """F11: a "partial waiver" plan that waives 0.00 is refused when recorded; one recorded before
    is named an instalment plan in its agreement, with no wording of a waiver of the debt (the
    contract interest to come the plan does not charge is waived on condition, and says so, V-2)."""
    import dataclasses

    from service.cases import activity
    from service.cases.enums import PlanType
    from service.cases.schemas import PlanIn
    from service.core.errors import InvalidInput
    from service.documents.contexts.common import DocMeta
    from service.documents.contexts.contracts.agreement import RepaymentAgreementContext
    from service.documents.registry import get_kind
    from service.documents.render import render

    ref = _ref(db)
    cf = load_case_file(db, ref)
    facts = facts_for(cf, DEMO_ANCHOR, None)
    offered = case_proposals(facts, facts.planned_visit.id)
    plain = next(p for p in offered if p.plan_type == "instalments")
    with pytest.raises(InvalidInput) as refused:
        activity.create_plan(db, cf.case, PlanIn(
            plan_type="partial_waiver", as_of=plain.as_of_date, waived_amount=Decimal("0.00"),
            instalments=[{"no": i.no, "due_date": i.due_date, "amount": i.amount} for i in plain.instalments]),
            actor="test")
    assert "waived_amount" in str(refused.value.detail) or "waived_amount" in repr(refused.value)

    zero = dataclasses.replace(plain, plan_type=PlanType.PARTIAL_WAIVER)  # as CN-00010's plan was recorded
    kind = get_kind("repayment_agreement")
    meta = DocMeta(kind="repayment_agreement", profile="CN", locale="zh-CN", audience=kind.audience,
                   as_of=DEMO_ANCHOR, case_ref=ref)
    ctx = RepaymentAgreementContext.build(facts, meta, proposal=zero)
    path = tmp_path / "agreement.pdf"
    path.write_bytes(render(ctx, "pdf", templates_dir=settings.templates_dir).data)
    text = SPACE.sub("", subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                                        check=True).stdout)
    assert "以分期还款方式解决" in text
    assert "甲方同意减免" not in text and "减免自始失效" not in text and "本协议约定的还款安排终止" in text
    assert "甲方予以减免" in text and f"共计{zero.interest_not_charged:,}元" in text  # the interest to come


def test_the_visit_record_names_the_lender_as_it_names_itself(db: Session, settings: Settings,
                                                              tmp_path: Path) -> None:
    """F25: the demo's staff carry the visiting lender's own badge prefix. The purpose, which the
    notice addresses to the borrower and the record states about them, names no person and no
    lender (review V-3, 2026-12-05: the record said 与您本人…与本公司之间)."""
    ref = _ref(db)
    cf = load_case_file(db, ref)
    kit = build_visit_kit(db, settings, ref, as_of=DEMO_ANCHOR)
    record = _part(kit, _pages(kit, tmp_path), len(kit.parts) - 1)
    badges = re.findall(r"工号：([A-Z]+)-\d{4}", record)
    assert badges and set(badges) == {cf.lender.code}
    assert "当面核实联系方式和居住情况，并协商合同履行安排" in record
    assert "与您本人" not in record and "之间的合同" not in record


def test_a_signed_proposal_acknowledges_what_the_proposal_computed(db: Session, settings: Settings,
                                                                   tmp_path: Path) -> None:
    """A proposal signed at the visit is recorded with its terms (POST /plans). The agreement then
    acknowledges what the draft did — as due, the arrears; the principal the contract makes due
    later as owed but not due — not the whole principal as due; `dossier claim` shows the same."""
    ref = _ref(db)
    cf = load_case_file(db, ref)
    facts = facts_for(cf, DEMO_ANCHOR, None)
    p = next(x for x in case_proposals(facts, facts.planned_visit.id) if x.plan_type == "instalments")
    assert p.principal_not_due > 0
    case = db.scalars(select(DebtCase).where(DebtCase.ref == ref)).one()
    plan = activity.create_plan(db, case, PlanIn.model_validate({
        "plan_type": p.plan_type, "as_of": p.as_of_date, "waived_amount": p.waived_amount,
        "signed_date": p.as_of_date, "signed_place": "走访现场", "service_address": cf.borrower.habitual_address,
        "e_service_consent": True,
        "instalments": [{"no": i.no, "due_date": i.due_date, "amount": i.amount} for i in p.instalments]}), actor="t")
    assert (plan.ack_principal, plan.principal_not_due, plan.ack_interest, plan.ack_penalty, plan.ack_fees,
            plan.waived_amount) == (p.ack_principal, p.principal_not_due, p.ack_interest, p.ack_penalty,
                                    p.ack_fees, p.waived_amount)

    due = p.acknowledged - p.principal_not_due
    ctx = context(db, ref, "repayment_agreement", day=p.as_of_date)
    assert ctx.agreement.agreement_no == plan.agreement_no  # type: ignore[attr-defined]
    for text in texts(ctx, tmp_path):
        flat = SPACE.sub("", text)
        assert f"已到期未还的款项为借款本金{money(p.ack_principal - p.principal_not_due)}元" in flat
        assert f"合计{money(due)}元" in flat
        assert f"另有借款本金{money(p.principal_not_due)}元依原借款合同尚未到期，本协议不使其提前到期" in flat
        assert f"借款本金{money(p.ack_principal)}元、利息" not in flat

    _, claim = case_service.claim(db, ref, p.as_of_date + timedelta(days=1), licensed_cap=settings.licensed_cost_cap)
    view = claim_view(load_case_file(db, ref), claim)["agreement"]
    assert view["agreement_no"] == plan.agreement_no
    assert view["acknowledged"] == {"fee": p.ack_fees, "penalty": p.ack_penalty, "interest": p.ack_interest,
                                    "principal": p.ack_principal}
    assert view["principal_not_due"] == p.principal_not_due
    assert next(ln for ln in claim.reconciliation if ln.key == "acknowledged").amount == p.acknowledged


def test_proposals_pay_the_arrears_first_and_state_the_interest_they_give_up(db: Session, settings: Settings,
                                                                              tmp_path: Path) -> None:
    """F16 (review of 2026-12-04): a proposal deferred what was overdue at the visit to the
    contract's last years, and charged no interest on the principal not yet due while its waiver
    column said 0.00. Now each reconciles with `dossier claim` at the visit day: acknowledged =
    what the claim says is due then + principal not yet due; instalments = acknowledged − waiver;
    the contract interest falling due after the visit, which no plan charges, is stated with its
    amount (the brief's column and the draft's clause 3). What is due today is paid first: its
    last part falls due within its instalment count of months of the visit, and the first
    instalment no later than a month after it (the borrower's next contract due date: the day
    they already pay on)."""
    ref = _ref(db)
    cf = load_case_file(db, ref)
    facts = facts_for(cf, DEMO_ANCHOR, None)
    visit = facts.planned_visit
    day = next(v.day for v in facts.record.visits if v.visit_id == visit.id)
    claim = accounts.claim_of(cf, day, licensed_cap=settings.licensed_cost_cap)
    ledger = facts.ledger_on(day)
    assert claim.due_now is not None and claim.due_now == ledger.total_overdue > 0
    offered = case_proposals(facts, visit.id)
    params = facts.rules.rule("PLAN-02").params["offers"]
    for p in offered:
        not_due = claim.principal - ledger.overdue_principal
        assert p.principal_not_due == not_due
        assert p.acknowledged == claim.due_now + not_due, p.plan_type
        assert p.total == p.acknowledged - p.waived_amount, p.plan_type
        assert p.interest_not_charged == sum(x.outstanding[Component.INTEREST] for x in ledger.positions
                                             if x.interest_due_date > day) > 0, p.plan_type
        # what is due today, paid first: by the arrears' last date, at least the arrears have fallen due
        count = int(params[p.plan_type]["instalments"])
        assert p.arrears_until is not None and p.arrears_until <= add_months(day, count)
        by = sum(i.amount for i in p.instalments if i.due_date <= p.arrears_until)
        assert by >= claim.due_now - p.waived_amount, (p.plan_type, by)
        assert p.instalments[0].due_date <= add_months(day, 1), p.plan_type
    kit = build_visit_kit(db, settings, ref, as_of=DEMO_ANCHOR)
    pages = _pages(kit, tmp_path)
    brief = _part(kit, pages, 0)
    assert "不再计收的原合同利息" in brief
    for n, p in enumerate(offered):
        text = _part(kit, pages, len(kit.parts) - 1 - len(offered) + n)
        if p.plan_type == "interest_suspension":
            # 停息挂账 suspends the interest rather than waiving it (b90c9da): its clause 3 states the
            # interest suspended to the last instalment, which the default clause revives in full
            suspended = accounts.interest_suspended_of(cf, _draft_plan(p), licensed_cap=settings.licensed_cost_cap)
            assert suspended > 0
            assert "停止计收的原借款合同利息" in text and f"共计{money(suspended)}元，不在上表之内" in text
            assert "后到期的利息共计" not in text
        else:
            assert f"后到期的利息共计{money(p.interest_not_charged)}元" in text, p.plan_type
        assert f"已到期未还的款项{money(claim.due_now)}元优先偿还" in text, p.plan_type
        assert money(suspended if p.plan_type == "interest_suspension" else p.interest_not_charged) in brief


def test_the_statement_prints_its_date_and_calls_the_visit_day_figures_projected(db: Session, settings: Settings,
                                                                                   tmp_path: Path) -> None:
    """F32 (review of 2026-12-04): the 对账单 said "截至2026年12月7日" (the visit day) with no date of
    its own, though made on 12-04; a payment on 12-05 would make it false when shown. It prints the
    day it is made, and the visit-day figures as projected."""
    ref = _ref(db)
    cf = load_case_file(db, ref)
    facts = facts_for(cf, DEMO_ANCHOR, None)
    day = next(v.day for v in facts.record.visits if v.visit_id == facts.planned_visit.id)
    assert day > DEMO_ANCHOR
    kit = build_visit_kit(db, settings, ref, as_of=DEMO_ANCHOR)
    pages = _pages(kit, tmp_path)
    n = next(i for i, p in enumerate(kit.parts) if p.title == "对账单")
    text = _part(kit, pages, n)
    assert f"出具日期：{date_cn(DEMO_ANCHOR)}" in text
    assert f"预计至：{date_cn(day)}" in text and "欠款总额（预计）" in text
    assert f"已收到的还款（截至{date_cn(DEMO_ANCHOR)}）" in text
    assert f"截至{date_cn(day)}，您的欠款如下" not in text


def _kit_context(facts: Any, kind: str, **extra: Any) -> Any:
    """A kit part's context, built as the kit builds it (service.visits.kit)."""
    k = get_kind(kind)
    cf = facts.cf
    meta = DocMeta(kind=kind, profile=cf.case.profile, locale="zh-CN", audience=k.audience, as_of=facts.as_of,
                   case_ref=cf.case.ref)
    return k.context_class().build(facts, meta, **extra)


def test_the_brief_states_each_plans_contract_interest_as_its_draft_does(db: Session) -> None:
    """Review of 2026-12-08: the brief's column "不再计收的原合同利息" showed the 停息挂账 proposal's
    interest to come (524.26 on CN-00039) while its draft's 第三条 stated the interest suspended over
    the plan (1,475.71). Staff quote the brief: per plan type it states the figure its draft states."""
    facts = facts_for(load_case_file(db, _ref(db)), DEMO_ANCHOR, None)
    visit = facts.planned_visit
    brief = _kit_context(facts, "visit_brief", visit_id=visit.id)
    offered = case_proposals(facts, visit.id)
    assert {p.plan_type for p in offered} >= {"interest_suspension"}
    for n, (p, line) in enumerate(zip(offered, brief.proposals, strict=True), start=1):
        draft = _kit_context(facts, "repayment_agreement", proposal=p, alternative=(n, len(offered))).agreement
        stated = draft.interest_suspended if p.plan_type == "interest_suspension" else draft.interest_not_charged
        assert line.plan_type == p.plan_type and line.interest_stated == stated > 0, p.plan_type


def test_the_conditional_waiver_lapses_only_on_the_default_clause_4_defines(db: Session, tmp_path: Path) -> None:
    """Review of 2026-12-08: the 附条件减免 draft's 第二条 voided the waiver on any default of 第四条
    while 第四条 voids it only where the default is not cured in time: one trigger, 第四条's."""
    facts = facts_for(load_case_file(db, _ref(db)), DEMO_ANCHOR, None)
    offered = case_proposals(facts, facts.planned_visit.id)
    p = next(p for p in offered if p.waived_amount)
    for locale, says in (("zh-CN", "乙方构成本协议第四条所述违约且逾期仍未纠正的，"
                                   "减免依本协议第四条第1项自始不发生效力"),
                         ("en-US", "ifPartyBdefaultsasdescribedinclause4anddoesnotcurewithintheperioditsets,"
                                   "thewaiverisvoidfromthestartunderclause4,item1")):
        k = get_kind("repayment_agreement")
        meta = DocMeta(kind="repayment_agreement", profile="CN", locale=locale, audience=k.audience, as_of=facts.as_of,
                       case_ref=facts.cf.case.ref)
        ctx = k.context_class().build(facts, meta, proposal=p)
        for text in texts(ctx, tmp_path):
            flat = SPACE.sub("", text)
            assert says in flat and "第四条所述违约的，减免" not in flat and "nevertakeseffect" not in flat, locale


@pytest.mark.parametrize("consent", [True, False])
def test_a_draft_repeats_the_e_service_consent_the_contract_records(db: Session, consent: bool) -> None:
    """Review of 2026-12-08: every draft's 第五条 said "乙方未同意电子送达" though the loan contract
    records the borrower's consent (CN-00007, CN-00055): a draft never reads as withdrawing it."""
    cf = load_case_file(db, _ref(db))
    cf.contract.e_service_consent = consent
    facts = facts_for(cf, DEMO_ANCHOR, None)
    for p in case_proposals(facts, facts.planned_visit.id):
        assert _kit_context(facts, "repayment_agreement", proposal=p).agreement.e_service_consent is consent


def test_the_kits_visit_record_masks_the_identity_the_draft_agreements_state_in_full(
        db: Session, settings: Settings, tmp_path: Path) -> None:
    """Review of 2026-12-08: the brief masked the ID and phone, the pre-filled visit record carried
    beside it printed them whole. The record printed ahead is masked as the brief is; the drafts the
    borrower signs state the signer's full identity (a contract)."""
    cf = load_case_file(db, _ref(db))
    facts = facts_for(cf, DEMO_ANCHOR, None)
    full_id, full_phone = cf.borrower.id_number, PersonBlock.of(cf.borrower, facts.rules).phone
    assert full_id and full_phone
    kit = build_visit_kit(db, settings, cf.case.ref, as_of=DEMO_ANCHOR)
    pages = _pages(kit, tmp_path)
    for n in (0, len(kit.parts) - 1):  # the brief, the visit record
        text = _part(kit, pages, n)
        assert mask_id(full_id, facts.rules) in text and full_id not in text, n
        assert mask_phone(full_phone, facts.rules) in text and full_phone not in text, n
    drafts = range(len(kit.parts) - 1 - len(kit.proposals), len(kit.parts) - 1)
    assert drafts and all(full_id in _part(kit, pages, i) for i in drafts)
