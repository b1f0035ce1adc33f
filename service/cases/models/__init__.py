"""ORM models of the case domain (SQLAlchemy only)."""

from service.cases.models.case import (
    AccountReview,
    BreachEvent,
    CaseHold,
    Communication,
    DebtCase,
    PlanInstalment,
    RepaymentPlan,
    Visit,
    VisitStaff,
)
from service.cases.models.loans import Instalment, LoanContract, Payment, PaymentAllocation
from service.cases.models.parties import BarAdmission, Borrower, ContactPerson, LawFirm, Lender, LenderLicence

__all__ = [
    "AccountReview",
    "BarAdmission",
    "Borrower",
    "BreachEvent",
    "CaseHold",
    "Communication",
    "ContactPerson",
    "DebtCase",
    "Instalment",
    "LawFirm",
    "Lender",
    "LenderLicence",
    "LoanContract",
    "Payment",
    "PaymentAllocation",
    "PlanInstalment",
    "RepaymentPlan",
    "Visit",
    "VisitStaff",
]
