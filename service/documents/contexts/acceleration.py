"""The two notices before an instalment debt is accelerated (US-19; Texas: Shumway v. Horizon Credit
Corp., 801 S.W.2d 890 (Tex. 1991)): the notice of intent to accelerate, with the amount past due,
the cure deadline and what would fall due; and the notice of acceleration, with the acceleration
date and the balance now due. Every amount is the case's one claim computation (``facts.claim``)
at the notice's date; the cure deadline is ``service.cases.acceleration``'s, the one the rule
later holds the notice to.
"""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Self

from pydantic import computed_field, model_validator

from service.cases import acceleration as law
from service.cases.claim import Claim
from service.cases.masking import filing_redaction, mask_tail
from service.cases.us_law import overshadowing
from service.core.errors import RuleViolation
from service.documents.contexts import samples
from service.documents.contexts.common import DocMeta, Frozen, LoanBlock, Required
from service.documents.contexts.facts import CaseFacts
from service.documents.contexts.legal.blocks import AccrualBlock
from service.documents.contexts.notices import NoticeContext

D = Decimal


class PastDue(Frozen):
    """An instalment (of the plan, on an agreement; else of the contract) due and unpaid at the
    notice's date: what of the instalment itself is unpaid (principal, interest and fees; the
    affidavit's "installment 5 ($3,879.73)" when nothing of it was paid) and, on the contract, its
    parts (the principal a default-interest row's base is made of). No default interest of its own:
    one run of one base covers several instalments and is rounded once (ledger.Accrual), so a
    share of it per instalment is a figure no reader could recompute (review US-00014: installment
    5's "$33.34" where its own product gave 33.35); the notice states it in its rows
    (DefaultInterestRows), as the affidavit's Attachment A does."""

    no: int
    due_date: date
    instalment: Decimal
    # its parts; None for a plan instalment, an amount without parts
    principal: Decimal | None = None
    interest: Decimal | None = None
    fee: Decimal | None = None

    @property
    def charges(self) -> Decimal | None:
        """Its interest and fees together (one column where any installment has a fee)."""
        return None if self.interest is None else self.interest + (self.fee or D("0.00"))

    @model_validator(mode="after")
    def _parts_add_up(self) -> Self:
        parts = (self.principal, self.interest, self.fee)
        if any(p is None for p in parts) and any(p is not None for p in parts):
            raise ValueError("an instalment's parts are all given or none")
        if self.principal is not None and self.principal + (self.charges or D("0")) != self.instalment:
            raise ValueError(f"installment {self.no}: its parts do not add up to {self.instalment}")
        return self


class DefaultInterestRows(Frozen):
    """The default interest unpaid at the notice's date as its computation gives it: every run of
    the ledger up to then (ledger.Accrual: one base at one rate for its days, rounded once), less
    what payments took; the same rows, by the same partial, as the affidavit's Attachment A."""

    accruals: tuple[AccrualBlock, ...]
    penalty: Decimal  # unpaid, of the runs on past-due principal
    compound: Decimal  # unpaid, of the runs on past-due interest

    def row_total(self, name: str) -> Decimal:
        return {"penalty": self.penalty, "compound": self.compound}[name]

    @property
    def total(self) -> Decimal:
        return self.penalty + self.compound

    @property
    def accrued_settled(self) -> Decimal:
        """What payments and waivers took of the rows (the rest is unpaid)."""
        return sum((a.amount for a in self.accruals), D("0.00")) - self.total

    @model_validator(mode="after")
    def _rows_cover_it(self) -> Self:
        if self.accrued_settled < 0:
            raise ValueError(f"the default-interest rows add up to less than the {self.total} unpaid")
        return self

    @classmethod
    def of(cls, claim: Claim) -> Self | None:
        """From the claim computation (contract basis): its ledger's runs and its rows' unpaid default
        interest; None where nothing of it is unpaid."""
        penalty = sum((r.penalty for r in claim.rows), D("0.00"))
        compound = sum((r.compound for r in claim.rows), D("0.00"))
        if not penalty + compound:
            return None
        accruals = tuple(AccrualBlock.of(a) for a in claim.ledger.accruals)
        return cls(accruals=accruals, penalty=penalty, compound=compound)


