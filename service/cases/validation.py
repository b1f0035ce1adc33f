"""Checks on imported data that a schema cannot express; each names its field."""

import re
from datetime import date, datetime, timedelta

from stdnum.cn import ric, uscc
from stdnum.exceptions import ValidationError
from stdnum.us import ssn

from service.cases.casefile import CaseFile
from service.cases.enums import CreditorRole
from service.cases.lender_law import credit_systems
from service.cases.rules import RuleSet, load_ruleset
from service.cases.schedule import validate_schedule
from service.cases.schemas import CaseImport, LawFirmIn, LenderLicenceIn, PaymentIn
from service.cases.us_law import licence_kinds, states
from service.core.errors import FieldError, InvalidInput

# Clocks of the systems that report contacts drift; a report this far ahead is still "now".
CLOCK_SKEW = timedelta(minutes=5)

# A balance or claim may be projected this far ahead (a payoff quote); a document is never
# dated after today.
PROJECTION_DAYS = 366


def id_number_errors(id_type: str, number: str, field: str = "borrower.id_number") -> list[FieldError]:
    checker = {"cn_resident_id": ric, "us_ssn": ssn}.get(id_type)
    if checker is None:
        return [] if number.strip() else [FieldError(field, "must not be empty")]
    try:
        checker.validate(number)
    except ValidationError as exc:
        return [FieldError(field, f"not a valid {id_type} number: {exc}")]
    return []


# A CN postal code (邮政编码) is six digits; a US ZIP code five, or ZIP+4.
POSTAL_CODES = {"CN": (re.compile(r"\d{6}"), "a CN postal code (邮政编码) is six digits"),
                "US": (re.compile(r"\d{5}(-\d{4})?"), "a US ZIP code is five digits, or ZIP+4 (12345-6789)")}


def postal_code_errors(profile: str, code: str, field: str) -> list[FieldError]:
    """A postal code of the profile's form, or none ("" is not recorded)."""
    pattern, form = POSTAL_CODES[profile]
    if not code or pattern.fullmatch(code):
        return []
    return [FieldError(field, f"{code!r} is not a postal code: {form}")]


def firm_errors(data: LawFirmIn) -> list[FieldError]:
    return postal_code_errors(data.profile, data.postal_code, "postal_code")


def lender_errors(data: CaseImport) -> list[FieldError]:
    """The lender's registration code and the credit system it reports to (CN-31)."""
    lender, found, rules = data.lender, [], load_ruleset(data.profile)
    if rules.jurisdiction.lender_registration == "uscc" and lender.uscc:
        try:
            uscc.validate(lender.uscc)
        except ValidationError as exc:
            found.append(FieldError("lender.uscc", f"not a valid unified social credit code: {exc}"))
    known = credit_systems(load_ruleset(data.profile))
    if lender.credit_system and lender.credit_system not in known:
        options = ", ".join(known) if known else "none in this profile"
        found.append(FieldError("lender.credit_system",
                                f"unknown credit system {lender.credit_system!r} (CN-31; known: {options})"))
    unlicensed = rules.rule("CN-32").params["licence_types"] if rules.has("CN-32") else []
    if lender.lending_practice and lender.licence_type not in unlicensed:
        found.append(FieldError("lender.lending_practice", "recorded only for a lender without a lending licence "
                                                           "(CN-32): a licensed lender's loans are its business"))
    found += postal_code_errors(data.profile, lender.postal_code, "lender.postal_code")
    found += postal_code_errors(data.profile, data.borrower.postal_code, "borrower.postal_code")
    if lender.creditor_role == CreditorRole.DEBT_COLLECTOR and not lender.collects_for:
        found.append(FieldError("lender.collects_for", "a debt collector names the creditor it collects for"))
    found += licence_errors(rules, lender.nmls_id, lender.licences, "lender.")
    if rules.jurisdiction.state_law and data.us_state not in states(rules):
        found.append(FieldError("us_state", f"{data.us_state or 'missing'}: a US case needs a state whose law is in "
                                            f"rule US-15 ({', '.join(states(rules))})"))
    return found


