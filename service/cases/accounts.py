"""The bridge from stored rows to the money layer: ledger, claim and limitation of a case."""

from datetime import date
from decimal import Decimal

from service.cases import ledger as ledger_mod
from service.cases import us_law
from service.cases.casefile import CaseFile
from service.cases.claim import Claim, compute_claim
from service.cases.ledger import Component, Ledger, LoanTerms, compute_ledger
from service.cases.limitation import Limitation, limitation
from service.cases.models import Instalment, LoanContract, Payment
from service.cases.rules import load_ruleset
from service.cases.schedule import ScheduledInstalment

# Outcomes that prove a demand reached the borrower or the borrower engaged with the debt
# (民法典 art. 195: a demand delivered, or the obligor agreeing to perform).
INTERRUPTING_OUTCOMES = {"delivered", "answered", "promise"}


def terms_of(contract: LoanContract) -> LoanTerms:
    order = tuple(Component(c) for c in contract.allocation_order) if contract.allocation_order else None
    return LoanTerms(
        principal=contract.disbursed_amount,
        disbursed_date=contract.disbursed_date,
        annual_rate=contract.nominal_rate,
        penalty_rate=contract.penalty_rate,
        compound=contract.compound_allowed,
        day_basis=contract.day_basis,
        allocation_order=order,
    )


def dues_of(instalments: list[Instalment]) -> list[ScheduledInstalment]:
    return [ScheduledInstalment(i.no, i.due_date, i.principal, i.interest, i.fee) for i in instalments]


def payments_of(payments: list[Payment]) -> list[ledger_mod.Payment]:
    return [ledger_mod.Payment(p.id, p.value_date, p.amount) for p in payments]


def ledger_of(cf: CaseFile, as_of: date) -> Ledger:
    return compute_ledger(
        terms_of(cf.contract), dues_of(cf.instalments), payments_of(cf.payments),
        as_of=as_of, accelerated_on=cf.case.accelerated_on,
    )


def claim_of(cf: CaseFile, as_of: date, *, licensed_cap: Decimal) -> Claim:
    return compute_claim(
        terms_of(cf.contract), dues_of(cf.instalments), payments_of(cf.payments),
        as_of=as_of, lender_type=cf.lender.licence_type, formation_date=cf.contract.signed_date,
        licensed_cap=licensed_cap, accelerate=True, accelerated_on=cf.case.accelerated_on,
    )


def interruptions(cf: CaseFile) -> list[date]:
    tz_dates = [c.sent_at.date() for c in cf.communications
                if c.direction == "out" and c.party_kind == "borrower" and c.outcome in INTERRUPTING_OUTCOMES]
    signed = [p.signed_date for p in cf.plans if p.signed_date is not None]
    paid = [p.value_date for p in cf.payments]
    return [*tz_dates, *signed, *paid]


def limitation_of(cf: CaseFile) -> Limitation:
    if cf.case.profile == "US":  # the state's law, per instalment (US-15)
        return us_law.case_limitation(cf, load_ruleset("US")).as_limitation()
    years = int(load_ruleset(cf.case.profile).param("CN-18", "years"))
    last_due = max(i.due_date for i in cf.instalments)
    if cf.case.accelerated_on is not None:
        last_due = min(last_due, cf.case.accelerated_on)
    return limitation(last_due_date=last_due, interruptions=interruptions(cf), years=years)
