"""Every amount, date and name a rendered document prints, checked against the case's facts.

The legitimate values of a case on an as-of date are those of its facts (issue 10 §1: one typed
record every document draws from; issue 8: one claim computation every court document takes its
amounts from):

- amounts: the claim computation (``facts.claim``: its parts, totals, reconciliation lines, claim
  rows, court fee, agreement position, cap result), the lawful ledger at as-of (``facts.ledger``:
  every instalment's due, paid, waived and outstanding amounts, every allocation), the facts
  record's plan terms, and what the case's own records state (the contract's principal and
  instalments, the recorded payments, the plan's instalments and acknowledged amounts);
- dates: the facts record's (``CaseRecord.dates``), the claim's and the ledger's (due dates,
  payment and allocation dates, the continuing interest's start), the case's recorded dates
  (instalments, payments, plan instalments, communications, visits, holds, breaches), and the
  rule-computed deadlines the context carries (``DEADLINES``: on or after the document's date and
  at most ``DEADLINE_DAYS`` later; ``DERIVED_DATES``), each with the reason it is not a fact of
  the record; and the law's own dates the rule set quotes (a statute's date in force);
- counts: how many contacts (N次) and payments (N笔) a Chinese document says were made, against
  the contact history's and the payments' counts;
- names: the case's lender and borrower are named (the borrower possibly masked); no other demo
  case's borrower or lender is.

Sums and rule-computed amounts a document prints (a schedule row's total, the daily continuing
interest, a mediation proposal's instalments) are listed in ``DERIVED_AMOUNTS`` and
``DERIVED_FIELDS``, each with its reason. A token that nothing explains is a ``Finding``: what,
the token and the text around it. tests/documents/test_catalogue.py runs this over every kind
rendered for the demo cases.

Court documents (``COURT_KINDS``) are held to the claim (issue 8 "every amount and date in every
court document equals the claim computation"): the contract ledger on its own (uncapped) rates,
the ledgers on other days and the lawful ledger's outstanding totals do not explain an amount
there. What membership cannot see: a legitimate value in the wrong place (the contractual total,
the reconciliation's first line, printed as the demand; a scheduled due date printed as the
overdue start). tests/demo/test_cross_documents.py checks those places by name.
"""

import dataclasses
import functools
import re
from collections.abc import Iterable, Iterator, Mapping
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import BaseModel
from sqlalchemy import inspect as sa_inspect

from service.cases.ledger import Component
from service.cases.plans import plan_position
from service.cases.proposals import proposals
from service.cases.rules import RULES_DIR
from service.documents.contexts.common import Amounts
from service.documents.format import cn_upper, mask_name

SPACE = re.compile(r"\s+")
CENT = Decimal("0.01")

# An amount as the templates print it: 12,306.43 / ¥12,306.43 / $29,334.79 / -$5.00 / RMB 1,234.50.
# Two decimals always (money(), usd()); not a rate (24.00%, 3.45 %), not part of a longer number or a
# date, a version or an ID (2026.11.27, 1.2.3).
AMOUNT = re.compile(r"(?<![\d.,/\-A-Za-z])(\d{1,3}(?:,\d{3})+|\d+)\.(\d{2})(?![\d%.]|\s*%|\s*％)")
# An amount in capitals (大写), with or without 人民币 before it: …元整, …元…角…分.
CAPITALS = re.compile(r"[零壹贰叁肆伍陆柒捌玖拾佰仟万亿]+元(?:整|[零壹贰叁肆伍陆柒捌玖]角(?:[零壹贰叁肆伍陆柒捌玖]分)?|"
                      r"[零壹贰叁肆伍陆柒捌玖]分|零[零壹贰叁肆伍陆柒捌玖]分)?")

# A count of contacts (先后11次催告, 上门走访2次) and of payments (共还款7笔) in a Chinese text.
CONTACTS = re.compile(r"(?<![\d.第])(\d+)次")
PAYMENTS = re.compile(r"(?<![\d.第])(\d+)笔")


# ------------------------------------------------------------------------------ walking values


