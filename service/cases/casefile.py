"""Everything known about one case, loaded eagerly in one go.

Documents, packets and the claim read a ``CaseFile`` rather than walking lazy relationships:
every relationship is ``lazy="raise"``, so what a consumer needs is loaded here, explicitly.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any, TypeVar

from sqlalchemy import BindParameter, Executable, bindparam, exists, select
from sqlalchemy.orm import Session, joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from service.cases.enums import PlanStatus
from service.cases.models import (
    AccountReview,
    Borrower,
    BreachEvent,
    CaseHold,
    Communication,
    ContactPerson,
    DebtCase,
    Instalment,
    LawFirm,
    Lender,
    LoanContract,
    Payment,
    PaymentAllocation,
    RepaymentPlan,
    Visit,
    VisitStaff,
)
from service.core.errors import CaseNotFound

# the lending practices that attest a lender without a licence is no professional lender (CN-32's
# valid_practices): only their lenders' loans are loaded, to check the attestation against them
ATTESTED_PRACTICES = ("natural_person", "occasional")

# The records of a case's own (case_id) that not every case has: the cases' query says which exist.
PER_CASE: dict[str, Any] = {"holds": CaseHold, "comms": Communication, "visits": Visit, "plans": RepaymentPlan,
                            "breaches": BreachEvent, "reviews": AccountReview}

_Row = TypeVar("_Row", Communication, Visit, RepaymentPlan, BreachEvent, AccountReview)

# how far either side of a case's visits not yet made the other visits of their staff are loaded
# (CN-09's staff_gap_minutes is well inside it)
BOOKING_MARGIN = timedelta(days=1)


@dataclass(frozen=True)
class StaffBooking:
    """A visit a staff member is named on, of any case: what a visit not yet made is checked
    against (CN-09: no one is sent on two visits at once). A staff member is known by name, as
    the visit notice names them to the borrower."""

    visit_id: int
    case_ref: str
    name: str
    window_start: datetime
    window_end: datetime


@dataclass
class CaseFile:
    case: DebtCase
    contract: LoanContract
    lender: Lender
    borrower: Borrower
    contacts: list[ContactPerson]
    instalments: list[Instalment]
    payments: list[Payment]
    holds: list[CaseHold]
    communications: list[Communication]
    visits: list[Visit]
    plans: list[RepaymentPlan]
    breaches: list[BreachEvent]
    law_firm: LawFirm | None
    reviews: list[AccountReview] = field(default_factory=list)  # of the account records, oldest first
    # the lender's loans on record (signing day, borrower), loaded only for a lender whose lending is
    # recorded as occasional or a natural person's: what CN-32 holds that record against
    lender_loans: list[tuple[date, int]] = field(default_factory=list)
    # the visits of any case whose staff share a name with one of this case's visits not yet made,
    # around its window (BOOKING_MARGIN): CN-09's double-booking check (compliance.visit_staff_clashes)
    staff_bookings: list[StaffBooking] = field(default_factory=list)
    _ledgers: dict[date, object] = field(default_factory=dict, repr=False)

    @property
    def active_holds(self) -> list[CaseHold]:
        return [h for h in self.holds if h.released_at is None]

    @property
    def current_plan(self) -> RepaymentPlan | None:
        """The latest signed plan (active, breached or completed), if any."""
        signed = [p for p in self.plans if p.signed_date is not None and p.status is not PlanStatus.SUPERSEDED]
        return max(signed, key=lambda p: (p.signed_date, p.id)) if signed else None


def load_case_file(session: Session, ref: str) -> CaseFile:
    found = load_case_files(session, [ref])
    if ref not in found:
        raise CaseNotFound(ref)
    return found[ref]


def load_case_files(session: Session, refs: Sequence[str], *, chunk: int = 500) -> dict[str, CaseFile]:
    """The case files of `refs` that exist, by ref: a dozen queries per `chunk` cases, not per case
    (a batch of a thousand notices loads its cases in a fraction of a second)."""
    wanted = list(dict.fromkeys(refs))
    found: dict[str, CaseFile] = {}
    for start in range(0, len(wanted), chunk):
        found.update(_load_chunk(session, wanted[start:start + chunk]))
    return found


@cache
def _statements() -> dict[str, Executable]:
    """The queries of a chunk, built once a process with the refs and ids as expanding parameters:
    building them (and their options) for every case file was a third of the time it took to
    load one. populate_existing: rows already in the session are refreshed, so a CaseFile sees
    rows added since they were first loaded.

    The collections of the case's contract, borrower and holds are read by queries of their own
    (``_collections``), not by selectinload: SQLAlchemy builds a selectin loader's query anew
    each time it runs, which made the case's query with its five collections 7.7 ms of CPU on
    SQLite against about 0.4 ms for each of these (a single-notice request's largest cost).

    The cases' query also says, per case, which of its own records exist (``PER_CASE``: an
    indexed EXISTS each): the query of a kind of record no case of the chunk has is not run (a case
    in reminder has no hold, visit, plan, breach or review: five queries of the dozen)."""
    fresh = {"populate_existing": True}
    refs: BindParameter[list[str]] = bindparam("refs", expanding=True)
    ids: BindParameter[list[int]] = bindparam("ids", expanding=True)
    return {
        "cases": select(DebtCase, *(exists().where(model.case_id == DebtCase.id).label(name)
                                    for name, model in PER_CASE.items()))
        .where(DebtCase.ref.in_(refs)).options(
            # the case's one contract, lender and borrower in the cases' own query (a join each)
            joinedload(DebtCase.contract, innerjoin=True),
            joinedload(DebtCase.lender, innerjoin=True),
            joinedload(DebtCase.borrower, innerjoin=True),
        ).execution_options(**fresh),
        # each collection in its relationship's order (models), grouped by its parent
        "instalments": select(Instalment).where(Instalment.contract_id.in_(ids))
        .order_by(Instalment.contract_id, Instalment.no).execution_options(**fresh),
        "payments": select(Payment).where(Payment.contract_id.in_(ids))
        .order_by(Payment.contract_id, Payment.value_date, Payment.id).execution_options(**fresh),
        "allocations": select(PaymentAllocation).where(PaymentAllocation.payment_id.in_(ids))
        .order_by(PaymentAllocation.payment_id, PaymentAllocation.id).execution_options(**fresh),
        "contacts": select(ContactPerson).where(ContactPerson.borrower_id.in_(ids))
        .order_by(ContactPerson.borrower_id, ContactPerson.id).execution_options(**fresh),
        "holds": select(CaseHold).where(CaseHold.case_id.in_(ids))
        .order_by(CaseHold.case_id, CaseHold.id).execution_options(**fresh),
        "comms": select(Communication).where(Communication.case_id.in_(ids))
        .order_by(Communication.sent_at, Communication.id).execution_options(**fresh),
        "visits": select(Visit).where(Visit.case_id.in_(ids)).options(selectinload(Visit.staff))
        .order_by(Visit.window_start, Visit.id).execution_options(**fresh),
        "plans": select(RepaymentPlan).where(RepaymentPlan.case_id.in_(ids))
        .options(selectinload(RepaymentPlan.instalments)).order_by(RepaymentPlan.id).execution_options(**fresh),
        "breaches": select(BreachEvent).where(BreachEvent.case_id.in_(ids))
        .order_by(BreachEvent.due_date, BreachEvent.id),
        "reviews": select(AccountReview).where(AccountReview.case_id.in_(ids))
        .order_by(AccountReview.reviewed_at, AccountReview.id),
        "bookings": select(VisitStaff.name, Visit.id, DebtCase.ref, Visit.window_start, Visit.window_end)
        .join(Visit, VisitStaff.visit_id == Visit.id).join(DebtCase, Visit.case_id == DebtCase.id)
        .where(VisitStaff.name.in_(bindparam("names", expanding=True)),
               Visit.window_end > bindparam("after"), Visit.window_start < bindparam("before"))
        .order_by(Visit.window_start, Visit.id, VisitStaff.id),
        "firms": select(LawFirm).where(LawFirm.id.in_(bindparam("firm_ids", expanding=True))),
        "lender_loans": select(DebtCase.lender_id, LoanContract.signed_date, DebtCase.borrower_id)
        .join(LoanContract, DebtCase.contract_id == LoanContract.id)
        .where(DebtCase.lender_id.in_(bindparam("lender_ids", expanding=True))),
    }


def _collections(session: Session, cases: Sequence[DebtCase], having: dict[str, list[int]]) -> None:
    """Load the cases' holds, their contracts' instalments and payments (with allocations) and
    their borrowers' contacts, and set each as its parent's loaded collection, in the
    relationship's order, as selectinload would: an empty one for a parent that has none."""
    q = _statements()
    contracts = list({case.contract.id: case.contract for case in cases}.values())
    borrowers = list({case.borrower.id: case.borrower for case in cases}.values())
    _attach(session, q["holds"], cases, "holds", "case_id", having["holds"])
    _attach(session, q["instalments"], contracts, "instalments", "contract_id")
    payments = _attach(session, q["payments"], contracts, "payments", "contract_id")
    _attach(session, q["allocations"], payments, "allocations", "payment_id")
    _attach(session, q["contacts"], borrowers, "contacts", "borrower_id")


