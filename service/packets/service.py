"""Packet use-cases: ask for one (a job), build one (CLI and worker), hand it out."""

import tempfile
from datetime import date
from pathlib import Path
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
from service.packets.build import Built, Progress, build_packet, check_complete, check_ready, make_plan
from service.packets.schemas import PacketIn


def request_packet(session: Session, settings: Settings, case: DebtCase, data: PacketIn, *, actor: str) -> Job:
    """Refuse at once, naming what is missing, unless a draft is asked for; else queue the build."""
    cf = load_case_file(session, case.ref)
    on = checked_as_of(cf, data.as_of, today(cf.borrower.timezone))  # refused now, not after the job fails
    check_ready(cf, on, draft=data.draft)
    check_complete(make_plan(session, settings, cf), draft=data.draft)
    params = {"as_of": data.as_of.isoformat() if data.as_of else None, "draft": data.draft, "sign": data.sign}
    job = jobs_service.enqueue(session, settings, kind=JobKind.PACKET, params=params, actor=actor, case_id=case.id)
    trail.record(session, actor=actor, action="packet.requested", object_type="job", object_id=job.id,
                 case_id=case.id, data=params)
    return job


def build_and_record(session: Session, settings: Settings, case_ref: str, out_zip: Path, *, as_of: date | None,
                     draft: bool, sign: bool, actor: str, progress: Progress | None = None,
                     job_id: str | None = None) -> tuple[Built, dict[str, Any]]:
    built = build_packet(session, settings, case_ref, out_zip, as_of=as_of, draft=draft, sign=sign,
                         progress=progress)
    stored = get_store(settings).put_file(out_zip)
    summary = {"bundle_sha256": stored.sha256, "size": stored.size, "pages": built.assembly.total_pages,
               "bates_first": built.assembly.bates_first, "bates_last": built.assembly.bates_last,
               "draft": draft, "signed": sign, "missing": built.plan.missing,
               "filer_forms": [" ".join(filter(None, (f.form, f.title))) for f in built.plan.filer_forms],
               "exhibits": len(built.plan.exhibits), "recordings": len(built.plan.recordings),
               "withheld": built.plan.withheld, "not_held": built.plan.not_held,
               "warnings": [v.as_dict() for v in built.plan.warnings]}
    cf = load_case_file(session, case_ref)
    trail.record(session, actor=actor, action="packet.built", object_type="job" if job_id else "packet",
                 object_id=job_id or stored.sha256, case_id=cf.case.id,
                 data={**summary, "template_versions": built.template_versions})
    return built, summary


def run_packet_job(session: Session, settings: Settings, job: Job, progress: Progress) -> dict[str, Any]:
    case = session.get(DebtCase, job.case_id)
    if case is None:
        raise NotFound(f"case of job {job.id} no longer exists")
    as_of = date.fromisoformat(job.params["as_of"]) if job.params.get("as_of") else None
    with tempfile.TemporaryDirectory(prefix="dossier-job-") as tmp:
        _, summary = build_and_record(session, settings, case.ref, Path(tmp) / "packet.zip", as_of=as_of,
                                      draft=bool(job.params.get("draft")), sign=bool(job.params.get("sign")),
                                      actor=job.actor, progress=progress, job_id=job.id)
    return {**summary, "case_ref": case.ref, "links": {"bundle": f"/v1/jobs/{job.id}/bundle"}}


def open_bundle(session: Session, settings: Settings, job: Job, *, actor: str) -> IO[bytes]:
    sha = job.result.get("bundle_sha256") if job.kind == JobKind.PACKET and job.status == JobStatus.DONE else None
    if not sha:
        raise NotFound(f"job {job.id} has no finished packet")
    stream = get_store(settings).open(sha)
    trail.record(session, actor=actor, action="packet.downloaded", object_type="job", object_id=job.id,
                 case_id=job.case_id, data={"sha256": sha})
    return stream
