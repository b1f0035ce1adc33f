"""Affidavit of debt (US): a records custodian's sworn statement of the account, with the
statement of account attached. Identifiers are redacted per FRCP 5.2(a) (US-13): the account and
Social Security numbers by their last four digits, the defendant's birth year only."""

from datetime import date, timedelta
from decimal import Decimal
from typing import Self

from service.documents.contexts.common import DocMeta, Required
from service.documents.contexts.facts import CaseFacts
from service.documents.contexts.legal import checks
from service.documents.contexts.legal.base import CaseDocContext, shown


class AffidavitOfDebtContext(CaseDocContext):
    affiant: str
    affiant_title: str
    state: str  # two-letter state of the forum
    account_last4: str
    default_date: date | None  # the first instalment left unpaid
    last_payment_date: date | None
    last_payment_amount: Decimal | None
    limitation_expires: date
    limitation_years: int

    def required(self) -> list[Required]:
        c = self.claim
        found = shown(plaintiff=self.plaintiff.name, defendant=self.defendant.name, affiant=self.affiant,
                      account=self.account_last4, signed=self.day(self.terms.signed_date),
                      disbursed=self.money(self.terms.disbursed_amount), as_of=self.day(c.as_of),
                      total=self.money(c.claimed_total), principal=self.money(c.principal),
                      rate=f"{(c.continuing_rate * 100).normalize():f}%", term_end=self.day(self.terms.term_end))
        if self.default_date:
            found += shown(default_date=self.day(self.default_date))
        if self.last_payment_date and self.last_payment_amount is not None:
            found += shown(last_payment=self.day(self.last_payment_date),
                           last_payment_amount=self.money(self.last_payment_amount))
        return found

    @classmethod
    def build(cls, facts: CaseFacts, doc: DocMeta) -> Self:
        blocks = cls.case_blocks(facts, doc)
        lender, t = facts.cf.lender, blocks["timeline"]
        ctx = cls(**blocks, affiant=lender.legal_rep, affiant_title=lender.legal_rep_title or "authorized officer",
                  state=facts.cf.case.us_state or "IL", account_last4=blocks["terms"].contract_no[-4:],
                  default_date=t.first_default, last_payment_date=t.last_payment_date,
                  last_payment_amount=t.last_payment_amount, limitation_expires=facts.limitation.expires_on,
                  limitation_years=int(facts.rules.param("US-08", "years")))
        us11, us12 = facts.rules.rule("US-11"), facts.rules.rule("US-12")
        problems = [(us12, "no custodian of records (lender.legal_rep) for the affidavit" if not ctx.affiant else ""),
                    (us11, "nothing is owed at the as-of date" if ctx.claim.claimed_total <= 0 else
                     "no default date: no instalment is past due" if not ctx.default_date else "")]
        checks.refuse(rule.violation(message) for rule, message in problems if message)
        return ctx

    @classmethod
    def sample(cls, doc: DocMeta) -> Self:
        blocks = cls.sample_case_blocks(doc)
        t = blocks["timeline"]
        return cls(**blocks, affiant="Margaret Ellis", affiant_title="President", state="IL",
                   account_last4=blocks["terms"].contract_no[-4:], default_date=t.first_default,
                   last_payment_date=t.last_payment_date, last_payment_amount=t.last_payment_amount,
                   limitation_expires=(t.last_payment_date or doc.as_of) + timedelta(days=4 * 365),
                   limitation_years=4)
