"""The visit-kit job handler (registered by kind; the worker imports this module)."""

from typing import Any

from sqlalchemy.orm import Session

from service.core.settings import Settings
from service.jobs.models import Job
from service.jobs.registry import Progress, handler
from service.visits import service


@handler(service.JOB_KIND)
def visit_kit(session: Session, job: Job, settings: Settings, progress: Progress) -> dict[str, Any]:
    return service.run_visit_kit_job(session, settings, job, progress)
