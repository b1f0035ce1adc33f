"""Everything known about one case, loaded eagerly in one go.

Documents, packets and the claim read a ``CaseFile`` rather than walking lazy relationships:
every relationship is ``lazy="raise"``, so what a consumer needs is loaded here, explicitly.
"""

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from service.access.models import LawFirm
from service.cases.models import (
    Borrower,
    BreachEvent,
    CaseHold,
    Communication,
    ContactPerson,
    DebtCase,
    Instalment,
    Lender,
    LoanContract,
    Payment,
    RepaymentPlan,
    Visit,
)
from service.core.errors import CaseNotFound


@dataclass
class CaseFile:
    case: DebtCase
    contract: LoanContract
    lender: Lender
    borrower: Borrower
    contacts: list[ContactPerson]
    instalments: list[Instalment]
    payments: list[Payment]
    holds: list[CaseHold]
    communications: list[Communication]
    visits: list[Visit]
    plans: list[RepaymentPlan]
    breaches: list[BreachEvent]
    law_firm: LawFirm | None
    _ledgers: dict[date, object] = field(default_factory=dict, repr=False)

    @property
    def active_holds(self) -> list[CaseHold]:
        return [h for h in self.holds if h.released_at is None]

    @property
    def current_plan(self) -> RepaymentPlan | None:
        """The latest signed plan (active, breached or completed), if any."""
        signed = [p for p in self.plans if p.signed_date is not None and p.status != "superseded"]
        return max(signed, key=lambda p: (p.signed_date, p.id)) if signed else None


def load_case_file(session: Session, ref: str) -> CaseFile:
    case = session.execute(
        select(DebtCase)
        .where(DebtCase.ref == ref)
        .options(
            selectinload(DebtCase.contract).selectinload(LoanContract.instalments),
            selectinload(DebtCase.contract).selectinload(LoanContract.payments)
            .selectinload(Payment.allocations),
            selectinload(DebtCase.lender),
            selectinload(DebtCase.borrower).selectinload(Borrower.contacts),
            selectinload(DebtCase.holds),
        )
        # Refresh collections already in the session: a CaseFile must see rows added since.
        .execution_options(populate_existing=True)
    ).scalar_one_or_none()
    if case is None:
        raise CaseNotFound(ref)
    return _assemble(session, case)


def _assemble(session: Session, case: DebtCase) -> CaseFile:
    by_case = {"case_id": case.id}
    fresh = {"populate_existing": True}
    comms = session.scalars(
        select(Communication).filter_by(**by_case).order_by(Communication.sent_at, Communication.id)
        .execution_options(**fresh)
    ).all()
    visits = session.scalars(
        select(Visit).filter_by(**by_case).options(selectinload(Visit.staff))
        .order_by(Visit.window_start, Visit.id).execution_options(**fresh)
    ).all()
    plans = session.scalars(
        select(RepaymentPlan).filter_by(**by_case).options(selectinload(RepaymentPlan.instalments))
        .order_by(RepaymentPlan.id).execution_options(**fresh)
    ).all()
    breaches = session.scalars(
        select(BreachEvent).filter_by(**by_case).order_by(BreachEvent.due_date, BreachEvent.id)
    ).all()
    firm = session.get(LawFirm, case.law_firm_id) if case.law_firm_id else None
    return CaseFile(
        case=case, contract=case.contract, lender=case.lender, borrower=case.borrower,
        contacts=list(case.borrower.contacts), instalments=list(case.contract.instalments),
        payments=list(case.contract.payments), holds=list(case.holds),
        communications=list(comms), visits=list(visits), plans=list(plans),
        breaches=list(breaches), law_firm=firm,
    )


__all__ = ["CaseFile", "Instalment", "load_case_file"]
