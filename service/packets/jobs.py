"""The packet job handler, and the notice batch's (registered by kind; the worker imports this module).

The notice batch's handler is registered here, above documents, because a batch may hold a
planned kind (a complaint lists the exhibits as the packet's evidence index numbers them): it
runs ``documents.jobs.run_notice_batch`` with the packet planner bound to the job's session."""

from typing import Any

from sqlalchemy.orm import Session

from service.core.settings import Settings
from service.documents import jobs as notice_jobs
from service.jobs.models import Job, JobKind
from service.jobs.registry import Progress, handler
from service.packets import service
from service.packets.build import planner_for


@handler(JobKind.PACKET)
def packet(session: Session, job: Job, settings: Settings, progress: Progress) -> dict[str, Any]:
    return service.run_packet_job(session, settings, job, progress)


@handler(JobKind.NOTICE_BATCH)
@handler(JobKind.NOTICE_BATCH_PART)
def notice_batch(session: Session, job: Job, settings: Settings, progress: Progress) -> dict[str, Any]:
    return notice_jobs.run_notice_batch(session, job, settings, progress, planner=planner_for(settings)(session))
