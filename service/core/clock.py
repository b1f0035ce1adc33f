"""Time in one place, so tests can pin it and documents can be reproduced."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo


def utcnow() -> datetime:
    return datetime.now(UTC)


def local_now(tz: str) -> datetime:
    return utcnow().astimezone(ZoneInfo(tz))


def today(tz: str = "Asia/Shanghai") -> date:
    """The calendar date in the given zone (business dates are local, not UTC)."""
    return local_now(tz).date()
