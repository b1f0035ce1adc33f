"""Health and readiness."""

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text

from service.core.db import engine_for
from service.core.deps import AppSettings
from service.core.migrate import is_current

router = APIRouter(tags=["health"])


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    # On the event loop, not in the thread pool: it answers while every worker thread waits.
    return {"status": "ok"}


@router.get("/readyz", responses={503: {"description": "not ready: the database is unreachable or behind "
                                                         "its migrations (same body as 200)"}})
def readyz(settings: AppSettings) -> JSONResponse:
    engine = engine_for(settings.database_url)
    checks: dict[str, Any] = {}
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        checks["database"] = "ok"
        checks["migrations"] = "current" if is_current(engine, settings.database_url) else "behind"
    except Exception as exc:  # readiness reports any failure as not ready
        checks["database"] = f"unreachable: {type(exc).__name__}"
    ready = checks.get("database") == "ok" and checks.get("migrations") == "current"
    return JSONResponse({"status": "ready" if ready else "not ready", **checks}, status_code=200 if ready else 503)
