"""Marking a communication delivered from the case page's timeline: the API's use-case
(activity.record_delivery) behind a CSRF-checked form, offered only on rows still recorded as sent
and only to the roles the route lets do it; audited; a refusal names its field."""

import re
from collections.abc import Callable
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from service.audit.models import AuditEvent
from service.cases import activity
from service.cases.models import Communication, DebtCase
from service.cases.schemas import CommunicationIn
from service.core.clock import today
from tests.factories import import_case
from tests.web.conftest import csrf_of
from tests.web.test_documents_and_downloads import generate

FORM = re.compile(r'<form class="deliver" method="post" action="/cases/([^/]+)/communications/(\d+)/delivered"')


def sent_letter(db: Session, case: DebtCase) -> Communication:
    """A letter recorded as sent yesterday at 10:00 in the borrower's zone, not yet delivered."""
    day = today("Asia/Shanghai") - timedelta(days=1)
    sent_at = datetime.combine(day, time(10), tzinfo=ZoneInfo("Asia/Shanghai"))
    data = CommunicationIn.model_validate({"channel": "letter", "to_address": "北京市朝阳区建国路88号",
                                           "outcome": "sent", "sent_at": sent_at.isoformat()})
    return activity.record_communication(db, case, data, actor="apikey:test")


def offered(page: str) -> list[int]:
    return [int(found[1]) for found in FORM.findall(page)]


