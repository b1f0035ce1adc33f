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
   ($673.44, to the plan's last installment date) and the amount charged ($673.92) part.
3. The notice of default listed "Interest $673.92" and "Suspended interest $673.92": each amount
   once; and the $748.18 it states as due on October 21 is recorded as that day's balance.
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


def test_the_statement_of_account_works_out_the_suspended_interest_from_the_ledgers_spans(db, tmp_path):
    case = us_plan_case(db)
    cf = load_case_file(db, case.ref)
    claim = accounts.claim_of(cf, AS_OF, licensed_cap=get_settings().licensed_cost_cap)
    assert claim.agreement is not None
    spans = [(a.start, a.end, a.base, a.amount) for a in claim.agreement.suspended_accruals]
    assert spans == [  # the loan's principal to its due date, then what the ledger calls principal after it
        (date(2026, 3, 30), date(2026, 7, 26), Decimal("17600.00"), Decimal("670.92")),
        (date(2026, 7, 26), date(2026, 7, 30), Decimal("222.62"), Decimal("0.29")),
        (date(2026, 7, 30), date(2026, 8, 30), Decimal("148.43"), Decimal("1.49")),
        (date(2026, 8, 30), date(2026, 9, 30), Decimal("74.24"), Decimal("0.74")),
        (date(2026, 9, 30), date(2026, 10, 20), Decimal("74.24"), Decimal("0.48")),
    ]
    assert sum(a for *_, a in spans) == claim.agreement.revived_interest == Decimal("673.92")
    rows = ["March 31, 2026 July 26, 2026 118 $17,600.00 11.63% $670.92",
            "July 27, 2026 July 30, 2026 4 $222.62 11.63% $0.29",
            "July 31, 2026 August 30, 2026 31 $148.43 11.63% $1.49",
            "August 31, 2026 September 30, 2026 31 $74.24 11.63% $0.74",
            "October 1, 2026 October 20, 2026 20 $74.24 11.63% $0.48",
            "Suspended interest charged on default $673.92"]
    why = ("Section 3 of the payment plan stated the interest suspended to September 30, 2026, the plan's last "
           "installment date, as $673.44: the rows through that date. The row after it, October 1, 2026 to "
           "October 20, 2026, adds $0.48")
    for kind in ("claim_statement", "affidavit_of_debt"):
        for flat in _texts(db, case.ref, kind, tmp_path):
            for row in rows:
                assert squash(row) in flat, (kind, row)
            assert squash(why) in flat, kind


def test_the_notice_of_default_states_each_amount_once_and_the_record_dates_it_as_the_notice_does(
        db, store, tmp_path):
    case = us_plan_case(db)
    notice = context(db, case.ref, "breach_notice", day=NOTICE_DAY)
    a = notice.acceleration  # type: ignore[attr-defined]
    assert (a.on, a.total) == (ACCELERATION_DATE, Decimal("748.18"))
    assert dict(a.parts) == {"principal": Decimal("74.24"), "revived_interest": Decimal("673.92"),
                             "penalty": Decimal("0.02")}
    for text in texts(notice, tmp_path):
        flat = squash(text)
        assert flat.count("$673.92") == 1, flat
        assert squash("Suspended interest charged again $673.92") in flat
        assert squash("Then due $748.18 Acceleration date October 21, 2026") in flat
    # the record: the total the notice states, as the balance of the day it states it for
    case.stage, case.accelerated_on = "PLAN_BREACHED", None
    db.flush()
    documents_service.generate(db, case_ref=case.ref, kind="breach_notice", as_of=NOTICE_DAY, actor="test",
                               store=store, now=at(NOTICE_DAY, 10, tz="America/New_York"))
    breach = load_case_file(db, case.ref).breaches[0]
    assert (breach.notice_total, breach.notice_as_of) == (Decimal("748.18"), ACCELERATION_DATE)


def test_dossier_claim_of_a_us_case_spells_as_americans_do(db):
    case = us_plan_case(db)
    cf = load_case_file(db, case.ref)
    out = StringIO()
    print_claim(Console(file=out, width=200), claim_view(cf, accounts.claim_of(
        cf, AS_OF, licensed_cap=get_settings().licensed_cost_cap)))
    printed = out.getvalue()
    assert "its last installment fell due" in printed and "license (Banking Law art. 9)" in printed
    assert "instalment" not in printed and "licence" not in printed
