"""Since when a case's debt is overdue: the one answer the documents state (逾期时间, issue 8 §6)
and the claim view gives beside the claim (`dossier claim`, GET /v1/cases/{ref}/claim).

The start is the first due date of the governing schedule not paid in full by that day: the
signed repayment plan's where one governs, else the loan contract's. The documents take it from
the case's facts record (``CaseRecord``: ``first_missed_due``, ``schedule_missed_due``;
``Timeline.overdue_start``); the claim view from here, so the two never count from different days
(review CN-00044: the JSON said 54 days, the contract's at the agreement, beside a form's 67).
"""

from datetime import date
from decimal import Decimal

from service.cases import accounts
from service.cases.casefile import CaseFile
from service.cases.ledger import Ledger, first_missed


def first_missed_due(ledger: Ledger) -> date | None:
    """The earliest due date whose scheduled amount was not paid in full by that day."""
    first = first_missed(ledger)
    return first.due_date if first is not None else None


def schedule_missed_due(cf: CaseFile, as_of: date, contract_missed: date | None) -> date | None:
    """The first instalment of the governing schedule not paid in full by its due date: of the
    signed plan where one governs (payments after its acknowledgement fill its instalments oldest
    first), else the contract's (`contract_missed`)."""
    plan = accounts.signed_plan(cf, as_of)
    if plan is None or not plan.instalments:
        return contract_missed
    pays = [p for p in cf.payments if plan.as_of_date < p.value_date <= as_of]
    owed = Decimal("0")
    for i in plan.instalments:
        owed += i.amount
        if i.due_date > as_of:
            return None
        if sum((p.amount for p in pays if p.value_date <= i.due_date), Decimal("0")) < owed:
            due: date = i.due_date
            return due
    return None


def overdue_start(schedule_missed: date | None, contract_missed: date | None) -> date | None:
    """The one "overdue since": the governing schedule's first missed due date, else the
    contract's (a plan performed so far leaves the contract's default)."""
    return schedule_missed or contract_missed


def overdue_start_of(cf: CaseFile, as_of: date, ledger: Ledger) -> date | None:
    """`overdue_start` of a case at `as_of`, `ledger` the case's contract ledger at that day
    (``accounts.ledger_of``, the facts record's ``facts.ledger``)."""
    missed = first_missed_due(ledger)
    return overdue_start(schedule_missed_due(cf, as_of, missed), missed)


def overdue_days(start: date | None, as_of: date) -> int:
    """Days overdue at `as_of` counted from `start` (the start itself not counted: from the day
    after the missed due date); 0 when nothing is overdue."""
    return (as_of - start).days if start is not None else 0
