"""A US lender's licences, state by state, and its NMLS ID (issue 8 §5).

Review (US-00011, California): the complaint's ¶1 said Plaintiff is "a licensee under the California
Financing Law ... license no. NMLS 1234567". An NMLS ID is the nationwide registry's number for the
company, no state's licence number; a CFL licence's looks like "60DBO-12345", and New York,
Illinois and Texas license lenders under their own laws. The lender records each licence (state,
kind, number, issued date) and its NMLS ID apart; the complaint alleges the licence of the case's
state, and where the state's table asks for one the lender does not hold, it is refused."""

from datetime import date
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from alembic import command
from sqlalchemy import select

from service.audit.models import AuditEvent
from service.cases.casefile import load_case_file
from service.cases.models import Lender
from service.cases.rules import load_ruleset
from service.cases.us_law import licence_warnings, plaintiff_licence
from service.core.errors import RuleViolation
from service.core.migrate import alembic_config, upgrade
from tests.cases.test_plan_interest_migration import _row
from tests.conftest import auth
from tests.documents.conftest import squash
from tests.documents.legal_cases import context, texts
from tests.documents.test_acceleration_notices import in_state

US = load_ruleset("US")
CFL = SimpleNamespace(state="CA", kind="cfl", number="60DBO-112233", issued_on=date(2019, 3, 14))
ILLINOIS = SimpleNamespace(state="IL", kind="consumer_installment_lender", number="CI.0004521", issued_on=None)


def test_the_migration_moves_an_nmls_id_out_of_the_licence_number_and_back(tmp_path):
    url = f"sqlite:///{tmp_path / 'm.db'}"
    upgrade(url, "0031")
    engine = sa.create_engine(url)
    with engine.begin() as conn:  # lenders as 0031 stores them
        made: dict[str, int] = {}
        _row(conn, made, "lender", code="LKCC", profile="US", licence_no="NMLS 1234567")
        _row(conn, {}, "lender", code="PRRS", profile="US", licence_no="IL Collection Agency 017.020101")
        _row(conn, {}, "lender", code="HXCF", profile="CN", licence_no="银保监复〔2019〕512号")
    upgrade(url, "0032")
    with engine.begin() as conn:
        rows = conn.execute(sa.text("SELECT code, licence_no, nmls_id FROM lender ORDER BY code")).all()
        assert [tuple(r) for r in rows] == [("HXCF", "银保监复〔2019〕512号", ""),
                                            ("LKCC", "", "1234567"),
                                            ("PRRS", "IL Collection Agency 017.020101", "")]
        conn.execute(sa.text("INSERT INTO lender_licence (lender_id, state, kind, number, issued_on) "
                             "VALUES (:id, 'CA', 'cfl', '60DBO-112233', '2019-03-14')"), {"id": made["lender"]})
        with pytest.raises(sa.exc.IntegrityError), conn.begin_nested():  # one licence of a kind in a state
            conn.execute(sa.text("INSERT INTO lender_licence (lender_id, state, kind, number) "
                                 "VALUES (:id, 'CA', 'cfl', '60DBO-999999')"), {"id": made["lender"]})
    command.downgrade(alembic_config(url), "0031")
    with engine.connect() as conn:
        assert "lender_licence" not in sa.inspect(conn).get_table_names()
        assert "nmls_id" not in {c["name"] for c in sa.inspect(conn).get_columns("lender")}
        rows = conn.execute(sa.text("SELECT code, licence_no FROM lender ORDER BY code")).all()
        assert [tuple(r) for r in rows] == [("HXCF", "银保监复〔2019〕512号"), ("LKCC", "NMLS 1234567"),
                                            ("PRRS", "IL Collection Agency 017.020101")]
    engine.dispose()


def test_the_california_complaint_alleges_the_cfl_licence_with_the_nmls_id_beside_it():
    found = plaintiff_licence(US, "CA", [ILLINOIS, CFL], lender="Lakeside Consumer Credit, LLC", nmls_id="1234567")
    assert found is not None
    assert (found.law, found.number, found.nmls_id) == ("the California Financing Law", "60DBO-112233", "1234567")
    # a state whose table asks for no licence: nothing alleged, whatever the lender holds
    assert plaintiff_licence(US, "IL", [ILLINOIS], lender="Lakeside") is None
    assert plaintiff_licence(US, "NY", [], lender="Lakeside") is None


def test_a_lender_without_a_licence_in_the_state_is_refused_not_pleaded_with_another_number():
    with pytest.raises(RuleViolation) as refused:
        plaintiff_licence(US, "CA", [ILLINOIS], lender="Lakeside Consumer Credit, LLC", nmls_id="1234567")
    (v,) = refused.value.violations
    assert v.rule == "US-15"
    assert "the California Financing Law" in v.message and "Lakeside Consumer Credit, LLC" in v.message
    assert "records none in California" in v.message and "NMLS ID" in v.message
    assert "NMLS" in v.localized["zh-CN"]


