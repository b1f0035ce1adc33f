"""The case JSON API."""

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Body, Query

from service.access.deps import Legal, Reader, Staff
from service.cases import activity, designation, mailing, service
from service.cases.claim_view import claim_view
from service.cases.deps import CurrentCase
from service.cases.enums import Stage
from service.cases.examples import (
    CASE_IMPORT_EXAMPLE,
    COMMUNICATION_EXAMPLE,
    DELIVERY_EXAMPLE,
    FAILURE_EXAMPLE,
    MAILING_EXAMPLE,
)
from service.cases.models import Communication
from service.cases.schemas import (
    AssignmentIn,
    CaseDetail,
    CaseImport,
    CasePage,
    CommunicationIn,
    CourtDesignationIn,
    DeliveryIn,
    FailureIn,
    MailingIn,
    NewPaymentIn,
    PlanIn,
    ReviewIn,
    TransitionIn,
    VisitIn,
)
from service.core.deps import AppSettings, DbSession
from service.core.params import RowId

router = APIRouter(prefix="/v1/cases", tags=["cases"])


@router.get("", response_model=CasePage)
def list_cases(session: DbSession, principal: Reader, stage: Stage | None = None,
               q: str | None = Query(None, max_length=100, description="text search: ref, name, contract no."),
               cursor: str | None = Query(None, max_length=200), limit: int = Query(50, ge=1, le=200)) -> CasePage:
    return service.list_cases(session, principal, stage=stage, q=q, cursor=cursor, limit=limit)


@router.post("", status_code=201, response_model=CaseDetail)
def import_case(session: DbSession, principal: Staff,
                data: Annotated[CaseImport, Body(openapi_examples=CASE_IMPORT_EXAMPLE)]) -> CaseDetail:
    case = service.import_case(session, data, actor=principal.actor)
    return service.detail(session, case.ref, principal, None)


@router.get("/{ref}", response_model=CaseDetail)
def get_case(case: CurrentCase, session: DbSession, principal: Reader, as_of: date | None = None) -> CaseDetail:
    return service.detail(session, case.ref, principal, as_of)


@router.get("/{ref}/claim")
def get_claim(case: CurrentCase, session: DbSession, settings: AppSettings, _: Reader,
              as_of: date | None = None) -> dict[str, Any]:
    """The claim (`dossier claim --json` shows the same). `ledger` is its basis: under a repayment
    agreement the agreement's (paid under it, days past due since its first missed due date, as the
    pleadings state them); `contract_ledger` the loan contract's at the acknowledgement (null without one)."""
    cf, claim = service.claim(session, case.ref, as_of, licensed_cap=settings.licensed_cost_cap)
    return claim_view(cf, claim)


@router.post("/{ref}/payments", status_code=201)
def add_payment(case: CurrentCase, session: DbSession, settings: AppSettings, principal: Staff,
                data: NewPaymentIn) -> dict[str, Any]:
    payment = activity.add_payment(session, case, data, actor=principal.actor,
                                   tolerance=settings.overpayment_tolerance, overpayment=data.overpayment)
    return {"id": payment.id, "value_date": payment.value_date, "amount": payment.amount}


@router.post("/{ref}/communications", status_code=201)
def record_communication(case: CurrentCase, session: DbSession, principal: Staff,
                         data: Annotated[CommunicationIn, Body(openapi_examples=COMMUNICATION_EXAMPLE)]
                         ) -> dict[str, Any]:
    comm = activity.record_communication(session, case, data, actor=principal.actor)
    return {"id": comm.id, "local_time": comm.local_time, "outcome": comm.outcome, **_mailed(comm)}


def _mailed(comm: Communication) -> dict[str, Any]:
    return {"carrier": comm.carrier, "tracking_no": comm.tracking_no}


@router.post("/{ref}/communications/{communication_id}/delivered")
def record_delivery(case: CurrentCase, session: DbSession, principal: Staff, communication_id: RowId,
                    data: Annotated[DeliveryIn | None, Body(openapi_examples=DELIVERY_EXAMPLE)] = None
                    ) -> dict[str, Any]:
    """Mark a communication recorded as sent (a generated notice) delivered, at the moment its
    delivery proof gives (default now): CN-09 counts a visit notice only once the log shows it
    delivered; dates the law runs from arrival count from it. A letter's carrier and tracking
    number with it, where not recorded yet (DOC-11)."""
    data = data or DeliveryIn()
    comm = activity.record_delivery(session, case, communication_id, actor=principal.actor, at=data.delivered_at,
                                    carrier=data.carrier, tracking_no=data.tracking_no)
    return {"id": comm.id, "outcome": comm.outcome, "delivered_at": comm.delivered_at, **_mailed(comm)}


