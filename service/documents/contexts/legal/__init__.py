"""Contexts of the court documents (templates/legal/) and of the litigation-packet parts.

The registry names these classes as ``service.documents.contexts.legal:<Class>``.
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
from service.documents.contexts.legal.pleadings import CivilComplaintContext, ComplaintElementsContext

__all__ = [
    "AffidavitOfDebtContext",
    "CivilComplaintContext",
    "ClaimStatementContext",
    "ComplaintElementsContext",
    "CourtFeeStatementContext",
    "EvidenceIndexContext",
    "LawyerLetterContext",
    "MediationApplicationContext",
    "PowerOfAttorneyContext",
    "ServiceAddressConfirmationContext",
]
