"""The bounded schemathesis run (issue 9, part 6): every API operation, fed data generated from
its own OpenAPI schema — valid and invalid — answers without a server error, with a status code
the schema declares, in a declared content type, with a body matching the declared schema
(errors as problem+json).

Bounded: `EXAMPLES` per operation, against the suite's database (SQLite, or PostgreSQL when
DOSSIER_DATABASE_URL names one), rolled back after each operation, with each role's key in turn.
Path parameters that name a case are pointed at a real case (assigned to the test firm) half of
the time so the operations get past the 404.
"""

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy import select
from sqlalchemy.orm import Session

from service.cases.models import LawFirm
from service.core.settings import Settings
from tests.conftest import auth

EXAMPLES = 12
ROLES = ("admin", "legal_staff", "collector", "law_firm")
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture
def api_app(settings: Settings, db: Session, keys: dict[str, str], case: Any) -> Any:
    from service.app import create_app
    from service.core.deps import get_session

    # Limits high enough that the run measures the operations, not the rate limiter.
    app = create_app(settings.model_copy(update={"rate_limit_per_key": "100000/minute",
                                                 "rate_limit_per_address": "100000/minute",
                                                 "auth_failure_limit": "100000/minute"}))

    def _session() -> Iterator[Session]:
        yield db
        db.flush()

    app.dependency_overrides[get_session] = _session
    case.law_firm_id = db.scalar(select(LawFirm.id).where(LawFirm.code == "TFIRM"))  # the firm's key sees it
    db.flush()
    app.state.probe = {"keys": [keys[role] for role in ROLES], "ref": case.ref}
    return app


def _operations() -> list[tuple[str, GenerationMode]]:
    """Every operation with valid data; those that take input with invalid data too."""
    from service.app import create_app

    spec = create_app(Settings()).openapi()
    found = []
    for path, item in spec["paths"].items():
        for method, op in item.items():
            found.append((f"{method.upper()} {path}", GenerationMode.POSITIVE))
            if op.get("requestBody") or any(_constrained(p["schema"]) for p in op.get("parameters", [])):
                found.append((f"{method.upper()} {path}", GenerationMode.NEGATIVE))
    return found


def _constrained(schema: dict[str, Any]) -> bool:
    # A bare string (an id in the path) has no invalid value to generate.
    return set(schema) - {"title", "description"} != {"type"} or schema.get("type") != "string"


@pytest.mark.parametrize(("label", "mode"), _operations(), ids=lambda v: str(v))
def test_api_answers_as_its_schema_says(api_app: Any, label: str, mode: GenerationMode) -> None:
    operation = schemathesis.openapi.from_asgi("/openapi.json", api_app).find_operation_by_label(label)
    assert operation is not None
    probe = api_app.state.probe
    calls = iter(range(10**6))

    @given(case=operation.as_strategy(mode))
    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def run(case: Any) -> None:
        if "ref" in (case.path_parameters or {}) and len(str(case.path_parameters["ref"])) % 2 == 0:
            case.path_parameters["ref"] = probe["ref"]
        # Every role in turn: refusals (403, 404 for a firm) must match the schema as well.
        key = probe["keys"][next(calls) % len(probe["keys"])]
        case.headers = {**(case.headers or {}), **auth(key)}
        case.call_and_validate(checks=CHECKS)

    run()
