"""A mailed letter's carrier and tracking number (service.cases.postal, migration 0036): an EMS 邮件号
is a UPU S10 identifier with its check digit, a USPS tracking number 22 digits (IMpb) or 20 with its
MOD 10 check digit; the API (POST /communications, .../delivered, .../failed, .../mailed) and the
CLI (`dossier mark mailed|delivered|failed`) take them, each wrong one refused naming its field with
nothing written; DOC-11 warns of a mailed letter without one where the case's letters are evidence."""

import sqlite3
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from alembic import command
from sqlalchemy import select
from sqlalchemy.orm import Session

from service.audit.models import AuditEvent
from service.cases import accounts, activity, mailing, postal
from service.cases.casefile import load_case_file
from service.cases.enums import Carrier
from service.cases.rules import load_ruleset
from service.cases.warnings import current_warnings
from service.core.errors import InvalidInput
from service.core.migrate import alembic_config
from tests.cases.test_delivery_date import SENT, _field_error, _letter
from tests.conftest import auth
from tests.factories import import_case

EMS = "EA123456785CN"  # serial 12345678: 8+12+12+8+15+30+63+56 = 204, 204 mod 11 = 6, 11 - 6 = 5
USPS = "9400111899223197428497"
USPS_20 = "71234567890123456788"  # 20 digits (a certified-mail number): its MOD 10 check digit is 8
CN, US = load_ruleset("CN"), load_ruleset("US")


@pytest.mark.parametrize(("serial", "check"), [("12345678", "5"), ("47312482", "9"), ("00000000", "5"),
                                               ("00000001", "4"), ("00000008", "0")])
def test_the_s10_check_digit(serial: str, check: str) -> None:
    # 47312482: the S10 standard's example AA473124829GB; 00000000 (sum 0: 11 → 5); 00000008 (56: 10 → 0)
    assert postal.s10_check_digit(serial) == check


@pytest.mark.parametrize(("carrier", "given", "stored"), [
    ("ems", EMS, EMS), ("EMS", " ea 123 456 785 cn ", EMS), ("ems", "EZ000000005CN", "EZ000000005CN"),
    ("usps", USPS, USPS), ("usps", "9400 1118 9922 3197 4284 97", USPS), ("usps", USPS_20, USPS_20),
])
def test_a_valid_number_is_kept_compact(carrier: str, given: str, stored: str) -> None:
    rules = US if carrier.lower() == "usps" else CN
    assert postal.checked(rules, carrier, given) == (Carrier(carrier.lower()), stored)


@pytest.mark.parametrize(("rules", "carrier", "given", "field", "said"), [
    (CN, "ems", "EA123456789CN", "tracking_no", "check digit 9 where its serial number 12345678 gives 5"),
    (CN, "ems", "EA12345678CN", "tracking_no", "13 characters"),
    (CN, "ems", "RA123456785CN", "tracking_no", "begin with E"),
    (CN, "ems", "EA123456785US", "tracking_no", "ends in CN"),
    (CN, "ems", "1234567890123", "tracking_no", "is not an EMS number"),
    (US, "usps", "9400111899223197428490", "tracking_no", "MOD 10 check digit is 7"),
    (US, "usps", "940011189922319742849", "tracking_no", "22 digits"),  # 21 digits
    (US, "usps", "8400111899223197428497", "tracking_no", "begins 84"),
    (US, "usps", EMS, "tracking_no", "not a USPS tracking number"),
    (US, "usps", "9" * 31, "tracking_no", "at most 30"),
    (CN, "usps", USPS, "carrier", "'usps' is not a carrier a CN case's letters are mailed by: ems"),
    (US, "dhl", USPS, "carrier", "usps"),
    (CN, "ems", "", "tracking_no", "recorded with its tracking number"),
])
def test_a_wrong_number_or_carrier_is_refused_naming_the_field(rules, carrier, given, field, said) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput) as exc:
        postal.checked(rules, carrier, given)
    named, message = _field_error(exc)
    assert named == field and said in message, message


