"""The US pleading that starts the suit on the loan, in the court `us_court` names (US-17: the county
where the consumer lives or signed, as the state's own venue rule for a consumer-credit suit allows;
15 U.S.C. 1692i binds a debt collector only, so the original creditor's pleading cites the state's):

- in a Texas Justice Court (claims up to $20,000), a petition in a debt claim case: what Tex. R.
  Civ. P. 502.2 asks of any petition and 508.2(a)(2)-(4) of a claim on a loan (the original loan's
  date and amount, whether it was accelerated, the date final payment was due and the amount due
  then, the amount owed as of a date certain, ongoing interest: its rate, its basis and the dollar
  amount claimed as of a date certain, and whether the debt was assigned);
- in any other Texas court, the plaintiff's original petition, with the same particulars and the
  statement of the relief sought that Tex. R. Civ. P. 47(c) asks for;
- in another state, a complaint for breach of the consumer loan agreement, in that state's court,
  pleading the same particulars (US-11: original creditor, account by its last digits, dates, the
  amount as of a date and ongoing interest) and that the suit is within the state's limitation;
  in New York also what CPLR 3016(j) (the Consumer Credit Fairness Act) asks of a complaint on a
  consumer credit transaction: the original creditor, the account's last four digits, the date and
  amount of the last payment, and the contract attached (by its number in the exhibit index).

Every amount is the claim computation's, for the same as-of date as the affidavit and the claim
statement; the amount due on the final payment date is that computation at that date: what was
due then, not what an acceleration or a plan's default clause made due only later.
"""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Self

from service.cases import accounts, us_law
from service.cases.enums import CreditorRole, LicenceType
from service.cases.overdue import first_missed_due
from service.core.errors import RuleViolation
from service.core.settings import get_settings
from service.documents.contexts.common import DocMeta, Frozen, Required
from service.documents.contexts.facts import CaseFacts
from service.documents.contexts.legal import checks
from service.documents.contexts.legal.base import CaseDocContext, shown, us_venue
from service.documents.contexts.legal.blocks import CounselBlock, NoticeBridgeBlock
from service.documents.contexts.legal.evidence import plan_rows
from service.documents.contexts.legal.exhibits import ExhibitPlan
from service.documents.contexts.legal.papers import PapersBlock
from service.documents.contexts.legal.timeline import BreachFact, Timeline, breach_of
from service.documents.format import percent, us_phone

JUSTICE = "justice_debt_claim"  # Tex. R. Civ. P. 508: a debt claim case in a Justice Court
ORIGINAL = "original_petition"  # another Texas court: Tex. R. Civ. P. 45, 47
COMPLAINT = "complaint"  # another state: a civil complaint for breach of the loan agreement


def form_of(state: str, court: str) -> str:
    if state != "TX":
        return COMPLAINT
    return JUSTICE if court.startswith("Justice Court") else ORIGINAL


BAR_RULE = "US-23"


class LimitationPart(Frozen):
    """A part of the debt as the complaint pleads its limitation (us_law.PartLimitation): an unpaid
    instalment of the schedule the parts accrue on (the loan's, or a signed plan's where the state
    lets a written acknowledgment restart the clock), or the balance accelerated."""

    instalment: int | None  # its number in that schedule; None: the balance accelerated
    accrued_on: date
    expires_on: date  # the last day suit on it is in time
    restarted_on: date | None = None  # the consumer's act the period ran again from, where one did
    restarted_by: str = ""  # payment | written_acknowledgment

    @classmethod
    def of(cls, part: us_law.PartLimitation) -> "LimitationPart":
        return cls(instalment=None if part.accelerated else int(part.label), accrued_on=part.accrued_on,
                   expires_on=part.expires_on, restarted_on=part.restarted_on, restarted_by=part.restarted_by)


def defaults_of(facts: CaseFacts, timeline: Timeline) -> dict[str, Any]:
    """The loan's default and, under a payment plan, the plan's, from the one claim computation
    (``Claim.loan_default``, ``Claim.default``), as the affidavit states them; the plan's recorded
    breach of that instalment gives the day it became a default (after the plan's grace period)."""
    claim = facts.claim
    plan = claim.default if claim.agreement is not None else None
    loan = claim.loan_default if plan is not None else None
    return {"default_date": loan.due_date if loan else first_missed_due(facts.ledger),
            "plan_default_instalment": plan.no if plan else None, "plan_default_date": plan.due_date if plan else None,
            "plan_breach": breach_of(timeline, plan.no, plan.due_date) if plan else None}


