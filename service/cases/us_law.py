"""US cases follow their state's law (US-15): the limitation period, when each part of an
instalment debt accrues, what restarts the clock, and the disclosure owed on time-barred debt.

Each missed instalment accrues on its own due date; on acceleration the balance not yet due
accrues on the acceleration date (instalments already past due keep their own dates). What
restarts a part's clock is the consumer's act — a payment, or a written acknowledgment such as
a signed payment-plan agreement — and only where the state says so; a collector's letter, call
or notice never does. After expiry only what the state names revives the debt. The table is data
in the US rule set; this module is the one place that reads it.

A signed payment plan is a written acknowledgment: where the state lets one restart the clock
(Illinois, California, Texas) the plan's own instalments are what accrue; where it does not (New
York, CPLR 214-i) the plan's later dates extend nothing, and each part of the balance it took over
keeps the day it fell due under the loan (accounts.us_limitation_of). The part whose period ends
first is the one a complaint pleads, beside the last (UsLimitation.earliest, .last).
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Protocol

import zipcodes

from service.cases.caps import Cap, contract_rates
from service.cases.casefile import CaseFile
from service.cases.enums import CreditorRole, LicenceType
from service.cases.limitation import Limitation, add_years
from service.cases.rules import RuleSet, load_ruleset
from service.core.errors import RuleViolation, Violation

STATE_RULE = "US-15"
ROSENTHAL_RULE = "US-22"
ENGLISH = "en-US"
PAYMENT = "payment"
WRITTEN_ACKNOWLEDGMENT = "written_acknowledgment"
SCHEDULED = {"principal", "interest", "fee"}  # what an instalment is paid in full of


@dataclass(frozen=True, slots=True)
class StateLaw:
    code: str
    name: str
    years: int
    source: str
    restarts: frozenset[str]  # consumer acts that restart a running period
    restart_source: str  # the law saying what restarts it (documents cite it, US-15)
    revives_after_expiry: frozenset[str]  # consumer acts that revive an expired one
    revival_source: str  # the law saying what, if anything, revives an expired period
    disclosure: str  # owed on time-barred debt
    disclosure_source: str
    courts: tuple["CourtTier", ...]  # the first that takes the claim is the court named
    bar_label: str  # what the state calls an attorney's number on a pleading ("Attorney Registration No." in NY)


@dataclass(frozen=True, slots=True)
class Designation:
    """How a court of the tier is told from the county's others on a caption (US-28: a Texas Justice
    Court's precinct and place, a District Court's judicial district), which legal staff choose and
    record on the case: no data of ours derives it."""

    field: str  # what it is called ("precinct and place")
    pattern: str  # the form a recorded one takes (a regular expression, whole)
    example: str  # "Precinct 1, Place 2"
    blank: str  # what a draft prints where none is recorded ("Precinct ____, Place ____")
    source: str

    def fits(self, value: str) -> bool:
        return re.fullmatch(self.pattern, value) is not None


@dataclass(frozen=True, slots=True)
class CourtTier:
    """A state court that hears a claim up to `up_to` (None: any amount), in `counties` (empty: any)."""

    court: str  # named for the consumer's county ({county}, {county_name})
    source: str
    up_to: Decimal | None = None
    counties: frozenset[str] = frozenset()
    caption: str = ""  # what the pleading's caption says of the case's class (Cal. Code Civ. Proc. 422.30(b))
    venue: str = ""  # the state's own venue rule for a consumer-credit suit in this court (US-17)
    # its rule where the venue rests on the county the consumer signed in, where the court's rule for
    # the defendant's residence is another (a Texas Justice Court: Tex. R. Civ. P. 502.4(b)(1) is residence)
    venue_signed: str = ""
    designation: Designation | None = None  # US-28: how the caption tells this court from the county's others

    def takes(self, county: str, amount: Decimal) -> bool:
        return (self.up_to is None or amount <= self.up_to) and (not self.counties or county in self.counties)


def states(rules: RuleSet) -> tuple[str, ...]:
    return tuple(rules.rule(STATE_RULE).params["states"]) if rules.has(STATE_RULE) else ()


def state_law(rules: RuleSet, state: str) -> StateLaw:
    try:
        s = rules.rule(STATE_RULE).params["states"][state]
    except KeyError:  # nothing can be said about its limitation, venue or disclosures
        raise RuleViolation([rules.rule(STATE_RULE).violation(
            f"no state-law table for {state or 'a case without a state'!r} "
            f"(covered: {', '.join(states(rules))})")]) from None
    return StateLaw(code=state, name=s["name"], years=int(s["years"]), source=s["source"],
                    restarts=frozenset(s["restarts"]), restart_source=s["restart_source"],
                    revives_after_expiry=frozenset(s["revives_after_expiry"]), revival_source=s["revival_source"],
                    disclosure=s["disclosure"], disclosure_source=s["disclosure_source"], bar_label=s["bar_label"],
                    courts=tuple(CourtTier(court=c["court"], source=c["source"],
                                           up_to=Decimal(c["up_to"]) if "up_to" in c else None,
                                           counties=frozenset(c.get("counties", ())),
                                           caption=c.get("caption", ""), venue=c["venue"],
                                           venue_signed=c.get("venue_signed", ""),
                                           designation=Designation(**c["designation"]) if "designation" in c else None)
                                for c in s["courts"]))


@dataclass(frozen=True, slots=True)
class ConsumerAct:
    """Something the consumer did that may restart the clock: a payment or a written acknowledgment."""

    on: date
    kind: str  # payment | written_acknowledgment


ACCELERATED = "accelerated"
LOAN, PLAN = "loan", "plan"  # whose schedule the parts accrue on (UsLimitation.schedule)


@dataclass(frozen=True, slots=True)
class PartLimitation:
    """One part of the debt: a missed instalment, or the balance accelerated."""

    label: str  # the instalment number, or "accelerated"
    accrued_on: date
    restarted_on: date | None
    expires_on: date  # the last day suit on this part is in time
    restarted_by: str = ""  # the consumer's act that restarted it (payment | written_acknowledgment)

    @property
    def accelerated(self) -> bool:
        return self.label == ACCELERATED


def accrual_dates(unpaid_due_dates: Iterable[tuple[str, date]], accelerated_on: date | None
                  ) -> list[tuple[str, date]]:
    """Each unpaid instalment on its due date; those not yet due at acceleration on that date."""
    parts: dict[str, date] = {}
    for label, due in unpaid_due_dates:
        if accelerated_on is not None and due > accelerated_on:
            parts.setdefault(ACCELERATED, accelerated_on)
        else:
            parts[label] = due
    return sorted(parts.items(), key=lambda p: (p[1], p[0]))


def part_limitation(law: StateLaw, label: str, accrued_on: date, acts: Iterable[ConsumerAct]) -> PartLimitation:
    expires, restarted, by = add_years(accrued_on, law.years), None, ""
    for act in sorted(acts, key=lambda a: a.on):
        if act.on <= accrued_on:
            continue
        running = act.on <= expires
        if (running and act.kind in law.restarts) or (not running and act.kind in law.revives_after_expiry):
            expires, restarted, by = add_years(act.on, law.years), act.on, act.kind
    return PartLimitation(label, accrued_on, restarted, expires, by)


@dataclass(frozen=True, slots=True)
class UsLimitation:
    law: StateLaw
    parts: tuple[PartLimitation, ...]
    schedule: str = LOAN  # LOAN: the parts accrue on the loan's due dates; PLAN: on a signed plan's

    def barred_parts(self, on: date) -> tuple[PartLimitation, ...]:
        return tuple(p for p in self.parts if on > p.expires_on)

    @property
    def earliest(self) -> PartLimitation:
        """The part whose period ends first: the one that decides whether a suit on the whole
        claim is in time, and the one a defendant pleads (the earlier-accrued on a tie)."""
        return min(self.parts, key=lambda p: (p.expires_on, p.accrued_on))

    @property
    def last(self) -> PartLimitation:
        return max(self.parts, key=lambda p: (p.expires_on, p.accrued_on))

    def as_limitation(self) -> Limitation:
        """The whole debt is out of time when its last part is: the view the suit checks take."""
        restarts = [p.restarted_on for p in self.parts if p.restarted_on]
        return Limitation(accrual_date=min(p.accrued_on for p in self.parts),
                          last_interruption=max(restarts) if restarts else None, expires_on=self.last.expires_on)


def us_limitation(law: StateLaw, *, unpaid_due_dates: Iterable[tuple[str, date]], accelerated_on: date | None,
                  acts: Iterable[ConsumerAct], schedule: str = LOAN) -> UsLimitation:
    acts = tuple(acts)
    parts = tuple(part_limitation(law, label, accrued, acts)
                  for label, accrued in accrual_dates(unpaid_due_dates, accelerated_on))
    if not parts:
        raise ValueError("nothing unpaid: no limitation period runs")
    return UsLimitation(law, parts, schedule)


def plan_restarts(law: StateLaw) -> bool:
    """Whether a signed payment plan (a written acknowledgment of the debt and a promise to pay it)
    restarts the clock in the state, so that its own instalments are what accrue (US-15 table,
    "restarts"): not in New York, where its later dates extend nothing."""
    return WRITTEN_ACKNOWLEDGMENT in law.restarts


def consumer_acts(cf: CaseFile) -> list[ConsumerAct]:
    """Payments, and signed agreements (a written acknowledgment of the debt); never a
    communication from the collector, whatever its outcome."""
    paid = [ConsumerAct(p.value_date, PAYMENT) for p in cf.payments]
    signed = [ConsumerAct(p.signed_date, WRITTEN_ACKNOWLEDGMENT) for p in cf.plans if p.signed_date is not None]
    return [*paid, *signed]


def unpaid_instalments(cf: CaseFile, *, paid_by: date | None = None) -> list[tuple[str, date]]:
    """Instalments not paid in full by the recorded allocations (the default instalment first);
    `paid_by`: of the payments received on or before that day only. Under a signed agreement the
    payments after its acknowledgement are recorded against none of the loan's instalments (they
    pay the agreement's, activity.reallocate): ask `paid_by` its acknowledgement then
    (accounts.loan_parts_under), as accounts.us_limitation_of does."""
    paid: dict[int, Decimal] = {}
    for payment in cf.payments:
        if paid_by is not None and payment.value_date > paid_by:
            continue
        for a in payment.allocations:
            if a.instalment_no is not None and a.component in SCHEDULED:
                paid[a.instalment_no] = paid.get(a.instalment_no, Decimal(0)) + a.amount
    return [(str(i.no), i.due_date) for i in cf.instalments
            if paid.get(i.no, Decimal(0)) < i.principal + i.interest + i.fee]


def case_limitation(cf: CaseFile, rules: RuleSet, *, unpaid: list[tuple[str, date]] | None,
                    accelerated_on: date | None, schedule: str = LOAN) -> UsLimitation:
    """The case's limitation on the schedule its parts accrue on (accounts.us_limitation_of):
    `unpaid` those parts' instalments (None: the contract's unpaid ones, by the recorded
    allocations), `accelerated_on` the acceleration only where it advanced an instalment."""
    law = state_law(rules, cf.case.us_state)
    if unpaid is None:
        unpaid = unpaid_instalments(cf) or [(str(cf.instalments[-1].no), cf.instalments[-1].due_date)]
    return us_limitation(law, unpaid_due_dates=unpaid, accelerated_on=accelerated_on, acts=consumer_acts(cf),
                         schedule=schedule)


CLAIM_RULE = "US-18"


def contract_cap(rules: RuleSet, state: str) -> Cap:
    """A US claim is the agreement's own amounts under its state's law (US-18): no CN rate cap
    binds it."""
    name = state_law(rules, state).name if state in states(rules) else state or "the state"
    basis = rules.rule(CLAIM_RULE).params["basis"]
    return contract_rates(CLAIM_RULE, basis["en"].format(state=name), basis["zh"].format(state=name))


VENUE_RULE = "US-17"
_ZIP = re.compile(r"\b(\d{5})(?:-\d{4})?\s*$")


@dataclass(frozen=True, slots=True)
class Venue:
    """Where suit may be brought: the county the consumer lives in (or signed in), as the state's own
    venue rule for a consumer-credit suit allows (and 15 U.S.C. 1692i(a)(2) where a debt collector
    sues), and that county's court for the claim's amount, named as the state's table names it."""

    county: str  # "Cook County"
    state: str
    court: str
    basis: str  # residence | signed
    court_source: str  # why that court hears a claim of this amount
    caption: str = ""  # the class of case the caption states, where the state asks for one
    venue_source: str = ""  # the state's venue rule for that court (CPLR 503(f), Cal. Code Civ. Proc. § 395(b), ...)
    designation: Designation | None = None  # what the caption adds to tell the court from the county's others (US-28)


