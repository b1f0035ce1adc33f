"""Contexts of the court documents (templates/legal/) and of the litigation-packet parts
(templates/legal/packet/). The registry names them as ``service.documents.contexts.legal:<Class>``.
"""

from service.documents.contexts.legal.affidavit import AffidavitOfDebtContext
from service.documents.contexts.legal.claim import ClaimStatementContext
from service.documents.contexts.legal.evidence import EvidenceIndexContext
from service.documents.contexts.legal.filings import (
    CourtFeeStatementContext,
    PowerOfAttorneyContext,
    ServiceAddressConfirmationContext,
)
from service.documents.contexts.legal.letters import LawyerLetterContext, MediationApplicationContext
from service.documents.contexts.legal.packet import ExhibitCoverContext, PacketCoverContext
from service.documents.contexts.legal.pleadings import CivilComplaintContext, ComplaintElementsContext
from service.documents.contexts.legal.records import (
    NoticeHistoryContext,
    PaymentHistoryContext,
    RepaymentScheduleContext,
)

__all__ = [
    "AffidavitOfDebtContext",
    "CivilComplaintContext",
    "ClaimStatementContext",
    "ComplaintElementsContext",
    "CourtFeeStatementContext",
    "EvidenceIndexContext",
    "ExhibitCoverContext",
    "LawyerLetterContext",
    "MediationApplicationContext",
    "NoticeHistoryContext",
    "PacketCoverContext",
    "PaymentHistoryContext",
    "PowerOfAttorneyContext",
    "RepaymentScheduleContext",
    "ServiceAddressConfirmationContext",
]
