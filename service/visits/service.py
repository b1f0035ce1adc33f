"""Visit-kit use-cases: ask for one (a job), build one (CLI and worker), hand it out. Every step
is in the audit trail: requested, built (with the PDF's hash and the template versions), downloaded."""

from dataclasses import asdict
from datetime import date, datetime
from typing import IO, Any

from sqlalchemy.orm import Session

from service.cases.casefile import load_case_file
from service.cases.models import DebtCase
from service.cases.validation import checked_as_of
from service.core import trail
from service.core.clock import today
from service.core.errors import NotFound
from service.core.settings import Settings
from service.core.storage import get_store
from service.jobs import service as jobs_service
from service.jobs.models import Job, JobKind, JobStatus
from service.visits.kit import Progress, VisitKit, build_visit_kit, check, facts_for
from service.visits.schemas import VisitKitIn

JOB_KIND = JobKind.VISIT_KIT


def request_visit_kit(session: Session, settings: Settings, case: DebtCase, data: VisitKitIn, *,
                      actor: str) -> Job:
    """Refuse at once, naming the rule (stage, hold, no notified visit); else queue the build."""
    cf = load_case_file(session, case.ref)
    on = checked_as_of(cf, data.as_of, today(cf.borrower.timezone))
    check(facts_for(cf, on, None))
    params = {"as_of": data.as_of.isoformat() if data.as_of else None}
    job = jobs_service.enqueue(session, settings, kind=JOB_KIND, params=params, actor=actor, case_id=case.id)
    trail.record(session, actor=actor, action="visit_kit.requested", object_type="job", object_id=job.id,
                 case_id=case.id, data=params)
    return job


def build_and_record(session: Session, settings: Settings, case_ref: str, *, as_of: date | None, actor: str,
                     now: datetime | None = None, job_id: str | None = None,
                     progress: Progress | None = None) -> tuple[VisitKit, dict[str, Any]]:
    kit = build_visit_kit(session, settings, case_ref, as_of=as_of, now=now, progress=progress)
    stored = get_store(settings).put_bytes(kit.pdf)
    summary = {"pdf_sha256": stored.sha256, "size": stored.size, "pages": kit.pages, "visit_id": kit.visit_id,
               "as_of": kit.as_of.isoformat(), "proposals": kit.proposals, "missing": kit.missing,
               "parts": [asdict(p) for p in kit.parts]}
    case = load_case_file(session, case_ref).case
    trail.record(session, actor=actor, action="visit_kit.built", object_type="job" if job_id else "visit_kit",
                 object_id=job_id or stored.sha256, case_id=case.id,
                 data={**summary, "template_versions": kit.template_versions})
    return kit, summary


def run_visit_kit_job(session: Session, settings: Settings, job: Job, progress: Progress) -> dict[str, Any]:
    case = session.get(DebtCase, job.case_id)
    if case is None:
        raise NotFound(f"case of job {job.id} no longer exists")
    as_of = date.fromisoformat(job.params["as_of"]) if job.params.get("as_of") else None
    _, summary = build_and_record(session, settings, case.ref, as_of=as_of, actor=job.actor, job_id=job.id,
                                  progress=progress)
    return {**summary, "case_ref": case.ref, "links": {"pdf": f"/v1/jobs/{job.id}/visit-kit"}}


def open_kit(session: Session, settings: Settings, job: Job, *, actor: str) -> IO[bytes]:
    sha = job.result.get("pdf_sha256") if job.kind == JOB_KIND and job.status == JobStatus.DONE else None
    if not sha:
        raise NotFound(f"job {job.id} has no finished visit kit")
    stream = get_store(settings).open(sha)
    trail.record(session, actor=actor, action="visit_kit.downloaded", object_type="job", object_id=job.id,
                 case_id=job.case_id, data={"sha256": sha})
    return stream
