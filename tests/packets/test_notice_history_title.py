"""Review (US-00007): the packet's Exhibit 5 was titled "Notice and contact history with the
notices sent" but held only the log, no notice having been generated for the case. The exhibit's
title says what it holds: the copies of the notices sent only where it has some."""

from datetime import UTC, datetime

from service.cases.casefile import load_case_file
from service.cases.enums import Channel, Outcome
from service.cases.models import Communication, DebtCase
from service.core.settings import get_settings
from service.documents.models import GeneratedDocument
from service.packets.plan import plan_packet
from tests.documents.legal_cases import DAY, litigation_case
from tests.documents.test_acceleration_notices import in_state


def _title(db, ref: str, documents: list[GeneratedDocument]) -> str:  # type: ignore[no-untyped-def]
    plan = plan_packet(load_case_file(db, ref), [], documents, templates_dir=get_settings().templates_dir)
    [history] = [e for e in plan.exhibits if e.key == "notice_history"]
    return history.title


def test_the_history_without_copies_is_titled_the_history_alone(db):
    assert _title(db, in_state(db, "CA").ref, []) == "Notice and contact history"
    assert _title(db, litigation_case(db).ref, []) == "催收通知记录"


def _send(db, ref: str, document: GeneratedDocument) -> None:  # type: ignore[no-untyped-def]
    case = db.query(DebtCase).filter_by(ref=ref).one()
    db.add(Communication(case_id=case.id, channel=Channel.LETTER, sent_at=document.created_at, local_time="09:00",
                         outcome=Outcome.SENT, template_kind=document.kind, document_id=document.id))
    db.flush()


def test_the_history_with_copies_of_the_notices_sent_says_so(db):
    ref = in_state(db, "CA").ref
    sent = GeneratedDocument(id="doc-sent-1", kind="validation_notice", format="pdf", as_of_date=DAY, sha256="a" * 64,
                             created_at=datetime(2026, 1, 5, tzinfo=UTC))
    _send(db, ref, sent)
    assert _title(db, ref, [sent]) == "Notice and contact history with the notices sent"


def test_a_notice_rendered_and_never_sent_is_not_filed_as_sent(db):
    """uslit (2026-12-06): a notice of acceleration rendered through `dossier render` and never sent
    went into US-00007's Exhibit 5 as "a true copy as sent". Only documents the communication
    history records as sent out (by id, or by the hash of the file sent) are filed."""
    ref = in_state(db, "CA").ref
    rendered = GeneratedDocument(id="doc-draft-1", kind="validation_notice", format="pdf", as_of_date=DAY,
                                 sha256="b" * 64, created_at=datetime(2026, 1, 5, tzinfo=UTC))
    assert _title(db, ref, [rendered]) == "Notice and contact history"
    plan = plan_packet(load_case_file(db, ref), [], [rendered], templates_dir=get_settings().templates_dir)
    assert all(not e.documents for e in plan.exhibits)


def test_a_recorded_call_names_its_recording_in_the_contact_history(tmp_path):
    """The recording an exhibit files is tied to its call in the history: the row of the call
    names the recording's reference (communication.recording_ref), in both locales."""
    from service.documents.render import render
    from tests.documents.conftest import TEMPLATES, pdf_text, squash, variants

    for variant, words in (("notice_history-CN-zh-CN", "本次通话录音编号："), ("notice_history-US-en-US",
                                                                          "Recording of this call: ")):
        ctx = next(v for v in variants() if v.id == variant).sample()
        [ref] = [n.recording_ref for n in ctx.notices if n.recording_ref]  # type: ignore[attr-defined]
        for fmt in ("pdf", "docx"):
            rendered = render(ctx, fmt, templates_dir=TEMPLATES)
            if fmt == "pdf":
                text = squash(pdf_text(rendered.data, tmp_path))
            else:
                from service.documents.docx import docx_text

                text = squash(docx_text(rendered.data))
            assert squash(words + ref) in text, (variant, fmt)
