"""Case use-cases: import, list, read, claim. No FastAPI here; errors from service.core.errors."""

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from service.cases import accounts, escalation, repository
from service.cases.casefile import CaseFile, load_case_file
from service.cases.claim import Claim
from service.cases.enums import Profile, Stage
from service.cases.masking import READER, identity_for
from service.cases.models import (
    Borrower,
    ContactPerson,
    DebtCase,
    Instalment,
    Lender,
    LenderLicence,
    LoanContract,
    Payment,
)
from service.cases.rules import load_ruleset
from service.cases.schemas import Balance, CaseDetail, CaseImport, CasePage, CaseSummary
from service.cases.validation import PROJECTION_DAYS, checked_as_of, import_errors
from service.core import trail
from service.core.clock import today, utcnow
from service.core.errors import CaseNotFound, FieldError, InvalidInput
from service.core.security import Principal

RESERVED_STAGES_ON_IMPORT = {Stage.CLOSED_PAID}


def _lender(session: Session, data: CaseImport) -> Lender:
    lender = repository.lender_by_code(session, data.lender.code)
    if lender is None:
        lender = Lender(**data.lender.model_dump(exclude={"licences"}), profile=data.profile.value,
                        licences=[LenderLicence(**x.model_dump()) for x in data.lender.licences])
        session.add(lender)
    return lender


def _search_text(*parts: str) -> str:
    return " ".join(p for p in parts if p).lower()


def import_case(session: Session, data: CaseImport, *, actor: str) -> DebtCase:
    """Create a case with its loan, schedule and payments in one transaction, or nothing.

    A case imported at PRE_LITIGATION is not held to ESC-12 here: import records no acceleration
    (only entering PRE_LITIGATION does, escalation.contract_acceleration), so the lender may sue
    for what is due without one. What would rest on an acceleration is checked where it is stated:
    DOC-07/ESC-12 on the court documents, ESC-12 on the notice of acceleration."""
    errors = import_errors(data, today())
    if repository.contract_no_taken(session, data.contract.contract_no):
        errors.append(FieldError("contract.contract_no", "a contract with this number exists"))
    if data.ref and repository.ref_taken(session, data.ref):
        errors.append(FieldError("ref", f"case {data.ref} exists"))
    if errors:
        raise InvalidInput(errors)
    lender = _lender(session, data)
    borrower = Borrower(**data.borrower.model_dump(exclude={"phones"}),
                        phones=[p.model_dump() for p in data.borrower.phones])
    session.add(borrower)
    session.flush()
    session.add_all(ContactPerson(borrower_id=borrower.id, **c.model_dump()) for c in data.contacts)
    contract = _contract(data, lender, borrower)
    session.add(contract)
    session.flush()
    now = utcnow()
    case = DebtCase(
        ref=data.ref or repository.next_ref(session, lender.code), profile=data.profile.value,
        stage=data.stage.value, contract_id=contract.id, lender_id=lender.id, borrower_id=borrower.id,
        us_state=data.us_state, opened_at=now, updated_at=now,
        search_text=_search_text(data.ref or "", borrower.name, borrower.name_en, contract.contract_no),
    )
    session.add(case)
    session.flush()
    case.search_text = _search_text(case.ref, case.search_text)
    trail.record(session, actor=actor, action="case.imported", object_type="case", object_id=case.ref,
                 case_id=case.id, data={"contract_no": contract.contract_no, "stage": case.stage,
                                        "instalments": len(data.schedule), "payments": len(data.payments)})
    from service.cases import activity  # allocation lives with payments

    activity.reallocate(session, case.ref)
    return case


def _contract(data: CaseImport, lender: Lender, borrower: Borrower) -> LoanContract:
    c = data.contract
    contract = LoanContract(
        **c.model_dump(exclude={"allocation_order"}), allocation_order=c.allocation_order,
        lender_id=lender.id, borrower_id=borrower.id, periods=len(data.schedule),
        term_end=data.schedule[-1].due_date, lpr_at_formation=_lpr(c.signed_date),
    )
    contract.instalments = [Instalment(**i.model_dump()) for i in data.schedule]
    contract.payments = [Payment(**p.model_dump(), received_at=utcnow()) for p in data.payments]
    return contract


def _lpr(on: date) -> Decimal | None:
    from service.cases.caps import load_lpr_table, lpr_on

    try:
        return lpr_on(on, load_lpr_table())
    except ValueError:
        return None  # before the LPR reform: the cap rule of the time applies


def list_cases(session: Session, principal: Principal, *, stage: Stage | None, q: str | None,
               cursor: str | None, limit: int) -> CasePage:
    after = repository.decode_cursor(cursor) if cursor else None
    stmt = repository.case_list_query(principal, stage=stage.value if stage else None, q=q, after=after)
    rows = list(repository.list_cases(session, stmt, limit))
    more = len(rows) > limit
    rows = rows[:limit]
    firms = repository.firm_codes(session, {r.law_firm_id for r in rows if r.law_firm_id})
    items = [summary(r, firms.get(r.law_firm_id or 0)) for r in rows]
    return CasePage(items=items, next_cursor=repository.encode_cursor(rows[-1].id) if more and rows else None)