def _attach(session: Session, stmt: Executable, parents: Sequence[Any], collection: str, key: str,
            having: list[int] | None = None) -> list[Any]:
    """The children of `parents` (``stmt`` with their ids, or with `having`: the ids of those
    known to have some), each set as its parent's loaded `collection` (nothing marked changed);
    no query when no parent has any."""
    ids = [parent.id for parent in parents] if having is None else having
    children = list(session.scalars(stmt, {"ids": ids})) if ids else []
    grouped: dict[int, list[Any]] = {}
    for child in children:
        grouped.setdefault(getattr(child, key), []).append(child)
    for parent in parents:
        set_committed_value(parent, collection, grouped.get(parent.id, []))
    return children


def _load_chunk(session: Session, refs: list[str]) -> dict[str, CaseFile]:
    q = _statements()
    rows = session.execute(q["cases"], {"refs": refs}).all()
    cases = [row[0] for row in rows]
    having = {name: [row[0].id for row in rows if row[n]] for n, name in enumerate(PER_CASE, start=1)}
    _collections(session, cases, having)
    comms = _of_cases(session, q["comms"], having["comms"])
    visits = _of_cases(session, q["visits"], having["visits"])
    plans = _of_cases(session, q["plans"], having["plans"])
    breaches = _of_cases(session, q["breaches"], having["breaches"])
    reviews = _of_cases(session, q["reviews"], having["reviews"])
    firm_ids = list({case.law_firm_id for case in cases if case.law_firm_id})
    firms = {firm.id: firm for firm in session.scalars(q["firms"], {"firm_ids": firm_ids})} if firm_ids else {}
    attesting = list({case.lender_id for case in cases if case.lender.lending_practice in ATTESTED_PRACTICES})
    loans: dict[int, list[tuple[date, int]]] = {}
    if attesting:
        for lender_id, signed, borrower_id in session.execute(q["lender_loans"], {"lender_ids": attesting}):
            loans.setdefault(lender_id, []).append((signed, borrower_id))
    bookings = _bookings(session, [v for rows in visits.values() for v in rows])
    return {
        case.ref: CaseFile(
            case=case, contract=case.contract, lender=case.lender, borrower=case.borrower,
            contacts=list(case.borrower.contacts), instalments=list(case.contract.instalments),
            payments=list(case.contract.payments), holds=list(case.holds),
            communications=comms.get(case.id, []), visits=visits.get(case.id, []), plans=plans.get(case.id, []),
            breaches=breaches.get(case.id, []), law_firm=firms.get(case.law_firm_id) if case.law_firm_id else None,
            reviews=reviews.get(case.id, []), lender_loans=sorted(loans.get(case.lender_id, [])),
            staff_bookings=bookings)
        for case in cases
    }


