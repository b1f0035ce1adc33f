"""Garbage collection of stored bytes nothing refers to.

Bytes are stored just before or after their row is written; a transaction that fails after the
store leaves an unreferenced object behind. Objects are content-addressed, so such a leftover is
harmless but untidy; this removes those older than a grace period (so an upload still in its
transaction is never touched).
"""

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.core.clock import utcnow
from service.core.settings import Settings
from service.core.storage import get_store
from service.documents.models import GeneratedDocument
from service.jobs.models import Job, JobKind, JobStatus
from service.packets.models import EvidenceItem


@dataclass(frozen=True)
class Collected:
    kept: int
    removed: list[str]


def referenced(session: Session) -> set[str]:
    found = set(session.scalars(select(GeneratedDocument.sha256)))
    found |= set(session.scalars(select(EvidenceItem.sha256)))
    for result in session.scalars(select(Job.result).where(Job.kind == JobKind.PACKET, Job.status == JobStatus.DONE)):
        if sha := result.get("bundle_sha256"):
            found.add(sha)
    return found


def collect(session: Session, settings: Settings, *, grace: timedelta = timedelta(hours=1),
            dry_run: bool = False) -> Collected:
    store, keep = get_store(settings), referenced(session)
    cutoff = utcnow() - grace
    orphans = [e.sha256 for e in store.addresses() if e.sha256 not in keep and e.stored_at < cutoff]
    if not dry_run:
        for sha in orphans:
            store.delete(sha)
    return Collected(kept=len(keep), removed=orphans)
