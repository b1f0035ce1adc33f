"""Notices about a signed repayment plan: the next instalment, and the breach of the plan."""

from collections.abc import Mapping
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Self

from pydantic import computed_field, model_validator

from service.cases.claim import Claim
from service.cases.plans import PlanPosition, cure_deadline, plan_position
from service.core.errors import InvalidInput
from service.documents.contexts import samples
from service.documents.contexts.common import AcknowledgedSplit, CapQuote, CreditSystemBlock, DocMeta, Frozen, Required
from service.documents.contexts.facts import CaseFacts
from service.documents.contexts.notices import NoticeContext, credit_blocks, sample_credit_blocks
from service.documents.contexts.record import grace_end

D = Decimal


class PlanLine(Frozen):
    no: int
    due_date: date
    amount: Decimal
    paid: Decimal
    days_late: int

    @property
    def outstanding(self) -> Decimal:
        return self.amount - self.paid

    @property
    def is_run(self) -> bool:  # a row of its own (PlanRun is the collapsed one)
        return False


class PlanRun(Frozen):
    """Consecutive instalments shown as one row of a reminder's schedule: those paid in full
    before the next one, or those still to come after it. Their numbers, first and last due
    dates, and what falls due and was paid on them."""

    first_no: int
    last_no: int
    first_due: date
    last_due: date
    amount: Decimal
    paid: Decimal

    @property
    def is_run(self) -> bool:
        return True

    @property
    def count(self) -> int:
        return self.last_no - self.first_no + 1

    @property
    def paid_in_full(self) -> bool:
        return self.paid >= self.amount

    @classmethod
    def of(cls, lines: "list[PlanLine]") -> Self:
        return cls(first_no=lines[0].no, last_no=lines[-1].no, first_due=lines[0].due_date,
                   last_due=lines[-1].due_date, amount=sum((x.amount for x in lines), D("0.00")),
                   paid=sum((x.paid for x in lines), D("0.00")))


class PlanBlock(Frozen, AcknowledgedSplit):
    """The agreement as signed and where it stands at as-of. The acknowledged debt is what the
    borrower confirmed owing when signing (民法典 art. 195); the waiver, if conditional, revives
    on breach."""

    agreement_no: str
    plan_type: str  # extension | instalments | interest_suspension | partial_waiver
    signed_date: date
    ack_principal: Decimal
    ack_interest: Decimal
    ack_penalty: Decimal
    ack_fees: Decimal
    waived_amount: Decimal
    waiver_conditional: bool
    grace_days: int
    cure_days: int
    lines: tuple[PlanLine, ...]
    paid: Decimal
    # of ack_principal: not yet due under the loan contract (the agreement's Art. 1 states it apart)
    principal_not_due: Decimal = D("0.00")

    @property
    def acknowledged(self) -> Decimal:
        return self.ack_principal + self.ack_interest + self.ack_penalty + self.ack_fees

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), D("0.00"))

    @property
    def remaining(self) -> Decimal:
        return self.total - self.paid

    @property
    def settle_days(self) -> int:
        """Days from an instalment's due date by which the agreement's default clause lets a default
        be cured once notified in writing (the grace period, then the cure period)."""
        return self.grace_days + self.cure_days

    @property
    def next_line(self) -> PlanLine | None:
        return next((line for line in self.lines if line.outstanding > 0), None)

    def shown(self, ahead: int) -> list[PlanLine | PlanRun]:
        """The lines as a reminder shows them, on one page however long the plan: those paid in
        full before the next instalment as one row; the next instalment and the `ahead` - 1 after
        it, and every later one already overdue, a row each; then those still to come as one row,
        their count and total, with what was paid on them (a 36-instalment reminder listing every
        one ran to two pages). A run of one line stays a line."""
        upcoming = self.next_line
        if upcoming is None:
            return list(self.lines)
        at = self.lines.index(upcoming)
        rest = self.lines[at:]
        count = max([ahead, *(k + 1 for k, line in enumerate(rest) if line.days_late > 0)])
        return [*_run(list(self.lines[:at])), *rest[:count], *_run(list(rest[count:]))]

    @classmethod
    def of(cls, plan: Any, position: PlanPosition) -> Self:
        lines = tuple(PlanLine(no=ln.no, due_date=ln.due_date, amount=ln.amount, paid=ln.paid, days_late=ln.days_late)
                      for ln in position.lines)
        return cls(agreement_no=plan.agreement_no, plan_type=plan.plan_type, signed_date=plan.signed_date,
                   ack_principal=plan.ack_principal, ack_interest=plan.ack_interest, ack_penalty=plan.ack_penalty,
                   ack_fees=plan.ack_fees, waived_amount=plan.waived_amount, waiver_conditional=plan.waiver_conditional,
                   grace_days=plan.grace_days, cure_days=plan.cure_days, lines=lines, paid=position.paid,
                   principal_not_due=plan.principal_not_due or D("0.00"))