def _walk(value: Any, seen: set[int], depth: int = 0) -> Iterator[Any]:
    """Every scalar under a value: dataclass fields and their no-argument properties (a ``Parts``'
    total), pydantic fields and computed fields, mappings, sequences and mapped rows' columns."""
    if depth > 8 or id(value) in seen:
        return
    if isinstance(value, str | bytes | int | Decimal | date | float | bool) or value is None:
        yield value
        return
    seen.add(id(value))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            if not f.name.startswith("_"):
                yield from _walk(getattr(value, f.name), seen, depth + 1)
        for name, attr in vars(type(value)).items():
            if isinstance(attr, property) and not name.startswith("_"):
                try:
                    got = getattr(value, name)
                except Exception:
                    continue
                yield from _walk(got, seen, depth + 1)
    elif isinstance(value, BaseModel):
        for name in [*type(value).model_fields, *type(value).model_computed_fields]:
            yield from _walk(getattr(value, name), seen, depth + 1)
        for name, attr in vars(type(value)).items():
            if isinstance(attr, property) and not name.startswith("_"):
                yield from _walk(getattr(value, name), seen, depth + 1)
    elif isinstance(value, Mapping):
        for v in value.values():
            yield from _walk(v, seen, depth + 1)
    elif isinstance(value, list | tuple | set | frozenset):
        for v in value:
            yield from _walk(v, seen, depth + 1)
    elif hasattr(value, "__table__"):  # a mapped row: its columns only (relationships are lazy="raise")
        for attr in sa_inspect(type(value)).column_attrs:
            yield getattr(value, attr.key)


def scalars(*values: Any) -> list[Any]:
    seen: set[int] = set()
    return [s for v in values for s in _walk(v, seen)]


