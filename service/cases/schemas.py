"""Pydantic I/O of the case API. Money is Decimal in and a decimal string out.

Every input model is an `InputModel`: its strings are checked for control and bidi characters
and bounded in length. Amounts are normalised to cents ("1E+2" becomes 100.00); dates and
timestamps have a plausible range per field (`service.core.dates`).
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal, Self

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from service.cases.enums import (
    Carrier,
    Channel,
    CreditorRole,
    FailureReason,
    HoldKind,
    LicenceType,
    Outcome,
    PartyKind,
    Profile,
    Stage,
)
from service.core.dates import BirthDate, BusinessDate, Timestamp
from service.core.text import MULTILINE, InputModel, LongText

CENT = Decimal("0.01")


def _to_cents(value: Decimal) -> Decimal:
    # Decimal keeps the exponent it was written with; stored and echoed, "1E+2" would stay "1E+2".
    return value.quantize(CENT)


# The US states and DC, by postal code: where a lawyer can be admitted to the bar (BarAdmission).
US_STATES = frozenset((
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS", "KY",
    "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC", "ND", "OH",
    "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY"))


def _bars(bars: dict[str, str]) -> dict[str, str]:
    """A bar number per state: the key a US state's postal code, the number given (US-23)."""
    for state, number in bars.items():
        if state not in US_STATES:
            raise ValueError(f"{state!r} is not a US state's two-letter postal code (e.g. CA, NY)")
        if not number.strip() or len(number) > 40:
            raise ValueError(f"the bar number for {state} must be given, at most 40 characters")
    return {state: number.strip() for state, number in bars.items()}


BarNumbers = Annotated[dict[str, str], AfterValidator(_bars)]
Amount = Annotated[Decimal, Field(max_digits=16, decimal_places=2), AfterValidator(_to_cents)]
RateIn = Annotated[Decimal, Field(ge=0, le=10, max_digits=12, decimal_places=8,
                                  description="annual rate as a fraction: 0.18 = 18 % a year")]


_In = InputModel


class PaymentAccountIn(_In):
    """The lender's collection account, where borrowers pay."""

    bank: str = Field("", max_length=200)
    bank_en: str = Field("", max_length=200, description="the bank in English, for English documents (required "
                                                             "for one that prints the account when `bank` is Chinese)")
    account_name: str = Field("", max_length=200)
    account_name_en: str = Field("", max_length=200, description="the account holder in English, as `bank_en`")
    account_no: str = Field("", max_length=40)


class LenderLicenceIn(_In):
    """A licence the lender holds in one US state (US-15 table, "licence_kinds"): what that state's
    complaint alleges, by the number that state's regulator gave it."""

    state: str = Field(min_length=2, max_length=2, description="the US state's postal code (CA, NY, ...)")
    kind: str = Field(min_length=2, max_length=40, pattern=r"^[a-z][a-z0-9_]*$",
                      description="the law it is held under, as rule US-15's table names it for the state: CA cfl "
                                  "(California Financing Law) or debt_collector; NY licensed_lender; IL "
                                  "consumer_installment_lender or collection_agency; TX regulated_lender")
    number: str = Field(min_length=1, max_length=60, description="the licence's number from the state's "
                                                                   "regulator (a CFL licence: 60DBO-12345), not the "
                                                                   "NMLS ID")
    issued_on: BusinessDate | None = Field(None, description="when the licence was issued, where recorded")

    @model_validator(mode="after")
    def _state(self) -> Self:
        if self.state not in US_STATES:
            raise ValueError(f"{self.state!r} is not a US state's two-letter postal code (e.g. CA, NY)")
        self.number = self.number.strip()
        if not self.number:
            raise ValueError("the licence's number must be given")
        return self


def _one_each(licences: list[LenderLicenceIn]) -> list[LenderLicenceIn]:
    seen: set[tuple[str, str]] = set()
    for x in licences:
        if (x.state, x.kind) in seen:
            raise ValueError(f"two {x.kind} licences in {x.state}: a lender holds one of each kind in a state")
        seen.add((x.state, x.kind))
    return licences


