"""Review (US-00007, CA): the interest day count said 47 in one place and 48 in another, and the same
interest had two labels across the court papers. The statement of account's accelerated row counted
as-of minus the acceleration date (47) while the default interest was charged for 48 days, the
acceleration date its first (R-14); the claim statement called the rate "Interest after default"
and every other paper "default interest"; the complaint's "interest claimed" was the default
interest it had just called by that name. One count, one label, everywhere.

Review (US-00013, Texas): "Days late" is one count for every row, the days after the day an
installment fell due (61 after a due date beside "accelerated (41 days)" counting the acceleration
date's own day was two): an accelerated row's days late are one fewer than the days of default
interest, which count the acceleration date, and the table says how it counts."""

from datetime import date

import pytest
from sqlalchemy import select

from service.cases import accounts
from service.cases.casefile import CaseFile, load_case_file
from service.cases.claim_view import agreement_view
from service.cases.enums import Stage
from service.cases.ledger import Component
from service.cases.models import DebtCase
from service.core.settings import get_settings
from service.documents.format import date_en, usd
from tests.documents.conftest import squash
from tests.documents.legal_cases import context, texts
from tests.seeded import seed_demo

ANCHOR = date(2026, 12, 6)


@pytest.fixture
def california(db, settings) -> CaseFile:
    seed_demo(db, anchor=ANCHOR, cases=0, settings=settings, court_sets=True)
    ref = db.scalars(select(DebtCase.ref).where(DebtCase.profile == "US", DebtCase.us_state == "CA",
                                                DebtCase.stage == Stage.PRE_LITIGATION).order_by(DebtCase.ref)).first()
    return load_case_file(db, ref)


def test_the_accelerated_rows_days_late_are_the_days_after_the_acceleration_date(california, db, tmp_path):
    cf = california
    claim = accounts.claim_of(cf, ANCHOR, licensed_cap=get_settings().licensed_cost_cap)
    position = claim.agreement
    assert position is not None and position.accelerated_on is not None
    line = next(x for x in claim.reconciliation if x.key == "default_penalty")
    days = (line.end - line.start).days + 1  # "from X to Y": both named days charged
    assert days == position.penalty_days == (ANCHOR - position.accelerated_on).days + 1
    principal = position.outstanding[Component.PRINCIPAL]  # nothing paid since the acceleration
    assert line.amount == round(principal * position.terms.default.penalty_rate * days / position.terms.day_basis, 2)
    late = days - 1  # the days after the acceleration date (R-14 charges that date too)
    accelerated = [i for i in position.instalments if i.due_date > position.accelerated_on and i.paid < i.amount]
    assert accelerated and all(i.days_late == late for i in accelerated)
    due = [i for i in position.instalments if i.due_date <= position.accelerated_on and i.paid < i.amount]
    assert all(i.days_late == (ANCHOR - i.due_date).days for i in due)
    view = agreement_view(claim)  # `dossier claim`'s figures: the same count
    assert view is not None and [x["days_late"] for x in view["instalments"]] == [
        i.days_late for i in position.instalments]
    for kind in ("claim_statement", "affidavit_of_debt"):
        for text in texts(context(db, cf.case.ref, kind, day=ANCHOR), tmp_path):
            flat = squash(text)
            assert squash(f"accelerated ({late} days)") in flat, kind
            for i in due:
                assert squash(f"{usd(i.amount - i.paid)} {i.days_late}") in flat, (kind, i.no)
            assert squash(f"accelerated ({days} days)") not in flat, kind
            assert squash(f"Days late are the days after the due date to {date_en(ANCHOR)}, or, for an installment "
                          "the acceleration made due, the days after the acceleration date, "
                          f"{date_en(position.accelerated_on)}.") in flat, kind
            assert squash(f"({date_en(line.start)} to {date_en(line.end)})") in flat, kind
            assert "Interestafterdefault" not in flat, kind


def test_the_interest_claimed_is_labelled_as_the_claim_breakdown_labels_it(california, db, tmp_path):
    cf = california
    claim = accounts.claim_of(cf, ANCHOR, licensed_cap=get_settings().licensed_cost_cap)
    default = claim.penalty + claim.compound
    for text in texts(context(db, cf.case.ref, "debt_claim_petition", day=ANCHOR), tmp_path):
        flat = squash(text)
        assert squash(f"interest of {usd(claim.interest)}, default interest of {usd(default)}") in flat
        assert squash(f"The interest claimed as of {date_en(ANCHOR)} is {usd(claim.interest + default)}: interest "
                      f"of {usd(claim.interest)} and default interest of {usd(default)}.") in flat
    for kind in ("claim_statement", "affidavit_of_debt"):
        for text in texts(context(db, cf.case.ref, kind, day=ANCHOR), tmp_path):
            flat = squash(text)
            assert squash(f"Default interest {usd(default)}") in flat or squash(
                f"default interest of {usd(default)}") in flat, kind
