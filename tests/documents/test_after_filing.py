"""DOC-01 after filing (review F14): the documents a suit is filed with are not made again, dated
today with today's figures, once the case is filed: the court holds the ones filed (as of the
filing date, under its case number) and after judgment the judgment's figures govern. CN-00014 at
JUDGMENT got a new complaint, element form and claim statement 暂计至 the day they were printed."""

import pytest

from service.core.errors import RuleViolation
from service.packets.build import build_packet
from tests.documents.legal_cases import DAY, litigation_case, us_case
from tests.documents.test_acceleration_notices import refusals

PRE_FILING = ("civil_complaint", "complaint_elements", "evidence_index", "claim_statement", "court_fee_statement",
              "service_address_confirmation", "power_of_attorney")
AFTER_FILING = ("FILED", "JUDGMENT", "ENFORCEMENT")


def doc01(found: list[str]) -> list[str]:
    return [v for v in found if v.startswith("DOC-01")]


@pytest.mark.parametrize("stage", AFTER_FILING)
def test_the_documents_a_suit_is_filed_with_are_refused_after_filing(db, settings, tmp_path, stage):
    case = litigation_case(db, plan=False)
    case.stage = stage
    db.flush()
    for kind in PRE_FILING:
        assert doc01(refusals(db, case, kind)) == [
            f"DOC-01: {kind} is generated at PRE_LITIGATION; the case is at {stage}"], kind
    with pytest.raises(RuleViolation) as refused:
        build_packet(db, settings, case.ref, tmp_path / "p.zip", as_of=DAY, draft=True)
    assert [v.rule for v in refused.value.violations] == ["DOC-01"]


def test_they_are_made_before_filing(db):
    case = litigation_case(db, plan=False)
    # (the evidence index is made with the packet planner: the packet test builds it)
    assert all(doc01(refusals(db, case, kind)) == [] for kind in PRE_FILING if kind != "evidence_index")


@pytest.mark.parametrize(("stage", "refused"), [("PRE_LITIGATION", False), ("FILED", False), ("JUDGMENT", True),
                                                ("ENFORCEMENT", True)])
def test_the_affidavit_of_debt_may_support_a_default_judgment_but_not_follow_one(db, stage, refused):
    case = us_case(db)
    case.stage, case.accelerated_on = stage, DAY
    db.flush()
    assert bool(doc01(refusals(db, case, "affidavit_of_debt"))) is refused
