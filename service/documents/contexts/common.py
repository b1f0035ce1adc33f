"""Shared blocks of every document context: document meta, letterhead, parties, amounts.

A context is the complete, frozen set of values one document shows. It is built from the case
(``build``) or invented (``sample``), it is masked for its audience when it is built — a
borrower's letter never receives the full ID number, a third party's notice never receives an
amount — and it is hashed to record exactly what was rendered.
"""

import hashlib
import json
import re
import unicodedata
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, Self

from pydantic import BaseModel, ConfigDict, model_validator

from service.cases import us_law
from service.cases.accounts import penalty_clause_of
from service.cases.caps import Cap
from service.cases.claim import Claim
from service.cases.enums import CreditorRole, LicenceType
from service.cases.ledger import Ledger
from service.cases.masking import Redaction, filing_redaction, identity_for, mask_account
from service.cases.models import Borrower, Lender, LoanContract
from service.cases.rules import RuleSet, load_ruleset
from service.documents.audience import Audience
from service.documents.contexts.facts import CaseFacts
from service.documents.format import figure

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def clean_text(value: str) -> str:
    """NFC, CRLF to LF, tabs to spaces, no other control characters. docxtpl turns \\a, \\f
    and \\t in values into paragraphs, page breaks and tabs, so data must not carry them."""
    text = value.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return _CONTROL.sub("", unicodedata.normalize("NFC", text))


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_clean(v) for v in value)
    return value



class _AcknowledgedParts(Protocol):  # read-only, as a frozen block's fields are
    @property
    def ack_principal(self) -> Decimal: ...

    @property
    def principal_not_due(self) -> Decimal: ...

    @property
    def acknowledged(self) -> Decimal: ...


class AcknowledgedSplit:
    """Art. 1 of a repayment agreement states the debt it acknowledges in two parts: what is due, and
    the loan's principal not yet due (C09-1). One pair of properties for every block carrying the
    agreement's acknowledged debt (the agreement, a plan's block, the claim's agreement block)."""

    @property
    def principal_due(self: _AcknowledgedParts) -> Decimal:
        return self.ack_principal - self.principal_not_due

    @property
    def due_total(self: _AcknowledgedParts) -> Decimal:
        """Art. 1's 合计: the acknowledged debt less the principal not yet due."""
        return self.acknowledged - self.principal_not_due

class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    # Fields holding an organisation's name (the lender, the law firm, the court): the document
    # keeps each whole on one line wherever it prints it (DocumentContext.organisation_names)
    ORG_NAMES: ClassVar[tuple[str, ...]] = ()

    @model_validator(mode="before")
    @classmethod
    def _clean_strings(cls, data: Any) -> Any:
        return _clean(data) if isinstance(data, dict) else data


class Required(Frozen):
    """A value that must appear in the rendered text (checked on every render)."""

    label: str
    text: str


class DocMeta(Frozen):
    kind: str
    profile: str
    locale: str
    audience: Audience
    as_of: date
    case_ref: str
    state: str = ""  # a US case's state: its courts' redaction rule (US-13, the state table of US-15)

    @property
    def is_zh(self) -> bool:
        return self.locale.startswith("zh")

    @property
    def rules(self) -> RuleSet:
        """The case's jurisdiction: what a document of it shows and checks."""
        return load_ruleset(self.profile)

    @property
    def currency(self) -> str:
        return self.rules.currency

    @property
    def redaction(self) -> Redaction | None:
        """What a court filing of this case shows of an SSN or account number (None: all of it)."""
        return filing_redaction(self.rules, self.state)

    @property
    def bar_label(self) -> str:
        """What the forum state calls an attorney's number on a filing (US-23, the state table of
        US-15): "State Bar No.", New York's "Attorney Registration No."; a sample without a state
        says "Bar No."."""
        return us_law.state_law(self.rules, self.state).bar_label if self.state else "Bar No."

    def filing_account(self, account_no: str) -> str:
        """A financial account number as a filing shows it: whole, or its last digits (the forum's
        redaction rule, Tex. R. Civ. P. 21c's three, US-13's four). The one rule for every account a
        document prints that a court may see: the contract's number, and the lender's collection
        account in a US agreement (its signed copy is an exhibit)."""
        redaction = self.redaction
        return redaction.tail(account_no) if redaction else account_no

    def money(self, amount: Decimal) -> str:
        """An amount as the jurisdiction's documents write it in running text."""
        return figure(amount, self.currency)


