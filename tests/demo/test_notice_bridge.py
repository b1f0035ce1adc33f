"""From the breach notice to the claim (review CN-00012): the complaint demanded 13,744.90 beside
the 违约及提前到期通知书's "届时应一次性偿还13,246.17元" with no line between them. The complaint's
facts and the claim statement's §四 now state the notice's amount on the acceleration date, the
penalty accrued after it to the as-of date and their sum, the claim; every figure equals the
notice's stored total and the claim computation's."""

from sqlalchemy import select

from service.cases.casefile import load_case_file
from service.cases.models import DebtCase
from service.core.errors import RuleViolation
from service.core.settings import get_settings
from service.documents import service as documents_service
from service.documents.format import date_cn, money
from service.documents.registry import LITIGATION
from service.documents.render import render
from service.packets.build import planner_for
from tests.documents.conftest import pdf_text, squash
from tests.factories import DEMO_ANCHOR, demo_clock
from tests.seeded import seed_demo


def test_the_complaint_and_claim_statement_bridge_the_breach_notice_to_the_claim(db, settings, tmp_path):
    seed_demo(db, anchor=DEMO_ANCHOR, cases=18, settings=settings)
    templates = get_settings().templates_dir
    refs = db.scalars(select(DebtCase.ref).where(DebtCase.profile == "CN", DebtCase.stage.in_(LITIGATION))
                      .order_by(DebtCase.ref))
    bridged = set()
    for ref in refs:
        cf = load_case_file(db, ref)
        notices = [c for c in cf.communications if c.template_kind == "breach_notice" and c.stated_total is not None]
        for kind in ("civil_complaint", "claim_statement"):
            try:
                facts, _, ctx = documents_service.prepare(db, case_ref=ref, kind=kind, fmt="pdf", locale="zh-CN",
                                                          as_of=None, now=demo_clock(tz=cf.borrower.timezone),
                                                          case_file=cf, planner=planner_for(settings)(db))
            except RuleViolation:
                continue
            bridge = ctx.bridge  # type: ignore[attr-defined]
            if bridge is None:
                assert facts.claim.agreement is None or not notices, (ref, kind)
                continue
            assert bridge.due_on_acceleration == notices[-1].stated_total, (ref, kind)
            assert bridge.notice_day == notices[-1].stated_as_of
            assert bridge.claimed_total == facts.claim.claimed_total
            assert bridge.due_on_acceleration + bridge.penalty_since - bridge.paid_since == bridge.claimed_total
            flat = squash(pdf_text(render(ctx, "pdf", templates_dir=templates).data, tmp_path))
            for said in (money(bridge.due_on_acceleration), money(bridge.claimed_total),
                         date_cn(bridge.accelerated_on), date_cn(bridge.notice_day)):
                assert said in flat, (ref, kind, said)
            if bridge.penalty_since:
                assert f"{date_cn(bridge.penalty_from)}至{date_cn(bridge.penalty_to)}" in flat, (ref, kind)
                assert money(bridge.penalty_since) in flat, (ref, kind)
            bridged.add((ref, kind))
        # review CN-00012 §4: the loan's schedule exhibit says the agreement rescheduled it
        plan = cf.current_plan
        if plan is not None and plan.signed_date is not None:
            _, _, schedule = documents_service.prepare(db, case_ref=ref, kind="repayment_schedule", fmt="pdf",
                                                       locale="zh-CN", as_of=None,
                                                       now=demo_clock(tz=cf.borrower.timezone), case_file=cf,
                                                       planner=planner_for(settings)(db))
            flat = squash(pdf_text(render(schedule, "pdf", templates_dir=templates).data, tmp_path))
            assert "未作变更" not in flat and f"《还款协议》（编号{plan.agreement_no}）" in flat, ref
    assert {k for _, k in bridged} == {"civil_complaint", "claim_statement"}, bridged
