"""The US petition (debt_claim_petition): the pleading that starts the suit, in the court of the
consumer's county (US-17: the state's own venue rule; 15 U.S.C. 1692i binds a collector) — a Texas
Justice Court debt claim petition stating what
Tex. R. Civ. P. 508.2 asks of a claim on a loan, another state's complaint for breach of the loan
agreement in that state's court — with every amount the claim computation's; filed first in the US
packet; never a collector's."""

import zipfile

import pytest

from service.cases import accounts
from service.cases.casefile import load_case_file
from service.core.errors import RuleViolation
from service.core.settings import get_settings
from service.documents.contexts.legal.petition import COMPLAINT, JUSTICE, ORIGINAL, form_of
from service.documents.format import date_en, us_phone, usd
from service.packets.build import build_packet, planner_for
from tests.documents.conftest import pdf_text, squash
from tests.documents.legal_cases import DAY, context, texts
from tests.documents.test_acceleration_notices import in_state

COURTS = {"TX": "IN THE JUSTICE COURT, HARRIS COUNTY, TEXAS, PRECINCT ____, PLACE ____",
          "NY": "IN THE CIVIL COURT OF THE CITY OF NEW YORK, COUNTY OF KINGS",
          "CA": "IN THE SUPERIOR COURT OF CALIFORNIA, COUNTY OF LOS ANGELES",
          "IL": "IN THE CIRCUIT COURT OF COOK COUNTY, ILLINOIS"}
LIMITATION = {"TX": "4-year limitation period of Tex. Civ. Prac. & Rem. Code § 16.004(a)(3)",
              "NY": "3-year limitation period of CPLR 214-i",
              "CA": "4-year limitation period of Cal. Code Civ. Proc. § 337(a)",
              "IL": "10-year limitation period of 735 ILCS 5/13-206"}
# US-17: the original creditor's pleading cites the state's venue rule for its court (the state table)
# (review US-00013: a Justice Court's is Tex. R. Civ. P. 502.4(b)(1), where the defendant resides;
# Tex. Civ. Prac. & Rem. Code § 15.092 is the written-contract rule)
VENUE = {"TX": "resides there (Tex. R. Civ. P. 502.4(b)(1))",
         "NY": "resides there (N.Y. City Civ. Ct. Act § 301(a))",
         "CA": "resides there (Cal. Code Civ. Proc. § 395(b))",
         "IL": "resides there (735 ILCS 5/2-101)"}


def test_the_form_follows_the_state_and_the_court():
    assert form_of("TX", "Justice Court, Harris County, Texas") == JUSTICE
    assert form_of("TX", "District Court of Harris County, Texas") == ORIGINAL
    assert form_of("NY", "Civil Court of the City of New York, County of Kings") == COMPLAINT


@pytest.mark.parametrize("state", ["TX", "NY", "CA", "IL"])
def test_the_petition_names_the_consumers_court_and_claims_the_claim_computations_amounts(db, tmp_path, state):
    case = in_state(db, state)
    cf = load_case_file(db, case.ref)
    ctx = context(db, case.ref, "debt_claim_petition")
    claim = accounts.claim_of(cf, DAY, licensed_cap=get_settings().licensed_cost_cap)
    final = min(case.accelerated_on, ctx.terms.term_end)  # type: ignore[attr-defined]
    at_final = accounts.claim_of(cf, final, licensed_cap=get_settings().licensed_cost_cap).claimed_total
    assert ctx.claim.claimed_total == claim.claimed_total  # type: ignore[attr-defined]
    assert ctx.due_at_final == at_final  # type: ignore[attr-defined]
    assert ctx.interest_claimed == claim.interest + claim.penalty + claim.compound  # type: ignore[attr-defined]
    for text in texts(ctx, tmp_path):
        flat = squash(text)
        assert squash(COURTS[state]) in flat
        heading = "Petition: Debt Claim Case" if state == "TX" else "Complaint for Breach of a Consumer Loan Agreement"
        assert squash(heading) in flat
        assert squash(LIMITATION[state]) in flat
        # Tex. R. Civ. P. 508.2(a)(2)-(4), pleaded in every state (US-11)
        assert squash(f"On {date_en(cf.contract.signed_date)}, Defendant entered into") in flat
        assert squash(f"for a loan of {usd(cf.contract.principal_agreed)}") in flat
        assert squash(f"Repayment of the debt was accelerated on {date_en(case.accelerated_on)}") in flat
        assert squash(f"final payment was due on {date_en(final)}") in flat
        assert squash(f"The amount due on that date was {usd(at_final)}") in flat
        assert squash(f"As of {date_en(DAY)}, after all payments and credits, Defendant owes Plaintiff "
                      f"{usd(claim.claimed_total)}: principal of {usd(claim.principal)}") in flat
        assert squash("Plaintiff seeks ongoing interest. The interest rate claimed is 17.99% per year, "
                      "based on contract") in flat
        assert squash(f"The interest claimed as of {date_en(DAY)} is "
                      f"{usd(claim.interest + claim.penalty + claim.compound)}") in flat
        assert squash("The debt has not been transferred or assigned to anyone") in flat
        assert squash(VENUE[state]) in flat and "1692i" not in flat
        assert squash(f"judgment against Defendant for {usd(claim.claimed_total)}") in flat
        assert ("Count I: breach of contract" in text) is (state in ("NY", "IL"))  # CA: CRC 2.112 (US-25)
        assert (squash("Tex. R. Civ. P. 502.4(b)") in flat) is (state == "TX") and "15.092" not in flat
        # Tex. R. Civ. P. 502.2(a)(3): the defendant's telephone number, if known, in a Justice Court
        # petition only (review US-00013: omitted); no other state's pleading rule asks for it
        phone = us_phone(cf.borrower.phones[0]["number"])
        assert (squash(f"Defendant's telephone number is {phone}.") in flat) is (state == "TX"), state


