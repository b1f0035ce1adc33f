"""The case and everything done on it: holds, contacts, visits, plans and their breach."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from service.cases.enums import (
    Carrier,
    Channel,
    Direction,
    FailureReason,
    HoldKind,
    Outcome,
    PartyKind,
    PlanStatus,
    PlanType,
)
from service.cases.models.loans import LoanContract
from service.cases.models.parties import Borrower, Lender
from service.core.db import Base, Money, UTCDateTime, text_enum


class DebtCase(Base):
    __tablename__ = "debt_case"  # `case` is an SQL keyword
    # The list's substring search (LIKE '%…%') from an index on PostgreSQL (migration 0015).
    __table_args__ = (Index("ix_debt_case_search_trgm", "search_text", postgresql_using="gin",
                            postgresql_ops={"search_text": "gin_trgm_ops"}).ddl_if(dialect="postgresql"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(String(40), unique=True)
    profile: Mapped[str] = mapped_column(String(2), default="CN")
    stage: Mapped[str] = mapped_column(String(20), index=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("loan_contract.id"), unique=True)
    lender_id: Mapped[int] = mapped_column(ForeignKey("lender.id"), index=True)
    borrower_id: Mapped[int] = mapped_column(ForeignKey("borrower.id"), index=True)
    law_firm_id: Mapped[int | None] = mapped_column(ForeignKey("law_firm.id"), index=True)
    us_state: Mapped[str] = mapped_column(String(2), default="")
    # US-28: the designation legal staff chose for filing ("Precinct 1, Place 2", "189th Judicial
    # District"), which the captions print, and the court it was recorded for (the venue's court then):
    # a designation recorded for another court (the claim crossed a court's limit) is not printed.
    court_designation: Mapped[str] = mapped_column(String(80), default="")
    court_designation_court: Mapped[str] = mapped_column(String(200), default="")
    accelerated_on: Mapped[date | None]
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    search_text: Mapped[str] = mapped_column(Text, default="")  # ref, names, contract no.
    # For the case list's filters and sorting (refreshed with the allocation: activity.reallocate).
    overdue_since: Mapped[date | None] = mapped_column(index=True)
    # Exact integer cents: SQLite keeps Money as text, which would not sort or compare as numbers.
    principal_cents: Mapped[int] = mapped_column(BigInteger, default=0, index=True)

    contract: Mapped[LoanContract] = relationship(lazy="raise")
    lender: Mapped[Lender] = relationship(lazy="raise")
    borrower: Mapped[Borrower] = relationship(lazy="raise")
    holds: Mapped[list["CaseHold"]] = relationship(lazy="raise", order_by="CaseHold.id")


class CaseHold(Base):
    """Holds block outbound contact, not accounting."""

    __tablename__ = "case_hold"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("debt_case.id"), index=True)
    kind: Mapped[HoldKind] = mapped_column(text_enum(HoldKind, 20))
    reason: Mapped[str] = mapped_column(Text, default="")
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime())
    released_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Communication(Base):
    __tablename__ = "communication"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("debt_case.id"), index=True)
    channel: Mapped[Channel] = mapped_column(text_enum(Channel, 10))
    direction: Mapped[Direction] = mapped_column(text_enum(Direction, 3), default=Direction.OUT)
    party_kind: Mapped[PartyKind] = mapped_column(text_enum(PartyKind, 12), default=PartyKind.BORROWER)
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contact_person.id"))
    to_address: Mapped[str] = mapped_column(String(200), default="")  # number, e-mail or address
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    local_time: Mapped[str] = mapped_column(String(40))  # ISO time in the party's own zone
    outcome: Mapped[Outcome] = mapped_column(text_enum(Outcome, 20))
    # When the delivery proof says the communication reached the party (a letter days after it was
    # mailed; an e-mail or text the moment it was sent): set with outcome "delivered", else None
    # (not delivered, or its delivery not recorded). Dates the law runs from arrival count from it.
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    # When a letter or notice recorded as sent came back undelivered (退回, outcome "failed" by
    # activity.record_failure) and why; failure_note: the return slip's words ("other" needs them).
    # None / "" for a communication logged as failed when it was recorded (a call not answered).
    failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    failure_reason: Mapped[FailureReason | None] = mapped_column(text_enum(FailureReason, 20), default=None)
    failure_note: Mapped[str] = mapped_column(String(500), default="")
    # A letter's carrier (ems, usps) and the tracking number it was mailed under (EMS 邮件号, USPS
    # tracking number; service.cases.postal checks it): the carrier's record of its delivery is found
    # by it. None for any other communication, and for a letter mailed before 0036 or not yet recorded.
    carrier: Mapped[Carrier | None] = mapped_column(text_enum(Carrier, 10), default=None)
    tracking_no: Mapped[str | None] = mapped_column(String(30), default=None)
    consent_outside_hours: Mapped[bool] = mapped_column(default=False)
    template_kind: Mapped[str] = mapped_column(String(40), default="")
    document_id: Mapped[str | None] = mapped_column(String(40))
    content_hash: Mapped[str] = mapped_column(String(64), default="")
    recording_ref: Mapped[str] = mapped_column(String(120), default="")
    # The call opened with the recording disclosure and the party consented to being recorded: what a
    # state requiring every party's consent to record a call asks of a recording filed as evidence (US-26)
    recording_consent: Mapped[bool] = mapped_column(default=False)
    summary: Mapped[str] = mapped_column(Text, default="")
    promise_date: Mapped[date | None]
    promise_amount: Mapped[Decimal | None] = mapped_column(Money())
    # What a notice stating the debt told the borrower is owed, as of its date: a court document may
    # claim more only by what its reconciliation explains (DOC-05).
    stated_total: Mapped[Decimal | None] = mapped_column(Money(), default=None)
    # The as-of date of the generated notice (every notice made by the service, since 2026-12-04;
    # before, only those with a stated_total): the day its stated dates count from, which can be
    # earlier than sent_at (a past as-of is allowed).
    stated_as_of: Mapped[date | None] = mapped_column(default=None)
    actor: Mapped[str] = mapped_column(String(120), default="")


class Visit(Base):
    __tablename__ = "visit"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("debt_case.id"), index=True)
    purpose: Mapped[str] = mapped_column(Text)
    # The purpose in English, for the English notice when `purpose` is written in Chinese.
    purpose_en: Mapped[str] = mapped_column(Text, default="")
    place_kind: Mapped[str] = mapped_column(String(10), default="home")  # home | work
    address: Mapped[str] = mapped_column(Text)
    window_start: Mapped[datetime] = mapped_column(UTCDateTime())
    window_end: Mapped[datetime] = mapped_column(UTCDateTime())
    organisation: Mapped[str] = mapped_column(String(200), default="")
    notice_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    notice_document_id: Mapped[str | None] = mapped_column(String(40))
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    consent_to_enter: Mapped[bool | None]
    persons_present: Mapped[str] = mapped_column(Text, default="")
    documents_shown: Mapped[list[Any]] = mapped_column(default=list)
    explanations: Mapped[str] = mapped_column(Text, default="")
    debtor_statement: Mapped[str] = mapped_column(Text, default="")
    financial_situation: Mapped[str] = mapped_column(Text, default="")
    proposal: Mapped[str] = mapped_column(Text, default="")
    outcome: Mapped[str] = mapped_column(String(30), default="")
    signature: Mapped[str] = mapped_column(String(10), default="")  # signed | refused | absent
    recording_refs: Mapped[list[Any]] = mapped_column(default=list)

    staff: Mapped[list["VisitStaff"]] = relationship(
        lazy="raise", order_by="VisitStaff.id", cascade="all, delete-orphan"
    )


class VisitStaff(Base):
    __tablename__ = "visit_staff"

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visit.id"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    badge_no: Mapped[str] = mapped_column(String(40))
    organisation: Mapped[str] = mapped_column(String(200), default="")


class RepaymentPlan(Base):
    __tablename__ = "repayment_plan"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("debt_case.id"), index=True)
    agreement_no: Mapped[str] = mapped_column(String(60), unique=True)
    plan_type: Mapped[PlanType] = mapped_column(text_enum(PlanType, 24))
    status: Mapped[PlanStatus] = mapped_column(text_enum(PlanStatus, 12))
    as_of_date: Mapped[date]  # the date the acknowledged debt is computed at
    signed_date: Mapped[date | None]
    signed_place: Mapped[str] = mapped_column(String(200), default="")
    # The debt the borrower acknowledges (interrupts limitation, 民法典 art. 195).
    ack_principal: Mapped[Decimal] = mapped_column(Money())
    ack_interest: Mapped[Decimal] = mapped_column(Money())
    ack_penalty: Mapped[Decimal] = mapped_column(Money())
    ack_fees: Mapped[Decimal] = mapped_column(Money())
    # Of ack_principal, what the contract makes due after as_of_date and the plan keeps no sooner
    # than the contract: acknowledged as owed, not as due (the plan does not accelerate it), as the
    # visit kit's proposal stated it (proposals.principal_left_on_contract_dates).
    principal_not_due: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0.00"))
    # The contract interest scheduled after as_of_date that the plan does not charge: stated in the
    # agreement, waived on condition of performance, revived on breach (proposals.plan_relief).
    interest_not_charged: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0.00"))
    waived_amount: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0.00"))
    waiver_conditional: Mapped[bool] = mapped_column(default=True)
    plan_rate: Mapped[str] = mapped_column(String(20), default="0")  # interest during the plan
    grace_days: Mapped[int] = mapped_column(default=5)
    cure_days: Mapped[int] = mapped_column(default=15)
    service_address: Mapped[str] = mapped_column(Text, default="")
    e_service_consent: Mapped[bool] = mapped_column(default=False)
    pay_to: Mapped[dict[str, Any]] = mapped_column(default=dict)

    instalments: Mapped[list["PlanInstalment"]] = relationship(
        lazy="raise", order_by="PlanInstalment.no", cascade="all, delete-orphan"
    )


class PlanInstalment(Base):
    __tablename__ = "plan_instalment"
    __table_args__ = (UniqueConstraint("plan_id", "no"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("repayment_plan.id"), index=True)
    no: Mapped[int]
    due_date: Mapped[date]
    amount: Mapped[Decimal] = mapped_column(Money())


class BreachEvent(Base):
    __tablename__ = "breach_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("repayment_plan.id"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("debt_case.id"), index=True)
    instalment_no: Mapped[int]
    due_date: Mapped[date]
    missed_amount: Mapped[Decimal] = mapped_column(Money())
    detected_on: Mapped[date]
    cure_deadline: Mapped[date]
    cured_on: Mapped[date | None]
    notice_document_id: Mapped[str | None] = mapped_column(String(40))
    # What the last breach notice said falls due on acceleration, and the day that amount is the
    # balance of: the acceleration date (that day's default interest included) where the notice came
    # before it, else the notice's own date (the notice's date is its document's as_of_date). A court
    # document may claim more only by what its reconciliation explains (DOC-05).
    notice_total: Mapped[Decimal | None] = mapped_column(Money(), default=None)
    notice_as_of: Mapped[date | None] = mapped_column(default=None)


class AccountReview(Base):
    """Someone reviewed the account records (who, when): an affidavit says "I have reviewed the
    records" only when such a review is recorded, by its affiant (US-12)."""

    __tablename__ = "account_review"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("debt_case.id"), index=True)
    reviewer: Mapped[str] = mapped_column(String(120))
    reviewer_title: Mapped[str] = mapped_column(String(80), default="")
    reviewed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    note: Mapped[str] = mapped_column(Text, default="")
    actor: Mapped[str] = mapped_column(String(120), default="")
