"""Repayment plans a visit may propose: one per plan type the lender offers (rule PLAN-02), each
covering the debt as the ledger states it on the day of the visit, so that the one the borrower
accepts is signed on the spot as the repayment agreement (POST /plans takes the same terms).

Pure: the ledger and the rule in, proposals out. The debt acknowledged is what ``create_plan``
acknowledges — all principal, overdue interest, penalty and compound, overdue fees — and a
proposal's instalments plus its waiver equal it exactly.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from service.cases.enums import PlanType
from service.cases.ledger import Ledger
from service.cases.rules import RuleSet
from service.cases.schedule import add_months, split_evenly

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class ProposedInstalment:
    no: int
    due_date: date
    amount: Decimal


@dataclass(frozen=True)
class Proposal:
    plan_type: PlanType
    as_of_date: date  # the debt is acknowledged as of the visit day
    ack_principal: Decimal
    ack_interest: Decimal
    ack_penalty: Decimal  # penalty and compound interest
    ack_fees: Decimal
    waived_amount: Decimal  # conditional on performance
    instalments: tuple[ProposedInstalment, ...]

    @property
    def acknowledged(self) -> Decimal:
        return self.ack_principal + self.ack_interest + self.ack_penalty + self.ack_fees

    @property
    def total(self) -> Decimal:
        return sum((i.amount for i in self.instalments), ZERO)


def _waivable(ledger: Ledger, parts: list[str]) -> Decimal:
    found = {"penalty": ledger.penalty, "compound": ledger.compound, "interest": ledger.overdue_interest,
             "fee": ledger.overdue_fee}
    return sum((found[p] for p in parts), ZERO)


def proposals(ledger: Ledger, rules: RuleSet, visit_day: date) -> list[Proposal]:
    """Every plan type PLAN-02 offers that fits the debt on `visit_day`, in the rule's order. A
    waiver is offered only when there is something to waive; nothing is proposed for no debt."""
    if ledger.total_outstanding <= ZERO:
        return []
    out = []
    for kind, offer in rules.rule("PLAN-02").params["offers"].items():
        waived = _waivable(ledger, list(offer.get("waive", [])))
        if offer.get("waive") and waived <= ZERO:
            continue
        count = int(offer["instalments"])
        months = int(offer.get("months", 1))
        amounts = split_evenly(ledger.total_outstanding - waived, count)
        lines = tuple(ProposedInstalment(k + 1, add_months(visit_day, months * (k + 1)), a)
                      for k, a in enumerate(amounts))
        out.append(Proposal(PlanType(kind), visit_day, ack_principal=ledger.outstanding_principal,
                            ack_interest=ledger.overdue_interest, ack_penalty=ledger.penalty + ledger.compound,
                            ack_fees=ledger.overdue_fee, waived_amount=waived, instalments=lines))
    return out
