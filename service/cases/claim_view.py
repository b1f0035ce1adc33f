"""The claim as plain data, shared by the API and the CLI so both show the same figures."""

from dataclasses import asdict
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from service.cases import accounts, overdue, rate_ceiling, us_law
from service.cases.casefile import CaseFile
from service.cases.claim import Claim, ReconLine
from service.cases.enums import CreditorRole, Direction, Outcome
from service.cases.itemization import itemization_of
from service.cases.ledger import Component
from service.cases.rules import load_ruleset
from service.core.errors import RuleViolation


def claim_view(cf: CaseFile, claim: Claim) -> dict[str, Any]:
    cap = claim.cap_result
    fee = claim.court_fee
    return {
        "case_ref": cf.case.ref,
        "as_of": claim.as_of,
        "accelerated_on": claim.accelerated_on,
        "currency": cf.contract.currency,
        "principal": claim.principal,
        "interest": claim.interest,
        "penalty": claim.penalty,
        "compound": claim.compound,
        "fees": claim.fees,
        "contractual_total": claim.contractual_total,
        "claimed_total": claim.claimed_total,
        # before acceleration the total is what would fall due on it: what is due now is apart
        "accelerated": claim.accelerated,
        "due_now": claim.due_now,
        "on_acceleration": claim.on_acceleration,
        # the governing schedule had matured before the recorded acceleration; `notes` say what
        # followed (accounts.effective_acceleration): on the contract the acceleration is ignored
        # (accelerated_on null, accelerated false); under a plan its default clause still applied
        # on accelerated_on (accelerated true: the whole balance due), advancing no instalment
        "matured_on": claim.matured_on,
        "notes": list(claim.notes),
        "profile": cf.case.profile,
        "basis": claim.basis,
        "reconciliation": [reconciliation_line(line) for line in claim.reconciliation],
        "agreement": agreement_view(claim),
        "cap": {
            "rule": cap.cap.rule_id,
            "binding": cap.cap.binding,  # false: no rate cap applies (a US case, US-18)
            "annual_rate": cap.cap.annual_rate if cap.cap.binding else None,
            "basis": cap.cap.basis_text_en,
            "basis_zh": cap.cap.basis_text_zh,
            # the cost on the contract's (or agreement's) own rates, before any cap: under an
            # agreement the cap result's is already at the capped rates (review CN-00012: the CLI
            # printed 2,055.90, the capped figure, as the contract's, beside a cut of 244.82)
            "contract_cost": claim.contractual.total - claim.contractual.principal
            if claim.agreement is not None else cap.contract_cost,
            "terms": claim.basis,  # whose own terms contract_cost is on
            # the cap's allowance over the loan's life (gross), the cost already paid, and what is
            # left to claim (allowed_cost = gross_allowance − cost_paid), as the claim statement §三 gives them
            "gross_allowance": cap.gross_allowance,
            "allowed_cost": cap.allowed_cost,
            "cost_paid": cap.cost_paid,
            "reduced_by": claim.reduced_by,
            "set_off": claim.set_off,
            "notes": list(cap.notes),
        },
        # US-20: the state's rate ceiling for the lender and the case's rates against it (None: CN)
        "rate_ceiling": rate_ceiling.view(load_ruleset(cf.case.profile), cf),
        # US-15 "judgment_interest": the state's rate on a judgment, after the contract rate (None: CN)
        "judgment_interest": judgment_interest_view(cf, claim),
        "continuing_interest": {
            "base": claim.continuing.base,
            "annual_rate": claim.continuing.annual_rate,
            "from_date": claim.continuing.from_date,
            "text_zh": claim.continuing.text_zh if fee is not None else None,
        },
        "court_fee": None if fee is None else {  # the CN fee table; none for a US case
            "amount": fee.amount,
            "full": fee.full,
            "halved": fee.halved,
            "preservation": fee.preservation,
            "payment_order": fee.payment_order,
            "basis": fee.basis_text_en,
            "brackets": [asdict(b) for b in fee.brackets],
        },
        # the basis the claim rests on (`basis`): under a repayment agreement its own figures, else
        # the contract's; overdue since the day the documents count from (the element form's 逾期时间)
        "ledger": ledger_view(cf, claim),
        # under a repayment agreement: the loan contract's ledger at the acknowledgement, where the
        # agreement took the debt over (None on the contract: `ledger` is the contract's)
        "contract_ledger": contract_ledger_view(claim),
        "rows": [asdict(r) for r in claim.rows],
        # US, a collector's case: the validation notice's itemization on the same day (None otherwise)
        "itemization": itemization_view(cf, claim),
    }


