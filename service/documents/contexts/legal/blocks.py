"""Blocks of the court documents and contracts: full identities, counsel, court, loan terms,
the claim and the court fee.

Court filings identify the defendant fully (民诉法 art. 124; 解释 art. 209): these blocks are
built only for the ``court`` audience (and for the contract the borrower signs). US filings are
redacted per the forum's rule (US-13: FRCP 5.2(a)'s last four digits, or the state's own, e.g.
Texas's last three under Tex. R. Civ. P. 21c), birth year only.
"""

import re
from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Literal, Self

from pydantic import Field, model_validator

from service.cases.agreement import AgreementPosition
from service.cases.claim import Claim
from service.cases.court_fee import CourtFee
from service.cases.enums import LoanChannel
from service.cases.ledger import CapBasis, Component
from service.cases.lender_law import CauseOfAction
from service.cases.masking import Audience, identity_for, mask_id
from service.cases.models import Borrower, LoanContract
from service.cases.rules import RuleSet
from service.documents.contexts.common import AcknowledgedSplit, CappedRates, CapQuote, Frozen

D = Decimal
ZERO = D("0.00")


class BasisBlock(Frozen):
    law: str
    articles: tuple[str, ...]


class CauseBlock(Frozen):
    """The 案由 of the suit and the articles it rests on (CN-30, by the lender's licence)."""

    code: str
    name: str
    name_en: str
    basis: tuple[BasisBlock, ...]
    penalty_term: str  # 罚息 | 逾期利息: interest on overdue principal, as every document of the cause calls it
    penalty_term_en: str  # default interest | overdue interest: the same in a document in English
    lender_term: str  # 贷款人 | 出借人: the lender as a party, as the contract and every document call it
    # Whether a pleading may assert the loan contract valid (合法有效): not for a lender without a
    # licence unless its lending is recorded as occasional or a natural person's (CN-32, 民间借贷规定
    # art. 13(三)); the pleading then states the facts only.
    pleads_validity: bool = True
    # The lender's licence type (LicenceType): why the cause is what it is, which a pleading states
    # where it is not self-evident (a micro-lender's 小额借款, a lender licensed for another business's 民间借贷)
    licence: str = ""

    @classmethod
    def of(cls, cause: CauseOfAction, pleads_validity: bool = True, licence: str = "") -> Self:
        return cls(code=cause.code, name=cause.name, name_en=cause.name_en, penalty_term=cause.penalty_term,
                   penalty_term_en=cause.penalty_term_en, lender_term=cause.lender_term,
                   pleads_validity=pleads_validity, licence=licence,
                   basis=tuple(BasisBlock(law=b.law, articles=b.articles) for b in cause.basis))


class PersonBlock(Frozen):
    """A natural person as a party to a suit or a contract (要素式起诉状 party fields)."""

    name: str
    name_en: str
    gender: str  # 男 | 女 | male | female | ""
    birth_date: date | None  # None on US filings (birth year only, FRCP 5.2(a))
    birth_year: int | None
    ethnicity: str
    id_type: str  # cn_resident_id | passport | us_ssn
    id_number: str  # full, except US filings (the last digits the forum's redaction rule keeps)
    phone: str
    email: str
    hukou_address: str  # 户籍地 / domicile
    habitual_address: str  # 经常居住地
    postal_code: str
    employer: str
    occupation: str
    language: str

    @property
    def domicile(self) -> str:
        return self.hukou_address or self.habitual_address

    @property
    def residence(self) -> str:
        return self.habitual_address or self.hukou_address

    @classmethod
    def of(cls, borrower: Borrower, rules: RuleSet, state: str = "") -> Self:
        """`state`: a US case's state, whose courts' redaction rule the ID number follows (US-13)."""
        phones = [p.get("number", "") for p in borrower.phones or [] if p.get("number")]
        year_only = rules.jurisdiction.birth_year_only
        id_number = identity_for(borrower.id_number, "", Audience.COURT, rules, state).id_number
        birth = borrower.birth_date
        return cls(name=borrower.name, name_en=borrower.name_en or borrower.name, gender=borrower.gender,
                   birth_date=None if year_only else birth, birth_year=birth.year if birth else None,
                   ethnicity=borrower.ethnicity, id_type=borrower.id_type, id_number=id_number,
                   phone=phones[0] if phones else "", email=borrower.email,
                   hukou_address=borrower.hukou_address, habitual_address=borrower.habitual_address,
                   postal_code=borrower.postal_code, employer=borrower.employer, occupation=borrower.occupation,
                   language=borrower.language)


def masked_person(person: PersonBlock, rules: RuleSet) -> PersonBlock:
    """The same person as a letter to them may show it (CN-12): ID number masked."""
    return person.model_copy(update={"id_number": mask_id(person.id_number, rules)})


class CounselBlock(Frozen):
    """The partner law firm and the lawyer acting (授权委托书, 律师函)."""

    ORG_NAMES = ("firm", "firm_en")

    firm: str
    firm_en: str
    firm_licence: str  # 律师事务所执业许可证号
    firm_address: str
    firm_phone: str
    lawyer: str
    lawyer_licence: str  # 律师执业证号
    lawyer_phone: str
    lawyer_email: str = ""
    lawyer_bars: dict[str, str] = Field(default_factory=dict)  # US state code -> bar number (Tex. R. Civ. P. 57)
    firm_postal_code: str = ""  # of firm_address (送达地址确认书)

    def bar(self, state: str) -> str:
        return self.lawyer_bars.get(state, "")

    @classmethod
    def of(cls, firm: Any) -> Self:
        return cls(firm=firm.name, firm_en=firm.name_en or firm.name, firm_licence=firm.licence_no,
                   firm_address=firm.address, firm_postal_code=firm.postal_code or "", firm_phone=firm.phone,
                   lawyer=firm.lead_lawyer,
                   lawyer_licence=firm.lead_lawyer_licence, lawyer_phone=firm.lead_lawyer_phone,
                   lawyer_email=firm.lead_lawyer_email or "",
                   lawyer_bars={str(k): str(v) for k, v in (firm.lead_lawyer_bars or {}).items()})


