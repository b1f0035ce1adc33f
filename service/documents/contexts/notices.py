"""Contexts of the notices sent to a borrower about an overdue loan (DESIGN §3, domain §6(c)).

Wording lives in templates/notices/; these classes only gather and mask the values.
"""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any, ClassVar, Self

from pydantic import model_validator

from service.cases import us_law
from service.cases.accounts import acceleration_of, effective_acceleration, signed_plan
from service.cases.cn_calendar import period_end
from service.cases.rules import RuleSet, load_ruleset
from service.cases.us_law import overshadowing
from service.core.errors import RuleViolation
from service.documents.contexts import samples
from service.documents.contexts.common import (
    Amounts,
    CapQuote,
    CreditSystemBlock,
    DocMeta,
    DocumentContext,
    Frozen,
    LenderBlock,
    LoanBlock,
    PartyBlock,
    Required,
    local_datetime,
)
from service.documents.contexts.facts import CaseFacts
from service.documents.contexts.legal import samples as legal_samples
from service.documents.contexts.legal.base import wording_of
from service.documents.contexts.legal.blocks import CauseBlock
from service.documents.format import cn_upper, date_cn, date_en


class Policy(Frozen):
    """Periods the lender grants in its notices (lender policy, shown on the document); data in
    the profile's rule set (POL-01), so a change of policy is a reviewed change of data."""

    pay_within_days: int
    dispute_within_days: int
    report_after_days: int  # credit reporting not before this many days after the pre-notice
    # the jurisdiction's periods end on a working day (CN: 民法典 art. 203; Jurisdiction.rest_day_periods)
    rolls: bool = False

    @classmethod
    def of(cls, rules: RuleSet) -> Self:
        return cls(**rules.rule("POL-01").params, rolls=rules.jurisdiction.rest_day_periods)

    def pay_by(self, on: date) -> date:
        """The last day of the days to pay a notice dated `on` gives (cn_calendar.period_end)."""
        return period_end(on, self.pay_within_days, rolls=self.rolls)

    def dispute_by(self, on: date) -> date:
        """The last day of the days to dispute a notice dated `on` gives."""
        return period_end(on, self.dispute_within_days, rolls=self.rolls)

    def report_from(self, on: date) -> date:
        """The first day a pre-notice dated `on` lets the lender report: the day after the borrower's
        days to pay or dispute "before" it, the last of which, on a rest day, moves to the next
        working day (民法典 art. 203); `report_after_days` after `on` where nothing rolls."""
        return period_end(on, self.report_after_days - 1, rolls=self.rolls) + timedelta(days=1)

    @classmethod
    def for_profile(cls, profile: str) -> Self:
        return cls.of(load_ruleset(profile))


class NoticeContext(DocumentContext):
    """Letterhead, addressee and the lender's policy: what every notice to a borrower has, and the
    words the lender's law gives its charges (the court documents' own source)."""

    lender: LenderBlock
    borrower: PartyBlock
    policy: Policy
    # 案由 by the lender's licence (CN-30): what a notice calls interest on overdue principal
    # (cause.penalty_term, cause.penalty_term_en), as the pleadings do; None in the US profile
    cause: CauseBlock | None
    compound_allowed: bool  # the contract charges compound interest: no notice mentions it otherwise
    # US-22 (Cal. Civ. Code 1812.700): the letter carries California's notice of the debtor's rights
    rosenthal_notice: bool = False
    # The kind's English letter names the repayment account (bank and holder): it is refused while
    # they are recorded in Chinese only (PaymentAccount.english).
    PRINTS_ACCOUNT: ClassVar[bool] = False

    def money(self, amount: Decimal) -> str:
        return self.doc.money(amount)

    def day(self, value: date) -> str:
        return date_cn(value) if self.doc.is_zh else date_en(value)

    def base_required(self) -> list[Required]:
        zh = self.doc.is_zh
        return [Required(label="lender", text=self.lender.name if zh else self.lender.name_en),
                Required(label="hotline", text=self.lender.hotline),
                Required(label="borrower", text=self.borrower.name if zh else self.borrower.name_en),
                Required(label="date", text=self.day(self.doc.as_of))]

    @classmethod
    def blocks(cls, facts: CaseFacts, doc: DocMeta) -> dict[str, Any]:
        lender = LenderBlock.of(facts.cf.lender)
        if cls.PRINTS_ACCOUNT and not doc.is_zh and lender.account:
            lender.account.english("lender.payment_account")
        return {"doc": doc, "lender": lender,
                "borrower": PartyBlock.of(facts.cf.borrower, doc.audience, facts.rules),
                "policy": Policy.of(facts.rules), **wording_of(facts),
                "rosenthal_notice": us_law.rosenthal_notice(facts.rules, facts.cf, doc.kind)}

    @staticmethod
    def sample_blocks(doc: DocMeta) -> dict[str, Any]:
        return {"doc": doc, "lender": samples.lender(doc.profile),
                "borrower": samples.borrower(doc.profile, doc.audience),
                "policy": Policy.for_profile(doc.profile), **legal_samples.wording(doc.profile)}


