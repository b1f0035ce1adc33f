"""What every court document of a case shares: the parties, the court, the loan, the claim and
the facts. Built once per generation from ``CaseFacts``; sample() uses legal/samples.py.
"""

from datetime import date
from decimal import Decimal
from typing import Any, Self

from service.cases import accounts, designation, us_law
from service.cases.accounts import penalty_clause_of
from service.cases.caps import LprUnavailable, load_lpr_table, lpr_on
from service.cases.enums import PlanType
from service.cases.lender_law import cause_of_action, pleaded_practice, pleads_validity
from service.cases.rules import load_ruleset
from service.core.errors import RuleViolation
from service.core.settings import get_settings
from service.documents.contexts import samples as notice_samples
from service.documents.contexts.common import CapQuote, DocMeta, DocumentContext, LenderBlock, Required
from service.documents.contexts.facts import CaseFacts
from service.documents.contexts.legal import samples
from service.documents.contexts.legal.blocks import (
    CauseBlock,
    ClaimBlock,
    CounselBlock,
    CourtBlock,
    PersonBlock,
    TermsBlock,
    court_for,
)
from service.documents.contexts.legal.timeline import Timeline
from service.documents.format import cn_upper, date_cn, date_en

COMPLAINT_RULE = "CN-19"  # a complaint identifies a legal-person plaintiff by address and representative
BAR_RULE = "US-23"  # counsel's identification on a US filing


def shown(**values: str) -> list[Required]:
    """Required elements from label=text pairs."""
    return [Required(label=label, text=text) for label, text in values.items()]


def lpr_at(day: date) -> Decimal | None:
    try:
        return lpr_on(day, load_lpr_table())
    except LprUnavailable:
        return None


def counsel_of(facts: CaseFacts) -> CounselBlock | None:
    firm = facts.cf.law_firm
    return CounselBlock.of(firm) if firm is not None else None


def require_counsel(facts: CaseFacts, rule_id: str, what: str) -> CounselBlock:
    """The assigned law firm, or a refusal naming the rule (a POA or a lawyer letter needs one)."""
    counsel = counsel_of(facts)
    if counsel is None:
        raise RuleViolation([facts.rules.rule(rule_id).violation(f"{what} needs a law firm assigned to the case")])
    if not counsel.lawyer:
        raise RuleViolation([facts.rules.rule(rule_id).violation(
            f"{what}: the assigned law firm {counsel.firm} has no lead lawyer on file")])
    return counsel


def cause_of(rules: Any, licence_type: str, practice: str = "") -> CauseBlock | None:
    cause = cause_of_action(rules, licence_type)
    if cause is None:
        return None
    return CauseBlock.of(cause, pleads_validity(rules, licence_type, practice), licence=str(licence_type))


def cause_of_case(facts: CaseFacts) -> CauseBlock | None:
    """The case's cause of action as its pleadings on the facts' date put it: the lender's recorded
    lending practice unless its own loans on record contradict it (CN-32, pleaded_practice)."""
    lender = facts.cf.lender
    return cause_of(facts.rules, lender.licence_type,
                    pleaded_practice(facts.rules, lender.licence_type, lender.lending_practice,
                                     facts.cf.lender_loans, facts.as_of))


def wording_of(facts: CaseFacts) -> dict[str, Any]:
    """What a borrower's document of the case calls the lender's charges: interest on overdue
    principal as the lender's 案由 words it (``cause.penalty_term``, CN-30, the court documents'
    own source) and whether the contract charges compound interest at all (``compound_allowed``:
    no document mentions 复利 otherwise)."""
    return {"cause": cause_of_case(facts),
            "compound_allowed": facts.cf.contract.compound_allowed}


def attorney_block(facts: CaseFacts, doc: DocMeta, counsel: CounselBlock | None) -> bool:
    """US-23 (Cal. Rules of Court 2.111(1)): in a state of the rule's table, the first page of every
    paper counsel files opens with the attorney's name, bar number, firm, address, telephone, e-mail
    and the party represented."""
    if counsel is None or not facts.rules.has(BAR_RULE):
        return False
    params = facts.rules.rule(BAR_RULE).params
    return facts.cf.case.us_state in params["attorney_block_states"] and doc.kind in params["attorney_block_kinds"]


