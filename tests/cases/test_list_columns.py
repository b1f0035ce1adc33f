"""The case list's summary columns follow every write that changes what they summarise."""

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy.orm import Session

from service.cases import accounts, activity
from service.cases.casefile import load_case_file
from service.cases.enums import Stage
from service.cases.models import DebtCase
from service.cases.schemas import PaymentIn, PlanIn, PlanInstalmentIn, TransitionIn
from service.core.clock import today
from service.core.security import Principal
from tests.factories import import_case

STAFF = Principal(actor="test", role="legal_staff")


def _columns(db: Session, case: DebtCase) -> tuple[date | None, int]:
    db.flush()
    db.refresh(case)
    return case.overdue_since, case.principal_cents


def _sign_plan(db: Session, case: DebtCase, signed: date) -> list[date]:
    """A three-instalment plan signed on `signed` for the whole debt; its due dates."""
    owed = accounts.ledger_of(load_case_file(db, case.ref), signed).total_outstanding
    third = (owed / 3).quantize(Decimal("0.01"))
    dues = [signed + timedelta(days=10 + 30 * k) for k in range(3)]
    amounts = [third, third, owed - 2 * third]
    activity.create_plan(db, case, PlanIn(
        plan_type="instalments", as_of=signed, signed_date=signed, signed_place="北京",
        service_address="北京市朝阳区建国路88号",
        instalments=[PlanInstalmentIn(no=k + 1, due_date=d, amount=a)
                     for k, (d, a) in enumerate(zip(dues, amounts, strict=True))],
    ), actor="test")
    return dues


def test_signing_a_plan_puts_the_list_on_the_plan_and_a_plan_payment_moves_it_on(db: Session) -> None:
    case = import_case(db, stage="NEGOTIATING")
    before = _columns(db, case)
    assert before[0] == date(2025, 2, 10)  # the contract's first instalment, short-paid

    signed = today() - timedelta(days=45)
    dues = _sign_plan(db, case, signed)
    plan_principal = load_case_file(db, case.ref).current_plan.ack_principal  # type: ignore[union-attr]
    assert _columns(db, case) == (dues[0], int(plan_principal * 100))  # 35 days past due, not 600

    first = load_case_file(db, case.ref).current_plan.instalments[0]  # type: ignore[union-attr]
    activity.add_payment(db, case, PaymentIn(value_date=dues[0], amount=first.amount), actor="test")
    assert _columns(db, case)[0] == dues[1]


def test_a_breach_and_its_acceleration_refresh_the_list(db: Session) -> None:
    case = import_case(db, stage="NEGOTIATING")
    signed = today() - timedelta(days=75)
    dues = _sign_plan(db, case, signed)
    first = load_case_file(db, case.ref).current_plan.instalments[0]  # type: ignore[union-attr]
    activity.add_payment(db, case, PaymentIn(value_date=dues[0], amount=first.amount), actor="test")
    activity.transition(db, case, TransitionIn(to=Stage.PLAN_ACTIVE, reason="signed"), STAFF)
    activity.transition(db, case, TransitionIn(to=Stage.PLAN_BREACHED, reason="second instalment late"), STAFF)
    assert _columns(db, case)[0] == dues[1]  # the late second instalment; the third is not due yet

    # Written past the list's back, as an old row or another process would leave it.
    case.overdue_since, case.principal_cents = None, 0
    db.flush()
    activity.transition(db, case, TransitionIn(to=Stage.PRE_LITIGATION, reason="cure period over"), STAFF)
    cf = load_case_file(db, case.ref)
    # every plan instalment had fallen due by today (the last five days ago): entering pre-litigation
    # records no acceleration of its own; the plan's default clause accelerated the third instalment
    # on the day after the cure deadline, as the agreement says
    default_day = cf.breaches[0].cure_deadline + timedelta(days=1)
    assert case.accelerated_on is None and default_day < dues[2]
    assert accounts.effective_acceleration(cf, today()).on == default_day
    position = accounts.agreement_of(cf, today())
    assert position is not None and position.accelerated_on == default_day
    assert _columns(db, case) == (dues[1], int(position.outstanding[accounts.Component.PRINCIPAL] * 100))
