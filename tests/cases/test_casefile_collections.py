"""A case file's collections (the contract's instalments and payments with their allocations, the
borrower's contacts, the case's holds) are read by queries of their own rather than selectinload:
each is its relationship's loaded collection, in the relationship's order, for every case of a
chunk, and rows added since an earlier load in the same session are seen."""

from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from service.cases.activity import add_payment
from service.cases.casefile import load_case_file, load_case_files
from service.cases.enums import HoldKind
from service.cases.models import CaseHold, ContactPerson, Instalment, Payment, PaymentAllocation
from service.cases.schemas import PaymentIn
from tests.factories import import_case

CONTACTS = [{"name": "李娜", "relation": "配偶", "phone": "13900139000"},
            {"name": "王芳", "relation": "同事", "phone": "13700137000"}]
# recorded out of value-date order: the collection is ordered by (value_date, id)
PAYMENTS = [{"value_date": "2025-03-10", "amount": "1100.00"}, {"value_date": "2025-02-10", "amount": "1100.00"}]


def _rows(db: Session, stmt):  # type: ignore[no-untyped-def]
    return list(db.scalars(stmt))


def test_collections_in_relationship_order_for_each_case_of_a_chunk(db: Session) -> None:
    first = import_case(db, contacts=CONTACTS, payments=PAYMENTS)
    second = import_case(db, payments=[])
    db.add(CaseHold(case_id=first.id, kind=HoldKind.COMPLAINT, reason="test",
                    opened_at=datetime(2025, 4, 1, tzinfo=UTC)))
    db.flush()
    db.expunge_all()

    files = load_case_files(db, [first.ref, second.ref])
    for case in (first, second):
        cf = files[case.ref]
        assert cf.instalments == _rows(db, select(Instalment).where(Instalment.contract_id == cf.contract.id)
                                       .order_by(Instalment.no))
        assert cf.payments == _rows(db, select(Payment).where(Payment.contract_id == cf.contract.id)
                                    .order_by(Payment.value_date, Payment.id))
        assert cf.contacts == _rows(db, select(ContactPerson).where(ContactPerson.borrower_id == cf.borrower.id)
                                    .order_by(ContactPerson.id))
        assert cf.holds == _rows(db, select(CaseHold).where(CaseHold.case_id == cf.case.id).order_by(CaseHold.id))
        for payment in cf.payments:
            assert payment.allocations == _rows(db, select(PaymentAllocation).where(
                PaymentAllocation.payment_id == payment.id).order_by(PaymentAllocation.id))
        # loaded as the relationships' own collections, unchanged (nothing for a flush to write)
        for parent, name in ((cf.contract, "instalments"), (cf.contract, "payments"), (cf.borrower, "contacts"),
                             (cf.case, "holds")):
            assert name not in inspect(parent).unloaded
            assert not inspect(parent).attrs[name].history.has_changes()

    one = files[first.ref]
    assert [p.value_date for p in one.payments] == [date(2025, 2, 10), date(2025, 3, 10)]
    assert all(p.allocations for p in one.payments)
    assert [c.name for c in one.contacts] == ["李娜", "王芳"]
    assert len(one.holds) == 1
    two = files[second.ref]
    assert two.payments == [] and two.holds == [] and len(two.contacts) == 1
    assert not db.dirty


def test_a_second_load_in_the_same_session_sees_what_was_added(db: Session) -> None:
    case = import_case(db)
    before = load_case_file(db, case.ref)
    assert len(before.payments) == 1 and before.holds == []
    add_payment(db, case, PaymentIn(value_date=date(2025, 3, 10), amount=Decimal("500.00")), actor="test")
    db.add(CaseHold(case_id=case.id, kind=HoldKind.COMPLAINT, reason="test",
                    opened_at=datetime(2025, 4, 1, tzinfo=UTC)))
    db.flush()

    after = load_case_file(db, case.ref)
    assert [p.amount for p in after.payments] == [Decimal("1100.00"), Decimal("500.00")]
    assert after.payments[-1].allocations
    assert len(after.holds) == 1
    assert after.contract.payments == after.payments