class BalanceBlock(Frozen):
    """The balance as the claim computation gives it at one date, its parts, and the interest
    that runs on after it."""

    on: date
    total: Decimal
    principal: Decimal
    interest: Decimal
    default_interest: Decimal  # penalty and compound interest
    fees: Decimal
    continuing_base: Decimal
    continuing_rate: Decimal
    continuing_from: date

    @classmethod
    def of(cls, claim: Claim) -> Self:
        on = claim.agreement.as_of if claim.agreement is not None else claim.as_of
        return cls(on=on, total=claim.claimed_total, principal=claim.principal, interest=claim.interest,
                   default_interest=claim.penalty + claim.compound, fees=claim.fees,
                   continuing_base=claim.continuing.base, continuing_rate=claim.continuing.annual_rate,
                   continuing_from=claim.continuing.from_date)

    @classmethod
    def sample(cls, on: date) -> Self:
        return cls(on=on, total=D("8147.62"), principal=D("7420.18"), interest=D("512.40"),
                   default_interest=D("170.04"), fees=D("45.00"), continuing_base=D("7420.18"),
                   continuing_rate=D("0.1799"), continuing_from=on + timedelta(days=1))


class AccelerationNoticeBase(NoticeContext):
    """What both notices name: the loan (its account truncated, § 1006.34(c)(2)(vi)), the creditor
    who accelerates (a collector sends on its behalf) and the agreement when the claim rests on one."""

    loan: LoanBlock
    account_masked: str
    creditor: str
    agreement_no: str  # "" when the claim rests on the loan agreement itself
    balance: BalanceBlock
    account_tail: str  # the digits account_masked shows ("Account ending 547")

    def notice_required(self) -> list[Required]:
        b = self.balance
        return [*self.base_required(), Required(label="account", text=self.account_masked),
                Required(label="total", text=self.money(b.total)),
                Required(label="principal", text=self.money(b.principal))]

    @staticmethod
    def loan_blocks(facts: CaseFacts) -> dict[str, Any]:
        loan = LoanBlock.of(facts.cf.contract, facts.rules)
        claim = facts.claim
        # Both notices are filed as exhibits of the acceleration (the packet): they show no more of
        # the account than a filing in the case's state may (Tex. R. Civ. P. 21c: the last three).
        redaction = filing_redaction(facts.rules, facts.cf.case.us_state)
        masked = (mask_tail(facts.cf.contract.contract_no, redaction.keep_tail) if redaction
                  else loan.contract_no_masked)
        return {"loan": loan, "account_masked": masked, "account_tail": masked.lstrip("*"),
                "creditor": facts.cf.lender.collects_for or facts.cf.lender.name,
                "agreement_no": claim.agreement.terms.ref if claim.agreement is not None else "",
                "balance": BalanceBlock.of(claim)}

    @staticmethod
    def sample_loan_blocks(doc: DocMeta) -> dict[str, Any]:
        loan = samples.loan("US")
        return {"loan": loan, "account_masked": loan.contract_no_masked,
                "account_tail": loan.contract_no_masked.lstrip("*"), "creditor": samples.lender("US").name,
                "agreement_no": "", "balance": BalanceBlock.sample(doc.as_of)}


def _past_due(facts: CaseFacts) -> tuple[PastDue, ...]:
    """From the claim computation: the plan's instalments unpaid at as-of, or the contract's (their
    scheduled parts unpaid; the default interest is the rows', DefaultInterestRows)."""
    claim, as_of = facts.claim, facts.as_of
    if claim.agreement is not None:
        return tuple(PastDue(no=i.no, due_date=i.due_date, instalment=i.amount - i.paid)
                     for i in claim.agreement.instalments if i.due_date <= as_of and i.amount > i.paid)
    return tuple(PastDue(no=r.no, due_date=r.due_date, instalment=r.principal + r.interest + r.fee,
                         principal=r.principal, interest=r.interest, fee=r.fee)
                 for r in claim.rows if r.due_date <= as_of and r.principal + r.interest + r.fee > 0)


