"""The packet job handler (registered by kind; the worker imports this module)."""

from typing import Any

from sqlalchemy.orm import Session

from service.core.settings import Settings
from service.jobs.models import Job, JobKind
from service.jobs.registry import Progress, handler
from service.packets import service


@handler(JobKind.PACKET)
def packet(session: Session, job: Job, settings: Settings, progress: Progress) -> dict[str, Any]:
    return service.run_packet_job(session, settings, job, progress)