def us_venue(facts: CaseFacts) -> us_law.Venue:
    """US-17: the court of the county where the consumer lives, else where they signed, whatever the
    contract's forum clause says (the state's venue rule, and 15 U.S.C. 1692i(a)(2) for a collector);
    the court by the claim's amount."""
    found = us_law.case_venue(facts.rules, facts.cf, facts.claim.claimed_total)
    if found is None:
        name = us_law.state_law(facts.rules, facts.cf.case.us_state).name
        raise RuleViolation([facts.rules.rule(us_law.VENUE_RULE).violation(
            f"neither the consumer's address nor the signing place lies in a known county of {name}: "
            "no court may be named")])
    return found


def us_judgment_interest(rules: Any, state: str, claim: ClaimBlock, as_of: date) -> us_law.JudgmentInterest:
    """US-15 ("judgment_interest"): the rate a judgment on the claim bears from its entry until paid,
    by the state's statute; the contract rate (the claim's continuing rate) runs until judgment.
    The judgment is measured by the amount demanded, and entered after the document's date."""
    return us_law.judgment_interest(rules, state, amount=claim.claimed_total, contract_rate=claim.continuing_rate,
                                    judgment_after=as_of)


def us_court(facts: CaseFacts) -> CourtBlock:
    """The venue's court, with the designation recorded for it (US-28); where its court takes one
    and none is recorded for it, the blanks a draft prints (a filing-ready paper is refused first:
    documents/rules.py, Check.COURT_DESIGNATION)."""
    found = us_venue(facts)
    spec, recorded = found.designation, designation.recorded_for(facts.cf.case, found)
    return CourtBlock(name=found.court, basis=f"consumer_{found.basis}", city=found.county, designation=recorded,
                      designation_blank=spec.blank if spec is not None and not recorded else "")


def terms_of(facts: CaseFacts) -> TermsBlock:
    rows = sorted(facts.cf.instalments, key=lambda i: i.no)
    block = TermsBlock.of(facts.cf.contract, min(i.due_date for i in rows), CapQuote.of(facts.cap),
                          principals=[i.principal for i in rows])
    order = tuple(str(c) for c in accounts.case_terms(facts.cf).order)
    return block.model_copy(update={"allocation_order": order})


def claim_of(facts: CaseFacts) -> ClaimBlock:
    contract = facts.cf.contract
    lpr = contract.lpr_at_formation or lpr_at(contract.signed_date)
    return ClaimBlock.of(facts.claim, formation_date=contract.signed_date, lpr=lpr,
                         penalty_clause=penalty_clause_of(contract.clause_refs),
                         suspended_stated=suspended_stated(facts))


def suspended_stated(facts: CaseFacts) -> Decimal | None:
    """The suspended interest the agreement the claim rests on states in its interest clause (an
    interest suspension's: templates/contracts/repayment_agreement), computed as it was for the
    agreement; None for any other claim."""
    plan = accounts.signed_plan(facts.cf, facts.as_of)
    if facts.claim.agreement is None or plan is None or plan.plan_type != PlanType.INTEREST_SUSPENSION:
        return None
    return accounts.interest_suspended_of(facts.cf, plan, licensed_cap=get_settings().licensed_cost_cap)


