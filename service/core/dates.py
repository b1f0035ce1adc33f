"""Plausible dates: the bounds every date and timestamp of an input must fall within.

These are sanity bounds, wide enough for any real case; the rules that depend on the case
(no payment before disbursement, no document dated in the future) are checked where the case
is known. Without them a year-9999 date or a year-1 timestamp with a -23:59 offset reached date
arithmetic and failed with a 500.
"""

from datetime import UTC, date, datetime
from typing import Annotated

from pydantic import AfterValidator, Field

EARLIEST = date(1990, 1, 1)  # older than any consumer-instalment loan the service will see
LATEST = date(2100, 12, 31)
EARLIEST_BIRTH = date(1900, 1, 1)


def _aware_in_range(value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("must carry a time-zone offset, e.g. 2026-11-20T09:30:00+08:00")
    # Checked on the calendar date first: converting year 1 or 9999 with a large offset overflows.
    if not EARLIEST <= value.date() <= LATEST:
        raise ValueError(f"must fall between {EARLIEST.isoformat()} and {LATEST.isoformat()}")
    utc = value.astimezone(UTC)
    if not EARLIEST <= utc.date() <= LATEST:
        raise ValueError(f"must fall between {EARLIEST.isoformat()} and {LATEST.isoformat()}")
    return value


BusinessDate = Annotated[date, Field(ge=EARLIEST, le=LATEST)]
BirthDate = Annotated[date, Field(ge=EARLIEST_BIRTH, le=LATEST)]
Timestamp = Annotated[datetime, AfterValidator(_aware_in_range)]
