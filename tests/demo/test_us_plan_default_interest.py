"""A US payment plan's default interest (issue 10 §1): the claim charged none on a missed plan
installment between its due date and the plan's acceleration, while the claim statement's terms
table said default interest runs "from the day after each due date". The plan Defendant signed says
none accrues under it before the acceleration date, a late or missed payment included (section 3),
and from that date, that day included, on the unpaid principal (section 4): the computation charges
exactly that, and every document now says so."""

from datetime import timedelta

from service.cases import accounts
from service.cases.ledger import Component
from service.documents.format import date_en
from tests.demo.test_us_pleadings import ANCHOR, _claim, by_state  # noqa: F401  (the court sets fixture)
from tests.documents.conftest import squash
from tests.documents.legal_cases import context, texts


def test_a_missed_plan_installment_bears_default_interest_only_from_the_acceleration_date(by_state, db, tmp_path):  # noqa: F811
    for state, cf in by_state.items():
        claim = _claim(cf)
        a = claim.agreement
        assert a is not None and a.accelerated_on is not None, state
        accel = a.accelerated_on
        missed = [i for i in a.instalments if i.due_date < accel and i.paid < i.amount]
        assert missed, state  # a plan installment missed before the acceleration: the days between are the question
        # the identity: default interest claimed = what the plan acknowledged, less what was paid or is
        # held, plus its runs under the default clause; every run from the acceleration date on
        runs = sum((r.amount for r in a.accruals), start=a.penalty * 0)
        # none where no principal is left (NY: the plan's installment 4 paid the loan's principal on its
        # date, what is unpaid is interest, on which no default interest runs: review US-00010)
        assert a.penalty == runs and (runs > 0 or a.outstanding[Component.PRINCIPAL] == 0), state
        assert all(r.start + timedelta(days=1) >= accel for r in a.accruals), (state, a.accruals)
        penalty = Component.PENALTY
        assert claim.penalty + claim.compound == a.outstanding[penalty] == (
            a.terms.acknowledged[penalty] - a.waiver_held[penalty] - a.paid[penalty] + runs), state
        # the day before the acceleration date the installment is late, and no default interest has run
        before = accounts.agreement_of(cf, accel - timedelta(days=1))
        assert before is not None and before.penalty == 0, state
        late = [i.days_late for i in before.instalments if i.no == missed[0].no]
        assert late == [(accel - missed[0].due_date).days - 1], state

        plan_words = squash("No interest, default interest or late charges accrue under this plan before the "
                            "acceleration date in section 4, not even on a payment made late or missed")
        runs_from = squash("runs on the unpaid principal from the acceleration date, that day included")
        for text in texts(context(db, cf.case.ref, "repayment_agreement", day=ANCHOR), tmp_path):
            flat = squash(text)
            assert plan_words in flat and runs_from in flat, state
        for text in texts(context(db, cf.case.ref, "claim_statement", day=ANCHOR), tmp_path):
            flat = squash(text)
            assert squash("under the plan, none before the acceleration date, not on a plan installment paid late or "
                          f"missed either (plan section 3); from the acceleration date ({date_en(accel)}), that day "
                          "included, on the unpaid principal under payment plan section 4, item") in flat, state
            assert squash(f"in the balance the plan acknowledges as of {date_en(a.terms.acknowledged_on)}") in flat
            assert squash("Agreement §7(1), on past-due principal from the day after each due date") not in flat, state
