"""Evidence listed across cases (a law firm's download centre)."""

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.cases.models import DebtCase
from service.packets.models import EvidenceItem


def evidence_of_cases(session: Session, case_ids: Any, *, limit: int = 200) -> list[tuple[EvidenceItem, str]]:
    """(item, case ref) of the given cases (ids or a subquery of them), newest first."""
    rows = session.execute(select(EvidenceItem, DebtCase.ref).join(DebtCase, DebtCase.id == EvidenceItem.case_id)
                           .where(EvidenceItem.case_id.in_(case_ids))
                           .order_by(EvidenceItem.received_at.desc(), EvidenceItem.id.desc()).limit(limit))
    return [(item, ref) for item, ref in rows]