def test_nothing_given_is_none_a_number_alone_is_the_jurisdictions_carrier_and_only_letters_have_one() -> None:
    assert postal.checked(CN, None, None) is None and postal.checked(CN, "", "  ") is None
    assert postal.checked(CN, None, EMS) == (Carrier.EMS, EMS)
    assert postal.checked(US, None, USPS) == (Carrier.USPS, USPS)
    with pytest.raises(InvalidInput) as exc:
        postal.checked(CN, "ems", EMS, channel="sms")
    assert _field_error(exc)[0] == "tracking_no" and "only a letter" in _field_error(exc)[1]


# ------------------------------------------------------------------ the use-cases, the API and the CLI


def test_mailing_is_recorded_audited_and_a_second_number_refused(db: Session) -> None:
    case = import_case(db)
    comm = _letter(db, case)
    mailing.record_mailing(db, case, comm.id, actor="test", carrier=None, tracking_no="ea 123 456 785 cn")
    assert (comm.carrier, comm.tracking_no) == ("ems", EMS)
    event = db.scalars(select(AuditEvent).where(AuditEvent.action == "communication.mailed")).one()
    assert event.data == {"template_kind": "demand_letter", "carrier": "ems", "tracking_no": EMS}
    mailing.record_mailing(db, case, comm.id, actor="test", carrier="ems", tracking_no=EMS)  # the same: no change
    assert len(db.scalars(select(AuditEvent).where(AuditEvent.action == "communication.mailed")).all()) == 1
    with pytest.raises(InvalidInput) as exc:
        mailing.record_mailing(db, case, comm.id, actor="test", carrier="ems", tracking_no="EB123456785CN")
    assert _field_error(exc)[0] == "tracking_no" and "mailed under ems EA123456785CN" in _field_error(exc)[1]
    with pytest.raises(InvalidInput) as exc:  # marked delivered under another number: refused, still sent
        activity.record_delivery(db, case, comm.id, actor="test", tracking_no="EB123456785CN")
    assert _field_error(exc)[0] == "tracking_no" and comm.outcome == "sent" and comm.tracking_no == EMS


def test_delivery_and_return_take_the_number_and_a_wrong_one_changes_nothing(db: Session) -> None:
    case = import_case(db)
    delivered, returned, other = _letter(db, case), _letter(db, case), _letter(db, case)
    with pytest.raises(InvalidInput) as exc:
        activity.record_delivery(db, case, delivered.id, actor="test", at=SENT + timedelta(days=2),
                                 carrier="ems", tracking_no="EA123456789CN")
    assert _field_error(exc)[0] == "tracking_no"
    assert delivered.outcome == "sent" and delivered.delivered_at is None and delivered.tracking_no is None
    activity.record_delivery(db, case, delivered.id, actor="test", at=SENT + timedelta(days=2), tracking_no=EMS)
    assert (delivered.outcome, delivered.carrier, delivered.tracking_no) == ("delivered", "ems", EMS)
    event = db.scalars(select(AuditEvent).where(AuditEvent.action == "communication.delivered")).one()
    assert event.data["tracking_no"] == EMS and event.data["carrier"] == "ems"
    activity.record_failure(db, case, returned.id, actor="test", at=SENT + timedelta(days=3), reason="refused",
                            carrier="ems", tracking_no="EZ000000005CN")
    assert (returned.outcome, returned.tracking_no) == ("failed", "EZ000000005CN")
    activity.record_delivery(db, case, other.id, actor="test", at=SENT + timedelta(days=2))  # none given: none kept
    assert other.tracking_no is None and other.carrier is None