def _day(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else None


def amounts_in(*values: Any) -> set[Decimal]:
    """The money amounts under the values, absolute and as printed (to the cent, half up: a court
    fee bracket's exact fee prints rounded)."""
    return {abs(v).quantize(CENT, rounding=ROUND_HALF_UP) for v in scalars(*values)
            if isinstance(v, Decimal) and v.is_finite()}


def dates_in(*values: Any) -> set[date]:
    return {d for d in (_day(v) for v in scalars(*values)) if d is not None}


# ------------------------------------------------------------------------------ what a case allows

# Court documents: their amounts are the claim computation's (issue 8).
COURT_KINDS = frozenset({"civil_complaint", "complaint_elements", "claim_statement", "court_fee_statement",
                         "mediation_application", "lawyer_letter", "affidavit_of_debt", "evidence_index",
                         "power_of_attorney", "service_address_confirmation", "debt_claim_petition"})


@dataclasses.dataclass(frozen=True)
class Allowed:
    amounts: frozenset[Decimal]
    dates: frozenset[date]
    names: frozenset[str]  # the case's own parties
    parties: tuple[tuple[str, ...], ...]  # the lender's and the borrower's names, one of each group printed
    contacts: frozenset[int]  # how many contacts a document may say were made (N次)
    payments: frozenset[int]  # how many payments it may say were made (N笔)
    foreign: frozenset[str]  # other cases' borrowers and lenders: never printed in this case's documents


def case_records(cf: Any) -> list[Any]:
    """The case's recorded rows whose values a document may state as they are."""
    plans = list(cf.plans)
    return [cf.case, cf.contract, cf.lender, cf.borrower, *cf.contacts, *cf.instalments, *cf.payments,
            *cf.holds, *cf.communications, *cf.visits, *plans, *(i for p in plans for i in p.instalments),
            *cf.breaches, cf.law_firm, *cf.reviews]


def claim_amounts(facts: Any) -> set[Decimal]:
    """The claim computation's amounts: what a court document may state. The lawful ledger it was
    computed on counts with its instalment lines, allocations and what was paid, not its own
    outstanding totals (those the claim caps and reconciles: a court document states the claim's)."""
    claim = facts.claim
    ledger = claim.ledger
    # the default-interest rows (ledger.Accrual): each run's base and amount, what they add up to,
    # and of that what payments took; an instalment row's scheduled balance beside them
    accrued = sum((a.amount for a in ledger.accruals), Decimal(0))
    rows_default = sum((r.penalty + r.compound for r in claim.rows), Decimal(0))
    return amounts_in(claim.parts, claim.contractual, claim.reconciliation, claim.rows, claim.court_fee,
                      claim.agreement, claim.cap_result, claim.continuing, claim.due, claim.due_now,
                      claim.set_off, claim.claimed_total, claim.reduced_by, claim.on_acceleration, claim.interest_split,
                      ledger.positions, ledger.allocations, ledger.paid, ledger.paid_total,
                      ledger.outstanding_principal, ledger.unapplied, accrual_amounts(ledger),
                      accrual_amounts(claim.agreement),
                      [r.principal + r.interest + r.fee for r in claim.rows], accrued, rows_default,
                      accrued - rows_default)


def accrual_amounts(ledger: Any) -> list[Decimal]:
    """A ledger's, or an agreement position's (its default penalty), default-interest rows' figures."""
    return [x for a in ledger.accruals for x in (a.base, a.amount)] if ledger is not None else []


def accrual_dates(ledger: Any) -> set[date]:
    """The days a default-interest row prints: its first (the day after its run starts) and its last
    (a ledger's rows, or an agreement position's: the default penalty's runs)."""
    return {d for a in ledger.accruals for d in (a.start + timedelta(days=1), a.end)} if ledger is not None else set()


def ledgers_of(facts: Any) -> list[Any]:
    """The lawful ledger on each dated event of the record whose balance a document states: as-of,
    each visit (the visit record and brief state the balance that day), the agreement's
    acknowledgement, the first validation notice and the itemization date (US, Reg F: the last
    payment, else the disbursement)."""
    record, cf = facts.record, facts.cf
    days = {facts.as_of, *(v.day for v in record.visits), *(p.as_of_date for p in cf.plans)}
    if (sent := facts.first_sent("validation_notice")) is not None:
        days.add(sent)
        paid = [p.value_date for p in cf.payments if p.value_date <= sent]
        days.add(max(paid) if paid else cf.contract.disbursed_date)
    return [facts.ledger_on(d) for d in sorted(d for d in days if d <= facts.as_of or d in
                                               {v.day for v in record.visits})]


def allowed_for(facts: Any, kind: str, context: Any, others: Iterable[str] = ()) -> Allowed:
    """What a document of `kind` may print for the case (see the module's docstring); `others`:
    the names of the other cases' parties, none of which the document may print."""
    cf, record = facts.cf, facts.record
    # the case's recorded money: the contract's principal and schedule, the payments, each plan's
    # acknowledged debt, waiver, principal left not due, contract interest to come waived on condition,
    # and instalments (a draft's too: the agreement handed over to sign)
    amounts = claim_amounts(facts) | amounts_in(
        record.plan, cf.contract.principal_agreed, cf.contract.disbursed_amount, [p.amount for p in cf.payments],
        [(i.principal, i.interest, i.fee) for i in cf.instalments],
        [(p.ack_principal, p.ack_interest, p.ack_penalty, p.ack_fees, p.waived_amount, p.principal_not_due,
          p.interest_not_charged) for p in cf.plans],
        [i.amount for p in cf.plans for i in p.instalments])
    if kind not in COURT_KINDS:
        # a notice states the balance on its date, or on the day of the event it reports (a visit, the
        # agreement, the validation notice): the lawful ledger then, as the documents split it
        ledgers = ledgers_of(facts)
        amounts |= amounts_in(ledgers, [Amounts.of(ledger) for ledger in ledgers],
                              [accrual_amounts(ledger) for ledger in ledgers],
                              [sum((a.amount for a in ledger.accruals), Decimal(0)) for ledger in ledgers])
        # an instalment's penalty and compound interest as one figure (罚息及复利), as the ledger holds them
        amounts |= amounts_in([p.outstanding.get(Component.PENALTY, 0) + p.outstanding.get(Component.COMPOUND, 0)
                               for ledger in ledgers for p in ledger.positions])
    amounts |= derived_amounts(facts, kind, context)
    days = set(record.dates()) | dates_in(facts.claim.reconciliation, facts.claim.rows, facts.claim.continuing,
                                          facts.claim.as_of, facts.claim.accelerated_on, facts.claim.agreement,
                                          facts.ledger.positions, facts.ledger.allocations,
                                          facts.claim.ledger.positions, facts.claim.ledger.allocations,
                                          facts.claim.ledger.last_payment_date, case_records(cf),
                                          facts.us_limitation, facts.validation_period_end,
                                          facts.now.astimezone(ZoneInfo(facts.tz)))
    days |= derived_dates(facts, kind, context) | law_dates(cf.case.profile)
    days |= accrual_dates(facts.claim.ledger) | accrual_dates(facts.ledger) | accrual_dates(facts.claim.agreement)
    # a 本金积数 row's first day: the day after its balance began (caps.PrincipalSpan.first_day)
    days |= {x.first_day for x in facts.claim.cap_result.principal_spans}
    # a cure period's own last day, on a rest day, that a pleading names before its rolled deadline
    # (BreachFact.cure_rolled_from: the due date + the plan's grace and cure days, 民法典 art. 203)
    grace = {p.id: p.grace_days + p.cure_days for p in cf.plans}
    days |= {b.due_date + timedelta(days=grace[b.plan_id]) for b in cf.breaches if b.plan_id in grace}
    if kind not in COURT_KINDS:
        days |= {d for ledger in ledgers_of(facts) for d in accrual_dates(ledger)}
    own = {cf.borrower.name, cf.borrower.name_en, cf.lender.name, cf.lender.name_en,
           getattr(cf.law_firm, "name", "")}
    foreign = {n for n in others if n and not any(n in o for o in own if o)}
    borrower = (cf.borrower.name, cf.borrower.name_en, mask_name(cf.borrower.name))
    lender = (cf.lender.name, cf.lender.name_en)
    return Allowed(amounts=frozenset(amounts), dates=frozenset(days), names=frozenset(n for n in own if n),
                   parties=(lender, borrower), contacts=contact_counts(record), payments=payment_counts(facts),
                   foreign=frozenset(foreign))


def contact_counts(record: Any) -> frozenset[int]:
    """The contact history's counts: every attempt, those that reached the borrower, the visits,
    those the communication log records and the visits it does not, and each channel's; and the
    same of the demands among them (ContactHistory.demands: what the pleadings count)."""
    found: set[int] = set()
    # the lawyer letter states the contacts before it (ContactHistory.before): its own earlier send not among them
    before = record.contacts.before("lawyer_letter", record.as_of)
    for c in (record.contacts, before, record.contacts.demands, before.demands):
        by_channel = [sum(1 for x in c.contacts if x.channel == ch) for ch in c.channels]
        found |= {c.attempts, len(c.reached), c.visits, c.logged, c.unlogged_visits, *by_channel}
    return frozenset(found)


def payment_counts(facts: Any) -> frozenset[int]:
    """How many payments were made: in all to as-of, up to the agreement and under it (as the
    claim's reconciliation counts them)."""
    paid = [p for p in facts.cf.payments if p.value_date <= facts.as_of]
    found = {len(paid), len(facts.claim.ledger.allocations)}
    for plan in facts.cf.plans:
        found |= {sum(1 for p in paid if p.value_date <= plan.as_of_date),
                  sum(1 for p in paid if p.value_date > plan.as_of_date)}
    found |= {x.count for x in facts.claim.reconciliation if x.count is not None}
    if facts.claim.agreement is not None:
        found.add(facts.claim.agreement.payments)
    return frozenset(found)


# ------------------------------------------------------------------------------ derived values

# Amounts a context derives from the facts by a rule or a sum, not themselves in the record or the
# claim. Each is computed here from the facts (not read from the context), with why it is printed.
DERIVED_AMOUNTS = {
    "instalment_totals": "a schedule row's total (principal + interest + fee of one contract instalment) and "
                         "the schedule's column totals (repayment schedule, affidavit attachment)",
    "payments_total": "what was paid: every recorded payment to as-of, and those before and after the "
                      "agreement's acknowledgement (complaint, claim statement, affidavit)",
    "repaid_parts": "what was repaid of each part over the whole loan: the lawful ledger's allocation at the "
                    "acknowledgement plus the agreement's (the element form's 还款情况)",
    "daily_interest": "the continuing interest per day: base × rate ÷ day basis, to the cent (claim statement)",
    "settled_runs": "what was paid on a run of consecutive instalments with nothing left owing, which the claim "
                    "statement's contract schedule prints as one row (blocks.collapse_settled)",
    "plan_runs": "the plan reminder's schedule shows the instalments paid before the next one, and those "
                 "still to come, each as one row: sums of the plan's leading and trailing instalments",
    "proposals": "the plans PLAN-02 offers at a visit, computed from the ledger on the visit day (visit brief), "
                 "and each one's waiver of the debt and of the contract interest to come together",
}
# Values a context computes by a rule and a document prints, accepted as the context holds them:
# (kind, field of the context) -> why. Each is checked for what can be checked without redoing it.
DERIVED_FIELDS: dict[tuple[str, str], str] = {
    ("mediation_application", "proposal"): "the instalments the policy proposes for mediation, split from the "
                                           "claimed total (or what is due now) less what it waives; checked: the "
                                           "lines add up to what is payable, payable + waived = the claim's",
    ("validation_notice", "itemization"): "Reg F §1006.34(c)(2) itemization: the balance on the itemization "
                                          "date and the interest, fees, payments and credits since",
    ("debt_claim_petition", "due_at_final"): "Tex. R. Civ. P. 508.2(a)(2)(D): the amount due on the date final "
                                             "payment was due, the claim computation at that date",
    ("debt_claim_petition", "fell_due_at_final"): "where a plan was accelerated, due_at_final parted: the balance "
                                                  "that fell due on the acceleration date; checked: with "
                                                  "first_day_interest it adds up to due_at_final",
    ("debt_claim_petition", "first_day_interest"): "the default interest of the acceleration date itself (R-14: "
                                                   "its first day), the rest of due_at_final",
    ("civil_complaint", "bridge"): "from the breach notice's amount to the claim (checks.notice_bridge): the claim "
                                   "computation's total at the acceleration date, the penalty since, the payments "
                                   "since; checked: they add up to the claim (NoticeBridgeBlock)",
    ("claim_statement", "bridge"): "the same line in the claim statement's reconciliation (checks.notice_bridge)",
    ("debt_claim_petition", "bridge"): "on the loan contract's acceleration, from the amount the notice of "
                                       "acceleration stated to the claim (checks.notice_bridge): the default "
                                       "interest since, its parts; checked: they add up to the claim",
    ("debt_claim_petition", "interest_claimed"): "Tex. R. Civ. P. 508.2(a)(3)(C): the interest claimed as of a "
                                                 "date certain, the claim's interest and default interest; checked: "
                                                 "their sum",
}


def _sums(values: list[Decimal]) -> set[Decimal]:
    found, total = set(), Decimal(0)
    for v in values:
        total += v
        found.add(total)
    return found


VISIT_KIT = ("visit_brief", "account_statement")


def derived_amounts(facts: Any, kind: str, context: Any) -> set[Decimal]:
    cf, claim = facts.cf, facts.claim
    found: set[Decimal] = set()
    # instalment_totals
    rows = sorted(cf.instalments, key=lambda i: i.no)
    found |= {i.principal + i.interest + i.fee for i in rows}
    for part in ("principal", "interest", "fee"):
        found.add(sum((getattr(i, part) for i in rows), Decimal(0)))
    found.add(sum((i.principal + i.interest + i.fee for i in rows), Decimal(0)))
    # payments_total
    paid = [p for p in cf.payments if p.value_date <= facts.as_of]
    found.add(sum((p.amount for p in paid), Decimal(0)))
    for plan in cf.plans:
        found.add(sum((p.amount for p in paid if p.value_date <= plan.as_of_date), Decimal(0)))
        found.add(sum((p.amount for p in paid if p.value_date > plan.as_of_date), Decimal(0)))
    # repaid_parts
    if claim.agreement is not None:
        ledger_paid, plan_paid = claim.ledger.paid, claim.agreement.paid
        found |= {ledger_paid.get(c, Decimal(0)) + plan_paid.get(c, Decimal(0)) for c in Component}
        found.add(ledger_paid.get(Component.PENALTY, Decimal(0)) + ledger_paid.get(Component.COMPOUND, Decimal(0))
                  + plan_paid.get(Component.PENALTY, Decimal(0)))
    found.add(claim.ledger.paid.get(Component.PENALTY, Decimal(0)) + claim.ledger.paid.get(Component.COMPOUND,
                                                                                            Decimal(0)))
    # daily_interest
    c = claim.continuing
    found.add((c.base * c.annual_rate / c.day_basis).quantize(CENT, rounding=ROUND_HALF_UP))
    # settled_runs
    run: list[Decimal] = []
    for row in (*claim.rows, None):
        if row is not None and not row.total:
            run.append(row.paid)
            continue
        if run:
            found.add(sum(run, Decimal(0)))
        run = []
    # plan_runs
    if (plan := cf.current_plan) is not None and plan.instalments:
        lines = plan_position(plan, cf.payments, facts.as_of).lines
        for seq in (lines, lines[::-1]):
            found |= _sums([ln.amount for ln in seq]) | _sums([ln.paid for ln in seq])
    # proposals
    for v in facts.record.visits:
        if kind in VISIT_KIT:
            offered = proposals(facts.ledger_on(v.day), facts.rules, v.day)
            found |= amounts_in(offered)
            # the brief's 减免 column: the waiver of the debt and of the contract interest to come
            # (all of it but under 停息挂账, which suspends it)
            found |= {p.waived_amount + (p.interest_not_charged if p.plan_type != "interest_suspension" else 0)
                      for p in offered}
    found = {abs(a).quantize(CENT, rounding=ROUND_HALF_UP) for a in found}
    return found | amounts_in(_derived_fields(kind, context))


def _derived_fields(kind: str, context: Any) -> list[Any]:
    found = [getattr(context, name) for (k, name) in DERIVED_FIELDS if k == kind and hasattr(context, name)]
    if kind == "visit_brief":  # each plan's 第三条 figure, as its draft agreement states it (proposal_interest_stated)
        found.extend(p.interest_stated for p in getattr(context, "proposals", ()))
    if (bridge := getattr(context, "bridge", None)) is not None and hasattr(context, "claim"):
        assert bridge.claimed_total == context.claim.claimed_total, "notice bridge: its claim ≠ the claim's"
        found.append(bridge.before_arrival)  # the days to the letter's delivery, together
    # an agreement's claim statement and affidavit: what the default clause does not revive of the
    # interest waived on condition (the waiver less the revived periods: cn12a's breakdown), the
    # suspended interest the agreement itself stated and its spans up to and after the plan's end
    # (usplan), and everything revived together; the block checks each adds up (its validators)
    agreement = getattr(getattr(context, "claim", None), "agreement", None)
    if agreement is not None and hasattr(agreement, "interest_not_revived"):
        found.extend(a for a in (agreement.interest_not_revived, agreement.revived_total, agreement.suspended_stated,
                                 agreement.suspended_to_plan_end, agreement.suspended_after_plan_end) if a is not None)
    if kind == "mediation_application":
        p, c = context.proposal, context.claim
        assert sum((x.amount for x in p.lines), Decimal(0)) == p.payable, "mediation proposal: lines ≠ payable"
        assert p.payable + p.waived in (c.claimed_total, c.due_now), "mediation proposal: payable + waived ≠ claim"
    if kind == "debt_claim_petition":
        c = context.claim
        assert context.interest_claimed == c.interest + c.penalty + c.compound, "petition: interest claimed ≠ claim's"
        if context.first_day_interest is not None:
            assert context.fell_due_at_final + context.first_day_interest == context.due_at_final, \
                "petition: the balance that fell due and that day's default interest ≠ the amount due on that date"
    return found


# Dates a context computes by a rule (a deadline, a validation period's end): context field -> why.
# A deadline lies on or after the document's date and at most DEADLINE_DAYS after it.
DEADLINES = {
    "pay_by": "the policy's days to pay (pay_within_days; CN: a last day on a rest day rolls, 民法典 art. 203), "
              "or the validation period's end if later",
    "dispute_by": "the policy's days to dispute (CN: rolled past a rest day), or the validation period's end (Reg F)",
    "reply_by": "the visit notice's reply deadline: the rule's hours before the visit, inside contact hours",
    "report_not_before": "CN-10: the pre-notice's days before reporting may start (the last, on a rest day, rolls)",
    "validation_end": "US-06: the validation period's end, federal holidays as observed",
    "grace_end": "the plan's grace days after the instalment's due date",
    "cure_deadline": "the cure days the default clause gives after notice (CN: rolled past a rest day, art. 203)",
}
DEADLINE_DAYS = 60
# Rule-computed dates that are not deadlines ahead of the document: field -> why.
DERIVED_DATES = {
    "earlier.report_from": "CN-10: the reporting date an earlier pre-notice stated (as report_not_before)",
    "intent_deadline": "the cure deadline the notice of intent to accelerate gave (its day + the cure days)",
    "proposal": "the mediation proposal's instalment due dates (the policy's plan from the document's date)",
    "bridge.penalty_from": "the day after the day the notice's amount is stated for (the acceleration date; on "
                           "the contract, the notice's own date), the first of the penalty accrued since the "
                           "amount the breach notice, lawyer letter or notice of acceleration stated "
                           "(checks.notice_bridge)",
    "bridge.arrival_from": "the day after a CN lawyer letter's date, the first of the days to its delivery, on which "
                           "the acceleration it declared took effect (民法典 art. 137; checks.notice_bridge)",
    "timeline.demand_deadline.pay_by": "the last day to pay the last lawyer letter gave: its days (POL-02) from the "
                                       "day it was delivered (record.demand_deadline, DOC-06's)",
    "visit.reply_by": "the visit notice's deadline to reschedule or decline, as the notice stated it (CN-09: the "
                      "rule's hours before the visit, inside contact hours), which the visit brief repeats for staff "
                      "to check before leaving: before the brief's date once the notice has reached the borrower",
}


def derived_dates(facts: Any, kind: str, context: Any) -> set[date]:
    found: set[date] = set()
    for v in facts.record.visits:
        if kind in VISIT_KIT:
            found |= dates_in(proposals(facts.ledger_on(v.day), facts.rules, v.day))
    named = [(name, getattr(context, name)) for name in DEADLINES if hasattr(context, name)]  # properties too
    for path, value in [*_paths(context), *named]:
        day = _day(value)
        if day is None:
            continue
        if path in DEADLINES:  # the document's own deadlines (a timeline's are the record's)
            if facts.as_of <= day <= facts.as_of + timedelta(days=DEADLINE_DAYS):
                found.add(day)  # else it stays unexplained: a deadline before the document or far after it
        elif any(path == p or path.startswith(p + ".") for p in DERIVED_DATES):
            found.add(day)
    return found


@functools.cache
def law_dates(profile: str) -> frozenset[date]:
    """The law's own dates the rule set quotes in its sources (a statute in force from 2022-04-07):
    legal text, the same for every case of the profile."""
    return frozenset(d for d, _ in printed_dates((RULES_DIR / f"{profile.lower()}.json").read_text(encoding="utf-8")))


def _paths(context: Any) -> Iterator[tuple[str, Any]]:
    from service.demo.proofread import _walk as walk_paths

    yield from walk_paths(context)


# ------------------------------------------------------------------------------ what a document prints


@dataclasses.dataclass(frozen=True)
class Finding:
    what: str  # amount | capitals | date | name
    token: str
    context: str

    def __str__(self) -> str:
        return f"{self.what} {self.token!r} in “…{self.context}…”"


def _around(text: str, start: int, end: int, width: int = 30) -> str:
    return SPACE.sub(" ", text[max(0, start - width):end + width]).strip()


# What a section number of a code or of court rules follows (Cal. Code Civ. Proc. 412.20, Cal. Rules
# of Court 1.31, § 1006.34): two decimals there are no amount.
SECTION = re.compile(r"(?:Proc\.|Rules of Court|§)\s?$")


def printed_amounts(text: str) -> Iterator[tuple[Decimal, int, int]]:
    for m in AMOUNT.finditer(text):
        if SECTION.search(text[max(0, m.start() - 20):m.start()]):
            continue
        yield Decimal(f"{m.group(1).replace(',', '')}.{m.group(2)}"), m.start(), m.end()


def tally(text: str) -> dict[str, int]:
    """How many amounts, amounts in capitals and dates a text prints (a check that found none read nothing)."""
    return {"amounts": sum(1 for _ in printed_amounts(SPACE.sub(" ", text))),
            "capitals": len(CAPITALS.findall(SPACE.sub("", text))), "dates": len(printed_dates(text))}


def unexplained(text: str, allowed: Allowed) -> list[Finding]:
    """The amounts (figures and capitals) and dates of a document's text that the case's facts do not hold."""
    found = []
    flat = SPACE.sub(" ", text)
    for value, start, end in printed_amounts(flat):
        if value and value not in allowed.amounts:
            found.append(Finding("amount", flat[start:end], _around(flat, start, end)))
    squashed = SPACE.sub("", text)
    capitals = {cn_upper(a, prefix=""): a for a in allowed.amounts}
    for m in CAPITALS.finditer(squashed):
        if m.group(0) not in capitals and m.group(0) != "零元整":
            found.append(Finding("capitals", m.group(0), _around(squashed, m.start(), m.end(), 15)))
    for day, around in printed_dates(text):
        if day not in allowed.dates:
            found.append(Finding("date", day.isoformat(), around))
    for m in CONTACTS.finditer(squashed):
        if int(m.group(1)) not in allowed.contacts:
            found.append(Finding("contact count", m.group(0), _around(squashed, m.start(), m.end(), 15)))
    for m in PAYMENTS.finditer(squashed):
        if int(m.group(1)) not in allowed.payments:
            found.append(Finding("payment count", m.group(0), _around(squashed, m.start(), m.end(), 15)))
    for group in allowed.parties:
        if not any(SPACE.sub("", n) in squashed for n in group if n):
            found.append(Finding("name missing", " / ".join(group), ""))
    for name in allowed.foreign:
        if name and name in squashed:
            i = squashed.index(name)
            found.append(Finding("name", name, _around(squashed, i, i + len(name), 15)))
    return found


_DATE_CN = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
_DATE_ISO = re.compile(r"(?<![\d-])(\d{4})-(\d{2})-(\d{2})(?![\d-])")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")
_DATE_EN = re.compile(rf"({'|'.join(_MONTHS)})\s+(\d{{1,2}}),\s+(\d{{4}})")


def printed_dates(text: str) -> list[tuple[date, str]]:
    """Every calendar date a text prints (2026年12月2日, 2026-12-02, December 2, 2026), with the text around it."""
    found = []
    flat = SPACE.sub("", text)
    for m in (*_DATE_CN.finditer(flat), *_DATE_ISO.finditer(flat)):
        y, mo, d = m.groups()
        found.append((date(int(y), int(mo), int(d)), _around(flat, m.start(), m.end(), 15)))
    spaced = SPACE.sub(" ", text)
    for m in _DATE_EN.finditer(spaced):
        mo, d, y = m.groups()
        found.append((date(int(y), _MONTHS.index(mo) + 1, int(d)), _around(spaced, m.start(), m.end())))
    return found
