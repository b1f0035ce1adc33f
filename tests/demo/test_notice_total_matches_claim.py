"""The overdue reminder and the credit-report pre-notice state the total `dossier claim` gives as due
now, to the cent, for every CN demo case they are made for, compound interest included (review F21:
CN-00002's reminder showed 4.92 of 复利 that the claim cut "to the cap" although the allowance was
far from reached: the cap measured compound interest against overdue principal, of which there was none)."""

from sqlalchemy import select

from service.cases.casefile import load_case_file
from service.cases.models import DebtCase
from service.core.errors import RuleViolation
from service.documents import service as documents_service
from service.packets.build import planner_for
from tests.factories import DEMO_ANCHOR, demo_clock
from tests.seeded import seed_demo


def test_the_notices_total_is_the_claims_due_now(db, settings):
    seed_demo(db, anchor=DEMO_ANCHOR, cases=18, settings=settings)
    compared, compound = 0, 0
    for ref in db.scalars(select(DebtCase.ref).where(DebtCase.profile == "CN").order_by(DebtCase.ref)):
        cf = load_case_file(db, ref)
        for kind in ("overdue_reminder", "credit_report_prenotice"):
            try:
                facts, _, ctx = documents_service.prepare(db, case_ref=ref, kind=kind, fmt="pdf", locale="zh-CN",
                                                          as_of=None, now=demo_clock(tz=cf.borrower.timezone),
                                                          case_file=cf, planner=planner_for(settings)(db))
            except RuleViolation:
                continue
            claim = facts.claim
            due = claim.due_now if claim.due_now is not None else claim.claimed_total  # accelerated: all of it
            assert ctx.amounts.total_overdue == due, (ref, kind, ctx.amounts, due)
            assert claim.line("cap_together") is None or claim.cap_result.allowed_cost < claim.cap_result.contract_cost
            compared += 1
            compound += ctx.amounts.compound > 0
    assert compared and compound, (compared, compound)
