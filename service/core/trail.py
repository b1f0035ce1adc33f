"""The port through which every domain records a legally meaningful act in the audit trail.

The trail itself (its tables, hash chain, API and verify job) is the ``service.audit`` package,
which sits above cases and access: its API filters events by case and by law firm. Cases records
acts too, so it cannot import the trail; it and every other domain call ``record`` here, and the
audit package installs its writer when it is imported (``service.models``, the model aggregator,
imports it; so do the app, the CLI, the job runner and Alembic). A process that records before
that fails loudly instead of losing the act.
"""

from datetime import datetime
from typing import Any, Protocol

from sqlalchemy.orm import Session


class Writer(Protocol):
    def __call__(self, session: Session, *, actor: str, action: str, object_type: str, object_id: str | int,
                 case_id: int | None = None, reason: str = "", data: dict[str, Any] | None = None,
                 at: datetime | None = None) -> object: ...


# The one writer, installed once per process when service.audit is imported (as job handlers
# register themselves in the job registry).
_installed: list[Writer] = []


def install(writer: Writer) -> None:
    _installed[:] = [writer]


def record(session: Session, *, actor: str, action: str, object_type: str, object_id: str | int,
           case_id: int | None = None, reason: str = "", data: dict[str, Any] | None = None,
           at: datetime | None = None) -> None:
    """Append one event in the caller's transaction (flush only; the boundary commits)."""
    if not _installed:
        raise RuntimeError("the audit trail is not installed: import service.models (or service.audit) first")
    _installed[0](session, actor=actor, action=action, object_type=object_type, object_id=object_id,
                 case_id=case_id, reason=reason, data=data, at=at)