class TermsBlock(CappedRates, Frozen):
    """The loan contract as the complaint and the element form state it."""

    contract_no: str
    title: str  # the contract's name as the contract gives it (facts record); "" when not on file
    # the order the ledger applies a payment within an instalment (accounts.case_terms: the
    # contract's, else art. 561), as the payment history states it; art. 561's in a sample
    allocation_order: tuple[str, ...] = tuple(str(c) for c in Component)
    product_name: str
    currency: str
    signed_date: date
    signed_place: str
    online: bool
    esign_provider: str
    esign_certificate: str
    esign_hash: str
    principal_agreed: Decimal
    disbursed_amount: Decimal
    disbursed_date: date
    disbursement_ref: str
    periods: int
    first_due_date: date
    term_end: date
    nominal_rate: Decimal
    penalty_rate: Decimal
    acceleration_overdue_days: int  # the acceleration clause's condition: more than this many days overdue
    acceleration_basis: str = "days"  # ... or missed instalments, or either (acceleration_clause)
    acceleration_missed_instalments: int = 0
    acceleration_missed_consecutive: bool = False
    compound_allowed: bool
    day_basis: int
    repayment_method: str  # equal_instalment | equal_principal | bullet | interest_only_bullet
    clause_refs: dict[str, str]
    jurisdiction_clause: str
    agreed_service_address: str
    service_phone: str
    service_email: str
    e_service_consent: bool
    cap: CapQuote | None = None  # the rate cap the borrower-facing agreement quotes rates within
    # The schedule's shape, from its rows: how many installments from the first carry no principal
    # (interest only), and the principal the last one repays where it repays all of it (a balloon)
    interest_only_periods: int = 0
    principal_at_end: Decimal | None = None

    def clause(self, key: str) -> str:
        return self.clause_refs.get(key, "")

    @classmethod
    def of(cls, contract: LoanContract, first_due: date, cap: CapQuote | None = None,
           principals: Sequence[Decimal] = ()) -> Self:
        """`principals`: the principal of each installment of the contract's schedule, in order."""
        esign = contract.esign or {}
        interest_only = next((n for n, p in enumerate(principals) if p), len(principals))
        balloon = interest_only == len(principals) - 1 and interest_only > 0
        return cls(interest_only_periods=interest_only if interest_only < len(principals) else 0,
                   principal_at_end=principals[-1] if balloon else None, contract_no=contract.contract_no,
                   title=contract.title, product_name=contract.product_name,
                   currency=contract.currency, signed_date=contract.signed_date, signed_place=contract.signed_place,
                   online=contract.channel is LoanChannel.ONLINE, esign_provider=str(esign.get("provider", "")),
                   esign_certificate=str(esign.get("certificate_sn", "")),
                   esign_hash=str(esign.get("document_sha256", "")), principal_agreed=contract.principal_agreed,
                   disbursed_amount=contract.disbursed_amount, disbursed_date=contract.disbursed_date,
                   disbursement_ref=contract.disbursement_ref, periods=contract.periods, first_due_date=first_due,
                   term_end=contract.term_end, nominal_rate=contract.nominal_rate, penalty_rate=contract.penalty_rate,
                   acceleration_overdue_days=contract.acceleration_overdue_days,
                   acceleration_basis=contract.acceleration_basis,
                   acceleration_missed_instalments=contract.acceleration_missed_instalments,
                   acceleration_missed_consecutive=contract.acceleration_missed_consecutive,
                   compound_allowed=contract.compound_allowed, day_basis=contract.day_basis,
                   repayment_method=contract.repayment_method,
                   clause_refs={str(k): str(v) for k, v in (contract.clause_refs or {}).items()},
                   jurisdiction_clause=contract.jurisdiction_clause,
                   agreed_service_address=contract.agreed_service_address, service_phone=contract.service_phone,
                   service_email=contract.service_email, e_service_consent=contract.e_service_consent, cap=cap)


class CourtBlock(Frozen):
    """The court the case is filed in and why it has jurisdiction (CN-24)."""

    ORG_NAMES = ("name", "name_en")

    name: str
    basis: str  # agreed | lender_domicile | borrower_domicile | internet
    city: str
    # A CN court's English name (CN-24's "english" data: court_name_en), "" where its place has none
    # listed; English versions of CN documents print it with the Chinese name after it in brackets
    name_en: str = ""
    # A US court's designation the caption adds to its name (US-28: "Precinct 1, Place 2", "189th
    # Judicial District"), as recorded on the case for this court; "" where it takes none or none is
    # recorded for it. `designation_blank`: where one is needed and not recorded, the blanks a draft prints.
    designation: str = ""
    designation_blank: str = ""

    @property
    def is_internet_court(self) -> bool:
        return self.basis == "internet"


VENUE_RULE = "CN-24"
_PLACE = re.compile(r"^(?:[^省]{2,8}省)?(?:[^市]{2,8}自治区)?"
                    r"(?P<city>[^市区县]{2,8}市)?(?P<district>[^市区县]{1,8}?(?:新区|区|县|市))?")
_PROVINCE = re.compile(r"^(?:[^省]{2,8}?省|[^区]{2,10}?自治区|北京市|上海市|天津市|重庆市)")
_NAMED_COURT = re.compile(r"([\u4e00-\u9fa5]{2,30}?(?:人民法院|互联网法院))")


def _city_and_district(address: str) -> tuple[str, str]:
    match = _PLACE.match(address.strip())
    if not match:
        return "", ""
    return match.group("city") or "", match.group("district") or ""


def _province(address: str) -> str:
    match = _PROVINCE.match(address.strip())
    return match.group(0) if match else ""


def court_name_en(name: str, rules: RuleSet) -> str:
    """The English name of the CN court `name` from CN-24's "english" data: the court's own English
    name where it has one (an internet, financial or cooperation-zone court), else its Chinese name
    read in its parts, city and district, each of which the data must list; "" where one is not."""
    params = rules.rule(VENUE_RULE).params
    english = params["english"]
    if name in english["courts"]:
        return str(english["courts"][name])
    city, district = _city_and_district(name)
    city_en, district_en = english["cities"].get(city), english["districts"].get(district)
    composed = params["court_name"]
    if city_en and district and name == composed["district"].format(city=city, district=district):
        return str(english["court_name"]["district"].format(city=city_en, district=district_en)) if district_en else ""
    if city_en and name == composed["intermediate"].format(city=city):
        return str(english["court_name"]["intermediate"].format(city=city_en))
    return ""


