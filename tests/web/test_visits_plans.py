"""A visit recorded and a repayment plan previewed, saved signed, and the stage it allows."""

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from service.cases.models import PlanInstalment, RepaymentPlan, Visit
from service.core.clock import today
from tests.factories import import_case
from tests.web.conftest import csrf_of


def test_a_visit_made_is_recorded_with_its_staff(signed_in: Callable[[str], TestClient], db: Session) -> None:
    case = import_case(db, stage="VISIT_NOTIFIED")
    client = signed_in("collector")
    token = csrf_of(client.get(f"/cases/{case.ref}").text)
    form = {"purpose": "了解逾期原因", "address": "北京市朝阳区建国路88号", "window_start": "2026-11-20T14:00",
            "window_end": "2026-11-20T16:00", "staff1_name": "王强", "staff1_badge": "A-001", "staff2_name": "李明",
            "staff2_badge": "A-002", "notice_sent_at": "2026-11-17T10:00", "started_at": "2026-11-20T14:10",
            "consent_to_enter": "yes", "outcome": "negotiating", "signature": "signed", "csrf_token": token}
    answer = client.post(f"/cases/{case.ref}/visits", data=form, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    visit = db.scalar(select(Visit).where(Visit.case_id == case.id))
    assert visit is not None and visit.consent_to_enter is True and visit.started_at is not None
    missing = client.post(f"/cases/{case.ref}/visits", data={**form, "consent_to_enter": ""})
    assert missing.status_code == 422 and "consent_to_enter" in missing.text


def test_a_plan_is_previewed_then_saved_signed_and_lets_the_case_move(signed_in: Callable[[str], TestClient],
                                                                       db: Session) -> None:
    case = import_case(db, stage="NEGOTIATING")
    client = signed_in("legal_staff")
    token = csrf_of(client.get(f"/cases/{case.ref}").text)
    on = today()
    form = {"plan_type": "instalments", "as_of": on.isoformat(), "count": "3",
            "first_due": (on + timedelta(days=10)).isoformat(), "waived_amount": "100", "csrf_token": token,
            "signed_date": on.isoformat(), "signed_place": "北京", "service_address": "北京市朝阳区建国路88号"}
    preview = client.post(f"/cases/{case.ref}/plans/preview", data=form, headers={"HX-Request": "true"})
    assert preview.status_code == 200 and preview.text.count("<tr><td>") == 3
    assert client.get(f"/cases/{case.ref}").status_code == 200
    assert db.scalar(select(RepaymentPlan).where(RepaymentPlan.case_id == case.id)) is None  # a preview saves nothing
    saved = client.post(f"/cases/{case.ref}/plans/save", data=form, follow_redirects=False)
    assert saved.status_code == 303, saved.text
    plan = db.scalar(select(RepaymentPlan).where(RepaymentPlan.case_id == case.id))
    assert plan is not None and plan.signed_date == on
    amounts = db.scalars(select(PlanInstalment.amount).where(PlanInstalment.plan_id == plan.id)).all()
    assert len(amounts) == 3 and sum(amounts, Decimal("0")) > 0
    moved = client.post(f"/cases/{case.ref}/transition", data={"to": "PLAN_ACTIVE", "reason": "signed",
                                                              "csrf_token": token}, follow_redirects=False)
    assert moved.status_code == 303, moved.text