def _bookings(session: Session, visits: Sequence[Visit]) -> list[StaffBooking]:
    """The visits (any case's) of the staff of `visits` not yet made, around their windows; one
    query for the chunk, none when no visit is pending."""
    pending = [v for v in visits if v.started_at is None]
    if not pending:
        return []
    return staff_bookings(session, [s.name for v in pending for s in v.staff],
                          min(v.window_start for v in pending), max(v.window_end for v in pending))


def staff_bookings(session: Session, names: Iterable[str], start: datetime, end: datetime) -> list[StaffBooking]:
    """The visits, of any case, that name one of `names` and fall within BOOKING_MARGIN of `start`–`end`."""
    wanted = sorted({n.strip() for n in names if n.strip()})
    if not wanted:
        return []
    rows = session.execute(_statements()["bookings"], {"names": wanted, "after": start - BOOKING_MARGIN,
                                                       "before": end + BOOKING_MARGIN})
    return [StaffBooking(visit_id=visit_id, case_ref=ref, name=name.strip(), window_start=at, window_end=until)
            for name, visit_id, ref, at, until in rows]


def _of_cases(session: Session, stmt: Executable, ids: list[int]) -> dict[int, list[Any]]:
    """`stmt`'s rows for the cases `ids`, by case (none asked for when `ids` is empty)."""
    return _by_case(session.scalars(stmt, {"ids": ids})) if ids else {}


def _by_case(rows: Iterable[_Row]) -> dict[int, list[_Row]]:
    grouped: dict[int, list[_Row]] = {}
    for row in rows:
        grouped.setdefault(row.case_id, []).append(row)
    return grouped


__all__ = ["CaseFile", "Instalment", "StaffBooking", "load_case_file", "load_case_files", "staff_bookings"]
