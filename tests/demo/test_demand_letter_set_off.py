"""The demand letter says when its principal is net of interest paid above the cap and set against
principal (issue 8 §2 "the documents show it", review F22): CN-00006's letter stated a principal
6.56 below the contract's with no word why; the claim statement and `dossier claim` show the line."""

from sqlalchemy import select

from service.cases.casefile import load_case_file
from service.cases.models import DebtCase
from service.core.errors import RuleViolation
from service.documents import service as documents_service
from service.documents.render import render
from service.packets.build import planner_for
from tests.documents.conftest import pdf_text, squash
from tests.factories import DEMO_ANCHOR, demo_clock
from tests.seeded import seed_demo


def test_the_demand_letter_shows_the_set_off_the_claim_makes(db, settings, tmp_path):
    seed_demo(db, anchor=DEMO_ANCHOR, cases=18, settings=settings)
    shown = 0
    for ref in db.scalars(select(DebtCase.ref).where(DebtCase.profile == "CN").order_by(DebtCase.ref)):
        cf = load_case_file(db, ref)
        try:
            facts, _, ctx = documents_service.prepare(db, case_ref=ref, kind="demand_letter", fmt="pdf",
                                                      locale="zh-CN", as_of=None,
                                                      now=demo_clock(tz=cf.borrower.timezone), case_file=cf,
                                                      planner=planner_for(settings)(db))
        except RuleViolation:
            continue
        lines = [facts.claim.line(k) for k in ("rate_cap_set_off", "cost_set_off")]
        set_off = -sum(line.amount for line in lines if line is not None)
        flat = squash(pdf_text(render(ctx, "pdf", templates_dir=settings.templates_dir).data, tmp_path))
        if set_off > 0:
            assert f"已付超上限费用冲抵本金{set_off:,.2f}元" in flat and "已用于冲抵借款本金" in flat, (ref, set_off)
            assert f"所称上限为{ctx.loan.cap.label_zh}" in flat, ref
            shown += 1
        else:
            assert "冲抵借款本金" not in flat, ref
    assert shown, "no demo case with a demand letter has a set-off"
