"""Lenders, borrowers and the people around them, and the law firms cases are assigned to."""

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from service.cases.enums import CreditorRole, IdType, LicenceType
from service.core.db import Base, Money, text_enum


class Lender(Base):
    __tablename__ = "lender"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(12), unique=True)  # also the Bates prefix
    name: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200), default="")
    profile: Mapped[str] = mapped_column(String(2), default="CN")
    licence_type: Mapped[LicenceType] = mapped_column(text_enum(LicenceType, 20))
    # CN: the lending licence's number (金融许可证号, a local regulator's approval). A US lender's
    # licences are per state (`licences`); its NMLS ID is the registry's number for the company,
    # no state's licence number (`nmls_id`).
    licence_no: Mapped[str] = mapped_column(String(80), default="")
    # US: the Nationwide Multistate Licensing System's unique identifier of the company (digits);
    # "" while not recorded. A complaint may name it beside a state licence, never as one.
    nmls_id: Mapped[str] = mapped_column(String(12), default="")
    # The credit system the lender reports overdue records to (a key of the rule set's CN-31
    # systems); "" when it reports to none, and then no document may mention credit reporting.
    credit_system: Mapped[str] = mapped_column(String(20), default="")
    # US: who collects (CreditorRole). Only a debt collector sends a validation notice (§ 1006.34)
    # and says "this is a debt collector" (§ 1006.18(e)).
    creditor_role: Mapped[CreditorRole] = mapped_column(text_enum(CreditorRole, 20),
                                                        default=CreditorRole.ORIGINAL_CREDITOR)
    collects_for: Mapped[str] = mapped_column(String(200), default="")  # a collector's creditor
    # CN, a lender without a lending licence: how it lends (CN-32, 民间借贷规定 art. 13(三)):
    # natural_person | occasional (not to the public: its contracts may be pleaded valid) |
    # to_public (a 职业放贷人: no complaint on its contracts) | "" (not recorded: no validity pleaded)
    lending_practice: Mapped[str] = mapped_column(String(20), default="")
    uscc: Mapped[str] = mapped_column(String(40), default="")  # 统一社会信用代码 / EIN
    legal_rep: Mapped[str] = mapped_column(String(80), default="")
    legal_rep_title: Mapped[str] = mapped_column(String(40), default="")
    address: Mapped[str] = mapped_column(Text, default="")
    postal_code: Mapped[str] = mapped_column(String(12), default="")
    hotline: Mapped[str] = mapped_column(String(40))
    email: Mapped[str] = mapped_column(String(120), default="")  # the customer mailbox borrowers write to
    # Where a court serves the lender electronically (电子送达, 民诉法 art. 90): its litigation or legal
    # department's e-mail, never the customer mailbox; "" while not recorded (no e-mail e-service).
    legal_email: Mapped[str] = mapped_column(String(120), default="")
    # The same contact's phone, where a court reaches it (送达地址确认书): never the customer hotline;
    # "" while not recorded (an unrepresented lender's confirmation is then refused, naming it).
    legal_phone: Mapped[str] = mapped_column(String(40), default="")
    website: Mapped[str] = mapped_column(String(120), default="")
    # The app borrowers repay in, by its name as they find it ("随心贷App"); None: the lender has no
    # app. A notice names the app only when it is recorded (DOC-10: no "官方App" of a lender without
    # one); the repayment channels a notice states are this app and `payment_account`, else the hotline.
    app_name: Mapped[str | None] = mapped_column(String(60), nullable=True, default=None)
    # Seal and letterhead: the text inside the round seal and the letterhead lines.
    seal_text: Mapped[str] = mapped_column(String(120), default="")
    letterhead: Mapped[str] = mapped_column(Text, default="")
    # Where borrowers pay: {"bank": ..., "bank_en": ..., "account_name": ..., "account_name_en": ...,
    # "account_no": ...}; the *_en names are what English documents print ("" while not recorded:
    # then an English document that prints the account is refused, naming the field).
    payment_account: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # US: the licences the lender holds, each in one state under one law (a California Financing
    # Law licence, a New York licensed-lender licence, ...): what a state's complaint alleges (US-15
    # table, "plaintiff_licence"). Loaded with the lender (selectin): a lender holds a handful.
    licences: Mapped[list["LenderLicence"]] = relationship(
        back_populates="lender", lazy="selectin", cascade="all, delete-orphan",
        order_by="(LenderLicence.state, LenderLicence.kind)")


