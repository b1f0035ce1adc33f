"""The US court sets as a reviewing collections attorney read them (anchor 2026-12-06; here the
court sets' own anchor):

- US-00006 (NY, a payment plan whose last instalment fell due before its default clause took
  effect): the complaint said "final payment was due on September 29, 2026. The amount due on that
  date was $3,648.22", the notice of default's "Then due" after the cure period (the plan
  instalment, the suspended interest revived and a day of default interest). On the final payment
  date only the unpaid plan instalment was due: the amount due then is what the claim computation
  says was due on that date (Claim.due_now before the default clause or acceleration), the amount
  claimed now stated apart.
"""

import zipfile
from datetime import timedelta

import pikepdf
from sqlalchemy import select

from service.cases import accounts
from service.core.settings import get_settings
from service.demo.history import RECORDS_ON_FILE, REVIEWED, at_local
from service.documents.format import date_en, usd
from service.packets.build import build_packet
from service.packets.models import EvidenceItem
from tests.demo.test_us_pleadings import ANCHOR, by_state  # noqa: F401  (the court sets fixture)
from tests.documents.conftest import pdf_text, squash
from tests.documents.legal_cases import context, texts


def test_the_amount_due_on_the_final_payment_date_is_what_was_due_then(by_state, db, tmp_path):  # noqa: F811
    cf = by_state["NY"]
    plan = cf.current_plan
    assert plan is not None
    last = plan.instalments[-1]
    ctx = context(db, cf.case.ref, "debt_claim_petition", day=ANCHOR)
    assert ctx.final_due_date == last.due_date  # type: ignore[attr-defined]
    at_final = accounts.claim_of(cf, last.due_date, licensed_cap=get_settings().licensed_cost_cap)
    # the plan's default clause takes effect only after the cure period: on the final payment date
    # the computation's total is what would fall due on it, the instalment alone was due
    assert not at_final.accelerated and at_final.due_now == last.amount < at_final.claimed_total
    assert ctx.due_at_final == last.amount  # type: ignore[attr-defined]
    claim = ctx.claim  # type: ignore[attr-defined]
    for text in texts(ctx, tmp_path):
        flat = squash(text)
        assert squash(f"final payment was due on {date_en(last.due_date)}, the date of the plan's last installment. "
                      f"The amount due on that date was {usd(last.amount)}.") in flat
        assert squash(f"The amount due on that date was {usd(at_final.claimed_total)}") not in flat
        assert squash(f"As of {date_en(ANCHOR)}, after all payments and credits, Defendant owes Plaintiff "
                      f"{usd(claim.claimed_total)}") in flat
    # CA: accelerated before its plan's last due date: what was due on the acceleration date is the
    # balance that fell due and that day's default interest (its first day, R-14), the amount the
    # notice of default (its exhibit) states as then due (review: the complaint pleaded 36,003.21,
    # the notice 36,017.76, the statement of account counted from that day)
    cf = by_state["CA"]
    ctx = context(db, cf.case.ref, "debt_claim_petition", day=ANCHOR)
    final = ctx.final_due_date  # type: ignore[attr-defined]
    at = accounts.claim_of(cf, final, licensed_cap=get_settings().licensed_cost_cap)
    assert at.agreement is not None and at.agreement.accelerated_on == final and at.agreement.penalty > 0
    assert ctx.due_at_final == at.claimed_total  # type: ignore[attr-defined]
    assert ctx.first_day_interest == at.agreement.penalty  # type: ignore[attr-defined]
    said = squash(f"The amount due on that date was {usd(at.claimed_total)}: the unpaid balance of "
                  f"{usd(at.claimed_total - at.agreement.penalty)} that fell due, and default interest of "
                  f"{usd(at.agreement.penalty)} for that day")
    for text in texts(ctx, tmp_path):
        assert said in squash(text)
    # the notice of default, on the last day to cure: "Then due" on the acceleration date, the same amount
    notice = context(db, cf.case.ref, "breach_notice", day=final - timedelta(days=1))
    assert (notice.acceleration.on, notice.acceleration.total) == (final, at.claimed_total)  # type: ignore[attr-defined]
    assert notice.acceleration.penalty == at.agreement.penalty  # type: ignore[attr-defined]
    assert squash(f"Then due {usd(at.claimed_total)}") in squash(texts(notice, tmp_path)[0])


NAMES = {  # state → (caption number, heading, the statement's word, contents title of the pleading, of the statement)
    "NY": ("Index No.", "Affirmation of {declarant} re Account", "affirmation", "Complaint", "Affirmation re account"),
    "CA": ("Case No.", "Declaration of {declarant} re Account", "declaration", "Complaint", "Declaration re account"),
    "TX": ("Cause No.", "Affidavit of Debt", "affidavit", "Petition", "Affidavit of debt"),
    "IL": ("Case No.", "Affidavit of Debt", "affidavit", "Complaint", "Affidavit of debt"),
}
CPLR_2106 = ("I affirm this ______ day of ____________, ________, under the penalties of perjury under the laws of New "
             "York, which may include a fine or imprisonment, that the foregoing is true, and I understand that this "
             "document may be filed in an action or proceeding in a court of law.")


