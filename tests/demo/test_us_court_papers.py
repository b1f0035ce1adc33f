"""The US court sets as a reviewing collections attorney read them (anchor 2026-12-06; here the
court sets' own anchor):

- US-00006 (NY, a payment plan whose last instalment fell due before its default clause took
  effect): the complaint said "final payment was due on September 29, 2026. The amount due on that
  date was $3,648.22", the notice of default's "Then due" after the cure period (the plan
  instalment, the suspended interest revived and a day of default interest). On the final payment
  date only the unpaid plan instalment was due: the amount due then is what the claim computation
  says was due on that date (Claim.due_now before the default clause or acceleration), the amount
  claimed now stated apart.
"""

from service.cases import accounts
from service.core.settings import get_settings
from service.documents.format import date_en, usd
from tests.demo.test_us_pleadings import ANCHOR, by_state  # noqa: F401  (the court sets fixture)
from tests.documents.conftest import squash
from tests.documents.legal_cases import context, texts


def test_the_amount_due_on_the_final_payment_date_is_what_was_due_then(by_state, db, tmp_path):  # noqa: F811
    cf = by_state["NY"]
    plan = cf.current_plan
    assert plan is not None
    last = plan.instalments[-1]
    ctx = context(db, cf.case.ref, "debt_claim_petition", day=ANCHOR)
    assert ctx.final_due_date == last.due_date  # type: ignore[attr-defined]
    at_final = accounts.claim_of(cf, last.due_date, licensed_cap=get_settings().licensed_cost_cap)
    # the plan's default clause takes effect only after the cure period: on the final payment date
    # the computation's total is what would fall due on it, the instalment alone was due
    assert not at_final.accelerated and at_final.due_now == last.amount < at_final.claimed_total
    assert ctx.due_at_final == last.amount  # type: ignore[attr-defined]
    claim = ctx.claim  # type: ignore[attr-defined]
    for text in texts(ctx, tmp_path):
        flat = squash(text)
        assert squash(f"final payment was due on {date_en(last.due_date)}. The amount due on that date was "
                      f"{usd(last.amount)}.") in flat
        assert squash(f"The amount due on that date was {usd(at_final.claimed_total)}") not in flat
        assert squash(f"As of {date_en(ANCHOR)}, after all payments and credits, Defendant owes Plaintiff "
                      f"{usd(claim.claimed_total)}") in flat
    cf = by_state["CA"]  # accelerated before its plan's last due date: the total due on the acceleration
    ctx = context(db, cf.case.ref, "debt_claim_petition", day=ANCHOR)
    final = ctx.final_due_date  # type: ignore[attr-defined]
    assert ctx.due_at_final == accounts.claim_of(cf, final, licensed_cap=get_settings().licensed_cost_cap) \
        .claimed_total  # type: ignore[attr-defined]