def county_of(zip_code: str) -> tuple[str, str] | None:
    """(county, state) of a US ZIP code, from the zipcodes package's table."""
    found = zipcodes.matching(zip_code) if re.fullmatch(r"\d{5}", zip_code or "") else []  # type: ignore[no-untyped-call]
    return (found[0]["county"], found[0]["state"]) if found else None


def zip_in(address: str) -> str:
    match = _ZIP.search(address.strip())
    return match.group(1) if match else ""


def venue(law: StateLaw, *, residence: tuple[str, str], signed_at: str, amount: Decimal) -> Venue | None:
    """The consumer's county of residence, else the county the contract was signed in, and the court
    there that hears a claim of `amount`; None when neither county is known (the caller refuses the
    filing, US-17)."""
    for basis, (zip_code, address) in (("residence", residence), ("signed", ("", signed_at))):
        place = county_of(zip_code or zip_in(address))
        if place is not None and place[1] == law.code:
            county = place[0]
            tier = next(t for t in law.courts if t.takes(county, amount))  # the table ends with an any-amount court
            name = county.removesuffix(" County")
            return Venue(county=county, state=law.code, court=tier.court.format(county=county, county_name=name),
                         basis=basis, court_source=tier.source, caption=tier.caption,
                         venue_source=tier.venue_signed if basis == "signed" and tier.venue_signed else tier.venue,
                         designation=tier.designation)
    return None


