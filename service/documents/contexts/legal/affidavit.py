"""Affidavit of debt (US): a records custodian's sworn statement of the account, with the
statement of account attached. Identifiers are redacted per the forum's rule (US-13: the state's
own, e.g. Tex. R. Civ. P. 21c's last three digits, else FRCP 5.2(a)'s last four): the account and
Social Security numbers by their last digits; no year of birth (no state's rule asks for it).

It swears only to what is recorded: the default instalment and the amounts come from the claim
computation of the as-of date, the statement of account's (under a signed payment plan, which
governs once signed, the plan's first instalment unpaid when due; the loan's own missed instalment
is then history, named as such); "I have reviewed the records" is printed only when a review
is recorded on the as-of date (the affidavit states the account as of one date, the day its
affiant reviewed it), and then the reviewer is the affiant (US-12); a review recorded before the
upload of a record the affidavit states did not cover it, and the affidavit is refused
(checks.review_after_records). It states no law on limitation: the
period, what restarts it and what revives it once run are for the pleading (the petition's
limitation paragraph, US-15), not a custodian's personal knowledge; the affidavit swears only to
the facts the period runs from (the default, the acceleration, the last payment). The affiant
dates it when signing.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Self

from service.cases.enums import CreditorRole
from service.cases.models import AccountReview
from service.core.errors import RuleViolation
from service.documents.contexts.common import DocMeta, Frozen, Required
from service.documents.contexts.facts import CaseFacts
from service.documents.contexts.legal import checks
from service.documents.contexts.legal.base import CaseDocContext, shown
from service.documents.contexts.legal.evidence import plan_rows
from service.documents.contexts.legal.exhibits import ExhibitPlan
from service.documents.contexts.legal.papers import PapersBlock
from service.documents.contexts.legal.timeline import BreachFact, Timeline, breach_of


class ReviewBlock(Frozen):
    """Who reviewed the account records and when (borrower-independent: staff of the plaintiff)."""

    reviewer: str
    reviewer_title: str
    reviewed_at: datetime

    @classmethod
    def of(cls, review: AccountReview) -> "ReviewBlock":
        return cls(reviewer=review.reviewer, reviewer_title=review.reviewer_title, reviewed_at=review.reviewed_at)


class AffidavitOfDebtContext(CaseDocContext):
    affiant: str
    affiant_title: str
    review: ReviewBlock | None  # none recorded: the affidavit does not say the records were reviewed
    state: str  # two-letter state of the forum
    state_name: str
    account_tail: str  # the account's last digits, as many as the forum's redaction rule keeps (US-13)
    default_instalment: int | None  # where the default began (Claim.default: a plan's instalment under a plan)
    default_date: date | None  # its due date
    default_amount: Decimal | None  # what fell due on it
    # under a plan, the recorded breach of that instalment: the day it became a default
    # (BreachFact.defaulted_on, after the plan's grace period), not its due date
    plan_breach: BreachFact | None = None
    last_payment_date: date | None
    last_payment_amount: Decimal | None
    # Under a payment plan: the loan's first instalment not paid in full when due, before the plan
    # (Claim.loan_default), which is history, not the default sued on; None without a plan
    loan_missed_instalment: int | None = None
    loan_missed_date: date | None = None
    loan_missed_amount: Decimal | None = None
    # The payment history's number in the exhibit index (the case's packet plan); None: built without it
    history_exhibit: int | None = None
    # the state's names (US-25): the caption's number, the statement's form, heading and word
    papers: PapersBlock = PapersBlock()

    def required(self) -> list[Required]:
        c = self.claim
        found = shown(plaintiff=self.plaintiff.name, defendant=self.defendant.name, affiant=self.affiant,
                      account=self.account_tail, signed=self.day(self.terms.signed_date),
                      disbursed=self.money(self.terms.disbursed_amount), as_of=self.day(c.as_of),
                      total=self.money(c.claimed_total), principal=self.money(c.principal),
                      rate=f"{(c.continuing_rate * 100).normalize():f}%", term_end=self.day(self.terms.term_end),
                      court=self.court.name.upper())
        if self.default_date:
            found += shown(default_date=self.day(self.default_date))
        if self.review:
            found += shown(reviewed_on=self.day(self.review.reviewed_at.date()))
        if self.last_payment_date and self.last_payment_amount is not None:
            found += shown(last_payment=self.day(self.last_payment_date),
                           last_payment_amount=self.money(self.last_payment_amount))
        return found

    @staticmethod
    def default_of(facts: CaseFacts, timeline: Timeline) -> dict[str, Any]:
        """Where the default began, and under a plan the loan's missed instalment before it, from
        the claim computation (``Claim.default``, ``Claim.loan_default``), and under a plan the
        recorded breach of its instalment."""
        claim = facts.claim
        found, loan = claim.default, claim.loan_default if claim.agreement is not None else None
        return {"plan_breach": breach_of(timeline, found.no, found.due_date)
                if found and claim.agreement is not None else None,
                "default_instalment": found.no if found else None,
                "default_date": found.due_date if found else None,
                "default_amount": found.scheduled if found else None,
                "loan_missed_instalment": loan.no if loan else None,
                "loan_missed_date": loan.due_date if loan else None,
                "loan_missed_amount": loan.scheduled if loan else None}

    @classmethod
    def build(cls, facts: CaseFacts, doc: DocMeta, *, plan: ExhibitPlan | None = None) -> Self:
        lender = facts.cf.lender
        if lender.creditor_role == CreditorRole.DEBT_COLLECTOR:
            raise RuleViolation([facts.rules.rule("US-14").violation(
                f"{lender.name} is a third-party debt collector: the creditor swears to its own records")])
        blocks = cls.case_blocks(facts, doc)
        t, lim = blocks["timeline"], facts.us_limitation
        assert lim is not None  # a US kind: the case has its state's limitation
        # the review the affiant swears from is of the account as the affidavit states it: on its
        # as-of date (review US-00014: "I completed that review on December 5" under figures as of
        # December 6); an earlier review does not cover a later day's balance
        reviews = [r for r in facts.cf.reviews if r.reviewed_at.date() == doc.as_of]
        review = ReviewBlock.of(reviews[-1]) if reviews else None
        ctx = cls(**blocks, affiant=review.reviewer if review else lender.legal_rep,
                  affiant_title=(review.reviewer_title if review else lender.legal_rep_title) or "authorized officer",
                  review=review, state=lim.law.code, state_name=lim.law.name,
                  account_tail=doc.filing_account(blocks["terms"].contract_no), **cls.default_of(facts, t),
                  last_payment_date=t.last_payment_date,
                  last_payment_amount=t.last_payment_amount,
                  history_exhibit=next((r.number for r in plan_rows(plan) if r.key == "payment_history"), None)
                  if plan is not None else None, papers=PapersBlock.of(facts))
        us11, us12 = facts.rules.rule("US-11"), facts.rules.rule("US-12")
        problems = [(us12, "no custodian of records (lender.legal_rep) for the affidavit" if not ctx.affiant else ""),
                    (us11, "nothing is owed at the as-of date" if ctx.claim.claimed_total <= 0 else
                     "no default date: no instalment is past due" if not ctx.default_date else "")]
        checks.refuse([*(rule.violation(message) for rule, message in problems if message),
                       *checks.review_after_records(facts.rules, review.reviewed_at if review else None, plan,
                                                    facts.tz),
                       *checks.claim_within_notice(facts), *checks.day_count_authorized(facts.rules, ctx.terms),
                       *checks.events_before(facts.rules, ctx.timeline, doc.as_of)])
        return ctx

    @classmethod
    def sample(cls, doc: DocMeta) -> Self:
        from zoneinfo import ZoneInfo

        blocks = cls.sample_case_blocks(doc)
        t = blocks["timeline"]
        reviewed = datetime(doc.as_of.year, doc.as_of.month, doc.as_of.day, 9, 30, tzinfo=ZoneInfo("America/Chicago"))
        return cls(**blocks, affiant="Margaret Ellis", affiant_title="President",
                   review=ReviewBlock(reviewer="Margaret Ellis", reviewer_title="President", reviewed_at=reviewed),
                   state="IL", state_name="Illinois",
                   account_tail=doc.filing_account(blocks["terms"].contract_no), default_instalment=9,
                   default_date=t.first_default, default_amount=None,
                   last_payment_date=t.last_payment_date, last_payment_amount=t.last_payment_amount)
