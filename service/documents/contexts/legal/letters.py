"""律师函 (the partner firm's demand before suit) and 调解申请书 (pre-suit mediation)."""

from calendar import monthrange
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any, Literal, Self

from pydantic import computed_field

from service.cases import acceleration, acceleration_clause, accounts
from service.cases.rules import RuleSet, load_ruleset
from service.cases.schedule import add_months, split_evenly
from service.documents.contexts.common import DocMeta, Frozen, Required
from service.documents.contexts.facts import CaseFacts
from service.documents.contexts.legal import checks
from service.documents.contexts.legal.base import CaseDocContext, require_counsel, shown
from service.documents.contexts.legal.blocks import ClaimBlock, CounselBlock, masked_person
from service.documents.format import cn_number, cn_upper

POLICY = "POL-02"  # the lawyer letter's deadline and the mediation proposal's terms (rule-set data)


class Standing(Frozen):
    """Where the debt stands against acceleration on the document's date, which decides how the
    letter and the application word it (review diff F2; ESC-12: no acceleration is announced or
    threatened before the contract's condition is met):

    - ``accelerated``: on a recorded acceleration (``Claim.accelerated``): the whole claim is owed;
    - ``matured``: every instalment of the governing schedule had fallen due (DOC-07's test,
      ``acceleration.accelerated_balance``): due in full without one, 已全部到期, nothing to accelerate;
    - ``may``: the contract's acceleration condition is met (``acceleration_clause.condition_on``):
      what is due now is demanded and the lender may declare the rest due;
    - ``not_met``: the condition is not met (under a repayment agreement: its default clause has
      not taken effect): what is due now is demanded, the rest stays due on its own dates."""

    state: Literal["accelerated", "matured", "may", "not_met"]
    matured_on: date | None = None  # the governing schedule's last due date (matured)

    @classmethod
    def of(cls, facts: CaseFacts) -> Self:
        claim = facts.claim
        if claim.matured_on is not None:  # a recorded acceleration after the schedule matured advanced nothing
            return cls(state="matured", matured_on=claim.matured_on)
        if claim.accelerated:
            return cls(state="accelerated")
        if not acceleration.accelerated_balance(facts.cf, claim):
            dues = ([i.due_date for i in claim.agreement.terms.instalments] if claim.agreement is not None
                    else [i.due_date for i in facts.cf.instalments])
            return cls(state="matured", matured_on=max(dues))
        if claim.agreement is None and acceleration_clause.condition_on(facts.cf, facts.as_of).met:
            return cls(state="may")
        return cls(state="not_met")

    @classmethod
    def sample(cls, claim: ClaimBlock) -> Self:
        return cls(state="accelerated" if claim.accelerated else "may")


class LawyerLetterContext(CaseDocContext):
    """律师函: the firm's letterhead and authority, the facts, the amount as of a date, a deadline
    and what follows, stated factually. Addressed to the borrower: the ID number is masked."""

    firm: CounselBlock
    # the days to pay it gives, from the day it reaches the borrower ("自本函送达之日起七日内",
    # POL-02; DOC-06 counts them from its delivered_at): no date, which sending cannot fix
    pay_within_days: int
    standing: Standing
    # the letter itself declares the acceleration (review CN-00061: it said "委托人已于…宣布" while the
    # complaint said the letter declared it): the contract's clause accelerated the debt on the
    # letter's own date and no notice of acceleration or breach notice announced it (the case's
    # Timeline.declared_by, for the letter being written)
    declares: bool = False

    @computed_field  # type: ignore[prop-decorator]
    @property
    def pay_within(self) -> str:
        """The days to pay in the rule set's words (POL-02 ``lawyer_letter_within``,
        "自本函送达之日起七日内"): what the letter says and what required() checks it says."""
        wording: str = load_ruleset(self.doc.profile).param(POLICY, "lawyer_letter_within")["zh"]
        return wording.format(days=cn_number(self.pay_within_days))

    def stated_debt(self) -> Decimal:
        """The claim computation's total: demanded once accelerated; before a recorded acceleration
        the letter demands what is due now and states this total as what falls due on it."""
        return self.claim.claimed_total

    def required(self) -> list[Required]:
        c = self.claim
        demanded = c.claimed_total if c.accelerated or c.due_now is None or self.declares else c.due_now
        return shown(firm=self.firm.firm, lawyer=self.firm.lawyer, firm_phone=self.firm.firm_phone,
                     client=self.plaintiff.name, borrower=self.defendant.name, contract=self.terms.contract_no,
                     total=self.money(demanded), total_upper=cn_upper(demanded),
                     principal=self.money(c.principal if c.due is None or self.declares else c.due.principal),
                     as_of=self.day(c.as_of), pay_within=self.pay_within,
                     hotline=self.plaintiff.hotline)

    @classmethod
    def build(cls, facts: CaseFacts, doc: DocMeta) -> Self:
        firm = require_counsel(facts, "CN-29", "a lawyer letter")
        record = facts.record
        # the letter declares the recorded acceleration: dated the day it was declared, or the next
        # letter after the declaring ones all failed (they declared nothing: accounts.redeclared)
        recorded = facts.cf.case.accelerated_on
        again = (record.declared_on is None and recorded is not None and recorded <= doc.as_of
                 and accounts.redeclared(facts.cf))
        declares = ((record.declared_on == doc.as_of or again) and facts.claim.agreement is None
                    and record.matured_on is None and record.acceleration_notice is None)
        if declares:  # it takes effect when this letter reaches the borrower (民法典 art. 137): not at its date
            facts = replace(facts, declaring=True)
        blocks = cls.case_blocks(facts, doc)
        blocks["defendant"] = masked_person(blocks["defendant"], facts.rules)
        # the contacts before this letter: an earlier send of it (the letter generated again for its
        # date) is not one; an earlier lawyer letter is
        timeline = blocks["timeline"]
        blocks["timeline"] = timeline.model_copy(update={"contacts": timeline.contacts.before(doc.kind, doc.as_of)})
        days = int(facts.rules.param(POLICY, "lawyer_letter_days"))
        ctx = cls(**blocks, firm=firm, pay_within_days=days, standing=Standing.of(facts),
                  declares=declares)
        checks.refuse([*checks.complaint_complete(facts.rules, ctx.plaintiff, ctx.defendant, ctx.claim, ctx.terms),
                       *checks.claim_within_notice(facts),
                       *checks.events_before(facts.rules, ctx.timeline, doc.as_of)])
        return ctx

    @classmethod
    def sample(cls, doc: DocMeta) -> Self:
        from service.documents.contexts.legal import samples

        blocks = cls.sample_case_blocks(doc)
        blocks["defendant"] = blocks["defendant"].model_copy(update={"id_number": "110***********002X",
                                                                     "phone": "138****8000"})
        days = int(load_ruleset(doc.profile).param(POLICY, "lawyer_letter_days"))
        return cls(**blocks, firm=samples.counsel(doc.profile), pay_within_days=days,
                   standing=Standing.sample(blocks["claim"]))


