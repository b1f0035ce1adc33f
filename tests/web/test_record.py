"""Recording a payment and a contact from the case page: through the API's use-cases and rules."""

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from service.cases.models import Communication, Payment
from tests.factories import import_case
from tests.web.conftest import csrf_of


def test_a_payment_is_recorded_and_allocated(signed_in: Callable[[str], TestClient], db: Session) -> None:
    case = import_case(db)
    client = signed_in("collector")
    token = csrf_of(client.get(f"/cases/{case.ref}").text)
    answer = client.post(f"/cases/{case.ref}/payments", data={"value_date": "2025-03-10", "amount": "500.00",
                                                             "csrf_token": token}, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    page = client.get(answer.headers["location"]).text
    assert "还款已登记" in page and "500.00" in page
    too_much = client.post(f"/cases/{case.ref}/payments", data={"value_date": "2025-03-10", "amount": "900000",
                                                               "csrf_token": token})
    assert too_much.status_code == 422
    assert len(db.scalars(select(Payment).where(Payment.contract_id == case.contract_id)).all()) == 2


def test_a_contact_outside_hours_is_refused_with_its_rule(signed_in: Callable[[str], TestClient],
                                                          db: Session) -> None:
    case = import_case(db)
    client = signed_in("collector")
    token = csrf_of(client.get(f"/cases/{case.ref}").text)
    late = {"channel": "call", "to_address": "13800138000", "outcome": "no_answer", "sent_at": "2026-11-20T23:30",
            "csrf_token": token}
    refused = client.post(f"/cases/{case.ref}/communications", data=late)
    assert refused.status_code == 422 and "CN-01" in refused.text
    ok = client.post(f"/cases/{case.ref}/communications", data={**late, "sent_at": "2026-11-20T10:30"},
                     follow_redirects=False)
    assert ok.status_code == 303, ok.text
    assert db.scalars(select(Communication.outcome).where(Communication.case_id == case.id)).all() == ["no_answer"]


def test_a_call_is_recorded_with_its_recording_and_the_consent_to_it(signed_in: Callable[[str], TestClient],
                                                                     db: Session) -> None:
    case = import_case(db)
    client = signed_in("collector")
    page = client.get(f"/cases/{case.ref}").text
    assert 'name="recording_consent"' in page and 'name="recording_ref"' in page
    call = {"channel": "call", "to_address": "13800138000", "outcome": "answered", "sent_at": "2026-11-20T10:30",
            "recording_ref": "REC-2026-1120-01", "recording_consent": "true", "csrf_token": csrf_of(page)}
    assert client.post(f"/cases/{case.ref}/communications", data=call, follow_redirects=False).status_code == 303
    silent = {**call, "sent_at": "2026-11-20T11:30", "recording_ref": ""}
    del silent["recording_consent"]  # an unticked box is not sent
    assert client.post(f"/cases/{case.ref}/communications", data=silent, follow_redirects=False).status_code == 303
    rows = db.execute(select(Communication.recording_ref, Communication.recording_consent)
                      .where(Communication.case_id == case.id).order_by(Communication.sent_at)).all()
    assert [tuple(r) for r in rows] == [("REC-2026-1120-01", True), ("", False)]