class CaseDocContext(DocumentContext):
    """Plaintiff (the lender), defendant (the borrower, full identity), court, loan, claim, facts."""

    plaintiff: LenderBlock
    cause: CauseBlock | None  # 案由 by the lender's licence (CN-30); none in the US profile
    defendant: PersonBlock
    counsel: CounselBlock | None
    court: CourtBlock
    terms: TermsBlock
    claim: ClaimBlock
    timeline: Timeline
    attorney_block: bool = False  # page 1 opens with counsel's identification (US-23: Cal. Rules of Court 2.111(1))
    # a US court paper: the rate after judgment (US-15 "judgment_interest"); the contract rate runs until judgment
    judgment: us_law.JudgmentInterest | None = None
    # Whether the plaintiff applies for property preservation with the suit (诉讼保全), so that the
    # complaint, the element form and the court-fee statement claim its fee (保全费) from the defendant.
    # No case records a preservation application (the claim's CourtFee.preservation is only what one
    # on the claimed total would cost, which the court-fee statement quotes as such): built from a
    # case it is False, and the documents claim the 诉讼费用 alone, as the element form's 诉前保全 ☑否
    # says none was made (review CN-00044: they claimed a 保全费 no application had incurred).
    preservation: bool = False

    def money(self, amount: Decimal) -> str:
        return self.doc.money(amount)

    def day(self, value: date) -> str:
        return date_cn(value) if self.doc.is_zh else date_en(value)

    def party_required(self) -> list[Required]:
        d = self.defendant
        found = [Required(label="plaintiff", text=self.plaintiff.name), Required(label="defendant", text=d.name),
                 Required(label="defendant_id", text=d.id_number)]
        if d.domicile:
            found.append(Required(label="defendant_domicile", text=d.domicile))
        if self.doc.rules.has(COMPLAINT_RULE):  # a legal person identified by address and representative
            found += [Required(label="plaintiff_address", text=self.plaintiff.address),
                      Required(label="legal_rep", text=self.plaintiff.legal_rep)]
        return found

    def cause_required(self, *, basis: bool = False) -> list[Required]:
        """The 案由 (CN-30) on every CN court document; with `basis`, each law it rests on too."""
        if self.cause is None:
            return []
        laws = [Required(label=f"basis_{n}", text=b.law) for n, b in enumerate(self.cause.basis, 1)] if basis else []
        return [Required(label="cause", text=self.cause.name if self.doc.is_zh else self.cause.name_en), *laws]

    def claim_required(self) -> list[Required]:
        c = self.claim
        contract = self.doc.filing_account(self.terms.contract_no)  # US-13
        found = [Required(label="contract", text=contract),
                 Required(label="claimed_total", text=self.money(c.claimed_total)),
                 Required(label="as_of", text=self.day(c.as_of))]
        # no principal left (a plan's payments paid it): none is claimed, and no interest runs on
        # it after as_of, so a paper need not state "0.00" for either (review CN-00057)
        if c.continuing_base:
            found += [Required(label="continuing_base", text=self.money(c.continuing_base)),
                      Required(label="continuing_from", text=self.day(c.continuing_from))]
        for label in ("principal", "interest", "penalty", "compound", "fees"):
            if getattr(c, label):
                found.append(Required(label=label, text=self.money(getattr(c, label))))
        if self.doc.is_zh:
            found.append(Required(label="claimed_total_upper", text=cn_upper(c.claimed_total)))
        return found

    def demand_deadline_required(self) -> list[Required]:
        """The lawyer letters' deadline to pay, run out before the pleading's date (DOC-06,
        Timeline.demand_deadline): the letter's date and the last day it gave, as the complaint and
        the element form state them (the labels' ``demand_deadline_ran``)."""
        dd = self.timeline.demand_deadline
        if dd is None or dd.pay_by is None or dd.pay_by >= self.claim.as_of:
            return []
        return shown(demand_sent=self.day(dd.sent), demand_pay_by=self.day(dd.pay_by))

    @staticmethod
    def case_blocks(facts: CaseFacts, doc: DocMeta) -> dict[str, Any]:
        cf = facts.cf
        terms = terms_of(facts)
        defendant = PersonBlock.of(cf.borrower, facts.rules, doc.state)
        counsel = counsel_of(facts)
        cause = cause_of_case(facts)
        claim = claim_of(facts)
        return {"doc": doc, "attorney_block": attorney_block(facts, doc, counsel),
                "plaintiff": LenderBlock.of(cf.lender),
                "cause": cause,
                "defendant": defendant,
                "counsel": counsel, "terms": terms,
                "court": us_court(facts) if facts.rules.jurisdiction.state_law else
                court_for(terms, cf.lender.address, defendant.domicile, facts.rules, amount=claim.claimed_total,
                          cause=cause.code if cause else None),
                "claim": claim, "timeline": Timeline.of(facts),
                "judgment": us_judgment_interest(facts.rules, cf.case.us_state, claim, doc.as_of)
                if facts.rules.jurisdiction.state_law else None}

    @staticmethod
    def sample_case_blocks(doc: DocMeta) -> dict[str, Any]:
        p = doc.profile
        rules, claim = load_ruleset(p), samples.claim_block(p, doc.as_of)
        return {"doc": doc, "plaintiff": notice_samples.lender(p),
                "cause": cause_of(rules, samples.LICENCE[p]), "defendant": samples.person(p),
                "counsel": samples.counsel(p), "terms": samples.terms(p), "court": samples.court(p),
                "claim": claim, "timeline": samples.timeline(p, doc.as_of),
                "judgment": us_judgment_interest(rules, "IL", claim, doc.as_of) if rules.jurisdiction.state_law
                else None}

    @classmethod
    def build(cls, facts: CaseFacts, doc: DocMeta) -> Self:
        return cls(**cls.case_blocks(facts, doc))

    @classmethod
    def sample(cls, doc: DocMeta) -> Self:
        return cls(**cls.sample_case_blocks(doc))