def case_venue(rules: RuleSet, cf: CaseFile, amount: Decimal) -> Venue | None:
    """`venue` for a case: the borrower's county of residence, else the county the contract was
    signed in, and its court for a claim of `amount` (US-17)."""
    b = cf.borrower
    return venue(state_law(rules, cf.case.us_state), residence=(b.postal_code, b.habitual_address or b.hukou_address),
                 signed_at=cf.contract.signed_place, amount=amount)


def venue_citations(rules: RuleSet, found: Venue, plaintiff_role: str) -> tuple[str, ...]:
    """The venue rules a pleading cites (US-17): the state's own for its court, and the FDCPA's
    (15 U.S.C. 1692i(a)(2)) only where the plaintiff is a debt collector: it binds collectors, not an
    original creditor suing on its own loan."""
    collector = rules.rule(VENUE_RULE).params["collector_citation"]
    return (found.venue_source, *([collector] if plaintiff_role == CreditorRole.DEBT_COLLECTOR else []))


OVERSHADOWING_RULE = "US-16"


def overshadowing(rules: RuleSet, *, as_of: date, validation_end: date | None, pay_by: date,
                  dispute_by: date) -> list[Violation]:
    """12 CFR 1006.38(b) (US-16): while the validation period runs, a communication may not demand
    payment, or cut off disputes, earlier than the validation notice allows."""
    if not rules.has(OVERSHADOWING_RULE) or validation_end is None or as_of > validation_end:
        return []
    r, end = rules.rule(OVERSHADOWING_RULE), validation_end.isoformat()
    found = []
    if pay_by < validation_end:
        found.append(r.violation(f"demands payment by {pay_by.isoformat()}, inside the validation period "
                                 f"that runs to {end}"))
    if dispute_by < validation_end:
        found.append(r.violation(f"sets a dispute deadline of {dispute_by.isoformat()}, before the validation "
                                 f"period ends on {end}"))
    return found


