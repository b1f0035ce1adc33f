"""The US court documents of the demo's court sets, as a reviewer read US-00007 (CA, anchor
2026-12-06):

- the affidavit's limitation paragraph (removed since: the petition pleads limitation) said "The
  default began on September 29, 2026" (the plan's default) while the same affidavit, its
  Attachment A and the complaint gave the loan's missed installment of March 1, 2026: under a
  payment plan both are stated, each named, from the claim computation (Claim.loan_default,
  Claim.default), in the complaint and the affidavit alike;
- interest was computed on a 360-day year while the complaint said "14.55% per year": every rate a
  US court document states cites the agreement's day-count clause, which the contract's scan
  prints, and a claim on a day count no recorded clause authorizes is refused (US-18, 15 U.S.C.
  1692f(1));
- "repayable in 6 monthly installments" described an interest-only loan whose principal fell due
  with the last: the schedule is described from its rows.
"""

from datetime import timedelta
from decimal import Decimal

import pytest

from service.cases.casefile import load_case_file
from service.core.errors import RuleViolation
from service.demo.evidence import contract_pages
from service.documents.format import date_en, usd
from tests.demo.test_us_pleadings import ANCHOR, by_state  # noqa: F401  (the court sets fixture)
from tests.documents.conftest import squash
from tests.documents.legal_cases import context, texts
from tests.documents.test_acceleration_notices import in_state

DAY_COUNT = "computed daily at the annual rate divided by 360 for the actual days, as §4(2) of the agreement provides"
LOAN_DAY_COUNT = ("interest per year, each installment's interest being one-twelfth of the annual rate on the unpaid "
                  "principal, and interest for part of an installment period and default interest computed daily at "
                  "the annual rate divided by 360 for the actual days, as §4(2) of the agreement provides")
DAILY_RATE = "per year, accruing daily at that rate divided by 360, as §4(2) of the agreement provides"


def test_under_a_plan_both_defaults_are_stated_alike_in_the_complaint_and_the_affidavit(by_state, db, tmp_path):  # noqa: F811
    cf = by_state["CA"]
    claim = context(db, cf.case.ref, "affidavit_of_debt", day=ANCHOR).claim  # type: ignore[attr-defined]
    assert claim.agreement is not None
    facts = load_case_file(db, cf.case.ref)
    from tests.documents.legal_cases import facts_for
    computed = facts_for(db, facts.case.ref, ANCHOR).claim
    loan, plan = computed.loan_default, computed.default
    assert loan is not None and plan is not None and loan.due_date < plan.due_date
    for text in texts(context(db, cf.case.ref, "affidavit_of_debt", day=ANCHOR), tmp_path):
        flat = squash(text)
        # the plan's default came when the instalment was more than the grace period late, the day
        # its recorded breach names (plan section 4; the notice of default is dated that day), not its due date
        breach = next(b for b in cf.breaches if b.instalment_no == plan.no and b.due_date == plan.due_date)
        grace = cf.current_plan.grace_days
        defaulted = plan.due_date + timedelta(days=grace + 1)
        assert breach.detected_on == defaulted
        assert squash(f"due on {date_en(loan.due_date)}, was the first not paid in full when due") in flat
        assert squash(f"it was a default under the payment plan on {date_en(defaulted)}") in flat
        assert "Thedefaultbegan" not in flat
    for text in texts(context(db, cf.case.ref, "debt_claim_petition", day=ANCHOR), tmp_path):
        flat = squash(text)
        assert squash(f"Defendant defaulted under the loan by failing to pay the installment due on "
                      f"{date_en(loan.due_date)}") in flat
        assert squash(f"Plan installment {plan.no}, due {date_en(plan.due_date)}, was not paid in full when due; "
                      f"more than {grace} days late, it was a default under the payment plan on "
                      f"{date_en(defaulted)}, and Defendant did not cure that default on or before "
                      f"{date_en(breach.cure_deadline)}.") in flat
        assert squash(f"defaulted under the payment plan on {date_en(plan.due_date)}") not in flat


def test_every_stated_rate_cites_the_day_count_clause_the_scan_prints(by_state, db, tmp_path):  # noqa: F811
    for state, cf in by_state.items():
        assert cf.contract.day_basis == 360 and cf.contract.clause_refs["day_count"] == "§4(2)"
        scan = " ".join(" ".join(lines) for _, lines in contract_pages(cf))
        assert squash("default interest accrue daily, at the annual rate divided by 360, for the actual days "
                      "(section 4(2))") in squash(scan), state
        for kind in ("debt_claim_petition", "affidavit_of_debt"):
            ctx = context(db, cf.case.ref, kind, day=ANCHOR)
            # the rates stated are the loan's, the ongoing interest's where ongoing interest is claimed
            # (the petition states it twice: its count and its prayer; the affidavit once), and the
            # judgment's; a claim whose principal is paid seeks no ongoing interest and states no
            # rate for it (US-00010 under its plan: interest and suspended interest only)
            ongoing = bool(ctx.claim.continuing_base)  # type: ignore[attr-defined]
            daily = 1 if kind == "debt_claim_petition" and ongoing else 0
            count = 1 + (2 if kind == "debt_claim_petition" else 1) * ongoing
            for text in texts(ctx, tmp_path):
                flat = squash(text)
                # the ongoing rate is the rate per year and its daily rate, not an "effective" rate:
                # charged daily on a 360-day year, its effective rate is higher than the figure
                assert flat.count(squash(DAILY_RATE)) == daily, (state, kind)
                assert "effective" not in text, (state, kind)
                assert flat.count(squash(DAY_COUNT)) == count - daily, (state, kind)
                if not ongoing:
                    assert "Plaintiffseeksnointerestfrom" in flat or "Nodefaultinterestaccruesfrom" in flat, \
                        (state, kind)
                # the loan's rate says which day count applies to which interest (review: "computed
                # daily at the annual rate divided by 360" beside the loan's rate, while installment
                # interest is a twelfth of it a month): 30/360 for installments, actual/360 otherwise
                assert squash(LOAN_DAY_COUNT) in flat, (state, kind)
                # every rate per year is the contract's, with its day count, but the judgment's,
                # which the state's statute sets (us_law.judgment_interest)
                judgment = flat.count("judgmentbearsinterestat") + flat.count("interestonthejudgmentat")
                assert judgment == (2 if kind == "debt_claim_petition" else 1), (state, kind)
                assert flat.count("peryear") == count + judgment, (state, kind)
        for text in texts(context(db, cf.case.ref, "claim_statement", day=ANCHOR), tmp_path):
            assert squash("Daily rate = annual rate ÷ 360 (Agreement §4(2))") in squash(text), state


