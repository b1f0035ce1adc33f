"""Invented data for the sample() of court documents and contracts.

The claim is computed by the real money layer on an invented loan (the same loan as
``contexts.samples.loan``), so a sample's figures reconcile exactly as a real case's do.
"""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from service.cases import us_law
from service.cases.accounts import penalty_clause_of
from service.cases.claim import Claim, compute_claim
from service.cases.ledger import LoanTerms, Payment, compute_ledger
from service.cases.lender_law import cause_of_action
from service.cases.rules import load_ruleset
from service.cases.schedule import ScheduledInstalment, build_schedule
from service.documents.contexts.legal.blocks import (
    CauseBlock,
    ClaimBlock,
    CounselBlock,
    CourtBlock,
    PersonBlock,
    TermsBlock,
    court_name_en,
)
from service.documents.contexts.legal.timeline import (
    BreachFact,
    DemandFact,
    PlanFact,
    Timeline,
    VisitFact,
    first_default,
)
from service.documents.contexts.record import ContactHistory, NoticeSent

D = Decimal
# The sample lender's licence type per profile (contexts.samples.lender).
LICENCE = {"CN": "consumer_finance", "US": "other_licensed"}


def wording(profile: str) -> dict[str, Any]:
    """The sample lender's 案由 (CN-30: its words for interest on overdue principal) and whether the
    sample contract charges compound interest (``terms``): the ``cause`` and ``compound_allowed``
    of a borrower's document."""
    cause = cause_of_action(load_ruleset(profile), LICENCE[profile])
    return {"cause": CauseBlock.of(cause) if cause is not None else None,
            "compound_allowed": terms(profile).compound_allowed}


def person(profile: str) -> PersonBlock:
    if profile == "US":
        return PersonBlock(name="James Miller", name_en="James Miller", gender="male", birth_date=None,
                           birth_year=1986, ethnicity="", id_type="us_ssn", id_number="*****6789",
                           phone="312-555-0178", email="jmiller@example.com",
                           hukou_address="1452 N Damen Ave, Chicago, IL 60622", habitual_address="",
                           postal_code="60622", employer="Midwest Freight Inc.", occupation="driver",
                           language="en-US")
    return PersonBlock(name="张伟", name_en="Zhang Wei", gender="男", birth_date=date(1989, 12, 31), birth_year=1989,
                       ethnicity="汉族", id_type="cn_resident_id", id_number="11010519891231002X",
                       phone="13800138000", email="", hukou_address="北京市朝阳区建国路88号阳光花园3栋1202室",
                       habitual_address="北京市朝阳区望京街10号锦绣家园5栋601室", postal_code="100022",
                       employer="杭州澜启网络科技有限公司", occupation="软件工程师", language="zh-CN")


def counsel(profile: str) -> CounselBlock:
    if profile == "US":
        return CounselBlock(firm="Harper & Cole LLP", firm_en="Harper & Cole LLP", firm_licence="IL ARDC 6301234",
                            firm_address="77 West Wacker Drive, Suite 4100, Chicago, IL 60601",
                            firm_postal_code="60601",
                            firm_phone="312-555-0190", lawyer="Daniel Harper", lawyer_licence="ARDC 6301234",
                            lawyer_phone="312-555-0191")
    return CounselBlock(firm="北京正衡律师事务所", firm_en="Beijing Zhengheng Law Firm",
                        firm_licence="31110000E00012345E",
                        firm_address="北京市朝阳区建国门外大街1号国贸大厦A座20层", firm_postal_code="100004",
                        firm_phone="010-6505-1200",
                        lawyer="孙立新", lawyer_licence="11101201510123456", lawyer_phone="13901012345")


def _schedule(profile: str) -> list[ScheduledInstalment]:
    if profile == "US":
        return build_schedule(principal=D("6000.00"), annual_rate=D("0.1899"), periods=24,
                              first_due_date=date(2024, 7, 3), method="equal_instalment", start_date=date(2024, 6, 3))
    return build_schedule(principal=D("12000.00"), annual_rate=D("0.18"), periods=12, first_due_date=date(2025, 2, 10),
                          method="equal_instalment", start_date=date(2025, 1, 10))


def loan_terms(profile: str) -> LoanTerms:
    if profile == "US":
        return LoanTerms(principal=D("6000.00"), disbursed_date=date(2024, 6, 3), annual_rate=D("0.1899"),
                         penalty_rate=D("0.1899"), day_basis=365)
    return LoanTerms(principal=D("12000.00"), disbursed_date=date(2025, 1, 10), annual_rate=D("0.18"),
                     penalty_rate=D("0.27"), compound=True)


def schedule(profile: str) -> list[ScheduledInstalment]:
    return _schedule(profile)


def _paid_instalments(profile: str) -> list[Payment]:
    paid = 8 if profile == "US" else 3
    return [Payment(f"P{r.no}", r.due_date, r.total) for r in _schedule(profile)[:paid]]


