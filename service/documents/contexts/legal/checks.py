"""Content rules of court documents, checked on the built context before anything is rendered.

Each check returns the violations of one rule (ids from the profile's rule set); ``refuse``
raises them together, so a refused document names every rule it breaks. Limitation (CN-18 /
US-08) is the engine's ``Check.NOT_TIME_BARRED`` and is not repeated here.
"""

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from itertools import pairwise
from typing import Any, Literal
from zoneinfo import ZoneInfo

from service.cases import accounts
from service.cases.claim import Claim
from service.cases.court_fee import PRESERVATION_MAX, compute_court_fee
from service.cases.enums import Direction, Outcome, PartyKind
from service.cases.rules import Rule, RuleSet
from service.core.errors import RuleViolation, Violation
from service.core.settings import get_settings
from service.documents.contexts.facts import CaseFacts
from service.documents.contexts.legal.blocks import ClaimBlock, CourtBlock, NoticeBridgeBlock, PersonBlock, TermsBlock
from service.documents.contexts.legal.exhibits import ExhibitPlan
from service.documents.contexts.legal.timeline import Timeline

ELEMENTS_RULE = "CN-20"  # the element complaint's own checks
EVIDENCE_RULE = "CN-21"  # the evidence index's own checks


DAY_COUNT_RULE = "US-18"  # a US claim is the agreement's own amounts (15 U.S.C. 1692f(1))
CN_DAY_COUNT_RULE = "CN-33"  # a CN claim on a 360-day year cites the contract's clause


def day_count_authorized(rules: RuleSet, terms: TermsBlock) -> list[Violation]:
    """A claim computes interest on the contract's day count; a year of other than 365 days is
    claimed only where the contract's day-count clause is recorded, which the document cites
    (US-18 for a US claim, CN-33 for a CN one)."""
    if terms.day_basis == 365 or terms.clause("day_count"):
        return []
    if rules.has(CN_DAY_COUNT_RULE):
        return [rules.rule(CN_DAY_COUNT_RULE).refuse("CN-33.no_clause", basis=terms.day_basis)]
    if not rules.has(DAY_COUNT_RULE):
        return []
    return [rules.rule(DAY_COUNT_RULE).violation(
        f"interest is computed on a {terms.day_basis}-day year, but the loan agreement's day-count clause is not "
        "recorded (the contract's clause_refs \"day_count\"): a US court document claims interest only as the "
        "agreement provides (15 U.S.C. 1692f(1)) and cites the clause beside the rate")]


REVIEW_RULE = "US-12"  # an affidavit by a custodian who reviewed the records


def review_after_records(rules: RuleSet, reviewed_at: datetime | None, plan: ExhibitPlan | None,
                         tz: str) -> list[Violation]:
    """US-12: the custodian affirms a review of the records only where it was made with them on file.
    A review recorded before the upload of a record the affidavit states (US-12 "records": the loan
    agreement, the disbursement, a signed plan) did not cover it: refused, naming the review's time
    and the latest upload's (reader, US-00010: reviewed at 9:30 a.m., its agreement uploaded at 12:36
    p.m. the same day). Nothing to compare without a recorded review or the case's packet plan."""
    if reviewed_at is None or plan is None or not rules.has(REVIEW_RULE):
        return []
    keys = set(rules.param(REVIEW_RULE, "records"))
    found = [(e.received_at, n, e) for n, e in enumerate(plan.exhibits, start=1)
             if e.key in keys and e.received_at is not None]
    if not found:
        return []
    uploaded, number, latest = max(found, key=lambda f: (f[0], f[1]))
    if uploaded <= reviewed_at:
        return []
    return [rules.rule(REVIEW_RULE).refuse("US-12.review_before_records", reviewed=_moment(reviewed_at, tz),
                                           uploaded=_moment(uploaded, tz), title=latest.title, number=number)]


def _moment(at: datetime, tz: str) -> str:
    return at.astimezone(ZoneInfo(tz)).strftime("%Y-%m-%d %H:%M %Z")


def refuse(found: Iterable[Violation]) -> None:
    violations = list(found)
    if violations:
        raise RuleViolation(violations)


def _missing(rule: str, rules: RuleSet, fields: dict[str, Any]) -> list[Violation]:
    return [rules.rule(rule).violation(f"{name} is missing") for name, value in fields.items() if not value]


