"""A New York consumer-debt litigator's reading of US-00010 (2026-12-07): a loan whose principal fell
due on July 26, 2026, an interest-suspension payment plan whose last installment (September 30) was
missed, the default not cured by October 20 (tests/documents/us_plan_case.py builds the same case).

1. "accelerated" and "not accelerated" side by side: the statement of account's terms said "from the
   acceleration date (October 21, 2026)" and "Acceleration: not accelerated"; the complaint "Repayment
   of the debt was not accelerated; final payment was due on September 30, 2026" beside the loan's
   final installment of July 26. "Acceleration date" is the plan's own term (section 4, item 2: the
   plan's unpaid balance falls due at once on the day after the cure period): every paper now says
   which debt fell due on which date under which item, and whether the loan's maturity was
   accelerated, the loan's and the plan's final dates named apart.
2. The suspended interest, 90 % of the claim, was never worked out: the statement of account now
   computes it span by span from the ledger's own spans, and says where the plan's stated figure
   (to the plan's last installment date, every payment on time) and the amount charged part.
3. The notice of default listed "Interest $673.92" and "Suspended interest $673.92": each amount
   once; and the total it states as due on October 21 is recorded as that day's balance.
4. The $17,600.00 paid on the loan's due date is the loan's principal (plan installment 4), not
   interest of installments 5-7, not yet due: what is left is acknowledged interest ($74.24), on
   which neither suspended nor default interest runs (tests/cases/test_agreement_instalments.py):
   the claim is $745.16 (interest $74.24 + $670.92 suspended), not $749.31.
5. `dossier claim` of a US case in American spelling."""

from datetime import date
from decimal import Decimal
from io import StringIO

from rich.console import Console

from service.cases import accounts
from service.cases.casefile import load_case_file
from service.cases.claim_view import claim_view
from service.cli_views import print_claim
from service.core.settings import get_settings
from service.documents import service as documents_service
from tests.documents.conftest import at, squash
from tests.documents.legal_cases import context, texts
from tests.documents.us_plan_case import ACCELERATION_DATE, AS_OF, us_plan_case

NOTICE_DAY = date(2026, 10, 6)
PAPERS = ("claim_statement", "debt_claim_petition", "affidavit_of_debt")


def _texts(db, ref: str, kind: str, tmp_path, day: date = AS_OF) -> list[str]:
    return [squash(t) for t in texts(context(db, ref, kind, day=day), tmp_path)]


def test_every_paper_names_the_plans_acceleration_date_and_the_loans_maturity_apart(db, tmp_path):
    case = us_plan_case(db)
    plan = f"{case.ref}-P1"
    said = squash(f"under section 4, item 2 of payment plan {plan}, the plan's unpaid balance was due at once on "
                  "October 21, 2026 (the plan's \"acceleration date\"); every installment of the plan had already "
                  "fallen due, the last on September 30, 2026, so none fell due earlier than the plan scheduled it")
    loan = squash("The loan's maturity was not accelerated: its final installment was due on July 26, 2026.")
    for kind in PAPERS:
        for flat in _texts(db, case.ref, kind, tmp_path):
            assert said.lower() in flat.lower(), kind
            assert loan in flat, kind
            assert squash("not accelerated: the payment plan's last installment") not in flat, kind
            assert squash("so nothing was accelerated") not in flat, kind
            assert squash("Repayment of the debt was not accelerated") not in flat, kind
    for flat in _texts(db, case.ref, "debt_claim_petition", tmp_path):
        assert squash(f"Under payment plan agreement no. {plan} final payment was due on September 30, 2026, the "
                      "date of the plan's last installment. The amount due on that date was $74.24.") in flat
    for flat in _texts(db, case.ref, "claim_statement", tmp_path):
        # the terms table names the plan's acceleration date where it says default interest runs from it
        assert squash("Acceleration date under the payment plan October 21, 2026") in flat
        assert squash("from the acceleration date (October 21, 2026), that day included") in flat


def _claim(db, ref: str):  # type: ignore[no-untyped-def]
    return accounts.claim_of(load_case_file(db, ref), AS_OF, licensed_cap=get_settings().licensed_cost_cap)


def _rows(db, ref: str, tmp_path, rows: list[str], why: str | None) -> None:
    for kind in ("claim_statement", "affidavit_of_debt"):
        for flat in _texts(db, ref, kind, tmp_path):
            for row in rows:
                assert squash(row) in flat, (kind, row)
            assert (why is None) is (squash("Section 3 of the payment plan stated") not in flat), kind
            assert why is None or squash(why) in flat, kind


def test_the_statement_of_account_works_out_the_suspended_interest_from_the_ledgers_spans(db, tmp_path):
    case = us_plan_case(db)
    claim = _claim(db, case.ref)
    assert claim.agreement is not None
    # on the loan's principal to the day it was paid (the plan's installment 4): none on interest after it
    assert [(a.start, a.end, a.base, a.amount) for a in claim.agreement.suspended_accruals] == [
        (date(2026, 3, 30), date(2026, 7, 26), Decimal("17600.00"), Decimal("670.92"))]
    assert claim.agreement.revived_interest == Decimal("670.92")
    # the plan states the same: every installment but the last was paid on its date
    _rows(db, case.ref, tmp_path, ["March 31, 2026 July 26, 2026 118 $17,600.00 11.63% $670.92",
                                   "Suspended interest charged on default $670.92"], None)