LenderLicences = Annotated[list[LenderLicenceIn], Field(max_length=120), AfterValidator(_one_each)]


def _app_name(name: str | None) -> str | None:
    """The app's name as borrowers find it; blank is no app (None)."""
    return (name or "").strip() or None


AppName = Annotated[str | None, Field(max_length=60, description=(
    "the app borrowers repay in, by its name as they find it (\"随心贷App\"); null or empty: the lender has "
    "no app, and no notice names one (rule DOC-10)")), AfterValidator(_app_name)]
NmlsId = Annotated[str, Field(max_length=12, pattern=r"^(\d{1,12})?$",
                              description="US: the company's NMLS ID (digits): the registry's identifier, not a "
                                          "state licence's number")]


class LenderIn(_In):
    code: str = Field(min_length=2, max_length=12, pattern=r"^[A-Z0-9]+$",
                      description="short code, also the Bates prefix")
    name: str = Field(min_length=1, max_length=200)
    name_en: str = ""
    licence_type: LicenceType
    licence_no: str = Field("", max_length=80, description="CN: the lending licence's number; a US lender "
                                                            "records its licences per state (`licences`)")
    nmls_id: NmlsId = ""
    licences: LenderLicences = Field(default_factory=list, description="US: the licences the lender holds, "
                                                                         "each in one state")
    credit_system: str = Field(default="", max_length=20,
                               description="credit system the lender reports to (rule CN-31); empty: none")
    creditor_role: CreditorRole = CreditorRole.ORIGINAL_CREDITOR
    collects_for: str = Field(default="", max_length=200, description="a debt collector's creditor (required then)")
    lending_practice: Literal["", "natural_person", "occasional", "to_public"] = Field(
        "", description="CN, a lender without a lending licence: a natural person, or an organisation, lending "
                        "occasionally (not to the public), or one lending for profit to the public (a professional "
                        "lender, its contracts void: 民间借贷规定 art. 13(三), rule CN-32); empty: not recorded")
    uscc: str = Field("", max_length=40)
    legal_rep: str = Field("", max_length=80)
    legal_rep_title: str = Field("", max_length=40)
    address: str = ""
    postal_code: str = Field("", max_length=12)
    hotline: str = Field(max_length=40, min_length=3)
    email: str = Field("", max_length=120, description="the customer mailbox borrowers write to")
    legal_email: str = Field("", max_length=120, description="the litigation or legal contact's e-mail: where courts "
                                                               "serve the lender electronically (电子送达)")
    legal_phone: str = Field("", max_length=40, description="the litigation or legal contact's phone: the one "
                                                             "a service-address confirmation gives a court")
    website: str = Field("", max_length=120)
    app_name: AppName = None
    seal_text: str = Field("", max_length=120)
    letterhead: str = ""
    payment_account: PaymentAccountIn = Field(default_factory=PaymentAccountIn)


class LenderLicencesPatch(_In):
    """What a lender's PATCH corrects: its NMLS ID and its state licences, each where given (the
    licences given replace those recorded; an empty list removes them), and its repayment app
    (`app_name`: a name records it, null or empty records that the lender has none)."""

    nmls_id: NmlsId | None = None
    licences: LenderLicences | None = None
    app_name: AppName = None


class LenderLicenceOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    state: str
    kind: str
    number: str
    issued_on: date | None


class LenderOut(BaseModel):
    """A lender's profile as recorded."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    code: str
    name: str
    name_en: str
    profile: str
    licence_type: str
    licence_no: str
    nmls_id: str
    licences: list[LenderLicenceOut]
    creditor_role: str
    collects_for: str
    address: str
    postal_code: str
    hotline: str
    website: str
    app_name: str | None = Field(description="the app borrowers repay in; null: none (no notice names one)")
    repayment_account: str | None = Field(description="the repayment account's number; null: none recorded")

    @model_validator(mode="before")
    @classmethod
    def _account(cls, data: Any) -> Any:
        """From a Lender row: its repayment account's number (the account is a JSON record)."""
        if isinstance(data, dict) or not hasattr(data, "payment_account"):
            return data
        number = (data.payment_account or {}).get("account_no") or None
        return {name: getattr(data, name) for name in cls.model_fields if name != "repayment_account"} | {
            "repayment_account": number}