def plan(profile: str) -> PlanFact:
    """A plan signed 41 days after the first missed instalment: its first instalment paid, the
    second missed; the acknowledged debt is the ledger's on the signing day."""
    rows, paid = _schedule(profile), _paid_instalments(profile)
    signed = rows[len(paid)].due_date + timedelta(41)
    ledger = compute_ledger(loan_terms(profile), rows, paid, as_of=signed)
    waived = ledger.penalty + ledger.compound
    total = ledger.total_outstanding - waived
    share = (total / 6).quantize(D("0.01"))
    return PlanFact(agreement_no="HXCF-RA-2025-000317" if profile == "CN" else "LKCC-PP-2025-0042",
                    plan_type="partial_waiver", as_of_date=signed, signed_date=signed,
                    ack_principal=ledger.outstanding_principal, ack_interest=ledger.overdue_interest,
                    ack_penalty=waived, ack_fees=ledger.overdue_fee, waived_amount=waived, waiver_conditional=True,
                    instalments=6, plan_total=total, first_due=signed + timedelta(30), last_due=signed + timedelta(180),
                    grace_days=5, cure_days=15, paid=share)


def plan_amounts(profile: str) -> list[Decimal]:
    p = plan(profile)
    share = (p.plan_total / 6).quantize(D("0.01"))
    return [share] * 5 + [p.plan_total - share * 5]


def payments(profile: str) -> list[Payment]:
    """The first instalments paid on their due dates, then the plan's first instalment."""
    p = plan(profile)
    return [*_paid_instalments(profile), Payment("PLAN-1", p.first_due, p.paid)]


def accelerated_on(profile: str) -> date:
    """The day after the cure period of the missed second plan instalment."""
    p = plan(profile)
    return p.first_due + timedelta(30 + p.grace_days + p.cure_days + 1)


def claim(profile: str, as_of: date) -> Claim:
    terms = loan_terms(profile)
    us = profile == "US"
    return compute_claim(terms, _schedule(profile), payments(profile), as_of=as_of,
                         lender_type=LICENCE[profile],
                         formation_date=terms.disbursed_date, accelerated_on=accelerated_on(profile),
                         cap=us_law.contract_cap(load_ruleset("US"), "IL") if us else None, court_fees=not us)


def claim_block(profile: str, as_of: date) -> ClaimBlock:
    return ClaimBlock.of(claim(profile, as_of), formation_date=loan_terms(profile).disbursed_date, lpr=None,
                         penalty_clause=penalty_clause_of(terms(profile).clause_refs))


def terms(profile: str) -> TermsBlock:
    rows = _schedule(profile)
    if profile == "US":
        return TermsBlock(contract_no="LKCC-2024-004512", title="Personal Installment Loan Agreement",
                          product_name="Personal Installment Loan", currency="USD",
                          signed_date=date(2024, 6, 3), signed_place="Chicago, IL", online=True,
                          esign_provider="DocuSign", esign_certificate="", esign_hash="", principal_agreed=D("6000.00"),
                          disbursed_amount=D("6000.00"), disbursed_date=date(2024, 6, 3),
                          disbursement_ref="ACH 0000918273", periods=24, first_due_date=rows[0].due_date,
                          term_end=rows[-1].due_date, nominal_rate=D("0.1899"), penalty_rate=D("0.1899"),
                          acceleration_overdue_days=30, compound_allowed=False, day_basis=365,
                          repayment_method="equal_instalment",
                          clause_refs={"rate": "§3", "default": "§7", "acceleration": "§8"},
                          jurisdiction_clause="Circuit Court of Cook County, Illinois",
                          agreed_service_address="1452 N Damen Ave, Chicago, IL 60622", service_phone="312-555-0178",
                          service_email="jmiller@example.com", e_service_consent=True)
    return TermsBlock(contract_no="HXCF-2025-001234", title="个人消费借款合同", product_name="个人消费贷款",
                      currency="CNY",
                      signed_date=date(2025, 1, 10), signed_place="线上（电子签约）", online=True,
                      esign_provider="e签宝",
                      esign_certificate="CA000123456789",
                      esign_hash="9f2c4e1b7a0d3c5e8f6a1b2c3d4e5f60718293a4b5c6d7e8f9a0b1c2d3e4f5a6",
                      principal_agreed=D("12000.00"), disbursed_amount=D("12000.00"), disbursed_date=date(2025, 1, 10),
                      disbursement_ref="TRX20250110000123", periods=12, first_due_date=rows[0].due_date,
                      term_end=rows[-1].due_date, nominal_rate=D("0.18"), penalty_rate=D("0.27"),
                      acceleration_overdue_days=90, compound_allowed=True, day_basis=360,
                      repayment_method="equal_instalment",
                      clause_refs={"rate": "第四条", "day_count": "第四条第二款", "penalty": "第七条第一款",
                                   "compound": "第七条第二款",
                                   "acceleration": "第八条", "service_address": "第十二条", "jurisdiction": "第十三条"},
                      jurisdiction_clause="由贷款人住所地人民法院管辖",
                      agreed_service_address="北京市朝阳区望京街10号锦绣家园5栋601室", service_phone="13800138000",
                      service_email="zhangwei@example.cn", e_service_consent=True)