def summary(case: DebtCase, firm_code: str | None) -> CaseSummary:
    return CaseSummary(
        ref=case.ref, profile=case.profile, stage=case.stage, borrower_name=case.borrower.name,
        lender_code=case.lender.code, contract_no=case.contract.contract_no, law_firm=firm_code,
        holds=[h.kind for h in case.holds if h.released_at is None], updated_at=case.updated_at,
    )


def detail(session: Session, ref: str, principal: Principal, as_of: date | None) -> CaseDetail:
    cf = load_case_file(session, ref)
    on = checked_as_of(cf, as_of, today(cf.borrower.timezone), future_days=PROJECTION_DAYS)
    facts = escalation.facts_for(cf, on, principal)
    return CaseDetail(
        **summary(cf.case, cf.law_firm.code if cf.law_firm else None).model_dump(),
        court_designation=cf.case.court_designation, court_designation_court=cf.case.court_designation_court,
        contract=_contract_view(cf), borrower=_borrower_view(cf, principal), lender=_lender_view(cf),
        balance=Balance(as_of=on, **{k: getattr(facts.ledger, k) for k in Balance.model_fields if k != "as_of"}),
        schedule=[_position_view(p) for p in facts.ledger.positions],
        payments=[_payment_view(p) for p in cf.payments],
        limitation={"accrual_date": facts.limitation.accrual_date,
                    "last_interruption": facts.limitation.last_interruption,
                    "expires_on": facts.limitation.expires_on},
        allowed_transitions=[s.value for s in escalation.allowed_targets(facts)],
    )


def _contract_view(cf: CaseFile) -> dict[str, Any]:
    c = cf.contract
    keys = ("contract_no", "product_name", "title", "currency", "signed_date", "signed_place", "channel",
            "principal_agreed", "disbursed_amount", "disbursed_date", "periods", "term_end", "nominal_rate",
            "day_basis", "penalty_rate", "acceleration_overdue_days", "acceleration_basis",
            "acceleration_missed_instalments", "acceleration_missed_consecutive", "compound_allowed",
            "repayment_method", "clause_refs", "lpr_at_formation")
    return {k: getattr(c, k) for k in keys}


def _borrower_view(cf: CaseFile, principal: Principal) -> dict[str, Any]:
    """The borrower as every API and CLI reader sees them: masked as a letter to them is."""
    b, rules = cf.borrower, load_ruleset(cf.case.profile)
    phones = [identity_for(b.id_number, p["number"], READER, rules).phone for p in b.phones]
    return {"name": b.name, "id_type": b.id_type, "id_number": identity_for(b.id_number, "", READER, rules).id_number,
            "phones": phones, "timezone": b.timezone, "language": b.language}


def _lender_view(cf: CaseFile) -> dict[str, Any]:
    lender = cf.lender
    found: dict[str, Any] = {"code": lender.code, "name": lender.name, "licence_type": lender.licence_type}
    if lender.profile == Profile.US:  # its NMLS ID and the licences it holds, state by state
        found |= {"nmls_id": lender.nmls_id,
                  "licences": [{"state": x.state, "kind": x.kind, "number": x.number, "issued_on": x.issued_on}
                               for x in lender.licences]}
    return found


def _position_view(p: Any) -> dict[str, Any]:
    return {"no": p.no, "due_date": p.due_date, "status": p.status, "days_past_due": p.days_past_due,
            "due": dict(p.due), "paid": dict(p.paid), "outstanding": dict(p.outstanding)}


def _payment_view(p: Payment) -> dict[str, Any]:
    return {"id": p.id, "value_date": p.value_date, "amount": p.amount, "channel": p.channel,
            "allocation": [{"instalment_no": a.instalment_no, "component": a.component, "amount": a.amount,
                            "note": a.note} for a in p.allocations]}


def claim(session: Session, ref: str, as_of: date | None, *, licensed_cap: Decimal,
          today_in: Callable[[str], date] = today) -> tuple[CaseFile, Claim]:
    """The claim as of `as_of`, by default today (`today_in` the borrower's time zone)."""
    cf = load_case_file(session, ref)
    on = checked_as_of(cf, as_of, today_in(cf.borrower.timezone), future_days=PROJECTION_DAYS)
    return cf, accounts.claim_of(cf, on, licensed_cap=licensed_cap)


__all__ = ["Profile", "claim", "detail", "import_case", "list_cases"]


def visible_case(session: Session, principal: Principal, ref: str) -> DebtCase:
    """The case, if the principal may see it: a law firm sees only the cases assigned to it."""
    case = repository.case_by_ref(session, ref)
    if case is None or (principal.is_law_firm and case.law_firm_id != principal.law_firm_id):
        raise CaseNotFound(ref)  # another firm's case is indistinguishable from no case
    return case


def firm_id(session: Session, code: str | None) -> int | None:
    """The id of the law firm with this code (None for no code); an unknown code names the field."""
    if not code:
        return None
    firm = repository.firm_by_code(session, code)
    if firm is None:
        raise InvalidInput.one("firm", f"no law firm with code {code!r}")
    return firm.id
