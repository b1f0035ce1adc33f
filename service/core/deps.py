"""Typed FastAPI dependencies of the infrastructure: settings and the request's transaction.

Who is calling is access's (``access.deps``: ``CurrentPrincipal`` and the role aliases), which
case a route works on is cases' (``cases.deps.CurrentCase``)."""

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from service.core.db import unit_of_work
from service.core.settings import Settings


def get_settings_dep(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


AppSettings = Annotated[Settings, Depends(get_settings_dep)]


def get_session(settings: AppSettings) -> Iterator[Session]:
    """One transaction per request, committed at the boundary."""
    with unit_of_work(settings.database_url) as session:
        yield session


DbSession = Annotated[Session, Depends(get_session, scope="function")]