class LawFirmIn(_In):
    """A partner law firm, as it is recorded (the demo seed records its firms through it)."""

    code: str = Field(min_length=2, max_length=20, pattern=r"^[A-Z0-9]+$")
    name: str = Field(min_length=1, max_length=200)
    name_en: str = Field("", max_length=200)
    profile: Profile = Field(Profile.CN, description="where the firm practises: its postal code is a CN one "
                                                     "(six digits) or a US ZIP code")
    licence_no: str = Field("", max_length=60, description="律师事务所执业许可证号")
    address: str = ""
    postal_code: str = Field("", max_length=12, description="of the address: the service-address confirmation "
                                                           "states it (法院专递规定 arts 3-4)")
    phone: str = Field("", max_length=40)
    lead_lawyer: str = Field("", max_length=80)
    lead_lawyer_licence: str = Field("", max_length=60, description="律师执业证号")
    lead_lawyer_phone: str = Field("", max_length=40)
    lead_lawyer_email: str = Field("", max_length=120)
    lead_lawyer_bars: BarNumbers = Field(default_factory=dict, description="the lead lawyer's bar admissions: "
                                                                      "US state code -> bar number")


class LawFirmPatch(_In):
    """What a PATCH corrects: the fields given, each as LawFirmIn bounds it. The code stays: it is
    how assignments, API keys and users name the firm."""

    name: str | None = Field(None, min_length=1, max_length=200)
    name_en: str | None = Field(None, max_length=200)
    profile: Profile | None = Field(None, description="where the firm practises (the postal code must then fit)")
    licence_no: str | None = Field(None, max_length=60)
    address: str | None = None
    postal_code: str | None = Field(None, max_length=12)
    phone: str | None = Field(None, max_length=40)
    lead_lawyer: str | None = Field(None, max_length=80)
    lead_lawyer_licence: str | None = Field(None, max_length=60)
    lead_lawyer_phone: str | None = Field(None, max_length=40)
    lead_lawyer_email: str | None = Field(None, max_length=120)
    lead_lawyer_bars: BarNumbers | None = None


class LawFirmOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    code: str
    name: str
    name_en: str
    profile: str
    licence_no: str
    address: str
    postal_code: str
    phone: str
    lead_lawyer: str
    lead_lawyer_licence: str
    lead_lawyer_phone: str
    lead_lawyer_email: str
    lead_lawyer_bars: dict[str, str]


class LawFirmPage(BaseModel):
    items: list[LawFirmOut]
    next_cursor: str | None


class PhoneIn(_In):
    number: str = Field(min_length=5, max_length=40)
    label: str = "mobile"
    do_not_call: bool = False


class BorrowerIn(_In):
    name: str = Field(min_length=1, max_length=120)
    name_en: str = Field("", max_length=120)
    gender: Literal["男", "女", "male", "female", ""] = ""
    birth_date: BirthDate | None = None
    ethnicity: str = Field("", max_length=20)
    id_type: Literal["cn_resident_id", "passport", "us_ssn"]
    id_number: str = Field(max_length=40)
    phones: list[PhoneIn] = Field(min_length=1, max_length=20)
    email: str = Field("", max_length=120)
    hukou_address: str = ""
    habitual_address: str = ""
    postal_code: str = Field("", max_length=12)
    employer: str = ""
    occupation: str = Field("", max_length=80)
    timezone: str = Field("Asia/Shanghai", max_length=40)
    language: Literal["zh-CN", "en-US"] = "zh-CN"
    monthly_income: Amount | None = Field(default=None, ge=0, description="the borrower's monthly income, as stated "
                                                                          "or recorded (PLAN-05 flags a plan above it)")


