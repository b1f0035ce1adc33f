"""The demo's audit trail is evidence of its history: every event names a row that exists, every
communication and every delivery has its event, the chain verifies, and a case accelerated on its
contract reached pre-litigation by audited steps on their days."""

from datetime import date

from sqlalchemy import select

from service.audit import service as audit
from service.audit.models import AuditEvent
from service.cases.casefile import load_case_file
from service.cases.enums import Outcome, Stage
from service.cases.models import Communication, DebtCase, LawFirm, Payment, RepaymentPlan, Visit
from service.demo.catalogue import pick_court_sets
from service.documents.models import GeneratedDocument
from service.packets.models import EvidenceItem
from tests.factories import DEMO_ANCHOR
from tests.seeded import seed_demo

# object_type -> (model, the column its object_id names)
OBJECTS = {"case": (DebtCase, DebtCase.ref), "payment": (Payment, Payment.id),
           "communication": (Communication, Communication.id), "visit": (Visit, Visit.id),
           "plan": (RepaymentPlan, RepaymentPlan.agreement_no), "document": (GeneratedDocument, GeneratedDocument.id),
           "evidence": (EvidenceItem, EvidenceItem.id), "law_firm": (LawFirm, LawFirm.code)}


def _keys(db, column) -> set[str]:  # type: ignore[no-untyped-def]
    return {str(v) for v in db.scalars(select(column))}


def _trail_holds(db) -> None:  # type: ignore[no-untyped-def]
    events = list(db.scalars(select(AuditEvent)))
    existing = {kind: _keys(db, column) for kind, (_, column) in OBJECTS.items()}
    dangling = [(e.seq, e.action, e.object_id) for e in events
                if e.object_type in existing and e.object_id not in existing[e.object_type]]
    assert not dangling, dangling
    assert {e.object_type for e in events} <= {*OBJECTS, "demo"}, {e.object_type for e in events}
    recorded = {e.object_id for e in events if e.action == "communication.recorded"}
    generated = {e.object_id for e in events if e.action == "document.generated"}
    delivered = {e.object_id for e in events if e.action == "communication.delivered"}
    comms = list(db.scalars(select(Communication)))
    # a contact is recorded; a generated notice's communication is its document's event
    unaudited = [c.id for c in comms if str(c.id) not in recorded and str(c.document_id) not in generated]
    assert not unaudited, unaudited
    # a delivery is an event of its own, or the outcome the contact was recorded with
    silent = [c.id for c in comms if c.outcome == Outcome.DELIVERED and str(c.id) not in delivered
              and str(c.id) not in recorded]
    assert not silent, silent
    count, problem = audit.verify(db)
    assert problem is None and count == len(events), problem


def test_the_seeded_trail_names_existing_rows_audits_every_contact_and_verifies(db, settings):
    seed_demo(db, anchor=DEMO_ANCHOR, cases=14, settings=settings, court_sets=True)
    _trail_holds(db)
    # no letter logged and then replaced: one communication per generated notice, none left without it
    docs = list(db.scalars(select(GeneratedDocument).where(GeneratedDocument.kind.in_(
        ("demand_letter", "notice_of_intent_to_accelerate", "notice_of_acceleration")))))
    assert {d.kind for d in docs} == {"demand_letter", "notice_of_intent_to_accelerate", "notice_of_acceleration"}
    logged = db.scalars(select(Communication.id).where(Communication.document_id.is_(None), Communication.template_kind
                                                       .in_(("demand_letter", "notice_of_acceleration")))).all()
    assert logged == []


def test_a_cn_case_accelerated_on_its_contract_walks_to_pre_litigation_by_audited_steps(db, settings):
    seed_demo(db, anchor=DEMO_ANCHOR, cases=0, settings=settings, court_sets=True)
    planned = set(db.scalars(select(RepaymentPlan.case_id)))
    (ref,) = [r for r in pick_court_sets(db) if r.startswith("CN-") and load_case_file(db, r).case.id not in planned]
    cf = load_case_file(db, ref)
    steps = list(db.scalars(select(AuditEvent).where(AuditEvent.case_id == cf.case.id,
                                                     AuditEvent.action == "case.transition").order_by(AuditEvent.at)))
    assert [(e.data["from"], e.data["to"]) for e in steps] == [
        ("CURRENT", "REMINDER"), ("REMINDER", "PHONE"), ("PHONE", "VISIT_PLANNED"), ("VISIT_PLANNED", "VISIT_NOTIFIED"),
        ("VISIT_NOTIFIED", "VISIT_DONE"), ("VISIT_DONE", "PRE_LITIGATION")]
    assert cf.case.stage == Stage.PRE_LITIGATION and cf.case.accelerated_on is not None
    last = steps[-1]
    assert last.data["accelerated_on"] == cf.case.accelerated_on.isoformat() == last.data["on"]
    assert [date.fromisoformat(e.data["on"]) for e in steps] == sorted(date.fromisoformat(e.data["on"]) for e in steps)
    # the visit's notice went out (delivered) before the step that needs it, and is the visit's own
    (visit,) = cf.visits
    notice = next(c for c in cf.communications if c.template_kind == "visit_notice")
    assert notice.outcome == Outcome.DELIVERED and notice.document_id == visit.notice_document_id
    _trail_holds(db)