def credit_blocks(facts: Any) -> dict[str, Any]:
    """The credit system a notice may name and the pre-notice it may refer to: both absent for a
    lender that reports to none (CN-31), so its notices say nothing of credit reporting."""
    system = facts.credit_system
    # the borrower-local day the first pre-notice went out (a UTC date is a day early before 08:00)
    return {"credit_system": CreditSystemBlock(name=system.name, name_en=system.name_en) if system else None,
            "prenotice_date": facts.first_sent("credit_report_prenotice") if system is not None else None}


def sample_credit_blocks(doc: DocMeta, prenotice_before: timedelta | None) -> dict[str, Any]:
    system = samples.credit_system(doc.profile)
    sent = doc.as_of - prenotice_before if prenotice_before is not None and system is not None else None
    return {"credit_system": system, "prenotice_date": sent}


class DebtNoticeContext(NoticeContext):
    """A notice that states the debt: the loan and the overdue amounts at as-of."""

    loan: LoanBlock
    amounts: Amounts
    pay_by: date
    credit_system: CreditSystemBlock | None  # None: the lender reports to none, nothing is said of it
    prenotice_date: date | None  # when the credit-reporting pre-notice went out, if it did
    # US: the validation period still running at as-of (nothing may demand or cut off earlier, US-16)
    validation_end: date | None = None
    time_barred_disclosure: str | None = None  # US: the state's disclosure on time-barred debt (US-15)

    @property
    def dispute_by(self) -> date:
        return self.validation_end or self.policy.dispute_by(self.doc.as_of)

    def template_vars(self) -> dict[str, Any]:
        return {**super().template_vars(), "dispute_by": self.dispute_by}

    @model_validator(mode="after")
    def _credit_wording_needs_a_system(self) -> Self:
        if self.prenotice_date is not None and self.credit_system is None:
            raise ValueError("a pre-notice date without a credit system would mention credit reporting (CN-31)")
        return self

    def amount_required(self) -> list[Required]:
        a = self.amounts
        # US letters show the account number truncated (§ 1006.34(c)(2)(vi), US-13)
        truncated = self.doc.rules.jurisdiction.account_tail_on_filings is not None
        found = [Required(label="contract", text=self.loan.contract_no_masked if truncated else self.loan.contract_no),
                 Required(label="principal", text=self.money(a.principal)),
                 Required(label="interest", text=self.money(a.interest)),
                 Required(label="penalty", text=self.money(a.penalty)),
                 Required(label="fees", text=self.money(a.fees)),
                 Required(label="total", text=self.money(a.total_overdue))]
        if a.compound:
            found.append(Required(label="compound", text=self.money(a.compound)))
        if a.oldest_due_date:
            found.append(Required(label="due_date", text=self.day(a.oldest_due_date)))
        if self.doc.is_zh:
            found.append(Required(label="total_upper", text=cn_upper(a.total_overdue)))
        if self.lender.account and not truncated:  # no account number in full (US-13)
            found.append(Required(label="account", text=self.lender.account.account_no))
        return found

    def required(self) -> list[Required]:
        return [*self.base_required(), *self.amount_required(),
                Required(label="pay_by", text=self.day(self.pay_by))]

    @classmethod
    def debt_blocks(cls, facts: CaseFacts, doc: DocMeta, amounts: Amounts | None = None) -> dict[str, Any]:
        """The blocks of a notice stating the debt: `amounts` from the contract's ledger unless given."""
        # A reminder, demand or pre-notice is about an instalment past its due date (on the due date
        # itself an instalment is owed but not late).
        if amounts is None and (facts.ledger.total_overdue <= 0
                                or not any(p.days_past_due > 0 for p in facts.ledger.positions)):
            raise RuleViolation([facts.rules.rule("ESC-01").violation(
                f"nothing is overdue as of {doc.as_of.isoformat()}: no {doc.kind} to send")])
        policy = Policy.of(facts.rules)
        end = facts.validation_period_end
        running = end if end is not None and doc.as_of <= end else None
        pay_by = max(policy.pay_by(doc.as_of), running or doc.as_of)
        dispute_by = running or policy.dispute_by(doc.as_of)
        if found := overshadowing(facts.rules, as_of=doc.as_of, validation_end=end, pay_by=pay_by,
                                  dispute_by=dispute_by):
            raise RuleViolation(found)
        return {**cls.blocks(facts, doc), "loan": LoanBlock.of(facts.cf.contract, facts.rules, CapQuote.of(facts.cap)),
                "amounts": amounts or Amounts.of(facts.ledger), "pay_by": pay_by, "validation_end": running,
                "time_barred_disclosure": facts.time_barred_disclosure, **credit_blocks(facts)}

    @classmethod
    def sample_debt_blocks(cls, doc: DocMeta, *, prenotice: bool = True) -> dict[str, Any]:
        return {**cls.sample_blocks(doc), "loan": samples.loan(doc.profile),
                "amounts": samples.amounts(doc.profile, doc.as_of),
                "pay_by": Policy.for_profile(doc.profile).pay_by(doc.as_of),
                **sample_credit_blocks(doc, timedelta(days=20) if prenotice else None)}

    @classmethod
    def build(cls, facts: CaseFacts, doc: DocMeta) -> Self:
        return cls(**cls.debt_blocks(facts, doc))

    @classmethod
    def sample(cls, doc: DocMeta) -> Self:
        return cls(**cls.sample_debt_blocks(doc))