class ContactIn(_In):
    name: str = Field(max_length=120)
    relation: str = Field(max_length=40)
    phone: str = Field(max_length=40)
    debt_related: bool = False


class ContractIn(_In):
    contract_no: str = Field(min_length=3, max_length=60)
    product_name: str = Field("", max_length=120)
    title: str = Field(default="", max_length=200, description="the contract's name as the contract gives it")
    currency: Literal["CNY", "USD"] = "CNY"
    signed_date: BusinessDate
    signed_place: str = ""
    channel: Literal["online", "offline"] = "online"
    esign: dict[str, str] = Field(default_factory=dict, max_length=30)
    principal_agreed: Amount = Field(gt=0)
    disbursed_amount: Amount = Field(gt=0)
    disbursed_date: BusinessDate
    disbursement_ref: str = Field("", max_length=80)
    nominal_rate: RateIn
    day_basis: Literal[360, 365] = 360
    penalty_rate: RateIn
    acceleration_overdue_days: int = Field(
        default=90, ge=0, le=3650,
        description="the acceleration clause's condition: the lender may declare the whole loan due once an "
                    "instalment is more than this many days overdue (0: on any missed instalment)")
    acceleration_basis: Literal["days", "instalments", "days_or_instalments"] = Field(
        default="days", description="what the acceleration clause counts: days overdue "
                                    "(acceleration_overdue_days), missed instalments, or either")
    acceleration_missed_instalments: int = Field(
        default=0, ge=0, le=600, description="the number of missed instalments (not paid in full when due) that "
                                             "lets the lender accelerate (0: no such condition)")
    acceleration_missed_consecutive: bool = Field(
        default=False, description="the missed instalments are counted in a row (连续), else in all (累计)")

    @model_validator(mode="after")
    def _instalment_condition(self) -> Self:
        if self.acceleration_basis != "days" and self.acceleration_missed_instalments < 1:
            raise ValueError("acceleration_missed_instalments: a condition on missed instalments needs their "
                             "number (1 or more)")
        return self
    compound_allowed: bool = False
    repayment_method: Literal["equal_instalment", "equal_principal", "bullet", "interest_only_bullet"]
    allocation_order: list[Literal["fee", "penalty", "compound", "interest", "principal"]] | None = None
    clause_refs: dict[str, str] = Field(default_factory=dict, max_length=30)
    agreed_service_address: str = ""
    service_phone: str = Field("", max_length=40)
    service_email: str = Field("", max_length=120)
    e_service_consent: bool = False
    jurisdiction_clause: LongText = ""


class InstalmentIn(_In):
    no: int = Field(ge=1, le=1200)
    due_date: BusinessDate
    principal: Amount = Field(ge=0)
    interest: Amount = Field(ge=0)
    fee: Amount = Field(default=Decimal("0"), ge=0)


# The payment channels documents have a word for (templates/legal/_partials/labels.*.html): a
# channel outside this list would reach a court document as a raw code.
PaymentChannel = Literal["", "bank_transfer", "auto_debit", "card", "alipay", "wechat_pay", "cash", "counter", "ach",
                         "check"]


class PaymentIn(_In):
    value_date: BusinessDate
    amount: Amount = Field(gt=0, description="must be positive")
    channel: PaymentChannel = Field("", description="how the payment was made ('' when not known)")
    external_ref: str = Field("", max_length=80)
    note: LongText = ""


class NewPaymentIn(PaymentIn):
    """A payment recorded on a case: one larger than the balance owed plus the tolerance
    (`DOSSIER_OVERPAYMENT_TOLERANCE`) is refused unless it is flagged as an overpayment."""

    overpayment: bool = Field(default=False, description="accept a payment larger than the balance owed plus "
                              "the tolerance; the surplus is held as unapplied credit")


