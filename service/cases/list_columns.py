"""The case list's summary columns, kept on the case so a page never computes a ledger per row.

``overdue_since`` is the due date of the oldest instalment still owing (days past due = today
minus it, as time passes) and ``principal_cents`` the principal outstanding. Both follow the one
truth of the case: the contract's ledger, or the signed repayment agreement that governs the debt
(its own instalments and acknowledged principal, revived on breach). Every write that changes
what they summarise calls ``refresh``: a payment (re-allocation, import), a plan signed, a stage
entered (a breach opened or cured, an acceleration).
"""

from datetime import date

from service.cases import accounts
from service.cases.casefile import CaseFile
from service.cases.ledger import Component, Ledger
from service.core.clock import today


def refresh(cf: CaseFile, on: date | None = None, *, ledger: Ledger | None = None) -> None:
    """Recompute the case's list columns from its case file (as of `on`, default the borrower's
    today, never before its latest payment: a payment dated today in Shanghai counts). `ledger`:
    the case's lawful ledger the caller computed already, used if it is as of the same date."""
    as_of = max([on or today(cf.borrower.timezone), *(p.value_date for p in cf.payments)])
    position = accounts.agreement_of(cf, as_of)
    if position is not None:
        owing = [i.due_date for i in position.instalments if i.outstanding > 0]
        if position.accelerated_on is not None and position.total > 0:  # all of it fell due then
            owing.append(position.accelerated_on)
        principal = position.outstanding.get(Component.PRINCIPAL, 0)
    else:
        if ledger is None or ledger.as_of != as_of:
            ledger = accounts.ledger_of(cf, as_of)
        owing = [p.due_date for p in ledger.positions if any(v > 0 for v in p.outstanding.values())]
        principal = ledger.outstanding_principal
    cf.case.overdue_since = min(owing, default=None)
    cf.case.principal_cents = int(principal * 100)