def test_a_360_day_claim_without_the_agreements_clause_is_refused(db):
    case = in_state(db, "CA")
    cf = load_case_file(db, case.ref)
    cf.contract.day_basis = 360
    db.flush()
    for kind in ("debt_claim_petition", "affidavit_of_debt", "claim_statement"):
        with pytest.raises(RuleViolation) as refused:
            context(db, case.ref, kind)
        assert [v.rule for v in refused.value.violations] == ["US-18"], kind
        assert "360-day year, but the loan agreement's day-count clause is not recorded" in \
            refused.value.violations[0].message


def test_an_interest_only_schedule_is_described_as_it_is(db, tmp_path):
    case = in_state(db, "IL")
    cf = load_case_file(db, case.ref)
    rows = sorted(cf.instalments, key=lambda i: i.no)
    total = sum((i.principal for i in rows), Decimal("0.00"))
    for i in rows[:-1]:  # the payments on file still meet the first eight installments to the cent
        i.interest, i.principal = i.interest + i.principal, Decimal("0.00")
    rows[-1].principal = total
    db.flush()
    n = len(rows)
    want = (f"repayable in {n} monthly installments, the first {n - 1} of interest only and the last of the "
            f"whole principal of {usd(total)} with its interest")
    for kind in ("debt_claim_petition", "affidavit_of_debt", "claim_statement"):
        try:
            ctx = context(db, case.ref, kind)
        except RuleViolation as exc:  # the wording is what is tested; a refusal would hide it
            pytest.fail(f"{kind}: {exc.violations}")
        for text in texts(ctx, tmp_path):
            assert squash(want) in squash(text), kind


def test_an_amortizing_schedule_keeps_its_plain_words(db, tmp_path):
    case = in_state(db, "IL")
    for text in texts(context(db, case.ref, "debt_claim_petition"), tmp_path):
        flat = squash(text)
        assert squash("repayable in 24 monthly installments, the final installment due on") in flat
        assert "interestonly" not in flat




def test_the_california_complaint_pleads_the_plaintiffs_entity_and_its_financing_law_licence(by_state, db, tmp_path):  # noqa: F811
    """Review (a California collections litigator, US-00011): the complaint's first paragraph never
    said what the plaintiff is nor why it may charge the rate claimed: its form of entity, and in
    California its licence under the California Financing Law (US-15 table, "plaintiff_licence"),
    with the number of its CFL licence (issue 8 §5: it had alleged the NMLS ID as that number), the
    company's NMLS ID beside it."""
    for state, cf in by_state.items():
        lender = cf.lender
        cfl = next(x.number for x in lender.licences if (x.state, x.kind) == ("CA", "cfl"))
        assert lender.name.endswith(", LLC") and lender.nmls_id and cfl.startswith("60DBO-")
        for text in texts(context(db, cf.case.ref, "debt_claim_petition", day=ANCHOR), tmp_path):
            flat = squash(text)
            assert squash(f"Plaintiff {lender.name} is a limited liability company and the lender") in flat, state
            licensed = squash(f"Plaintiff is a licensee under the California Financing Law (Cal. Fin. Code §§ 22000 "
                              f"et seq., 22100), license no. {cfl} (NMLS ID {lender.nmls_id}); a licensee's loans "
                              "are exempt from the interest limits of Cal. Const. art. XV, § 1 "
                              "(Cal. Fin. Code § 22002).")
            assert (licensed in flat) == (state == "CA"), state
            assert squash("license no. NMLS") not in flat, state


def test_a_us_cases_records_are_in_its_borrowers_language(by_state):  # noqa: F811
    """Review (US-00011): the demo wrote a US case's call summaries in Chinese ("协商分期还款方案",
    "签署还款协议"); its borrower's language is English, and so are the records shown of the case."""
    import re

    for state, cf in by_state.items():
        assert cf.borrower.language == "en-US", state
        summaries = [c.summary for c in cf.communications if c.summary]
        assert summaries, state
        assert not [s for s in summaries if re.search(r"[\u3400-\u9fff]", s)], (state, summaries)
