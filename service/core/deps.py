"""Typed FastAPI dependencies of the infrastructure: settings and the request's transaction.

Who is calling is access's (``access.deps``: ``CurrentPrincipal`` and the role aliases), which
case a route works on is cases' (``cases.deps.CurrentCase``)."""

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from service.core import idempotency
from service.core.db import unit_of_work
from service.core.settings import Settings


async def get_settings_dep(request: Request) -> Settings:
    """`async def`, as every dependency that does no I/O: run on the event loop, not handed to a
    worker thread and back as a plain `def` is."""
    settings: Settings = request.app.state.settings
    return settings


AppSettings = Annotated[Settings, Depends(get_settings_dep)]


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


async def reads_first(request: Request) -> None:
    """A route that does its long work (rendering a document) before it writes, and takes the
    write lock itself where it starts writing (``ensure_writing``): its transaction begins as a
    reader, like a GET's. Listed in the route's ``dependencies``, which run before its session."""
    request.state.reads_first = True


def is_reads_first(request: Request) -> bool:
    return bool(getattr(request.state, "reads_first", False))


def get_session(request: Request, settings: AppSettings) -> Iterator[Session]:
    """One transaction per request, committed at the boundary. A request that changes something
    starts as a writer (on SQLite it queues for the write lock before reading, so what it reads
    is what it writes against), unless its route `reads_first`; a GET reads beside the writer
    and becomes one only to append an audit event. A POST under an Idempotency-Key marks its
    key used in this same transaction."""
    write = request.method not in SAFE_METHODS and not is_reads_first(request)
    with unit_of_work(settings.database_url, write=write) as session:
        yield session
        idempotency.fence(session, idempotency.claim_of(request.scope))


DbSession = Annotated[Session, Depends(get_session, scope="function")]