def _dated_violation(facts: CaseFacts, message: str) -> RuleViolation:
    return RuleViolation([facts.rules.rule("DOC-04").violation(message)])


class IntentToAccelerateContext(AccelerationNoticeBase):
    """Notice of intent to accelerate: what is past due, the last day to cure it, and the balance
    that would fall due if it is not cured (the claim computation's, at the notice's date or, on a
    breached plan, at the day its default clause takes effect)."""

    past_due: tuple[PastDue, ...]
    # the default interest unpaid (on the contract), row by row; None where none is
    default_interest: DefaultInterestRows | None = None
    cure_deadline: date
    cure_days: int
    # the day the cure period runs from (acceleration.cure_from): the day the notice goes out, which
    # is its date unless it is generated for an earlier date
    cure_from: date

    @computed_field  # type: ignore[prop-decorator]
    @property
    def with_fees(self) -> bool:
        """Whether any installment past due has a fee unpaid (its column then holds interest and fees)."""
        return any(p.fee for p in self.past_due)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def default_interest_due(self) -> Decimal:
        """The default interest in the amount past due: the total of its rows, less what was paid."""
        return self.default_interest.total if self.default_interest is not None else D("0.00")

    @computed_field  # type: ignore[prop-decorator]
    @property
    def cure_amount(self) -> Decimal:
        """The amount past due: the installments' unpaid amounts and the default interest unpaid."""
        return sum((p.instalment for p in self.past_due), D("0.00")) + self.default_interest_due

    def required(self) -> list[Required]:
        return [*self.notice_required(), Required(label="cure_amount", text=self.money(self.cure_amount)),
                Required(label="cure_deadline", text=self.day(self.cure_deadline))]

    @classmethod
    def build(cls, facts: CaseFacts, doc: DocMeta) -> Self:
        claim, notice_law = facts.claim, law.notice_law(facts.rules, facts.cf)
        if notice_law is None:
            raise RuleViolation([facts.rules.rule("DOC-01").violation("a notice of intent is a US notice")])
        # On the contract the claim accelerates at as-of when the case has no acceleration yet (what
        # would fall due); on an agreement its default clause's own date.
        accelerated = claim.accelerated_on if claim.agreement is not None else facts.cf.case.accelerated_on
        if accelerated is not None and accelerated <= doc.as_of:
            raise _dated_violation(facts, f"the balance was accelerated on {accelerated.isoformat()}: "
                                          "an intent to accelerate is past")
        past_due = _past_due(facts)
        if not past_due:
            raise _dated_violation(facts, "nothing is past due at the notice's date: there is no default to cure")
        start = law.cure_from(facts.sending_day, doc.as_of)
        deadline = law.cure_deadline(facts.cf, notice_law, start)
        found = overshadowing(facts.rules, as_of=doc.as_of, validation_end=facts.validation_period_end,
                              pay_by=deadline, dispute_by=deadline)
        if found:
            raise RuleViolation(found)
        rows = DefaultInterestRows.of(claim) if claim.agreement is None else None
        return cls(**cls.blocks(facts, doc), **cls.loan_blocks(facts), past_due=past_due, default_interest=rows,
                   cure_deadline=deadline, cure_days=(deadline - start).days, cure_from=start)

    @classmethod
    def sample(cls, doc: DocMeta) -> Self:
        first, second = doc.as_of - timedelta(days=47), doc.as_of - timedelta(days=17)
        past_due = (PastDue(no=9, due_date=first, instalment=D("389.47"), principal=D("300.00"),
                            interest=D("89.47"), fee=D("0.00")),
                    PastDue(no=10, due_date=second, instalment=D("389.47"), principal=D("304.50"),
                            interest=D("84.97"), fee=D("0.00")))
        rate = D("0.1799")
        rows = DefaultInterestRows(accruals=(
            AccrualBlock(component="penalty", start=first, first_day=first + timedelta(days=1), end=second, days=30,
                         base=D("300.00"), rate=rate,
                         amount=D("4.50"), instalments=(9,)),
            AccrualBlock(component="penalty", start=second, first_day=second + timedelta(days=1), end=doc.as_of,
                         days=17, base=D("604.50"), rate=rate,
                         amount=D("5.14"), instalments=(9, 10))), penalty=D("9.64"), compound=D("0.00"))
        return cls(**cls.sample_blocks(doc), **cls.sample_loan_blocks(doc), past_due=past_due,
                   default_interest=rows, cure_deadline=doc.as_of + timedelta(days=10), cure_days=10,
                   cure_from=doc.as_of)