class LenderLicence(Base):
    """A licence a lender holds in a US state: the state, the law it is held under (a kind the
    state's US-15 table names: "cfl" for the California Financing Law), the number that state's
    regulator gave it ("60DBO-12345"), and when it was issued where recorded."""

    __tablename__ = "lender_licence"
    __table_args__ = (UniqueConstraint("lender_id", "state", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    lender_id: Mapped[int] = mapped_column(ForeignKey("lender.id", ondelete="CASCADE"), index=True)
    state: Mapped[str] = mapped_column(String(2))  # a US state's postal code
    kind: Mapped[str] = mapped_column(String(40))  # the law it is held under: a key of the state's licence_kinds
    number: Mapped[str] = mapped_column(String(60))
    issued_on: Mapped[date | None] = mapped_column(nullable=True, default=None)

    lender: Mapped[Lender] = relationship(back_populates="licences", lazy="raise")


class Borrower(Base):
    __tablename__ = "borrower"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str] = mapped_column(String(120), default="")
    gender: Mapped[str] = mapped_column(String(10), default="")
    birth_date: Mapped[date | None]
    ethnicity: Mapped[str] = mapped_column(String(20), default="")
    id_type: Mapped[IdType] = mapped_column(text_enum(IdType, 20))
    id_number: Mapped[str] = mapped_column(String(40))
    # [{"number": "13800138000", "label": "mobile", "do_not_call": false}]
    phones: Mapped[list[Any]] = mapped_column(default=list)
    email: Mapped[str] = mapped_column(String(120), default="")
    hukou_address: Mapped[str] = mapped_column(Text, default="")  # 户籍地址 / domicile
    habitual_address: Mapped[str] = mapped_column(Text, default="")  # 经常居住地
    postal_code: Mapped[str] = mapped_column(String(12), default="")
    employer: Mapped[str] = mapped_column(String(200), default="")
    occupation: Mapped[str] = mapped_column(String(80), default="")
    timezone: Mapped[str] = mapped_column(String(40), default="Asia/Shanghai")
    language: Mapped[str] = mapped_column(String(10), default="zh-CN")
    # The monthly income the borrower states or the lender records (PLAN-05: a plan instalment above
    # it is flagged); None while not recorded.
    monthly_income: Mapped[Decimal | None] = mapped_column(Money(), nullable=True, default=None)

    contacts: Mapped[list["ContactPerson"]] = relationship(
        back_populates="borrower", lazy="raise", order_by="ContactPerson.id"
    )


class ContactPerson(Base):
    """紧急联系人: reachable only when the borrower is not, and never told of the debt."""

    __tablename__ = "contact_person"

    id: Mapped[int] = mapped_column(primary_key=True)
    borrower_id: Mapped[int] = mapped_column(ForeignKey("borrower.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    relation: Mapped[str] = mapped_column(String(40))
    phone: Mapped[str] = mapped_column(String(40))
    debt_related: Mapped[bool] = mapped_column(default=False)
    do_not_contact: Mapped[bool] = mapped_column(default=False)

    borrower: Mapped[Borrower] = relationship(back_populates="contacts", lazy="raise")


class LawFirm(Base):
    __tablename__ = "law_firm"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200), default="")
    licence_no: Mapped[str] = mapped_column(String(60), default="")  # 执业许可证号
    address: Mapped[str] = mapped_column(Text, default="")
    postal_code: Mapped[str] = mapped_column(String(12), default="")  # of the address (送达地址确认书)
    profile: Mapped[str] = mapped_column(String(2), default="CN")  # where it practises: CN or US postal codes
    phone: Mapped[str] = mapped_column(String(40), default="")
    lead_lawyer: Mapped[str] = mapped_column(String(80), default="")
    lead_lawyer_licence: Mapped[str] = mapped_column(String(60), default="")  # 执业证号
    lead_lawyer_phone: Mapped[str] = mapped_column(String(40), default="")
    lead_lawyer_email: Mapped[str] = mapped_column(String(120), default="")
    # Each state bar the firm's lawyers are admitted to, with the number there (Tex. R. Civ. P. 57,
    # Cal. Rules of Court 2.111(1): on every paper signed). Loaded with the firm (selectin, not
    # "raise"): every reader of a firm that signs a pleading needs them, and a firm has a handful.
    bar_admissions: Mapped[list["BarAdmission"]] = relationship(
        back_populates="law_firm", lazy="selectin", cascade="all, delete-orphan",
        order_by="BarAdmission.state")

    @property
    def lead_lawyer_bars(self) -> dict[str, str]:
        """The lead lawyer's admissions, state code -> bar number: another lawyer's (a lead lawyer
        since replaced) are not the signer's."""
        return {a.state: a.bar_number for a in self.bar_admissions if a.lawyer == self.lead_lawyer}

    @lead_lawyer_bars.setter
    def lead_lawyer_bars(self, bars: dict[str, str]) -> None:
        """Record the lead lawyer's admissions as given: a state's number is corrected in place (so a
        flush never inserts a second row for a state before deleting the first), one left out goes."""
        mine = {a.state: a for a in self.bar_admissions if a.lawyer == self.lead_lawyer}
        for state, admission in mine.items():
            if state not in bars:
                self.bar_admissions.remove(admission)
        for state, number in bars.items():
            if state in mine:
                mine[state].bar_number = number
            else:
                self.bar_admissions.append(BarAdmission(lawyer=self.lead_lawyer, state=state, bar_number=number))


class BarAdmission(Base):
    """A lawyer's admission to a US state's bar: the number a pleading filed in that state's courts
    prints beside the signature (US-23)."""

    __tablename__ = "bar_admission"
    __table_args__ = (UniqueConstraint("law_firm_id", "lawyer", "state"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    law_firm_id: Mapped[int] = mapped_column(ForeignKey("law_firm.id", ondelete="CASCADE"), index=True)
    lawyer: Mapped[str] = mapped_column(String(80))  # as the firm names its lead lawyer
    state: Mapped[str] = mapped_column(String(2))  # a US state's postal code
    bar_number: Mapped[str] = mapped_column(String(40))

    law_firm: Mapped[LawFirm] = relationship(back_populates="bar_admissions", lazy="raise")
