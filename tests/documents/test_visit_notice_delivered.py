"""A visit's notice is "已送达" only when the log records that visit's own notice as delivered, not
a later visit's (review 2026-12-04 #6): the record of visit 1, whose notice was sent and never
delivered, said 已送达 once visit 2's notice was delivered."""

from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest

from service.cases.casefile import load_case_file
from service.cases.models import Communication, Visit
from service.documents import service as documents_service
from service.documents.contexts.contracts.visit_record import VisitRecordContext
from tests.documents.conftest import at
from tests.documents.legal_cases import DAY, _visit, litigation_case

FIRST, SECOND = date(2025, 6, 10), date(2025, 8, 12)


def notice(db, case, visit: Visit, outcome: str, document_id: str | None) -> None:
    sent = visit.notice_sent_at
    db.add(Communication(case_id=case.id, channel="letter", direction="out", party_kind="borrower",
                         to_address="北京市朝阳区建国路88号", sent_at=sent,
                         local_time=sent.astimezone(ZoneInfo("Asia/Shanghai")).isoformat(), outcome=outcome,
                         template_kind="visit_notice", document_id=document_id, content_hash="ab" * 32))
    visit.notice_document_id = document_id


@pytest.mark.parametrize("with_documents", [True, False])
def test_a_later_visits_delivered_notice_does_not_make_an_earlier_one_delivered(db, with_documents):
    case = litigation_case(db, plan=False)  # one visit on FIRST, its notice sent three days before
    _visit(db, case, SECOND)
    db.flush()
    first, second = sorted(load_case_file(db, case.ref).visits, key=lambda v: v.window_start)
    assert first.window_start.date() == FIRST and second.window_start.date() == SECOND
    notice(db, case, first, "sent", "DOC-VISIT-1" if with_documents else None)
    notice(db, case, second, "delivered", "DOC-VISIT-2" if with_documents else None)
    db.flush()
    db.expire_all()
    facts, _, ctx = documents_service.prepare(db, case_ref=case.ref, kind="visit_record", fmt="pdf", locale=None,
                                              as_of=DAY, now=at(DAY, 10))
    by_day = {v.window_start.date(): v for v in facts.cf.visits}
    records = {day: VisitRecordContext.build(facts, ctx.doc, visit_id=v.id).visit for day, v in by_day.items()}
    assert (records[FIRST].notice_delivered, records[SECOND].notice_delivered) == (False, True)
    assert not facts.visit_notice_delivered(by_day[FIRST])
    assert facts.visit_notice_delivered(by_day[SECOND])


def test_a_visits_own_notice_delivered_a_moment_before_its_recorded_time_still_counts(db):
    """The visit names its notice document: the communication of that document decides, whatever
    time the collection system stamped on the visit."""
    case = litigation_case(db, plan=False)
    db.flush()
    (visit,) = load_case_file(db, case.ref).visits
    notice(db, case, visit, "delivered", "DOC-VISIT-1")
    visit.notice_sent_at = visit.notice_sent_at + timedelta(seconds=5)
    db.flush()
    facts, _, _ = documents_service.prepare(db, case_ref=case.ref, kind="visit_record", fmt="pdf", locale=None,
                                            as_of=DAY, now=at(DAY, 10))
    assert facts.visit_notice_delivered(facts.cf.visits[0])


@pytest.mark.parametrize(("hours_before", "counts"), [(30, True), (12, False)])
def test_the_lead_time_runs_from_the_notices_delivery_not_its_sending(db, hours_before, counts):
    """CN-09: the notice must reach the borrower the lead time (24 hours) before the visit; one sent
    three days ahead but delivered only 12 hours before the window opens came too late (民法典
    art. 137: a written notice takes effect on arrival)."""
    case = litigation_case(db, plan=False)
    db.flush()
    (visit,) = load_case_file(db, case.ref).visits
    notice(db, case, visit, "delivered", "DOC-VISIT-1")
    db.flush()
    (comm,) = [c for c in load_case_file(db, case.ref).communications if c.template_kind == "visit_notice"]
    assert visit.window_start - comm.sent_at >= timedelta(hours=48)  # sent in good time
    comm.delivered_at = visit.window_start - timedelta(hours=hours_before)
    db.flush()
    facts, _, _ = documents_service.prepare(db, case_ref=case.ref, kind="visit_record", fmt="pdf", locale=None,
                                            as_of=DAY, now=at(DAY, 10))
    assert facts.visit_notice_delivered(facts.cf.visits[0]) is counts
