"""The FastAPI application factory."""

from fastapi import FastAPI

import service.models  # noqa: F401  (every table mapped, the audit trail installed)
from service.audit.routes import router as audit_router
from service.cases.routes import router as cases_router
from service.core import problems
from service.core.guard import RequestGuard
from service.core.idempotency import IdempotencyMiddleware
from service.core.routes import router as health_router
from service.core.settings import Settings, get_settings
from service.documents.routes import router as documents_router
from service.jobs.routes import router as jobs_router
from service.packets.plan import case_planner
from service.packets.routes import bundle_router
from service.packets.routes import router as packets_router

DESCRIPTION = """Dossier keeps each delinquent case's record, drives it through the escalation
process under its jurisdiction's rules, and produces the documents each step needs.

Authenticate with `Authorization: Bearer <API key>`. Errors are `application/problem+json`;
a refusal by a rule lists `violations: [{rule, message}]`. Every POST honours `Idempotency-Key`."""

ROUTERS = (health_router, cases_router, audit_router, documents_router, packets_router, bundle_router, jobs_router)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    app = FastAPI(title="Dossier", version="0.1.0", description=DESCRIPTION)
    app.state.settings = settings
    app.state.packet_planner = case_planner(settings.templates_dir)  # documents' planned kinds, on their own
    problems.install(app)
    app.add_middleware(IdempotencyMiddleware, database_url=settings.database_url)
    app.add_middleware(RequestGuard, settings=settings)  # added last: runs first
    for router in ROUTERS:
        app.include_router(router, responses=problems.problem_responses() if router.prefix.startswith("/v1") else None)
    return app
