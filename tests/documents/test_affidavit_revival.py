"""Review F21 had the affidavit's limitation paragraph say what revives an expired period. A
litigator's review of US-00014 (2026-12-06) found the Texas one wrong ("Once the period has
expired, the same acts revive it (Tex. Civ. Prac. & Rem. Code § 16.065 (a payment does not revive
the debt))": 16.065 says nothing of payments, and the parentheses nested) and a legal conclusion in
a records custodian's mouth besides. The affidavit of debt now states no limitation law in any
state: the petition pleads the period (its limitation paragraph); the affidavit swears to the facts
it runs from (the default, the acceleration, the last payment)."""

import re

import pytest

from tests.documents.legal_cases import context, texts
from tests.documents.test_acceleration_notices import in_state


def _paragraph(db, state: str, tmp_path) -> list[str]:
    case = in_state(db, state, rate="0.12")
    # the page footer ("Page 1 of 2") is not part of a paragraph a page break runs through
    return [" ".join(re.sub(r"Page \d+ of \d+", " ", t).split())
            for t in texts(context(db, case.ref, "affidavit_of_debt"), tmp_path)]


@pytest.mark.parametrize("state", ["NY", "IL", "CA", "TX"])
def test_the_affidavit_states_no_limitation_law_and_numbers_its_paragraphs_in_order(db, tmp_path, state):
    for text in _paragraph(db, state, tmp_path):
        for law in ("limitation period", "revive", "restarted", "CPLR 214-i", "13-206", "§ 360", "§ 337",
                    "16.004", "16.065", "392.307"):
            assert law not in text, (state, law)
        # the facts limitation runs from stay sworn: the default and the last payment
        assert "Defendant defaulted by failing to pay installment" in text, state
        assert "The last payment, of" in text, state
        # paragraphs 1 to 8 in order, the Social Security paragraph last (no gap where limitation was)
        body = text.split(": Statement of account as of")[0]
        numbers = [int(n) for n in re.findall(r"(?<=[.):] )(\d{1,2})\. (?=[A-Z])", body)]
        assert numbers == list(range(1, 9)), (state, numbers)
        assert "8. Defendant's Social Security number ends in" in text, state


def test_a_california_affidavit_is_a_declaration_under_penalty_of_perjury_without_a_notary(db, tmp_path):
    """Review F22: the California affidavit carried a notary's jurat without the notice box Gov.
    Code 8202(b) requires; California takes a declaration under penalty of perjury (CCP 2015.5)."""
    for text in _paragraph(db, "CA", tmp_path):
        assert "Declaration under penalty of perjury in lieu of affidavit under Cal. Code Civ. Proc. § 2015.5" in text
        assert ("I declare under penalty of perjury under the laws of the State of California that the foregoing is "
                "true and correct. Executed on ____________, at ______________________________ "
                "(city and state).") in text
        assert "Notary" not in text and "sworn" not in text and "State of California, County of" not in text
