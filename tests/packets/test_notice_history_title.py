"""Review (US-00007): the packet's Exhibit 5 was titled "Notice and contact history with the
notices sent" but held only the log, no notice having been generated for the case. The exhibit's
title says what it holds: the copies of the notices sent only where it has some."""

from datetime import UTC, datetime

from service.cases.casefile import load_case_file
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


def test_the_history_with_copies_of_the_notices_sent_says_so(db):
    sent = GeneratedDocument(id=1, kind="validation_notice", format="pdf", as_of_date=DAY,
                             created_at=datetime(2026, 1, 5, tzinfo=UTC))
    assert _title(db, in_state(db, "CA").ref, [sent]) == "Notice and contact history with the notices sent"
