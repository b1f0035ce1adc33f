"""Every query of the case domain."""

import base64
from collections.abc import Sequence
from functools import cache

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import Session, selectinload

from service.cases.models import DebtCase, LawFirm, Lender, LoanContract
from service.core.errors import InvalidInput
from service.core.security import Principal


def lender_by_code(session: Session, code: str) -> Lender | None:
    return session.scalar(select(Lender).where(Lender.code == code))


def firm_by_code(session: Session, code: str) -> LawFirm | None:
    return session.scalar(select(LawFirm).where(LawFirm.code == code))


def law_firms(session: Session, *, after: int | None, limit: int) -> list[LawFirm]:
    """Firms in id order, those after the id given (a page of the list)."""
    stmt = select(LawFirm).order_by(LawFirm.id).limit(limit)
    return list(session.scalars(stmt if after is None else stmt.where(LawFirm.id > after)))


@cache
def _case_by_ref() -> Select[DebtCase]:
    """Built once a process: every request on a case runs it (building it cost as much as running it)."""
    return select(DebtCase).where(DebtCase.ref == bindparam("ref"))


def case_by_ref(session: Session, ref: str) -> DebtCase | None:
    return session.scalar(_case_by_ref(), {"ref": ref})


def contract_no_taken(session: Session, contract_no: str) -> bool:
    return session.scalar(select(LoanContract.id).where(LoanContract.contract_no == contract_no)) is not None


def ref_taken(session: Session, ref: str) -> bool:
    return session.scalar(select(DebtCase.id).where(DebtCase.ref == ref)) is not None


def next_ref(session: Session, prefix: str) -> str:
    count = len(session.scalars(select(DebtCase.id)).all())
    while True:
        count += 1
        ref = f"{prefix}-{count:06d}"
        if not ref_taken(session, ref):
            return ref


def encode_cursor(case_id: int) -> str:
    return base64.urlsafe_b64encode(str(case_id).encode()).decode()


def decode_cursor(cursor: str) -> int:
    try:
        return int(base64.urlsafe_b64decode(cursor.encode()).decode())
    except (ValueError, UnicodeDecodeError):
        raise InvalidInput.one("cursor", "not a cursor this API issued") from None


def visible_cases(principal: Principal) -> Select[DebtCase]:
    """Every case the principal may see: a law firm only those assigned to it (every list uses this)."""
    stmt = select(DebtCase)
    if principal.is_law_firm:
        stmt = stmt.where(DebtCase.law_firm_id == principal.law_firm_id)
    return stmt


def case_list_query(
    principal: Principal, *, stage: str | None, q: str | None, after: int | None
) -> Select[DebtCase]:
    stmt = visible_cases(principal).options(
        selectinload(DebtCase.borrower), selectinload(DebtCase.lender),
        selectinload(DebtCase.contract), selectinload(DebtCase.holds),
    ).order_by(DebtCase.id)
    if stage:
        stmt = stmt.where(DebtCase.stage == stage)
    if q:
        stmt = stmt.where(DebtCase.search_text.contains(q.strip().lower()))
    if after is not None:
        stmt = stmt.where(DebtCase.id > after)
    return stmt


def list_cases(session: Session, stmt: Select[DebtCase], limit: int) -> Sequence[DebtCase]:
    return session.scalars(stmt.limit(limit + 1)).all()


def firm_codes(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = session.execute(select(LawFirm.id, LawFirm.code).where(LawFirm.id.in_(ids)))
    return {firm_id: code for firm_id, code in rows}


def visible_case_ids(principal: Principal) -> Select[tuple[int]]:
    """The ids of the cases the principal may see, as a subquery for other domains' lists."""
    return visible_cases(principal).with_only_columns(DebtCase.id)
