"""DOC-09: where the debt was accelerated otherwise than by a lawyer letter (here: a repayment
agreement's default clause after an uncured breach, which the breach notice announced), DOC-08 did
not apply and a second CN lawyer letter was generated and recorded without a word, although it
restarted DOC-06's seven days (from its own delivery) and put the suit back by them. It is now
refused, naming the earlier letter and what another would start again, unless an explicit
override_reason is given (the project's override mechanism, as DOC-03 repeats use it): then it
is recorded, the audit trail records the override and the reason, and the API response and the
case page say that the days start again and when the complaint may be filed.

The case: litigation_case() — a plan signed 2025-06-20, its 2nd instalment missed and not cured,
accelerated by its default clause on 2025-09-09; the first lawyer letter goes out on 2025-09-15
and is delivered on 2025-09-17."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from service.audit.models import AuditEvent
from service.cases import accounts, activity
from service.cases.casefile import load_case_file
from service.cases.models import Communication
from service.core.errors import RuleViolation
from service.documents import rules
from service.documents import service as documents_service
from tests.conftest import auth
from tests.documents.legal_cases import DAY, context, litigation_case, moment

FIRST = date(2025, 9, 15)
DELIVERED = date(2025, 9, 17)
REASON = "the borrower moved: sent again to the new address the borrower gave by phone"


def _letters(db, case) -> list[Communication]:
    return sorted((c for c in load_case_file(db, case.ref).communications if c.template_kind == "lawyer_letter"),
                  key=lambda c: c.sent_at)


@pytest.fixture
def demanded(db, store):
    """The agreement case, accelerated by its default clause, with a lawyer letter delivered."""
    case = litigation_case(db)
    accelerated = case.accelerated_on
    assert accelerated is not None and accelerated < FIRST
    assert accounts.accelerating_letter(load_case_file(db, case.ref)) is None  # no letter declared it: no DOC-08
    documents_service.generate(db, case_ref=case.ref, kind="lawyer_letter", as_of=FIRST, actor="test", store=store,
                               now=moment(FIRST))
    (first,) = _letters(db, case)
    activity.record_delivery(db, case, first.id, actor="test", at=moment(DELIVERED, 14))
    return case


def test_a_second_letter_is_refused_by_doc_09_naming_the_days_it_would_start_again(db, store, demanded):
    case = demanded
    with pytest.raises(RuleViolation) as refused:
        documents_service.generate(db, case_ref=case.ref, kind="lawyer_letter", as_of=DAY, actor="test", store=store,
                                   now=moment(DAY))
    (found,) = refused.value.violations
    assert found.rule == "DOC-09"
    pay_by = (DELIVERED + timedelta(days=7)).isoformat()
    assert found.message.startswith(f"the lawyer_letter of {FIRST.isoformat()}, delivered on {DELIVERED.isoformat()}, "
                                    f"already demanded the debt accelerated on {case.accelerated_on.isoformat()}")
    assert "default clause of repayment agreement" in found.message
    assert f"(to {pay_by}, DOC-06)" in found.message and "putting the suit back" in found.message
    assert "override_reason" in found.message
    zh = found.localized["zh-CN"]
    assert f"{FIRST.isoformat()}发出的律师函已于{DELIVERED.isoformat()}送达借款人" in zh and "重新给予7日期限" in zh
    assert len(_letters(db, case)) == 1  # nothing recorded
    # DOC-06 still holds the complaint only to the first letter's days
    deadline = context(db, case.ref, "civil_complaint").timeline.demand_deadline  # type: ignore[attr-defined]
    assert (deadline.sent, deadline.pay_by) == (FIRST, DELIVERED + timedelta(days=7))


def test_on_an_override_reason_it_is_recorded_audited_and_says_the_wait_starts_again(db, store, demanded):
    case = demanded
    doc, warned = documents_service.generate_warned(db, case_ref=case.ref, kind="lawyer_letter", as_of=DAY,
                                                    actor="test", store=store, override_reason=REASON,
                                                    now=moment(DAY))
    assert doc.override_reason == REASON
    event = db.scalars(select(AuditEvent).where(AuditEvent.object_id == doc.id)).one()
    assert (event.reason, event.data["override"]) == (REASON, "DOC-09")
    (warning,) = [w for w in warned if w.rule == "DOC-09"]
    assert "this lawyer_letter gives 7 days from its own delivery" in warning.message
    assert "本函自送达之日起重新给予7日期限" in warning.localized["zh-CN"]
    # the complaint now waits for the second letter: its delivery, then its own seven days
    _, second = _letters(db, case)
    cf = load_case_file(db, case.ref)
    (page,) = rules.restarted(cf, DAY, moment(DAY))
    assert page.rule == "DOC-09" and "which is not recorded" in page.message
    later = DAY + timedelta(days=2)
    activity.record_delivery(db, case, second.id, actor="test", at=moment(later, 14))
    cf = load_case_file(db, case.ref)
    (page,) = rules.restarted(cf, later, moment(later, 15))
    until = (later + timedelta(days=7)).isoformat()
    assert f"its own 7 days run until {until}" in page.message, page.message
    with pytest.raises(RuleViolation) as refused:
        documents_service.prepare(db, case_ref=case.ref, kind="civil_complaint", fmt="pdf", locale=None,
                                  as_of=later + timedelta(days=7), now=moment(later + timedelta(days=7)))
    assert [v.rule for v in refused.value.violations if v.rule == "DOC-06"] == ["DOC-06"]
    # once those days have run, the page says nothing more
    ran = later + timedelta(days=8)
    assert rules.restarted(load_case_file(db, case.ref), ran, moment(ran)) == []


def test_the_api_refuses_it_as_problem_json_and_answers_the_override_with_the_warning(client, keys, db, store,
                                                                                      demanded):
    url = f"/v1/cases/{demanded.ref}/documents"
    body = {"kind": "lawyer_letter", "format": "pdf", "as_of": DAY.isoformat()}
    r = client.post(url, json=body, headers=auth(keys["legal_staff"]))
    assert r.status_code == 422, r.text
    assert [v["rule"] for v in r.json()["violations"]] == ["DOC-09"]
    r = client.post(url, json={**body, "override_reason": REASON}, headers=auth(keys["legal_staff"]))
    assert r.status_code == 201, r.text
    assert any(w["rule"] == "DOC-09" and "gives 7 days from its own delivery" in w["message"]
               for w in r.json()["warnings"]), r.json()