def test_a_collector_does_not_sue_on_the_loan_in_its_own_name(db):
    case = in_state(db, "IL")
    lender = load_case_file(db, case.ref).lender
    lender.creditor_role, lender.collects_for = "debt_collector", "Someone Else Bank"
    db.flush()
    with pytest.raises(RuleViolation) as refused:
        context(db, case.ref, "debt_claim_petition")
    assert [v.rule for v in refused.value.violations] == ["US-14"]


def test_the_us_packet_files_the_petition_first(db):
    case = in_state(db, "TX")
    plan = planner_for(get_settings())(db)(load_case_file(db, case.ref))
    assert [p.kind for p in plan.pleadings] == ["debt_claim_petition", "affidavit_of_debt", "evidence_index",
                                                "claim_statement"]



def test_the_us_packet_binds_the_petition_first_and_lists_it_on_its_cover(db, settings, tmp_path):
    case = in_state(db, "IL")
    build_packet(db, settings, case.ref, tmp_path / "p.zip", as_of=DAY, draft=True)
    with zipfile.ZipFile(tmp_path / "p.zip") as z:
        names = z.namelist()
        packet = pdf_text(z.read("packet.pdf"), tmp_path)
    assert "pleadings/01-debt_claim_petition.docx" in names
    flat = squash(packet)
    assert squash("1 Complaint") in flat  # the cover's contents, first, as Illinois names it (US-25)
    complaint, affidavit = squash("Complaint for Breach of a Consumer Loan Agreement"), squash("Affidavit of Debt")
    assert flat.index(complaint) < flat.index(affidavit)


# US-15 "judgment_interest": the contract rate runs until judgment; the judgment bears the state's
# rate (review: the complaints asked the contract rate "until paid")
JUDGMENT = {"TX": ("17.99", "Tex. Fin. Code § 304.002"), "NY": ("2", "CPLR 5004(a)"),
            "CA": ("5", "Cal. Code Civ. Proc. § 685.010(a)(2)(A)(ii)"), "IL": ("5", "735 ILCS 5/2-1303(b)")}


@pytest.mark.parametrize(("state", "amount", "contract", "rate", "citation"), [
    ("CA", "49999.99", "0.1455", "0.05", "Cal. Code Civ. Proc. § 685.010(a)(2)(A)(ii)"),
    ("CA", "50000.00", "0.1455", "0.10", "Cal. Code Civ. Proc. § 685.010(a)(1)"),
    ("IL", "25000.00", "0.0977", "0.05", "735 ILCS 5/2-1303(b)"),
    ("IL", "25000.01", "0.0977", "0.09", "735 ILCS 5/2-1303(a)"),
    ("NY", "150000.00", "0.1163", "0.02", "CPLR 5004(a)"),
    ("TX", "44042.33", "0.1174", "0.1174", "Tex. Fin. Code § 304.002"),
    ("TX", "44042.33", "0.24", "0.18", "Tex. Fin. Code § 304.002")])
def test_the_judgment_rate_is_the_states(state, amount, contract, rate, citation):
    from datetime import date
    from decimal import Decimal

    from service.cases import us_law
    from service.cases.rules import load_ruleset

    found = us_law.judgment_interest(load_ruleset("US"), state, amount=Decimal(amount),
                                     contract_rate=Decimal(contract), judgment_after=date(2026, 12, 6))
    assert (found.rate, found.citation) == (Decimal(rate), citation)
    assert found.confirm  # what a lawyer should confirm about the figure
    before = us_law.judgment_interest(load_ruleset("US"), state, amount=Decimal(amount),
                                      contract_rate=Decimal(contract), judgment_after=date(2019, 12, 31))
    if state != "TX":  # a judgment before the consumer-debt rate came into force: the general rate
        assert before.rate == {"CA": Decimal("0.10"), "IL": Decimal("0.09"), "NY": Decimal("0.09")}[state]


