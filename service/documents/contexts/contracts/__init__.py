"""Contexts of the contracts (templates/contracts/): the visit record and the repayment
agreement. The registry names them as ``service.documents.contexts.contracts:<Class>``."""

from service.documents.contexts.contracts.agreement import RepaymentAgreementContext
from service.documents.contexts.contracts.visit_record import VisitRecordContext

__all__ = ["RepaymentAgreementContext", "VisitRecordContext"]
