"""Marking a letter or notice sent as returned undelivered (退回) from the case page's timeline:
the API's use-case (activity.record_failure) behind a CSRF-checked form beside "mark delivered",
offered only on rows still recorded as sent and only to the roles the route lets do it; audited;
a bad reason, or "other" without the slip's words, is refused naming its field and changes nothing."""

import re
from collections.abc import Callable
from datetime import timedelta
from zoneinfo import ZoneInfo

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from service.audit.models import AuditEvent
from service.cases import activity
from tests.factories import import_case
from tests.web.conftest import csrf_of
from tests.web.test_delivery import offered, sent_letter

FORM = re.compile(r'<form class="fail" method="post" action="/cases/([^/]+)/communications/(\d+)/failed"')


def returnable(page: str) -> list[int]:
    return [int(found[1]) for found in FORM.findall(page)]


def failures(db: Session) -> list[AuditEvent]:
    return list(db.scalars(select(AuditEvent).where(AuditEvent.action == "communication.failed")))


def test_legal_staff_mark_a_sent_letter_returned_and_the_trail_and_timeline_show_why(
        signed_in: Callable[[str], TestClient], db: Session) -> None:
    case = import_case(db)
    letter = sent_letter(db, case)
    client = signed_in("legal_staff")
    page = client.get(f"/cases/{case.ref}").text
    assert returnable(page) == offered(page) == [letter.id]
    assert "标记退回" in page and '<option value="unknown_addressee">查无此人</option>' in page
    sent = letter.sent_at.astimezone(ZoneInfo("Asia/Shanghai"))
    back = (sent + timedelta(hours=3)).replace(tzinfo=None).isoformat(timespec="minutes")  # Beijing time
    answer = client.post(f"/cases/{case.ref}/communications/{letter.id}/failed",
                         data={"csrf_token": csrf_of(page), "reason": "refused", "failed_at": back},
                         follow_redirects=False)
    assert answer.status_code == 303, answer.text
    assert answer.headers["location"] == f"/cases/{case.ref}?done=returned"
    db.refresh(letter)
    assert (letter.outcome, letter.failure_reason, letter.failed_at) == ("failed", "refused", sent + timedelta(hours=3))
    [event] = failures(db)
    assert (event.actor, event.object_id, event.case_id) == ("user:wlegal", str(letter.id), case.id)
    assert event.data["reason"] == "refused"
    after = client.get(answer.headers["location"]).text
    assert "已登记退回（未送达借款人）。" in after and "已退回 · 拒收" in after
    assert offered(after) == returnable(after) == []  # a failed row offers neither action


def test_other_with_the_slips_words_in_english_through_htmx(signed_in: Callable[[str], TestClient],
                                                             db: Session) -> None:
    case = import_case(db)
    letter = sent_letter(db, case)
    client = signed_in("collector")
    client.get(f"/lang/en-US?next=/cases/{case.ref}")
    page = client.get(f"/cases/{case.ref}").text
    assert ">Mark returned</summary>" in page and '<option value="moved">Moved, no forwarding address</option>' in page
    answer = client.post(f"/cases/{case.ref}/communications/{letter.id}/failed",
                         data={"csrf_token": csrf_of(page), "reason": "other", "note": "门牌已拆除"},
                         headers={"HX-Request": "true"})
    assert answer.status_code == 204 and answer.headers["HX-Redirect"] == f"/cases/{case.ref}?done=returned"
    after = client.get(answer.headers["HX-Redirect"]).text
    assert "The return (not delivered to the borrower) was recorded." in after
    assert "Returned undelivered · Other（门牌已拆除）" in after
    db.refresh(letter)
    assert (letter.outcome, letter.failure_reason, letter.failure_note) == ("failed", "other", "门牌已拆除")


def test_a_bad_reason_or_other_without_a_note_is_refused_naming_the_field_and_changes_nothing(
        signed_in: Callable[[str], TestClient], db: Session) -> None:
    case = import_case(db)
    letter = sent_letter(db, case)
    client = signed_in("legal_staff")
    token = csrf_of(client.get(f"/cases/{case.ref}").text)
    url = f"/cases/{case.ref}/communications/{letter.id}/failed"
    bad = client.post(url, data={"csrf_token": token, "reason": "lost"})
    assert bad.status_code == 422 and "<code>reason</code>" in bad.text and "unknown_addressee" in bad.text
    bare = client.post(url, headers={"X-CSRF-Token": token, "HX-Request": "true"},
                       data={"reason": "other", "note": "  "})
    assert bare.status_code == 422 and bare.headers["HX-Retarget"] == "#flash"
    assert "<code>note</code>" in bare.text
    early = (letter.sent_at.astimezone(ZoneInfo("Asia/Shanghai")) - timedelta(hours=1)).replace(tzinfo=None)
    before = client.post(url, data={"csrf_token": token, "reason": "moved",
                                    "failed_at": early.isoformat(timespec="minutes")})
    assert before.status_code == 422 and "<code>failed_at</code>" in before.text
    unsent = client.post(url, data={"reason": "moved"})  # no CSRF token
    assert unsent.status_code == 403
    db.refresh(letter)
    assert (letter.outcome, letter.failure_reason, letter.failed_at) == ("sent", None, None)
    assert failures(db) == []


def test_a_delivered_or_returned_row_offers_neither_and_is_refused(signed_in: Callable[[str], TestClient],
                                                                   db: Session) -> None:
    case = import_case(db)
    delivered, returned, waiting = sent_letter(db, case), sent_letter(db, case), sent_letter(db, case)
    activity.record_delivery(db, case, delivered.id, actor="test")
    activity.record_failure(db, case, returned.id, actor="test", reason="unclaimed")
    client = signed_in("legal_staff")
    page = client.get(f"/cases/{case.ref}").text
    assert returnable(page) == offered(page) == [waiting.id]
    for comm in (delivered, returned):
        again = client.post(f"/cases/{case.ref}/communications/{comm.id}/failed",
                            data={"csrf_token": csrf_of(page), "reason": "refused"})
        assert again.status_code == 422 and "<code>communication</code>" in again.text
    assert len(failures(db)) == 1
    db.refresh(delivered)
    assert delivered.outcome == "delivered"


def test_a_law_firm_is_neither_offered_nor_allowed(signed_in: Callable[[str], TestClient], db: Session) -> None:
    case = import_case(db)
    activity.assign(db, case, "WFIRM", actor="test")
    letter = sent_letter(db, case)
    client = signed_in("law_firm")
    page = client.get(f"/cases/{case.ref}").text
    assert returnable(page) == [] and "标记退回" not in page
    answer = client.post(f"/cases/{case.ref}/communications/{letter.id}/failed",
                         data={"csrf_token": csrf_of(page), "reason": "refused"})
    assert answer.status_code == 403
    db.refresh(letter)
    assert (letter.outcome, letter.failure_reason) == ("sent", None) and failures(db) == []
