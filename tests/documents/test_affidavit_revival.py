"""Review F21: the affidavit's limitation paragraph also says what revives an expired period, from
US-15's table: in New York nothing does (CPLR 214-i, the Consumer Credit Fairness Act)."""

import re

from tests.documents.legal_cases import context, texts
from tests.documents.test_acceleration_notices import in_state


def _paragraph(db, state: str, tmp_path) -> list[str]:
    case = in_state(db, state, rate="0.12")
    # the page footer ("Page 1 of 2") is not part of a paragraph a page break runs through
    return [" ".join(re.sub(r"Page \d+ of \d+", " ", t).split())
            for t in texts(context(db, case.ref, "affidavit_of_debt"), tmp_path)]


def test_new_york_says_nothing_revives_an_expired_period(db, tmp_path):
    for text in _paragraph(db, "NY", tmp_path):
        assert ("Once the period has expired, no subsequent payment toward, written or oral affirmation of, or "
                "other activity on the debt revives or extends it (CPLR 214-i: after expiry no payment, "
                "affirmation or other activity revives or extends the period).") in text


def test_illinois_says_the_acts_that_restart_it_revive_it(db, tmp_path):
    for text in _paragraph(db, "IL", tmp_path):  # named once, in the restart clause
        assert ("Once the period has expired, the same acts revive it (735 ILCS 5/13-206 (\"within or after the "
                "period\")).") in text


def test_california_names_what_revives_it(db, tmp_path):
    for text in _paragraph(db, "CA", tmp_path):
        assert ("Once the period has expired, it is revived only by Defendant's signed written acknowledgment of the "
                "debt (Cal. Code Civ. Proc. § 360 (signed written acknowledgment)).") in text


def test_a_california_affidavit_is_a_declaration_under_penalty_of_perjury_without_a_notary(db, tmp_path):
    """Review F22: the California affidavit carried a notary's jurat without the notice box Gov.
    Code 8202(b) requires; California takes a declaration under penalty of perjury (CCP 2015.5)."""
    for text in _paragraph(db, "CA", tmp_path):
        assert "Declaration under penalty of perjury in lieu of affidavit under Cal. Code Civ. Proc. § 2015.5" in text
        assert ("I declare under penalty of perjury under the laws of the State of California that the foregoing is "
                "true and correct. Executed on ____________, at ______________________________ "
                "(city and state).") in text
        assert "Notary" not in text and "sworn" not in text and "State of California, County of" not in text