def rosenthal_notice(rules: RuleSet, cf: CaseFile, kind: str) -> bool:
    """US-22: whether a notice of `kind` carries California's notice of the debtor's rights (Cal.
    Civ. Code 1812.700): a third-party debt collector writing to a debtor in a state of the rule's
    table, on a kind that may be its first written notice."""
    if not rules.has(ROSENTHAL_RULE):
        return False
    params = rules.rule(ROSENTHAL_RULE).params
    return (cf.lender.creditor_role == CreditorRole.DEBT_COLLECTOR and cf.case.us_state in params["states"]
            and kind in params["kinds"])


def rosenthal_language_warning(cf: CaseFile, kind: str) -> list[Violation]:
    """US-22, Cal. Civ. Code 1812.700(c): where the collector speaks with the debtor principally in a
    language other than English, the notice of the debtor's rights goes to the debtor in that language
    within five working days. The notices print it in English (their own language, 1812.700(b)); a
    borrower whose recorded language is another is flagged for the translation to be sent."""
    rules = load_ruleset(cf.case.profile)
    if not rosenthal_notice(rules, cf, kind) or cf.borrower.language == ENGLISH:
        return []
    return [rules.rule(ROSENTHAL_RULE).refuse("US-22.language", language=cf.borrower.language)]


