"""The loan contract's acceleration clause (ESC-12): when the lender may declare the whole loan due.

The clause gives a condition, as the contract words it (``LoanContract.acceleration_basis``):
- days: an instalment more than ``acceleration_overdue_days`` days overdue (借款人逾期超过90日的);
- instalments: ``acceleration_missed_instalments`` instalments not paid in full by their due dates,
  consecutive (连续N期) or cumulative (累计N期) as ``acceleration_missed_consecutive`` says;
- days_or_instalments: either.
Before it is met no acceleration is recorded, claimed or announced. A loan whose every instalment has
fallen due is due in full without one, so the clause has nothing left to decide.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from service.cases.accounts import dues_of, payments_of, terms_of
from service.cases.casefile import CaseFile
from service.cases.ledger import compute_ledger, missed_on_time
from service.cases.rules import RuleSet, text
from service.core.errors import Violation

RULE = "ESC-12"


class AccelerationBasis(StrEnum):
    DAYS = "days"
    INSTALMENTS = "instalments"
    DAYS_OR_INSTALMENTS = "days_or_instalments"


@dataclass(frozen=True, slots=True)
class Condition:
    """The acceleration clause of one contract, and where the case stands against it on a day."""

    basis: AccelerationBasis
    overdue_days: int  # the lender may accelerate once an instalment is more than this many days overdue
    missed_instalments: int  # ... or once this many instalments were missed (0: no such condition)
    consecutive: bool  # the missed instalments counted in a row (连续) rather than in all (累计)
    clause: str  # the clause's number as the contract gives it ("第八条", "§8"); "" when not recorded
    on: date
    days_past_due: int  # of the oldest unpaid instalment on `on`, without any acceleration
    missed: int  # instalments missed by `on` as the clause counts them (the longest run, if consecutive)
    run: int  # the run of missed instalments that ends with the last one due by `on`
    next_due: tuple[date, ...]  # the due dates after `on`: each is missed if nothing more is paid
    matured: bool  # every instalment had fallen due by `on`
    # the oldest instalment unpaid on `on` (the one `days_past_due` counts): its number and due date
    oldest_no: int = 0
    oldest_due: date | None = None

    @property
    def by_days(self) -> bool:
        return self.basis in (AccelerationBasis.DAYS, AccelerationBasis.DAYS_OR_INSTALMENTS)

    @property
    def by_instalments(self) -> bool:
        return self.basis != AccelerationBasis.DAYS and self.missed_instalments > 0

    @property
    def met(self) -> bool:
        return ((self.by_days and self.days_past_due > self.overdue_days)
                or (self.by_instalments and self.missed >= self.missed_instalments))

    @property
    def met_from(self) -> date | None:
        """The first day it is met if nothing more is paid (None: not before the loan matures, or
        nothing is overdue on `on`)."""
        found = []
        if self.by_days and self.days_past_due:
            found.append(self.on + timedelta(days=self.overdue_days - self.days_past_due + 1))
        if self.by_instalments:
            have = self.run if self.consecutive else self.missed
            more = self.missed_instalments - have  # instalments still to be missed, from the next one due
            if 0 < more <= len(self.next_due):
                found.append(self.next_due[more - 1] + timedelta(days=1))  # missed once its due date is past
        return min(found) if found else None


def _runs(nos: list[int]) -> tuple[int, int]:
    """The longest run of consecutive numbers, and the run that ends with the last one."""
    longest = run = 0
    previous = None
    for no in nos:
        run = run + 1 if previous is not None and no == previous + 1 else 1
        longest, previous = max(longest, run), no
    return longest, run


def condition_on(cf: CaseFile, on: date) -> Condition:
    contract = cf.contract
    ledger = compute_ledger(terms_of(contract), dues_of(cf.instalments), payments_of(cf.payments), as_of=on)
    missed = [p.no for p in missed_on_time(ledger)]
    longest, run = _runs(missed)
    last_due = max((i.no for i in cf.instalments if i.due_date <= on), default=0)
    trailing = run if missed and missed[-1] == last_due else 0  # a run broken by an instalment paid on time
    consecutive = contract.acceleration_missed_consecutive
    oldest = min((p for p in ledger.positions if p.days_past_due > 0 and p.days_past_due == ledger.days_past_due),
                 key=lambda p: p.no, default=None)
    return Condition(basis=AccelerationBasis(contract.acceleration_basis),
                     overdue_days=contract.acceleration_overdue_days,
                     missed_instalments=contract.acceleration_missed_instalments, consecutive=consecutive,
                     clause=str((contract.clause_refs or {}).get("acceleration", "")), on=on,
                     days_past_due=ledger.days_past_due, missed=longest if consecutive else len(missed),
                     run=trailing, next_due=tuple(sorted(i.due_date for i in cf.instalments if i.due_date > on)),
                     matured=all(i.due_date <= on for i in cf.instalments),
                     oldest_no=oldest.no if oldest else 0, oldest_due=oldest.due_date if oldest else None)


def violation(rules: RuleSet, cf: CaseFile, on: date) -> Violation | None:
    """ESC-12 against an acceleration of the loan on `on`: none when the contract's condition is
    met by then, or when the loan had matured (nothing left to accelerate)."""
    c = condition_on(cf, on)
    if c.met or c.matured:
        return None
    since = text("ESC-12.met_from", day=c.met_from.isoformat()) if c.met_from and c.met_from > on else ""
    parts = []
    if c.by_days:
        parts.append(text("ESC-12.days", days=c.overdue_days, dpd=c.days_past_due, on=on.isoformat()))
    if c.by_instalments:
        parts.append(text("ESC-12.consecutive" if c.consecutive else "ESC-12.cumulative", n=c.missed_instalments,
                          missed=c.missed, on=on.isoformat()))
    return rules.rule(RULE).refuse("ESC-12.not_met", clause=c.clause or "—", on=on.isoformat(),
                                   condition=text("ESC-12.or", parts=parts) if len(parts) > 1 else parts[0],
                                   since=since)
