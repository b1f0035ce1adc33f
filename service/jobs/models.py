"""The job record: the one place long work reports status, progress and result."""

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from service.core.db import Base, UTCDateTime, text_enum


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def finished(self) -> bool:
        return self in (JobStatus.DONE, JobStatus.FAILED, JobStatus.CANCELLED)


class JobKind(StrEnum):
    """What a job does; each kind has one handler (``jobs.registry``)."""

    PACKET = "packet"
    AUDIT_VERIFY = "audit_verify"
    NOTICE_BATCH = "notice_batch"
    NOTICE_BATCH_PART = "notice_batch_part"  # a part of a big batch, claimed by any worker
    VISIT_KIT = "visit_kit"


class Job(Base):
    __tablename__ = "job"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    kind: Mapped[JobKind] = mapped_column(text_enum(JobKind, 30))
    status: Mapped[JobStatus] = mapped_column(text_enum(JobStatus, 12), index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("debt_case.id"), index=True)
    # A part of a big batch split across workers (``parts``): its parent job, which no worker
    # runs itself and which completes, with its parts' results merged, when the last part ends.
    parent_id: Mapped[str | None] = mapped_column(ForeignKey("job.id"), index=True)
    params: Mapped[dict[str, Any]] = mapped_column(default=dict)
    progress: Mapped[int] = mapped_column(default=0)
    total: Mapped[int] = mapped_column(default=0)
    result: Mapped[dict[str, Any]] = mapped_column(default=dict)
    error: Mapped[str] = mapped_column(Text, default="")
    actor: Mapped[str] = mapped_column(String(120))
    attempts: Mapped[int] = mapped_column(default=0)
    worker: Mapped[str] = mapped_column(String(80), default="")  # host:pid running it now
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