class CaseImport(_In):
    """A whole case in one request: lender, borrower, contract, schedule and payments."""

    ref: str | None = Field(default=None, pattern=r"^[A-Z0-9][A-Z0-9-]{3,39}$")
    profile: Profile = Profile.CN
    stage: Stage = Stage.CURRENT
    us_state: str = ""
    lender: LenderIn
    borrower: BorrowerIn
    contacts: list[ContactIn] = Field(default_factory=list, max_length=50)
    contract: ContractIn
    schedule: list[InstalmentIn] = Field(min_length=1, max_length=1200)
    payments: list[PaymentIn] = Field(default_factory=list, max_length=10000)


CARRIER_HELP = ("a letter's carrier: ems (China Post EMS, a CN case's) | usps (a US case's); default the "
                "case's jurisdiction's carrier when tracking_no is given")
TRACKING_HELP = ("a letter's tracking number: an EMS 邮件号 of 13 characters with its S10 check digit "
                 "(EA123456785CN), or a USPS tracking number of 22 digits (IMpb, 92–95…) or 20 digits, with "
                 "its MOD 10 check digit; spaces are ignored. Evidence of the letter's service (DOC-11)")


class CommunicationIn(_In):
    channel: Channel
    party_kind: PartyKind = PartyKind.BORROWER
    contact_id: int | None = None
    to_address: str = Field(min_length=1, description="phone number, e-mail address or postal address")
    sent_at: Timestamp = Field(description="aware timestamp; judged in the party's local time")
    outcome: Outcome
    consent_outside_hours: bool = False
    template_kind: str = Field("", max_length=40)
    content_hash: str = Field("", max_length=64)
    recording_ref: str = Field("", max_length=120)
    recording_consent: bool = Field(False, description="the call opened with the recording disclosure and the "
                                    "party consented to being recorded (a state requiring every party's "
                                    "consent to record a call, US-26: a recording without it is not filed)")
    summary: LongText = ""
    promise_date: BusinessDate | None = None
    promise_amount: Amount | None = None
    carrier: Carrier | None = Field(None, description=CARRIER_HELP)
    tracking_no: str | None = Field(None, max_length=30, description=TRACKING_HELP)


class DeliveryIn(_In):
    """When a communication recorded as sent reached the party (its delivery proof: a postal
    tracking record, a signed receipt); without it, now. A letter's carrier and tracking number
    where not recorded yet."""

    delivered_at: Timestamp | None = Field(None, description="aware timestamp the delivery proof gives; not "
                                           "before the communication was sent, not in the future (default now)")
    carrier: Carrier | None = Field(None, description=CARRIER_HELP)
    tracking_no: str | None = Field(None, max_length=30, description=TRACKING_HELP)


class MailingIn(_In):
    """The carrier and tracking number a letter recorded as sent (a generated notice) was mailed
    under: recorded when it is posted, or after the fact for a letter recorded without them."""

    carrier: Carrier | None = Field(None, description=CARRIER_HELP)
    tracking_no: str = Field(min_length=1, max_length=30, description=TRACKING_HELP)


class FailureIn(_In):
    """A communication recorded as sent that came back undelivered (退回): why, as the carrier's
    return slip says, and when (default now)."""

    reason: FailureReason = Field(description="refused | unknown_addressee | moved | unclaimed | other")
    note: str = Field("", max_length=500, description="the return slip's words; required with reason \"other\"")
    failed_at: Timestamp | None = Field(None, description="aware timestamp the return slip gives; not before the "
                                        "communication was sent, not in the future (default now)")
    carrier: Carrier | None = Field(None, description=CARRIER_HELP)
    tracking_no: str | None = Field(None, max_length=30, description=TRACKING_HELP)


class TransitionIn(_In):
    to: Stage | None = None
    hold: HoldKind | None = None
    release: bool = False
    reason: Annotated[str, Field(min_length=1, max_length=2000), MULTILINE]


class StaffIn(_In):
    name: str = Field(max_length=80, min_length=1)
    badge_no: str = Field(max_length=40, min_length=1)
    organisation: str = ""


