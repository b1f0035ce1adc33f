"""The one error tree. Each surface (API, CLI) renders it in one place."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Violation:
    """A broken rule: its id (e.g. ``CN-01``) and a message a person can act on. ``message`` is
    English (the API's); ``localized`` holds the same message in other locales (zh-CN) where the
    rule set's catalogue words it, for the pages in that language."""

    rule: str
    message: str
    localized: Mapping[str, str] = field(default_factory=dict, compare=False)

    def as_dict(self) -> dict[str, str]:
        return {"rule": self.rule, "message": self.message}


class ServiceError(Exception):
    status_code = 400
    title = "Request failed"
    type_slug = "error"

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail

    def extra(self) -> dict[str, Any]:
        """Members the problem document carries beside type, title, status and detail."""
        return {}

    def headers(self) -> dict[str, str] | None:
        return None


class NotFound(ServiceError):
    status_code = 404
    title = "Not found"
    type_slug = "not-found"


class CaseNotFound(NotFound):
    def __init__(self, ref: str) -> None:
        super().__init__(f"case {ref!r} does not exist")


class Conflict(ServiceError):
    status_code = 409
    title = "Conflict"
    type_slug = "conflict"


class Forbidden(ServiceError):
    status_code = 403
    title = "Forbidden"
    type_slug = "forbidden"


class PermissionDenied(Forbidden):
    """The caller's role lacks a named permission; the problem document names it."""

    def __init__(self, role: str, permission: str, allowed: Sequence[str]) -> None:
        super().__init__(f"role {role!r} lacks the permission {permission!r} "
                         f"(held by {', '.join(sorted(allowed))})")
        self.permission = permission

    def extra(self) -> dict[str, Any]:
        return {"permission": self.permission}


class Unauthorized(ServiceError):
    status_code = 401
    title = "Unauthorized"
    type_slug = "unauthorized"


class TooManyRequests(ServiceError):
    status_code = 429
    title = "Too many requests"
    type_slug = "too-many-requests"

    def __init__(self, detail: str, *, retry_after: int) -> None:
        super().__init__(detail)
        self.retry_after = retry_after

    def headers(self) -> dict[str, str] | None:
        return {"Retry-After": str(self.retry_after)}


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str


class InvalidInput(ServiceError):
    """Input that is well-formed JSON but wrong: names each offending field."""

    status_code = 422
    title = "Invalid input"
    type_slug = "invalid-input"

    def __init__(self, errors: Sequence[FieldError]) -> None:
        super().__init__("; ".join(f"{e.field}: {e.message}" for e in errors))
        self.errors = list(errors)

    @classmethod
    def one(cls, field: str, message: str) -> "InvalidInput":
        return cls([FieldError(field, message)])


class RuleViolation(ServiceError):
    """A compliance or process rule refused the act; carries the rule ids."""

    status_code = 422
    title = "Refused by rule"
    type_slug = "rule-violation"

    def __init__(self, violations: Sequence[Violation]) -> None:
        super().__init__("; ".join(f"{v.rule}: {v.message}" for v in violations))
        self.violations = list(violations)