@pytest.mark.parametrize("state", ["TX", "NY", "CA", "IL"])
def test_interest_runs_at_the_contract_rate_until_judgment_then_at_the_states_rate(db, tmp_path, state):
    case = in_state(db, state)
    rate, citation = JUDGMENT[state]
    ctx = context(db, case.ref, "debt_claim_petition")
    assert ctx.judgment is not None and ctx.claim.claimed_total <= 25000  # type: ignore[attr-defined]
    for text in texts(ctx, tmp_path):
        flat = squash(text)
        assert squash(f"until entry of judgment. From entry of judgment until paid, the judgment bears interest at "
                      f"{rate}% per year, based on statute ({citation}") in flat
        assert squash(f"interest on the judgment at {rate}% per year from its entry until paid ({citation}), and "
                      "court costs.") in flat
        assert "untilpaid" not in flat.replace("fromitsentryuntilpaid", "").replace("judgmentuntilpaid", "")
        assert "as allowed by law" not in text
        assert ("396a" in text) is (state == "CA")  # only California's table asks for a venue statement
    for kind in ("affidavit_of_debt", "claim_statement"):  # the other court papers say the same
        for text in texts(context(db, case.ref, kind), tmp_path):
            flat = squash(text)
            assert squash("until entry of judgment") in flat and squash(f"{rate}% per year under {citation}") in flat


def test_a_california_complaint_states_the_venue_facts_verified(db, tmp_path):
    case = in_state(db, "CA")
    cf = load_case_file(db, case.ref)
    cf.contract.signed_place = "Santa Monica, CA 90401"
    db.flush()
    ctx = context(db, case.ref, "debt_claim_petition")
    for text in texts(ctx, tmp_path):
        flat = squash(text)
        assert squash("4. Statement of venue (Cal. Code Civ. Proc. § 396a(a)). This action arises from a loan intended "
                      "primarily for personal, family or household use and is subject to Cal. Code Civ. Proc. "
                      f"§ 395(b). Defendant resides at {cf.borrower.habitual_address}, in Los Angeles County, "
                      "California. Defendant signed the agreement sued on at Santa Monica, CA 90401, in Los Angeles "
                      "County, California. This action is therefore commenced in the proper court") in flat
        assert squash("Declaration re venue (Cal. Code Civ. Proc. §§ 396a(a), 446(a), 2015.5)") in flat  # its officer
        assert squash("I have read paragraph 4 of this complaint, the statement of venue") in flat
        assert squash("I declare under penalty of perjury under the laws of the State of California") in flat
        assert squash("5. On ") in flat  # the facts follow it, renumbered


def test_a_california_complaint_without_the_defendants_address_is_refused(db):
    case = in_state(db, "CA")
    borrower = load_case_file(db, case.ref).borrower
    borrower.habitual_address, borrower.hukou_address = "", ""  # only the ZIP code tells the county
    db.flush()
    with pytest.raises(RuleViolation) as refused:
        context(db, case.ref, "debt_claim_petition")
    [violation] = refused.value.violations
    assert violation.rule == "US-17"
    assert "§ 396a(a)" in violation.message and "residence address in Los Angeles County" in violation.message


def test_dossier_claim_shows_the_judgment_rate_and_what_a_lawyer_should_confirm(db):
    from io import StringIO

    from rich.console import Console

    from service.cases.claim_view import claim_view
    from service.cli_views import print_claim

    case = in_state(db, "CA")
    cf = load_case_file(db, case.ref)
    view = claim_view(cf, accounts.claim_of(cf, DAY, licensed_cap=get_settings().licensed_cost_cap))
    assert str(view["judgment_interest"]["annual_rate"]) == "0.05"
    out = StringIO()
    print_claim(Console(file=out, width=400), view)
    printed = out.getvalue()
    assert "% a year until entry of judgment" in printed and "until paid\n" not in printed
    assert ("judgment interest (US-15): from entry of judgment until paid at 5 % a year — Cal. Code Civ. Proc. "
            "§ 685.010(a)(2)(A)(ii): the rate for a money judgment of under $50,000 on a claim related to personal "
            "debt") in printed
    assert "a lawyer should confirm: the 5 % rate is for a money judgment of under $50,000" in printed