@router.post("/{ref}/communications/{communication_id}/failed")
def record_failure(case: CurrentCase, session: DbSession, principal: Staff, communication_id: RowId,
                   data: Annotated[FailureIn, Body(openapi_examples=FAILURE_EXAMPLE)]) -> dict[str, Any]:
    """Mark a communication recorded as sent (a generated notice) returned undelivered (退回), with
    the reason and the moment its return slip gives (default now): a failed letter reached no one,
    so it declares nothing and starts no deadline (a lawyer letter can be sent again, DOC-08)."""
    comm = activity.record_failure(session, case, communication_id, actor=principal.actor, at=data.failed_at,
                                   reason=data.reason, note=data.note, carrier=data.carrier,
                                   tracking_no=data.tracking_no)
    return {"id": comm.id, "outcome": comm.outcome, "failed_at": comm.failed_at, "reason": comm.failure_reason,
            "note": comm.failure_note, **_mailed(comm)}


@router.post("/{ref}/communications/{communication_id}/mailed")
def record_mailing(case: CurrentCase, session: DbSession, principal: Staff, communication_id: RowId,
                   data: Annotated[MailingIn, Body(openapi_examples=MAILING_EXAMPLE)]) -> dict[str, Any]:
    """Record the carrier and tracking number an outbound letter (a generated notice) was mailed
    under (EMS 邮件号, USPS tracking number): when it is posted, or after the fact for one recorded
    without them. The notice history and the evidence index name it; a mailed notice without one is
    a named warning on the packet (DOC-11)."""
    comm = mailing.record_mailing(session, case, communication_id, actor=principal.actor, carrier=data.carrier,
                                  tracking_no=data.tracking_no)
    return {"id": comm.id, "outcome": comm.outcome, **_mailed(comm)}


@router.post("/{ref}/visits", status_code=201)
def record_visit(case: CurrentCase, session: DbSession, principal: Staff, data: VisitIn) -> dict[str, Any]:
    visit = activity.record_visit(session, case, data, actor=principal.actor)
    return {"id": visit.id, "staff": len(data.staff)}


@router.post("/{ref}/plans", status_code=201)
def create_plan(case: CurrentCase, session: DbSession, principal: Staff, data: PlanIn) -> dict[str, Any]:
    plan = activity.create_plan(session, case, data, actor=principal.actor)
    return {"agreement_no": plan.agreement_no, "status": plan.status,
            "warnings": [{"rule": v.rule, "message": v.message} for v in activity.plan_warnings(session, case, plan)]}


@router.post("/{ref}/reviews", status_code=201)
def record_review(case: CurrentCase, session: DbSession, principal: Legal, data: ReviewIn) -> dict[str, Any]:
    review = activity.record_review(session, case, data, actor=principal.actor)
    return {"id": review.id, "reviewer": review.reviewer, "reviewed_at": review.reviewed_at}


@router.post("/{ref}/transitions")
def transition(case: CurrentCase, session: DbSession, principal: Staff, data: TransitionIn) -> CaseDetail:
    activity.transition(session, case, data, principal)
    return service.detail(session, case.ref, principal, None)


@router.put("/{ref}/assignment")
def assign(case: CurrentCase, session: DbSession, principal: Legal, data: AssignmentIn) -> dict[str, Any]:
    activity.assign(session, case, data.law_firm, actor=principal.actor)
    return {"ref": case.ref, "law_firm": data.law_firm}


@router.put("/{ref}/court-designation")
def designate_court(case: CurrentCase, session: DbSession, settings: AppSettings, principal: Legal,
                    data: CourtDesignationIn) -> dict[str, Any]:
    """US-28: record the court designation chosen for filing (a Texas Justice Court's precinct and
    place, a District Court's judicial district), for the court the case's venue names today."""
    found = designation.record(session, case, data.court_designation, actor=principal.actor,
                               licensed_cap=settings.licensed_cost_cap)
    return {"ref": case.ref, "court_designation": found.designation, "court": found.court}
