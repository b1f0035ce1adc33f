"""The loan contract's acceleration clause (ESC-12): when the lender may declare the whole loan due.

The clause gives a condition (借款人逾期超过90日的，贷款人有权宣布全部借款提前到期): an instalment
more than ``LoanContract.acceleration_overdue_days`` days overdue. Before it is met no acceleration
is recorded, claimed or announced. A loan whose every instalment has fallen due is due in full
without one, so the clause has nothing left to decide.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from service.cases.accounts import dues_of, payments_of, terms_of
from service.cases.casefile import CaseFile
from service.cases.ledger import compute_ledger
from service.cases.rules import RuleSet, text
from service.core.errors import Violation

RULE = "ESC-12"


@dataclass(frozen=True, slots=True)
class Condition:
    """The acceleration clause of one contract, and where the case stands against it on a day."""

    overdue_days: int  # the lender may accelerate once an instalment is more than this many days overdue
    clause: str  # the clause's number as the contract gives it ("第八条", "§8"); "" when not recorded
    on: date
    days_past_due: int  # of the oldest unpaid instalment on `on`, without any acceleration
    matured: bool  # every instalment had fallen due by `on`

    @property
    def met(self) -> bool:
        return self.days_past_due > self.overdue_days

    @property
    def met_from(self) -> date | None:
        """The first day it is met if nothing more is paid (None: nothing is overdue on `on`)."""
        if self.days_past_due == 0:
            return None
        return self.on + timedelta(days=self.overdue_days - self.days_past_due + 1)


def condition_on(cf: CaseFile, on: date) -> Condition:
    contract = cf.contract
    ledger = compute_ledger(terms_of(contract), dues_of(cf.instalments), payments_of(cf.payments), as_of=on)
    return Condition(overdue_days=contract.acceleration_overdue_days,
                     clause=str((contract.clause_refs or {}).get("acceleration", "")), on=on,
                     days_past_due=ledger.days_past_due, matured=all(i.due_date <= on for i in cf.instalments))


def violation(rules: RuleSet, cf: CaseFile, on: date) -> Violation | None:
    """ESC-12 against an acceleration of the loan on `on`: none when the contract's condition is
    met by then, or when the loan had matured (nothing left to accelerate)."""
    c = condition_on(cf, on)
    if c.met or c.matured:
        return None
    since = text("ESC-12.met_from", day=c.met_from.isoformat()) if c.met_from and c.met_from > on else ""
    return rules.rule(RULE).refuse("ESC-12.not_met", clause=c.clause or "—", days=c.overdue_days,
                                   on=on.isoformat(), dpd=c.days_past_due, since=since)
