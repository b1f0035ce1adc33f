"""US-23: a pleading is signed by an attorney admitted in the forum state, with the bar number
there; a California pleading opens with the attorney's identification (Cal. Rules of Court
2.111(1)). Review (US-00007): the California complaint was signed "Daniel Harper, Bar No.
____________" by an Illinois firm, with no attorney block on page 1, and printed the defendant's
telephone number. Bar admissions are rows (BarAdmission), one per lawyer and state."""

import pytest
from sqlalchemy import select

from service.cases import firms
from service.cases.models import BarAdmission, LawFirm
from service.cases.schemas import LawFirmIn, LawFirmPatch
from service.core.errors import RuleViolation
from tests.conftest import auth
from tests.documents.conftest import squash
from tests.documents.legal_cases import context, texts
from tests.documents.test_acceleration_notices import in_state

FIRM = {"code": "HCLAW", "name": "Harper & Cole LLP", "profile": "US", "postal_code": "60601",
        "address": "77 West Wacker Drive, Suite 4100, Chicago, IL 60601", "phone": "312-555-0190",
        "lead_lawyer": "Daniel Harper", "lead_lawyer_phone": "312-555-0191",
        "lead_lawyer_email": "dharper@harpercole.example"}


def _assigned(db, state: str, bars: dict[str, str]):  # type: ignore[no-untyped-def]
    case = in_state(db, state)
    case.law_firm_id = firms.save_law_firm(db, LawFirmIn(**FIRM, lead_lawyer_bars=bars)).id
    db.flush()
    db.expire_all()
    return case


def test_a_california_complaint_opens_with_the_attorney_block_and_is_signed_with_the_california_number(db, tmp_path):
    case = _assigned(db, "CA", {"IL": "6301234", "CA": "318842"})
    for text in texts(context(db, case.ref, "debt_claim_petition"), tmp_path):
        flat = squash(text)
        block = flat[:flat.index(squash("IN THE SUPERIOR COURT OF CALIFORNIA"))]
        for line in ("Daniel Harper (State Bar No. 318842)", "Harper & Cole LLP", FIRM["address"],
                     "Telephone: 312-555-0191", "E-mail: dharper@harpercole.example",
                     "Attorney for Plaintiff Lakeside Consumer Credit, LLC"):
            assert squash(line) in block, line
        assert squash("Daniel Harper, State Bar No. 318842 Attorney for Plaintiff") in flat and "6301234" not in flat
        assert "BarNo.____" not in flat
        # the defendant's address pleads residence and service; the telephone number is not pleaded
        assert squash("resides at 880 S Figueroa St") in flat or "residesat" in flat
        assert "5550178" not in flat and "telephone+1" not in flat.lower()


def test_an_illinois_complaint_has_no_california_block_but_its_signature_number(db, tmp_path):
    case = _assigned(db, "IL", {"IL": "6301234", "CA": "318842"})
    for text in texts(context(db, case.ref, "debt_claim_petition"), tmp_path):
        flat = squash(text)
        # Illinois numbers its attorneys by their ARDC registration (the state table's label, US-23)
        assert "(ARDCNo." not in flat and squash("Daniel Harper ARDC No. 6301234") in flat and "StateBar" not in flat


@pytest.mark.parametrize(("state", "name"), [("CA", "California"), ("NY", "New York")])
def test_a_complaint_whose_signer_is_not_admitted_in_the_forum_state_is_refused_naming_it(db, state, name):
    case = _assigned(db, state, {"IL": "6301234", "TX": "24081234"})
    with pytest.raises(RuleViolation) as refused:
        context(db, case.ref, "debt_claim_petition")
    [v] = refused.value.violations
    assert v.rule == "US-23"
    assert f"Daniel Harper of Harper & Cole LLP, who has no bar number for {name} ({state}) on file" in v.message


def test_admissions_are_rows_of_the_lead_lawyer_and_a_new_lead_lawyer_has_none(db):
    firm = firms.save_law_firm(db, LawFirmIn(**FIRM, lead_lawyer_bars={"IL": "6301234", "CA": "318842"}))
    rows = db.scalars(select(BarAdmission).where(BarAdmission.law_firm_id == firm.id)).all()
    assert sorted((r.lawyer, r.state, r.bar_number) for r in rows) == [
        ("Daniel Harper", "CA", "318842"), ("Daniel Harper", "IL", "6301234")]
    firms.update_firm(db, firm.id, LawFirmPatch(lead_lawyer_bars={"CA": "318843", "NY": "5298413"}), actor="t")
    db.expire_all()
    firm = db.get(LawFirm, firm.id)
    assert firm is not None and firm.lead_lawyer_bars == {"CA": "318843", "NY": "5298413"}
    firms.update_firm(db, firm.id, LawFirmPatch(lead_lawyer="Ruth Cole"), actor="t")
    assert firm.lead_lawyer_bars == {}  # Daniel Harper's admissions are not Ruth Cole's


def test_a_bar_admission_outside_the_us_states_is_refused_naming_the_field(client, keys):
    answer = client.post("/v1/law-firms", json={**FIRM, "lead_lawyer_bars": {"ZZ": "1"}}, headers=auth(keys["admin"]))
    assert answer.status_code == 422, answer.text
    assert [e["field"] for e in answer.json()["errors"]] == ["lead_lawyer_bars"]
    assert "'ZZ' is not a US state" in answer.text
