"""Review (US-00007, CA): the interest day count said 47 in one place and 48 in another, and the same
interest had two labels across the court papers. The statement of account's accelerated row counted
as-of minus the acceleration date (47) while the default interest was charged for 48 days, the
acceleration date its first (R-14); the claim statement called the rate "Interest after default"
and every other paper "default interest"; the complaint's "interest claimed" was the default
interest it had just called by that name. One count, one label, everywhere.

Review (US-00013, Texas): "61 days after a due date beside accelerated (41 days)" read as two counts:
the table says how each counts. Reader review (2026-12-08): the US statement printed an accelerated
row's days after the acceleration date (40) beside 41 days of default interest, where the CN claim
statement prints the 41 (已提前到期（41天）). The plan charges default interest from the acceleration
date, that day included (its section 4): an accelerated row prints the days it was charged for, in
both countries, and the table says so; a row due before keeps the days after its due date."""

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


def test_the_accelerated_rows_print_the_days_default_interest_was_charged(california, db, tmp_path):
    cf = california
    claim = accounts.claim_of(cf, ANCHOR, licensed_cap=get_settings().licensed_cost_cap)
    position = claim.agreement
    assert position is not None and position.accelerated_on is not None
    line = next(x for x in claim.reconciliation if x.key == "default_penalty")
    days = (line.end - line.start).days + 1  # "from X to Y": both named days charged
    assert days == position.penalty_days == (ANCHOR - position.accelerated_on).days + 1
    principal = position.outstanding[Component.PRINCIPAL]  # nothing paid since the acceleration
    assert line.amount == round(principal * position.terms.default.penalty_rate * days / position.terms.day_basis, 2)
    assert days == sum(a.days for a in position.accruals)  # the rows of the computation: every day charged
    late = days - 1  # the days after the acceleration date: the computation's days_late, not printed for them
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
            assert flat.count(squash(f"accelerated ({days} days)")) == len(accelerated), kind
            for i in due:
                assert squash(f"{usd(i.amount - i.paid)} {i.days_late}") in flat, (kind, i.no)
            assert squash(f"accelerated ({late} days)") not in flat, kind
            assert squash(f"Days late are the days after the due date to {date_en(ANCHOR)}, or, for an installment "
                          "the acceleration made due, the days of default interest on it from the acceleration "
                          f"date, {date_en(position.accelerated_on)}, that day included, to {date_en(ANCHOR)}.") \
                in flat, kind
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


def test_the_cn_claim_statement_prints_the_days_charged_as_the_us_statement_does(california, db, tmp_path):
    """The CN court sets of the same demo: 已提前到期（N天） is the days the default penalty was charged
    on the instalment from the acceleration date, that day included (还款协议: 自提前到期日（含当日）起),
    to the as-of date: the computation's rows' days, not the days after the acceleration date."""
    refs = db.scalars(select(DebtCase.ref).where(DebtCase.profile == "CN", DebtCase.stage == Stage.PRE_LITIGATION)
                      .order_by(DebtCase.ref)).all()
    checked = 0
    for ref in refs:
        cf = load_case_file(db, ref)
        position = accounts.claim_of(cf, ANCHOR, licensed_cap=get_settings().licensed_cost_cap).agreement
        if position is None or position.accelerated_on is None:
            continue  # sued on the contract: its rows count from the day after each fell due, as the ledger does
        accelerated = [i for i in position.instalments if i.due_date > position.accelerated_on and i.paid < i.amount]
        if not accelerated or not position.accruals:
            continue  # no principal left unpaid: no default interest runs, the rows count the days late alone
        days = position.penalty_days
        assert days == sum(a.days for a in position.accruals) == (ANCHOR - position.accelerated_on).days + 1, ref
        for text in texts(context(db, ref, "claim_statement", day=ANCHOR), tmp_path):
            flat = squash(text)
            assert flat.count(f"已提前到期（{days}天）") == len(accelerated), ref
            assert f"已提前到期（{days - 1}天）" not in flat, ref
        checked += 1
    assert checked
