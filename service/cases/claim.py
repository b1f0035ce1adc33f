"""The claim (诉讼请求) as of a date: one computation that every document takes its amounts from.

Public shape (``Claim``), the money that a case's facts record carries to every document:

- ``principal``, ``interest``, ``penalty``, ``compound``, ``fees`` and ``claimed_total`` (标的额):
  what is claimed, after every cap; the parts add up to the total.
- ``contractual``: the same parts per the contract's (or the agreement's) own terms, before any
  cap; ``reduced_by`` = contractual total − claimed total.
- ``reconciliation``: the lines from the contract to the claimed total, each with its source
  (contract clause, agreement clause, payments, rule id), dates, rate and base where it accrues;
  the lines that count add up to ``claimed_total`` to the cent.
- ``basis``: ``"contract"`` — the loan contract and its payments; or ``"agreement"`` — a signed
  repayment agreement, whose acknowledged debt is the basis from its date (``agreement.py``).
- ``continuing``: interest claimed from the day after as-of until payment; ``court_fee`` on the
  claimed total; ``rows``: the contract's instalments (contract basis); ``agreement``: the plan's
  position (agreement basis).

Caps (``caps.py``) are applied in two steps: every rate at most the cap (a ledger on the lawful
loan, so interest paid above the cap is set against principal by the ledger's own allocation),
then the components together within the cap over the loan's life.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Literal

from service.cases.agreement import AgreementPosition, AgreementTerms, agreement_position
from service.cases.caps import (
    DEFAULT_LICENSED_CAP,
    Cap,
    CapResult,
    CostParts,
    LenderType,
    LprTable,
    PrincipalSpan,
    apply_cap,
    cap_for,
    lawful_loan,
    principal_spans,
    uncapped,
)
from service.cases.caps import _cut as cut_parts
from service.cases.court_fee import CourtFee, compute_court_fee
from service.cases.ledger import (
    SCHEDULED,
    Component,
    InstalmentDue,
    InstalmentPosition,
    Ledger,
    LoanTerms,
    Payment,
    Waiver,
    compute_ledger,
    first_missed,
)
from service.cases.money import ZERO, Rate, format_rate, round_money
from service.cases.rules import load_ruleset

Basis = Literal["contract", "agreement"]


@dataclass(frozen=True, slots=True)
class ContinuingInterest:
    """Interest claimed from `from_date` until actual payment (计算至实际清偿之日止)."""

    base: Decimal
    annual_rate: Rate
    from_date: date
    day_basis: int

    @property
    def text_zh(self) -> str:
        """The prayer for it, as the CN-19 wording in the rule set words it."""
        wording: str = load_ruleset("CN").param("CN-19", "continuing_interest")["zh"]
        return wording.format(from_date=self.from_date, base=self.base, rate=format_rate(self.annual_rate))


@dataclass(frozen=True, slots=True)
class Parts:
    principal: Decimal
    interest: Decimal
    penalty: Decimal
    compound: Decimal
    fees: Decimal

    @property
    def cost(self) -> Decimal:
        return self.interest + self.penalty + self.compound + self.fees

    @property
    def total(self) -> Decimal:
        return self.principal + self.cost


@dataclass(frozen=True, slots=True)
class ReconLine:
    """One step from the contract to the claim. `amount` is what the line adds to the claimed
    total (negative: it takes away); an `info` line is context and adds nothing.

    key: contract | rate_cap_set_off | rate_cap | acknowledged | acknowledged_above_cap |
         waiver_held | interest_waiver_held | paid_under_plan | revived_waiver | revived_interest |
         revived_interest_waiver | default_penalty | cap_together | cost_set_off
    source: contract (clause = a key of the contract's clause_refs) | agreement (clause = the
            agreement's clause number) | payments | rule (clause = the rule id)
    """

    key: str
    amount: Decimal
    source: str
    clause: str
    start: date | None = None
    end: date | None = None
    rate: Rate | None = None
    base: Decimal | None = None
    count: int | None = None  # payments: how many
    info: bool = False
    # an agreement clause's item that states the line's rate, where the agreement set its own rate
    # in place of the contract's (第四条第3项: DefaultClause.rate_item); None: the clause cites none
    item: int | None = None

    def __post_init__(self) -> None:
        if self.start is not None and self.end is None:  # a statement prints "from X to Y", never "from X"
            raise ValueError(f"reconciliation line {self.key} starts on {self.start} and needs an end date")


@dataclass(frozen=True, slots=True)
class ClaimRow:
    """One line of the 借款本息计算表: lawful figures outstanding at as_of (contract basis)."""

    no: int
    due_date: date
    principal_due_date: date
    days_past_due: int
    principal: Decimal
    interest: Decimal
    fee: Decimal
    penalty: Decimal
    compound: Decimal
    paid: Decimal

    @property
    def total(self) -> Decimal:
        return self.principal + self.interest + self.fee + self.penalty + self.compound


@dataclass(frozen=True, slots=True)
class DefaultInstalment:
    """The instalment a default began with, as the claim gives it (``Claim.default``)."""

    no: int
    due_date: date
    scheduled: Decimal  # what fell due on it
    schedule: Literal["agreement", "contract"]


@dataclass(frozen=True, slots=True)
class Claim:
    as_of: date
    accelerated_on: date | None
    basis: Basis
    principal: Decimal
    interest: Decimal
    penalty: Decimal
    compound: Decimal
    fees: Decimal
    claimed_total: Decimal  # 标的额: the parts above
    contractual: Parts  # per the contract's or agreement's own terms, before any cap
    reconciliation: tuple[ReconLine, ...]
    cap: Cap
    cap_result: CapResult  # the components together (the lawful figures before this cut)
    set_off: Decimal  # cost paid beyond the cap over the loan's life, set against principal
    ledger: Ledger  # the lawful contract ledger: at as_of, or at the acknowledgement (agreement)
    contract_ledger: Ledger  # the same on the contract's own rates
    agreement: AgreementPosition | None
    continuing: ContinuingInterest
    court_fee: CourtFee | None  # CN: on claimed_total, with its preservation; None where no fee table applies (US)
    rows: tuple[ClaimRow, ...]
    # Before acceleration (none at as_of: the total is what would fall due on it): what is due now,
    # overdue at as_of — the contract's overdue amounts (capped), or the plan instalments past due.
    # None once accelerated.
    due_now: Decimal | None = None
    # The same part by part where the computation has them (the contract's overdue principal,
    # interest, penalty...); None once accelerated, and under an agreement (its instalments are
    # amounts, not parts).
    due: Parts | None = None
    # The governing schedule's last due date where a recorded acceleration (or, under a plan, its
    # default clause) came only after it: the debt had matured, nothing was accelerated and the
    # documents say so (已全部到期); the reason in `notes` (accounts.effective_acceleration).
    matured_on: date | None = None
    notes: tuple[str, ...] = ()

    @property
    def accelerated(self) -> bool:
        """Whether the debt was accelerated by as_of (else the total is hypothetical)."""
        return self.due_now is None

    @property
    def on_acceleration(self) -> Decimal:
        """What falls due on acceleration beyond what is due now (0 once accelerated)."""
        return ZERO if self.due_now is None else self.claimed_total - self.due_now

    @property
    def contractual_total(self) -> Decimal:
        return self.contractual.total

    @property
    def reduced_by(self) -> Decimal:
        return self.contractual.total - self.claimed_total

    @property
    def parts(self) -> Parts:
        return Parts(self.principal, self.interest, self.penalty, self.compound, self.fees)

    @property
    def interest_revived_from_waiver(self) -> Decimal:
        """Of the claimed interest, the contract interest a repayment agreement waived on condition
        of performance and its default clause revived on breach (the complaint claims it as its own
        component): the revived amount, as far as the claimed interest (after the caps) holds it."""
        if self.agreement is None:
            return ZERO
        return min(self.agreement.revived_interest_waiver, self.interest)

    @property
    def interest_split(self) -> tuple[Decimal, Decimal]:
        """The claimed interest as the complaint's 诉讼请求 states it: (interest other than the
        revived waiver, the revived waiver); together ``interest``."""
        revived = self.interest_revived_from_waiver
        return self.interest - revived, revived

    @property
    def default(self) -> DefaultInstalment | None:
        """Where the default the claim rests on began. Under a repayment agreement, which governs
        once signed: the first plan instalment unpaid past its due date (the row of the statement
        of account with days late). On the contract: the first instalment not paid in full by its
        due date (``loan_default``)."""
        if self.agreement is None:
            return self.loan_default
        late = next((i for i in self.agreement.instalments if i.days_late > 0), None)
        return None if late is None else DefaultInstalment(late.no, late.due_date, late.amount, "agreement")

    @property
    def loan_default(self) -> DefaultInstalment | None:
        """The loan contract's first instalment not paid in full by its due date, in the claim's
        contract ledger (under an agreement: the loan's history up to its acknowledgement)."""
        first = first_missed(self.ledger)
        if first is None:
            return None
        return DefaultInstalment(first.no, first.due_date, sum((first.due[c] for c in SCHEDULED), ZERO), "contract")

    def line(self, key: str) -> ReconLine | None:
        return next((ln for ln in self.reconciliation if ln.key == key), None)


def _row(position: InstalmentPosition, as_of: date) -> ClaimRow:
    """Outstanding amounts of one instalment; amounts not yet due at as_of are left out."""
    out = position.outstanding
    principal_due = position.principal_due_date <= as_of
    interest_due = position.interest_due_date <= as_of
    return ClaimRow(
        no=position.no,
        due_date=position.due_date,
        principal_due_date=position.principal_due_date,
        days_past_due=position.days_past_due,
        principal=out[Component.PRINCIPAL] if principal_due else ZERO,
        interest=out[Component.INTEREST] if interest_due else ZERO,
        fee=out[Component.FEE] if interest_due else ZERO,
        penalty=out[Component.PENALTY],
        compound=out[Component.COMPOUND],
        paid=sum(position.paid.values(), ZERO),
    )


def _claimable(ledger: Ledger) -> Parts:
    return Parts(ledger.overdue_principal, ledger.overdue_interest, ledger.penalty, ledger.compound,
                 ledger.overdue_fee)


def _finish(parts: Parts, cost: CostParts, set_off: Decimal) -> Parts:
    principal = parts.principal - min(set_off, parts.principal)
    return Parts(principal, cost.interest, cost.penalty, cost.compound, cost.fees)


@dataclass(frozen=True, slots=True)
class _Contract:
    """The contract's ledgers at one date: on its own rates, and on the lawful loan."""

    terms: LoanTerms
    lawful_terms: LoanTerms
    contractual: Ledger
    lawful: Ledger


def _contract(terms: LoanTerms, rows: list[InstalmentDue], payments: list[Payment], waivers: list[Waiver],
              cap: Cap, *, as_of: date, accelerated_on: date | None) -> _Contract:
    lawful_terms, lawful_rows = lawful_loan(terms, rows, cap)
    kw = {"as_of": as_of, "accelerated_on": accelerated_on, "waivers": waivers}
    return _Contract(terms, lawful_terms, compute_ledger(terms, rows, payments, **kw),  # type: ignore[arg-type]
                     compute_ledger(lawful_terms, lawful_rows, payments, **kw))  # type: ignore[arg-type]


def _contract_lines(contract: Parts, lawful: Parts, result: CapResult, set_off: Decimal) -> list[ReconLine]:
    rule = result.cap.rule_id
    return [
        ReconLine("contract", contract.total, "contract", "acceleration"),
        ReconLine("rate_cap_set_off", lawful.principal - contract.principal, "rule", rule),
        ReconLine("rate_cap", lawful.cost - contract.cost, "rule", rule, rate=result.cap.annual_rate),
        ReconLine("cap_together", -result.reduced_by, "rule", rule, rate=result.cap.annual_rate),
        ReconLine("cost_set_off", -min(set_off, lawful.principal), "rule", rule),
    ]


def compute_claim(
    terms: LoanTerms,
    instalments: Iterable[InstalmentDue],
    payments: Iterable[Payment],
    *,
    as_of: date,
    lender_type: LenderType | str,
    formation_date: date,
    lpr_table: LprTable | None = None,
    licensed_cap: Rate = DEFAULT_LICENSED_CAP,
    accelerate: bool = True,
    accelerated_on: date | None = None,
    waivers: Iterable[Waiver] = (),
    agreement: AgreementTerms | None = None,
    cap: Cap | None = None,
    court_fees: bool = True,
) -> Claim:
    """The claim as of `as_of`. Without an agreement: the contract, with acceleration (default at
    as_of) making the whole principal due; without acceleration only principal already due is
    claimed. With a signed agreement: its acknowledged debt from its date, accelerated at
    `accelerated_on` (the day after the cure deadline), or hypothetically at as_of.

    `cap`: the cap to apply instead of the CN cap for the lender type (a non-binding one for a
    US case); `court_fees`: whether the CN court-fee table applies (not to a US case)."""
    return _compute(terms, instalments, payments, as_of=as_of, lender_type=lender_type,
                    formation_date=formation_date, lpr_table=lpr_table, licensed_cap=licensed_cap,
                    accelerate=accelerate, accelerated_on=accelerated_on, waivers=waivers, agreement=agreement,
                    cap=cap, court_fees=court_fees, due_now=True)


def compute_reconciliation(
    terms: LoanTerms,
    instalments: Iterable[InstalmentDue],
    payments: Iterable[Payment],
    *,
    as_of: date,
    lender_type: LenderType | str,
    formation_date: date,
    licensed_cap: Rate = DEFAULT_LICENSED_CAP,
    accelerated_on: date | None = None,
    agreement: AgreementTerms | None = None,
    cap: Cap | None = None,
    court_fees: bool = True,
) -> tuple[ReconLine, ...]:
    """``compute_claim(...).reconciliation`` (same arguments, accelerated), without the second
    computation a claim not yet accelerated makes of what is due now (``Claim.due_now``), on which
    the lines do not depend: half the work, for a notice that only states a line (the demand
    letter's set-off against principal)."""
    return _compute(terms, instalments, payments, as_of=as_of, lender_type=lender_type,
                    formation_date=formation_date, lpr_table=None, licensed_cap=licensed_cap,
                    accelerate=True, accelerated_on=accelerated_on, waivers=(), agreement=agreement, cap=cap,
                    court_fees=court_fees, due_now=False).reconciliation


def _compute(terms: LoanTerms, instalments: Iterable[InstalmentDue], payments: Iterable[Payment], *, as_of: date,
             lender_type: LenderType | str, formation_date: date, lpr_table: LprTable | None, licensed_cap: Rate,
             accelerate: bool, accelerated_on: date | None, waivers: Iterable[Waiver],
             agreement: AgreementTerms | None, cap: Cap | None, court_fees: bool, due_now: bool) -> Claim:
    """``compute_claim``; without `due_now` a claim not accelerated by as_of leaves out what is
    due now (its ``due_now`` reads as accelerated: for the reconciliation alone, never returned)."""
    rows, pays, cuts = list(instalments), list(payments), list(waivers)
    if cap is None:
        cap = cap_for(lender_type, formation_date, licensed_cap=licensed_cap, lpr_table=lpr_table, filed_on=as_of)
    if agreement is not None:
        return _agreement_claim(terms, rows, pays, cuts, cap, agreement, as_of=as_of, accelerated_on=accelerated_on,
                                court_fees=court_fees, due_now=due_now)
    accel = (accelerated_on or as_of) if accelerate else None
    c = _contract(terms, rows, pays, cuts, cap, as_of=as_of, accelerated_on=accel)
    result = apply_cap(c.lawful, c.lawful_terms, cap, as_of=as_of)
    lawful = _claimable(c.lawful)
    claimed = _finish(lawful, result.capped, result.set_off)
    lines = _contract_lines(_claimable(c.contractual), lawful, result, result.set_off)
    claim = _claim(as_of, c.lawful.accelerated_on, "contract", claimed, _claimable(c.contractual), lines, cap,
                   result, claimed_set_off(lawful, result.set_off), c, None, terms,
                   tuple(_row(p, as_of) for p in c.lawful.positions), court_fees=court_fees)
    if not due_now or not accelerate or (accelerated_on is not None and accelerated_on <= as_of):
        return claim
    # not accelerated by as_of: the same computation without acceleration is what is due now
    due = compute_claim(terms, rows, pays, as_of=as_of, lender_type=lender_type, formation_date=formation_date,
                        accelerate=False, waivers=cuts, cap=cap, court_fees=False)
    return replace(claim, due_now=due.claimed_total,
                   due=Parts(due.principal, due.interest, due.penalty, due.compound, due.fees))


def claimed_set_off(parts: Parts, set_off: Decimal) -> Decimal:
    return min(set_off, parts.principal)


ALWAYS_SHOWN = ("contract", "acknowledged", "paid_under_plan")


def _claim(as_of: date, accel: date | None, basis: Basis, claimed: Parts, contractual: Parts,
           lines: list[ReconLine], cap: Cap, result: CapResult, set_off: Decimal, c: _Contract,
           position: AgreementPosition | None, terms: LoanTerms, rows: tuple[ClaimRow, ...], *,
           court_fees: bool) -> Claim:
    counted = sum((ln.amount for ln in lines if not ln.info), ZERO)
    if counted != claimed.total:
        raise AssertionError(f"the reconciliation adds up to {counted}, the claim to {claimed.total}")
    accrues_from = max(as_of, accel) if basis == "agreement" and accel else as_of
    return Claim(
        as_of=as_of, accelerated_on=accel, basis=basis, principal=claimed.principal, interest=claimed.interest,
        penalty=claimed.penalty, compound=claimed.compound, fees=claimed.fees, claimed_total=claimed.total,
        contractual=contractual, reconciliation=tuple(ln for ln in lines if ln.amount or ln.key in ALWAYS_SHOWN),
        cap=cap, cap_result=result, set_off=set_off, ledger=c.lawful, contract_ledger=c.contractual,
        agreement=position,
        continuing=ContinuingInterest(base=claimed.principal, annual_rate=continuing_rate(terms, cap),
                                      from_date=accrues_from + timedelta(days=1), day_basis=terms.day_basis),
        court_fee=compute_court_fee(claimed.total, preservation_amount=claimed.total) if court_fees else None,
        rows=rows,
    )


def continuing_rate(terms: LoanTerms, cap: Cap) -> Rate:
    """The contract's overdue rate, at most the cap in force now (when one binds)."""
    return min(terms.penalty_rate, cap.annual_rate) if cap.binding else terms.penalty_rate


def _position_parts(position: AgreementPosition) -> Parts:
    out = position.outstanding
    return Parts(out[Component.PRINCIPAL], out[Component.INTEREST], out[Component.PENALTY], ZERO,
                 out[Component.FEE])


def _lawful_acknowledged(agreement: AgreementTerms, lawful: Ledger) -> dict[Component, Decimal]:
    """No more than the lawful contract ledger at the acknowledgement, component by component
    (an acknowledgement does not make interest above the cap owing, 民间借贷规定 art. 27)."""
    limits = {Component.PRINCIPAL: lawful.outstanding_principal, Component.INTEREST: lawful.overdue_interest,
              Component.PENALTY: lawful.penalty + lawful.compound, Component.FEE: lawful.overdue_fee}
    return {c: min(v, limits[c]) for c, v in agreement.acknowledged.items()}


def _agreement_claim(terms: LoanTerms, rows: list[InstalmentDue], payments: list[Payment], waivers: list[Waiver],
                     cap: Cap, agreement: AgreementTerms, *, as_of: date, accelerated_on: date | None,
                     court_fees: bool, due_now: bool = True) -> Claim:
    ack_on = agreement.acknowledged_on
    c, lawful_terms = _lawful_plan(terms, rows, payments, waivers, cap, agreement)
    accel = _after_acknowledgement(accelerated_on or as_of, ack_on)
    on = max(as_of, accel)  # before acceleration: what falls due on it, with the payments made so far
    pays = [p for p in payments if p.value_date <= as_of]
    contractual_position = agreement_position(agreement, pays, as_of=on, accelerated_on=accel)
    position = agreement_position(lawful_terms, pays, as_of=on, accelerated_on=accel)
    lawful = _position_parts(position)
    result = _agreement_cap(c, position, lawful, cap, on)
    claimed = _finish(lawful, result.capped, result.set_off)
    lines = _agreement_lines(agreement, lawful_terms, c, position, result, claimed_set_off(lawful, result.set_off),
                             as_of)
    contractual = _position_parts(contractual_position)
    # the period the cut covers: the plan period where the agreement's own interest ran above the
    # cap, else only the default penalty's, from the acceleration (review CN-00012: §四 dated a
    # penalty excess of 10-03..12-06 from the acknowledgement, 3-20)
    above = cap.binding and agreement.suspended_rate > cap.rate_on(agreement.acknowledged_on)
    lines = _with_plan_rate_cut(lines, contractual.total - claimed.total, result.cap,
                                agreement.acknowledged_on if above else accel, on)
    claim = _claim(as_of, position.accelerated_on, "agreement", claimed, contractual,
                   lines, cap, result, claimed_set_off(lawful, result.set_off), c, position, terms, (),
                   court_fees=court_fees)
    if not due_now or (accelerated_on is not None and accelerated_on <= as_of):
        return claim
    # before acceleration what is due now is the plan instalments past due at as_of
    now = agreement_position(lawful_terms, pays, as_of=as_of, accelerated_on=None)
    return replace(claim, due_now=sum((i.outstanding for i in now.instalments if i.due_date <= as_of), ZERO))


def _lawful_plan(terms: LoanTerms, rows: list[InstalmentDue], payments: list[Payment], waivers: list[Waiver],
                 cap: Cap, agreement: AgreementTerms) -> tuple[_Contract, AgreementTerms]:
    """The contract at the acknowledgement, and the agreement's terms the claim applies: the
    acknowledged amounts and rates at most the cap (``_lawful_agreement``)."""
    c = _contract(terms, rows, payments, waivers, cap, as_of=agreement.acknowledged_on, accelerated_on=None)
    return c, _lawful_agreement(agreement, c.lawful, cap, terms)


def _after_acknowledgement(accel: date, ack_on: date) -> date:
    """An acceleration date the agreement can take: at the earliest the day after its acknowledgement."""
    return accel if accel > ack_on else ack_on + timedelta(days=1)


def plan_payments(terms: LoanTerms, instalments: Iterable[InstalmentDue], payments: Iterable[Payment], *,
                  cap: Cap, agreement: AgreementTerms, as_of: date, accelerated_on: date | None) -> AgreementPosition:
    """Where each payment after the acknowledgement went under the agreement
    (``AgreementPosition.allocations``), on the terms the claim reconciles them on
    (``_agreement_claim``: the lawful agreement), so that their parts add up to its "paid under the
    plan" component by component; the payments up to `as_of`, the default clause applying from
    `accelerated_on` (None: not yet). Unlike the claim, a plan not accelerated by `as_of` is not
    treated as accelerated on it (the claim's "what falls due if accelerated"): a payment is
    applied as it was, not as it would be."""
    rows, pays = list(instalments), [p for p in payments if p.value_date <= as_of]
    _, lawful_terms = _lawful_plan(terms, rows, pays, [], cap, agreement)
    accel = _after_acknowledgement(accelerated_on, agreement.acknowledged_on) if accelerated_on is not None else None
    return agreement_position(lawful_terms, pays, as_of=as_of, accelerated_on=accel)


def interest_suspended_over_plan(terms: LoanTerms, instalments: Iterable[InstalmentDue], payments: Iterable[Payment],
                                agreement: AgreementTerms, cap: Cap) -> Decimal:
    """The contract interest 停息挂账 suspends for the plan period: from the acknowledgement to the
    plan's last due date, each instalment paid on its due date, on the terms the claim computes what
    revives on breach (_agreement_claim: the lawful terms, the rate at most the cap), so the
    agreement states the amount its default clause revives in full (0 for other kinds of plan)."""
    if agreement.suspended_rate <= 0:
        return ZERO
    ack_on = agreement.acknowledged_on
    c = _contract(terms, list(instalments), [p for p in payments if p.value_date <= ack_on], [], cap, as_of=ack_on,
                  accelerated_on=None)
    lawful = _lawful_agreement(agreement, c.lawful, cap, terms)
    on_time = [Payment(f"plan-{d.no}", d.due_date, d.amount) for d in agreement.instalments if d.amount > 0]
    last = max(d.due_date for d in agreement.instalments)
    return agreement_position(lawful, on_time, as_of=max(last, ack_on)).suspended_interest


def _lawful_agreement(agreement: AgreementTerms, lawful: Ledger, cap: Cap, terms: LoanTerms) -> AgreementTerms:
    if not cap.binding:
        return replace(agreement, day_basis=terms.day_basis)
    acknowledged = _lawful_acknowledged(agreement, lawful)
    ceiling = cap.rate_on(agreement.acknowledged_on)
    rate = agreement.default.penalty_rate
    # the rate at most the cap in force on each day (art. 31: a cap that changes after the acknowledgement)
    default = replace(agreement.default, penalty_rate=min(rate, ceiling),
                      rate_changes=tuple((day, min(rate, later)) for day, later in cap.changes_after(
                          agreement.acknowledged_on)))
    return replace(agreement, acknowledged=acknowledged, waived=min(agreement.waived, sum(acknowledged.values(), ZERO)),
                   suspended_rate=min(agreement.suspended_rate, ceiling), default=default,
                   day_basis=terms.day_basis)


def _agreement_cap(c: _Contract, position: AgreementPosition, lawful: Parts, cap: Cap, on: date) -> CapResult:
    """The components together over the loan's life: the contract's allowance and cost paid up to
    the acknowledgement, then the agreement's (principal over time; cost paid under it)."""
    if not cap.binding:
        return uncapped(cap, CostParts(lawful.interest, lawful.penalty, lawful.compound, lawful.fees))
    before = apply_cap(c.lawful, c.lawful_terms, cap, as_of=c.lawful.as_of)
    steps = position.principal_after
    days, weighted = ZERO, Decimal(0)
    for (day, balance), (nxt, _) in zip(steps, [*steps[1:], (on, ZERO)], strict=True):
        span = (max(nxt, day) - day).days
        days += balance * span
        weighted += balance * span * cap.rate_on(day)
    weighted += before.principal_rate_days  # divided once: the halves rounded apart can lose a cent
    gross = round_money(weighted / c.terms.day_basis)
    paid_cost = sum((v for k, v in position.paid.items() if k is not Component.PRINCIPAL), ZERO)
    paid = before.cost_paid + paid_cost
    contractual = CostParts(lawful.interest, lawful.penalty, lawful.compound, lawful.fees)
    allowed = max(gross - paid, ZERO)
    capped = cut_parts(contractual, max(contractual.total - allowed, ZERO))
    reduced, set_off = contractual.total - capped.total, max(paid - gross, ZERO)
    notes = tuple(n for n in (f"claimable cost cut by {reduced} to the {cap.rule_id} cap" if reduced else "",
                              f"cost paid beyond the cap allowance by {set_off}: set against principal"
                              if set_off else "") if n)
    return CapResult(cap=cap, contractual=contractual, capped=capped, contract_cost=contractual.total,
                     principal_days=before.principal_days + days, gross_allowance=gross, cost_paid=paid,
                     allowed_cost=allowed, overdue_principal_days=before.overdue_principal_days,
                     overdue_allowance=before.overdue_allowance, overdue_cost=before.overdue_cost,
                     reduced_by=reduced, set_off=set_off, notes=notes, principal_rate_days=weighted,
                     principal_spans=_agreement_spans(before.principal_spans, steps, on))


def _agreement_spans(before: tuple[PrincipalSpan, ...], steps: Sequence[tuple[date, Decimal]], on: date
                     ) -> tuple[PrincipalSpan, ...]:
    """The contract's principal spans, then the agreement's balances (each from its day to the next)."""
    spans = before
    for (day, balance), (nxt, _) in zip(steps, [*steps[1:], (on, ZERO)], strict=True):
        spans = principal_spans(balance, day, (), max(nxt, day), spans)
    return spans


PLAN_CUTS = ("acknowledged_above_cap", "cap_together", "cost_set_off")


def _with_plan_rate_cut(lines: list[ReconLine], reduced: Decimal, cap: Cap, ack_on: date, end: date
                        ) -> list[ReconLine]:
    """The part of the reduction no counted line shows: plan-period interest and the default
    penalty run at the cap instead of the agreement's rates. An info line, so that every cent
    between the agreement's own terms and the claim is accounted for."""
    shown = -sum((ln.amount for ln in lines if ln.key in PLAN_CUTS), ZERO)
    rest = reduced - shown
    if not rest or not cap.binding:
        return lines
    at = next((i for i, ln in enumerate(lines) if ln.key == "cap_together"), len(lines))
    cut = ReconLine("rate_cap_plan", -rest, "rule", cap.rule_id, start=ack_on, end=end, rate=cap.annual_rate,
                    info=True)
    return [*lines[:at], cut, *lines[at:]]


def _first_day(after: date | None, end: date) -> date | None:
    """The first day an accrual counts (a day counts from the day after its start event, as the
    ledger counts it and the breach notice states it: 起算日), so that "from X to Y" covers
    exactly the days charged; the end itself when no day is charged yet."""
    return None if after is None else min(after + timedelta(days=1), end)


def _agreement_lines(signed: AgreementTerms, lawful: AgreementTerms, c: _Contract, position: AgreementPosition,
                     result: CapResult, set_off: Decimal, as_of: date) -> list[ReconLine]:
    rule, clause = result.cap.rule_id, str(signed.default.clause_no)
    ack_on, accel = signed.acknowledged_on, position.accelerated_on
    contract_total = c.contractual.total_outstanding
    lawful_total = c.lawful.total_outstanding
    held = sum(lawful.waiver_split().values(), ZERO)
    # interest (suspended, or the contract's to come) runs up to and including the day before
    # the acceleration date; the default penalty from the acceleration date, its first day
    interest_to = accel - timedelta(days=1) if accel else position.as_of
    return [
        ReconLine("contract", contract_total, "contract", "", end=ack_on, info=True),
        ReconLine("rate_cap", lawful_total - contract_total, "rule", rule, end=ack_on, info=True,
                  rate=result.cap.rate_on(ack_on) if result.cap.binding else None),
        ReconLine("acknowledged", signed.acknowledged_total, "agreement", str(signed.acknowledgement_clause),
                  end=ack_on),
        ReconLine("acknowledged_above_cap", lawful.acknowledged_total - signed.acknowledged_total, "rule", rule,
                  end=ack_on),
        ReconLine("waiver_held", -held, "agreement", str(signed.waiver_clause), end=ack_on),
        # never acknowledged, so it takes nothing away: the contract interest to come the agreement
        # waives on condition (its interest clause), held while the plan runs
        ReconLine("interest_waiver_held", position.interest_waiver_held, "agreement",
                  str(signed.interest_clause), end=ack_on, info=True),
        ReconLine("paid_under_plan", -position.paid_total, "payments", "", start=ack_on, end=as_of,
                  count=position.payments),
        # what the agreement waived of the debt it acknowledged: the amounts up to the signing day,
        # revived (not accrued) by the default, so the line covers the days the waived amounts did
        ReconLine("revived_waiver", position.revived_waiver, "agreement", clause, end=ack_on),
        ReconLine("revived_interest", position.revived_interest, "agreement", clause,
                  start=_first_day(ack_on, interest_to), end=interest_to, rate=lawful.suspended_rate,
                  item=signed.suspended_item or None),
        # the contract interest to come, as the contract would charge it accelerated on that day
        ReconLine("revived_interest_waiver", position.revived_interest_waiver, "agreement", clause,
                  end=interest_to),
        ReconLine("default_penalty", position.penalty, "agreement", clause,
                  start=accel, end=position.as_of, rate=lawful.default.rate_on(accel) if accel else None,
                  item=signed.default.rate_item or None),
        ReconLine("cap_together", -result.reduced_by, "rule", rule, rate=result.cap.annual_rate),
        ReconLine("cost_set_off", -set_off, "rule", rule),
    ]
