"""The debt itemized as a Regulation F validation notice states it (12 CFR 1006.34(c)(2)(vi)-(viii)):
the amount owed on an itemization date, the interest, fees, payments and credits since, and the
current amount. One computation for the validation notice and for `dossier claim`, so that a
notice's figures can be traced to the claim's, to the cent.

"Interest" here is every interest charge since the itemization date: the contract interest that
fell due (scheduled), the default interest (penalty) and compound interest accrued; each is kept
apart so that the claim can show which of its own components the sum comes from.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from service.cases import accounts
from service.cases.casefile import CaseFile
from service.cases.ledger import Component, Ledger
from service.cases.money import ZERO

# § 1006.34(b)(3): the five reference dates an itemization may start from.
ITEMIZATION_BASES = ("last_statement", "charge_off", "last_payment", "transaction", "judgment")


@dataclass(frozen=True, slots=True)
class Charged:
    """Interest and fees charged up to a ledger's date."""

    interest_due: Decimal  # scheduled contract interest that fell due
    penalty: Decimal  # default interest accrued
    compound: Decimal  # compound interest accrued
    fees: Decimal  # scheduled fees that fell due

    def __sub__(self, other: "Charged") -> "Charged":
        return Charged(self.interest_due - other.interest_due, self.penalty - other.penalty,
                       self.compound - other.compound, self.fees - other.fees)


def charged(ledger: Ledger) -> Charged:
    interest = penalty = compound = fees = ZERO
    for p in ledger.positions:
        if p.interest_due_date <= ledger.as_of:
            interest += p.due[Component.INTEREST]
            fees += p.due[Component.FEE]
        penalty += p.accrued[Component.PENALTY]
        compound += p.accrued[Component.COMPOUND]
    return Charged(interest, penalty, compound, fees)


@dataclass(frozen=True, slots=True)
class Itemization:
    basis: str  # one of ITEMIZATION_BASES
    on: date  # the itemization date
    to: date  # the day it runs to (the notice's date)
    amount_then: Decimal
    since: Charged  # charged between the two dates
    payments: Decimal  # paid or credited since
    current: Decimal
    # The current amount by component, as the ledger holds it on `to` (principal includes what is
    # not yet due): principal + interest + penalty + compound + fees - unapplied == current.
    principal: Decimal
    interest_outstanding: Decimal
    penalty_outstanding: Decimal
    compound_outstanding: Decimal
    fees_outstanding: Decimal
    unapplied: Decimal  # a credit held, not yet applied

    @property
    def interest(self) -> Decimal:
        """The notice's "interest" line: contract interest fallen due + default and compound interest."""
        return self.since.interest_due + self.since.penalty + self.since.compound

    @property
    def fees(self) -> Decimal:
        return self.since.fees

    @property
    def reconciles(self) -> bool:
        return self.amount_then + self.interest + self.fees - self.payments == self.current


def itemize(then: Ledger, now: Ledger, basis: str) -> Itemization:
    if basis not in ITEMIZATION_BASES:
        raise ValueError(f"itemization date basis {basis!r} is not one of {ITEMIZATION_BASES}")
    return Itemization(basis=basis, on=then.as_of, to=now.as_of, amount_then=then.total_outstanding - then.unapplied,
                       since=charged(now) - charged(then), payments=now.paid_total - then.paid_total,
                       current=now.total_outstanding - now.unapplied, principal=now.outstanding_principal,
                       interest_outstanding=now.overdue_interest, penalty_outstanding=now.penalty,
                       compound_outstanding=now.compound, fees_outstanding=now.overdue_fee, unapplied=now.unapplied)


def reference_date(cf: CaseFile, now: Ledger) -> tuple[str, date]:
    """The itemization date a notice uses: the last payment's, else the loan's (the transaction date)."""
    last_paid = now.last_payment_date
    return ("last_payment", last_paid) if last_paid else ("transaction", cf.contract.disbursed_date)


def itemization_of(cf: CaseFile, to: date) -> Itemization:
    """The validation notice's itemization of the case's lawful ledger, up to `to`."""
    now = accounts.ledger_of(cf, to)
    basis, on = reference_date(cf, now)
    return itemize(accounts.ledger_of(cf, on), now, basis)