class OverdueReminderContext(DebtNoticeContext):
    """逾期提醒 / overdue reminder: the one-page letter and its SMS text."""

    PRINTS_ACCOUNT = True

    def sms_required(self) -> list[Required]:
        return [Required(label="total", text=self.money(self.amounts.total_overdue)),
                Required(label="hotline", text=self.lender.hotline),
                Required(label="contract", text=self.loan.contract_no_masked[-4:])]

    @classmethod
    def sample(cls, doc: DocMeta) -> Self:
        # The first reminder usually precedes the credit-reporting pre-notice.
        return cls(**cls.sample_debt_blocks(doc, prenotice=False))


class OverdueLine(Frozen):
    """One overdue instalment of the demand letter's table."""

    no: int
    due_date: date
    days_past_due: int
    principal: Decimal
    interest: Decimal
    penalty: Decimal  # penalty and compound interest on this instalment
    fees: Decimal

    @property
    def total(self) -> Decimal:
        return self.principal + self.interest + self.penalty + self.fees

    @property
    def balance(self) -> Decimal:
        """The line's scheduled parts (its default interest is in the letter's computation rows)."""
        return self.principal + self.interest + self.fees


class AccrualRow(Frozen):
    """One row of the letter's default-interest computation (ledger.Accrual): one base at one rate
    for its days, rounded once, so the borrower recomputes it."""

    component: str  # penalty | compound
    first_day: date
    end: date
    days: int
    base: Decimal
    rate: Decimal
    amount: Decimal
    instalments: tuple[int, ...]


