"""US-28 (reader review: "PRECINCT ____, PLACE ____" and "______ JUDICIAL DISTRICT" on the Texas
captions): a Texas Justice Court is named by its precinct and place, a District Court by its judicial
district, which no data of the case gives (the county's precinct map). Legal staff record the one
chosen for filing (API, CLI, the case page), for the court the venue names; every caption prints it;
a filing-ready paper whose court takes one not recorded for it is refused by US-28, naming the field,
while a draft preview prints the blanks and warns."""

from datetime import date

import pytest
from sqlalchemy import select

from service.audit.models import AuditEvent
from service.cases import designation
from service.cases.casefile import load_case_file
from service.cases.models import DebtCase
from service.core.errors import InvalidInput, RuleViolation
from service.core.settings import get_settings
from service.documents import rules as document_rules
from service.documents import service as documents_service
from service.documents.contexts.facts import CaseFacts
from service.documents.registry import Check, get_kind
from service.packets.build import planner_for
from tests.conftest import auth
from tests.documents.conftest import pdf_text, squash
from tests.documents.legal_cases import DAY, context, litigation_case, texts
from tests.documents.test_acceleration_notices import in_state
from tests.factories import DEMO_ANCHOR, demo_clock
from tests.seeded import seed_demo

JUSTICE = "Justice Court, Harris County, Texas"
CAPTION = "IN THE JUSTICE COURT, HARRIS COUNTY, TEXAS, PRECINCT 1, PLACE 2"
BLANKS = "IN THE JUSTICE COURT, HARRIS COUNTY, TEXAS, PRECINCT ____, PLACE ____"
CAP = get_settings().licensed_cost_cap
HOUSTON = "America/Chicago"


def _record(db, case: DebtCase, value: str | None, on: date = DAY) -> designation.Recorded:
    return designation.record(db, case, value, actor="test", licensed_cap=CAP, on=on)


def test_the_designation_is_recorded_for_the_venues_court_in_its_form_and_audited(db):
    case = in_state(db, "TX")
    found = _record(db, case, "  Precinct 1,   Place 2 ")
    assert (found.designation, found.court) == ("Precinct 1, Place 2", JUSTICE)
    assert (case.court_designation, case.court_designation_court) == ("Precinct 1, Place 2", JUSTICE)
    event = db.scalars(select(AuditEvent).where(AuditEvent.action == "case.court_designated")).one()
    assert event.data == {"designation": "Precinct 1, Place 2", "court": JUSTICE}
    assert _record(db, case, "Precinct 3").designation == "Precinct 3"  # a precinct with one justice
    with pytest.raises(InvalidInput) as wrong:  # a District Court's designation for a Justice Court
        _record(db, case, "189th Judicial District")
    assert wrong.value.errors[0].field == "court_designation"
    assert "not a precinct and place as Justice Court, Harris County, Texas takes it" in wrong.value.detail
    assert "Precinct 1, Place 2" in wrong.value.detail  # how to write it
    assert case.court_designation == "Precinct 3"  # the refused one changed nothing
    assert _record(db, case, "") == designation.Recorded("", "")  # cleared


def test_a_court_that_takes_no_designation_refuses_one(db):
    illinois = in_state(db, "IL")
    with pytest.raises(InvalidInput) as refused:
        _record(db, illinois, "Precinct 1, Place 2")
    assert refused.value.errors[0].field == "court_designation"
    assert "Circuit Court of Cook County, Illinois takes no designation" in refused.value.detail
    facts = CaseFacts(load_case_file(db, illinois.ref), DAY, demo_clock())  # nothing recorded, nothing refused
    assert document_rules.CHECKS[Check.COURT_DESIGNATION](facts, get_kind("debt_claim_petition")) == []
    cn = litigation_case(db)
    with pytest.raises(InvalidInput, match="CN-24"):
        _record(db, cn, "Precinct 1")


def test_the_captions_print_the_designation_recorded_and_a_draft_prints_the_blanks(db, tmp_path):
    case = in_state(db, "TX")
    for text in texts(context(db, case.ref, "debt_claim_petition"), tmp_path):
        assert squash(BLANKS) in squash(text)  # built without the checks: a draft's caption
    _record(db, case, "Precinct 1, Place 2")
    for kind in ("debt_claim_petition", "affidavit_of_debt"):
        for text in texts(context(db, case.ref, kind), tmp_path):
            flat = squash(text)
            assert squash(CAPTION) in flat and "____,PLACE" not in flat, kind
    # recorded for another court (the claim crossed the Justice Court's limit): not printed
    case.court_designation_court = "District Court of Harris County, Texas"
    db.flush()
    for text in texts(context(db, case.ref, "debt_claim_petition"), tmp_path):
        assert squash(BLANKS) in squash(text)