def test_where_the_principal_was_unpaid_after_the_plans_last_date_the_statement_says_what_the_plan_did_not_count(
        db, tmp_path):
    """The arrears in three parts, the loan's principal the plan's last installment (July 26), missed:
    the plan stated the interest suspended to July 26; the rows after it are the days to the
    acceleration date the plan's figure did not count."""
    case = us_plan_case(db, parts=3, missed=4)
    claim = _claim(db, case.ref)
    assert claim.agreement is not None and claim.matured_on == date(2026, 7, 26)
    assert [(a.start, a.end, a.amount) for a in claim.agreement.suspended_accruals] == [
        (date(2026, 3, 30), date(2026, 7, 26), Decimal("670.92")),
        (date(2026, 7, 26), date(2026, 8, 15), Decimal("113.72"))]  # 17,600 × 11.63 % × 20 / 360
    _rows(db, case.ref, tmp_path, ["March 31, 2026 July 26, 2026 118 $17,600.00 11.63% $670.92",
                                   "July 27, 2026 August 15, 2026 20 $17,600.00 11.63% $113.72",
                                   "Suspended interest charged on default $784.64"],
          "Section 3 of the payment plan stated the interest suspended to July 26, 2026, the plan's last installment "
          "date, as $670.92: the rows through that date. The row after it, July 27, 2026 to August 15, 2026, adds "
          "$113.72")
    # and here default interest runs, on the principal left unpaid
    assert claim.principal == Decimal("17600.00") and claim.penalty > 0


def test_the_claim_is_the_acknowledged_interest_left_and_the_interest_suspended_on_principal(db, tmp_path):
    case = us_plan_case(db)
    claim = _claim(db, case.ref)
    assert (claim.principal, claim.interest, claim.penalty, claim.claimed_total) == (
        Decimal("0.00"), Decimal("745.16"), Decimal("0.00"), Decimal("745.16"))
    for flat in _texts(db, case.ref, "debt_claim_petition", tmp_path):
        assert squash("Defendant owes Plaintiff $745.16: principal of $0.00, interest of $745.16, default interest "
                      "of $0.00 and fees of $0.00") in flat
        assert squash("Plaintiff seeks no interest from December 8, 2026 until entry of judgment: no principal "
                      "remains unpaid, and default interest runs on unpaid principal only") in flat
        assert "interesTon$0.00".lower() not in flat.lower() and "principalof$0.00from" not in flat
    for flat in _texts(db, case.ref, "payment_history", tmp_path):
        assert squash("Applied under the agreement $17,970.95 interest $370.95; principal $17,600.00") in flat
        assert squash("an installment that pays the loan's principal on the loan's own due date (as the plan keeps "
                      "it, section 1) pays that principal") in flat


def test_the_notice_of_default_states_each_amount_once_and_the_record_dates_it_as_the_notice_does(
        db, store, tmp_path):
    case = us_plan_case(db)
    notice = context(db, case.ref, "breach_notice", day=NOTICE_DAY)
    a = notice.acceleration  # type: ignore[attr-defined]
    assert (a.on, a.total) == (ACCELERATION_DATE, Decimal("745.16"))
    assert dict(a.parts) == {"principal": Decimal("0.00"), "interest": Decimal("74.24"),
                             "revived_interest": Decimal("670.92")}
    for text in texts(notice, tmp_path):
        flat = squash(text)
        assert flat.count("$670.92") == 1, flat
        assert squash("Interest $74.24") in flat and squash("Suspended interest charged again $670.92") in flat
        assert squash("Then due $745.16 Acceleration date October 21, 2026") in flat
        assert "Onprincipalof" not in flat  # no principal left: no further interest to state
    # the record: the total the notice states, as the balance of the day it states it for
    case.stage, case.accelerated_on = "PLAN_BREACHED", None
    db.flush()
    documents_service.generate(db, case_ref=case.ref, kind="breach_notice", as_of=NOTICE_DAY, actor="test",
                               store=store, now=at(NOTICE_DAY, 10, tz="America/New_York"))
    breach = load_case_file(db, case.ref).breaches[0]
    assert (breach.notice_total, breach.notice_as_of) == (Decimal("745.16"), ACCELERATION_DATE)


def test_dossier_claim_of_a_us_case_spells_as_americans_do(db):
    case = us_plan_case(db)
    cf = load_case_file(db, case.ref)
    out = StringIO()
    print_claim(Console(file=out, width=200), claim_view(cf, accounts.claim_of(
        cf, AS_OF, licensed_cap=get_settings().licensed_cost_cap)))
    printed = out.getvalue()
    assert "every installment had already fallen due" in printed and "license (Banking Law art. 9)" in printed
    assert "instalment" not in printed and "licence" not in printed