def test_legal_staff_mark_a_sent_letter_delivered_and_the_trail_records_it(
        signed_in: Callable[[str], TestClient], db: Session) -> None:
    case = import_case(db)
    letter = sent_letter(db, case)
    client = signed_in("legal_staff")
    page = client.get(f"/cases/{case.ref}").text
    assert offered(page) == [letter.id] and "标记已送达" in page
    answer = client.post(f"/cases/{case.ref}/communications/{letter.id}/delivered",
                         data={"csrf_token": csrf_of(page)}, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    assert answer.headers["location"] == f"/cases/{case.ref}?done=delivered"
    db.refresh(letter)
    assert letter.outcome == "delivered"
    event = db.scalars(select(AuditEvent).where(AuditEvent.action == "communication.delivered")).one()
    assert (event.actor, event.object_id, event.case_id) == ("user:wlegal", str(letter.id), case.id)
    after = client.get(answer.headers["location"]).text
    assert "已登记送达借款人。" in after and "送达已登记" in after and offered(after) == []


def test_a_generated_notice_is_offered_on_its_row_and_english_labels_it(
        signed_in: Callable[[str], TestClient], db: Session) -> None:
    case = import_case(db)  # REMINDER: the pre-notice letter is generated and recorded as sent (no contact hours)
    client = signed_in("collector")
    doc_id = generate(client, case.ref, "credit_report_prenotice", "pdf")
    notice = db.scalars(select(Communication).where(Communication.document_id == doc_id)).one()
    client.get(f"/lang/en-US?next=/cases/{case.ref}")
    page = client.get(f"/cases/{case.ref}").text
    assert offered(page) == [notice.id]
    found = re.search(rf"<tr>((?:(?!</tr>).)*/communications/{notice.id}/delivered(?:(?!</tr>).)*)</tr>", page, re.S)
    assert found, "no timeline row offers the notice's delivery"
    row = found.group(1)
    assert "Document generated" in row and ">Mark delivered</button>" in row
    answer = client.post(f"/cases/{case.ref}/communications/{notice.id}/delivered",
                         data={"csrf_token": csrf_of(page)}, headers={"HX-Request": "true"})
    assert answer.status_code == 204 and answer.headers["HX-Redirect"] == f"/cases/{case.ref}?done=delivered"
    assert "The delivery to the borrower was recorded." in client.get(answer.headers["HX-Redirect"]).text


def test_a_second_delivery_is_refused_naming_the_communication(signed_in: Callable[[str], TestClient],
                                                              db: Session) -> None:
    case = import_case(db)
    letter = sent_letter(db, case)
    client = signed_in("legal_staff")
    token = csrf_of(client.get(f"/cases/{case.ref}").text)
    url = f"/cases/{case.ref}/communications/{letter.id}/delivered"
    assert client.post(url, data={"csrf_token": token}, follow_redirects=False).status_code == 303
    again = client.post(url, data={"csrf_token": token})
    assert again.status_code == 422 and "<code>communication</code>" in again.text and "delivered" in again.text
    htmx = client.post(url, headers={"X-CSRF-Token": token, "HX-Request": "true"})
    assert htmx.status_code == 422 and htmx.headers["HX-Retarget"] == "#flash"
    assert "<code>communication</code>" in htmx.text
    other = import_case(db)
    foreign = client.post(f"/cases/{other.ref}/communications/{letter.id}/delivered", data={"csrf_token": token})
    assert foreign.status_code == 422 and f"has no communication {letter.id}" in foreign.text
    past_range = client.post(f"/cases/{case.ref}/communications/2147483648/delivered", data={"csrf_token": token})
    assert past_range.status_code == 422 and "communication_id" in past_range.text
    assert len(db.scalars(select(AuditEvent).where(AuditEvent.action == "communication.delivered")).all()) == 1


def test_without_csrf_nothing_is_marked(signed_in: Callable[[str], TestClient], db: Session) -> None:
    case = import_case(db)
    letter = sent_letter(db, case)
    answer = signed_in("legal_staff").post(f"/cases/{case.ref}/communications/{letter.id}/delivered")
    assert answer.status_code == 403
    db.refresh(letter)
    assert letter.outcome == "sent"


def test_a_law_firm_is_neither_offered_nor_allowed(signed_in: Callable[[str], TestClient], db: Session) -> None:
    case = import_case(db)
    activity.assign(db, case, "WFIRM", actor="test")
    letter = sent_letter(db, case)
    client = signed_in("law_firm")
    page = client.get(f"/cases/{case.ref}").text
    assert offered(page) == [] and "标记已送达" not in page
    answer = client.post(f"/cases/{case.ref}/communications/{letter.id}/delivered",
                         data={"csrf_token": csrf_of(page)})
    assert answer.status_code == 403
    db.refresh(letter)
    assert letter.outcome == "sent"


def test_the_form_takes_the_delivery_moment_in_the_borrowers_time_and_names_a_wrong_one(
        signed_in: Callable[[str], TestClient], db: Session) -> None:
    """Issue 8: the delivery proof's moment, in the borrower's local time (a letter signed for
    after it went); one before the letter was sent is refused naming delivered_at."""
    case = import_case(db)
    letter, other = sent_letter(db, case), sent_letter(db, case)
    client = signed_in("legal_staff")
    page = client.get(f"/cases/{case.ref}").text
    assert 'name="delivered_at"' in page and "送达时间" in page
    sent = letter.sent_at.astimezone(ZoneInfo("Asia/Shanghai"))
    arrived = (sent + timedelta(hours=2)).replace(tzinfo=None)  # signed for at noon, Beijing time
    answer = client.post(f"/cases/{case.ref}/communications/{letter.id}/delivered",
                         data={"csrf_token": csrf_of(page), "delivered_at": arrived.isoformat(timespec="minutes")},
                         follow_redirects=False)
    assert answer.status_code == 303, answer.text
    db.refresh(letter)
    assert letter.delivered_at == sent + timedelta(hours=2)
    early = (sent - timedelta(hours=1)).replace(tzinfo=None).isoformat(timespec="minutes")
    refused = client.post(f"/cases/{case.ref}/communications/{other.id}/delivered",
                          data={"csrf_token": csrf_of(page), "delivered_at": early})
    assert refused.status_code == 422 and "<code>delivered_at</code>" in refused.text
    db.refresh(other)
    assert other.outcome == "sent" and other.delivered_at is None
