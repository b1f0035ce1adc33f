"""The rule warnings that apply to a case right now, for a person about to act on it: each is a
violation the existing rule evaluators give (compliance.py), so the page and the refusals say the
same thing with the same rule ids."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from service.cases import affordability, cn_calendar, compliance, postal, rate_ceiling, us_law
from service.cases.casefile import CaseFile
from service.cases.lender_law import professional_lender_warning
from service.cases.limitation import Limitation
from service.cases.rules import load_ruleset, text
from service.core.errors import Violation

LIMITATION_NOTICE_DAYS = 180  # warn this long before the limitation period ends
PERIOD_HORIZON_DAYS = 60  # a period of days a notice starts today ends within this (factcheck.DEADLINE_DAYS)


def current_warnings(cf: CaseFile, limitation: Limitation, *, now: datetime, on: date) -> list[Violation]:
    rules = load_ruleset(cf.case.profile)
    found = compliance.hold_violations(rules, cf.active_holds, text("what.no_outbound_contact"))
    local = now.astimezone(ZoneInfo(cf.borrower.timezone))
    quiet = compliance.hours_violation(rules, local, text("what.nothing_now"))
    if quiet is not None:
        found.append(quiet)
    barred = compliance.time_barred_violation(rules, limitation, on, text("what.no_suit_or_threat"))
    if barred is not None:
        found.append(barred)
    elif (limitation.expires_on - on).days <= LIMITATION_NOTICE_DAYS:
        found.append(rules.for_purpose("limitation").refuse(
            "limitation.ends_soon", expires=limitation.expires_on.isoformat(), days=(limitation.expires_on - on).days))
    if (professional := professional_lender_warning(rules, cf.lender.licence_type, cf.lender.name,
                                                    cf.lender.lending_practice, cf.lender_loans, on)) is not None:
        found.append(professional)  # CN-32: for legal staff to review before filing
    if rules.jurisdiction.rest_day_periods and (
            years := cn_calendar.unscheduled(on, on + timedelta(days=PERIOD_HORIZON_DAYS))):
        # CN periods roll past public holidays only where the year's schedule is known (cn_calendar)
        found.append(rules.rule("POL-01").refuse("periods.no_holiday_schedule", years=", ".join(map(str, years))))
    found += rate_ceiling.violations(rules, cf)  # US-20: a rate above the state's ceiling (CN: none)
    found += us_law.licence_warnings(rules, cf)  # US-15: no licence in the state its complaint alleges
    found += affordability.plan_warnings(cf)  # PLAN-05: a plan instalment above the borrower's income
    found += postal.case_warnings(cf, on)  # DOC-11: at a litigation stage, a mailed letter with no tracking number
    return found