def lender_name(profile: str) -> str:
    return "Lakeside Consumer Credit, LLC" if profile == "US" else "华信消费金融有限公司"


def contact_place(profile: str) -> tuple[str, str]:
    """The borrower's time zone and phone (as a record shows it) of the sample contacts."""
    return ("America/Chicago", "********0178") if profile == "US" else ("Asia/Shanghai", "138****8000")


def mailing(profile: str) -> tuple[str, str]:
    """The carrier and tracking number the sample letters were mailed under (valid check digits)."""
    return ("usps", "9400111899223197428497") if profile == "US" else ("ems", "EA123456785CN")


def agreement_place(profile: str) -> tuple[str, str]:
    """Where the sample repayment agreement is signed, and the US state whose law governs it."""
    return ("Chicago, IL", "IL") if profile == "US" else ("北京市朝阳区", "")


def signer(profile: str, locale: str) -> PersonBlock:
    """The sample borrower; a CN agreement in English is signed by a foreign borrower."""
    found = person(profile)
    if profile == "CN" and not locale.startswith("zh"):
        found = found.model_copy(update={"name": "John Smith", "name_en": "John Smith", "id_type": "passport",
                                         "id_number": "E12345678", "language": "en-US"})
    return found


def court(profile: str) -> CourtBlock:
    if profile == "US":
        return CourtBlock(name="Circuit Court of Cook County, Illinois", basis="consumer_residence", city="Cook County")
    name = "上海市浦东新区人民法院"
    return CourtBlock(name=name, basis="lender_domicile", city="上海市",
                      name_en=court_name_en(name, load_ruleset(profile)))


def timeline(profile: str, as_of: date) -> Timeline:
    rows = _schedule(profile)
    paid = payments(profile)
    first_unpaid = rows[len(_paid_instalments(profile))].due_date
    call, letter = "call", "letter"
    contacts = ContactHistory(contacts=(
        DemandFact(day=first_unpaid + timedelta(1), channel="sms", template_kind="overdue_reminder",
                   outcome="delivered", reached=True),
        DemandFact(day=first_unpaid + timedelta(9), channel=call, template_kind="", outcome="no_answer", reached=False),
        DemandFact(day=first_unpaid + timedelta(14), channel=call, template_kind="", outcome="answered", reached=True),
        DemandFact(day=first_unpaid + timedelta(21), channel=letter, template_kind="demand_letter",
                   outcome="delivered", reached=True)))
    visits = () if profile == "US" else (
        VisitFact(day=first_unpaid + timedelta(40), staff=2, consent_to_enter=True, signature="signed",
                  outcome="negotiating", debtor_statement="因失业收入中断，暂时无力足额还款",
                  proposal="借款人提出分6期偿还，请求减免部分罚息",
                  notice_sent=first_unpaid + timedelta(33), notice_delivered=True,
                  notice_delivered_on=first_unpaid + timedelta(35)),)
    p = plan(profile)
    breaches = (BreachFact(instalment_no=2, due_date=p.first_due + timedelta(30),
                           missed_amount=plan_amounts(profile)[1],
                           cure_deadline=p.first_due + timedelta(30 + p.grace_days + p.cure_days), cured_on=None,
                           grace_days=p.grace_days, cure_days=p.cure_days,
                           detected_on=p.first_due + timedelta(30 + p.grace_days + 1)),)
    ledger = claim(profile, as_of).ledger
    unpaid = [pos.due_date for pos in ledger.positions if pos.days_past_due > 0]
    return Timeline(signed_date=rows[0].due_date - timedelta(31), disbursed_date=rows[0].due_date - timedelta(31),
                    disbursed_amount=D("6000.00") if profile == "US" else D("12000.00"), payments=len(paid),
                    paid_total=sum((x.amount for x in paid), D("0.00")), last_payment_date=paid[-1].value_date,
                    last_payment_amount=paid[-1].amount, overdue_since=min(unpaid) if unpaid else None,
                    first_default=first_default(ledger), days_past_due=ledger.days_past_due,
                    contacts=contacts, visits=visits, plan=p, breaches=breaches, accelerated_on=accelerated_on(profile),
                    # the breach notice went out the day the missed instalment's grace period ended
                    # by post: it reached the borrower two days later
                    acceleration_notice=NoticeSent(kind="breach_notice", delivered=True,
                                                   day=breaches[0].due_date + timedelta(p.grace_days + 1),
                                                   delivered_on=breaches[0].due_date + timedelta(p.grace_days + 3)))