def test_a_filing_ready_paper_is_refused_without_it_naming_the_field(db):
    case = in_state(db, "TX")
    for kind in ("debt_claim_petition", "affidavit_of_debt", "evidence_index", "packet_cover"):
        with pytest.raises(RuleViolation) as refused:
            documents_service.prepare(db, case_ref=case.ref, kind=kind, fmt="pdf", locale=None, as_of=DAY,
                                      now=demo_clock(), planner=planner_for(get_settings())(db))
        us27 = [v for v in refused.value.violations if v.rule == "US-28"]
        assert len(us27) == 1, kind
        assert "court_designation" in us27[0].message and "precinct and place" in us27[0].message, kind
    _record(db, case, "Precinct 1, Place 2")
    case.court_designation_court = "District Court of Harris County, Texas"
    db.flush()
    with pytest.raises(RuleViolation) as moved:
        documents_service.prepare(db, case_ref=case.ref, kind="debt_claim_petition", fmt="pdf", locale=None,
                                  as_of=DAY, now=demo_clock())
    message = next(v.message for v in moved.value.violations if v.rule == "US-28")
    assert "was recorded for District Court of Harris County, Texas" in message and JUSTICE in message


@pytest.fixture
def texas(db) -> DebtCase:
    """The demo's Texas case at pre-litigation (its designation recorded by the demo's legal staff)."""
    seed_demo(db, anchor=DEMO_ANCHOR, cases=14)
    return db.scalars(select(DebtCase).where(DebtCase.us_state == "TX", DebtCase.stage == "PRE_LITIGATION")).one()


def test_the_demo_records_it_and_a_draft_without_it_warns(texas, db, tmp_path):
    assert (texas.court_designation, texas.court_designation_court) == ("Precinct 1, Place 2", JUSTICE)
    planner = planner_for(get_settings())(db)
    _, _, ctx = documents_service.prepare(db, case_ref=texas.ref, kind="affidavit_of_debt", fmt="pdf", locale=None,
                                          as_of=DEMO_ANCHOR, now=demo_clock(tz=HOUSTON), planner=planner)
    assert squash(CAPTION) in squash(texts(ctx, tmp_path)[0])
    _record(db, texas, "", on=DEMO_ANCHOR)
    shown = documents_service.preview_case(db, case_ref=texas.ref, kind="affidavit_of_debt", as_of=DEMO_ANCHOR,
                                           planner=planner)
    assert [w.rule for w in shown.warnings] == ["US-28"]
    assert squash(BLANKS) in squash(pdf_text(shown.data, tmp_path))


def test_api_cli_and_case_page_record_it(client, keys, db, run):
    case = in_state(db, "TX")
    url = f"/v1/cases/{case.ref}/court-designation"
    assert client.put(url, json={"court_designation": "Precinct 1, Place 2"},
                      headers=auth(keys["collector"])).status_code == 403  # legal staff record it
    bad = client.put(url, json={"court_designation": "Place 2"}, headers=auth(keys["legal_staff"]))
    assert bad.status_code == 422 and "court_designation" in bad.text
    ok = client.put(url, json={"court_designation": "Precinct 2, Place 1"}, headers=auth(keys["legal_staff"]))
    assert ok.status_code == 200, ok.text
    assert ok.json()["court_designation"] == "Precinct 2, Place 1" and ok.json()["court"] == JUSTICE
    detail = client.get(f"/v1/cases/{case.ref}", headers=auth(keys["legal_staff"])).json()
    assert (detail["court_designation"], detail["court_designation_court"]) == ("Precinct 2, Place 1", JUSTICE)
    done = run("court-designation", case.ref, "Precinct 4, Place 1")
    assert done.exit_code == 0, done.output
    assert "Precinct 4, Place 1" in done.output and case.court_designation == "Precinct 4, Place 1"
    wrong = run("court-designation", case.ref, "4th Judicial District")
    assert wrong.exit_code == 1 and "court_designation" in wrong.output
    assert run("court-designation", case.ref).exit_code != 0  # neither a value nor --clear
    assert run("court-designation", case.ref, "--clear").exit_code == 0 and case.court_designation == ""
