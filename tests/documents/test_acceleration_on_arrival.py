"""A CN acceleration declared by letter takes effect when the letter reaches the borrower (民法典
art. 137: a non-conversational declaration of intent is effective on arrival), not on the day it
was sent (review CN-00061: the lawyer letter went out on 11-28 and arrived on 11-30, but the claim
ran the penalty on the accelerated principal from 11-29).

The case: the contract accelerated on 2025-09-10 (litigation_case(plan=False)), the lawyer letter
that declares it sent that morning and delivered on 2025-09-12."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from service.cases import accounts, activity
from service.cases.casefile import load_case_file
from service.cases.ledger import compute_ledger
from service.cases.models import Communication
from service.core.errors import RuleViolation
from service.core.settings import get_settings
from service.documents import service as documents_service
from service.documents.render import render_html
from tests.documents.conftest import TEMPLATES, squash
from tests.documents.legal_cases import DAY, context, litigation_case, moment

DECLARED = date(2025, 9, 10)
DELIVERED = date(2025, 9, 12)


def _claim(db, ref, day=DAY):
    return accounts.claim_of(load_case_file(db, ref), day, licensed_cap=get_settings().licensed_cost_cap)


def _html(db, ref, kind, day=DAY) -> str:
    return squash(render_html(context(db, ref, kind, day=day), TEMPLATES))


def _case_with_letter(db):
    """The case, and its lawyer letter as generated on the declaration day, recorded as sent."""
    case = litigation_case(db, plan=False)
    assert case.accelerated_on == DECLARED
    letter = context(db, case.ref, "lawyer_letter", day=DECLARED)
    assert letter.declares  # type: ignore[attr-defined]
    comm = Communication(case_id=case.id, channel="letter", direction="out", party_kind="borrower",
                         to_address="上海市", sent_at=moment(DECLARED), local_time=moment(DECLARED).isoformat(),
                         outcome="sent", template_kind="lawyer_letter",
                         stated_total=letter.stated_debt(), stated_as_of=DECLARED)  # type: ignore[attr-defined]
    db.add(comm)
    db.flush()
    return case, comm, letter


def test_the_acceleration_takes_effect_on_the_letters_delivery_day(db):
    case, comm, _ = _case_with_letter(db)
    cf = load_case_file(db, case.ref)
    # sent, not yet delivered: declared, not in effect; the claim is not accelerated
    assert accounts.acceleration_in_effect(cf) is None
    assert not _claim(db, case.ref).accelerated
    activity.record_delivery(db, case, comm.id, actor="test", at=moment(DELIVERED, 14))
    cf = load_case_file(db, case.ref)
    assert cf.case.accelerated_on == DECLARED  # the day the lender declared it, as recorded
    assert accounts.acceleration_in_effect(cf) == DELIVERED
    claim = _claim(db, case.ref)
    assert claim.accelerated and claim.accelerated_on == DELIVERED
    # the day before delivery it is not accelerated yet: what would fall due, beside what is due now
    before = _claim(db, case.ref, DELIVERED - timedelta(days=1))
    assert not before.accelerated and before.due_now is not None and before.on_acceleration > 0
    # the penalty on the accelerated principal runs from the day after delivery, not after sending:
    # the ledger accelerated on the delivery day, less than the one accelerated on the letter's date
    terms, rows, pays = accounts.case_terms(cf), accounts.dues_of(cf.instalments), accounts.payments_of(cf.payments)
    on_delivery = compute_ledger(terms, rows, pays, as_of=DAY, accelerated_on=DELIVERED)
    on_sending = compute_ledger(terms, rows, pays, as_of=DAY, accelerated_on=DECLARED)
    assert claim.ledger.accelerated_on == DELIVERED
    assert on_delivery.penalty < on_sending.penalty
    assert claim.contract_ledger.penalty == on_delivery.penalty


def test_the_letter_declares_it_from_its_delivery_and_the_complaint_bridges_from_its_total(db):
    case, comm, letter = _case_with_letter(db)
    stated = letter.stated_debt()  # type: ignore[attr-defined]
    # the letter: the whole loan falls due from the day it is delivered, not on its date
    text = _html(db, case.ref, "lawyer_letter", DECLARED)
    assert "宣布全部借款自本函送达之日起提前到期" in text
    assert "于2025年9月10日提前到期" not in text
    assert f"合计{stated:,}元" in text and "于本函送达之日提前到期" in text
    # its total is the claim computation's for its date, before the acceleration took effect
    activity.record_delivery(db, case, comm.id, actor="test", at=moment(DELIVERED, 14))
    assert _claim(db, case.ref, DECLARED).claimed_total == stated
    assert "宣布全部借款自本函送达之日起提前到期" in _html(db, case.ref, "lawyer_letter", DECLARED)  # generated again
    # the complaint: the letter's total, the days to its delivery, the penalty from the day after
    ctx = context(db, case.ref, "civil_complaint")
    bridge = ctx.bridge  # type: ignore[attr-defined]
    claim = _claim(db, case.ref)
    assert bridge is not None and bridge.basis == "contract"
    assert (bridge.notice_day, bridge.accelerated_on, bridge.arrival_from) == (DECLARED, DELIVERED,
                                                                               DECLARED + timedelta(days=1))
    assert bridge.penalty_from == DELIVERED + timedelta(days=1)
    assert bridge.due_on_acceleration == stated and bridge.arrival_interest > Decimal(0)
    assert stated + bridge.before_arrival + bridge.penalty_since - bridge.paid_since == claim.claimed_total
    complaint = _html(db, case.ref, "civil_complaint")
    assert "宣布全部借款自该函送达之日（2025年9月12日）起提前到期" in complaint
    assert "该函于2025年9月12日送达被告，全部借款自该日起提前到期" in complaint
    statement = _html(db, case.ref, "claim_statement")
    assert "送达前尚未到期本金的利息（2025年9月11日至2025年9月12日" in statement
    assert "全部未还款项已于2025年9月12日提前到期" in _html(db, case.ref, "complaint_elements")


def test_the_letter_gives_seven_days_from_its_delivery_not_a_date_from_its_sending(db):
    """The letter that declares the acceleration on its delivery asks payment within its days from
    that delivery ("自本函送达之日起七日内", POL-02), which DOC-06 counts; no pay-by date computed
    from the day it was written."""
    case = litigation_case(db, plan=False)
    text = _html(db, case.ref, "lawyer_letter", DECLARED)
    assert "请您自本函送达之日起七日内，将上述欠款支付至委托人指定账户" in text, text
    assert "或在该期限内与本所律师或委托人联系" in text
    assert "请自本函送达之日起七日内携带相关凭证" in text
    assert "2025年9月17日" not in text  # its date + 7 days
    letter = context(db, case.ref, "lawyer_letter", day=DECLARED)
    assert "自本函送达之日起七日内" in {r.text for r in letter.required()}  # type: ignore[attr-defined]


def test_no_court_document_claims_the_acceleration_while_the_declaring_letter_is_undelivered(db):
    """DOC-07: the acceleration a lawyer letter declared waits on its delivery (民法典 art. 137); the
    refusal says so, in English and Chinese, not that the case records no acceleration."""
    case, comm, _ = _case_with_letter(db)
    with pytest.raises(RuleViolation) as refused:
        documents_service.prepare(db, case_ref=case.ref, kind="civil_complaint", fmt="pdf", locale=None, as_of=DAY,
                                  now=moment(DAY))
    (found,) = [v for v in refused.value.violations if v.rule == "DOC-07"]
    assert "takes effect only when it reaches the borrower" in found.message, found.message
    assert f"lawyer_letter of {DECLARED.isoformat()}" in found.message
    assert "records no acceleration" not in found.message
    zh = found.localized["zh-CN"]
    assert f"{DECLARED.isoformat()}发出的律师函所宣布的提前到期自该函送达借款人之日起生效" in zh and "未记录送达" in zh
    # delivered after the document's date: not in effect at that date either
    activity.record_delivery(db, case, comm.id, actor="test", at=moment(DAY + timedelta(days=1), 14))
    with pytest.raises(RuleViolation) as refused:
        documents_service.prepare(db, case_ref=case.ref, kind="civil_complaint", fmt="pdf", locale=None, as_of=DAY,
                                  now=moment(DAY))
    assert any(v.rule == "DOC-07" and "reaches the borrower" in v.message for v in refused.value.violations)