def complaint_complete(rules: RuleSet, plaintiff: Any, defendant: PersonBlock, claim: ClaimBlock,
                       terms: TermsBlock) -> list[Violation]:
    """CN-19: 民诉法 art. 124 elements; the defendant must be identifiable (解释 art. 209)."""
    found = _missing("CN-19", rules, {
        "plaintiff name": plaintiff.name, "plaintiff domicile": plaintiff.address,
        "plaintiff legal representative": plaintiff.legal_rep, "defendant name": defendant.name,
        "defendant ID number": defendant.id_number, "defendant domicile": defendant.domicile,
        "contract number": terms.contract_no})
    if claim.claimed_total <= 0:
        found.append(rules.rule("CN-19").violation("nothing is owed at the as-of date: there is no claim to make"))
    return found


def elements_complete(rules: RuleSet, terms: TermsBlock, claim: ClaimBlock) -> list[Violation]:
    """CN-20: the rate clauses the element form asks for, and 标的总额 = the sum of the claims."""
    found = _missing(ELEMENTS_RULE, rules,
                     {"clause number of the interest rate (clause_refs.rate)": terms.clause("rate"),
                      "clause number of the penalty rate (clause_refs.default or clause_refs.penalty)":
                      terms.clause(claim.penalty_clause)})
    if terms.compound_allowed and not terms.clause("compound"):
        found.append(rules.rule("CN-20").violation("compound interest is charged but clause_refs.compound is missing"))
    parts = claim.principal + claim.interest + claim.penalty + claim.compound + claim.fees
    if parts != claim.claimed_total:
        found.append(rules.rule("CN-20").violation(
            f"标的总额 {claim.claimed_total} is not the sum of the claims {parts}"))
    return found


def span_in_order(rules: RuleSet, what: str, start: date | None, end: date) -> list[Violation]:
    """DOC-04: a document never states "from X to Y" with X after Y."""
    if start is None or start <= end:
        return []
    return [rules.rule("DOC-04").violation(f"{what}: from {start.isoformat()} to {end.isoformat()}, "
                                           "the start is after the end")]


def events_before(rules: RuleSet, timeline: Timeline, as_of: date) -> list[Violation]:
    """DOC-04: what a document tells as past happened on or before its date; a cure deadline it
    says was missed has passed (a deadline still running is not a default the borrower failed to cure)."""
    plan = timeline.plan
    dated = [("the contract was signed", timeline.signed_date), ("the loan was disbursed", timeline.disbursed_date),
             ("the last payment", timeline.last_payment_date), ("the acceleration", timeline.accelerated_on),
             ("the repayment agreement was signed", plan.signed_date if plan else None),
             ("the last contact", timeline.contacts.last)]
    found = [f"{what} is dated {day.isoformat()}, after the document's date {as_of.isoformat()}"
             for what, day in dated if day is not None and day > as_of]
    found += [f"plan instalment {b.instalment_no} is stated as not cured by {b.cure_deadline.isoformat()}, "
              f"a deadline that has not passed on {as_of.isoformat()}"
              for b in timeline.breaches if b.cured_on is None and b.cure_deadline >= as_of]
    return [rules.rule("DOC-04").violation(message) for message in found]


@dataclass(frozen=True)
class StatedNotice:
    """A notice that told the borrower what is owed: its kind, date and amount (DOC-05)."""

    kind: str
    as_of: date
    total: Decimal


def last_stated_notice(facts: CaseFacts, kinds: Collection[str] | None = None, *,
                       own_date: bool = False) -> StatedNotice | None:
    """The last notice of any kind that stated the debt to the borrower by the as-of date: a
    communication that reached them or was sent (not failed), with the amount it stated (demand
    letter, pre-notice, breach notice, lawyer letter), or a breach's stored notice total (kept
    there before notices carried their own; as of the day that total is the balance of, the
    acceleration date for a notice dated before it). `kinds`: only notices of these kinds;
    `own_date`: only communications, each as of the notice's own date."""
    found = [StatedNotice(c.template_kind or str(c.channel), c.stated_as_of, c.stated_total)
             for c in facts.cf.communications
             if c.stated_total is not None and c.stated_as_of is not None and c.stated_as_of <= facts.as_of
             and c.direction == Direction.OUT and c.party_kind == PartyKind.BORROWER and c.outcome != Outcome.FAILED]
    found += [StatedNotice("breach_notice", b.notice_as_of, b.notice_total) for b in facts.cf.breaches
              if not own_date and b.notice_total is not None and b.notice_as_of is not None
              and b.notice_as_of <= facts.as_of]
    found = [n for n in found if kinds is None or n.kind in kinds]
    return max(found, key=lambda n: n.as_of) if found else None