PAPERS_RULE = "US-25"


@dataclass(frozen=True, slots=True)
class CourtPapers:
    """How the forum state names its court papers (US-25): the caption's number, the pleading, and
    the custodian's statement by the form the state takes it in (its heading, with {declarant},
    and the word the statement calls itself); `titles`: each kind's name in the packet's contents
    and bookmarks."""

    number_label: str
    attestation: str  # jurat | affirmation_cplr_2106 | declaration_ccp_2015_5 | declaration_cprc_132_001
    statement_heading: str
    statement_word: str
    titles: dict[str, str]
    # the state's rules of court ask for line-numbered pleading paper (California: Cal. Rules of
    # Court 2.104-2.111); templates/assets/legal.css div.pleading, the DOCX renderer's section
    pleading_paper: bool = False


def court_papers(rules: RuleSet, state: str) -> CourtPapers:
    try:
        s = rules.rule(PAPERS_RULE).params["states"][state]
    except KeyError:
        raise RuleViolation([rules.rule(STATE_RULE).violation(
            f"no court-paper names (US-25) for {state or 'a case without a state'!r}")]) from None
    return CourtPapers(number_label=s["number_label"], attestation=s["attestation"],
                       statement_heading=s["statement_heading"], statement_word=s["statement_word"],
                       titles=dict(s["titles"]), pleading_paper=bool(s.get("pleading_paper", False)))


JUDGMENT_TABLE = "judgment_interest"


@dataclass(frozen=True, slots=True)
class JudgmentInterest:
    """The rate a judgment on the claim bears from its entry until paid, as the state's statute
    sets it (US-15 table, "judgment_interest"): the contract rate runs only until judgment."""

    state: str
    rate: Decimal
    citation: str  # the statute: "Cal. Code Civ. Proc. § 685.010(a)(2)(A)(ii)"
    applies: str  # what its rate is ("the rate for a money judgment of under $50,000 ..."); "" where general
    confirm: tuple[str, ...]  # what a lawyer should confirm about the figure