class VisitIn(_In):
    purpose: Annotated[str, Field(min_length=1, max_length=1000), MULTILINE]
    purpose_en: Annotated[str, Field(max_length=1000, description="the purpose in English, for the en-US "
                                     "notice of a case whose purpose is recorded in Chinese"), MULTILINE] = ""
    place_kind: Literal["home", "work"] = "home"
    address: str = Field(min_length=1)
    window_start: Timestamp
    window_end: Timestamp
    organisation: str = ""
    staff: list[StaffIn] = Field(min_length=1, max_length=20)
    notice_sent_at: Timestamp | None = None
    # Filled when the visit is recorded:
    started_at: Timestamp | None = None
    ended_at: Timestamp | None = None
    consent_to_enter: bool | None = None
    persons_present: LongText = ""
    documents_shown: list[str] = Field(default_factory=list, max_length=50)
    explanations: LongText = ""
    debtor_statement: LongText = ""
    financial_situation: LongText = ""
    proposal: LongText = ""
    outcome: str = Field("", max_length=30)
    signature: Literal["signed", "refused", "absent", ""] = ""
    recording_refs: list[str] = Field(default_factory=list, max_length=50)


class ReviewIn(_In):
    """A review of the account records by the person who will swear to them (US-12)."""

    reviewer: str = Field(min_length=2, max_length=120)
    reviewer_title: str = Field(default="", max_length=80)
    reviewed_at: Timestamp = Field(description="aware timestamp of the review")
    note: LongText = ""


class PlanInstalmentIn(_In):
    no: int = Field(ge=1, le=1200)
    due_date: BusinessDate
    amount: Amount = Field(gt=0)


class PlanIn(_In):
    plan_type: Literal["extension", "instalments", "interest_suspension", "partial_waiver"]
    as_of: BusinessDate
    waived_amount: Amount = Field(default=Decimal("0"), ge=0)
    waiver_conditional: bool = True
    grace_days: int = Field(default=5, ge=0, le=60)
    cure_days: int = Field(default=15, ge=1, le=90)
    signed_date: BusinessDate | None = None
    signed_place: str = ""
    service_address: str = ""
    e_service_consent: bool = False
    instalments: list[PlanInstalmentIn] = Field(min_length=1, max_length=600)


class AssignmentIn(_In):
    law_firm: str | None = Field(description="the firm's code, or null to unassign")


class CourtDesignationIn(_In):
    """US-28: the designation of the court chosen for filing, which the captions print."""

    court_designation: str | None = Field(
        max_length=80, description="as the state table writes it for the case's court: \"Precinct 1, Place 2\" "
                                   "(a Texas Justice Court), \"189th Judicial District\" (a Texas District Court); "
                                   "null or \"\" to clear")


class Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class CaseSummary(Out):
    ref: str
    profile: str
    stage: str
    borrower_name: str
    lender_code: str
    contract_no: str
    law_firm: str | None = None
    holds: list[str] = Field(default_factory=list)
    updated_at: datetime


class CasePage(BaseModel):
    items: list[CaseSummary]
    next_cursor: str | None


class Balance(BaseModel):
    as_of: date
    days_past_due: int
    outstanding_principal: Decimal
    overdue_principal: Decimal
    overdue_interest: Decimal
    overdue_fee: Decimal
    penalty: Decimal
    compound: Decimal
    total_overdue: Decimal
    total_outstanding: Decimal
    paid_total: Decimal
    unapplied: Decimal


class CaseDetail(CaseSummary):
    # US-28: the court designation recorded for filing, and the court it was recorded for ("": none)
    court_designation: str = ""
    court_designation_court: str = ""
    contract: dict[str, Any]
    borrower: dict[str, Any]
    lender: dict[str, Any]
    balance: Balance
    schedule: list[dict[str, Any]]
    payments: list[dict[str, Any]]
    limitation: dict[str, Any]
    allowed_transitions: list[str]
