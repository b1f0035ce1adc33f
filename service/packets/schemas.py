"""Evidence and packet I/O."""

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from service.core.dates import BusinessDate
from service.core.text import InputModel


class Category(StrEnum):
    """What an exhibit proves; the packet plan looks for these by name."""

    # standing (主体资格): the plaintiff's business licence and lending licence, its counsel's letter
    # (所函) and licence (执业证), the defendant's identity card
    BUSINESS_LICENCE = "business_licence"
    LENDER_LICENCE = "lender_licence"
    LAW_FIRM_LETTER = "law_firm_letter"
    LAWYER_LICENCE = "lawyer_licence"
    BORROWER_ID = "borrower_id"
    LOAN_CONTRACT = "loan_contract"
    ESIGN_CERTIFICATE = "esign_certificate"
    DISBURSEMENT = "disbursement"
    PAYMENT_RECORD = "payment_record"
    NOTICE_DELIVERY = "notice_delivery"
    CALL_RECORDING = "call_recording"
    VISIT_PHOTO = "visit_photo"
    VISIT_RECORDING = "visit_recording"
    SIGNED_AGREEMENT = "signed_agreement"
    # a visit record as signed on site (走访记录签署件): the packet files the scan, not the generated form
    SIGNED_VISIT_RECORD = "signed_visit_record"
    LAWYER_ENGAGEMENT = "lawyer_engagement"
    OTHER = "other"


# what a redacted copy may be made of (Tex. R. Civ. P. 21c): a document or an image of one; a recording
# or a photograph of a place carries no account number to mask
REDACTABLE = frozenset(Category) - {Category.CALL_RECORDING, Category.VISIT_RECORDING, Category.VISIT_PHOTO}


class Form(StrEnum):
    """证据形式 (民诉法 art. 66), stored and sent as a code; each locale's word for it is a label
    (the web UI's messages `evidence_form.<code>`). The Chinese words earlier clients sent are
    still accepted, as aliases of the codes."""

    DOCUMENTARY = "documentary"
    ELECTRONIC = "electronic"
    AUDIOVISUAL = "audiovisual"
    WITNESS = "witness"

    @classmethod
    def _missing_(cls, value: object) -> "Form | None":
        return _FORM_ALIASES.get(value) if isinstance(value, str) else None


# The words stored and sent before the codes (migration 0014 rewrote the stored ones).
_FORM_ALIASES = {"书证": Form.DOCUMENTARY, "电子数据": Form.ELECTRONIC, "视听资料": Form.AUDIOVISUAL,
                 "证人证言": Form.WITNESS}


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
    redaction_of: int | None
    visit_id: int | None


class PacketIn(InputModel):
    as_of: BusinessDate | None = None
    draft: bool = False
    sign: bool = False