class AccelerationContext(AccelerationNoticeBase):
    """Notice of acceleration: the balance is due in full from the acceleration date, with the
    notice of intent it follows and the cure deadline that ran out. A notice sent again is a copy of
    the first and keeps its date (acceleration takes effect on the first notice, US-19)."""

    accelerated_on: date
    intent_date: date | None  # the notice of intent on file, if any (not every state requires one)
    intent_deadline: date | None
    first_sent: date | None = None

    def stated_debt(self) -> Decimal:
        return self.balance.total  # the accelerated balance: DOC-05 holds later claims to it

    def required(self) -> list[Required]:
        found = [*self.notice_required(), Required(label="accelerated_on", text=self.day(self.accelerated_on))]
        if self.intent_date and self.intent_deadline:
            found += [Required(label="intent_date", text=self.day(self.intent_date)),
                      Required(label="intent_deadline", text=self.day(self.intent_deadline))]
        return found

    @classmethod
    def build(cls, facts: CaseFacts, doc: DocMeta) -> Self:
        claim, notice_law = facts.claim, law.notice_law(facts.rules, facts.cf)
        if notice_law is None:
            raise RuleViolation([facts.rules.rule("DOC-01").violation("a notice of acceleration is a US notice")])
        accelerated = claim.accelerated_on
        if accelerated is None or accelerated > doc.as_of:
            when = accelerated.isoformat() if accelerated else "no date"
            raise _dated_violation(facts, f"the balance is not accelerated on {doc.as_of.isoformat()} "
                                          f"(acceleration: {when}): the cure period has not run out")
        first_sent = facts.first_sent(notice_law.acceleration_kind)
        found = law.acceleration_notice_violations(facts.rules, facts.cf, accelerated_on=accelerated,
                                                   as_of=doc.as_of, first_sent=first_sent, tz=facts.tz)
        # It asks for the whole balance now: not while a collector's validation period runs (US-16).
        end = facts.validation_period_end
        found += overshadowing(facts.rules, as_of=doc.as_of, validation_end=end, pay_by=doc.as_of,
                               dispute_by=end or doc.as_of)
        if found:
            raise RuleViolation(found)
        record = law.notice_record(facts.cf, notice_law, by=first_sent or doc.as_of, tz=facts.tz)
        intent = record.intent if first_sent else next(
            (d for d in record.intents if record.deadline(d) < doc.as_of), None)
        return cls(**cls.blocks(facts, doc), **cls.loan_blocks(facts), accelerated_on=accelerated,
                   intent_date=intent, intent_deadline=record.deadline(intent) if intent else None,
                   first_sent=first_sent)

    @classmethod
    def sample(cls, doc: DocMeta) -> Self:
        intent = doc.as_of - timedelta(days=14)
        return cls(**cls.sample_blocks(doc), **cls.sample_loan_blocks(doc), accelerated_on=doc.as_of,
                   intent_date=intent, intent_deadline=intent + timedelta(days=10))