def court_for(terms: TermsBlock, lender_address: str, borrower_address: str, rules: RuleSet, *, amount: Decimal,
              cause: str | None) -> CourtBlock:
    """The court of first instance from the jurisdiction clause (民诉法 art. 35), else the
    defendant's domicile (art. 24); an online loan in Beijing, Hangzhou or Guangzhou goes to the
    city's internet court (互联网法院规定 art. 2). The level follows the claimed `amount`
    (法发〔2021〕27号): above it, the city's intermediate court, or its financial court for a
    financial `cause` (the 案由 code); below it, the district court, or the court of a special
    area (前海, 横琴) the address lies in. Legal staff confirm it before filing. The court names,
    areas, amounts, the clause's key words and the courts' English names (`court_name_en`) are
    CN-24's data, with their sources and assumptions."""
    court = _court_for(terms, lender_address, borrower_address, rules, amount=amount, cause=cause)
    return court.model_copy(update={"name_en": court_name_en(court.name, rules)})


def _court_for(terms: TermsBlock, lender_address: str, borrower_address: str, rules: RuleSet, *, amount: Decimal,
               cause: str | None) -> CourtBlock:
    """`court_for` without the English name."""
    clause, params = terms.jurisdiction_clause, rules.rule(VENUE_RULE).params
    words = params["clause_words"]
    by_domicile = any(word in clause for word in words["domicile"])
    if not by_domicile and (named := _NAMED_COURT.search(clause)):
        name = re.split(r"[由向在至]", named.group(1))[-1]
        return CourtBlock(name=name, basis="internet" if name.endswith(words["internet_court"]) else "agreed",
                          city=_city_and_district(name)[0])
    lender_side = any(word in clause for word in words["lender_side"])
    address, basis = (lender_address, "lender_domicile") if lender_side else (borrower_address, "borrower_domicile")
    city, district = _city_and_district(address)
    names = params["court_name"]
    level = params["intermediate_from"]
    province = _province(address)
    inside = [_province(a) == province for a in (lender_address, borrower_address)]
    threshold = Decimal(level["parties_alike"] if inside[0] == inside[1] else level["one_party_outside"])
    if city and amount >= threshold:
        financial = params["financial_courts"]
        court = next((c["court"] for c in financial["courts"] if city in c["cities"]), None) \
            if cause in financial["causes"] else None
        return CourtBlock(name=court or names["intermediate"].format(city=city), basis=basis, city=city)
    if terms.online and city in params["internet_courts"]:
        return CourtBlock(name=params["internet_courts"][city], basis="internet", city=city)
    area = next((a for a in params["special_areas"]["areas"]
                 if a["city"] == city and any(word in address for word in a["words"])), None)
    if area is not None:
        return CourtBlock(name=area["court"], basis=basis, city=city)
    name = names["district"] if district else (names["intermediate"] if city else "")
    return CourtBlock(name=name.format(city=city, district=district), basis=basis, city=city)


class ClaimRowBlock(Frozen):
    no: int
    due_date: date
    principal_due_date: date
    days_past_due: int
    principal: Decimal
    interest: Decimal
    fee: Decimal
    penalty: Decimal
    compound: Decimal
    paid: Decimal

    @property
    def total(self) -> Decimal:
        return self.principal + self.interest + self.fee + self.penalty + self.compound

    @property
    def balance(self) -> Decimal:
        """What the instalment's row shows owing: its scheduled parts. Its default interest is
        not a row's own product (one run of one base covers several instalments): the tables
        state it in the default-interest computation (ClaimBlock.accruals), row by row."""
        return self.principal + self.interest + self.fee

    @property
    def settled(self) -> bool:  # a row of its own (SettledRun is the collapsed one)
        return False


ROW_PARTS = ("principal", "interest", "fee", "penalty", "compound")


class AccrualBlock(Frozen):
    """One row of the default-interest computation (``ledger.Accrual``): one base (the overdue
    principal, or interest, of the instalments named) at one rate for `days` days, rounded once;
    a reader recomputes `amount` as base × rate × days ÷ day basis."""

    component: str  # penalty | compound
    start: date  # the days after it are counted
    first_day: date  # the first of them (the row's "from"): a field, so the date checks know it
    end: date  # up to and including it
    days: int
    base: Decimal
    rate: Decimal
    amount: Decimal
    instalments: tuple[int, ...]

    @classmethod
    def of(cls, run: Any) -> Self:
        """From a run of the ledger (``ledger.Accrual``) or of an agreement's penalty: its days begin
        the day after `start`."""
        return cls(component=str(run.component), start=run.start, first_day=run.start + timedelta(days=1),
                   end=run.end, days=run.days, base=run.base, rate=run.rate, amount=run.amount,
                   instalments=run.instalments)


class SettledRun(Frozen):
    """Consecutive instalments with nothing outstanding, shown as one row of a schedule: their
    numbers, first and last due dates, and what was paid on them."""

    first_no: int
    last_no: int
    first_due: date
    last_due: date
    paid: Decimal

    @property
    def settled(self) -> bool:
        return True


def collapse_settled(rows: tuple[ClaimRowBlock, ...]) -> list["ClaimRowBlock | SettledRun"]:
    """A schedule's rows with every run of all-zero rows (nothing owed on them) collapsed into one."""
    out: list[ClaimRowBlock | SettledRun] = []
    for row in rows:
        if row.total:
            out.append(row)
            continue
        last = out[-1] if out else None
        if isinstance(last, SettledRun):
            out[-1] = last.model_copy(update={"last_no": row.no, "last_due": row.due_date,
                                              "paid": last.paid + row.paid})
        else:
            out.append(SettledRun(first_no=row.no, last_no=row.no, first_due=row.due_date, last_due=row.due_date,
                                  paid=row.paid))
    return out


class FeeBracketBlock(Frozen):
    lower: Decimal
    upper: Decimal | None
    rate: Decimal | None  # None: the flat fee of the first bracket
    fee: Decimal


class CourtFeeBlock(Frozen):
    """诉讼费用交纳办法 arts 13–16 on the claimed amount."""

    amount: Decimal
    full: Decimal
    halved: Decimal
    payable: Decimal
    simplified: bool
    brackets: tuple[FeeBracketBlock, ...]
    preservation_amount: Decimal
    preservation: Decimal
    payment_order: Decimal

    @classmethod
    def of(cls, fee: CourtFee) -> Self:
        brackets = tuple(FeeBracketBlock(lower=b.lower, upper=b.upper, rate=b.rate, fee=b.fee) for b in fee.brackets)
        return cls(amount=fee.amount, full=fee.full, halved=fee.halved, payable=fee.payable,
                   simplified=fee.payable != fee.full, brackets=brackets, preservation_amount=fee.amount,
                   preservation=fee.preservation or ZERO, payment_order=fee.payment_order)


