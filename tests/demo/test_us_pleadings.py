"""The US court sets of the demo (seed_demo(court_sets=True), one pre-litigation case per state,
the same after any number of cases) as `make samples --anchor 2026-12-05` rendered them, read by a
reviewer who found (references there: US-00006 NY, US-00007 CA; alone here: US-00001, US-00002):

- R-2: US-00007 (CA; payment plan US-00007-P1 accelerated on 2026-10-19, its last instalment due
  2026-10-28) pleaded that "final payment was due on March 28, 2026" (the loan's own term end,
  before the acceleration) and "the amount due on that date was $106,829.28", an amount nowhere
  else. The final payment date is the governing schedule's last due date, or the acceleration that
  came before it; the amount due then is the claim computation's at that date.
- R-3: US-00006 (NY) lacked what CPLR 3016(j) (Consumer Credit Fairness Act) asks of a complaint on
  a consumer credit transaction: original creditor, last four digits of the account, date and
  amount of the last payment, the contract attached.
- R-5: US-00007's complaint called its court "a limited civil case up to $35,000" on a claim of
  $36,730.10: the class follows the amount demanded (Cal. Code Civ. Proc. 85(a), 88).
- R-14: the default interest of a breached plan ran from the second day after the cure deadline
  ("October 20" after a cure ending October 18); the acceleration date, the day after the cure
  deadline, is its first day (the ledger: agreement.agreement_position). What was due on that date
  is the balance and that day's default interest, as the notice of default says.
"""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from service.cases import accounts
from service.cases.casefile import CaseFile, load_case_file
from service.cases.enums import Stage
from service.cases.ledger import Component
from service.cases.models import DebtCase
from service.core.settings import get_settings
from service.demo.evidence import contract_pages
from service.documents.format import date_en, usd
from tests.documents.conftest import squash
from tests.documents.legal_cases import context, texts
from tests.seeded import seed_demo

ANCHOR = date(2026, 12, 5)


@pytest.fixture
def by_state(db, settings) -> dict[str, CaseFile]:
    seed_demo(db, anchor=ANCHOR, cases=0, settings=settings, court_sets=True)
    refs = db.scalars(select(DebtCase.ref).where(DebtCase.profile == "US",
                                                 DebtCase.stage == Stage.PRE_LITIGATION).order_by(DebtCase.ref))
    cases = [load_case_file(db, ref) for ref in refs]
    found: dict[str, CaseFile] = {}
    for cf in cases:  # each state's first: its case after a breached plan (Texas's second is sued on the contract)
        found.setdefault(cf.case.us_state, cf)
    return found


def _claim(cf: CaseFile, on: date = ANCHOR):  # type: ignore[no-untyped-def]
    return accounts.claim_of(cf, on, licensed_cap=get_settings().licensed_cost_cap)


def test_final_payment_is_due_on_the_plans_acceleration_and_california_classes_by_amount(by_state, db, tmp_path):
    for state, cf in by_state.items():  # the governing schedule's last due date, or the acceleration before it
        ctx = context(db, cf.case.ref, "debt_claim_petition", day=ANCHOR)
        last_due = max(accounts.governing_dues(cf, ANCHOR))
        accelerated = ctx.timeline.accelerated_on  # type: ignore[attr-defined]
        assert ctx.final_due_date == (min(accelerated, last_due) if accelerated else last_due), state  # type: ignore[attr-defined]
    cf = by_state["CA"]
    assert cf.current_plan is not None and cf.current_plan.instalments[-1].due_date == date(2026, 10, 28)
    ctx = context(db, cf.case.ref, "debt_claim_petition", day=ANCHOR)
    accelerated = ctx.timeline.accelerated_on  # type: ignore[attr-defined]
    assert accelerated == date(2026, 10, 19) and ctx.final_due_date == accelerated  # type: ignore[attr-defined]
    # what was due on the acceleration date: the balance that fell due and that day's default
    # interest (its first day, R-14), as the notice of default counts it
    on_acceleration = _claim(cf, accelerated)
    assert on_acceleration.agreement is not None and on_acceleration.agreement.accelerated_on == accelerated
    at_final, first_day = on_acceleration.claimed_total, on_acceleration.agreement.penalty
    claimed = _claim(cf).claimed_total
    assert ctx.due_at_final == at_final < claimed and ctx.first_day_interest == first_day > 0  # type: ignore[attr-defined]
    assert claimed > 35000
    for text in texts(ctx, tmp_path):
        flat = squash(text)
        assert squash(f"so that final payment was due on {date_en(accelerated)}. The amount due on that date was "
                      f"{usd(at_final)}: the unpaid balance of {usd(at_final - first_day)} that fell due, and "
                      f"default interest of {usd(first_day)} for that day") in flat
        assert "March28,2026.Theamountdue" not in flat
        assert squash("UNLIMITED CIVIL CASE (AMOUNT DEMANDED EXCEEDS $35,000)") in flat
        assert squash("Cal. Code Civ. Proc. § 88 (an unlimited civil case") in flat
        assert "limitedcivilcaseupto" not in flat.lower()


