"""Review of the US court sets by a collections attorney (NY, CA, IL, TX): each state's own rules,
from the state table of US-15, not federal ones and not California's everywhere.

- Venue: the complaint cited 15 U.S.C. 1692i, the FDCPA's venue rule, which binds a debt collector,
  while the plaintiff is the original creditor: it cites the state's venue rule for its court.
- Exhibit indexes cited FRCP 5.2 (federal redaction) in state courts: the state's redaction rule.
- The CA declaration pre-printed "California" as the place of signing (the declarant signs where
  they are: a blank to fill), and lacked the attorney block every paper filed in California opens
  with (Cal. Rules of Court 2.111(1)).
- Citations lacked "§" ("Cal. Code Civ. Proc. 337(a)").
- NY numbers its attorneys by their registration ("Attorney Registration No."), not "Bar No.".
"""

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from service.cases import us_law
from service.cases.rules import load_ruleset
from service.packets.models import EvidenceItem
from tests.documents.conftest import squash
from tests.documents.legal_cases import context, texts
from tests.documents.test_us_bar_admission import _assigned

BARS = {"IL": "6301234", "CA": "318842", "NY": "5298413", "TX": "24081234"}
VENUE = {"TX": "(Tex. R. Civ. P. 502.4(b)(1))",
         "NY": "(N.Y. City Civ. Ct. Act § 301(a))", "CA": "(Cal. Code Civ. Proc. § 395(b))",
         "IL": "(735 ILCS 5/2-101)"}
NY_REDACTION = "22 NYCRR 208.4(b) (Civil Court of the City of New York) and 202.5(e) (Supreme Court)"
REDACTION = {"TX": "Tex. R. Civ. P. 21c", "NY": NY_REDACTION, "CA": "Cal. Rules of Court, rule 1.201(a)",
             "IL": "Ill. S. Ct. R. 138"}
FIRST = {"affidavit_of_debt": "IN THE SUPERIOR COURT OF CALIFORNIA", "evidence_index": "Exhibit Index",
         "claim_statement": "Statement of Account and Computation of Claim"}
BAR_LABEL = {"TX": "State Bar No.", "NY": "Attorney Registration No.", "CA": "State Bar No.", "IL": "ARDC No."}


def test_the_state_table_gives_every_state_its_venue_redaction_and_bar_label():
    rules = load_ruleset("US")
    for state in us_law.states(rules):
        law = us_law.state_law(rules, state)
        assert law.bar_label == BAR_LABEL[state]
        assert all(tier.venue for tier in law.courts), state  # every court its venue rule
    supreme = us_law.state_law(rules, "NY").courts[-1]
    assert supreme.court.startswith("Supreme Court") and supreme.venue == "CPLR 503(f)"  # outside the city


def test_the_fdcpas_venue_rule_is_cited_only_where_a_debt_collector_sues():
    rules = load_ruleset("US")
    found = us_law.venue(us_law.state_law(rules, "CA"), residence=("90017", ""), signed_at="", amount=Decimal(1000))
    assert found is not None and found.court == "Superior Court of California, County of Los Angeles"
    assert us_law.venue_citations(rules, found, "original_creditor") == ("Cal. Code Civ. Proc. § 395(b)",)
    assert us_law.venue_citations(rules, found, "debt_collector") == ("Cal. Code Civ. Proc. § 395(b)",
                                                                     "15 U.S.C. § 1692i(a)(2)")


def test_a_texas_justice_court_suit_cites_the_justice_court_venue_rule_for_the_defendants_residence():
    """Review (US-00013): "Defendant resides there (Tex. Civ. Prac. & Rem. Code § 15.092; ...)":
    § 15.092 is the written-contract rule; a Justice Court's venue where the defendant resides is
    Tex. R. Civ. P. 502.4(b)(1). A venue resting on the signing does not cite the residence rule; a
    debt collector's pleading adds 15 U.S.C. 1692i."""
    rules = load_ruleset("US")
    law = us_law.state_law(rules, "TX")
    lives = us_law.venue(law, residence=("77098", ""), signed_at="", amount=Decimal(1000))
    assert lives is not None and lives.court == "Justice Court, Harris County, Texas" and lives.basis == "residence"
    assert us_law.venue_citations(rules, lives, "original_creditor") == ("Tex. R. Civ. P. 502.4(b)(1)",)
    assert us_law.venue_citations(rules, lives, "debt_collector") == ("Tex. R. Civ. P. 502.4(b)(1)",
                                                                      "15 U.S.C. § 1692i(a)(2)")
    signed = us_law.venue(law, residence=("60622", ""), signed_at="Houston, TX 77098", amount=Decimal(1000))
    assert signed is not None and signed.basis == "signed" and signed.venue_source == "Tex. R. Civ. P. 502.4(b)"
    district = us_law.venue(law, residence=("77098", ""), signed_at="", amount=Decimal(50000))
    assert district is not None and district.venue_source == "Tex. Civ. Prac. & Rem. Code § 15.035(b)"
    assert all("15.092" not in tier.venue + tier.venue_signed for tier in law.courts)


