"""A mailed letter's carrier and tracking number: what makes a notice sent by post evidence of its
service (a reviewing lawyer: the notice history and the evidence index could not name the waybill).
The carrier's record of the item (posted, delivered, returned) is looked up by this number; a letter
the log records as mailed without it proves only that the lender says it sent one.

Each carrier's number is checked as far as it can be without asking the carrier:

- EMS (China Post's express mail, 邮件号): a UPU S10 item identifier of 13 characters, two letters
  of service indicator (EA–EZ are EMS's), an eight-digit serial number, its check digit, and the
  ISO code of the country the item was posted in, CN for a letter mailed in China: EA123456785CN.
  python-stdnum (a dependency already, for ID numbers) has no S10 module in 2.2, and no maintained
  package on PyPI offers one worth a dependency for one checksum, so the check digit is computed
  here (``s10_check_digit``: S10's weights 8 6 4 2 3 5 9 7, 11 less the sum modulo 11, 10 → 0 and
  11 → 5).
- USPS: the tracking number of an Intelligent Mail package barcode (IMpb), 22 digits beginning
  92–95, or the 20-digit form (a certified-mail article number): both end in the MOD 10 check
  digit of USPS Publication 199, which is GS1's (weights 3 and 1 from the right), as
  python-stdnum's ``ean.calc_check_digit`` computes it. The 26- and 30-digit strings with a ZIP
  routing prefix (420…) are the barcode's data, not the number the Postal Service tracks by.

A number is stored as the carrier prints it without its spaces (``compact``), upper case.
"""

import re
from datetime import date
from zoneinfo import ZoneInfo

from stdnum import ean

from service.cases.casefile import CaseFile
from service.cases.enums import Carrier, Channel, Direction, Outcome, Stage
from service.cases.models import Communication
from service.cases.rules import RuleSet, load_ruleset
from service.core.errors import InvalidInput, Violation

RULE = "DOC-11"  # a mailed notice relied on as evidence names its tracking number
TRACKING_MAX = 30  # Communication.tracking_no's length: above every number a carrier here issues
S10_WEIGHTS = (8, 6, 4, 2, 3, 5, 9, 7)
# The ISO 3166 code an S10 number ends in: the country the item was posted in (China, for EMS here),
# not the case's jurisdiction
EMS_POSTED_IN = "CN"
_S10 = re.compile(r"[A-Z]{2}\d{9}[A-Z]{2}")
_SEPARATORS = re.compile(r"[\s-]+")
# The stages a case's letters are relied on as evidence at: a litigation packet is built (DOC-01)
LITIGATION = frozenset({Stage.PRE_LITIGATION, Stage.FILED, Stage.JUDGMENT, Stage.ENFORCEMENT})


def s10_check_digit(serial: str) -> str:
    """The UPU S10 check digit of an eight-digit serial number."""
    check = 11 - sum(int(d) * w for d, w in zip(serial, S10_WEIGHTS, strict=True)) % 11
    return {10: "0", 11: "5"}.get(check, str(check))


def compact(number: str) -> str:
    """The number as stored: without the spaces or hyphens a label prints it in groups with, upper case."""
    return _SEPARATORS.sub("", number).upper()


def problem(carrier: Carrier, number: str) -> str | None:
    """What is wrong with `number` (compact) as a tracking number of `carrier`, or None."""
    return _ems_problem(number) if carrier is Carrier.EMS else _usps_problem(number)


def _ems_problem(number: str) -> str | None:
    if not _S10.fullmatch(number):
        return (f"{number!r} is not an EMS number: 13 characters, two letters, nine digits and two letters "
                "(EA123456785CN)")
    if number[0] != "E":
        return (f"{number} is not an EMS item's number: EMS numbers begin with E (EA–EZ), {number[:2]} is "
                "another service")
    if number[-2:] != EMS_POSTED_IN:
        return f"{number} ends in {number[-2:]}: a letter mailed by EMS in China ends in {EMS_POSTED_IN}"
    if (check := s10_check_digit(number[2:10])) != number[10]:
        return (f"{number} has the check digit {number[10]} where its serial number {number[2:10]} gives "
                f"{check}: mistyped")
    return None