def judgment_interest(rules: RuleSet, state: str, *, amount: Decimal, contract_rate: Decimal,
                      judgment_after: date) -> JudgmentInterest:
    """The post-judgment rate for a judgment of about `amount` (the amount demanded: the judgment's
    own is not known when suit is filed) on a contract bearing `contract_rate`, for a judgment
    entered after `judgment_after`: the first tier of the state's table that takes it (a tier's
    "up_to" includes its line, "under" does not; "from": judgments entered since; a tier with
    "contract_rate_up_to" is the lesser of the contract rate and that figure). A state without the
    table is refused: no pleading may ask for interest after judgment it cannot name."""
    law = state_law(rules, state)
    table: dict[str, Any] | None = rules.rule(STATE_RULE).params["states"][state].get(JUDGMENT_TABLE)
    if table is None:
        raise RuleViolation([rules.rule(STATE_RULE).violation(
            f"no judgment interest rate is recorded for {law.name} (US-15 table, \"{JUDGMENT_TABLE}\"): "
            "a lawyer records it before a pleading asks for interest after judgment")])

    def takes(tier: dict[str, Any]) -> bool:
        return (("up_to" not in tier or amount <= Decimal(tier["up_to"]))
                and ("under" not in tier or amount < Decimal(tier["under"]))
                and ("from" not in tier or judgment_after >= date.fromisoformat(tier["from"])))

    tier = next(t for t in table["tiers"] if takes(t))  # the table ends with a tier for any judgment
    rate = min(contract_rate, Decimal(tier["contract_rate_up_to"])) if "contract_rate_up_to" in tier \
        else Decimal(tier["rate"])
    return JudgmentInterest(state=state, rate=rate, citation=tier["citation"], applies=tier["applies"],
                            confirm=tuple(table.get("confirm", ())))


VENUE_STATEMENT = "venue_statement"


@dataclass(frozen=True, slots=True)
class VenueStatement:
    """What a state asks a complaint on a consumer loan to state, verified, to show it is filed in
    the proper court and court location (US-15 table, "venue_statement"; Cal. Code Civ. Proc.
    396a(a)): the fact the venue rests on (where the defendant resides, or signed the contract), and
    the other where the case records it."""

    source: str  # the statute asking for the statement
    verification: str  # the law the verification rests on
    basis: str  # residence | signed: the fact the court's county rests on (Venue.basis)
    residence: str  # the defendant's address ("" where none is recorded and the venue rests on the signing)
    residence_county: str  # "Los Angeles County" ("" where its county is not known)
    residence_state: str  # "CA"
    signed_place: str  # where the defendant signed the agreement, as recorded ("" where not recorded)
    signed_county: str  # its county, where its ZIP code tells it ("" otherwise)
    signed_state: str


def venue_statement(rules: RuleSet, found: Venue, *, residence: tuple[str, str], signed_at: str
                    ) -> VenueStatement | None:
    """The venue statement of `found`'s state from the case's facts; None where the state asks for
    none. The fact the venue rests on must be stated in words, not only found from a ZIP code: a
    residence with no address on record refuses the pleading, naming what is missing (US-17)."""
    s = rules.rule(STATE_RULE).params["states"].get(found.state, {}).get(VENUE_STATEMENT)
    if s is None:
        return None
    zip_code, address = residence
    address, signed_at = address.strip(), signed_at.strip()
    lived = county_of(zip_code or zip_in(address))
    signed = county_of(zip_in(signed_at)) if signed_at else None
    if found.basis == "residence" and not address:
        raise RuleViolation([rules.rule(VENUE_RULE).violation(
            f"the complaint's statement of venue ({s['source']}) needs the defendant's residence address in "
            f"{found.county} (only the ZIP code {zip_code} is recorded): record the borrower's address before the "
            "complaint is filed")])
    return VenueStatement(source=s["source"], verification=s["verification"], basis=found.basis,
                          residence=address, residence_county=lived[0] if lived and address else "",
                          residence_state=lived[1] if lived and address else "", signed_place=signed_at,
                          signed_county=signed[0] if signed else "", signed_state=signed[1] if signed else "")


PLAINTIFF_LICENCE = "plaintiff_licence"
# A business entity's form, by the designator its name ends with (as a state's entity law requires
# a name to carry one: Cal. Corp. Code 17701.08(a) for an LLC, 202(a) for a corporation)
_ENTITY_FORMS = ((r",?\s+(?:LLC|L\.L\.C\.|Limited Liability Company)$", "limited liability company"),
                 (r",?\s+(?:Inc\.|Incorporated|Corp\.|Corporation)$", "corporation"),
                 (r",?\s+(?:LP|L\.P\.|Limited Partnership)$", "limited partnership"),
                 (r",?\s+(?:N\.A\.|National Association)$", "national banking association"))


