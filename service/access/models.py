"""Who may do what: law firms, API keys, web users."""

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from service.core.db import Base, UTCDateTime


class LawFirm(Base):
    __tablename__ = "law_firm"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200), default="")
    licence_no: Mapped[str] = mapped_column(String(60), default="")  # 执业许可证号
    address: Mapped[str] = mapped_column(Text, default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    lead_lawyer: Mapped[str] = mapped_column(String(80), default="")
    lead_lawyer_licence: Mapped[str] = mapped_column(String(60), default="")  # 执业证号
    lead_lawyer_phone: Mapped[str] = mapped_column(String(40), default="")


class ApiKey(Base):
    """Stored as a SHA-256 of the secret; the key itself is shown once, at creation."""

    __tablename__ = "api_key"

    id: Mapped[int] = mapped_column(primary_key=True)
    prefix: Mapped[str] = mapped_column(String(16), unique=True)
    key_hash: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(20))
    law_firm_id: Mapped[int | None] = mapped_column(ForeignKey("law_firm.id"))
    label: Mapped[str] = mapped_column(String(120), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class User(Base):
    """A person using the web UI (password hashed with scrypt)."""

    __tablename__ = "app_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    display_name: Mapped[str] = mapped_column(String(120), default="")
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    law_firm_id: Mapped[int | None] = mapped_column(ForeignKey("law_firm.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class IdempotencyRecord(Base):
    """A POST's response kept under its Idempotency-Key, so a retry replays, never repeats."""

    __tablename__ = "idempotency_record"
    __table_args__ = (UniqueConstraint("principal", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200))
    principal: Mapped[str] = mapped_column(String(40))
    method_path: Mapped[str] = mapped_column(String(300))
    request_hash: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int]
    response_body: Mapped[str] = mapped_column(Text)
    token: Mapped[str] = mapped_column(String(32), default="")  # the owner's lease (see core/idempotency)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