def test_the_ny_complaint_pleads_what_the_consumer_credit_fairness_act_asks(by_state, db, tmp_path):
    cf = by_state["NY"]
    ctx = context(db, cf.case.ref, "debt_claim_petition", day=ANCHOR)  # with the case's packet plan
    exhibit = ctx.contract_exhibit  # type: ignore[attr-defined]
    assert exhibit is not None
    last = max(cf.payments, key=lambda p: p.value_date)
    # as the affidavit says (a plan instalment of the arrears alone since C09-1: the loan's bullet
    # principal stayed on its own date, 2026-07-24)
    assert (last.value_date, last.amount) == (date(2026, 8, 28), Decimal("74.19"))
    creditor = ctx.plaintiff.name  # type: ignore[attr-defined]
    tail = "".join(ch for ch in cf.contract.contract_no if ch.isalnum())[-4:]
    for text in texts(ctx, tmp_path):
        flat = squash(text)
        assert squash("This action arises out of a consumer credit transaction (CPLR 3016(j)).") in flat
        assert squash(f"The original creditor is {creditor}.") in flat
        assert squash(f"The last four digits of the original account number are {tail}.") in flat
        assert squash("The last payment on the account, of $74.19, was made on August 28, 2026.") in flat
        assert squash(f"is attached to this complaint as Exhibit {exhibit} of Plaintiff's Exhibit Index") in flat
    for state in ("CA", "IL", "TX"):  # another state's pleading does not cite New York's law
        assert "CPLR" not in texts(context(db, by_state[state].case.ref, "debt_claim_petition", day=ANCHOR),
                                   tmp_path)[0]


def test_default_interest_runs_from_the_day_after_the_cure_deadline(by_state, db, tmp_path):
    for state in ("NY", "CA"):
        cf = by_state[state]
        cure = cf.breaches[0].cure_deadline
        assert cure == date(2026, 10, 18)
        claim = _claim(cf)
        first = cure + timedelta(days=1)  # the acceleration date
        if not claim.principal:  # NY: only interest is unpaid, on which no default interest runs (US-00010)
            assert claim.line("default_penalty") is None and claim.penalty == 0, state
            continue
        line = next(ln for ln in claim.reconciliation if ln.key == "default_penalty")
        assert (line.start, line.end) == (first, ANCHOR), state
        position = claim.agreement
        assert position is not None and position.accelerated_on == first
        days = (ANCHOR - cure).days  # from the acceleration date to the as-of date, both counted
        principal = position.outstanding[Component.PRINCIPAL]
        penalty = principal * position.terms.default.penalty_rate * days / position.terms.day_basis
        assert line.amount == penalty.quantize(Decimal("0.01")), state
        for text in texts(context(db, cf.case.ref, "claim_statement", day=ANCHOR), tmp_path):
            assert squash(f"({date_en(first)} to {date_en(ANCHOR)})") in squash(text), state


