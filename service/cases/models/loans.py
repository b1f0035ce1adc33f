"""The loan contract, its schedule, and the payments received against it."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from service.cases.enums import LoanChannel
from service.core.db import Base, Money, Rate, UTCDateTime, text_enum


class LoanContract(Base):
    __tablename__ = "loan_contract"

    id: Mapped[int] = mapped_column(primary_key=True)
    lender_id: Mapped[int] = mapped_column(ForeignKey("lender.id"), index=True)
    borrower_id: Mapped[int] = mapped_column(ForeignKey("borrower.id"), index=True)
    contract_no: Mapped[str] = mapped_column(String(60), unique=True)
    product_name: Mapped[str] = mapped_column(String(120), default="")
    # The contract's name as the contract itself gives it (e.g. 《随心贷个人消费借款合同》); every
    # document names the contract this way.
    title: Mapped[str] = mapped_column(String(200), default="")
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    signed_date: Mapped[date]
    signed_place: Mapped[str] = mapped_column(String(200), default="")
    channel: Mapped[LoanChannel] = mapped_column(text_enum(LoanChannel, 10), default=LoanChannel.ONLINE)
    # Electronic-signature evidence (电子签名法 arts 13–14): provider, certificate, document hash.
    esign: Mapped[dict[str, Any]] = mapped_column(default=dict)
    principal_agreed: Mapped[Decimal] = mapped_column(Money())
    disbursed_amount: Mapped[Decimal] = mapped_column(Money())
    disbursed_date: Mapped[date]
    disbursement_ref: Mapped[str] = mapped_column(String(80), default="")
    periods: Mapped[int]
    term_end: Mapped[date]
    nominal_rate: Mapped[Decimal] = mapped_column(Rate())
    day_basis: Mapped[int] = mapped_column(default=360)
    penalty_rate: Mapped[Decimal] = mapped_column(Rate())
    # The acceleration clause's condition: the lender may declare the whole loan due once an
    # instalment is more than this many days overdue (逾期超过90日; 0: on any missed instalment).
    # The clause's number is clause_refs["acceleration"]; rule ESC-12 holds acceleration to it.
    acceleration_overdue_days: Mapped[int] = mapped_column(default=90)
    # What the condition counts (AccelerationBasis): days overdue (above), a number of missed
    # instalments (连续/累计N期未按期足额还款), or either; acceleration_missed_instalments is that
    # number, consecutive (连续) or cumulative (累计).
    acceleration_basis: Mapped[str] = mapped_column(String(30), default="days")
    acceleration_missed_instalments: Mapped[int] = mapped_column(default=0)
    acceleration_missed_consecutive: Mapped[bool] = mapped_column(default=False)
    compound_allowed: Mapped[bool] = mapped_column(default=False)
    repayment_method: Mapped[str] = mapped_column(String(30))
    # None means Civil Code art. 561 order: costs → interest → principal.
    allocation_order: Mapped[list[Any] | None] = mapped_column(default=None)
    # {"rate": "第四条", "penalty": "第七条", "acceleration": "第八条", ...}
    clause_refs: Mapped[dict[str, Any]] = mapped_column(default=dict)
    agreed_service_address: Mapped[str] = mapped_column(Text, default="")
    service_phone: Mapped[str] = mapped_column(String(40), default="")
    service_email: Mapped[str] = mapped_column(String(120), default="")
    e_service_consent: Mapped[bool] = mapped_column(default=False)
    jurisdiction_clause: Mapped[str] = mapped_column(Text, default="")
    lpr_at_formation: Mapped[Decimal | None] = mapped_column(Rate())

    instalments: Mapped[list["Instalment"]] = relationship(
        lazy="raise", order_by="Instalment.no", cascade="all, delete-orphan"
    )
    payments: Mapped[list["Payment"]] = relationship(
        lazy="raise", order_by="(Payment.value_date, Payment.id)", cascade="all, delete-orphan"
    )


class Instalment(Base):
    __tablename__ = "instalment"
    __table_args__ = (UniqueConstraint("contract_id", "no"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("loan_contract.id"), index=True)
    no: Mapped[int]
    due_date: Mapped[date]
    principal: Mapped[Decimal] = mapped_column(Money())
    interest: Mapped[Decimal] = mapped_column(Money())
    fee: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0.00"))


class Payment(Base):
    __tablename__ = "payment"

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("loan_contract.id"), index=True)
    value_date: Mapped[date]
    amount: Mapped[Decimal] = mapped_column(Money())
    channel: Mapped[str] = mapped_column(String(40), default="")
    external_ref: Mapped[str] = mapped_column(String(80), default="")
    received_at: Mapped[datetime] = mapped_column(UTCDateTime())
    note: Mapped[str] = mapped_column(Text, default="")

    allocations: Mapped[list["PaymentAllocation"]] = relationship(
        lazy="raise", cascade="all, delete-orphan", order_by="PaymentAllocation.id"
    )


class PaymentAllocation(Base):
    """How a payment was applied: by the contract ledger, instalment by instalment (contract order,
    else Civil Code art. 561); under a signed repayment agreement, a payment after its
    acknowledgement as the agreement applies it, by component, with no loan instalment and a note
    naming the agreement (activity.reallocate: the claim's "paid under the plan"). Recomputed from
    the whole payment history whenever a payment is recorded, a plan signed or the stage changes,
    since a back-dated payment changes what later payments paid (``dossier db reallocate``)."""

    __tablename__ = "payment_allocation"

    id: Mapped[int] = mapped_column(primary_key=True)
    payment_id: Mapped[int] = mapped_column(ForeignKey("payment.id"), index=True)
    instalment_no: Mapped[int | None]
    component: Mapped[str] = mapped_column(String(20))
    amount: Mapped[Decimal] = mapped_column(Money())
    note: Mapped[str] = mapped_column(Text, default="")
