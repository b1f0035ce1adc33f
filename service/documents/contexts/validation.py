"""Regulation F validation notice (12 CFR 1006.34, model form B-1 content)."""

from datetime import date
from decimal import Decimal
from typing import Any, Self

from pydantic import ValidationError, model_validator

from service.cases import accounts
from service.cases import itemization as items
from service.cases.itemization import ITEMIZATION_BASES
from service.cases.ledger import Ledger
from service.core.errors import RuleViolation
from service.documents.contexts import samples
from service.documents.contexts.common import DocMeta, Frozen, LoanBlock, Required
from service.documents.contexts.facts import CaseFacts
from service.documents.contexts.notices import NoticeContext
from service.documents.contexts.us_calendar import validation_period_end

D = Decimal


class Itemization(Frozen):
    basis: str
    on: date
    amount_then: Decimal
    interest: Decimal  # charged since (contract interest falling due + default interest)
    fees: Decimal
    payments: Decimal  # paid or credited since
    current: Decimal

    @model_validator(mode="after")
    def _valid(self) -> Self:
        if self.basis not in ITEMIZATION_BASES:
            raise ValueError(f"itemization date basis {self.basis!r} is not one of {ITEMIZATION_BASES}")
        if self.amount_then + self.interest + self.fees - self.payments != self.current:
            raise ValueError("itemization does not reconcile: then + interest + fees - payments != now")
        return self


def itemize(then: Ledger, now: Ledger, basis: str) -> Itemization:
    """The notice's itemization: the one computation `dossier claim` prints (service.cases.itemization)."""
    it = items.itemize(then, now, basis)
    return Itemization(basis=it.basis, on=it.on, amount_then=it.amount_then, interest=it.interest, fees=it.fees,
                       payments=it.payments, current=it.current)


class ValidationNoticeContext(NoticeContext):
    """B-1: who collects for whom, the itemization, the validation period and the tear-off."""

    loan: LoanBlock
    account_masked: str
    creditor_then: str  # creditor on the itemization date
    creditor_now: str
    itemization: Itemization
    validation_end: date
    # A notice already sent: this one is its copy, and the validation period still runs from the
    # first (12 CFR 1006.34(b)(5)); regenerating it starts no new period.
    first_sent: date | None = None
    # The day the itemization runs to: the as-of date; for a copy, the day its original was sent,
    # so the copy states what that notice stated (12 CFR 1006.34(c)(2)(viii): the amount on the
    # day the notice was provided), not today's balance under the original's date.
    itemized_to: date | None = None
    time_barred_disclosure: str | None = None  # the state's, when the whole debt is out of time (US-15)

    def required(self) -> list[Required]:
        it = self.itemization
        found = [*self.base_required(), Required(label="validation_end", text=self.day(self.validation_end)),
                 Required(label="itemization_date", text=self.day(it.on)),
                 Required(label="account", text=self.account_masked),
                 Required(label="address", text=self.lender.address),
                 Required(label="consumer_address", text=self.borrower.address)]
        for label in ("amount_then", "interest", "fees", "payments", "current"):
            found.append(Required(label=label, text=self.money(getattr(it, label))))
        return found

    @staticmethod
    def period_end(sent: date, rules: Any) -> date:
        return validation_period_end(sent, rules)

    @staticmethod
    def refuse_under_plan(facts: CaseFacts, to: date) -> None:
        """PLAN-03: the itemization is the contract ledger's (12 CFR 1006.34(c)(2): the amount on a
        reference date, the charges and payments since, the current amount), which is the claim's
        only while no signed payment plan governs. Itemized to a day a plan governs, the notice
        would state a contract balance the agreement replaced; a copy of a notice sent before the
        plan itemizes to that notice's day and stands."""
        plan = accounts.signed_plan(facts.cf, to)
        if plan is not None:
            raise RuleViolation([facts.rules.rule("PLAN-03").refuse(
                "PLAN-03.validation", ref=plan.agreement_no, signed=str(plan.signed_date), on=to.isoformat())])

    @classmethod
    def build(cls, facts: CaseFacts, doc: DocMeta) -> Self:
        # A copy itemizes as the notice it copies did: from a date before that notice was sent, to
        # the day it was sent; payments and charges since are not in it.
        first_sent = facts.first_sent("validation_notice")
        cls.refuse_under_plan(facts, first_sent or doc.as_of)
        now = facts.ledger_on(first_sent) if first_sent else facts.ledger
        basis, on = items.reference_date(facts.cf, now)
        try:
            itemization = itemize(facts.ledger_on(on), now, basis)
        except ValidationError as exc:
            message = "; ".join(e["msg"] for e in exc.errors())
            raise RuleViolation([facts.rules.rule("US-06").violation(message)]) from None
        loan = LoanBlock.of(facts.cf.contract, facts.rules)
        creditor = facts.cf.lender.collects_for  # a collector's creditor, then and now (US-14)
        end = facts.validation_period_end if first_sent is not None else None
        return cls(**cls.blocks(facts, doc), loan=loan, account_masked=loan.contract_no_masked,
                   creditor_then=creditor, creditor_now=creditor, itemization=itemization,
                   validation_end=end or cls.period_end(doc.as_of, facts.rules), first_sent=first_sent,
                   itemized_to=now.as_of, time_barred_disclosure=facts.time_barred_disclosure)

    @classmethod
    def sample(cls, doc: DocMeta) -> Self:
        from service.cases.rules import load_ruleset

        loan = samples.loan("US")
        itemization = Itemization(basis="last_payment", on=date(2026, 6, 3), amount_then=D("2626.86"),
                                  interest=D("142.62"), fees=D("45.00"), payments=D("95.00"),
                                  current=D("2719.48"))
        return cls(**{**cls.sample_blocks(doc), "lender": samples.collector()}, loan=loan,
                   account_masked=loan.contract_no_masked,
                   creditor_then=samples.lender("US").name, creditor_now=samples.lender("US").name,
                   itemization=itemization, validation_end=cls.period_end(doc.as_of, load_ruleset("US")))