def _interest_paid_to(claim: Claim) -> date | None:
    """还息至: the latest due date with every earlier instalment's interest paid in full."""
    paid_to = None
    for p in claim.ledger.positions:
        if p.interest_due_date > claim.ledger.as_of or p.outstanding[Component.INTEREST] > 0:
            break
        paid_to = p.interest_due_date
    return paid_to


class ReconLineBlock(Frozen):
    """One step from the contract to the claim (``service.cases.claim.ReconLine``); the template
    words it by `key` and cites its source: a contract clause, an agreement clause, a rule id."""

    key: str
    amount: Decimal
    source: str  # contract | agreement | payments | rule
    clause: str
    start: date | None
    end: date | None
    rate: Decimal | None
    count: int | None
    info: bool
    # the agreement clause's item that states the rate, where the agreement set its own (第四条第3项)
    item: int | None = None


class PlanRowBlock(Frozen):
    no: int
    due_date: date
    amount: Decimal
    paid: Decimal
    days_late: int
    # due after the acceleration date and unpaid: it fell due on acceleration. The days of default
    # penalty it has borne at as-of: the acceleration date is the penalty's first day and as-of its
    # last (R-14; the agreement ledger counts a day at its end), so both count — the same days as
    # the penalty line's "from … to …" and its amount (10-11 to 12-06 is 57 days, not 56):
    # AgreementPosition.penalty_days, the ledger's own count. Both locales print it for such a row
    # (已提前到期（N天）, "accelerated (N days)"): the days default interest was charged on it.
    accelerated_days: int | None = None

    @property
    def outstanding(self) -> Decimal:
        return self.amount - self.paid


class PaymentBlock(Frozen):
    """One payment the claim's contract ledger received (before the agreement, on an agreement
    basis): its date, amount and the instalments it went to."""

    value_date: date
    amount: Decimal
    instalments: tuple[int, ...]


class NoticeBridgeBlock(Frozen):
    """From what the notice that accelerated the debt said falls due to the claim (review CN-00012:
    the complaint demanded 13,744.90 beside the notice's 13,246.17 with no line between them), as
    the US petition states the amount due on the final payment date (``due_at_final``): the claim
    computation's total on the day the notice stated it, then the penalty (default interest) and
    compound interest accrued after that day to the as-of date, less the payments since. Every
    figure is the one claim computation's (checks.notice_bridge).

    ``basis`` "agreement": a breached repayment agreement accelerated by its default clause, the
    breach notice (违约及提前到期通知书) stating what falls due on the acceleration date.
    ``basis`` "contract": the loan contract's own acceleration clause (no agreement), the notice
    that declared it (the CN 律师函, the US notice of acceleration: DOC-05's claim-stating kinds)
    stating the claim as of its own date (review CN-00061, US-00014)."""

    basis: Literal["agreement", "contract"] = "agreement"
    notice_kind: str = "breach_notice"  # the template kind of the notice that stated the amount
    notice_day: date  # the notice's date (its as-of)
    accelerated_on: date
    # = the notice's stated total = the claim's total on the day it states (the acceleration date
    # under an agreement; the notice's own date on the contract)
    due_on_acceleration: Decimal
    # of it: the penalty of the acceleration date itself (R-14: the first day penalty runs; agreement only)
    first_day_penalty: Decimal
    penalty_from: date  # the day after the day the notice's amount is stated for
    penalty_to: date  # the as-of date
    penalty_since: Decimal  # penalty, compound interest and fees accrued penalty_from..penalty_to
    # its parts: the penalty (default interest) alone, the compound interest, the fees
    default_interest_since: Decimal = Decimal("0.00")
    compound_since: Decimal = Decimal("0.00")
    fees_since: Decimal = Decimal("0.00")
    paid_since: Decimal  # paid after that day, to the as-of date
    claimed_total: Decimal
    # On the contract, a notice dated before the acceleration took effect (the CN 律师函 that
    # declared it: in effect on its delivery, 民法典 art. 137): from the day after its date to that
    # of its delivery (`accelerated_on`), the contract interest on the principal not yet due
    # and the penalty on what was overdue; penalty_from is then the day after the delivery.
    arrival_from: date | None = None
    arrival_interest: Decimal = Decimal("0.00")
    # the default interest (penalty), compound interest and fees of those days, each as the claim splits them
    arrival_penalty: Decimal = Decimal("0.00")
    arrival_compound: Decimal = Decimal("0.00")
    arrival_fees: Decimal = Decimal("0.00")

    @property
    def before_arrival(self) -> Decimal:
        return self.arrival_interest + self.arrival_penalty + self.arrival_compound + self.arrival_fees

    @property
    def days(self) -> int:
        """The days penalty_from..penalty_to, both counted: the days the default interest since runs
        (money.interest_for counts the same)."""
        return (self.penalty_to - self.penalty_from).days + 1

    @model_validator(mode="after")
    def _adds_up(self) -> Self:
        if self.due_on_acceleration + self.before_arrival + self.penalty_since - self.paid_since != self.claimed_total:
            raise ValueError("the notice's amount, the penalty since and the payments since do not add up to the claim")
        if self.default_interest_since + self.compound_since + self.fees_since != self.penalty_since:
            raise ValueError("the penalty, compound interest and fees since do not add up to what accrued since")
        return self


class RevivedPeriodBlock(Frozen):
    """One contract period's interest the agreement waived on condition (its interest clause) and its
    default clause revived (``agreement.RevivedPeriod``): `waived` the period's interest the agreement
    waived, `amount` what of it revived — whole where the period fell due by the acceleration date
    (`days` None), else its `days` from `first_day` to `last_day`, `base` × `rate` ÷ day basis."""

    no: int
    first_day: date
    last_day: date
    due_date: date
    days: int | None
    base: Decimal
    rate: Decimal
    waived: Decimal
    amount: Decimal


