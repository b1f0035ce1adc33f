"""The download centre: a law firm's (or staff's) packets, documents and evidence with sizes and
hashes; every download goes through the audited paths of views/actions.py."""

from fastapi import APIRouter, Request
from starlette.responses import Response

from service.cases import repository as case_repository
from service.core.deps import DbSession
from service.documents import records as document_records
from service.jobs import listing as job_listing
from service.jobs.models import JobKind
from service.packets import listing as evidence_listing
from service.web.auth import CurrentUser
from service.web.errors import HTMLRoute
from service.web.templating import render

router = APIRouter(route_class=HTMLRoute, include_in_schema=False)


@router.get("/downloads")
def download_centre(request: Request, session: DbSession, user: CurrentUser) -> Response:
    ids = case_repository.visible_case_ids(user.principal)
    context = {"packets": job_listing.jobs_of_cases(session, ids, JobKind.PACKET),
               "documents": document_records.documents_of_cases(session, ids),
               "evidence": evidence_listing.evidence_of_cases(session, ids)}
    return render(request, "downloads.html", context, user=user)
