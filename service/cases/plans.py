"""Where a repayment plan stands: which instalments are paid, late, or breached."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from service.cases.cn_calendar import period_end
from service.cases.models import Payment, RepaymentPlan

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class PlanLine:
    no: int
    due_date: date
    amount: Decimal
    paid: Decimal
    days_late: int  # 0 when paid in full or not yet due

    @property
    def outstanding(self) -> Decimal:
        return self.amount - self.paid


@dataclass(frozen=True)
class PlanPosition:
    lines: tuple[PlanLine, ...]
    total: Decimal
    paid: Decimal

    @property
    def all_paid(self) -> bool:
        return self.paid >= self.total

    def late_beyond(self, grace_days: int, *, rolls: bool) -> list[PlanLine]:
        """The lines unpaid past their grace period's last day (grace_end)."""
        return [line for line in self.lines
                if line.days_late > (grace_end(line.due_date, grace_days, rolls=rolls) - line.due_date).days]

    @property
    def next_due(self) -> PlanLine | None:
        return next((line for line in self.lines if line.outstanding > 0), None)


def plan_position(plan: RepaymentPlan, payments: list[Payment], as_of: date) -> PlanPosition:
    """Payments on or after signing, up to as_of, fill plan instalments oldest first."""
    start = plan.signed_date or plan.as_of_date
    pool = sum((p.amount for p in payments if start <= p.value_date <= as_of), ZERO)
    lines, total = [], ZERO
    for inst in plan.instalments:
        paid = min(pool, inst.amount)
        pool -= paid
        total += inst.amount
        late = (as_of - inst.due_date).days if paid < inst.amount and inst.due_date < as_of else 0
        lines.append(PlanLine(inst.no, inst.due_date, inst.amount, paid, max(late, 0)))
    return PlanPosition(tuple(lines), total, sum((ln.paid for ln in lines), ZERO))


def grace_end(due: date, grace_days: int, *, rolls: bool) -> date:
    """The last day an instalment due on `due` can be paid without breaching the plan (宽限期届满日):
    the grace days from the due date; `rolls` as for cure_deadline (民法典 art. 203)."""
    return period_end(due, grace_days, rolls=rolls)


def cure_deadline(due: date, grace_days: int, cure_days: int, *, rolls: bool) -> date:
    """The last day to cure a plan instalment due on `due`: the agreement's grace and cure days
    together, counted from the due date ("乙方应自应还日起N日内（宽限期…及纠正期…）付清").
    `rolls` (Jurisdiction.rest_day_periods): a last day on a rest day moves to the next working day
    (民法典 art. 203, cn_calendar.period_end); the plan records no term agreeing it does not
    (art. 204)."""
    return period_end(due, grace_days + cure_days, rolls=rolls)