class AccelerationBlock(Frozen):
    """What the agreement's default clause makes due, from the case's one claim computation at
    the notice's date (``facts.claim``): the acceleration date, the total and its parts, and the
    lines that explain it (waiver and suspended interest revived, penalty since acceleration)."""

    on: date  # the day the balance is (or was) accelerated: the day after the cure deadline
    passed: bool  # the acceleration date is on or before the notice's date
    default_clause: int
    total: Decimal  # = the claim's claimed total at the notice's date
    principal: Decimal
    interest: Decimal
    penalty: Decimal  # penalty and compound interest, and fees
    paid_under_plan: Decimal
    acknowledged_above_cap: Decimal  # acknowledged beyond the lawful amount: not claimed
    revived_waiver: Decimal
    revived_interest: Decimal
    default_penalty: Decimal  # accrued from the acceleration to the notice's date
    # the contract interest to come the agreement waived on condition, as far as it revives
    revived_interest_waiver: Decimal = D("0.00")
    continuing_base: Decimal
    continuing_rate: Decimal
    continuing_from: date
    compound: Decimal = D("0.00")  # of `penalty`: what its label names
    fees: Decimal = D("0.00")
    # the plan's last due date where it is on or before `on`: the whole balance is due by then
    # without any acceleration (已全部到期), and `on` is only the day the default clause applies
    matured_on: date | None = None
    # the loan contract's clause giving the rate of the continuing interest, as the contract cites it
    # (the clause the agreement's default clause applies again; the court documents cite the same)
    penalty_clause: str = ""
    # the rate that clause states (the contract's penalty rate) and the cap it is held to: a notice
    # quotes the clause's own rate, disclaiming the part above the cap (issue 8 §2), not the cap as the clause's
    contract_rate: Decimal = D("0.00")
    cap: CapQuote | None = None
    # the revived waiver by component (principal, interest, penalty, fee), as the waiver held them;
    # empty when none revived or the split is not the amount revived
    revived_waiver_parts: tuple[tuple[str, Decimal], ...] = ()

    @property
    def parts(self) -> tuple[tuple[str, Decimal], ...]:
        """`total` in parts that add up to it, each amount once (review US-00010: "Interest $673.92"
        beside "Suspended interest $673.92" read as $1,347.84 of interest): what the default clause
        revives (the suspended interest, the waived loan interest, the reduction lost) apart from the
        principal, interest and default interest it is part of. Where a payment since took part of
        what revived, the components alone (keys principal, interest, penalty), with the revived
        amounts as "incl." lines (keys incl_*), which add nothing."""
        waiver = dict(self.revived_waiver_parts)
        principal = self.principal - waiver.get("principal", D("0.00"))
        interest = self.interest - self.revived_interest - self.revived_interest_waiver - waiver.get("interest", D("0"))
        penalty = self.penalty - waiver.get("penalty", D("0.00")) - waiver.get("fee", D("0.00"))
        split = (not self.revived_waiver or bool(waiver)) and min(principal, interest, penalty) >= 0
        revived = (("revived_interest", self.revived_interest),
                   ("revived_interest_waiver", self.revived_interest_waiver), ("revived_waiver", self.revived_waiver))
        if split:
            found = [("principal", principal), ("interest", interest), *revived, ("penalty", penalty)]
        else:
            found = [("principal", self.principal), ("interest", self.interest), ("penalty", self.penalty),
                     *((f"incl_{key}", amount) for key, amount in revived)]
        return tuple((key, amount) for key, amount in found if amount or key == "principal")

    @model_validator(mode="after")
    def _parts_add_up(self) -> Self:
        counted = sum((amount for key, amount in self.parts if not key.startswith("incl_")), D("0.00"))
        if counted != self.total:
            raise ValueError(f"the parts of the amount due on acceleration add up to {counted}, not {self.total}")
        return self

    @classmethod
    def of(cls, claim: Claim, clause_refs: Mapping[str, Any] | None = None, *, contract_rate: Decimal = D("0.00"),
           cap: CapQuote | None = None) -> Self:
        """`clause_refs`: the loan contract's, where the clause the claim names is looked up."""
        position = claim.agreement
        if position is None or position.accelerated_on is None:
            raise InvalidInput.one("kind", "the case's claim does not rest on a breached repayment agreement")

        def line(key: str) -> Decimal:
            found = claim.line(key)
            return found.amount if found is not None else D("0.00")

        last_due = max(i.due_date for i in position.terms.instalments)
        split = {str(c): v for c, v in position.terms.waiver_split().items() if v}
        waiver_parts = tuple(split.items()) if position.revived_waiver and sum(split.values(), D("0.00")) == \
            position.revived_waiver else ()
        return cls(on=position.accelerated_on, passed=position.accelerated_on <= claim.as_of,
                   matured_on=last_due if last_due <= position.accelerated_on else None,
                   default_clause=position.terms.default.clause_no, total=claim.claimed_total,
                   principal=claim.principal, interest=claim.interest,
                   penalty=claim.penalty + claim.compound + claim.fees, paid_under_plan=-line("paid_under_plan"),
                   acknowledged_above_cap=-line("acknowledged_above_cap"), revived_waiver=line("revived_waiver"),
                   revived_interest=line("revived_interest"), default_penalty=line("default_penalty"),
                   revived_interest_waiver=line("revived_interest_waiver"),
                   continuing_base=claim.continuing.base, continuing_rate=claim.continuing.annual_rate,
                   continuing_from=claim.continuing.from_date, compound=claim.compound, fees=claim.fees,
                   penalty_clause=str((clause_refs or {}).get(position.terms.default.rate_clause, "")),
                   contract_rate=contract_rate, cap=cap, revived_waiver_parts=waiver_parts)


