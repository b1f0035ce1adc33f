"""A lender's profile, read and corrected by administrators (the API and the CLI): its NMLS ID and
the licences it holds, state by state (US-15 table, "licence_kinds"), and the app borrowers repay
in. A state's complaint alleges the licence the lender holds there (us_law.plaintiff_licence); a
notice names the app only where one is recorded (DOC-10); each correction is audited."""

from typing import Any

from sqlalchemy.orm import Session

from service.cases import repository
from service.cases.models import Lender, LenderLicence
from service.cases.rules import load_ruleset
from service.cases.schemas import LenderLicencesPatch
from service.cases.validation import licence_errors
from service.core import trail
from service.core.errors import FieldError, InvalidInput, NotFound


def get_lender(session: Session, code: str) -> Lender:
    lender = repository.lender_by_code(session, code)
    if lender is None:
        raise NotFound(f"lender {code} does not exist")
    return lender


def update_licences(session: Session, code: str, data: LenderLicencesPatch, *, actor: str) -> Lender:
    """Correct the NMLS ID and the state licences given: the licences given replace those recorded
    (a licence of the same state and kind is corrected in place, one left out goes). The trail
    names what changed (the states and kinds), not the numbers. An `app_name` given records the
    app borrowers repay in (null or empty: none), audited as its own event."""
    lender = get_lender(session, code)
    given = data.model_dump(exclude_unset=True)
    app_given = "app_name" in given  # null or empty: the lender has no app
    given.pop("app_name", None)
    if nulls := [FieldError(k, "must not be null (leave it out to keep it)") for k, v in given.items() if v is None]:
        raise InvalidInput(nulls)
    if errors := licence_errors(load_ruleset(lender.profile), data.nmls_id, data.licences):
        raise InvalidInput(errors)
    changed: dict[str, Any] = {}
    if data.nmls_id is not None and data.nmls_id != lender.nmls_id:
        lender.nmls_id, changed["nmls_id"] = data.nmls_id, True
    if data.licences is not None:
        held = {(x.state, x.kind): x for x in lender.licences}
        wanted = {(x.state, x.kind): x for x in data.licences}
        gone = sorted(set(held) - set(wanted))
        for key in gone:
            lender.licences.remove(held[key])
        touched = []
        for key, x in wanted.items():
            if key not in held:
                lender.licences.append(LenderLicence(state=x.state, kind=x.kind, number=x.number,
                                                     issued_on=x.issued_on))
                touched.append(key)
            elif (held[key].number, held[key].issued_on) != (x.number, x.issued_on):
                held[key].number, held[key].issued_on = x.number, x.issued_on
                touched.append(key)
        if gone or touched:
            changed["licences"] = {"removed": [f"{s}/{k}" for s, k in gone],
                                   "recorded": [f"{s}/{k}" for s, k in sorted(touched)]}
    if app_given and data.app_name != lender.app_name:
        before, lender.app_name = lender.app_name, data.app_name
        trail.record(session, actor=actor, action="lender.app_updated", object_type="lender", object_id=lender.code,
                     data={"id": lender.id, "app_name": lender.app_name, "before": before})
    session.flush()
    if changed:
        trail.record(session, actor=actor, action="lender.licences_updated", object_type="lender",
                     object_id=lender.code, data={"id": lender.id, **changed})
    return lender