class AgreementClaimBlock(Frozen, AcknowledgedSplit):
    """The repayment agreement the claim rests on, and where it stood at as-of."""

    agreement_no: str
    plan_type: str
    acknowledged_on: date
    signed_date: date
    ack_principal: Decimal
    ack_interest: Decimal
    ack_penalty: Decimal
    ack_fees: Decimal
    acknowledged: Decimal
    waived: Decimal
    waiver_conditional: bool
    default_clause: int
    accelerated_on: date | None
    paid_total: Decimal
    payments: int
    revived_waiver: Decimal
    revived_interest: Decimal
    penalty: Decimal
    rows: tuple[PlanRowBlock, ...]
    # what the payments under the agreement paid, by component (the claim's own allocation)
    plan_paid_principal: Decimal = ZERO
    plan_paid_interest: Decimal = ZERO
    plan_paid_penalty: Decimal = ZERO  # penalty and compound interest
    plan_paid_fees: Decimal = ZERO
    # the revived conditional waiver by component (Component values, penalty first), as the
    # agreement's waiver held them; empty when none revived
    revived_waiver_parts: tuple[tuple[str, Decimal], ...] = ()
    # the contract interest to come the agreement waives on condition of performance (its interest
    # clause; not a 停息挂账's suspension), and what its default clause revived of it on breach
    interest_not_charged: Decimal = ZERO
    interest_clause: int = 3
    revived_interest_waiver: Decimal = ZERO
    # of ack_principal: not yet due under the loan contract (the agreement's Art. 1 states it apart)
    principal_not_due: Decimal = ZERO
    # revived_interest_waiver period by period (the claim statement's breakdown); they add up to it
    revived_periods: tuple[RevivedPeriodBlock, ...] = ()

    @property
    def interest_not_revived(self) -> Decimal:
        """Of the interest waived on condition, what the default clause does not revive: the running
        period's days from the acceleration date and the periods after it, never charged."""
        return self.interest_not_charged - self.revived_interest_waiver

    @property
    def revived_total(self) -> Decimal:
        """Everything the default clause revived: the waiver, suspended interest, interest to come."""
        return self.revived_waiver + self.revived_interest + self.revived_interest_waiver

    # The suspended interest (an interest suspension's), span by span as the ledger counted it
    # (AgreementPosition.suspended_accruals): they add up to `revived_interest` once revived. And
    # what the agreement itself stated of it (accounts.interest_suspended_of: counted to the plan's
    # last due date as if every payment were made on its date); None where it states none.
    suspended_spans: tuple[AccrualBlock, ...] = ()
    suspended_stated: Decimal | None = None

    @property
    def plan_end(self) -> date:
        """The plan's last due date."""
        return max(r.due_date for r in self.rows)

    @property
    def suspended_to_plan_end(self) -> Decimal:
        """The suspended interest's spans up to the plan's last due date (a span ends on it)."""
        return sum((x.amount for x in self.suspended_spans if x.end <= self.plan_end), ZERO)

    @property
    def spans_after_plan_end(self) -> tuple[AccrualBlock, ...]:
        """The suspended interest's spans after the plan's last due date, to the day before the
        acceleration date (what the agreement's stated figure does not count)."""
        return tuple(x for x in self.suspended_spans if x.start >= self.plan_end)

    @property
    def suspended_after_plan_end(self) -> Decimal:
        return sum((x.amount for x in self.spans_after_plan_end), ZERO)

    @property
    def stated_as_counted(self) -> bool:
        """The agreement's stated figure is the spans up to the plan's last due date: every payment
        was made on its date, so the difference is the spans after it alone."""
        return self.suspended_stated is not None and self.suspended_stated == self.suspended_to_plan_end

    @model_validator(mode="after")
    def _adds_up(self) -> Self:
        if self.revived_periods and sum((p.amount for p in self.revived_periods), ZERO) != self.revived_interest_waiver:
            raise ValueError("the revived periods do not add up to the revived interest")
        if self.revived_waiver_parts and sum((v for _, v in self.revived_waiver_parts), ZERO) != self.revived_waiver:
            raise ValueError("the revived waiver's parts do not add up to it")
        spans = sum((x.amount for x in self.suspended_spans), ZERO)
        if self.revived_interest and spans != self.revived_interest:
            raise ValueError(f"the suspended interest's spans add up to {spans}, not the {self.revived_interest} "
                             "revived")
        return self

    @property
    def waives_interest(self) -> bool:
        return bool(self.interest_not_charged) and self.plan_type != "interest_suspension"

    @property
    def paid_through(self) -> PlanRowBlock | None:
        """The last plan instalment paid in full with every earlier one (None: not even the first)."""
        last = None
        for r in self.rows:
            if r.paid < r.amount:
                break
            last = r
        return last

    @classmethod
    def of(cls, claim: Claim, *, suspended_stated: Decimal | None = None) -> Self | None:
        """`suspended_stated`: the suspended interest the agreement states (its interest clause)."""
        position = claim.agreement
        if position is None:
            return None
        t, ack = position.terms, position.terms.acknowledged
        accel = position.accelerated_on if position.accelerated_on and position.accelerated_on <= claim.as_of else None
        rows = tuple(PlanRowBlock(no=i.no, due_date=i.due_date, amount=i.amount, paid=i.paid, days_late=i.days_late,
                                  accelerated_days=position.penalty_days
                                  if accel is not None and i.due_date > accel and i.paid < i.amount else None)
                     for i in position.instalments)
        return cls(agreement_no=t.ref, plan_type=t.kind, acknowledged_on=t.acknowledged_on, signed_date=t.signed_date,
                   ack_principal=ack[Component.PRINCIPAL], ack_interest=ack[Component.INTEREST],
                   ack_penalty=ack[Component.PENALTY], ack_fees=ack[Component.FEE], acknowledged=t.acknowledged_total,
                   waived=t.waived, waiver_conditional=t.waiver_conditional, default_clause=t.default.clause_no,
                   accelerated_on=position.accelerated_on, paid_total=position.paid_total, payments=position.payments,
                   revived_waiver=position.revived_waiver, revived_interest=position.revived_interest,
                   penalty=position.penalty, rows=rows,
                   plan_paid_principal=position.paid.get(Component.PRINCIPAL, ZERO),
                   plan_paid_interest=position.paid.get(Component.INTEREST, ZERO),
                   plan_paid_penalty=position.paid.get(Component.PENALTY, ZERO)
                   + position.paid.get(Component.COMPOUND, ZERO),
                   plan_paid_fees=position.paid.get(Component.FEE, ZERO),
                   revived_waiver_parts=_revived_parts(position), interest_not_charged=t.interest_waived_total,
                   interest_clause=t.interest_clause, revived_interest_waiver=position.revived_interest_waiver,
                   principal_not_due=t.principal_not_due,
                   revived_periods=tuple(RevivedPeriodBlock(
                       no=r.period.no, first_day=r.period.start, last_day=r.last_day, due_date=r.period.due_date,
                       days=r.days, base=r.period.balance, rate=r.period.loan.annual_rate, waived=r.period.amount,
                       amount=r.amount) for r in position.revived_interest_periods),
                   suspended_spans=tuple(AccrualBlock.of(a) for a in position.suspended_accruals),
                   suspended_stated=suspended_stated)


