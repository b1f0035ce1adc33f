"""One truth per case on a contract's own acceleration (issue 8; no repayment plan breached): the
amount that fell due on the acceleration and the days default interest runs on the accelerated
principal are the claim computation's, in every document of the case and in `dossier claim`.

On the contract the acceleration date is the accelerated principal's new due date: contract
interest runs to it (that day included) and default interest from the day after, as on every
instalment (domain reference §1.7: "days(d_i, as_of)"; ledger: a day counts from the day after a
due date). So what fell due on the acceleration carries no default interest of that day on the
accelerated principal; the past-due instalments bear theirs, as on any other day of their
lateness. Under a plan the default clause's penalty begins on the acceleration date itself
(R-14), which is why the plan's documents say "that day included" and the contract's must not.
"""

from datetime import timedelta
from decimal import Decimal
from io import StringIO
from typing import Any

from rich.console import Console

from service.cases import accounts
from service.cases.casefile import load_case_file
from service.cases.claim import Claim
from service.cases.claim_view import claim_view
from service.cli_views import print_claim
from service.core.settings import get_settings
from service.documents.format import date_cn, date_en, money, usd
from tests.documents.conftest import squash
from tests.documents.legal_cases import DAY, context, litigation_case, texts, us_case

CAP = get_settings().licensed_cost_cap


def _same_claim(kind: str, block: Any, claim: Claim) -> None:
    assert (block.as_of, block.principal, block.interest, block.penalty, block.compound, block.fees,
            block.claimed_total) == (claim.as_of, claim.principal, claim.interest, claim.penalty, claim.compound,
                                     claim.fees, claim.claimed_total), kind
    assert block.accelerated_on == claim.accelerated_on, kind


def _fell_due_without_that_days_default_interest(cf: Any, accelerated_on: Any) -> Claim:
    """The computation at the acceleration date: the accelerated rows bear no default interest on
    it, and bear their first day's the day after."""
    on = accounts.claim_of(cf, accelerated_on, licensed_cap=CAP)
    after = accounts.claim_of(cf, accelerated_on + timedelta(days=1), licensed_cap=CAP)
    advanced = [r.no for r in on.rows if r.principal_due_date == accelerated_on < r.due_date and r.principal > 0]
    assert on.accelerated and on.agreement is None and advanced
    for row in on.rows:
        if row.no in advanced:
            assert (row.days_past_due, row.penalty) == (0, Decimal("0.00")), row.no
    assert all(r.days_past_due == 1 and r.penalty > 0 for r in after.rows if r.no in advanced)
    return on


def _dossier_claim(cf: Any, claim: Claim) -> str:
    out = StringIO()
    print_claim(Console(file=out, width=200), claim_view(cf, claim), "en")
    return out.getvalue()


def test_a_us_contract_acceleration_states_one_amount_due_and_its_days_in_every_document(db, tmp_path):
    case = us_case(db)  # Illinois: no notice of intent required (US-19); 16 of 24 installments not yet due
    accelerated = DAY - timedelta(days=30)
    case.accelerated_on = accelerated
    db.flush()
    cf = load_case_file(db, case.ref)
    fell_due = _fell_due_without_that_days_default_interest(cf, accelerated)
    claim = accounts.claim_of(cf, DAY, licensed_cap=CAP)

    # what fell due on the acceleration: the notice given that day and the complaint's amount due on
    # the final payment date (Tex. R. Civ. P. 508.2(a)(2)(D) and the other states' complaints)
    notice = context(db, case.ref, "notice_of_acceleration", day=accelerated)
    assert (notice.balance.total, notice.accelerated_on) == (fell_due.claimed_total, accelerated)  # type: ignore[attr-defined]
    complaint = context(db, case.ref, "debt_claim_petition")
    assert (complaint.final_due_date, complaint.due_at_final) == (accelerated, fell_due.claimed_total)  # type: ignore[attr-defined]
    for text in texts(complaint, tmp_path):
        assert squash(f"The amount due on that date was {usd(fell_due.claimed_total)}.") in squash(text)

    # the same as-of date: every document and `dossier claim` state the one claim
    printed = _dossier_claim(cf, claim)
    assert f"{claim.claimed_total:,}" in printed and f"{fell_due.claimed_total:,}" not in printed
    for kind in ("claim_statement", "affidavit_of_debt", "debt_claim_petition"):
        ctx = complaint if kind == "debt_claim_petition" else context(db, case.ref, kind)
        _same_claim(kind, ctx.claim, claim)  # type: ignore[attr-defined]
        for text in texts(ctx, tmp_path):
            flat = squash(text)
            assert squash(usd(claim.claimed_total)) in flat and squash(date_en(accelerated)) in flat, kind
            if kind == "claim_statement":
                # default interest on the accelerated principal from the day after, as charged
                assert squash(f"on accelerated principal from the day after the acceleration date "
                              f"({date_en(accelerated)})") in flat
                assert "that day included" not in flat


def test_a_cn_contract_acceleration_states_one_amount_due_and_its_days_in_every_document(db, tmp_path):
    case = litigation_case(db, plan=False)  # accelerated on 2025-09-10 under the contract's clause
    accelerated = case.accelerated_on
    cf = load_case_file(db, case.ref)
    _fell_due_without_that_days_default_interest(cf, accelerated)
    claim = accounts.claim_of(cf, DAY, licensed_cap=CAP)
    printed = _dossier_claim(cf, claim)
    assert f"{claim.claimed_total:,}" in printed
    for kind in ("civil_complaint", "complaint_elements", "claim_statement", "lawyer_letter",
                 "court_fee_statement", "mediation_application"):
        ctx = context(db, case.ref, kind)
        _same_claim(kind, ctx.claim, claim)  # type: ignore[attr-defined]
        for text in texts(ctx, tmp_path):
            flat = squash(text)
            assert squash(money(claim.claimed_total)) in flat, kind
            if kind == "claim_statement":
                assert f"提前到期的本金自提前到期日（{date_cn(accelerated)}）次日起计算" in flat
                assert "当日起计算" not in flat
