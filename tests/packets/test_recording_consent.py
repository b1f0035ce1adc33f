"""Litigator's review (demo packets): California call recordings were filed with no consent record.
Cal. Penal Code 632 forbids recording a confidential call without the consent of every party, and a
recording so made is inadmissible (632(d)). US-26: in a state that requires it, a packet files a call
recording only where the call's record shows the recording disclosure given and the borrower's
consent (communication.recording_consent), and the exhibit index says so; a recording without it is
withheld, with the reason, on the cover and in the manifest. Issue 10: so in every state of the rule's
table (Florida, Illinois, Maryland, Massachusetts, Montana, New Hampshire, Pennsylvania, Washington),
each with its own statute; in a one-party state nothing changes."""

import json
from datetime import UTC, datetime

import pytest

from service.cases.casefile import load_case_file
from service.cases.models import Communication
from service.cases.rules import load_ruleset
from service.packets.models import EvidenceItem
from service.packets.plan import plan_packet
from tests.conftest import auth
from tests.documents.conftest import TEMPLATES
from tests.documents.legal_cases import us_case


def _call(db, case, *, consent: bool) -> Communication:  # type: ignore[no-untyped-def]
    sent = datetime(2025, 2, 20, 16, 0, tzinfo=UTC)
    comm = Communication(case_id=case.id, channel="call", direction="out", party_kind="borrower",
                         to_address="3125550178", sent_at=sent, local_time="2025-02-20T10:00:00-06:00",
                         outcome="answered", recording_ref="REC-1", recording_consent=consent, actor="test")
    db.add(comm)
    db.flush()
    return comm


RECORDING = EvidenceItem(id=7, case_id=1, sha256="7" * 64, size=1, media_type="audio/wav", filename="REC-1.wav",
                         title="Recorded collection call", category="call_recording", form="audiovisual",
                         source="Plaintiff's call-center recording system", original_available=True,
                         purpose="Shows the demand for payment", pages=None,
                         received_at=datetime(2025, 3, 1, tzinfo=UTC), actor="test")


def _plan(db, *, state: str, consent: bool):  # type: ignore[no-untyped-def]
    case = us_case(db)
    case.us_state = state
    _call(db, case, consent=consent)
    return plan_packet(load_case_file(db, case.ref), [RECORDING], [], templates_dir=TEMPLATES)


def test_a_california_recording_without_the_calls_consent_is_withheld_with_the_reason(db):
    plan = _plan(db, state="CA", consent=False)
    assert plan.recordings == []
    (reason,) = plan.withheld
    assert reason.startswith("Recorded collection call: California law requires the consent of all parties")
    assert "California" in reason and "Cal. Penal Code 632" in reason and "consent of all parties" in reason
    assert not plan.missing or all("Recorded" not in m for m in plan.missing)  # withheld is no reason for DRAFT


def test_a_california_recording_with_the_calls_consent_is_filed_and_says_so(db):
    plan = _plan(db, state="CA", consent=True)
    assert plan.withheld == []
    (row,) = plan.recordings
    assert row.purpose.startswith("Shows the demand for payment. Recorded with the consent of all parties")
    assert "recording disclosure" in row.purpose and "(Cal. Penal Code 632)" in row.purpose
    assert row.params["recording_consent"] == "Cal. Penal Code 632"


# Issue 10: California is not the only state that asks every party's consent to record a call.
OTHER_ALL_PARTY = [("FL", "Florida", "Fla. Stat. 934.03"), ("IL", "Illinois", "720 ILCS 5/14-2"),
                   ("PA", "Pennsylvania", "18 Pa.C.S. 5704"), ("WA", "Washington", "RCW 9.73.030")]


@pytest.mark.parametrize(("state", "name", "law"), OTHER_ALL_PARTY, ids=[s for s, _, _ in OTHER_ALL_PARTY])
def test_another_all_party_states_recording_without_consent_is_withheld_citing_its_own_statute(db, state, name, law):
    plan = _plan(db, state=state, consent=False)
    assert plan.recordings == []
    (reason,) = plan.withheld
    assert reason.startswith(f"Recorded collection call: {name} law requires the consent of all parties"), reason
    assert f"({law})" in reason and "Cal. Penal Code" not in reason, reason


@pytest.mark.parametrize(("state", "name", "law"), OTHER_ALL_PARTY, ids=[s for s, _, _ in OTHER_ALL_PARTY])
def test_another_all_party_states_recording_with_consent_is_filed_citing_its_own_statute(db, state, name, law):
    plan = _plan(db, state=state, consent=True)
    assert plan.withheld == []
    (row,) = plan.recordings
    assert row.purpose.startswith("Shows the demand for payment. Recorded with the consent of all parties")
    assert f"({law})" in row.purpose and row.params["recording_consent"] == law


def test_every_all_party_state_of_the_rule_cites_a_statute_and_is_named_in_both_languages():
    table = load_ruleset("US").param("US-26", "all_party_consent")
    assert {"CA", "FL", "IL", "MD", "MA", "MT", "NH", "PA", "WA"} <= set(table)
    assert all(isinstance(law, str) and any(ch.isdigit() for ch in law) for law in table.values()), table
    for locale in ("en-US", "zh-CN"):
        words = json.loads((TEMPLATES / "legal" / "packet" / f"exhibits.{locale}.json").read_text())
        assert set(table) <= set(words["recording_consent"]["states"]), locale


@pytest.mark.parametrize("state", ["NY", "TX"])
@pytest.mark.parametrize("consent", [False, True])
def test_in_a_one_party_state_a_recording_is_filed_as_before(db, state, consent):
    plan = _plan(db, state=state, consent=consent)
    assert plan.withheld == [] and len(plan.recordings) == 1
    assert plan.recordings[0].purpose == "Shows the demand for payment"


def test_the_api_records_a_calls_recording_consent(client, keys, case, db):
    r = client.post(f"/v1/cases/{case.ref}/communications", headers=auth(keys["collector"]), json={
        "channel": "call", "to_address": "13800138000", "sent_at": "2026-11-20T10:05:00+08:00",
        "outcome": "answered", "recording_ref": "REC-9", "recording_consent": True})
    assert r.status_code == 201, r.text
    assert db.get(Communication, r.json()["id"]).recording_consent is True
    r = client.post(f"/v1/cases/{case.ref}/communications", headers=auth(keys["collector"]), json={
        "channel": "call", "to_address": "13800138000", "sent_at": "2026-11-20T10:15:00+08:00",
        "outcome": "answered", "recording_ref": "REC-10"})
    assert r.status_code == 201, r.text
    assert db.get(Communication, r.json()["id"]).recording_consent is False
