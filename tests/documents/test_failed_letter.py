"""A letter recorded as sent that came back undelivered (activity.record_failure) reached no one:
a returned lawyer letter declares nothing (DOC-07.failed), so another can be generated (DOC-08 does
not refuse it) and the next one delivered is the declaring one; the packet's notice history (and a
notice kind's delivery record, 送达记录) lists it as returned (退回) with its day and reason, never as
delivered, in Chinese and in English. `dossier render --override-reason` sends a notice again
(DOC-03) or a restated lawyer letter (DOC-09) on an audited reason, as the API's generate does.

The CN case: litigation_case(plan=False), the contract accelerated on 2025-09-10, its lawyer letter
generated that morning."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from service.audit.models import AuditEvent
from service.cases import accounts, activity
from service.cases.casefile import load_case_file
from service.cases.models import Communication, DebtCase
from service.core.errors import RuleViolation
from service.documents import service as documents_service
from service.documents.models import GeneratedDocument
from service.documents.render import render_html
from tests.documents.conftest import TEMPLATES, cn_case, squash
from tests.documents.legal_cases import DAY, context, litigation_case, moment, texts, us_case

DECLARED = date(2025, 9, 10)
RETURNED = date(2025, 9, 16)
REASON = "the borrower moved: sent again to the new address the borrower gave by phone"


def _generate(db: Session, store, ref: str, day: date, hour: int = 10) -> GeneratedDocument:  # type: ignore[no-untyped-def]
    return documents_service.generate(db, case_ref=ref, kind="lawyer_letter", as_of=day, actor="test", store=store,
                                      now=moment(day, hour))


def _letters(db: Session, case: DebtCase) -> list[Communication]:
    return sorted((c for c in load_case_file(db, case.ref).communications if c.template_kind == "lawyer_letter"),
                  key=lambda c: c.sent_at)


@pytest.fixture
def returned(db, store):  # type: ignore[no-untyped-def]
    """The case with its declaring letter generated (recorded as sent) and returned: addressee unknown."""
    case = litigation_case(db, plan=False)
    _generate(db, store, case.ref, DECLARED)
    (letter,) = _letters(db, case)
    activity.record_failure(db, case, letter.id, actor="test", at=moment(RETURNED, 9), reason="unknown_addressee")
    return case


def test_after_the_letter_came_back_another_is_generated_and_declares_the_acceleration(db, store, returned):
    case = returned
    cf = load_case_file(db, case.ref)
    assert accounts.redeclared(cf) and accounts.declaring_letters(cf) == []  # the returned one declared nothing
    _generate(db, store, case.ref, DAY)  # DOC-08 does not refuse it
    first, second = _letters(db, case)
    assert (first.outcome, second.outcome) == ("failed", "sent")
    assert accounts.declaring_letters(load_case_file(db, case.ref)) == [second]
    # once the second reached the borrower, it is the one DOC-08 names
    activity.record_delivery(db, case, second.id, actor="test", at=moment(DAY + timedelta(days=2), 14))
    with pytest.raises(RuleViolation) as refused:
        _generate(db, store, case.ref, DAY + timedelta(days=3))
    (found,) = refused.value.violations
    assert found.rule == "DOC-08" and found.message.startswith(f"the lawyer_letter of {DAY.isoformat()}, delivered on "
                                                               f"{(DAY + timedelta(days=2)).isoformat()}")


def test_the_delivery_record_lists_the_returned_letter_as_returned_with_its_reason(db, store, returned, tmp_path):
    ctx = context(db, returned.ref, "notice_history", only="lawyer_letter")
    (line,) = ctx.notices  # type: ignore[attr-defined]
    assert (line.outcome, line.returned_on, line.return_reason, line.delivered_on) == (
        "returned", RETURNED, "unknown_addressee", None)
    for text in texts(ctx, tmp_path):  # the PDF and the DOCX
        flat = squash(text)
        assert "律师函送达记录" in flat and "退回" in flat
        assert "本件于2025年9月16日被退回，未送达；退回原因：查无此人。" in flat, flat
        assert "送达。" not in flat  # no "delivered on" line: 未送达 only
    # as of a day before it came back, it was out: sent, nothing returned yet
    (before,) = context(db, returned.ref, "notice_history", day=RETURNED - timedelta(days=1),
                        only="lawyer_letter").notices  # type: ignore[attr-defined]
    assert (before.outcome, before.returned_on) == ("sent", None)


def test_the_full_history_words_another_reason_and_a_contact_logged_failed_stays_failed(db, store, returned):
    case = returned
    (letter,) = _letters(db, case)
    letter.failure_reason, letter.failure_note = "other", "地址不详，无法投递"
    sent = moment(date(2025, 9, 20), 11)
    db.add(Communication(case_id=case.id, channel="sms", direction="out", party_kind="borrower",
                         to_address="13800138000", sent_at=sent, outcome="failed", template_kind="",
                         local_time=sent.astimezone(ZoneInfo("Asia/Shanghai")).isoformat()))
    db.flush()
    ctx = context(db, case.ref, "notice_history")
    outcomes = {(n.channel, n.template): n.outcome for n in ctx.notices}  # type: ignore[attr-defined]
    assert outcomes[("letter", "lawyer_letter")] == "returned" and outcomes[("sms", "")] == "failed"
    html = squash(render_html(ctx, TEMPLATES))
    assert "退回原因：地址不详，无法投递。" in html and "失败" in html


def test_the_english_history_says_returned_undelivered_and_why(db, tmp_path):
    case = us_case(db)
    sent = datetime(2025, 10, 1, 15, 0, tzinfo=UTC)
    letter = Communication(case_id=case.id, channel="letter", direction="out", party_kind="borrower",
                           to_address="1452 N Damen Ave, Chicago, IL 60622", sent_at=sent, outcome="sent",
                           template_kind="demand_letter", content_hash="cd" * 32,
                           local_time=sent.astimezone(ZoneInfo("America/Chicago")).isoformat())
    db.add(letter)
    db.flush()
    activity.record_failure(db, case, letter.id, actor="test", at=sent + timedelta(days=6), reason="moved")
    ctx = context(db, case.ref, "notice_history", only="demand_letter")
    (line,) = ctx.notices  # type: ignore[attr-defined]
    assert (line.outcome, line.returned_on) == ("returned", date(2025, 10, 7))
    for text in texts(ctx, tmp_path):
        flat = " ".join(text.split())
        assert "returned undelivered" in flat
        assert "Returned undelivered on October 7, 2025: moved, left no forwarding address." in flat, flat
        assert "Delivered on" not in flat


# ------------------------------------------------------------------ dossier render --override-reason


def test_dossier_render_sends_a_notice_again_on_an_override_reason(run, db, store, tmp_path):  # type: ignore[no-untyped-def]
    case = cn_case(db)
    args = ["render", case.ref, "credit_report_prenotice", "--format", "docx", "--as-of", "2025-06-01"]
    first = run(*args, "-o", str(tmp_path / "first.docx"))
    assert first.exit_code == 0, first.output
    again = run(*args, "-o", str(tmp_path / "again.docx"))
    assert again.exit_code == 1 and "DOC-03" in again.output and not (tmp_path / "again.docx").exists()
    short = run(*args, "-o", str(tmp_path / "again.docx"), "--override-reason", "x")
    assert short.exit_code == 1 and "override_reason" in short.output
    done = run(*args, "-o", str(tmp_path / "again.docx"), "--override-reason", REASON)
    assert done.exit_code == 0, done.output
    assert "sent again on the reason" in done.output and (tmp_path / "again.docx").exists()
    docs = db.scalars(select(GeneratedDocument).where(GeneratedDocument.case_id == case.id)
                      .order_by(GeneratedDocument.created_at)).all()
    assert [d.override_reason for d in docs] == [None, REASON]
    event = db.scalars(select(AuditEvent).where(AuditEvent.object_id == docs[1].id)).one()
    assert (event.reason, event.data["override"]) == (REASON, "DOC-03")
    draft = run("render", case.ref, "credit_report_prenotice", "--draft", "-o", str(tmp_path / "draft.pdf"),
                "--override-reason", REASON)
    assert draft.exit_code == 1 and "--override-reason" in draft.output


def test_dossier_render_restates_a_delivered_lawyer_letter_on_an_override_reason(run, db, store, tmp_path):  # type: ignore[no-untyped-def]
    """DOC-09: the agreement's default clause accelerated the debt; its lawyer letter was delivered."""
    case = litigation_case(db)
    first_day = date(2025, 9, 15)
    _generate(db, store, case.ref, first_day)
    (first,) = _letters(db, case)
    activity.record_delivery(db, case, first.id, actor="test", at=moment(first_day + timedelta(days=2), 14))
    args = ["render", case.ref, "lawyer_letter", "--as-of", DAY.isoformat(), "-o", str(tmp_path / "letter.pdf")]
    refused = run(*args)
    assert refused.exit_code == 1 and "DOC-09" in refused.output and len(_letters(db, case)) == 1
    done = run(*args, "--override-reason", REASON)
    assert done.exit_code == 0, done.output
    flat = " ".join(done.output.split())
    assert "warning: DOC-09" in flat and "本函自送达之日起重新给予7日期限" in flat, done.output  # the case's language
    assert len(_letters(db, case)) == 2
    doc = db.scalars(select(GeneratedDocument).where(GeneratedDocument.case_id == case.id,
                                                     GeneratedDocument.override_reason.is_not(None))).one()
    event = db.scalars(select(AuditEvent).where(AuditEvent.object_id == doc.id)).one()
    assert (event.reason, event.data["override"]) == (REASON, "DOC-09")
