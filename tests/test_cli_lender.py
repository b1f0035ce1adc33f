"""`dossier lender show` and `dossier lender licences`: a US lender's NMLS ID and its licences,
state by state, read and corrected from the command line (issue 8 §5), each refusal naming what is
wrong, each correction audited as the CLI's."""

import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.audit.models import AuditEvent
from service.cases.casefile import load_case_file
from tests.documents.legal_cases import us_case


def test_show_then_correct_a_lenders_licences(run, db: Session) -> None:  # type: ignore[no-untyped-def]
    code = load_case_file(db, us_case(db).ref).lender.code
    shown = run("lender", "show", code, "--json")
    assert shown.exit_code == 0, shown.output
    body = json.loads(shown.output)
    assert body["nmls_id"] == "1234567" and ("CA", "cfl", "60DBO-112233") in {
        (x["state"], x["kind"], x["number"]) for x in body["licences"]}
    done = run("lender", "licences", code, "--licence", "CA:cfl=60DBO-445566@2019-03-14",
               "--licence", "tx:regulated_lender=1300012345", "--nmls-id", "7654321")
    assert done.exit_code == 0, done.output
    assert "60DBO-445566" in done.output and "NMLS ID 7654321" in done.output
    again = json.loads(run("lender", "show", code, "--json").output)
    assert [(x["state"], x["kind"], x["number"], x["issued_on"]) for x in again["licences"]] == [
        ("CA", "cfl", "60DBO-445566", "2019-03-14"), ("TX", "regulated_lender", "1300012345", None)]
    event = db.scalars(select(AuditEvent).where(AuditEvent.action == "lender.licences_updated")).one()
    assert event.actor == "cli" and event.object_id == code


def test_a_wrong_licence_is_named_and_nothing_changes(run, db: Session) -> None:  # type: ignore[no-untyped-def]
    code = load_case_file(db, us_case(db).ref).lender.code
    for args, named in ((("--licence", "CA=60DBO-1"), "STATE:KIND=NUMBER"),
                        (("--licence", "IL:cfl=1"), "licences[0].kind"),
                        (("--licence", "CA:cfl=1@2019-13-01"), "issued_on"),
                        (("--nmls-id", "NMLS 1"), "nmls_id"),
                        ((), "nothing to correct")):
        result = run("lender", "licences", code, *args)
        assert result.exit_code == 1 and named in result.output, (args, result.output)
    assert len(json.loads(run("lender", "show", code, "--json").output)["licences"]) == 4
    assert run("lender", "show", "NOPE").exit_code == 1