class DemandLetterContext(DebtNoticeContext):
    """催收函 (信用卡办法 art. 69 model): balance, reason and basis, rights, dispute, contact, seal."""

    lines: tuple[OverdueLine, ...]
    # the default interest of the lines, row by row, and what of it payments took (review: a row
    # "55 | 2,388.80 | 52.29" was 48 days after a part payment; the lines no longer carry it)
    accruals: tuple[AccrualRow, ...] = ()
    line_penalty: Decimal = Decimal("0.00")  # the lines' default interest together
    accrued_settled: Decimal = Decimal("0.00")  # of the rows, what payments and waivers took
    # interest (and other cost) paid above the cap and set against principal: the principal above
    # is already net of it, and the letter says so, as the claim statement does (issue 8 §2, review F22)
    principal_set_off: Decimal = Decimal("0.00")
    # the contract's last due date when it had passed by the letter's date: the loan is due in full
    # (已全部到期) and the letter does not speak of a right to accelerate it
    matured_on: date | None = None
    # the day the lender declared the loan due under the contract's acceleration clause, when that
    # was by the letter's date (the record's acceleration: it advanced an instalment): the letter
    # then says the right it cites was used
    accelerated_on: date | None = None

    def stated_debt(self) -> Decimal:
        return self.amounts.total_outstanding


    def required(self) -> list[Required]:
        found = super().required()
        found.append(Required(label="outstanding", text=self.money(self.amounts.total_outstanding)))
        return found

    @classmethod
    def build(cls, facts: CaseFacts, doc: DocMeta) -> Self:
        from service.cases.ledger import Component as C

        # an instalment the acceleration brought forward is due on the acceleration date, as its days
        # past due count (its own date may lie years ahead: "2028年2月24日, 逾期8天")
        lines = tuple(
            OverdueLine(no=p.no, due_date=min(p.due_date, p.principal_due_date), days_past_due=p.days_past_due,
                        principal=p.outstanding[C.PRINCIPAL], interest=p.outstanding[C.INTEREST],
                        penalty=p.outstanding[C.PENALTY] + p.outstanding[C.COMPOUND], fees=p.outstanding[C.FEE])
            for p in facts.ledger.positions if p.days_past_due > 0)
        accruals = tuple(AccrualRow(component=str(a.component), first_day=a.start + timedelta(days=1), end=a.end,
                                    days=a.days, base=a.base, rate=a.rate, amount=a.amount, instalments=a.instalments)
                         for a in facts.ledger.accruals)
        set_off = Decimal("0.00")
        if facts.cap.binding:
            found = (next((ln for ln in facts.reconciliation if ln.key == key), None)
                     for key in ("rate_cap_set_off", "cost_set_off"))
            set_off = -sum((line.amount for line in found if line is not None), Decimal("0.00"))
        last_due = max((i.due_date for i in facts.cf.instalments), default=None)
        accelerated = facts.record.accelerated_on  # the record's, which may be later than a letter of the past
        line_penalty = sum((line.penalty for line in lines), Decimal("0.00"))
        accrued = sum((a.amount for a in accruals), Decimal("0.00"))
        return cls(**cls.debt_blocks(facts, doc), lines=lines, accruals=accruals, line_penalty=line_penalty,
                   accrued_settled=accrued - line_penalty if accruals else Decimal("0.00"), principal_set_off=set_off,
                   matured_on=last_due if last_due is not None and last_due <= doc.as_of else None,
                   accelerated_on=accelerated if accelerated is not None and accelerated <= doc.as_of else None)

    @classmethod
    def sample(cls, doc: DocMeta) -> Self:
        blocks = cls.sample_debt_blocks(doc)
        lines = _sample_lines(blocks["amounts"])
        return cls(**blocks, lines=lines, line_penalty=sum((line.penalty for line in lines), Decimal("0.00")))


