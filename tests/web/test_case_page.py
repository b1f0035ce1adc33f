"""The case page and its actions over HTTP: masked identity, law-firm scoping, refusals by rule."""

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from service.cases import activity
from service.cases.masking import mask_id
from service.cases.rules import load_ruleset
from tests.factories import import_case
from tests.web.conftest import csrf_of


def test_the_case_page_shows_the_masked_borrower_and_the_claim(signed_in: Callable[[str], TestClient],
                                                               db: Session) -> None:
    case = import_case(db)
    page = signed_in("legal_staff").get(f"/cases/{case.ref}")
    assert page.status_code == 200, page.text
    assert "11010519491231002X" not in page.text and "13800138000" not in page.text
    assert mask_id("11010519491231002X", load_ruleset("CN")) in page.text
    assert "还款记录及分配" in page.text and "诉讼请求金额" in page.text and "时间线" in page.text
    assert "案件导入" in page.text  # the timeline, from the audit trail


def test_another_firms_case_is_a_404_and_its_own_opens(signed_in: Callable[[str], TestClient], db: Session) -> None:
    mine, theirs = import_case(db), import_case(db)
    activity.assign(db, mine, "WFIRM", actor="test")
    activity.assign(db, theirs, "XFIRM", actor="test")
    client = signed_in("law_firm")
    assert client.get(f"/cases/{mine.ref}").status_code == 200
    assert client.get(f"/cases/{theirs.ref}").status_code == 404
    assert client.get("/cases/NO-SUCH-CASE").status_code == 404


def test_a_refused_stage_move_shows_the_rule_ids(signed_in: Callable[[str], TestClient], db: Session) -> None:
    case = import_case(db)  # REMINDER
    client = signed_in("collector")
    token = csrf_of(client.get(f"/cases/{case.ref}").text)
    answer = client.post(f"/cases/{case.ref}/transition", data={"to": "FILED", "reason": "try", "csrf_token": token})
    assert answer.status_code == 422 and "ESC-00" in answer.text and "以下规则拒绝了此操作" in answer.text
    htmx = client.post(f"/cases/{case.ref}/transition", data={"to": "FILED", "reason": "try"},
                       headers={"X-CSRF-Token": token, "HX-Request": "true"})
    assert htmx.status_code == 422 and htmx.headers["HX-Retarget"] == "#flash" and "ESC-00" in htmx.text


