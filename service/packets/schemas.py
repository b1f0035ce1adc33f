"""Evidence and packet I/O."""

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from service.core.dates import BusinessDate
from service.core.text import InputModel


class Category(StrEnum):
    """What an exhibit proves; the packet plan looks for these by name."""

    LENDER_LICENCE = "lender_licence"
    LOAN_CONTRACT = "loan_contract"
    ESIGN_CERTIFICATE = "esign_certificate"
    DISBURSEMENT = "disbursement"
    PAYMENT_RECORD = "payment_record"
    NOTICE_DELIVERY = "notice_delivery"
    CALL_RECORDING = "call_recording"
    VISIT_PHOTO = "visit_photo"
    VISIT_RECORDING = "visit_recording"
    SIGNED_AGREEMENT = "signed_agreement"
    LAWYER_ENGAGEMENT = "lawyer_engagement"
    OTHER = "other"


class Form(StrEnum):
    """证据形式 (民诉法 art. 66)."""

    DOCUMENTARY = "书证"
    ELECTRONIC = "电子数据"
    AUDIOVISUAL = "视听资料"
    WITNESS = "证人证言"


class EvidenceOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    sha256: str
    size: int
    media_type: str
    filename: str
    title: str
    category: str
    form: str
    source: str
    original_available: bool
    purpose: str
    pages: int | None
    received_at: datetime


class PacketIn(InputModel):
    as_of: BusinessDate | None = None
    draft: bool = False
    sign: bool = False
