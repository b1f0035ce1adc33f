"""The court designation a US caption prints (US-28): a Texas Justice Court's precinct and place, a
District Court's judicial district. Which one a suit goes to turns on the county's precinct map and
the courts it has, which no data of the case holds, so legal staff record the one chosen for filing,
for the court the case's venue names (US-17) at the time; the state table (US-15, a court's
"designation") says which courts take one and in what form.

A designation is printed only for the court it was recorded for: where the venue's court is now
another (the claim crossed the Justice Court's limit, the borrower moved county), the captions of a
draft print the blanks and a filing-ready paper is refused (``violation``) until one is recorded
for the new court.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy.orm import Session

from service.cases import accounts, us_law
from service.cases.casefile import load_case_file
from service.cases.models import DebtCase
from service.cases.rules import RuleSet, load_ruleset
from service.core import trail
from service.core.clock import today
from service.core.errors import InvalidInput, Violation

RULE = "US-28"
FIELD = "court_designation"


@dataclass(frozen=True, slots=True)
class Recorded:
    """What the case now records: the designation and the court it was recorded for ("" for none)."""

    designation: str
    court: str


def recorded_for(case: DebtCase, venue: us_law.Venue) -> str:
    """The designation the case records for the venue's court, where that court takes one and the
    recorded one is in its form; "" otherwise."""
    spec = venue.designation
    if spec is None or case.court_designation_court != venue.court or not spec.fits(case.court_designation):
        return ""
    return case.court_designation


def violation(rules: RuleSet, case: DebtCase, venue: us_law.Venue | None, kind: str) -> Violation | None:
    """US-28: a filing-ready `kind` whose court takes a designation not recorded for it, naming the field."""
    spec = venue.designation if venue is not None else None
    if venue is None or spec is None or recorded_for(case, venue) or not rules.has(RULE):
        return None
    rule = rules.rule(RULE)
    if not case.court_designation:
        return rule.violation(
            f"the {kind}'s caption names {venue.court} by its {spec.field} (e.g. \"{spec.example}\"), which no data "
            f"of the case gives: record the {spec.field} chosen for filing on the case ({FIELD})")
    if case.court_designation_court != venue.court:
        return rule.violation(
            f"the court designation \"{case.court_designation}\" ({FIELD}) was recorded for "
            f"{case.court_designation_court}; the {kind} is filed in {venue.court}: record its {spec.field} "
            f"({FIELD})")
    return rule.violation(f"the court designation \"{case.court_designation}\" ({FIELD}) is not a {spec.field} "
                          f"as {venue.court} takes it (e.g. \"{spec.example}\"): record it again ({FIELD})")


def record(session: Session, case: DebtCase, value: str | None, *, actor: str, licensed_cap: Decimal,
           on: date | None = None, at: datetime | None = None) -> Recorded:
    """Record (or with an empty `value` clear) the designation chosen for filing, for the court the
    case's venue names on `on` (default today, the borrower's): refused, naming the field, where
    that court takes none or `value` is not in its form. Audited (`at`: when, default now)."""
    given = re.sub(r"\s+", " ", value or "").strip()
    court = _court_taking(session, case, on, licensed_cap) if given else None
    if court is not None and court.designation is not None and not court.designation.fits(given):
        raise InvalidInput.one(FIELD, f"\"{given}\" is not a {court.designation.field} as {court.court} takes it: "
                                      f"write it as \"{court.designation.example}\"")
    case.court_designation, case.court_designation_court = given, court.court if court is not None else ""
    session.flush()
    trail.record(session, actor=actor, action="case.court_designated", object_type="case", object_id=case.ref,
                 case_id=case.id, data={"designation": given, "court": case.court_designation_court}, at=at)
    return Recorded(case.court_designation, case.court_designation_court)


def court_of(session: Session, case: DebtCase, *, licensed_cap: Decimal, on: date | None = None
             ) -> us_law.Venue | None:
    """The court the case's venue names for its claim on `on` (default today, the borrower's):
    None for a case of a profile whose courts follow no state's table (CN), or no known county."""
    cf = load_case_file(session, case.ref)
    rules = load_ruleset(cf.case.profile)
    if not rules.jurisdiction.state_law:
        return None
    claim = accounts.claim_of(cf, on or today(cf.borrower.timezone), licensed_cap=licensed_cap)
    return us_law.case_venue(rules, cf, claim.claimed_total)


def _court_taking(session: Session, case: DebtCase, on: date | None, licensed_cap: Decimal) -> us_law.Venue:
    """The venue's court for the claim on `on`, which must take a designation."""
    if not load_ruleset(case.profile).jurisdiction.state_law:
        raise InvalidInput.one(FIELD, "a CN case's court is named by its venue rule (CN-24): it takes no designation")
    found = court_of(session, case, licensed_cap=licensed_cap, on=on)
    if found is None:
        raise InvalidInput.one(FIELD, "neither the borrower's address nor the signing place lies in a known county "
                                      "of the case's state: no court is named (US-17), so none takes a designation")
    if found.designation is None:
        raise InvalidInput.one(FIELD, f"{found.court} takes no designation: its name alone is the caption's")
    return found
