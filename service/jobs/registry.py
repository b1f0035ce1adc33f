"""Job kinds and their handlers. A handler gets a session (its own transaction), the job row
and a progress callback; it returns the job's result. Handlers register themselves by kind."""

from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from service.core.settings import Settings
from service.jobs.announce import announcing
from service.jobs.models import Job, JobKind

Progress = Callable[[int, int], None]
Handler = Callable[[Session, Job, Settings, Progress], dict[str, Any]]

_HANDLERS: dict[JobKind, Handler] = {}
# Modules a worker process imports by name before running anything: the model aggregator (every
# table mapped, the audit trail installed), then those whose import registers handlers, so a
# worker finds every kind. By name, because they sit above jobs: they enqueue jobs themselves.
HANDLER_MODULES = ("service.models", "service.audit.jobs", "service.packets.jobs", "service.documents.jobs",
                   "service.visits.jobs")


def handler(kind: JobKind) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        _HANDLERS[kind] = fn
        return fn

    return register


def get_handler(kind: JobKind) -> Handler:
    """The kind's handler, announcing its job's end to webhooks (``announce``)."""
    if kind not in _HANDLERS:
        load_all()
    try:
        found = _HANDLERS[kind]
    except KeyError:
        raise LookupError(f"no handler for job kind {kind!r}") from None
    wrapped: Handler = announcing(found)
    return wrapped


def load_all() -> None:
    import importlib

    for name in HANDLER_MODULES:
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
