"""Invented, internally consistent data for ``sample()`` contexts (previews and tests).

The names, numbers and institutions are fictional; the amounts add up the way a ledger's do.
"""

from datetime import date
from decimal import Decimal

from service.cases.lender_law import credit_system_of
from service.cases.rules import load_ruleset
from service.documents.audience import Audience
from service.documents.contexts.common import (
    Amounts,
    CreditSystemBlock,
    LenderBlock,
    LoanBlock,
    PartyBlock,
    PaymentAccount,
)

D = Decimal
SAMPLE_AS_OF = date(2026, 11, 28)


def lender(profile: str) -> LenderBlock:
    if profile == "US":
        return LenderBlock(
            name="Lakeside Consumer Credit, LLC", name_en="Lakeside Consumer Credit, LLC",
            address="200 West Adams Street, Suite 1500, Chicago, IL 60606", postal_code="60606",
            hotline="1-800-555-0142", email="accounts@lakeside.example.com", website="www.lakeside.example.com",
            legal_email="legal@lakeside.example.com", legal_phone="312-555-0187",
            uscc="EIN 36-4455667", licence_no="", legal_rep="Margaret Ellis",
            legal_rep_title="President", seal_text="Lakeside Consumer Credit, LLC", letterhead="",
            account=PaymentAccount(bank="First Midwest Bank", account_name="Lakeside Consumer Credit",
                                   account_no="004412339871", bank_en="First Midwest Bank",
                                   account_name_en="Lakeside Consumer Credit"))
    return LenderBlock(
        name="华信消费金融有限公司", name_en="Huaxin Consumer Finance Co., Ltd.",
        address="上海市浦东新区世纪大道1000号华信大厦18层", postal_code="200120", hotline="400-820-1234",
        email="service@hxcf.example.cn",
        legal_email="susong@hxcf.example.cn", legal_phone="021-5012-3480",
        website="www.hxcf.example.cn", app_name="华信随心贷App", uscc="91310000MA1FL5XK29",
        licence_no="银保监复〔2019〕512号", legal_rep="陈志远", legal_rep_title="董事长",
        seal_text="华信消费金融有限公司", letterhead="",
        account=PaymentAccount(bank="中国工商银行上海浦东支行", account_name="华信消费金融有限公司",
                               account_no="1001234509876543210",
                               bank_en="Industrial and Commercial Bank of China, Shanghai Pudong Sub-branch",
                               account_name_en="Huaxin Consumer Finance Co., Ltd."))


def collector() -> LenderBlock:
    """A third-party debt collector collecting the sample US lender's loans (validation notice)."""
    return LenderBlock(
        name="Prairie Recovery Services, LLC", name_en="Prairie Recovery Services, LLC",
        address="150 North Michigan Avenue, Suite 900, Chicago, IL 60601", postal_code="60601",
        hotline="1-888-555-0199", email="disputes@prairie-recovery.example.com",
        website="www.prairie-recovery.example.com",
        uscc="EIN 36-7788990", licence_no="", legal_rep="Thomas Reed",
        legal_rep_title="Manager", seal_text="", letterhead="", account=None, is_collector=True,
        collects_for="Lakeside Consumer Credit, LLC")


def borrower(profile: str, audience: Audience) -> PartyBlock:
    if profile == "US":
        full = PartyBlock(name="James Miller", name_en="James Miller", id_label="us_ssn", id_number="123-45-6789",
                          phone="312-555-0178", address="1452 N Damen Ave, Chicago, IL 60622", postal_code="60622")
        masked = {"id_number": "*******6789", "phone": "********0178"}
    else:
        full = PartyBlock(name="张伟", name_en="Zhang Wei", id_label="cn_resident_id",
                          id_number="11010519491231002X", phone="13800138000",
                          address="北京市朝阳区建国路88号阳光花园3栋1202室", postal_code="100022")
        masked = {"id_number": "110***********002X", "phone": "138****8000"}
    if audience is Audience.BORROWER:
        return full.model_copy(update=masked)
    if audience is Audience.THIRD_PARTY:
        return full.model_copy(update={"id_label": "", "id_number": "", "phone": ""})
    return full


def loan(profile: str) -> LoanBlock:
    if profile == "US":
        return LoanBlock(
            contract_no="LKCC-2024-004512", contract_no_masked="************4512", title="Personal Loan Agreement",
            product_name="Personal Loan",
            currency="USD", signed_date=date(2024, 6, 3), principal_agreed=D("6000.00"),
            disbursed_amount=D("6000.00"), disbursed_date=date(2024, 6, 3), term_end=date(2026, 6, 3),
            periods=24, nominal_rate=D("0.1899"), penalty_rate=D("0.1899"), acceleration_overdue_days=30,
            clause_refs={"penalty": "Section 7", "acceleration": "Section 9"})
    return LoanBlock(
        contract_no="HXCF-2025-001234", contract_no_masked="************1234", title="个人消费借款合同",
        product_name="个人消费贷款",
        currency="CNY", signed_date=date(2025, 1, 10), principal_agreed=D("12000.00"),
        disbursed_amount=D("12000.00"), disbursed_date=date(2025, 1, 10), term_end=date(2026, 1, 10),
        periods=12, nominal_rate=D("0.18"), penalty_rate=D("0.27"), acceleration_overdue_days=90,
        clause_refs={"rate": "第四条", "penalty": "第七条", "acceleration": "第八条", "dispute": "第十二条"})


def amounts(profile: str, as_of: date = SAMPLE_AS_OF) -> Amounts:
    if profile == "US":
        return Amounts(as_of=as_of, principal=D("2481.36"), interest=D("193.12"), penalty=D("0.00"),
                       compound=D("0.00"), fees=D("45.00"), total_overdue=D("2719.48"),
                       principal_not_due=D("0.00"), total_outstanding=D("2719.48"),
                       days_past_due=(as_of - date(2026, 7, 3)).days, oldest_due_date=date(2026, 7, 3),
                       paid_total=D("3612.00"))
    return Amounts(as_of=as_of, principal=D("8912.47"), interest=D("775.03"), penalty=D("1034.58"),
                   compound=D("41.20"), fees=D("0.00"), total_overdue=D("10763.28"),
                   principal_not_due=D("0.00"), total_outstanding=D("10763.28"),
                   days_past_due=(as_of - date(2025, 5, 10)).days, oldest_due_date=date(2025, 5, 10),
                   paid_total=D("3300.00"))


def credit_system(profile: str) -> CreditSystemBlock | None:
    """The sample CN lender (a consumer-finance company) reports to the PBOC's database; the US
    sample mentions no credit reporting."""
    system = credit_system_of(load_ruleset(profile), "pboc" if profile == "CN" else "")
    return CreditSystemBlock(name=system.name, name_en=system.name_en) if system else None
