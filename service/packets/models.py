"""Evidence received for a case, and the packets built from it."""

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from service.core.db import Base, UTCDateTime


class EvidenceItem(Base):
    __tablename__ = "evidence_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("debt_case.id"), index=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int]
    media_type: Mapped[str] = mapped_column(String(60))
    filename: Mapped[str] = mapped_column(String(255))
    title: Mapped[str] = mapped_column(String(255))
    category: Mapped[str] = mapped_column(String(40))  # loan_contract, disbursement, visit_photo, ...
    form: Mapped[str] = mapped_column(String(20))  # 书证 / 电子数据 / 视听资料 ...
    source: Mapped[str] = mapped_column(String(200))
    original_available: Mapped[bool] = mapped_column(default=False)
    purpose: Mapped[str] = mapped_column(Text)
    pages: Mapped[int | None]
    received_at: Mapped[datetime] = mapped_column(UTCDateTime())
    actor: Mapped[str] = mapped_column(String(120))
    # a redacted copy (Tex. R. Civ. P. 21c): the upload it redacts, which keeps its row and its hash
    redaction_of: Mapped[int | None] = mapped_column(ForeignKey("evidence_item.id"))
    # a signed visit record's scan: the visit it records (older scans have none)
    visit_id: Mapped[int | None] = mapped_column(ForeignKey("visit.id"))
