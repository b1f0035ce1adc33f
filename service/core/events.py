"""The port through which a domain announces an event to the clients that subscribed to it
(webhooks): a job finished, a plan was breached.

Like the audit trail (``core.trail``), the writer is installed by the package that owns the
tables (``service.webhooks``, imported by the model aggregator), so jobs and cases announce
without importing it. ``publish`` writes in the caller's transaction: an event exists exactly
when the change it announces is committed.
"""

from typing import Any, Protocol

from sqlalchemy.orm import Session


class Publisher(Protocol):
    def __call__(self, session: Session, event_type: str, data: dict[str, Any], *, owner: str | None = None
                 ) -> object: ...


_installed: list[Publisher] = []


def install(publisher: Publisher) -> None:
    _installed[:] = [publisher]


def publish(session: Session, event_type: str, data: dict[str, Any], *, owner: str | None = None) -> None:
    """Announce an event. ``owner``: only that actor's endpoints receive it (a job's completion
    goes to the key that asked for the job); None: every endpoint subscribed to the type."""
    if not _installed:
        raise RuntimeError("no event publisher installed: import service.models (or service.webhooks) first")
    _installed[0](session, event_type, data, owner=owner)