def signer_admitted(facts: CaseFacts, counsel: CounselBlock | None, state: str, state_name: str) -> None:
    """US-23: counsel signs a pleading in a state's court only with a bar number there on file (an
    unrepresented lender signs by its officer: no number)."""
    if counsel is not None and not counsel.bar(state):
        raise RuleViolation([facts.rules.rule(BAR_RULE).refuse(
            "US-23.no_bar", kind="petition" if state == "TX" else "complaint", lawyer=counsel.lawyer,
            firm=counsel.firm_en, state=state, state_name=state_name)])


class DebtClaimPetitionContext(CaseDocContext):
    form: str  # JUSTICE | ORIGINAL | COMPLAINT
    state: str
    state_name: str
    account_tail: str  # the account's last digits, as many as the forum's redaction rule keeps (US-13)
    default_date: date | None  # the loan's first instalment not paid in full when due (the breach)
    # under a payment plan, where the default sued on began (Claim.default: the plan's instalment)
    plan_default_instalment: int | None = None
    plan_default_date: date | None = None  # its due date
    # the recorded breach of it: the day it became a default (BreachFact.defaulted_on), its grace period
    plan_breach: BreachFact | None = None
    # Tex. R. Civ. P. 508.2(a)(2)(C)-(D): the date final payment was due (the acceleration date where the
    # balance was accelerated before the term ran out) and what was due on it, by the claim computation
    final_due_date: date
    due_at_final: Decimal | None  # None: the final payment date lies after the as-of date
    # part of due_at_final: the default interest of the acceleration date itself, where a plan's
    # default clause accelerated on the final payment date (R-14: that date is its first day)
    first_day_interest: Decimal | None = None
    fell_due_at_final: Decimal | None = None  # due_at_final less first_day_interest: the balance accelerated
    interest_claimed: Decimal  # interest and default interest claimed as of the as-of date (508.2(a)(3)(C))
    court_source: str  # why the court hears a claim of this amount (the state table's court tier)
    court_caption: str = ""  # the class of case by the amount demanded, where the caption states it (CA)
    # US-17: the state's venue rule for that court (the state table), and the FDCPA's venue rule
    # where the plaintiff is a debt collector (15 U.S.C. 1692i binds collectors, not the original creditor)
    venue_sources: tuple[str, ...] = ()
    limitation_expires: date  # the last part's period's end
    limitation_years: int
    limitation_source: str
    # the part whose period ends first: the date that decides whether the suit is in time (US-15;
    # reader US-00010: the complaint pleaded only the last part's, three years from a plan's last
    # instalment, in New York where the plan extends nothing)
    limitation_earliest: LimitationPart
    limitation_schedule: str = us_law.LOAN  # loan | plan: whose due dates the parts accrue on
    limitation_restart_source: str = ""  # the state's law on what restarts the clock, where a part restarted
    # the loan agreement's number in the exhibit index (the case's packet plan); None: built without it
    contract_exhibit: int | None = None
    # the state's names (US-25): the caption's number
    papers: PapersBlock = PapersBlock()
    # California: the venue facts Cal. Code Civ. Proc. 396a(a) asks the complaint to state, verified
    # (US-15 table, "venue_statement"); None in a state that asks for none
    venue_statement: us_law.VenueStatement | None = None
    # the plaintiff's form of entity, by its name's designator ("" where its name carries none), and
    # the licence the state's complaint alleges it holds (US-15 table, "plaintiff_licence"): the
    # lender's licence in the case's state, its NMLS ID beside it; None where the state asks for none
    # or the lender is recorded as unlicensed (a licensed lender without one in the state is refused)
    plaintiff_entity: str = ""
    plaintiff_licence: us_law.PlaintiffLicence | None = None
    # on the loan contract's own acceleration clause: from the amount the notice of acceleration
    # stated to the claim (checks.notice_bridge; review US-00014: $105,119.57 beside $111,190.63
    # with no line between them). A plan's acceleration states its amount as due_at_final.
    bridge: NoticeBridgeBlock | None = None

    def required(self) -> list[Required]:
        c = self.claim
        found = shown(plaintiff=self.plaintiff.name, defendant=self.defendant.name, account=self.account_tail,
                      court=self.court.name.upper(), signed=self.day(self.terms.signed_date),
                      disbursed=self.money(self.terms.disbursed_amount), as_of=self.day(c.as_of),
                      total=self.money(c.claimed_total), principal=self.money(c.principal),
                      interest_claimed=self.money(self.interest_claimed),
                      rate=f"{(c.continuing_rate * 100).normalize():f}%", final_due=self.day(self.final_due_date),
                      limitation=self.day(self.limitation_expires), limitation_source=self.limitation_source,
                      limitation_earliest=self.day(self.limitation_earliest.expires_on),
                      venue="; ".join(self.venue_sources))
        if self.form == JUSTICE and self.defendant.phone:  # Tex. R. Civ. P. 502.2(a)(3)
            found += shown(defendant_phone=us_phone(self.defendant.phone))
        if self.default_date:
            found += shown(default_date=self.day(self.default_date))
        if self.timeline.accelerated_on:
            found += shown(accelerated=self.day(self.timeline.accelerated_on))
        if self.due_at_final is not None:
            found += shown(due_at_final=self.money(self.due_at_final))
            if self.first_day_interest is not None:
                assert self.fell_due_at_final == self.due_at_final - self.first_day_interest
                found += shown(fell_due_at_final=self.money(self.fell_due_at_final),
                               first_day_interest=self.money(self.first_day_interest))
        if (b := self.bridge) is not None:
            found += shown(bridge_notice_day=self.day(b.notice_day),
                           bridge_due_on_acceleration=self.money(b.due_on_acceleration))
            if b.default_interest_since:
                found += shown(bridge_default_interest_since=self.money(b.default_interest_since),
                               bridge_penalty_from=self.day(b.penalty_from))
        if self.judgment is not None:  # US-15: the rate after judgment, by the state's statute
            found += shown(judgment_rate=percent(self.judgment.rate), judgment_citation=self.judgment.citation)
        vs = self.venue_statement
        if vs is not None:  # Cal. Code Civ. Proc. 396a(a)
            found += shown(venue_statement=vs.source, residence_county=vs.residence_county,
                           signed_place=vs.signed_place)
        if self.plaintiff_licence is not None:  # the licence the state's complaint alleges (US-15 table)
            found += shown(plaintiff_licence=self.plaintiff_licence.number)
            if self.plaintiff_licence.nmls_id:
                found += shown(nmls_id=self.plaintiff_licence.nmls_id)
        t = self.timeline
        if self.state == "NY" and t.last_payment_date and t.last_payment_amount is not None:  # CPLR 3016(j)
            found += shown(last_payment=self.day(t.last_payment_date),
                           last_payment_amount=self.money(t.last_payment_amount))
        return found

    @classmethod
    def build(cls, facts: CaseFacts, doc: DocMeta, *, plan: ExhibitPlan | None = None) -> Self:
        lender = facts.cf.lender
        if lender.creditor_role == CreditorRole.DEBT_COLLECTOR:
            raise RuleViolation([facts.rules.rule("US-14").violation(
                f"{lender.name} is a third-party debt collector, not the creditor: it does not sue on the loan "
                "in its own name")])
        blocks = cls.case_blocks(facts, doc)
        t, lim = blocks["timeline"], facts.us_limitation
        assert lim is not None  # a US kind: the case has its state's limitation
        # the governing schedule's last due date (a signed plan's where one governs, not the loan's
        # term), or the acceleration that made everything due before it
        last_due = max(accounts.governing_dues(facts.cf, doc.as_of), default=blocks["terms"].term_end)
        final = min(t.accelerated_on, last_due) if t.accelerated_on else last_due
        # what was due on that date: before the acceleration (or, under a plan, before its default
        # clause took effect after the cure period) the computation's total is what would fall due
        # on it, not what was due then (Claim.due_now)
        cap = get_settings().licensed_cost_cap
        at_final = accounts.claim_of(facts.cf, final, licensed_cap=cap) if final <= doc.as_of else None
        due_at_final = None if at_final is None else \
            at_final.claimed_total if at_final.accelerated else at_final.due_now
        position = at_final.agreement if at_final is not None else None
        first_day = position.penalty if position is not None and position.accelerated_on == final \
            and position.penalty > 0 else None
        fell_due = None if first_day is None or due_at_final is None else due_at_final - first_day
        # under a plan's default clause the acceleration date is the default interest's first day
        # what was due on it is the computation's total at its end, as the notice of default
        # and the statement of account count it; the complaint parts it into the balance that fell
        # due and that day's default interest (review: it had pleaded the balance alone, 36,003.21,
        # beside the notice's 36,017.76)
        claim, venue = blocks["claim"], us_venue(facts)
        borrower = facts.cf.borrower
        statement = us_law.venue_statement(facts.rules, venue,
                                           residence=(borrower.postal_code,
                                                      borrower.habitual_address or borrower.hukou_address),
                                           signed_at=facts.cf.contract.signed_place)
        if statement is not None and not lender.legal_rep.strip():  # 446(a): its officer verifies it
            raise RuleViolation([facts.rules.rule("US-17").violation(
                f"the complaint's statement of venue ({statement.source}) is verified by an officer of the plaintiff "
                f"({statement.verification}): record {lender.name}'s officer (lender.legal_rep)")])
        ctx = cls(**blocks, form=form_of(lim.law.code, blocks["court"].name), state=lim.law.code,
                  state_name=lim.law.name, account_tail=doc.filing_account(blocks["terms"].contract_no),
                  **defaults_of(facts, t), final_due_date=final, due_at_final=due_at_final,
                  first_day_interest=first_day,
                  fell_due_at_final=fell_due,
                  interest_claimed=claim.interest + claim.penalty + claim.compound,
                  court_source=venue.court_source, court_caption=venue.caption,
                  venue_sources=us_law.venue_citations(facts.rules, venue, lender.creditor_role),
                  limitation_expires=lim.last.expires_on, limitation_years=lim.law.years,
                  limitation_source=lim.law.source, limitation_earliest=LimitationPart.of(lim.earliest),
                  limitation_schedule=lim.schedule,
                  # the law that lets a payment or a signed plan restart the clock: cited where a part restarted,
                  # and where the plan's own dates are what accrue (the plan is the acknowledgment)
                  limitation_restart_source=lim.law.restart_source
                  if lim.earliest.restarted_on or lim.schedule == us_law.PLAN else "",
                  contract_exhibit=next((r.number for r in plan_rows(plan) if r.key == "loan_contract"), None)
                  if plan is not None else None, papers=PapersBlock.of(facts), venue_statement=statement,
                  plaintiff_entity=us_law.entity_form(blocks["plaintiff"].name),
                  plaintiff_licence=None if lender.licence_type is LicenceType.NON_LICENSED else
                  us_law.plaintiff_licence(facts.rules, lim.law.code, lender.licences, lender=lender.name,
                                           nmls_id=lender.nmls_id),
                  bridge=checks.notice_bridge(facts) if facts.claim.agreement is None else None)
        signer_admitted(facts, ctx.counsel, ctx.state, ctx.state_name)
        us11 = facts.rules.rule("US-11")
        problem = ("nothing is owed at the as-of date" if ctx.claim.claimed_total <= 0 else
                   "no default date: no instalment is past due" if not ctx.default_date else "")
        checks.refuse([*([us11.violation(problem)] if problem else []),
                       *checks.claim_within_notice(facts), *checks.day_count_authorized(facts.rules, ctx.terms),
                       *checks.events_before(facts.rules, ctx.timeline, doc.as_of)])
        return ctx

    @classmethod
    def sample(cls, doc: DocMeta) -> Self:
        blocks = cls.sample_case_blocks(doc)
        t, claim, terms = blocks["timeline"], blocks["claim"], blocks["terms"]
        final = min(t.accelerated_on, terms.term_end) if t.accelerated_on else terms.term_end
        return cls(**blocks, form=COMPLAINT, state="IL", state_name="Illinois",
                   account_tail=doc.filing_account(terms.contract_no), default_date=t.first_default,
                   final_due_date=final,
                   due_at_final=claim.claimed_total if final <= doc.as_of else None,
                   interest_claimed=claim.interest + claim.penalty + claim.compound,
                   court_source="Ill. Const. art. VI, § 9 (original jurisdiction of all justiciable matters)",
                   venue_sources=("735 ILCS 5/2-101",),
                   limitation_expires=(t.first_default or doc.as_of) + timedelta(days=10 * 365),
                   limitation_years=10, limitation_source="735 ILCS 5/13-206 (written contracts)",
                   limitation_earliest=LimitationPart(
                       instalment=9, accrued_on=t.first_default or doc.as_of,
                       expires_on=(t.first_default or doc.as_of) + timedelta(days=10 * 365)))
