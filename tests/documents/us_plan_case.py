"""A New York case built like the demo's US-00010 (review of 2026-12-07): an interest-only loan of
$17,600.00 at 11.63 % (360-day year) whose principal falls due with the 12th installment on
2026-07-26; the 6th installment short; an interest-suspension payment plan signed 2026-03-30 that
spreads the arrears (the interest acknowledged) over six monthly installments and keeps the principal
on the loan's own date (installment 4, 2026-07-26); every plan installment paid on its date but the
7th, whose default was not cured by 2026-10-20, so the plan's default clause applies from 2026-10-21.
`parts` and `missed` vary it: the arrears in fewer parts, another installment missed."""

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy.orm import Session

from service.cases import accounts, activity
from service.cases.casefile import load_case_file
from service.cases.models import BreachEvent, DebtCase
from service.cases.schedule import add_months, split_evenly
from service.cases.schemas import PaymentIn, PlanIn, PlanInstalmentIn
from tests.documents.legal_cases import US_LICENCES
from tests.factories import import_case, schedule

SIGNED = date(2026, 3, 30)
PRINCIPAL_DUE = date(2026, 7, 26)
MISSED = 7
AS_OF = date(2026, 12, 7)
CURE_DEADLINE = date(2026, 10, 20)
ACCELERATION_DATE = CURE_DEADLINE + timedelta(days=1)


def us_plan_case(db: Session, *, parts: int = 6, missed: int = MISSED) -> DebtCase:
    rows = schedule(principal="17600.00", rate="0.1163", periods=12, first_due=date(2025, 8, 26),
                    start=date(2025, 7, 26), method="interest_only_bullet")
    paid = [{"value_date": r["due_date"], "amount": r["interest"]} for r in rows[:5]]
    case = import_case(
        db, profile="US", stage="PRE_LITIGATION", us_state="NY",
        lender={"code": "LKCC", "name": "Lakeside Consumer Credit, LLC", "name_en": "Lakeside Consumer Credit, LLC",
                "licence_type": "other_licensed", "hotline": "1-800-555-0142", "legal_rep": "Margaret Ellis",
                "legal_rep_title": "President", "address": "200 West Adams Street, Chicago, IL 60606",
                "nmls_id": "1234567", "licences": US_LICENCES},
        borrower={"name": "Robert Johnson", "gender": "male", "id_type": "us_ssn", "id_number": "123-45-0528",
                  "birth_date": "1994-04-02", "phones": [{"number": "7185550178"}],
                  "habitual_address": "31 Clinton St, Brooklyn, NY 11201", "postal_code": "11201",
                  "timezone": "America/New_York", "language": "en-US"},
        contacts=[],
        contract={"contract_no": "LKCC-202507-968674", "currency": "USD", "signed_date": "2025-07-26",
                  "principal_agreed": "17600.00", "disbursed_amount": "17600.00", "disbursed_date": "2025-07-26",
                  "nominal_rate": "0.1163", "penalty_rate": "0.1163", "day_basis": 360, "compound_allowed": False,
                  "repayment_method": "interest_only_bullet", "title": "Personal Installment Loan Agreement",
                  "clause_refs": {"rate": "§4", "day_count": "§4(2)", "default": "§7(1)", "acceleration": "§8"}},
        schedule=rows, payments=[*paid, {"value_date": "2026-01-30", "amount": "66.52"}])
    _plan(db, case, parts, missed)
    return case


def _plan(db: Session, case: DebtCase, count: int, missed_no: int) -> None:
    """The arrears in `count` monthly parts from a month after the signing, the principal on its own
    date; every instalment paid on its date but `missed_no`, whose default is not cured (the grace
    period of 5 days, then 15 to cure)."""
    ledger = accounts.ledger_of(load_case_file(db, case.ref), SIGNED)
    arrears = ledger.total_outstanding - Decimal("17600.00")
    parts = {add_months(SIGNED, k + 1): a for k, a in enumerate(split_evenly(arrears, count))}
    parts[PRINCIPAL_DUE] = Decimal("17600.00")
    lines = [PlanInstalmentIn(no=k + 1, due_date=day, amount=parts[day]) for k, day in enumerate(sorted(parts))]
    plan = activity.create_plan(db, case, PlanIn(
        plan_type="interest_suspension", as_of=SIGNED, signed_date=SIGNED, signed_place="Brooklyn, NY",
        service_address="31 Clinton St, Brooklyn, NY 11201", instalments=lines), actor="test")
    missed = plan.instalments[missed_no - 1]
    for line in plan.instalments:
        if line.no != missed_no and line.due_date < missed.due_date + timedelta(days=21):
            activity.add_payment(db, case, PaymentIn(value_date=line.due_date, amount=line.amount,
                                                     channel="bank_transfer"), actor="test")
    cure_deadline = missed.due_date + timedelta(days=20)
    db.add(BreachEvent(plan_id=plan.id, case_id=case.id, instalment_no=missed_no, due_date=missed.due_date,
                       missed_amount=missed.amount, detected_on=missed.due_date + timedelta(days=6),
                       cure_deadline=cure_deadline))
    plan.status = "breached"
    case.accelerated_on = cure_deadline + timedelta(days=1)
    db.flush()
