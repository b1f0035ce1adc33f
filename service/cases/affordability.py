"""PLAN-05: a plan instalment above the borrower's recorded monthly income (or the rule's share of
it) is flagged, by name, when the plan is recorded and when its agreement is generated. A warning,
never a refusal: the borrower may pay from savings or with family help, and the person who agrees
the plan decides."""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from service.cases.casefile import CaseFile
from service.cases.enums import PlanStatus
from service.cases.models import RepaymentPlan
from service.cases.rules import RuleSet, load_ruleset
from service.core.errors import Violation

RULE = "PLAN-05"


def income_warnings(rules: RuleSet, *, ref: str, monthly_income: Decimal | None,
                    instalments: Iterable[tuple[int, date, Decimal]]) -> list[Violation]:
    """One warning for the first instalment (no, due date, amount) above the line; none while the
    income is not recorded or the profile has no such rule."""
    if monthly_income is None or not rules.has(RULE):
        return []
    share = Decimal(str(rules.param(RULE, "share")))
    line = monthly_income * share
    over = next(((no, due, amount) for no, due, amount in instalments if amount > line), None)
    if over is None:
        return []
    no, due, amount = over
    return [rules.rule(RULE).refuse("PLAN-05.income", ref=ref, no=no, amount=f"{amount:,.2f}", due=due.isoformat(),
                                    share=f"{share:.0%}", income=f"{monthly_income:,.2f}")]


def plan_warnings(cf: CaseFile, plan: RepaymentPlan | None = None) -> list[Violation]:
    """PLAN-05 for `plan` (default: the case's latest plan not superseded, draft or signed: the one its
    repayment agreement states)."""
    plans = [p for p in cf.plans if p.status is not PlanStatus.SUPERSEDED]
    plan = plan if plan is not None else plans[-1] if plans else None
    if plan is None:
        return []
    return income_warnings(load_ruleset(cf.case.profile), ref=plan.agreement_no,
                           monthly_income=cf.borrower.monthly_income,
                           instalments=[(i.no, i.due_date, i.amount) for i in plan.instalments])