def _revived_parts(position: AgreementPosition) -> tuple[tuple[str, Decimal], ...]:
    """What the revived waiver brings back, component by component: the waiver's split (it held
    those parts whole while the plan ran). Empty when nothing revived, or when the split is not the
    revived amount (then the documents state the amount alone)."""
    split = {c: v for c, v in position.terms.waiver_split().items() if v}
    if not position.revived_waiver or sum(split.values(), ZERO) != position.revived_waiver:
        return ()
    return tuple((str(c), v) for c, v in split.items())


class DueBlock(Frozen):
    """Before a recorded acceleration: what is due now, part by part (``Claim.due``)."""

    principal: Decimal
    interest: Decimal
    penalty: Decimal
    compound: Decimal
    fees: Decimal
    total: Decimal


class PrincipalSpanBlock(Frozen):
    """One row of 本金积数 (``caps.PrincipalSpan``): the outstanding principal `balance` over the
    `days` days after `start` up to and including `end`; `product` = balance × days, the rows' sum
    the principal days the cap's allowance is computed on.

    Which days: a day counts at its end, as the ledger counts every accrual (money.interest_for:
    "the days after start up to and including end"; domain-collections §1.7: days(d_i, as_of), the
    as-of day charged). So the first day is the day after disbursement or after the day the balance
    changed (a payment lowers the balance from the day after it, the day paid bearing the old one),
    and the last the as-of date, the same days the default-interest rows charge (`first_day`,
    `last_day` are what a document prints, both inclusive)."""

    start: date
    end: date
    first_day: date  # start + 1 day
    last_day: date  # end
    days: int
    balance: Decimal
    product: Decimal


class InterestSpanBlock(PrincipalSpanBlock):
    """Days of one period's interest on one balance at one cap rate (ledger.InterestSpan): a
    本金积数 row (the same days, balance and product, 元·天) with the rate it bears."""

    rate: Decimal


class CappedInterestBlock(Frozen):
    """A period whose contract interest the cap cut (ledger.CappedInterest): `cap` = Σ balance ×
    rate × days over `spans` ÷ `divisor`, rounded once, is its interest (`lawful`), below the
    contract's `contract`. The divisor is the period's `days` × 12 for a whole month of the schedule
    (`basis` "month": balance × rate ÷ 12 on one balance, each span weighted by its days' share of
    the month on several), `day_basis` for any other period ("days": an irregular first period, the
    running one acceleration cuts); the table prints the formula of each. The balance is the
    principal outstanding and not yet due over its days: the 本金积数 table's, less principal past
    due (which bears the default interest instead)."""

    no: int
    due_date: date
    spans: tuple[InterestSpanBlock, ...]
    contract: Decimal
    cap: Decimal
    lawful: Decimal
    basis: CapBasis
    days: int  # the period's: its spans' together
    day_basis: int
    divisor: int  # days × 12 (month) or day_basis (days)

    @property
    def above_cap(self) -> Decimal:
        return self.contract - self.lawful

    @classmethod
    def rows(cls, ledger: Any) -> tuple[Self, ...]:
        """The periods due by the ledger's as_of whose interest the cap cut, in order."""
        return tuple(
            cls(no=p.no, due_date=p.interest_due_date, contract=x.contract, cap=x.cap, lawful=x.lawful,
                basis=x.basis, days=x.days, day_basis=x.day_basis, divisor=x.divisor,
                spans=tuple(InterestSpanBlock(start=s.start, end=s.end, first_day=s.first_day, last_day=s.end,
                                              days=s.days, balance=s.balance, rate=s.rate, product=s.product)
                            for s in x.spans))
            for p in ledger.positions
            if (x := p.capped_interest) is not None and x.lawful < x.contract and p.interest_due_date <= ledger.as_of)