def test_each_state_names_its_court_papers_as_its_rules_do(by_state, db, tmp_path):  # noqa: F811
    """The reviewer: the NY caption said "Case No." (CPLR 305(a): an index number); the NY affidavit
    pre-printed "State of New York, County of ____, ss." for a custodian signing in Chicago (an
    affidavit sworn outside New York needs a certificate of conformity, CPLR 2309(c)); the California
    declaration under penalty of perjury was titled "Affidavit of Debt" with "Attachment A to this
    affidavit"; the California complaint's "Count I: breach of contract" (Cal. Rules of Court 2.112);
    New York's limitation paragraph said a payment or acknowledgment restarts the period (the Consumer
    Credit Fairness Act: neither does). Names and forms are US-25's data, per state."""
    for state, (number, heading, word, _, _) in NAMES.items():
        cf = by_state[state]
        ctx = context(db, cf.case.ref, "affidavit_of_debt", day=ANCHOR)
        affiant = ctx.affiant  # type: ignore[attr-defined]
        defendant = ctx.defendant.name  # type: ignore[attr-defined]
        for text in texts(ctx, tmp_path):
            flat = squash(text)
            assert squash(f"{number} ____________") in flat, state
            assert squash(heading.replace("{declarant}", affiant)) in flat, state
            assert squash(f"authorized to make this {word} on its behalf") in flat, state
            assert squash(f"Attachment A to this {word}: Statement of account") in flat, state
            assert squash(f"State of {ctx.state_name}, County of") not in flat, state  # type: ignore[attr-defined]
            if state == "NY":
                assert squash("Affirmation under penalty of perjury in lieu of affidavit under CPLR 2106") in flat
                assert squash(CPLR_2106) in flat
                assert "sworn" not in flat and "Notary" not in flat
                # no limitation law in a records custodian's affirmation: the complaint pleads the period (7b7d532)
                assert "restarted" not in flat and "CPLR214-i" not in flat
            if state == "IL":  # a notarized affidavit: the venue is where it is sworn, for the notary
                assert squash("State of ____________, County of ____________, ss.") in flat
            if word != "affidavit":
                assert "Affidavitof" not in flat and "thisaffidavit" not in flat, state
        for text in texts(context(db, cf.case.ref, "debt_claim_petition", day=ANCHOR), tmp_path):
            flat = squash(text)
            assert squash(f"{number} ____________") in flat, state
            cause = squash(f"FIRST CAUSE OF ACTION (Breach of Contract — Against Defendant {defendant})")
            assert (cause in flat) is (state == "CA"), state
            assert ("Count I: breach of contract" in text) is (state in ("NY", "IL")), state


def test_the_packet_lists_and_bookmarks_each_paper_by_its_states_name(by_state, db, settings, tmp_path):  # noqa: F811
    """The packet's cover listed "Petition or complaint" and "Affidavit of debt" in California and
    New York alike: its contents and bookmarks name each paper as the paper does (US-25)."""
    for state in ("CA", "TX"):
        _, _, _, pleading, statement = NAMES[state]
        out = tmp_path / state
        out.mkdir()
        build_packet(db, settings, by_state[state].case.ref, out / "p.zip", as_of=ANCHOR, draft=True)
        with zipfile.ZipFile(out / "p.zip") as z:
            (out / "packet.pdf").write_bytes(z.read("packet.pdf"))
        flat = squash(pdf_text((out / "packet.pdf").read_bytes(), out))
        contents = flat[flat.index("Contents"):flat.index("Exhibit1")]
        assert squash(pleading) in contents and squash(statement) in contents, state
        assert "Petitionorcomplaint" not in flat and "Affidavitofdebt" not in contents.replace(
            squash(statement), ""), state
        with pikepdf.open(out / "packet.pdf") as pdf, pdf.open_outline() as outline:
            titles = [item.title for item in outline.root]
        assert titles[1:3] == [pleading, statement], (state, titles)


def test_the_custodian_reviews_the_records_once_they_are_on_file(by_state, db):  # noqa: F811
    """US-12 (reader, US-00010): the demo's review was recorded at 9:30 on the anchor day and its
    records uploaded when the seed ran, hours later: the affidavit affirmed a review of records not
    yet on file. The demo's records are on file at a fixed moment of the anchor morning, before it."""
    for state, cf in by_state.items():
        tz = cf.borrower.timezone
        uploaded = {i.received_at for i in db.scalars(select(EvidenceItem).where(EvidenceItem.case_id == cf.case.id))}
        assert uploaded == {at_local(ANCHOR, *RECORDS_ON_FILE, tz)}, state
        assert [r.reviewed_at for r in cf.reviews] == [at_local(ANCHOR, *REVIEWED, tz)], state
        assert max(uploaded) < cf.reviews[-1].reviewed_at, state
        assert context(db, cf.case.ref, "affidavit_of_debt", day=ANCHOR).review is not None, state  # type: ignore[attr-defined]