def entity_form(name: str) -> str:
    """The form of the business entity `name` names, by its designator ("" where it carries none
    this knows): what a complaint alleges of a plaintiff that is not a natural person."""
    return next((form for pattern, form in _ENTITY_FORMS if re.search(pattern, name.strip(), re.I)), "")


class HeldLicence(Protocol):
    """A licence a lender holds in one state (models.LenderLicence, or its input)."""

    @property
    def state(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def number(self) -> str: ...
    @property
    def issued_on(self) -> date | None: ...


def licence_kinds(rules: RuleSet, state: str) -> dict[str, str]:
    """The licences a lender may hold in `state`, by kind: the law each is held under (US-15
    table, "licence_kinds"); empty for a state the table does not cover."""
    found: dict[str, str] = rules.rule(STATE_RULE).params["states"].get(state, {}).get("licence_kinds", {})
    return dict(found)


@dataclass(frozen=True, slots=True)
class PlaintiffLicence:
    """The licence a state's complaint alleges a lending plaintiff holds, which gives it standing to
    charge the rate it claims (US-15 table, "plaintiff_licence"; California: a finance lender licensed
    under the California Financing Law, whose loans the usury limits of Cal. Const. art. XV do not
    reach, Cal. Fin. Code 22002): the lender's licence of that kind in that state, with its number
    (a CFL licence's "60DBO-12345", never the NMLS ID), and the NMLS ID beside it where recorded."""

    law: str  # "the California Financing Law"
    citation: str  # the statute that licenses it
    exempt_from: str  # what a licensee's loan is exempt from ("" where nothing)
    exemption_source: str  # the statute that exempts it
    number: str  # the state licence's number, as the lender's record of it holds it
    nmls_id: str = ""  # the company's NMLS ID: named beside the licence, never as its number


def plaintiff_licence(rules: RuleSet, state: str, licences: Iterable[HeldLicence], *, lender: str,
                      nmls_id: str = "") -> PlaintiffLicence | None:
    """The licence `state`'s complaint alleges, as the lender holds it in that state; None where the
    state's table asks for none. Where it asks for one and the lender records none of that kind in
    that state, the complaint is refused naming what is missing (US-15): a complaint never alleges a
    licence the lender cannot show, and another state's number, or the NMLS ID, is not it. (A lender
    recorded as unlicensed is not asked: the caller passes no table then, and the rate ceiling for an
    unlicensed lender, US-20, holds its claim.)"""
    s = rules.rule(STATE_RULE).params["states"].get(state, {}).get(PLAINTIFF_LICENCE)
    if s is None:
        return None
    held = next((x for x in licences if x.state == state and x.kind == s["kind"] and x.number.strip()), None)
    if held is None:
        raise RuleViolation([rules.rule(STATE_RULE).refuse(
            "US-15.no_licence", lender=lender, state=state_law(rules, state).name, law=s["law"],
            citation=s["citation"], kind=s["kind"])])
    return PlaintiffLicence(law=s["law"], citation=s["citation"], exempt_from=s.get("exempt_from", ""),
                            exemption_source=s.get("exemption_source", ""), number=held.number.strip(),
                            nmls_id=nmls_id.strip())


def licence_warnings(rules: RuleSet, cf: CaseFile) -> list[Violation]:
    """US-15, before anyone drafts the complaint: the licence the case's state asks a lending
    plaintiff to allege, where the lender (a licensed one suing on its own loan) records none there;
    the complaint itself is refused for the same reason (plaintiff_licence)."""
    lender = cf.lender
    if (not rules.jurisdiction.state_law or lender.licence_type == LicenceType.NON_LICENSED
            or lender.creditor_role == CreditorRole.DEBT_COLLECTOR or cf.case.us_state not in states(rules)):
        return []
    try:
        plaintiff_licence(rules, cf.case.us_state, lender.licences, lender=lender.name, nmls_id=lender.nmls_id)
    except RuleViolation as exc:
        return list(exc.violations)
    return []