def _sample_lines(a: Amounts) -> tuple[OverdueLine, ...]:
    """Split the sample amounts over instalments so the table's columns sum to the totals."""
    count = 6 if a.principal > Decimal("5000") else 3
    base = a.oldest_due_date or a.as_of
    rows = []
    for i in range(count):
        last = i == count - 1

        def part(total: Decimal, *, last: bool = last, i: int = i) -> Decimal:
            share = (total / count).quantize(Decimal("0.01"))
            return total - share * (count - 1) if last else share
        due = date(base.year + (base.month + i - 1) // 12, (base.month + i - 1) % 12 + 1, base.day)
        rows.append(OverdueLine(no=4 + i, due_date=due, days_past_due=(a.as_of - due).days,
                                principal=part(a.principal), interest=part(a.interest),
                                penalty=part(a.penalty + a.compound), fees=part(a.fees)))
    return tuple(rows)


class AcceleratedAgreement(Frozen):
    """The repayment agreement whose acceleration made the reported amounts due."""

    agreement_no: str
    signed_date: date
    default_clause: int
    accelerated_on: date  # the day the default clause applied (the agreement's 提前到期日)
    # the plan's last due date where it came before that day: everything was due already, nothing
    # was accelerated (accounts.effective_acceleration)
    matured_on: date | None = None


class EarlierPrenotice(Frozen):
    """The first pre-notice, when this one is not the first (e.g. after a repayment agreement's
    breach): the new notice names it, so it does not read as if nothing had been announced."""

    sent_on: date
    report_from: date  # the day the first notice said reporting would begin
    later_notices: int  # pre-notices sent after the first and before this one


class CreditReportPrenoticeContext(DebtNoticeContext):
    """不良信息报送事先告知书 (征信业管理条例 arts 15–16): what is reported, when, how to object.

    Once a repayment agreement is signed it governs what is due (PLAN-03): the pre-notice then
    reports only after the agreement's acceleration, with the one claim computation's amounts."""

    report_not_before: date
    agreement: AcceleratedAgreement | None = None
    earlier: EarlierPrenotice | None = None

    @staticmethod
    def earlier_of(facts: CaseFacts, doc: DocMeta, policy: Policy) -> EarlierPrenotice | None:
        """Pre-notices that went out before this one's day (one sent the same day is this one)."""
        if facts.credit_system is None:
            return None
        sent = sorted(((local_datetime(c.sent_at, facts.tz).date(), c) for c in facts.sent("credit_report_prenotice")),
                      key=lambda x: (x[0], x[1].sent_at))
        before = [(day, c) for day, c in sent if day < doc.as_of]
        if not before:
            return None
        first_day, first = before[0]
        # what the first notice stated: from its own as-of date (a notice recorded before
        # the communication kept its as-of date: counted from the day it was sent)
        stated_from = first.stated_as_of or first_day
        return EarlierPrenotice(sent_on=first_day, report_from=policy.report_from(stated_from),
                                later_notices=len(before) - 1)

    def stated_debt(self) -> Decimal | None:
        """Under an accelerated agreement it states the whole debt; on the contract only the
        overdue part to be reported, not what is owed in all."""
        return self.amounts.total_outstanding if self.agreement else None

    def required(self) -> list[Required]:
        system = [Required(label="credit_system", text=self.credit_system.name)] if self.credit_system else []
        agreement = [Required(label="agreement", text=self.agreement.agreement_no),
                     Required(label="accelerated_on", text=self.day(self.agreement.accelerated_on))
                     ] if self.agreement else []
        earlier = [Required(label="earlier_prenotice", text=self.day(self.earlier.sent_on)),
                   Required(label="earlier_report_from", text=self.day(self.earlier.report_from))
                   ] if self.earlier else []
        return [*self.base_required(), *self.amount_required(), *system, *agreement, *earlier,
                Required(label="report_not_before", text=self.day(self.report_not_before))]

    @classmethod
    def build(cls, facts: CaseFacts, doc: DocMeta) -> Self:
        policy = Policy.of(facts.rules)
        plan = signed_plan(facts.cf, doc.as_of)
        # the claim (two passes of four ledgers) only where an agreement governs: on the contract
        # the notice states the case's ledger
        position = facts.claim.agreement if plan is not None and plan.signed_date is not None else None
        earlier = cls.earlier_of(facts, doc, policy)
        if plan is None or plan.signed_date is None or position is None:
            return cls(**cls.debt_blocks(facts, doc), report_not_before=policy.report_from(doc.as_of),
                       earlier=earlier)
        # The claim computation accelerates at as-of when asked what a suit would claim today; what
        # the pre-notice may report is only what the agreement's default clause has made due.
        accelerated_on = acceleration_of(facts.cf, plan)
        if accelerated_on is None or accelerated_on > doc.as_of:
            raise RuleViolation([facts.rules.rule("PLAN-03").violation(
                f"repayment agreement {plan.agreement_no} (signed {plan.signed_date}) governs what is due and "
                f"has not been accelerated as of {doc.as_of.isoformat()}: a pre-notice computed from the "
                "original contract would contradict it; send the breach_notice")])
        missed = [i.due_date for i in position.instalments if i.paid < i.amount and i.due_date < accelerated_on]
        amounts = Amounts.of_accelerated(facts.claim, min(missed, default=accelerated_on), position.paid_total)
        agreement = AcceleratedAgreement(agreement_no=plan.agreement_no, signed_date=plan.signed_date,
                                         default_clause=position.terms.default.clause_no, accelerated_on=accelerated_on,
                                         matured_on=effective_acceleration(facts.cf, doc.as_of).matured_on)
        return cls(**cls.debt_blocks(facts, doc, amounts), agreement=agreement,
                   report_not_before=policy.report_from(doc.as_of), earlier=earlier)

    @classmethod
    def sample(cls, doc: DocMeta) -> Self:
        return cls(**cls.sample_debt_blocks(doc, prenotice=False),
                   report_not_before=Policy.for_profile(doc.profile).report_from(doc.as_of))
