"""A case's page: borrower (masked), loan, schedule, payments, balances, claim, timeline, warnings."""

from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from starlette.responses import Response

from service.audit import service as audit_service
from service.cases import search
from service.cases import service as case_service
from service.cases.casefile import CaseFile, load_case_file
from service.cases.claim_view import claim_view
from service.cases.enums import Direction, FailureReason, Outcome, Stage
from service.cases.escalation import facts_for, targets
from service.cases.warnings import current_warnings
from service.core.clock import today, utcnow
from service.core.deps import AppSettings, DbSession
from service.core.errors import ServiceError
from service.core.security import Principal
from service.documents import records as document_records
from service.documents import rules as document_rules
from service.documents.registry import KINDS
from service.jobs import listing as job_listing
from service.jobs.models import JobKind
from service.packets import evidence_service
from service.packets.models import EvidenceItem
from service.packets.schemas import REDACTABLE, Category
from service.packets.schemas import Form as EvidenceForm
from service.web.auth import CurrentUser
from service.web.errors import HTMLRoute
from service.web.templating import render
from service.web.views.actions import STAFF

DONE = ("moved", "assigned", "designated", "document", "payment", "contact", "delivered", "returned", "visit", "plan",
        "evidence")
router = APIRouter(route_class=HTMLRoute, include_in_schema=False)


def _claim(session: DbSession, ref: str, settings: AppSettings) -> tuple[dict[str, Any] | None, str]:
    try:
        cf, claim = case_service.claim(session, ref, None, licensed_cap=settings.licensed_cost_cap)
    except ServiceError as exc:  # e.g. nothing is claimable yet: the page says why
        return None, exc.detail
    return claim_view(cf, claim), ""


def _deliverable(cf: CaseFile, principal: Principal) -> dict[tuple[str, str], int]:
    """The outbound communications still recorded as sent, by the timeline event that recorded
    them (a contact, or the notice generated): those rows offer "mark delivered" and "mark returned"
    to the roles the routes allow (activity.record_delivery and record_failure, as the API's
    POST .../delivered and .../failed)."""
    if principal.role not in STAFF:
        return {}
    found: dict[tuple[str, str], int] = {}
    for comm in cf.communications:
        if comm.direction == Direction.OUT and comm.outcome == Outcome.SENT:
            found["communication", str(comm.id)] = comm.id
            if comm.document_id:
                found["document", comm.document_id] = comm.id
    return found


def _originals(evidence: list[EvidenceItem]) -> list[EvidenceItem]:
    """The uploads a redacted copy may name (evidence_service: a document of a redactable category,
    not itself a copy): the upload form's choices for redaction_of."""
    return [i for i in evidence if i.category in REDACTABLE and i.redaction_of is None
            and not i.media_type.startswith("audio/")]


def _visits(cf: CaseFile) -> list[dict[str, Any]]:
    """The case's visits made, for the upload form's visit_id: the day and time where the borrower
    lives, the address, whether the borrower signed; only a signed one may be chosen (an unsigned
    visit's record is filed as made: evidence_service refuses a scan naming it)."""
    tz = ZoneInfo(cf.borrower.timezone or "Asia/Shanghai")
    return [{"id": v.id, "at": v.started_at.astimezone(tz).strftime("%Y-%m-%d %H:%M"), "address": v.address,
             "signature": v.signature, "signed": v.signature == "signed"}
            for v in cf.visits if v.started_at is not None]


def case_context(session: DbSession, settings: AppSettings, user: CurrentUser, ref: str) -> dict[str, Any]:
    case = case_service.visible_case(session, user.principal, ref)  # another firm's case: 404
    detail = case_service.detail(session, case.ref, user.principal, None)
    cf = load_case_file(session, case.ref)
    facts = facts_for(cf, today(cf.borrower.timezone), user.principal)
    claim, claim_problem = _claim(session, case.ref, settings)
    stage = Stage(case.stage)
    kinds = sorted(k for k, v in KINDS.items() if cf.case.profile in v.locales and stage in v.stages)
    return {"case": case, "d": detail, "claim": claim, "claim_problem": claim_problem,
            # DOC-09: a lawyer letter sent again restarted the days the complaint waits for
            "warnings": [*current_warnings(cf, facts.limitation, now=utcnow(), on=facts.on),
                         *document_rules.restarted(cf, facts.on, utcnow())],
            "events": audit_service.case_events(session, case.id),
            "documents": document_records.case_documents(session, case.id),
            "evidence": (evidence := evidence_service.list_items(session, case)),
            "originals": _originals(evidence), "visits": _visits(cf),
            "packets": job_listing.case_jobs(session, case.id, JobKind.PACKET),
            "targets": [s.value for s in targets(facts.rules, stage)], "kinds": kinds, "contacts": cf.contacts,
            "deliverable": _deliverable(cf, user.principal), "failure_reasons": [r.value for r in FailureReason],
            "categories": list(Category), "forms": list(EvidenceForm),
            "firms": [] if user.principal.is_law_firm else search.firm_codes(session)}


@router.get("/cases/{ref}")
def case_page(ref: str, request: Request, session: DbSession, settings: AppSettings, user: CurrentUser,
              done: str = "") -> Response:
    context = {**case_context(session, settings, user, ref), "done": done if done.split("-")[0] in DONE else ""}
    made = done.removeprefix("document-") if done.startswith("document-") else ""
    context["made"] = next((d for d in context["documents"] if d.id == made), None)
    return render(request, "case/page.html", context, user=user)
