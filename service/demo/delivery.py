"""When the demo's communications reach the borrower: a letter by post days after it was mailed,
an e-mail or a text the moment it was sent. Deterministic: the delay is drawn from a hash of the
case, the kind and the sending moment, never from the seed's random stream (the other cases stay
as they were), so a given anchor always gives the same deliveries.

- CN: EMS within China, 2–3 days; the visit notice is handed over by the lender's own staff on
  the day it is sent (专人送达), so the visit it announces keeps its lead time.
- US: first-class mail, 3–5 days, never on a Sunday.

A delivery after the anchor (or after now) has not happened yet: the letter stays sent, its
delivery not recorded.
"""

import hashlib
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from service.cases.enums import Channel
from service.core.clock import utcnow

POSTAL_DAYS = {"CN": (2, 3), "US": (3, 5)}  # EMS within China; USPS first-class mail
SIGNED_FOR = time(14, 30)  # the hour the courier's record shows the letter signed for
BY_HAND = {"visit_notice": timedelta(minutes=45)}  # handed over by the lender's staff, the same morning
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
    if profile == "CN" and kind in BY_HAND:
        return sent + BY_HAND[kind]
    low, high = POSTAL_DAYS[profile]
    draw = int(hashlib.sha256(f"{case_ref}|{kind}|{sent.isoformat()}".encode()).hexdigest(), 16)
    day = sent.astimezone(ZoneInfo(tz)).date() + timedelta(days=low + draw % (high - low + 1))
    if profile == "US" and day.weekday() == SUNDAY:  # the Postal Service does not deliver letters on Sundays
        day += timedelta(days=1)
    return datetime.combine(day, SIGNED_FOR, tzinfo=ZoneInfo(tz)).astimezone(UTC)