def _run(lines: list[PlanLine]) -> list[PlanLine | PlanRun]:
    return [PlanRun.of(lines)] if len(lines) > 1 else list(lines)


def _plan_of(facts: CaseFacts) -> PlanBlock:
    plan = facts.cf.current_plan
    if plan is None:
        raise InvalidInput.one("kind", "the case has no signed repayment plan")
    return PlanBlock.of(plan, plan_position(plan, facts.cf.payments, facts.as_of))


def sample_plan(as_of: date, *, breached: bool) -> PlanBlock:
    signed = as_of - timedelta(days=75)
    amounts = [D("1500.00")] * 6
    lines, paid = [], D("0.00")
    for i, amount in enumerate(amounts):
        due = signed + timedelta(days=30 * (i + 1))
        settled = amount if due < as_of - timedelta(days=20) or (not breached and due < as_of) else D("0.00")
        late = (as_of - due).days if settled < amount and due < as_of else 0
        lines.append(PlanLine(no=i + 1, due_date=due, amount=amount, paid=settled, days_late=max(late, 0)))
        paid += settled
    return PlanBlock(agreement_no="HXCF-RA-2026-000317", plan_type="partial_waiver", signed_date=signed,
                     ack_principal=D("8912.47"), ack_interest=D("775.03"), ack_penalty=D("1075.78"),
                     ack_fees=D("0.00"), waived_amount=D("1763.28"), waiver_conditional=True,
                     grace_days=5, cure_days=15, lines=tuple(lines), paid=paid)


class PlanReminderContext(NoticeContext):
    """还款提醒: the next instalment of an active plan and the balance left. When that instalment's
    due date has passed (a late instalment still inside the grace period), the reminder says so and
    names the last day of grace instead of asking for payment "before the due date"."""

    PRINTS_ACCOUNT = True

    plan: PlanBlock
    next_line: PlanLine
    overdue: bool  # the next instalment's due date is before as-of
    grace_end: date  # the last day it can be paid without breaching the plan

    def required(self) -> list[Required]:
        return [*self.base_required(), Required(label="agreement", text=self.plan.agreement_no),
                Required(label="next_amount", text=self.money(self.next_line.outstanding)),
                Required(label="next_due", text=self.day(self.next_line.due_date)),
                Required(label="remaining", text=self.money(self.plan.remaining))]

    @classmethod
    def build(cls, facts: CaseFacts, doc: DocMeta) -> Self:
        plan = _plan_of(facts)
        if plan.next_line is None:
            raise InvalidInput.one("kind", "every instalment of the plan is paid: nothing to remind of")
        line = plan.next_line
        return cls(**cls.blocks(facts, doc), plan=plan, next_line=line, overdue=line.due_date < doc.as_of,
                   grace_end=grace_end(line.due_date, plan.grace_days, facts.rules))

    @classmethod
    def sample(cls, doc: DocMeta) -> Self:
        plan = sample_plan(doc.as_of, breached=False)
        line = plan.next_line
        assert line is not None
        return cls(**cls.sample_blocks(doc), plan=plan, next_line=line, overdue=line.due_date < doc.as_of,
                   grace_end=grace_end(line.due_date, plan.grace_days, doc.rules))