def notice_bridge(facts: CaseFacts) -> NoticeBridgeBlock | None:
    """The line from the amount the notice that accelerated the debt stated to the claim
    (NoticeBridgeBlock): under a breached agreement, the breach notice's (``_agreement_bridge``);
    on the loan contract's own acceleration clause, the notice's that declared it
    (``_contract_bridge``). None where no such notice stated the figure the claim computation gives
    for its day (the record changed under it: DOC-05's to refuse, not a line's to explain) or
    something else moved the claim since."""
    if facts.claim.agreement is None:
        return _contract_bridge(facts)
    return _agreement_bridge(facts)


def _agreement_bridge(facts: CaseFacts) -> NoticeBridgeBlock | None:
    """Where the claim rests on a breached agreement accelerated on or before the as-of date and the
    breach notice stated what fell due on acceleration: the claim computation's total at the
    acceleration date (the figure the notice stated, "届时应一次性偿还"), the penalty accrued after
    that day, the payments made since."""
    claim = facts.claim
    position = claim.agreement
    accel = position.accelerated_on if position is not None else None
    if position is None or accel is None or accel > claim.as_of or claim.matured_on is not None:
        return None  # a plan that matured is not accelerated: its documents word the default clause apart
    notice = last_stated_notice(facts, kinds={"breach_notice"})
    if notice is None or notice.as_of > accel:
        return None
    at = accounts.claim_of(facts.cf, accel, licensed_cap=get_settings().licensed_cost_cap)
    if at.agreement is None or at.agreement.terms.ref != position.terms.ref or at.claimed_total != notice.total:
        return None
    # the notice named by its own date (the borrower's copy), not the breach's record of the
    # acceleration date its total is the balance of
    dated = last_stated_notice(facts, kinds={"breach_notice"}, own_date=True)
    if dated is not None and dated.total == notice.total and dated.as_of <= notice.as_of:
        notice = dated
    first_day = at.line("default_penalty")
    return _bridge(facts, at, notice, accel, basis="agreement",
                   first_day_penalty=first_day.amount if first_day is not None else Decimal("0.00"))


def _contract_bridge(facts: CaseFacts) -> NoticeBridgeBlock | None:
    """On the loan contract's own acceleration clause (no agreement), accelerated on or before the
    as-of date: the last notice of DOC-05's claim-stating kinds (the CN 律师函 that declared the
    acceleration, the US notice of acceleration) sent on or after the acceleration date, which
    stated the claim computation's total for its own date; then the penalty (default interest) and
    compound interest the contract charges after that day, the payments since (review CN-00061:
    the lawyer letter's 66,611.89 beside the complaint's 66,852.53; US-00014: the notice of
    acceleration's $105,119.57 beside the petition's $111,190.63)."""
    claim = facts.claim
    accel = claim.accelerated_on
    if not claim.accelerated or accel is None or accel > claim.as_of or claim.matured_on is not None:
        return None
    rule = facts.rules.rule("DOC-05")
    notice = last_stated_notice(facts, kinds=set(rule.params.get("claim_stating", ())))
    declared = facts.record.declared_on or accel
    if notice is None or notice.as_of < declared:
        return None  # stated before the acceleration was declared: a balance, not the accelerated claim
    cap = get_settings().licensed_cost_cap
    at = accounts.claim_of(facts.cf, notice.as_of, licensed_cap=cap)
    if at.agreement is not None or at.claimed_total != notice.total:
        return None
    if notice.as_of >= accel:
        return _bridge(facts, at, notice, accel, basis="contract", first_day_penalty=Decimal("0.00"))
    # the letter that declared it, dated before its delivery (民法典 art. 137): the un-accelerated
    # total it stated, then the days to its delivery, on which the acceleration took effect
    if any(notice.as_of < p.value_date <= accel for p in facts.cf.payments):
        return None
    on = accounts.claim_of(facts.cf, accel, licensed_cap=cap)
    if on.agreement is not None or not on.accelerated or on.principal != at.principal:
        return None
    return _bridge(facts, on, notice, accel, basis="contract", first_day_penalty=Decimal("0.00"), stated=at)


