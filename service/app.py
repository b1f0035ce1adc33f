"""The FastAPI application factory."""

from fastapi import FastAPI

from service.cases.routes import router as cases_router
from service.core import problems
from service.core.idempotency import IdempotencyMiddleware
from service.core.routes import audit_router
from service.core.routes import router as health_router
from service.core.settings import Settings, get_settings

DESCRIPTION = """Dossier keeps each delinquent case's record, drives it through the escalation
process under its jurisdiction's rules, and produces the documents each step needs.

Authenticate with `Authorization: Bearer <API key>`. Errors are `application/problem+json`;
a refusal by a rule lists `violations: [{rule, message}]`. Every POST honours `Idempotency-Key`."""


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    app = FastAPI(title="Dossier", version="0.1.0", description=DESCRIPTION)
    app.state.settings = settings
    problems.install(app)
    app.add_middleware(IdempotencyMiddleware, database_url=settings.database_url)
    for router in (health_router, cases_router, audit_router, *_optional_routers()):
        app.include_router(router)
    return app


def _optional_routers() -> list:  # type: ignore[type-arg]
    """Routers of domains that may not be present in every build stage."""
    import importlib

    found = []
    for name in ("service.documents.routes", "service.packets.routes", "service.jobs.routes"):
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        found.append(module.router)
        if hasattr(module, "bundle_router"):
            found.append(module.bundle_router)
    return found
