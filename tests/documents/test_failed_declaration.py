"""A CN acceleration declared by a lawyer letter takes effect when the letter reaches the borrower
(民法典 art. 137). Where that letter failed (returned, recorded ``failed``), it declared nothing:
the case's acceleration date kept pointing to its day (accounts.acceleration_in_effect found no
declaring letter and fell back to the recorded day), so the claim, the complaint, the claim
statement, the element form and `dossier claim` ran the accelerated balance from a letter that
never arrived. The acceleration now comes from what took effect: the next letter's delivery, or
none.

The case: the contract accelerated on 2025-09-10 (litigation_case(plan=False)); its lawyer letter,
generated that morning, is returned (failed); a second letter goes out on 2025-10-15 and is
delivered on 2025-10-17."""

from datetime import date, timedelta

import pytest

from service.cases import accounts, activity
from service.cases.casefile import load_case_file
from service.cases.claim_view import claim_view
from service.cases.models import Communication
from service.core.errors import RuleViolation
from service.core.settings import get_settings
from service.documents import service as documents_service
from service.documents.render import render_html
from tests.documents.conftest import TEMPLATES, squash
from tests.documents.legal_cases import DAY, context, litigation_case, moment

DECLARED = date(2025, 9, 10)  # the recorded acceleration: the first letter's day
AGAIN = date(2025, 10, 15)  # the second letter
DELIVERED = date(2025, 10, 17)  # the second letter reaches the borrower


def _letters(db, case) -> list[Communication]:
    return sorted((c for c in load_case_file(db, case.ref).communications if c.template_kind == "lawyer_letter"),
                  key=lambda c: c.sent_at)


def _failed_letter(db, store):
    case = litigation_case(db, plan=False)
    documents_service.generate(db, case_ref=case.ref, kind="lawyer_letter", as_of=DECLARED, actor="test",
                               store=store, now=moment(DECLARED))
    (first,) = _letters(db, case)
    first.outcome = "failed"  # returned by the post: it never reached the borrower
    db.flush()
    return case


def _claim(db, ref, day=DAY):
    return accounts.claim_of(load_case_file(db, ref), day, licensed_cap=get_settings().licensed_cost_cap)


def _html(db, ref, kind, day=DAY) -> str:
    return squash(render_html(context(db, ref, kind, day=day), TEMPLATES))


def test_a_failed_declaring_letter_accelerated_nothing(db, store):
    case = _failed_letter(db, store)
    cf = load_case_file(db, case.ref)
    assert cf.case.accelerated_on == DECLARED  # what the lender decided, as recorded
    assert accounts.acceleration_in_effect(cf) is None
    claim = _claim(db, case.ref)
    assert not claim.accelerated
    assert claim_view(cf, claim)["accelerated"] is False  # `dossier claim`
    # no court document claims an acceleration: DOC-07 names the failed letter, in both languages
    with pytest.raises(RuleViolation) as refused:
        documents_service.prepare(db, case_ref=case.ref, kind="civil_complaint", fmt="pdf", locale=None,
                                  as_of=DAY, now=moment(DAY))
    (found,) = [v for v in refused.value.violations if v.rule == "DOC-07"]
    assert f"the lawyer_letter of {DECLARED.isoformat()} that declared the acceleration is recorded as not " \
           "delivered (failed)" in found.message, found.message
    assert "未送达" in found.localized["zh-CN"] and "第一百三十七条" in found.localized["zh-CN"]


def test_the_next_letter_declares_it_and_its_delivery_is_the_acceleration_date_every_document_states(db, store):
    case = _failed_letter(db, store)
    # the next letter declares the acceleration itself: from its own delivery
    letter = context(db, case.ref, "lawyer_letter", day=AGAIN)
    assert letter.declares  # type: ignore[attr-defined]
    text = _html(db, case.ref, "lawyer_letter", AGAIN)
    assert "宣布全部借款自本函送达之日起提前到期" in text
    assert "2025年9月10日宣布" not in text
    documents_service.generate(db, case_ref=case.ref, kind="lawyer_letter", as_of=AGAIN, actor="test", store=store,
                               now=moment(AGAIN))
    _, second = _letters(db, case)
    # sent, not yet delivered: still not in effect
    assert accounts.acceleration_in_effect(load_case_file(db, case.ref)) is None
    activity.record_delivery(db, case, second.id, actor="test", at=moment(DELIVERED, 14))
    cf = load_case_file(db, case.ref)
    assert accounts.acceleration_in_effect(cf) == DELIVERED
    assert accounts.accelerating_letter(cf).id == second.id  # type: ignore[union-attr]
    claim = _claim(db, case.ref)
    assert claim.accelerated and claim.accelerated_on == DELIVERED
    assert claim.ledger.accelerated_on == DELIVERED
    assert claim_view(cf, claim)["accelerated_on"] == DELIVERED  # `dossier claim`
    # every court document states the second letter, its delivery, and that day
    complaint = _html(db, case.ref, "civil_complaint")
    assert "宣布全部借款自该函送达之日（2025年10月17日）起提前到期" in complaint, complaint
    assert "2025年9月10日宣布" not in complaint
    assert "全部未还款项已于2025年10月17日提前到期" in _html(db, case.ref, "complaint_elements")
    statement = _html(db, case.ref, "claim_statement")
    assert "提前到期的本金自提前到期日（2025年10月17日）次日起计算" in statement
    assert "<td>提前到期</td><tdclass=\"center\">2025年10月17日</td>" in statement
    record = context(db, case.ref, "civil_complaint").timeline  # type: ignore[attr-defined]
    assert (record.accelerated_on, record.declared_by.day, record.declared_by.delivered_on) == (
        DELIVERED, AGAIN, DELIVERED)
    # DOC-06 counts the second letter's days; DOC-08 refuses a third letter once it was delivered
    deadline = record.demand_deadline
    assert (deadline.sent, deadline.pay_by) == (AGAIN, DELIVERED + timedelta(days=7))
    with pytest.raises(RuleViolation) as refused:
        documents_service.generate(db, case_ref=case.ref, kind="lawyer_letter", as_of=DAY, actor="test",
                                   store=store, now=moment(DAY))
    assert [v.rule for v in refused.value.violations] == ["DOC-08"]