def _bridge(facts: CaseFacts, at: Claim, notice: StatedNotice, accel: date, *, basis: Literal["agreement", "contract"],
            first_day_penalty: Decimal, stated: Claim | None = None) -> NoticeBridgeBlock | None:
    """From `at` (the claim computation on the day the notice stated it) to the claim: what accrued
    after that day, part by part, and the payments since. None where a payment since paid more than
    principal or the interest moved (not this line's to explain). `stated`: the computation on the
    notice's own day where it is before `at`'s (a letter in effect on its delivery, `at` that day's):
    what accrued between them is the bridge's arrival lines."""
    claim = facts.claim
    paid = sum((p.amount for p in facts.cf.payments if at.as_of < p.value_date <= claim.as_of), Decimal(0))
    if at.principal != claim.principal + paid or at.interest != claim.interest:
        return None
    penalty, compound, fees = claim.penalty - at.penalty, claim.compound - at.compound, claim.fees - at.fees
    first = stated or at
    arrival: dict[str, Any] = {}
    if stated is not None:
        # each part as the claim splits it (the complaint and the claim statement name them apart)
        parts = {"arrival_interest": at.interest - stated.interest, "arrival_penalty": at.penalty - stated.penalty,
                 "arrival_compound": at.compound - stated.compound, "arrival_fees": at.fees - stated.fees}
        if stated.claimed_total + sum(parts.values()) != at.claimed_total:
            return None  # a cap cut moved between them: not this line's to explain
        arrival = {"arrival_from": stated.as_of + timedelta(days=1), **parts}
    return NoticeBridgeBlock(basis=basis, notice_kind=notice.kind, notice_day=notice.as_of, accelerated_on=accel,
                             due_on_acceleration=first.claimed_total, first_day_penalty=first_day_penalty,
                             penalty_from=min(at.as_of + timedelta(days=1), claim.as_of), penalty_to=claim.as_of,
                             penalty_since=penalty + compound + fees, default_interest_since=penalty,
                             compound_since=compound, fees_since=fees, paid_since=paid,
                             claimed_total=claim.claimed_total, **arrival)


def claim_within_notice(facts: CaseFacts) -> list[Violation]:
    """DOC-05: the claim exceeds what the last notice to the borrower said is owed (any notice that
    states the debt) only by the lines that explain it: default interest since the notice's date
    and the cap on it. Payments since lower it. A record changed under the notice (a payment
    removed, the plan edited) makes the claim larger than the notice can explain: refused.

    On the contract (no agreement) the claim's own computation explains what accrued since; what
    it cannot explain is a notice that stated less than that computation gives for the notice's
    own date. A notice that stated the claim computation itself (``claim_stating``: a lawyer
    letter) is held to the claim as of its date; one that stated the balance before acceleration
    (``balance_stating``: a demand letter) to the lawful ledger's balance as of its date, the
    figure it was computed from — what acceleration adds after it (interest to the acceleration
    date, default interest since) is the claim computation's own."""
    claim = facts.claim
    rule = facts.rules.rule("DOC-05")
    if claim.agreement is None:
        return _contract_claim_within_notice(facts, rule)
    last = last_stated_notice(facts)
    if last is None:
        return []
    then = accounts.claim_of(facts.cf, last.as_of, licensed_cap=get_settings().licensed_cost_cap)
    if then.agreement is None or then.agreement.terms.ref != claim.agreement.terms.ref:
        return []  # a newer agreement, signed by the borrower, is the last word on the debt
    keys = set(rule.params["explained_by"])

    def explaining(c: Claim) -> Decimal:
        return sum((x.amount for x in c.reconciliation if x.key in keys), Decimal(0))

    excess = claim.claimed_total - last.total - (explaining(claim) - explaining(then))
    return _exceeds(rule, claim.claimed_total, last, excess)


