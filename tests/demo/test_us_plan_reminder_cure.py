"""The US plan reminder states the agreement's default clause as section 4 of the agreement says it
(review F14): a late installment is a default, notice is given and it may be cured within the grace
and cure days; only if it is not cured does the forgiveness fail and the balance fall due at once.
Until now it omitted the cure right, telling the consumer the whole balance could be demanded 5 days late."""

from sqlalchemy import select

from service.cases.casefile import load_case_file
from service.cases.models import DebtCase
from service.core.errors import RuleViolation
from service.documents import service as documents_service
from service.documents.render import render
from service.packets.build import planner_for
from tests.documents.conftest import pdf_text
from tests.factories import DEMO_ANCHOR, demo_clock
from tests.seeded import seed_demo


def test_the_us_plan_reminder_states_the_cure_right_of_section_4(db, settings, tmp_path):
    seed_demo(db, anchor=DEMO_ANCHOR, cases=40, settings=settings)  # US plans from US-00005 on
    checked = 0
    for ref in db.scalars(select(DebtCase.ref).where(DebtCase.profile == "US").order_by(DebtCase.ref)):
        cf = load_case_file(db, ref)
        try:
            _, _, ctx = documents_service.prepare(db, case_ref=ref, kind="plan_reminder", fmt="pdf", locale="en-US",
                                                  as_of=None, now=demo_clock(tz=cf.borrower.timezone), case_file=cf,
                                                  planner=planner_for(settings)(db))
        except RuleViolation:
            continue
        p = ctx.plan
        words = " ".join(pdf_text(render(ctx, "pdf", templates_dir=settings.templates_dir).data, tmp_path).split())
        assert (f"Under section 4 of the agreement, an installment more than {p.grace_days} days late is a "
                f"default; after our written notice you may cure it within {p.grace_days + p.cure_days} days of "
                "its due date") in words, ref
        assert "Only if you do not cure" in words and "may we require the whole remaining balance" in words
        assert "no longer applies, and we may require" not in words, ref
        checked += 1
    assert checked, "no US demo case has a plan reminder"