def _usps_problem(number: str) -> str | None:
    if not number.isdigit() or len(number) not in (20, 22):
        return (f"{number!r} is not a USPS tracking number: 22 digits beginning 92–95 (IMpb) or 20 digits "
                "(a certified-mail article number)")
    if len(number) == 22 and not "92" <= number[:2] <= "95":
        return f"{number} begins {number[:2]}: a 22-digit USPS tracking number (IMpb) begins 92, 93, 94 or 95"
    if (check := ean.calc_check_digit(number[:-1])) != number[-1]:
        return f"{number} ends in {number[-1]} where its MOD 10 check digit is {check}: mistyped"
    return None


def carriers(rules: RuleSet) -> tuple[str, ...]:
    """The carriers a jurisdiction's letters are mailed by (DOC-11's parameter)."""
    return tuple(rules.param(RULE, "carriers"))


def checked(rules: RuleSet, carrier: str | None, number: str | None, *,
            channel: str = Channel.LETTER) -> tuple[Carrier, str] | None:
    """The carrier and the compact tracking number given for a letter, or None where neither is;
    else the error naming the field: ``carrier`` (not one the jurisdiction mails by) or
    ``tracking_no`` (not given with its carrier, on a communication that is no letter, or not a
    number of the carrier's). Without a carrier a number is the jurisdiction's one carrier's."""
    number, carrier = compact(number or ""), str(carrier or "").strip().lower()  # "EMS" on a command line
    if not carrier and not number:
        return None
    if channel != Channel.LETTER:
        raise InvalidInput.one("tracking_no", f"only a letter is mailed with a tracking number (this is {channel})")
    allowed = carriers(rules)
    if not carrier and len(allowed) == 1:
        carrier = allowed[0]
    if carrier not in allowed:
        raise InvalidInput.one("carrier", f"{carrier!r} is not a carrier a {rules.profile} case's letters are "
                                          f"mailed by: {', '.join(allowed)}")
    if not number:
        raise InvalidInput.one("tracking_no", f"a letter mailed by {carrier} is recorded with its tracking number")
    if len(number) > TRACKING_MAX:
        raise InvalidInput.one("tracking_no", f"is {len(number)} characters; a tracking number has at most "
                                              f"{TRACKING_MAX}")
    if (wrong := problem(Carrier(carrier), number)) is not None:
        raise InvalidInput.one("tracking_no", wrong)
    return Carrier(carrier), number


def mailed(comm: Communication) -> bool:
    """An outbound letter the log records as gone out (sent, delivered or returned), not one logged as
    failed when it was recorded."""
    return (comm.channel == Channel.LETTER and comm.direction == Direction.OUT
            and not (comm.outcome == Outcome.FAILED and comm.failed_at is None))


def untracked_letters(cf: CaseFile, on: date | None = None) -> list[Violation]:
    """DOC-11: each letter mailed (by `on`, the borrower-local day; every one without it) that the log
    records without a tracking number: a named warning for the person who files the packet, whose
    notice history and evidence index cite the letters as served, not a refusal (the carrier can
    still trace a letter from the address and the day, by an inquiry)."""
    rule, zone = load_ruleset(cf.case.profile).rule(RULE), ZoneInfo(cf.borrower.timezone)
    return [rule.refuse("DOC-11.untracked", kind=c.template_kind or "letter", id=c.id, ref=cf.case.ref,
                        sent=c.sent_at.astimezone(zone).date().isoformat())
            for c in cf.communications
            if mailed(c) and not c.tracking_no and (on is None or c.sent_at.astimezone(zone).date() <= on)]


def case_warnings(cf: CaseFile, on: date) -> list[Violation]:
    """DOC-11 where the case's letters are relied on as evidence now: at a litigation stage."""
    return untracked_letters(cf, on) if cf.case.stage in LITIGATION else []