def test_only_an_outbound_letter_that_went_out_takes_a_number(db: Session) -> None:
    case = import_case(db)
    inbound = _letter(db, case, direction="in")
    with pytest.raises(InvalidInput) as exc:
        mailing.record_mailing(db, case, inbound.id, actor="test", carrier=None, tracking_no=EMS)
    assert _field_error(exc)[0] == "communication"
    with pytest.raises(InvalidInput) as exc:
        mailing.record_mailing(db, case, 10**15, actor="test", carrier=None, tracking_no=EMS)
    assert _field_error(exc)[0] == "communication"
    assert inbound.tracking_no is None


def test_the_api_round_trip(client, keys, db: Session) -> None:  # type: ignore[no-untyped-def]
    case = import_case(db)
    h, url = auth(keys["collector"]), f"/v1/cases/{case.ref}/communications"
    sent = datetime.combine(datetime.now(UTC).date() - timedelta(days=3), time(10, 0), tzinfo=ZoneInfo("Asia/Shanghai"))
    letter = {"channel": "letter", "to_address": "北京市朝阳区建国路88号", "sent_at": sent.isoformat(),
              "outcome": "sent", "template_kind": "demand_letter"}
    r = client.post(url, headers=h, json={**letter, "carrier": "ems", "tracking_no": "EA 123 456 785 CN"})
    assert r.status_code == 201, r.text
    assert (r.json()["carrier"], r.json()["tracking_no"]) == ("ems", EMS)
    first = r.json()["id"]
    r = client.post(url, headers=h, json={**letter, "carrier": "ems", "tracking_no": "EA123456789CN"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "tracking_no", r.text
    assert "check digit" in r.json()["errors"][0]["message"]
    r = client.post(url, headers=h, json={**letter, "carrier": "usps", "tracking_no": USPS})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "carrier", r.text
    r = client.post(url, headers=h, json={**letter, "carrier": "fedex", "tracking_no": EMS})
    assert r.status_code == 422 and "carrier" in r.text
    r = client.post(url, headers=h, json=letter)  # recorded without: its number comes when it is posted
    assert r.status_code == 201 and r.json()["tracking_no"] is None
    second = r.json()["id"]
    r = client.post(f"{url}/{second}/mailed", headers=h, json={"tracking_no": "EZ000000005CN"})
    assert r.status_code == 200, r.text
    assert (r.json()["carrier"], r.json()["tracking_no"], r.json()["outcome"]) == ("ems", "EZ000000005CN", "sent")
    r = client.post(f"{url}/{second}/mailed", headers=h, json={"tracking_no": "EA000000005CN"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "tracking_no"
    r = client.post(f"{url}/{first}/delivered", headers=h,
                    json={"delivered_at": (sent + timedelta(days=2)).isoformat(), "tracking_no": EMS})
    assert r.status_code == 200 and r.json()["tracking_no"] == EMS, r.text
    comms = {c.id: c for c in load_case_file(db, case.ref).communications}
    assert (comms[first].outcome, comms[first].tracking_no) == ("delivered", EMS)
    assert comms[second].tracking_no == "EZ000000005CN"
    paths = client.get("/openapi.json").json()["paths"]
    examples = {p: paths[f"/v1/cases/{{ref}}/communications{p}"]["post"]["requestBody"]["content"]
                ["application/json"]["examples"] for p in ("", "/{communication_id}/mailed",
                                                           "/{communication_id}/delivered",
                                                           "/{communication_id}/failed")}
    assert examples[""]["letter_by_ems"]["value"]["tracking_no"] == EMS
    assert examples[""]["letter_by_usps"]["value"]["carrier"] == "usps"
    assert examples["/{communication_id}/mailed"]["ems"]["value"] == {"carrier": "ems", "tracking_no": EMS}
    assert examples["/{communication_id}/delivered"]["letter_by_ems"]["value"]["tracking_no"] == EMS
    assert examples["/{communication_id}/failed"]["returned_unknown"]["value"]["tracking_no"] == EMS
    for named in examples.values():  # every example's number is one the API accepts
        for example in named.values():
            value = example["value"]
            if value.get("tracking_no"):
                rules = US if value.get("carrier") == "usps" else CN
                assert postal.checked(rules, value.get("carrier"), value["tracking_no"]) is not None


def test_the_cli_marks_mailed_and_delivered_with_the_number(run, db: Session) -> None:  # type: ignore[no-untyped-def]
    case = import_case(db)
    comm, other = _letter(db, case), _letter(db, case)
    done = run("mark", "mailed", case.ref, str(comm.id), "--tracking", EMS)
    assert done.exit_code == 0, done.output
    assert "mailed by ems under EA123456785CN" in done.output and comm.tracking_no == EMS
    bad = run("mark", "mailed", case.ref, str(other.id), "--tracking", "EA123456789CN")
    assert bad.exit_code == 1 and "tracking_no" in bad.output and other.tracking_no is None
    wrong = run("mark", "delivered", case.ref, str(other.id), "--carrier", "usps", "--tracking", USPS)
    assert wrong.exit_code == 1 and "carrier" in wrong.output and other.outcome == "sent"
    at = (SENT + timedelta(days=2)).astimezone(UTC).isoformat()
    done = run("mark", "delivered", case.ref, str(other.id), "--at", at, "--carrier", "EMS", "--tracking",
               "EZ 000 000 005 CN")
    assert done.exit_code == 0, done.output
    assert "mailed by ems under EZ000000005CN" in done.output
    assert (other.outcome, other.tracking_no) == ("delivered", "EZ000000005CN")


def test_the_migration_adds_and_drops_the_tracking_columns(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    command.upgrade(alembic_config(url), "0035")
    command.upgrade(alembic_config(url), "0036")
    with sqlite3.connect(tmp_path / "old.db") as conn:
        columns = {c[1]: c for c in conn.execute("PRAGMA table_info(communication)")}
    assert {"carrier", "tracking_no"} <= set(columns)
    assert columns["carrier"][3] == 0 and columns["tracking_no"][3] == 0  # nullable: old rows have none
    command.downgrade(alembic_config(url), "0035")
    with sqlite3.connect(tmp_path / "old.db") as conn:
        columns = {c[1]: c for c in conn.execute("PRAGMA table_info(communication)")}
    assert not {"carrier", "tracking_no"} & set(columns)


# ------------------------------------------------------------------ DOC-11: the warning


def test_doc10_warns_of_each_mailed_letter_without_its_number_at_a_litigation_stage(db: Session) -> None:
    case = import_case(db, stage="PRE_LITIGATION")
    letter, tracked, sms = _letter(db, case), _letter(db, case), _letter(db, case)
    sms.channel = "sms"
    mailing.record_mailing(db, case, tracked.id, actor="test", carrier=None, tracking_no=EMS)
    db.flush()
    cf = load_case_file(db, case.ref)
    (found,) = postal.untracked_letters(cf)
    assert found.rule == "DOC-11"
    assert f"communication {letter.id}" in found.message and "no tracking number" in found.message
    assert f"/v1/cases/{case.ref}/communications/{letter.id}/mailed" in found.message
    assert f"通讯记录{letter.id}" in found.localized["zh-CN"]
    on = SENT.astimezone(ZoneInfo("Asia/Shanghai")).date()
    assert postal.untracked_letters(cf, on - timedelta(days=1)) == []  # not mailed yet by then
    warned = current_warnings(cf, accounts.limitation_of(cf), now=datetime.now(UTC), on=on)
    assert [w for w in warned if w.rule == "DOC-11"] == [found]
    case.stage = "REMINDER"  # before litigation the letters are not yet evidence
    assert postal.case_warnings(load_case_file(db, case.ref), on) == []
    mailing.record_mailing(db, case, letter.id, actor="test", carrier="ems", tracking_no="EZ000000005CN")
    case.stage = "PRE_LITIGATION"
    assert postal.case_warnings(load_case_file(db, case.ref), on) == []