def _contract_claim_within_notice(facts: CaseFacts, rule: Rule) -> list[Violation]:
    balance_stating = set(rule.params.get("balance_stating", ()))
    last = last_stated_notice(facts, kinds={*rule.params["claim_stating"], *balance_stating})
    if last is None:
        return []
    cap = get_settings().licensed_cost_cap
    then = accounts.claim_of(facts.cf, last.as_of, licensed_cap=cap)
    if then.agreement is not None:
        return []  # the notice stated an agreement's claim; the claim now is the contract's
    # the ledger the notice was computed from (its facts' ledger), on the records as they are now
    owed = facts.ledger_on(last.as_of).total_outstanding if last.kind in balance_stating else then.claimed_total
    return _exceeds(rule, facts.claim.claimed_total, last, owed - last.total)


def _exceeds(rule: Rule, claimed: Decimal, last: StatedNotice, excess: Decimal) -> list[Violation]:
    if excess <= 0:
        return []
    return [rule.violation(f"the claim of {claimed} exceeds what the {last.kind} of {last.as_of.isoformat()} "
                           f"told the borrower is owed ({last.total}) by {excess} that no reconciliation "
                           "line explains")]


def court_valid(rules: RuleSet, court: CourtBlock, terms: TermsBlock) -> list[Violation]:
    """CN-24: a court is named; an internet court only for a loan signed and performed online."""
    rule = rules.rule("CN-24")
    if not court.name:
        return [rule.violation("no court could be determined: the jurisdiction clause names none and the "
                               "domicile address has no city/district")]
    if court.is_internet_court and not terms.online:
        return [rule.violation(f"{court.name} hears only loans signed and performed online; this contract was "
                               "signed offline")]
    return []


def fee_valid(rules: RuleSet, claim: ClaimBlock) -> list[Violation]:
    """CN-25: the fee shown is the art. 13 fee on the claimed total; preservation within its cap."""
    rule, fee = rules.rule("CN-25"), claim.fee
    if fee is None:
        return [rule.violation("no court fee was computed for the claim")]
    expected = compute_court_fee(claim.claimed_total, simplified=fee.simplified,
                                 preservation_amount=fee.preservation_amount)
    found = []
    if (fee.full, fee.payable) != (expected.full, expected.payable):
        found.append(rule.violation(f"court fee {fee.full} differs from the art. 13 table ({expected.full})"))
    if sum((b.fee for b in fee.brackets), Decimal(0)).quantize(Decimal("0.01")) != fee.full:
        found.append(rule.violation("the bracket fees do not add up to the court fee"))
    if fee.preservation > PRESERVATION_MAX:
        found.append(rule.violation(f"preservation fee {fee.preservation} exceeds {PRESERVATION_MAX}"))
    return found


def service_address_valid(rules: RuleSet, address: str, phone: str, e_service: bool,
                          e_channels: Sequence[str], *, phone_missing: str = "") -> list[Violation]:
    """CN-23: an address to serve at; e-service channels only with the recipient's consent.
    `phone_missing` says where the phone would have come from, for the refusal to name it."""
    rule = rules.rule("CN-23")
    found = [] if address else [rule.violation("no service address: neither an agreed address nor a domicile")]
    if not phone:
        found.append(rule.violation("no recipient phone number for the service address"
                                    + (f": {phone_missing}" if phone_missing else "")))
    if e_channels and not e_service:
        found.append(rule.violation("e-service channels listed without the recipient's consent"))
    return found


def evidence_valid(rules: RuleSet, rows: Sequence[Any], copies: int, *, paginated: bool) -> list[Violation]:
    """CN-21: rows numbered 1..n, each with source and object of proof; pages continuous when the
    index belongs to an assembled packet; at least one copy per defendant."""
    rule = rules.rule(EVIDENCE_RULE)
    found = []
    if [r.number for r in rows] != list(range(1, len(rows) + 1)):
        found.append(rule.violation("exhibits are not numbered 1..n in order"))
    for r in rows:
        if not r.origin or not r.purpose or not r.title:
            found.append(rule.violation(f"exhibit {r.number} lacks its name, source or object of proof"))
    if paginated:
        paged = [r for r in rows if r.first_page is not None]
        for a, b in pairwise(paged):
            if b.first_page <= (a.last_page or a.first_page):
                found.append(rule.violation(f"exhibit {b.number} starts on page {b.first_page}, "
                                            f"not after exhibit {a.number}"))
    if copies < 1:
        found.append(rule.violation("at least one copy per defendant"))
    return found