def ledger_view(cf: CaseFile, claim: Claim) -> dict[str, Any]:
    """Paid, principal outstanding and days past due on the claim's basis: under an agreement what was
    paid under it and its principal outstanding (the contract's history before it is in the agreement's
    acknowledged debt), else the contract ledger's. `overdue_from` is the governing schedule's first due
    date not paid in full, as the documents state it (``overdue.overdue_start_of`` on the facts record's
    ledger); `days_past_due` counts from it (review CN-00044: the contract's 54 days at the agreement
    were shown here beside an element form's 67 since the plan's first missed instalment)."""
    since = overdue.overdue_start_of(cf, claim.as_of, accounts.ledger_of(cf, claim.as_of))
    position = claim.agreement
    paid, principal = ((claim.ledger.paid_total, claim.ledger.outstanding_principal) if position is None
                       else (position.paid_total, position.outstanding[Component.PRINCIPAL]))
    return {"basis": claim.basis, "as_of": claim.as_of, "paid_total": paid, "outstanding_principal": principal,
            "overdue_from": since, "days_past_due": overdue.overdue_days(since, claim.as_of)}


def contract_ledger_view(claim: Claim) -> dict[str, Any] | None:
    """Under an agreement, the loan contract's (lawful) ledger the claim holds at the acknowledgement
    (``Claim.ledger``): its day, what was paid on the contract before the agreement, the principal
    then outstanding and the days its oldest unpaid instalment was then past due. None on the contract."""
    if claim.agreement is None:
        return None
    ledger = claim.ledger
    return {"as_of": ledger.as_of, "paid_total": ledger.paid_total,
            "outstanding_principal": ledger.outstanding_principal, "days_past_due": ledger.days_past_due}


def reconciliation_line(line: ReconLine) -> dict[str, Any]:
    """One line: `amount` is what it adds to the claimed total (`info` lines add nothing)."""
    return {k: v for k, v in asdict(line).items() if v is not None and v != ""}


def agreement_view(claim: Claim) -> dict[str, Any] | None:
    position = claim.agreement
    if position is None:
        return None
    terms = position.terms
    return {
        "agreement_no": terms.ref,
        "plan_type": terms.kind,
        "acknowledged_on": terms.acknowledged_on,
        "signed_date": terms.signed_date,
        "acknowledged": {c.value: v for c, v in terms.acknowledged.items()},
        "principal_not_due": terms.principal_not_due,  # of the acknowledged principal, as the agreement states
        "waived": terms.waived,
        "waiver_conditional": terms.waiver_conditional,
        # the contract interest to come the agreement waives on condition of performance (its
        # interest clause): held while the plan runs; revived on breach to the day before the acceleration date
        "interest_not_charged": terms.interest_waived_total,
        "interest_waiver_held": position.interest_waiver_held,
        "revived_interest_waiver": position.revived_interest_waiver,
        # where it comes from: each contract period's interest the agreement waived on condition and
        # its default clause revived, whole (fell due by the acceleration date) or for `days` from
        # `first_day` to `last_day` (the running period); they add up to revived_interest_waiver, and
        # with `not_revived` (the later periods, never charged) to interest_not_charged
        "revived_interest_periods": [{"no": r.period.no, "first_day": r.period.start, "last_day": r.last_day,
                                      "due_date": r.period.due_date, "days": r.days, "base": r.period.balance,
                                      "annual_rate": r.period.loan.annual_rate, "waived": r.period.amount,
                                      "revived": r.amount} for r in position.revived_interest_periods],
        "not_revived": terms.interest_waived_total - position.revived_interest_waiver
        if position.accelerated_on is not None else None,
        # the conditional waiver revived on breach, by the acknowledged component it held back
        "revived_waiver_parts": {c.value: v for c, v in terms.waiver_split().items() if v}
        if position.revived_waiver else {},
        "default_clause": terms.default.clause_no,
        "interest_clause": terms.interest_clause,
        "day_basis": terms.day_basis,
        "accelerated_on": position.accelerated_on,
        "paid": {c.value: v for c, v in position.paid.items()},
        "paid_total": position.paid_total,
        "unapplied": position.unapplied,
        "instalments": [{"no": i.no, "due_date": i.due_date, "amount": i.amount, "paid": i.paid,
                         "days_late": i.days_late} for i in position.instalments],
        # the default penalty's runs (the claim statement's rows): from `first_day` to `last_day`, both
        # counted, base × annual_rate × days ÷ day basis, rounded once; they add up to its default_penalty line
        "default_penalty_runs": [{"first_day": a.start + timedelta(days=1), "last_day": a.end, "days": a.days,
                                  "base": a.base, "annual_rate": a.rate, "amount": a.amount}
                                 for a in position.accruals],
    }


