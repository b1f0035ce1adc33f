"""What is stored is enforced: a number flagged do-not-call is never called (CN-05; US-04,
12 CFR 1006.14(h)), however it is written; other numbers and other media are not affected."""

import pytest
from sqlalchemy import func, select

from service.cases.models import Communication
from tests.conftest import auth
from tests.factories import import_case


def _post(client, keys, ref, **over):
    body = {"channel": "call", "to_address": "13800138000", "sent_at": "2026-11-20T10:00:00+08:00",
            "outcome": "no_answer", **over}
    return client.post(f"/v1/cases/{ref}/communications", headers=auth(keys["collector"]), json=body)


@pytest.mark.parametrize("written", ["13800138000", "+86 138-0013-8000", "8613800138000"])
def test_a_do_not_call_number_is_refused_and_nothing_is_written(client, keys, db, written):
    case = import_case(db, borrower={"phones": [{"number": "13800138000", "do_not_call": True},
                                                {"number": "13900001111"}]})
    before = db.scalar(select(func.count()).select_from(Communication))
    r = _post(client, keys, case.ref, to_address=written)
    assert r.status_code == 422, r.text
    assert [v["rule"] for v in r.json()["violations"]] == ["CN-05"]
    assert "8000 is flagged do-not-call" in r.json()["violations"][0]["message"]
    assert db.scalar(select(func.count()).select_from(Communication)) == before
    assert _post(client, keys, case.ref, to_address="13900001111").status_code == 201
    assert _post(client, keys, case.ref, channel="sms", outcome="delivered").status_code == 201


def test_a_us_consumers_opt_out_of_a_number_is_honoured(client, keys, db):
    case = import_case(db, profile="US", us_state="IL", borrower={
        "name": "James Miller", "id_type": "us_ssn", "id_number": "123-45-6789", "timezone": "America/Chicago",
        "phones": [{"number": "+1-312-555-0178", "do_not_call": True}]})
    r = _post(client, keys, case.ref, to_address="(312) 555-0178", sent_at="2026-11-20T10:00:00-06:00")
    assert r.status_code == 422
    assert [v["rule"] for v in r.json()["violations"]] == ["US-04"]