def test_an_allowed_stage_move_is_made_and_recorded(signed_in: Callable[[str], TestClient], db: Session) -> None:
    case = import_case(db)  # REMINDER, long overdue: PHONE is allowed
    client = signed_in("legal_staff")
    token = csrf_of(client.get(f"/cases/{case.ref}").text)
    answer = client.post(f"/cases/{case.ref}/transition", data={"to": "PHONE", "reason": "no answer",
                                                                "csrf_token": token}, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    db.refresh(case)
    assert case.stage == "PHONE"
    assert "阶段变更" in client.get(answer.headers["location"]).text


def test_a_post_without_csrf_on_an_action_is_refused(signed_in: Callable[[str], TestClient], db: Session) -> None:
    case = import_case(db)
    client = signed_in("legal_staff")
    answer = client.post(f"/cases/{case.ref}/transition", data={"to": "PHONE", "reason": "x"})
    assert answer.status_code == 403
    db.refresh(case)
    assert case.stage == "REMINDER"


def test_a_collector_cannot_build_or_download_a_packet(signed_in: Callable[[str], TestClient], db: Session) -> None:
    case = import_case(db)
    client = signed_in("collector")
    token = csrf_of(client.get(f"/cases/{case.ref}").text)
    assert client.post(f"/cases/{case.ref}/packets", data={"csrf_token": token}).status_code == 403
    assert client.get("/jobs/whatever/bundle").status_code == 403


def test_a_us_cases_page_shows_no_cn_cap_or_court_fee(signed_in: Callable[[str], TestClient], db: Session) -> None:
    """US-18: the claim of a US case has no CN rate cap and no court fee; the page says so."""
    from tests.documents.legal_cases import us_case

    case = us_case(db)
    page = signed_in("legal_staff").get(f"/cases/{case.ref}")
    assert page.status_code == 200, page.text
    assert "US-18" in page.text and "CN-16" not in page.text


def test_a_case_not_accelerated_shows_what_is_due_now_apart_from_what_falls_due_on_acceleration(
        signed_in: Callable[[str], TestClient], db: Session) -> None:
    case = import_case(db)  # REMINDER: overdue, not accelerated
    page = signed_in("legal_staff").get(f"/cases/{case.ref}")
    assert page.status_code == 200, page.text
    assert "现已到期（逾期）" in page.text and "提前到期时另行到期" in page.text
    assert "提前到期后合计（尚未主张）" in page.text and "请求合计" not in page.text


def test_the_case_page_says_a_lawyer_letter_sent_again_restarted_the_days_to_pay(
        signed_in: Callable[[str], TestClient], db: Session, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """DOC-09: a second lawyer letter, sent on an override_reason after the first (which demanded the
    debt the agreement's default clause accelerated) reached the borrower, gives its own days from
    its own delivery: the case page warns, naming both letters, while the complaint waits for them."""
    from datetime import timedelta

    from evidence.store import LocalStore
    from service.cases.casefile import load_case_file
    from service.core.clock import utcnow
    from service.documents import service as documents_service
    from tests.documents.legal_cases import litigation_case

    case = litigation_case(db)  # accelerated by its repayment agreement's default clause in 2025
    store = LocalStore(tmp_path / "objects")
    now = utcnow()
    documents_service.generate(db, case_ref=case.ref, kind="lawyer_letter", as_of=None, actor="test", store=store,
                               now=now - timedelta(days=10))
    (first,) = [c for c in load_case_file(db, case.ref).communications if c.template_kind == "lawyer_letter"]
    activity.record_delivery(db, case, first.id, actor="test", at=now - timedelta(days=8))
    client = signed_in("legal_staff")
    assert "DOC-09" not in client.get(f"/cases/{case.ref}").text
    documents_service.generate(db, case_ref=case.ref, kind="lawyer_letter", as_of=None, actor="test", store=store,
                               now=now, override_reason="the borrower asked for the letter again")
    page = client.get(f"/cases/{case.ref}").text
    assert "DOC-09" in page and "再次发出律师函" in page and "重新给予7日期限" in page, page


def test_legal_staff_record_a_us_cases_court_designation_on_its_page(signed_in: Callable[[str], TestClient],
                                                                     db: Session) -> None:
    """US-28: the captions name a Texas Justice Court by its precinct and place, which legal staff
    record on the case page (as the API's PUT .../court-designation); a wrong form names the field."""
    from tests.documents.test_acceleration_notices import in_state

    case = in_state(db, "TX")
    client = signed_in("legal_staff")
    page = client.get(f"/cases/{case.ref}")
    assert 'action="/cases/' + case.ref + '/court-designation"' in page.text
    token = csrf_of(page.text)
    answer = client.post(f"/cases/{case.ref}/court-designation",
                         data={"court_designation": "Precinct 1, Place 2", "csrf_token": token}, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    assert (case.court_designation, case.court_designation_court) == ("Precinct 1, Place 2",
                                                                      "Justice Court, Harris County, Texas")
    assert "Justice Court, Harris County, Texas, Precinct 1, Place 2" in client.get(answer.headers["location"]).text
    wrong = client.post(f"/cases/{case.ref}/court-designation",
                        data={"court_designation": "189th Judicial District", "csrf_token": token})
    assert wrong.status_code == 422 and "court_designation" in wrong.text
    assert "court-designation" not in signed_in("collector").get(f"/cases/{case.ref}").text  # legal staff's
