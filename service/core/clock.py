"""Time in one place, so tests can pin it and documents can be reproduced.

``DOSSIER_CLOCK_SHIFT_S`` (seconds, default 0) moves the service's clock, for a demo or a
benchmark run at an hour when every borrower is inside quiet hours (CN-01 would refuse every
notice at 23:00 in Shanghai). It is read once, at start; the audit trail records shifted times,
so it is never set on a service whose records count.
"""

import os
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

SHIFT = timedelta(seconds=int(os.environ.get("DOSSIER_CLOCK_SHIFT_S", "0") or 0))


def utcnow() -> datetime:
    return datetime.now(UTC) + SHIFT


def local_now(tz: str) -> datetime:
    return utcnow().astimezone(ZoneInfo(tz))


def today(tz: str = "Asia/Shanghai") -> date:
    """The calendar date in the given zone (business dates are local, not UTC)."""
    return local_now(tz).date()