class ProposalLine(Frozen):
    no: int
    due_date: date
    amount: Decimal


class Proposal(Frozen):
    """The applicant's proposed settlement (lender policy POL-02): the whole claim acknowledged,
    penalty and compound interest waived on condition of performance, the rest in monthly
    instalments. They fall on the loan contract's own repayment day (the day of month of its first
    due date, the day the borrower has paid on all along), the first on the first such day at least
    a month after the application, so that the court's mediation can take place before it."""

    acknowledged: Decimal
    waived: Decimal
    payable: Decimal
    lines: tuple[ProposalLine, ...]
    grace_days: int

    @classmethod
    def of(cls, total: Decimal, waived: Decimal, applied_on: date, repayment_day: int, *, count: int,
           grace_days: int) -> Self:
        payable = total - waived
        amounts = split_evenly(payable, count)  # whole cents; the last share takes the remainder
        first = first_repayment_day(add_months(applied_on, 1), repayment_day)
        lines = tuple(ProposalLine(no=k + 1, due_date=on_day(add_months(first, k), repayment_day), amount=a)
                      for k, a in enumerate(amounts))
        return cls(acknowledged=total, waived=waived, payable=payable, lines=lines, grace_days=grace_days)


def on_day(month: date, day: int) -> date:
    """`day` of `month`'s month, clamped to its last day (the 31st is February's 28th)."""
    return month.replace(day=min(day, monthrange(month.year, month.month)[1]))


def first_repayment_day(earliest: date, day: int) -> date:
    """The first `day` of a month (clamped) on or after `earliest`."""
    candidate = on_day(earliest, day)
    return candidate if candidate >= earliest else on_day(add_months(earliest.replace(day=1), 1), day)


class MediationApplicationContext(CaseDocContext):
    """调解申请书 for the court's pre-suit mediation (诉前调解): parties, the debt, proposed terms."""

    proposal: Proposal
    standing: Standing

    def required(self) -> list[Required]:
        p, c = self.proposal, self.claim
        claim = self.claim_required() if c.accelerated or c.due_now is None else [
            *shown(contract=self.terms.contract_no, due_now=self.money(c.due_now), due_now_upper=cn_upper(c.due_now),
                   on_acceleration=self.money(c.on_acceleration), as_of=self.day(c.as_of),
                   continuing_from=self.day(c.continuing_from)),
            *(Required(label=part, text=self.money(getattr(c.due, part)))
              for part in ("principal", "interest", "penalty", "compound", "fees") if c.due and getattr(c.due, part))]
        return [*self.party_required(), *self.cause_required(), *claim,
                *shown(court=self.court.name, payable=self.money(p.payable), waived=self.money(p.waived)),
                *(Required(label=f"line_{x.no}", text=self.money(x.amount)) for x in p.lines)]

    @staticmethod
    def proposal_of(blocks: dict[str, Any], as_of: date, rules: RuleSet) -> Proposal:
        """On the whole claim once accelerated; before a recorded acceleration on what is due now
        (DOC-07: the application does not make the rest due), waiving its own parts."""
        c, policy = blocks["claim"], rules.rule(POLICY).params
        if c.accelerated or c.due_now is None:
            total, parts = c.claimed_total, c
        else:
            total, parts = c.due_now, c.due
        waived = sum((getattr(parts, part) for part in policy["mediation_waive"]), Decimal(0)) if parts else Decimal(0)
        return Proposal.of(total, waived, as_of, blocks["terms"].first_due_date.day,
                           count=int(policy["mediation_instalments"]), grace_days=int(policy["mediation_grace_days"]))

    @classmethod
    def build(cls, facts: CaseFacts, doc: DocMeta) -> Self:
        blocks = cls.case_blocks(facts, doc)
        ctx = cls(**blocks, proposal=cls.proposal_of(blocks, doc.as_of, facts.rules), standing=Standing.of(facts))
        checks.refuse([*checks.complaint_complete(facts.rules, ctx.plaintiff, ctx.defendant, ctx.claim, ctx.terms),
                       *checks.claim_within_notice(facts),
                       *checks.events_before(facts.rules, ctx.timeline, doc.as_of)])
        return ctx

    @classmethod
    def sample(cls, doc: DocMeta) -> Self:
        blocks = cls.sample_case_blocks(doc)
        return cls(**blocks, proposal=cls.proposal_of(blocks, doc.as_of, load_ruleset(doc.profile)),
                   standing=Standing.sample(blocks["claim"]))