def licence_errors(rules: RuleSet, nmls_id: str | None, licences: list[LenderLicenceIn] | None,
                   prefix: str = "") -> list[FieldError]:
    """A lender's NMLS ID and state licences are a US lender's (a profile with state law, US-15);
    each licence of a state the table covers is of a kind its table names (the law it is held under)."""
    found = []
    if not rules.jurisdiction.state_law:
        if nmls_id:
            found.append(FieldError(f"{prefix}nmls_id", "an NMLS ID is a US lender's"))
        if licences:
            found.append(FieldError(f"{prefix}licences", "state licences are a US lender's: a CN lender's licence "
                                                          "is licence_type and licence_no"))
        return found
    for k, x in enumerate(licences or []):
        kinds = licence_kinds(rules, x.state)
        if kinds and x.kind not in kinds:
            found.append(FieldError(f"{prefix}licences[{k}].kind",
                                    f"{x.kind!r} is no licence of {x.state} (US-15: {', '.join(sorted(kinds))})"))
    return found


def payment_errors(p: PaymentIn, *, disbursed: date, today: date, field: str) -> list[FieldError]:
    found = []
    if p.value_date > today:
        found.append(FieldError(f"{field}.value_date", f"{p.value_date} is in the future"))
    if p.value_date < disbursed:
        found.append(FieldError(f"{field}.value_date", f"{p.value_date} is before disbursement ({disbursed})"))
    return found


def import_errors(data: CaseImport, today: date) -> list[FieldError]:
    c = data.contract
    found = [*id_number_errors(data.borrower.id_type, data.borrower.id_number), *lender_errors(data)]
    if c.disbursed_date < c.signed_date:
        found.append(FieldError("contract.disbursed_date", "is before the contract was signed"))
    if c.signed_date > today:
        found.append(FieldError("contract.signed_date", f"{c.signed_date} is in the future"))
    if c.disbursed_amount > c.principal_agreed:
        found.append(FieldError("contract.disbursed_amount", "exceeds the agreed principal"))
    if data.schedule and data.schedule[0].due_date <= c.disbursed_date:
        found.append(FieldError("schedule[0].due_date", "must fall after the disbursement date"))
    found += [FieldError("schedule" + p.field.removeprefix("instalments"), p.message)
              for p in validate_schedule(c.disbursed_amount, data.schedule)]
    for k, p in enumerate(data.payments):
        found += payment_errors(p, disbursed=c.disbursed_date, today=today, field=f"payments[{k}]")
    if data.borrower.id_type in load_ruleset(data.profile).jurisdiction.refused_id_types:
        found.append(FieldError("borrower.id_type", f"a {data.profile}-profile case cannot take a "
                                                    f"{data.borrower.id_type} ID"))
    return found


def checked_as_of(cf: CaseFile, as_of: date | None, today: date, *, future_days: int = 0) -> date:
    """The day a computation of the case is made at: `as_of` or today (in the borrower's time
    zone), refused with a 422 naming ``as_of`` when it falls before the loan was disbursed or
    more than `future_days` after today."""
    day = as_of or today
    latest = today + timedelta(days=future_days)
    if day > latest:
        when = "in the future" if not future_days else f"more than {future_days} days after today"
        raise InvalidInput.one("as_of", f"{day.isoformat()} is {when} (today is {today.isoformat()} there)")
    if day < cf.contract.disbursed_date:
        raise InvalidInput.one("as_of", f"{day.isoformat()} is before the loan was disbursed "
                                        f"({cf.contract.disbursed_date.isoformat()})")
    return day


def past_errors(now: datetime, **moments: datetime | None) -> list[FieldError]:
    """Moments that have to have happened already (a contact sent, a visit made)."""
    return [FieldError(name, f"{when.isoformat()} is in the future") for name, when in moments.items()
            if when is not None and when > now + CLOCK_SKEW]
