"""The audit trail's job: verifying the hash chain in the background."""

from typing import Any

from sqlalchemy.orm import Session

from service.audit import service as audit
from service.core.settings import Settings
from service.jobs.models import Job, JobKind
from service.jobs.registry import Progress, handler


@handler(JobKind.AUDIT_VERIFY)
def verify_audit(session: Session, job: Job, settings: Settings, progress: Progress) -> dict[str, Any]:
    count, problem = audit.verify(session)
    progress(count, count)
    if problem is None:
        return {"intact": True, "events": count}
    return {"intact": False, "events": count, "seq": problem.seq, "kind": problem.kind, "message": problem.message}
