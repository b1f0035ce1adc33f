"""The portfolio at a glance (the dashboard): counts and sums by stage, by days past due, per day,
each over the cases the principal may see. Grouped queries only; nothing is loaded row by row."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import String, cast, func, select
from sqlalchemy.orm import Session

from service.cases import repository
from service.cases.enums import Channel, Direction
from service.cases.models import Communication, DebtCase, RepaymentPlan, Visit
from service.core.security import Principal

# (lowest, highest) days past due of each bucket; None: open-ended. 0 means nothing overdue.
DPD_BUCKETS: tuple[tuple[int, int | None], ...] = ((0, 0), (1, 30), (31, 90), (91, 180), (181, 365), (366, None))
NOTICE_CHANNELS = (Channel.LETTER, Channel.SMS, Channel.EMAIL, Channel.APP)


@dataclass(frozen=True)
class Bucket:
    low: int
    high: int | None
    cases: int
    principal: Decimal


def by_stage(session: Session, principal: Principal) -> dict[str, int]:
    ids = repository.visible_case_ids(principal)
    rows = session.execute(select(DebtCase.stage, func.count()).where(DebtCase.id.in_(ids)).group_by(DebtCase.stage))
    return {stage: count for stage, count in rows}


def by_days_past_due(session: Session, principal: Principal, today: date) -> list[Bucket]:
    ids = repository.visible_case_ids(principal)
    out = []
    for low, high in DPD_BUCKETS:
        stmt = select(func.count(), func.coalesce(func.sum(DebtCase.principal_cents), 0)).where(DebtCase.id.in_(ids))
        if low == 0:
            stmt = stmt.where((DebtCase.overdue_since.is_(None)) | (DebtCase.overdue_since >= today))
        else:
            stmt = stmt.where(DebtCase.overdue_since <= today - timedelta(days=low))
            if high is not None:
                stmt = stmt.where(DebtCase.overdue_since >= today - timedelta(days=high))
        count, cents = session.execute(stmt).one()
        out.append(Bucket(low, high, int(count), Decimal(int(cents)) / 100))
    return out


def per_day(session: Session, principal: Principal, since: date) -> dict[str, dict[date, int]]:
    """Notices sent and visits made per day (UTC days) since a date."""
    ids = repository.visible_case_ids(principal)
    start = datetime.combine(since, time(0), tzinfo=UTC)
    sent = _utc_day(Communication.sent_at)
    notices = session.execute(select(sent, func.count()).where(
        Communication.case_id.in_(ids), Communication.channel.in_(NOTICE_CHANNELS),
        Communication.direction == Direction.OUT, Communication.sent_at >= start).group_by(sent))
    started = _utc_day(Visit.started_at)
    visits = session.execute(select(started, func.count()).where(
        Visit.case_id.in_(ids), Visit.started_at.is_not(None), Visit.started_at >= start).group_by(started))
    return {"notices": {_day(d): n for d, n in notices}, "visits": {_day(d): n for d, n in visits}}


def plans_by_status(session: Session, principal: Principal) -> dict[str, int]:
    ids = repository.visible_case_ids(principal)
    rows = session.execute(select(RepaymentPlan.status, func.count()).where(RepaymentPlan.case_id.in_(ids))
                           .group_by(RepaymentPlan.status))
    return {str(status): count for status, count in rows}


def _utc_day(column: Any) -> Any:
    """The stored UTC timestamp's day as 'YYYY-MM-DD' text (the same on SQLite and PostgreSQL,
    whose sessions run in UTC here); CAST AS DATE is not portable to SQLite."""
    return func.substr(cast(column, String), 1, 10)


def _day(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
