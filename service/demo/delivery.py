"""When the demo's communications reach the borrower: a letter by post days after it was mailed,
an e-mail or a text the moment it was sent. Deterministic: the delay is drawn from a hash of the
case, the kind and the sending moment, never from the seed's random stream (the other cases stay
as they were), so a given anchor always gives the same deliveries.

- CN: EMS within China, 2–3 days, the visit notice too: the log records no one who could have
  handed a letter over (a communication has no deliverer), so every letter goes by post, and a
  visit notice is mailed VISIT_NOTICE_AHEAD before its visit, to arrive days before the visit and
  before its deadline to reschedule (CN-09: the lead time runs from the arrival).
- US: first-class mail, 3–5 days, never on a Sunday.

Each letter is mailed under a tracking number of its carrier (``tracking_number``: an EMS 邮件号 with
its S10 check digit, a USPS IMpb number with its MOD 10 check digit), drawn the same way, so the
notice history and the evidence index name a waybill a checker accepts (DOC-11).

A delivery after the anchor (or after now) has not happened yet: the letter stays sent, its
delivery not recorded.
"""

import hashlib
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from stdnum import ean

from service.cases.enums import Carrier, Channel
from service.cases.models import Communication
from service.cases.postal import s10_check_digit
from service.core.clock import utcnow

POSTAL_DAYS = {"CN": (2, 3), "US": (3, 5)}  # EMS within China; USPS first-class mail
SIGNED_FOR = time(14, 30)  # the hour the courier's record shows the letter signed for
VISIT_NOTICE_AHEAD = timedelta(days=7)  # a visit notice is mailed a week before the visit it announces
SUNDAY = 6


def delivery_moment(*, case_ref: str, profile: str, kind: str, channel: str, sent: datetime, tz: str,
                    anchor: date) -> datetime | None:
    """When a communication sent at `sent` reached the borrower, or None where that is after the
    anchor's day (borrower-local) or after now: not delivered yet."""
    moment = _arrival(case_ref=case_ref, profile=profile, kind=kind, channel=channel, sent=sent, tz=tz)
    if moment.astimezone(ZoneInfo(tz)).date() > anchor or moment > utcnow():
        return None
    return moment


def _arrival(*, case_ref: str, profile: str, kind: str, channel: str, sent: datetime, tz: str) -> datetime:
    if channel != Channel.LETTER:
        return sent
    low, high = POSTAL_DAYS[profile]
    draw = int(hashlib.sha256(f"{case_ref}|{kind}|{sent.isoformat()}".encode()).hexdigest(), 16)
    day = sent.astimezone(ZoneInfo(tz)).date() + timedelta(days=low + draw % (high - low + 1))
    if profile == "US" and day.weekday() == SUNDAY:  # the Postal Service does not deliver letters on Sundays
        day += timedelta(days=1)
    return datetime.combine(day, SIGNED_FOR, tzinfo=ZoneInfo(tz)).astimezone(UTC)


LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
IMPB_PREFIX = "9400111"  # an IMpb number: 94 (its channel application), then a fictional service and mailer


def tracking_number(*, case_ref: str, profile: str, kind: str, sent: datetime) -> tuple[Carrier, str]:
    """The carrier and tracking number a letter sent at `sent` was mailed under: a CN letter by EMS
    (E + a letter, eight digits, the S10 check digit, CN), a US one by USPS (22 digits of IMpb with
    its MOD 10 check digit); drawn from a hash, as its delivery is."""
    moment = sent.astimezone(UTC).isoformat()  # the same letter, whatever zone its moment is given in
    draw = int(hashlib.sha256(f"{case_ref}|{kind}|{moment}|mailed".encode()).hexdigest(), 16)
    if profile == "US":
        body = f"{IMPB_PREFIX}{draw % 10**14:014d}"
        return Carrier.USPS, body + ean.calc_check_digit(body)
    serial = f"{draw % 10**8:08d}"
    return Carrier.EMS, f"E{LETTERS[draw // 10**8 % 26]}{serial}{s10_check_digit(serial)}CN"


def implausible_deliveries(communications: Iterable[Communication], profile: str, tz: str) -> list[str]:
    """The letters the log records delivered sooner than the post delivers one (POSTAL_DAYS): a
    communication names no deliverer, so a letter "delivered" the day it went out claims a hand
    delivery no one is recorded to have made (reader CN-00012: a visit notice delivered 45 minutes
    after it was sent). Each as "kind sent → delivered"; empty when every letter's arrival fits."""
    low, zone = timedelta(days=POSTAL_DAYS[profile][0]), ZoneInfo(tz)
    return [f"{c.template_kind or c.channel} {c.sent_at.isoformat()} → {c.delivered_at.isoformat()}"
            for c in communications
            if c.channel == Channel.LETTER and c.delivered_at is not None
            and c.delivered_at.astimezone(zone).date() - c.sent_at.astimezone(zone).date() < low]
