"""Review F21: the affidavit's limitation paragraph also says what revives an expired period, from
US-15's table: in New York nothing does (CPLR 214-i, the Consumer Credit Fairness Act)."""

from tests.documents.legal_cases import context, texts
from tests.documents.test_acceleration_notices import in_state


def _paragraph(db, state: str, tmp_path) -> list[str]:
    case = in_state(db, state, rate="0.12")
    return [" ".join(t.split()) for t in texts(context(db, case.ref, "affidavit_of_debt"), tmp_path)]


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
                "debt (Cal. Code Civ. Proc. 360 (signed written acknowledgment)).") in text
