"""The case list's query: search, filters, sorting and keyset (cursor) pagination.

Filters read columns kept on the case (``overdue_since``, ``principal_cents``, refreshed with
the allocation), so a page is one indexed query of ``limit + 1`` rows and never counts the table.
Who sees which cases is ``repository.visible_cases``, shared with the API's list.
"""

import base64
import binascii
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, exists, or_, select, tuple_
from sqlalchemy.orm import Session, selectinload

from service.cases import repository
from service.cases.models import CaseHold, DebtCase, LawFirm
from service.core.errors import InvalidInput
from service.core.security import Principal

SORTS = ("updated", "ref", "dpd", "amount")
HOLD_FILTERS = ("any", "none", "DISPUTE", "COMPLAINT", "DECEASED", "LITIGATION_HOLD")


@dataclass(frozen=True)
class CaseQuery:
    q: str = ""
    stage: str = ""
    dpd_min: int | None = None
    dpd_max: int | None = None
    amount_min: Decimal | None = None
    amount_max: Decimal | None = None
    firm: str = ""  # a firm's code, or "none" for unassigned cases
    hold: str = ""  # HOLD_FILTERS
    sort: str = "updated"


@dataclass(frozen=True)
class CaseRow:
    case: DebtCase
    days_past_due: int
    principal: Decimal
    firm_code: str | None


@dataclass(frozen=True)
class CaseSearchPage:
    rows: list[CaseRow]
    next_cursor: str | None


def _sort_key(sort: str) -> tuple[Any, bool]:
    """(column, descending) of a sort; the case id breaks ties in the same direction."""
    return {"updated": (DebtCase.updated_at, True), "ref": (DebtCase.ref, False),
            "dpd": (DebtCase.overdue_since, False), "amount": (DebtCase.principal_cents, True)}[sort]


def _filters(query: CaseQuery, today: date, firm_id: int | None) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = []
    if query.q:
        where.append(DebtCase.search_text.contains(query.q.strip().lower()))
    if query.stage:
        where.append(DebtCase.stage == query.stage)
    if query.dpd_min is not None and query.dpd_min > 0:
        where.append(DebtCase.overdue_since <= today - timedelta(days=query.dpd_min))
    if query.dpd_max is not None:
        where.append(or_(DebtCase.overdue_since.is_(None), DebtCase.overdue_since >= today - timedelta(
            days=query.dpd_max)) if query.dpd_max >= 0 else DebtCase.id < 0)
    if query.amount_min is not None:
        where.append(DebtCase.principal_cents >= int(query.amount_min * 100))
    if query.amount_max is not None:
        where.append(DebtCase.principal_cents <= int(query.amount_max * 100))
    if query.firm == "none":
        where.append(DebtCase.law_firm_id.is_(None))
    elif query.firm:
        where.append(DebtCase.law_firm_id == (firm_id if firm_id is not None else -1))
    if query.hold:
        open_hold = exists().where(CaseHold.case_id == DebtCase.id, CaseHold.released_at.is_(None))
        if query.hold == "none":
            where.append(~open_hold)
        elif query.hold == "any":
            where.append(open_hold)
        else:
            where.append(open_hold.where(CaseHold.kind == query.hold))
    if query.sort == "dpd":
        where.append(DebtCase.overdue_since.is_not(None))  # only cases that owe something have an age
    return where


def search_query(principal: Principal, query: CaseQuery, today: date, firm_id: int | None,
                 after: tuple[Any, int] | None) -> Select[DebtCase]:
    column, descending = _sort_key(query.sort)
    stmt = repository.visible_cases(principal).options(
        selectinload(DebtCase.borrower), selectinload(DebtCase.contract), selectinload(DebtCase.holds))
    stmt = stmt.where(and_(True, *_filters(query, today, firm_id)))
    if after is not None:
        key, row = tuple_(column, DebtCase.id), tuple_(_cursor_value(query.sort, after[0]), after[1])
        stmt = stmt.where(key < row if descending else key > row)
    order = (column.desc(), DebtCase.id.desc()) if descending else (column.asc(), DebtCase.id.asc())
    return stmt.order_by(*order)


def search(session: Session, principal: Principal, query: CaseQuery, *, today: date, cursor: str | None,
           limit: int) -> CaseSearchPage:
    if query.sort not in SORTS:
        raise InvalidInput.one("sort", f"must be one of {', '.join(SORTS)}")
    firm_id = None
    if query.firm and query.firm != "none":
        firm_id = session.scalar(select(LawFirm.id).where(LawFirm.code == query.firm))
    after = decode_cursor(cursor) if cursor else None
    cases: Sequence[DebtCase] = session.scalars(
        search_query(principal, query, today, firm_id, after).limit(limit + 1)).all()
    more, cases = len(cases) > limit, cases[:limit]
    firms = repository.firm_codes(session, {c.law_firm_id for c in cases if c.law_firm_id})
    rows = [CaseRow(c, max(0, (today - c.overdue_since).days) if c.overdue_since else 0,
                    Decimal(c.principal_cents) / 100, firms.get(c.law_firm_id or 0)) for c in cases]
    next_cursor = encode_cursor(_sort_value(query.sort, cases[-1]), cases[-1].id) if more and cases else None
    return CaseSearchPage(rows, next_cursor)


def _sort_value(sort: str, case: DebtCase) -> Any:
    value = {"updated": case.updated_at, "ref": case.ref, "dpd": case.overdue_since,
             "amount": case.principal_cents}[sort]
    return value.isoformat() if isinstance(value, date | datetime) else value


def _cursor_value(sort: str, value: Any) -> Any:
    try:
        if sort == "updated":
            return datetime.fromisoformat(str(value))
        if sort == "dpd":
            return date.fromisoformat(str(value))
        if sort == "amount":
            return int(value)
        return str(value)
    except (ValueError, TypeError):
        raise InvalidInput.one("cursor", "not a cursor this list issued") from None


def encode_cursor(value: Any, case_id: int) -> str:
    return base64.urlsafe_b64encode(json.dumps([value, case_id]).encode()).decode()


def decode_cursor(cursor: str) -> tuple[Any, int]:
    try:
        value, case_id = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        return value, int(case_id)
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        raise InvalidInput.one("cursor", "not a cursor this list issued") from None


def parse_amount(value: str | None, field: str) -> Decimal | None:
    if not value:
        return None
    try:
        amount = Decimal(value)
    except InvalidOperation:
        raise InvalidInput.one(field, "must be an amount") from None
    if not amount.is_finite() or amount < 0 or amount > Decimal("1e12"):
        raise InvalidInput.one(field, "must be an amount between 0 and 10^12") from None
    return amount


def firm_codes(session: Session) -> list[tuple[str, str]]:
    """(code, name) of every law firm, for the list's filter."""
    return [(code, name) for code, name in session.execute(select(LawFirm.code, LawFirm.name).order_by(LawFirm.code))]
