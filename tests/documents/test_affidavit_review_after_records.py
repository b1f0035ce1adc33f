"""US-12: the custodian affirms a review of the records only where it was made with them on file.
Reader (US-00010): the affirmation said "I completed that review on December 7, 2026", its review
recorded at 9:30 a.m. New York time, and the loan agreement, the disbursement receipt and the
signed plan were uploaded at 12:36 p.m. that day: a review recorded before a record it covers was
uploaded did not cover it, and the affidavit is refused, naming the review's time and the latest
upload's. A redacted copy made for filing afterwards is not a new record; a call recording is not
a record the affidavit states."""

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from service.cases import activity
from service.cases.casefile import load_case_file
from service.cases.schemas import ReviewIn
from service.core.errors import RuleViolation
from service.demo.scans import call_recording
from service.packets import evidence_service
from service.packets.plan import plan_packet
from tests.documents.conftest import TEMPLATES, squash
from tests.documents.legal_cases import DAY, context, texts, us_case
from tests.packets.test_evidence_api import pdf_bytes
from tests.packets.test_redacted_copies import _texas

CHICAGO = ZoneInfo("America/Chicago")  # the test borrower's time zone
RECORD = {"form": "documentary", "source": "Plaintiff's records", "original_available": True, "purpose": "Shows it"}


def _on(hour: int, minute: int = 0) -> datetime:
    return datetime(DAY.year, DAY.month, DAY.day, hour, minute, tzinfo=CHICAGO)


def _upload(db, settings, case, at: datetime, category: str, *, data: bytes | None = None,
            name: str = "record.pdf", **meta):  # type: ignore[no-untyped-def]
    return evidence_service.receive(db, settings, case, stream=io.BytesIO(data or pdf_bytes(2)), filename=name,
                                    actor="test", at=at, **{**RECORD, "title": category, "category": category,
                                                            **meta})


def _review(db, case, at: datetime) -> None:  # type: ignore[no-untyped-def]
    activity.record_review(db, case, ReviewIn(reviewer="Dana Whitfield", reviewer_title="Custodian of Records",
                                              reviewed_at=at), actor="test")


def test_a_review_recorded_before_a_record_was_uploaded_is_not_affirmed(db, settings, tmp_path):
    case = us_case(db)
    _upload(db, settings, case, _on(8), "disbursement")
    _review(db, case, _on(9, 30))
    _upload(db, settings, case, _on(12, 36), "loan_contract")
    with pytest.raises(RuleViolation) as refused:
        context(db, case.ref, "affidavit_of_debt")
    [violation] = refused.value.violations
    assert violation.rule == "US-12"
    assert violation.message.startswith(
        "the account review recorded at 2025-12-01 09:30 CST predates the records it covers: Loan Agreement "
        "(account ending in 4512) (Exhibit 1) was uploaded at 2025-12-01 12:36 CST, the latest of them")
    assert "2025-12-01 09:30 CST" in violation.localized["zh-CN"] and "12:36" in violation.localized["zh-CN"]
    # a review made once the records are on file is the one the affidavit names
    _review(db, case, _on(13))
    ctx = context(db, case.ref, "affidavit_of_debt")
    assert ctx.review is not None and ctx.review.reviewed_at == _on(13)  # type: ignore[attr-defined]
    for text in texts(ctx, tmp_path):
        assert squash("I completed that review on December 1, 2025") in squash(text)


def test_only_the_records_the_affidavit_states_are_compared(db, settings):
    case = us_case(db)
    _upload(db, settings, case, _on(8), "loan_contract")
    _upload(db, settings, case, _on(8), "disbursement")
    _review(db, case, _on(9, 30))
    ref = "REC-test-20251101-1015"  # a call's recording, uploaded after the review: not an account record
    _upload(db, settings, case, _on(11), "call_recording", data=call_recording(ref), name=f"{ref}.wav",
            form="audiovisual")
    assert context(db, case.ref, "affidavit_of_debt").review is not None  # type: ignore[attr-defined]


def test_a_redacted_copy_is_on_file_when_its_original_was(db, settings):
    case = _texas(db)
    original = _upload(db, settings, case, _on(8), "loan_contract")
    copy = _upload(db, settings, case, _on(14), "loan_contract", data=pdf_bytes(3), redaction_of=original.id)
    cf = load_case_file(db, case.ref)
    plan = plan_packet(cf, [original, copy], [], templates_dir=TEMPLATES)
    [contract] = [e for e in plan.exhibits if e.key == "loan_contract"]
    assert contract.evidence == (copy,) and contract.received_at == _on(8)