def test_the_contract_scan_shows_the_sections_the_documents_cite(by_state, db, tmp_path):
    """R-7: the statement of account cited the contract interest to "Agreement §3" and the default
    interest to "Agreement §7" while the contract's scan (the exhibit) says "(section 4)" and
    "(section 7(1))". Every state's case, and Texas's sued on the contract's acceleration clause."""
    on_contract = [load_case_file(db, ref) for ref in db.scalars(select(DebtCase.ref).where(
        DebtCase.profile == "US", DebtCase.stage == Stage.PRE_LITIGATION)) if ref not in {
        cf.case.ref for cf in by_state.values()}]
    assert [cf.case.us_state for cf in on_contract] == ["TX"] and not on_contract[0].plans
    for state, cf in [*by_state.items(), ("TX, on the contract", on_contract[0])]:
        scan = " ".join(" ".join(lines) for _, lines in contract_pages(cf))
        refs = cf.contract.clause_refs
        assert {"rate", "default", "acceleration"} <= set(refs), state
        for ref in refs.values():
            assert f"(section {ref.removeprefix('§')})" in scan, (state, ref, scan)
        for text in texts(context(db, cf.case.ref, "claim_statement", day=ANCHOR), tmp_path):
            flat = squash(text)
            assert squash(f"per year Agreement {refs['rate']}") in flat, state
            # then the plan's default clause (";"), or on the contract when it applies (","), or where no
            # default interest runs, the clause it would run under, in brackets
            assert re.search(re.escape(squash(f"Agreement {refs['default']}")) + "[;,)]", flat), state


def test_each_states_complaint_asks_the_judgment_rate_after_judgment_and_california_states_its_venue(
        by_state, db, tmp_path):
    """Review (a collections attorney): the complaints asked the contract rate "until paid"; after
    judgment the state's judgment rate governs (US-15 "judgment_interest"). And California's lacked
    the verified venue statement of Cal. Code Civ. Proc. 396a(a)."""
    expected = {"CA": ("5%", "Cal. Code Civ. Proc. § 685.010(a)(2)(A)(ii)"),  # a judgment under $50,000
                "NY": ("2%", "CPLR 5004(a)"),  # the interest rate for consumer debt
                "IL": ("9%", "735 ILCS 5/2-1303(a)"),  # above $25,000
                "TX": (None, "Tex. Fin. Code § 304.002")}  # the lesser of the contract rate and 18 %
    for state, (rate, citation) in expected.items():
        cf = by_state[state]
        ctx = context(db, cf.case.ref, "debt_claim_petition", day=ANCHOR)
        claim = ctx.claim  # type: ignore[attr-defined]
        if state == "TX":
            rate = f"{(min(claim.continuing_rate, Decimal('0.18')) * 100).normalize():f}%"
        # until entry of judgment the contract rate on the unpaid principal, where any is left (NY: none, US-00010)
        until = f"from {date_en(claim.continuing_from)} until entry of judgment" if claim.continuing_base else ""
        for text in texts(ctx, tmp_path):
            flat = squash(text)
            assert squash(f"{until}{'. ' if until else ''}From entry of judgment until paid, the judgment bears "
                          f"interest at {rate} per year, based on statute ({citation}") in flat, state
            assert squash(f"{until}{', ' if until else ''}interest on the judgment at {rate} per year from its entry "
                          f"until paid ({citation}), and court costs.") in flat, state
            assert ("396a" in text) is (state == "CA")
    cf = by_state["CA"]
    ctx = context(db, cf.case.ref, "debt_claim_petition", day=ANCHOR)
    address = cf.borrower.habitual_address
    for text in texts(ctx, tmp_path):
        flat = squash(text)
        assert squash(f"Defendant resides at {address}, in Los Angeles County, California. Defendant signed the "
                      f"agreement sued on at {cf.contract.signed_place}, in Los Angeles County, California.") in flat
        assert squash("commenced in the proper court, the superior court in Los Angeles County, where Defendant "
                      "resides at the commencement of the action") in flat
        assert squash("Declaration re venue (Cal. Code Civ. Proc. §§ 396a(a), 446(a), 2015.5)") in flat
