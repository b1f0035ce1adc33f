"""The FastAPI application factory."""

import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

from fastapi import FastAPI

import service.models  # noqa: F401  (every table mapped, the audit trail installed)
from service.access import service as access_service
from service.access.routes import Firms
from service.access.routes import router as apikeys_router
from service.audit.routes import router as audit_router
from service.cases import repository as case_repository
from service.cases import service as case_service
from service.cases.firm_routes import router as law_firms_router
from service.cases.lender_routes import router as lenders_router
from service.cases.routes import router as cases_router
from service.core import problems
from service.core.db import unit_of_work
from service.core.errors import ServiceError
from service.core.guard import RequestGuard
from service.core.idempotency import Authenticate, IdempotencyMiddleware
from service.core.routes import router as health_router
from service.core.settings import Settings, get_settings
from service.documents import bulk
from service.documents.completeness import ensure_complete
from service.documents.list_routes import router as document_lists_router
from service.documents.routes import router as documents_router
from service.jobs.executor import Sweeper
from service.jobs.routes import router as jobs_router
from service.packets.build import planner_for
from service.packets.routes import bundle_router
from service.packets.routes import router as packets_router
from service.visits.routes import router as visits_router
from service.web import routes as web
from service.webhooks.delivery import Pump
from service.webhooks.routes import router as webhooks_router

DESCRIPTION = """Dossier keeps each delinquent case's record, drives it through the escalation
process under its jurisdiction's rules, and produces the documents each step needs.

Authenticate with `Authorization: Bearer <API key>`. Errors are `application/problem+json`;
a refusal by a rule lists `violations: [{rule, message}]`. Every POST honours `Idempotency-Key`."""

ROUTERS = (health_router, cases_router, audit_router, documents_router, document_lists_router, packets_router,
           bundle_router, jobs_router, visits_router, webhooks_router, apikeys_router, law_firms_router,
           lenders_router)


def _actor_of(database_url: str) -> Authenticate:
    """The idempotency middleware's check of the caller, before it replays anything."""

    def actor(authorization: str) -> str | None:
        with unit_of_work(database_url, write=False) as session:
            try:
                return access_service.authenticate(session, authorization).actor
            except ServiceError:
                return None

    return actor


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    """With the local executor this process runs the jobs: at start it sends again what a dead
    predecessor left, and while it runs it sweeps for jobs whose worker died. A served app
    (``warm_render_pool``) starts the render pool its single-notice requests use beside it, and
    stops the pool's processes when it stops (nothing else would: they outlive a server that
    exits on SIGTERM)."""
    settings: Settings = app.state.settings
    sweeper = Sweeper(settings).start() if settings.executor == "local" else None
    pump = Pump(settings).start()  # webhook retries, with either executor
    if app.state.warm_render_pool:
        threading.Thread(target=bulk.warm_up, name="render-pool-warm-up", daemon=True).start()
    try:
        yield
    finally:
        pump.stop()
        if sweeper is not None:
            sweeper.stop()
        if app.state.warm_render_pool:
            bulk.shutdown()


def served_app() -> FastAPI:
    """The app of one of several server processes (``dossier serve --workers N``)."""
    return create_app(get_settings(), warm_render_pool=True)


def create_app(settings: Settings | None = None, *, warm_render_pool: bool = False) -> FastAPI:
    settings = settings or get_settings()
    ensure_complete(settings.templates_dir)  # a kind missing a template, sample, title or check fails here
    app = FastAPI(title="Dossier", version="0.1.0", description=DESCRIPTION, lifespan=_lifespan)
    app.state.settings = settings
    app.state.warm_render_pool = warm_render_pool
    # documents' planned kinds generated on their own: the packet's plan, from the request's session
    app.state.packet_planner = planner_for(settings)
    app.state.firms = Firms(case_service.firm_id, case_repository.firm_codes)  # API keys name firms by code
    problems.install(app)
    app.add_middleware(IdempotencyMiddleware, database_url=settings.database_url,
                       authenticate=_actor_of(settings.database_url),
                       lease=timedelta(seconds=settings.idempotency_lease_seconds))
    app.add_middleware(RequestGuard, settings=settings, page=web.refusal_page)  # added last: runs first
    for router in ROUTERS:
        app.include_router(router, responses=None if router is health_router else problems.problem_responses())
    web.install(app)  # the UI for legal staff and law firms, at / on the same port
    return app