COLLECTOR_RULE = "US-14"  # a third-party debt collector sends the validation notice (12 CFR 1006.34)


def itemization_view(cf: CaseFile, claim: Claim) -> dict[str, Any] | None:
    """The itemization a validation notice dated as-of states (12 CFR 1006.34(c)(2)), with its
    "interest" split into the contract interest that fell due and the default (and compound)
    interest accrued, its current amount by component, and what the claim adds to each component
    (before acceleration: the running period's interest that falls due on acceleration), so each
    figure of the notice is traced to the claim's to the cent. Only where the lender is a debt
    collector (US-14: it sends the validation notice), and only while no signed payment plan
    governs the claim (PLAN-03: the notice itemizes the contract's ledger)."""
    if not load_ruleset(cf.case.profile).has(COLLECTOR_RULE) or cf.lender.creditor_role != CreditorRole.DEBT_COLLECTOR:
        return None
    if claim.agreement is not None:  # a signed plan governs: no notice itemizes the contract to this day (PLAN-03)
        return None
    it = itemization_of(cf, claim.as_of)
    current = {"principal": it.principal, "interest": it.interest_outstanding, "penalty": it.penalty_outstanding,
               "compound": it.compound_outstanding, "fees": it.fees_outstanding}
    claimed = {k: getattr(claim, k) for k in current}
    tz = ZoneInfo(cf.borrower.timezone)
    sent = [c.sent_at.astimezone(tz).date() for c in cf.communications
            if c.template_kind == "validation_notice" and c.direction == Direction.OUT
            and c.outcome in (Outcome.SENT, Outcome.DELIVERED)]
    return {
        "rule": "12 CFR 1006.34(c)(2)",
        "basis": it.basis,
        "on": it.on,
        "to": it.to,
        "amount_then": it.amount_then,
        "interest": it.interest,  # the notice's interest line
        "interest_due": it.since.interest_due,
        "penalty": it.since.penalty,
        "compound": it.since.compound,
        "fees": it.fees,
        "payments": it.payments,
        "current": it.current,
        "unapplied": it.unapplied,
        "current_parts": current,
        # the claim minus the notice's current amount, component by component
        "to_claim": {k: claimed[k] - current[k] for k in current},
        "claim_total": claim.claimed_total,
        "first_sent": min(sent) if sent else None,
    }


def judgment_interest_view(cf: CaseFile, claim: Claim) -> dict[str, Any] | None:
    """The rate a judgment on the claim would bear from its entry (the state's statute, measured by the
    claimed total), and what a lawyer should confirm; None where the profile has no state law."""
    rules = load_ruleset(cf.case.profile)
    if not rules.jurisdiction.state_law:
        return None
    try:
        found = us_law.judgment_interest(rules, cf.case.us_state, amount=claim.claimed_total,
                                         contract_rate=claim.continuing.annual_rate, judgment_after=claim.as_of)
    except RuleViolation as refused:
        return {"rule": us_law.STATE_RULE, "annual_rate": None, "refused": [v.message for v in refused.violations]}
    return {"rule": us_law.STATE_RULE, "state": found.state, "annual_rate": found.rate, "citation": found.citation,
            "applies": found.applies, "confirm": list(found.confirm)}