class BreachNoticeContext(NoticeContext):
    """违约及提前到期通知书: the missed instalments, the cure deadline and what follows."""

    PRINTS_ACCOUNT = True

    plan: PlanBlock
    missed: tuple[PlanLine, ...]
    cure_deadline: date
    acceleration: AccelerationBlock  # the one claim computation at the notice's date
    credit_system: CreditSystemBlock | None  # CN-31: None when the lender reports to no credit system
    prenotice_date: date | None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def missed_total(self) -> Decimal:
        return sum((line.outstanding for line in self.missed), D("0.00"))

    def stated_debt(self) -> Decimal:
        return self.acceleration.total  # what falls due on acceleration

    def stated_debt_on(self) -> date | None:
        """Before the acceleration date the notice states the balance of that day (its default
        interest included), not of its own date (review US-00010: $748.18 "then due" on October
        21 recorded as of the notice's October 6)."""
        return None if self.acceleration.passed else self.acceleration.on

    def required(self) -> list[Required]:
        found = [*self.base_required(), Required(label="agreement", text=self.plan.agreement_no),
                 Required(label="missed_total", text=self.money(self.missed_total)),
                 Required(label="cure_deadline", text=self.day(self.cure_deadline)),
                 Required(label="due_on_acceleration", text=self.money(self.acceleration.total)),
                 Required(label="accelerated_on", text=self.day(self.acceleration.on))]
        found += [Required(label="missed_due", text=self.day(line.due_date)) for line in self.missed]
        return found

    @classmethod
    def build(cls, facts: CaseFacts, doc: DocMeta) -> Self:
        plan = _plan_of(facts)
        rolls = facts.rules.jurisdiction.rest_day_periods
        missed = tuple(line for line in plan.lines  # unpaid past the grace period's last day
                       if line.due_date + timedelta(days=line.days_late)
                       > grace_end(line.due_date, plan.grace_days, facts.rules))
        if not missed:
            raise InvalidInput.one("kind", f"no plan instalment is late beyond the {plan.grace_days}-day grace period")
        open_breach = [b for b in facts.cf.breaches if b.cured_on is None]
        deadline = (open_breach[-1].cure_deadline if open_breach
                    else cure_deadline(missed[0].due_date, plan.grace_days, plan.cure_days, rolls=rolls))
        return cls(**cls.blocks(facts, doc), plan=plan, missed=missed, cure_deadline=deadline,
                   acceleration=AccelerationBlock.of(facts.claim, facts.cf.contract.clause_refs,
                                                     contract_rate=facts.cf.contract.penalty_rate,
                                                     cap=CapQuote.of(facts.cap)),
                   **credit_blocks(facts))

    @classmethod
    def sample(cls, doc: DocMeta) -> Self:
        plan = sample_plan(doc.as_of, breached=True)
        missed = tuple(line for line in plan.lines if line.days_late > plan.grace_days)
        deadline = cure_deadline(missed[0].due_date, plan.grace_days, plan.cure_days,
                                 rolls=doc.rules.jurisdiction.rest_day_periods)
        waived = plan.waived_amount if plan.waiver_conditional else D("0.00")
        acceleration = AccelerationBlock(
            on=deadline + timedelta(days=1), passed=False, default_clause=4, total=plan.remaining + waived,
            principal=plan.remaining + waived, interest=D("0.00"), penalty=D("0.00"), paid_under_plan=plan.paid,
            acknowledged_above_cap=D("0.00"), revived_waiver=waived, revived_interest=D("0.00"),
            default_penalty=D("0.00"), continuing_base=plan.remaining + waived, continuing_rate=D("0.24"),
            continuing_from=deadline + timedelta(days=2),
            penalty_clause=samples.loan(doc.profile).clause("penalty"),
            contract_rate=samples.loan(doc.profile).penalty_rate, cap=samples.loan(doc.profile).cap)
        return cls(**cls.sample_blocks(doc), plan=plan, missed=missed, cure_deadline=deadline,
                   acceleration=acceleration, **sample_credit_blocks(doc, timedelta(days=40)))
