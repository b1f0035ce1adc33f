"""The web UI, mounted by the app on the same port as the API: its pages and its static files."""

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from service.web.errors import install_page_errors, refusal_page
from service.web.views import actions, admin, auth, case, cases, dashboard, downloads, visits_plans

__all__ = ["install", "refusal_page"]
STATIC_DIR = Path(__file__).parent / "static"


def install(app: FastAPI) -> None:
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    for module in (auth, cases, case, actions, visits_plans, downloads, dashboard, admin):
        app.include_router(module.router, include_in_schema=False)
    install_page_errors(app)