def test_the_complaint_of_us_00011_alleges_the_cfl_number_and_never_the_nmls_id_as_it(db, tmp_path):
    """The complaint's ¶1 in California (the demo's US-00011): the lender's CFL licence number, its
    NMLS ID beside it; without a CFL licence on record the complaint is refused, and the case's
    warnings say so before anyone drafts it."""
    case = in_state(db, "CA")
    cf = load_case_file(db, case.ref)
    lender = cf.lender
    assert lender.nmls_id == "1234567" and lender.licence_no == ""
    for text in texts(context(db, case.ref, "debt_claim_petition"), tmp_path):
        flat = squash(text)
        assert squash("Plaintiff is a licensee under the California Financing Law (Cal. Fin. Code §§ 22000 et seq., "
                      "22100), license no. 60DBO-112233 (NMLS ID 1234567); a licensee's loans are exempt from the "
                      "interest limits of Cal. Const. art. XV, § 1 (Cal. Fin. Code § 22002).") in flat
        assert squash("license no. NMLS") not in flat and squash("license no. 1234567") not in flat
    assert not [v for v in licence_warnings(US, cf) if v.rule == "US-15"]
    lender.licences = [x for x in lender.licences if x.state != "CA"]  # licensed in Illinois, New York, Texas
    db.flush()
    cf = load_case_file(db, case.ref)
    with pytest.raises(RuleViolation) as refused:
        context(db, case.ref, "debt_claim_petition")
    assert [v.rule for v in refused.value.violations] == ["US-15"]
    assert "California Financing Law" in refused.value.violations[0].message
    assert [v.rule for v in licence_warnings(US, cf)] == ["US-15"]


def test_an_admin_reads_and_corrects_a_lenders_licences_and_the_trail_names_what_changed(client, keys, db):
    case = in_state(db, "IL")
    code = load_case_file(db, case.ref).lender.code
    admin = auth(keys["admin"])
    shown = client.get(f"/v1/lenders/{code}", headers=admin)
    assert shown.status_code == 200, shown.text
    body = shown.json()
    assert body["nmls_id"] == "1234567"
    assert {(x["state"], x["kind"], x["number"]) for x in body["licences"]} >= {("CA", "cfl", "60DBO-112233")}
    patch = {"nmls_id": "7654321", "licences": [
        {"state": "CA", "kind": "cfl", "number": "60DBO-445566", "issued_on": "2019-03-14"},
        {"state": "IL", "kind": "consumer_installment_lender", "number": "CI.0004521"}]}
    done = client.patch(f"/v1/lenders/{code}", json=patch, headers=admin)
    assert done.status_code == 200, done.text
    assert done.json()["nmls_id"] == "7654321"
    assert [(x["state"], x["kind"], x["number"], x["issued_on"]) for x in done.json()["licences"]] == [
        ("CA", "cfl", "60DBO-445566", "2019-03-14"), ("IL", "consumer_installment_lender", "CI.0004521", None)]
    lender = db.scalars(select(Lender).where(Lender.code == code)).one()
    db.refresh(lender)
    assert {x.state for x in lender.licences} == {"CA", "IL"}
    event = db.scalars(select(AuditEvent).where(AuditEvent.action == "lender.licences_updated")).one()
    assert event.data["licences"] == {"removed": ["NY/licensed_lender", "TX/regulated_lender"], "recorded": ["CA/cfl"]}
    assert "60DBO-445566" not in str(event.data)
    # each refusal names its field: a kind the state does not license, a state that is none, an NMLS ID
    # that is not one, the same licence twice
    for wrong, field in (({"licences": [{"state": "IL", "kind": "cfl", "number": "1"}]}, "licences[0].kind"),
                         ({"licences": [{"state": "ZZ", "kind": "cfl", "number": "1"}]}, "licences.0"),
                         ({"nmls_id": "NMLS 1234567"}, "nmls_id"),
                         ({"licences": [CA := {"state": "CA", "kind": "cfl", "number": "1"}, CA]}, "licences")):
        answer = client.patch(f"/v1/lenders/{code}", json=wrong, headers=admin)
        assert answer.status_code == 422, (wrong, answer.text)
        assert [e["field"] for e in answer.json()["errors"]] == [field], answer.json()
    assert client.patch(f"/v1/lenders/{code}", json=patch, headers=auth(keys["collector"])).status_code == 403
    assert client.get("/v1/lenders/NOPE", headers=admin).status_code == 404