@pytest.mark.parametrize("state", ["TX", "NY", "CA", "IL"])
def test_the_original_creditors_complaint_cites_the_states_venue_rule_not_the_fdcpas(db, tmp_path, state):
    case = _assigned(db, state, BARS)
    for text in texts(context(db, case.ref, "debt_claim_petition"), tmp_path):
        flat = squash(text)
        assert squash(f"because Defendant resides there {VENUE[state]}.") in flat
        assert "1692i" not in flat
        # California's signature under the attorney block: the name and number on one line (its
        # particulars are the attorney block's)
        assert squash(f"Daniel Harper{',' if state == 'CA' else ''} {BAR_LABEL[state]} {BARS[state]}") in flat
        if state == "NY":
            assert "StateBar" not in flat and "BarNo." not in flat


@pytest.mark.parametrize("state", ["TX", "NY", "CA", "IL"])
def test_the_exhibit_index_cites_the_states_redaction_rule_and_bar_label(db, tmp_path, state):
    case = _assigned(db, state, BARS)
    # the signed agreements on file: the note speaks of their copies (a copy not on file shows nothing)
    db.add_all([EvidenceItem(case_id=case.id, sha256=f"{n:064x}", size=1, media_type="application/pdf",
                             filename=f"{category}.pdf", title=category, category=category, form="documentary",
                             source="Plaintiff's records", original_available=True, purpose="-", pages=1,
                             received_at=datetime(2025, 11, 1, tzinfo=UTC), actor="test")
                for n, category in enumerate(("loan_contract", "signed_agreement"), start=1)])
    db.flush()
    ctx = context(db, case.ref, "evidence_index")
    signed = [r.number for r in ctx.rows if r.key in ("loan_contract", "signed_agreement")]  # type: ignore[attr-defined]
    assert signed
    for text in texts(ctx, tmp_path):
        flat = squash(text)
        assert squash(f"Personal identifiers are redacted under {REDACTION[state]}:") in flat
        # review (US-00011): the signed agreements' copies show the agreement number whole, so the note
        # claims the last digits alone only of the papers prepared for the action
        assert squash("in the papers prepared for this action only the last") in flat
        assert "agreementnumberassigned" in flat and squash(f"Exhibit{'s' if len(signed) > 1 else ''} "
                                                            f"{signed[0]}") in flat
        assert "5.2(a)" not in flat and "Fed.R.Civ.P." not in flat
        assert squash(f"Daniel Harper {BAR_LABEL[state]} {BARS[state]}") in flat


def test_the_california_declaration_leaves_the_place_of_signing_blank_and_opens_with_the_attorney_block(
        db, tmp_path):
    case = _assigned(db, "CA", BARS)
    for kind in ("affidavit_of_debt", "evidence_index", "claim_statement"):
        for text in texts(context(db, case.ref, kind), tmp_path):
            flat = squash(text)
            block = flat[:flat.index(squash(FIRST[kind]))]  # what comes before the paper's own heading
            for line in ("Daniel Harper (State Bar No. 318842)", "Harper & Cole LLP", "Telephone: 312-555-0191",
                         "Attorney for Plaintiff Lakeside Consumer Credit, LLC"):
                assert squash(line) in block, (kind, line)
            if kind == "affidavit_of_debt":
                assert squash("Executed on ____________, at ______________________________ (city and state).") \
                    in flat
                assert ",California." not in flat  # the place is where the declarant signs, not pre-printed
                assert squash("under the laws of the State of California") in flat


def test_an_illinois_declaration_has_no_california_block(db, tmp_path):
    case = _assigned(db, "IL", BARS)
    for kind in ("affidavit_of_debt", "claim_statement"):
        for text in texts(context(db, case.ref, kind), tmp_path):
            assert "Telephone:312-555-0191" not in squash(text), kind


@pytest.mark.parametrize(("state", "citations"), [
    ("CA", ["Cal. Code Civ. Proc. § 337(a)", "Cal. Code Civ. Proc. § 360"]),
    ("TX", ["Tex. Civ. Prac. & Rem. Code § 16.004(a)(3)", "Tex. Civ. Prac. & Rem. Code § 16.065"]),
    ("NY", ["N.Y. Gen. Oblig. Law §§ 17-101, 17-107"]),
])
def test_statutes_are_cited_with_the_section_sign(db, tmp_path, state, citations):
    case = _assigned(db, state, BARS)
    for kind in ("affidavit_of_debt", "debt_claim_petition"):
        for text in texts(context(db, case.ref, kind), tmp_path):
            flat = squash(text)
            for citation in citations[:1] if kind == "debt_claim_petition" and state != "NY" else ():
                assert squash(citation) in flat, (kind, citation)
            for bare in ("Proc.337", "Proc.360", "Proc.88", "Code16.", "Law17-"):
                assert bare not in flat, (kind, bare)