class DocumentContext(Frozen):
    """Base of every kind's context. Subclasses add fields and implement build/sample."""

    doc: DocMeta

    @classmethod
    def build(cls, facts: CaseFacts, doc: DocMeta) -> Self:
        raise NotImplementedError(f"{cls.__name__}.build")

    @classmethod
    def sample(cls, doc: DocMeta) -> Self:
        raise NotImplementedError(f"{cls.__name__}.sample")

    def stated_debt(self) -> Decimal | None:
        """What the document tells the borrower is owed in all, for a notice that states the debt
        (kept with its communication for DOC-05); None for any other document."""
        return None

    def stated_debt_on(self) -> date | None:
        """The day `stated_debt` is the balance of, where not the document's own date (a breach
        notice before the acceleration date states what falls due on that day); None: its date."""
        return None

    def required(self) -> list[Required]:
        """Data the document must show; the renderer refuses a file that lacks any of it."""
        return []

    def template_vars(self) -> dict[str, Any]:
        """Top-level template names: the fields and the computed fields."""
        cls = type(self)
        return {name: getattr(self, name) for name in [*cls.model_fields, *cls.model_computed_fields]}

    def organisation_names(self) -> tuple[str, ...]:
        """The names of the organisations the document names (the blocks' ``ORG_NAMES`` fields),
        longest first: the renderer keeps each whole on a line, as it keeps amounts and dates
        (service/documents/typography.py), in the PDF and in the DOCX."""
        found: set[str] = set()
        _org_names(self, found)
        return tuple(sorted((n for n in found if n.strip()), key=lambda n: (-len(n), n)))

    def content_hash(self) -> str:
        raw = json.dumps(self.model_dump(mode="json"), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(raw.encode()).hexdigest()


def _org_names(value: Any, found: set[str]) -> None:
    if isinstance(value, BaseModel):
        found.update(str(getattr(value, name)) for name in getattr(value, "ORG_NAMES", ()))
        for name in type(value).model_fields:
            _org_names(getattr(value, name), found)
    elif isinstance(value, list | tuple):
        for item in value:
            _org_names(item, found)
    elif isinstance(value, dict):
        for item in value.values():
            _org_names(item, found)


# ---------------------------------------------------------------------------------------------
# Blocks


_LEGAL_FORMS = ("股份有限公司", "有限责任公司", "有限公司", "公司")
_LEGAL_FORMS_EN = (" Co., Ltd.", " Co. Ltd.", " Company Limited", ", LLC", " LLC", ", Inc.", " Inc.", " Ltd.")


_CHINESE = re.compile(r"[\u3400-\u9fff]")


class PaymentAccount(Frozen):
    ORG_NAMES = ("bank", "bank_en", "account_name", "account_name_en")  # kept whole on a line (typography.py)

    bank: str
    account_name: str
    account_no: str  # the lender's own collection account: shown in full so it can be paid into
    # What English documents print: the recorded English names, or a name recorded in English
    # already; "" when only a Chinese name is recorded (`english` refuses the document then).
    bank_en: str = ""
    account_name_en: str = ""

    @classmethod
    def of(cls, record: dict[str, Any] | None) -> Self | None:
        """A stored account (lender.payment_account, plan.pay_to); None without an account number."""
        record = record or {}
        if not record.get("account_no"):
            return None
        bank, holder = record.get("bank", ""), record.get("account_name", "")
        return cls(bank=bank, account_name=holder, account_no=record["account_no"],
                   bank_en=record.get("bank_en") or ("" if _CHINESE.search(bank) else bank),
                   account_name_en=record.get("account_name_en") or ("" if _CHINESE.search(holder) else holder))

    def english(self, field: str) -> Self:
        """The account for an English document that prints it: refused, naming the field to record,
        while the bank or the holder has only a Chinese name."""
        from service.core.errors import InvalidInput

        missing = [name for name, value in (("bank_en", self.bank_en), ("account_name_en", self.account_name_en))
                   if not value]
        if missing:
            raise InvalidInput.one(f"{field}.{missing[0]}", "the repayment account's bank and account holder are "
                                   f"recorded in Chinese only: record {field}.bank_en and {field}.account_name_en "
                                   "before an English document that names them")
        return self


class LenderBlock(Frozen):
    ORG_NAMES = ("name", "name_en", "seal_text")

    name: str
    name_en: str
    address: str
    postal_code: str
    hotline: str
    email: str
    website: str
    uscc: str
    licence_no: str
    legal_rep: str
    legal_rep_title: str
    seal_text: str
    letterhead: str
    account: PaymentAccount | None
    # US: a third-party debt collector says so (12 CFR 1006.18(e)) and names the creditor.
    is_collector: bool = False
    collects_for: str = ""
    is_bank: bool = False  # a bank calls itself 本行 in its letters, any other lender 本公司
    legal_email: str = ""  # where a court serves it electronically; `email` is the customer mailbox
    legal_phone: str = ""  # the same contact's phone; `hotline` is the customers'
    # The app borrowers repay in, by its recorded name ("随心贷App"); None: the lender has none, and
    # no notice names an app. With `account` the channels a notice tells the borrower to pay
    # through; with neither, it names the hotline (templates/_partials/channels.*, rule DOC-10).
    app_name: str | None = None

    @property
    def court_phone(self) -> str:
        """The phone a pleading gives for the lender as a party: its legal contact's, where recorded
        (a court calls about the case, not the customers' hotline), else the hotline."""
        return self.legal_phone or self.hotline

    @property
    def short_name(self) -> str:
        """The name without its legal form, as an SMS signature shows it (华信消费金融)."""
        name = self.name
        for suffix in _LEGAL_FORMS:
            if name.endswith(suffix) and len(name) > len(suffix) + 1:
                return name[: -len(suffix)].rstrip(" ,")
        return name

    @property
    def short_name_en(self) -> str:
        name = self.name_en
        for suffix in _LEGAL_FORMS_EN:
            if name.endswith(suffix) and len(name) > len(suffix) + 1:
                return name[: -len(suffix)].rstrip(" ,")
        return name

    @classmethod
    def of(cls, lender: Lender) -> Self:
        account = PaymentAccount.of(lender.payment_account)
        return cls(name=lender.name, name_en=lender.name_en or lender.name, address=lender.address,
                   postal_code=lender.postal_code, hotline=lender.hotline, email=lender.email,
                   website=lender.website, uscc=lender.uscc, licence_no=lender.licence_no,
                   legal_rep=lender.legal_rep, legal_rep_title=lender.legal_rep_title,
                   seal_text=lender.seal_text or lender.name, letterhead=lender.letterhead, account=account,
                   is_collector=lender.creditor_role == CreditorRole.DEBT_COLLECTOR, collects_for=lender.collects_for,
                   is_bank=lender.licence_type == LicenceType.BANK, legal_email=lender.legal_email,
                   legal_phone=lender.legal_phone, app_name=lender.app_name or None)


class CreditSystemBlock(Frozen):
    """The credit system the lender reports to (CN-31), as a notice names it."""

    name: str
    name_en: str


class PartyBlock(Frozen):
    """The borrower as this audience may see them: empty strings where nothing may be shown."""

    name: str
    name_en: str
    id_label: str  # e.g. cn_resident_id
    id_number: str  # full for court/internal, masked for the borrower, empty for third parties
    phone: str
    address: str
    postal_code: str

    @classmethod
    def of(cls, borrower: Borrower, audience: Audience, rules: RuleSet) -> Self:
        phones = [p.get("number", "") for p in borrower.phones or [] if p.get("number")]
        phone = phones[0] if phones else ""
        address = borrower.habitual_address or borrower.hukou_address or ""
        postal_code = borrower.postal_code or ""
        if audience is Audience.THIRD_PARTY:
            return cls(name=borrower.name, name_en=borrower.name_en or borrower.name, id_label="", id_number="",
                       phone="", address=address, postal_code=postal_code)
        shown = identity_for(borrower.id_number, phone, audience, rules)
        return cls(name=borrower.name, name_en=borrower.name_en or borrower.name, id_label=borrower.id_type,
                   id_number=shown.id_number, phone=shown.phone, address=address, postal_code=postal_code)


class CapQuote(Frozen):
    """The cap a rate shown to the borrower is held to (CN-16): a contract rate above it is quoted
    as capped, naming the cap ("no notice or agreement states or locks in a rate above it")."""

    rate: Decimal
    label_zh: str
    label_en: str

    @classmethod
    def of(cls, cap: Cap) -> "CapQuote | None":
        return cls(rate=cap.annual_rate, label_zh=cap.label_zh, label_en=cap.label_en) if cap.binding else None


class CappedRates:
    """A contract rate as documents quote it: at most the cap, when one binds."""

    if TYPE_CHECKING:  # a field of the models that use this
        cap: CapQuote | None

    def quoted(self, rate: Decimal) -> Decimal:
        return min(rate, self.cap.rate) if self.cap is not None else rate

    def above_cap(self, rate: Decimal) -> bool:
        return self.cap is not None and rate > self.cap.rate


class LoanBlock(CappedRates, Frozen):
    contract_no: str
    contract_no_masked: str  # for SMS and envelopes: the last 4 characters only
    title: str  # the contract's name as the contract gives it (facts record); "" when not on file
    product_name: str
    currency: str
    signed_date: date
    principal_agreed: Decimal
    disbursed_amount: Decimal
    disbursed_date: date
    term_end: date
    periods: int
    nominal_rate: Decimal
    penalty_rate: Decimal
    acceleration_overdue_days: int  # the acceleration clause's condition: more than this many days overdue
    acceleration_basis: str = "days"  # ... or missed instalments, or either (acceleration_clause)
    acceleration_missed_instalments: int = 0
    acceleration_missed_consecutive: bool = False
    clause_refs: dict[str, str]
    cap: CapQuote | None = None
    day_basis: int = 360  # the contract's day count (annual rate ÷ this a day)

    def clause(self, key: str) -> str:
        return self.clause_refs.get(key, "")

    @property
    def penalty_ref(self) -> str:
        """The clause giving the default-interest rate, as the contract numbers it: the one clause
        every document cites that rate to (``accounts.penalty_clause_of``)."""
        return self.clause(penalty_clause_of(self.clause_refs))

    @classmethod
    def of(cls, contract: LoanContract, rules: RuleSet, cap: CapQuote | None = None) -> Self:
        return cls(contract_no=contract.contract_no, contract_no_masked=mask_account(contract.contract_no, rules),
                   title=contract.title, product_name=contract.product_name, currency=contract.currency,
                   signed_date=contract.signed_date, principal_agreed=contract.principal_agreed,
                   disbursed_amount=contract.disbursed_amount, disbursed_date=contract.disbursed_date,
                   term_end=contract.term_end, periods=contract.periods, nominal_rate=contract.nominal_rate,
                   penalty_rate=contract.penalty_rate, acceleration_overdue_days=contract.acceleration_overdue_days,
                   acceleration_basis=contract.acceleration_basis,
                   acceleration_missed_instalments=contract.acceleration_missed_instalments,
                   acceleration_missed_consecutive=contract.acceleration_missed_consecutive,
                   clause_refs={str(k): str(v) for k, v in (contract.clause_refs or {}).items()}, cap=cap,
                   day_basis=contract.day_basis)


class Amounts(Frozen):
    """What is owed at ``as_of``, split as the ledger splits it. ``total_overdue`` is the sum of
    the overdue parts, exactly; ``total_outstanding`` adds principal not yet due."""

    as_of: date
    principal: Decimal  # overdue principal
    interest: Decimal  # overdue contractual interest
    penalty: Decimal  # 罚息 on overdue principal
    compound: Decimal  # 复利 on overdue interest
    fees: Decimal
    total_overdue: Decimal
    principal_not_due: Decimal
    total_outstanding: Decimal
    days_past_due: int
    oldest_due_date: date | None
    paid_total: Decimal

    @property
    def penalty_and_compound(self) -> Decimal:
        return self.penalty + self.compound

    @model_validator(mode="after")
    def _reconciles(self) -> Self:
        parts = self.principal + self.interest + self.penalty + self.compound + self.fees
        if parts != self.total_overdue:
            raise ValueError(f"overdue parts {parts} do not add up to the total {self.total_overdue}")
        if self.total_overdue + self.principal_not_due != self.total_outstanding:
            raise ValueError("total outstanding is not overdue + principal not yet due")
        return self

    @classmethod
    def of_accelerated(cls, claim: Claim, oldest_due_date: date, paid_total: Decimal) -> Self:
        """Once a repayment agreement is accelerated, everything the one claim computation claims is
        overdue at once: nothing is left "not yet due"."""
        total = claim.parts.total
        return cls(as_of=claim.as_of, principal=claim.principal, interest=claim.interest, penalty=claim.penalty,
                   compound=claim.compound, fees=claim.fees, total_overdue=total, principal_not_due=Decimal("0.00"),
                   total_outstanding=total, days_past_due=(claim.as_of - oldest_due_date).days,
                   oldest_due_date=oldest_due_date, paid_total=paid_total)

    @classmethod
    def of(cls, ledger: Ledger) -> Self:
        unpaid = [p.due_date for p in ledger.positions if p.days_past_due > 0]
        return cls(as_of=ledger.as_of, principal=ledger.overdue_principal, interest=ledger.overdue_interest,
                   penalty=ledger.penalty, compound=ledger.compound, fees=ledger.overdue_fee,
                   total_overdue=ledger.total_overdue,
                   principal_not_due=ledger.outstanding_principal - ledger.overdue_principal,
                   total_outstanding=ledger.total_outstanding, days_past_due=ledger.days_past_due,
                   oldest_due_date=min(unpaid) if unpaid else None, paid_total=ledger.paid_total)


def local_datetime(moment: datetime, tz: str) -> datetime:
    from zoneinfo import ZoneInfo

    return moment.astimezone(ZoneInfo(tz))
