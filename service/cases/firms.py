"""Partner law firms: recorded, listed and corrected (the admin API, the CLI and the demo seed),
each postal code checked against where the firm practises, each act by a person audited. A firm's
code never changes: assignments, API keys and users name the firm by it."""

from typing import Any

from sqlalchemy.orm import Session

from service.cases import repository
from service.cases.models import LawFirm
from service.cases.schemas import LawFirmIn, LawFirmPatch
from service.cases.validation import firm_errors, postal_code_errors
from service.core import pagination, trail
from service.core.errors import FieldError, InvalidInput, NotFound


def save_law_firm(session: Session, data: LawFirmIn) -> LawFirm:
    """Record a partner law firm (a new code) or update it (a known one); a bad postal code is
    refused naming the field."""
    if errors := firm_errors(data):
        raise InvalidInput(errors)
    firm = repository.firm_by_code(session, data.code)
    if firm is None:
        firm = LawFirm(code=data.code)
        session.add(firm)
    for key, value in data.model_dump(exclude={"code"}).items():
        setattr(firm, key, str(value) if key == "profile" else value)
    session.flush()
    return firm


def create_firm(session: Session, data: LawFirmIn, *, actor: str) -> LawFirm:
    """A new firm; a code already recorded is refused naming `code` (a correction is a PATCH)."""
    if repository.firm_by_code(session, data.code) is not None:
        raise InvalidInput.one("code", f"a law firm with the code {data.code!r} exists")
    firm = save_law_firm(session, data)
    trail.record(session, actor=actor, action="law_firm.created", object_type="law_firm", object_id=firm.code,
                 data={"id": firm.id, "profile": firm.profile})
    return firm


def list_firms(session: Session, *, cursor: str | None, limit: int) -> tuple[list[LawFirm], str | None]:
    after = pagination.decode(cursor, int)[0] if cursor else None
    rows = repository.law_firms(session, after=after, limit=limit + 1)
    more, rows = len(rows) > limit, rows[:limit]
    return rows, pagination.encode(rows[-1].id) if more and rows else None


def get_firm(session: Session, firm_id: int) -> LawFirm:
    firm = session.get(LawFirm, firm_id)
    if firm is None:
        raise NotFound(f"law firm {firm_id} does not exist")
    return firm


def update_firm(session: Session, firm_id: int, data: LawFirmPatch, *, actor: str) -> LawFirm:
    """Correct the fields given; the postal code is checked against the profile the firm then has
    (changing one can refuse the other). The trail names the fields changed, not their values."""
    firm = get_firm(session, firm_id)
    changes = _changes(data)
    profile, postal_code = str(changes.get("profile", firm.profile)), changes.get("postal_code", firm.postal_code)
    if errors := postal_code_errors(profile, postal_code, "postal_code"):
        raise InvalidInput(errors)
    changed = sorted(k for k, v in changes.items() if getattr(firm, k) != v)
    for key in changed:
        setattr(firm, key, changes[key])
    session.flush()
    if changed:
        trail.record(session, actor=actor, action="law_firm.updated", object_type="law_firm", object_id=firm.code,
                     data={"id": firm.id, "fields": changed})
    return firm


def _changes(data: LawFirmPatch) -> dict[str, Any]:
    given = data.model_dump(exclude_unset=True)
    if nulls := [FieldError(k, "must not be null (leave it out to keep it)") for k, v in given.items() if v is None]:
        raise InvalidInput(nulls)
    return {k: str(v) if k == "profile" else v for k, v in given.items()}
