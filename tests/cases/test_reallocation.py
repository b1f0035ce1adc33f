"""A payment re-allocates the case's history: the stored allocation of every payment is the
ledger's, and only the payments whose allocation changed have their rows replaced."""

from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal

from sqlalchemy import event, select

from service.cases import accounts
from service.cases.casefile import load_case_file
from service.cases.models import PaymentAllocation
from service.core.clock import today
from tests.conftest import auth


def _stored(db) -> dict[int, list[tuple[int, int | None, str, Decimal, str]]]:
    rows: dict[int, list[tuple[int, int | None, str, Decimal, str]]] = {}
    for a in db.scalars(select(PaymentAllocation).order_by(PaymentAllocation.id)):
        rows.setdefault(a.payment_id, []).append((a.id, a.instalment_no, a.component, a.amount, a.note))
    return rows


def _ledger_lines(db, ref: str) -> dict[int, list[tuple[int | None, str, Decimal, str]]]:
    """Every payment's allocation as a recomputation of the whole history gives it."""
    cf = load_case_file(db, ref)
    ledger = accounts.ledger_of(cf, max([today(), *(p.value_date for p in cf.payments)]))
    lines: dict[int, list[tuple[int | None, str, Decimal, str]]] = {p.id: [] for p in cf.payments}
    for alloc in ledger.allocations:
        lines[int(alloc.payment_id)] += [(ln.instalment_no, ln.component.value, ln.amount, "") for ln in alloc.lines]
        if alloc.unapplied:
            lines[int(alloc.payment_id)].append((None, "unapplied", alloc.unapplied, "credit held: nothing was due"))
    return lines


@contextmanager
def _inserted() -> Iterator[list[int]]:
    """The payments whose allocation rows were inserted meanwhile (SQLite reuses the ids of rows
    deleted at the end of the table, so the ids alone do not show rows replaced)."""
    payments: list[int] = []

    def note(_mapper, _conn, row: PaymentAllocation) -> None:
        payments.append(row.payment_id)

    event.listen(PaymentAllocation, "after_insert", note)
    try:
        yield payments
    finally:
        event.remove(PaymentAllocation, "after_insert", note)


def _without_ids(stored):
    return {pid: [row[1:] for row in rows] for pid, rows in stored.items()}


def test_a_payment_after_the_others_leaves_their_allocation_rows_as_they_were(client, keys, case, db):
    h = auth(keys["collector"])
    before = _stored(db)
    assert before  # the imported payment's allocation
    with _inserted() as inserted:
        r = client.post(f"/v1/cases/{case.ref}/payments", headers=h,
                        json={"value_date": "2025-03-10", "amount": "500.00"})
    assert r.status_code == 201, r.text
    after = _stored(db)
    new = r.json()["id"]
    assert set(inserted) == {new}
    assert {pid: rows for pid, rows in after.items() if pid != new} == before  # same rows, same ids
    assert _without_ids(after) == _ledger_lines(db, case.ref)


def test_a_back_dated_payment_replaces_the_allocation_of_the_payments_it_changes(client, keys, case, db):
    h = auth(keys["collector"])
    for day, amount in (("2025-03-10", "500.00"), ("2025-04-10", "2000.00")):
        assert client.post(f"/v1/cases/{case.ref}/payments", headers=h,
                           json={"value_date": day, "amount": amount}).status_code == 201
    before = _stored(db)
    with _inserted() as inserted:
        r = client.post(f"/v1/cases/{case.ref}/payments", headers=h,
                        json={"value_date": "2025-02-20", "amount": "300.00"})
    assert r.status_code == 201, r.text
    after = _stored(db)
    assert _without_ids(after) == _ledger_lines(db, case.ref)
    changed = {pid for pid in before if _without_ids(before)[pid] != _without_ids(after)[pid]}
    assert changed  # the later payments paid other things once an earlier one came in
    assert set(inserted) == changed | {r.json()["id"]}  # only theirs and the new payment's rows written
    for rows in after.values():  # and every payment is allocated in full
        assert rows