class ClaimBlock(Frozen):
    """The claim (诉讼请求) as of a date, copied from the money layer's ``Claim``: what is claimed,
    the contractual figures and the cap's cut, the reconciliation, and the agreement it rests on."""

    as_of: date
    accelerated_on: date | None
    basis: str  # contract | agreement
    principal: Decimal
    interest: Decimal  # claimed (after the cap)
    penalty: Decimal
    compound: Decimal
    fees: Decimal
    contract_interest: Decimal  # lawful rates, before the cap on the components together
    contract_penalty: Decimal
    contract_compound: Decimal
    contract_fees: Decimal
    contractual_total: Decimal  # per the contract's (or agreement's) own terms
    # the same part by part: what the caps reduce from (the claim statement's 按约定计算 column)
    agreed_principal: Decimal
    agreed_interest: Decimal
    agreed_penalty: Decimal
    agreed_compound: Decimal
    agreed_fees: Decimal
    claimed_total: Decimal  # 标的额
    reduced_by: Decimal  # contractual_total - claimed_total: every cap line
    together_cut: Decimal  # the cut of the components together (the cap test table)
    set_off: Decimal  # cost paid above the cap, set against principal
    cap_rule: str  # CN-16-PRIVATE | CN-16-LICENSED | US-18 (no rate cap: the agreement's own terms)
    cap_binding: bool  # False: no rate cap applies (a US case); cap_rate is then 0 and unused
    cap_rate: Decimal
    cap_transition: bool  # 民间借贷规定 art. 31: two caps
    lpr_at_formation: Decimal | None
    formation_date: date
    principal_days: Decimal
    principal_spans: tuple[PrincipalSpanBlock, ...] = ()  # principal_days, balance by balance
    # the periods whose interest the cap cut, each with its basis (balance, days, rate): the claim's
    # interest (under an agreement, the interest it acknowledged) is made of them
    capped_interest: tuple[CappedInterestBlock, ...] = ()
    above_cap_set_off: Decimal = Decimal(0)  # interest paid above the cap, set against principal (ledger)
    gross_allowance: Decimal
    cost_paid: Decimal
    allowed_cost: Decimal
    continuing_base: Decimal
    continuing_rate: Decimal
    # The contract clause (a key of its clause_refs) that gives the default rate: the one clause every
    # court document cites that rate to (an agreement's default clause applies it again); "" if none.
    penalty_clause: str
    continuing_from: date
    day_basis: int
    # the default-interest computation, row by row: the contract ledger's runs (contract basis), or
    # under an agreement the runs of the default penalty its default clause charges from the
    # acceleration date (AgreementPosition.accruals), which add up to its default_penalty line
    accruals: tuple[AccrualBlock, ...] = ()
    paid_total: Decimal
    payments: tuple[PaymentBlock, ...]  # what makes up paid_total, in date order
    paid_principal: Decimal
    paid_interest: Decimal
    paid_penalty: Decimal  # penalty and compound interest paid
    paid_fees: Decimal
    interest_paid_to: date | None  # the last due date up to which contractual interest is paid
    outstanding_principal: Decimal
    days_past_due: int
    rows: tuple[ClaimRowBlock, ...]
    reconciliation: tuple[ReconLineBlock, ...]
    agreement: AgreementClaimBlock | None
    fee: CourtFeeBlock | None  # the CN court-fee table; None for a US case
    # Whether the acceleration is the record's (on or before as-of); False: the computation's own
    # at as-of, which a document never states as a fact (DOC-07: only a matured loan gets here)
    accelerated: bool = True
    # Before a recorded acceleration (``accelerated`` False): what is due now (overdue at as-of),
    # part by part where the computation has the parts, and what falls due only on an
    # acceleration (``Claim.due_now``, ``Claim.on_acceleration``: `dossier claim`'s figures).
    due_now: Decimal | None = None
    due: DueBlock | None = None
    on_acceleration: Decimal = Decimal(0)
    # The governing schedule (the plan's, or the contract's) had matured by this day, before the
    # recorded acceleration or the plan's default clause: the debt is due in full without any
    # acceleration (已全部到期), and no document says it was accelerated (``Claim.matured_on``).
    matured_on: date | None = None
    # Of ``interest``, the contract interest an agreement waived on condition and revived on breach
    # (``Claim.interest_revived_from_waiver``): the 诉讼请求 claim it as its own component.
    revived_waived_interest: Decimal = Decimal(0)

    @property
    def other_interest(self) -> Decimal:
        """The claimed interest other than ``revived_waived_interest`` (``Claim.interest_split``)."""
        return self.interest - self.revived_waived_interest

    @property
    def cost(self) -> Decimal:
        return self.interest + self.penalty + self.compound + self.fees

    @property
    def schedule_end(self) -> date | None:
        """The last due date of the schedule that governs the claim: the repayment agreement's
        where the claim rests on one (its schedule replaced the contract's), else the contract's."""
        if self.agreement is not None:
            return max((r.due_date for r in self.agreement.rows), default=None)
        return max((max(r.due_date, r.principal_due_date) for r in self.rows), default=None)

    @property
    def maturity(self) -> str:
        """Whether the debt is due in full at as-of, and why (the element form's 是否到期):
        "accelerated" (a recorded acceleration, or an agreement's default clause, advanced the
        governing schedule), "matured" (its last due date has passed: ``matured_on`` when a recorded
        acceleration came after it, else ``schedule_end``), or "" (not due, which DOC-07 refuses)."""
        if self.matured_on is not None:
            return "matured"
        accelerated_on = self.agreement.accelerated_on if self.agreement is not None else self.accelerated_on
        if self.accelerated and accelerated_on is not None and accelerated_on <= self.as_of:
            return "accelerated"
        end = self.schedule_end
        return "matured" if end is not None and end <= self.as_of else ""

    @property
    def private_lending(self) -> bool:
        return self.cap_rule.endswith("PRIVATE")

    @property
    def lawful_principal(self) -> Decimal:
        """Principal within the caps, before cost paid above them is set against it."""
        return self.principal + self.set_off

    @property
    def lawful_total(self) -> Decimal:
        """Every component within the caps, before the cut of the components together."""
        return self.claimed_total + self.together_cut + self.set_off

    @property
    def lawful_cost(self) -> Decimal:
        return self.contract_interest + self.contract_penalty + self.contract_compound + self.contract_fees

    @property
    def cut_total(self) -> Decimal:
        return self.together_cut + self.set_off

    @property
    def rate_cut(self) -> Decimal:
        """What capping each rate took off (the claim statement's rate-cap lines): a reduction the
        pleadings state without a figure of their own, apart from the cut of the components
        together (`together_cut`) and the set-off (`set_off`), which they state with the figures
        the claim statement shows."""
        return self.reduced_by - self.cut_total

    def cut(self, part: str) -> Decimal:
        """What the caps took off one part: per the contract's (or agreement's) own terms less what
        is claimed. The parts' cuts add up to ``reduced_by``, the one reduction every document states."""
        agreed: Decimal = getattr(self, f"agreed_{part}")
        claimed: Decimal = getattr(self, part)
        return agreed - claimed

    def line(self, key: str) -> ReconLineBlock | None:
        return next((x for x in self.reconciliation if x.key == key), None)

    def repaid(self, part: str) -> Decimal:
        """What the borrower repaid of a part over the whole loan: the contract payments (``paid_*``)
        and, under a repayment agreement, the payments under it (the element form's 还款情况)."""
        own: Decimal = getattr(self, f"paid_{part}")
        return own + (getattr(self.agreement, f"plan_paid_{part}") if self.agreement is not None else ZERO)

    @property
    def repaid_total(self) -> Decimal:
        return sum((self.repaid(p) for p in ("principal", "interest", "penalty", "fees")), ZERO)

    def capped(self, rate: Decimal) -> Decimal:
        """A contract rate as the claim applies it: at most the cap in force (when one binds)."""
        return min(rate, self.cap_rate) if self.cap_binding else rate

    @model_validator(mode="after")
    def _reconciles(self) -> Self:
        if self.principal + self.cost != self.claimed_total:
            raise ValueError(f"claimed parts do not add up to the claimed total {self.claimed_total}")
        if sum((x.amount for x in self.reconciliation if not x.info), ZERO) != self.claimed_total:
            raise ValueError("the reconciliation lines do not add up to the claimed total")
        if self.contractual_total - self.claimed_total != self.reduced_by:
            raise ValueError("the reduction is not the difference between contractual and claimed totals")
        agreed = (self.agreed_principal, self.agreed_interest, self.agreed_penalty, self.agreed_compound,
                  self.agreed_fees)
        if sum(agreed, ZERO) != self.contractual_total:
            raise ValueError("the contractual parts do not add up to the contractual total")
        contract_cost = self.contract_interest + self.contract_penalty + self.contract_compound + self.contract_fees
        if contract_cost - self.cost != self.together_cut:
            raise ValueError("the cap's cut is not the difference between lawful and claimed cost")
        if self.fee is not None and self.fee.amount != self.claimed_total:
            raise ValueError("the court fee is not computed on the claimed total")
        if self.basis == "agreement" and self.accruals:
            penalty = self.line("default_penalty")
            if self.accrued != (penalty.amount if penalty is not None else ZERO):
                raise ValueError(f"the default penalty's runs add up to {self.accrued}, not its line")
        if self.basis == "contract":
            sums = {name: sum((getattr(r, name) for r in self.rows), ZERO) for name in ROW_PARTS}
            contract = {"principal": self.principal + self.set_off, "interest": self.contract_interest,
                        "fee": self.contract_fees, "penalty": self.contract_penalty,
                        "compound": self.contract_compound}
            if sums != contract:
                raise ValueError(f"the instalment rows {sums} do not add up to the lawful figures {contract}")
        return self

    def row_total(self, name: str) -> Decimal:
        return sum((getattr(r, name) for r in self.rows), ZERO)

    @property
    def accrued(self) -> Decimal:
        """What the default-interest rows add up to: every run's amount."""
        return sum((a.amount for a in self.accruals), ZERO)

    @property
    def accrued_settled(self) -> Decimal:
        """Of it, what payments and waivers took (the rest is the instalment rows' default interest).
        Under an agreement none: the claim counts the default penalty whole (its default_penalty
        line) and the payments under the plan as a line of their own (paid_under_plan)."""
        if self.basis == "agreement":
            return ZERO
        return self.accrued - self.row_total("penalty") - self.row_total("compound")

    @property
    def accrued_unpaid(self) -> Decimal:
        """What the default-interest table ends on: the rows less what was paid of them (contract
        basis: the instalment rows' default interest); under an agreement the rows' sum, the
        default_penalty line."""
        return self.accrued - self.accrued_settled

    @property
    def schedule(self) -> list[ClaimRowBlock | SettledRun]:
        """The rows as the schedule prints them: settled instalments collapsed (``collapse_settled``)."""
        return collapse_settled(self.rows)

    @classmethod
    def of(cls, claim: Claim, *, formation_date: date, lpr: Decimal | None, simplified: bool = False,
           penalty_clause: str = "", suspended_stated: Decimal | None = None) -> Self:
        """`penalty_clause`: the contract's default-interest clause (``accounts.penalty_clause_of``),
        named by the agreement's default clause where the claim rests on one; `suspended_stated`: the
        suspended interest the agreement states (AgreementClaimBlock)."""
        from service.cases.court_fee import compute_court_fee

        cap, c, paid = claim.cap_result, claim.cap_result.contractual, claim.ledger.paid
        fee = claim.court_fee if not simplified or claim.court_fee is None else compute_court_fee(
            claim.claimed_total, simplified=True, preservation_amount=claim.claimed_total)
        runs = claim.agreement.accruals if claim.agreement is not None else claim.ledger.accruals if claim.rows else ()
        accruals = tuple(AccrualBlock.of(a) for a in runs)
        rows = tuple(ClaimRowBlock(no=r.no, due_date=r.due_date, principal_due_date=r.principal_due_date,
                                   days_past_due=r.days_past_due, principal=r.principal, interest=r.interest,
                                   fee=r.fee, penalty=r.penalty, compound=r.compound, paid=r.paid)
                     for r in claim.rows)
        lines = tuple(ReconLineBlock(key=x.key, amount=x.amount, source=x.source, clause=x.clause, start=x.start,
                                     end=x.end, rate=x.rate, count=x.count, info=x.info, item=x.item)
                      for x in claim.reconciliation)
        private = claim.cap.private_lending
        return cls(as_of=claim.as_of, accelerated_on=claim.accelerated_on, basis=claim.basis,
                   principal=claim.principal, interest=claim.interest, penalty=claim.penalty,
                   compound=claim.compound, fees=claim.fees, contract_interest=c.interest,
                   contract_penalty=c.penalty, contract_compound=c.compound, contract_fees=c.fees,
                   contractual_total=claim.contractual_total, claimed_total=claim.claimed_total,
                   agreed_principal=claim.contractual.principal, agreed_interest=claim.contractual.interest,
                   agreed_penalty=claim.contractual.penalty, agreed_compound=claim.contractual.compound,
                   agreed_fees=claim.contractual.fees,
                   reduced_by=claim.reduced_by, together_cut=cap.reduced_by, set_off=claim.set_off,
                   cap_rule=claim.cap.rule_id, cap_binding=claim.cap.binding, cap_rate=claim.cap.annual_rate,
                   cap_transition=claim.cap.transition,
                   lpr_at_formation=(claim.cap.lpr or lpr) if private else None,
                   formation_date=formation_date, principal_days=cap.principal_days,
                   principal_spans=tuple(PrincipalSpanBlock(start=x.start, end=x.end, first_day=x.first_day,
                                                            last_day=x.end, days=x.days, balance=x.balance,
                                                            product=x.product) for x in cap.principal_spans),
                   capped_interest=CappedInterestBlock.rows(claim.ledger),
                   above_cap_set_off=sum((ln.amount for a in claim.ledger.allocations for ln in a.lines
                                          if ln.above_cap), Decimal(0)),
                   gross_allowance=cap.gross_allowance, cost_paid=cap.cost_paid, allowed_cost=cap.allowed_cost,
                   continuing_base=claim.continuing.base, continuing_rate=claim.continuing.annual_rate,
                   continuing_from=claim.continuing.from_date,
                   penalty_clause=claim.agreement.terms.default.rate_clause if claim.agreement else penalty_clause,
                   day_basis=claim.continuing.day_basis, accruals=accruals,
                   paid_total=claim.ledger.paid_total,
                   payments=tuple(PaymentBlock(value_date=a.value_date, amount=a.amount,
                                               instalments=tuple(dict.fromkeys(ln.instalment_no for ln in a.lines)))
                                  for a in claim.ledger.allocations),
                   paid_principal=paid[Component.PRINCIPAL],
                   paid_interest=paid[Component.INTEREST],
                   paid_penalty=paid[Component.PENALTY] + paid[Component.COMPOUND], paid_fees=paid[Component.FEE],
                   interest_paid_to=_interest_paid_to(claim), outstanding_principal=claim.ledger.outstanding_principal,
                   days_past_due=claim.ledger.days_past_due, rows=rows, reconciliation=lines,
                   agreement=AgreementClaimBlock.of(claim, suspended_stated=suspended_stated),
                   fee=CourtFeeBlock.of(fee) if fee is not None else None,
                   accelerated=claim.accelerated, due_now=claim.due_now, on_acceleration=claim.on_acceleration,
                   matured_on=claim.matured_on, revived_waived_interest=claim.interest_split[1],
                   due=None if claim.due is None else DueBlock(
                       principal=claim.due.principal, interest=claim.due.interest, penalty=claim.due.penalty,
                       compound=claim.due.compound, fees=claim.due.fees, total=claim.due.total))
