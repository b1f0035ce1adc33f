"""Seeded, realistic overdue-reminder data for the notice benchmarks (no database, no network).

1,000 one-page zh-CN reminders from five lenders, with varied names, ID numbers, amounts,
dates and contract numbers; 5 % of borrowers have a rare given name outside GB2312 (it must
come from the system fallback font), a quarter have compound interest.
"""

import random
from datetime import date, timedelta
from decimal import Decimal

from service.cases.lender_law import cause_of_action
from service.cases.rules import load_ruleset
from service.demo.data import GIVEN, LENDERS, SURNAMES
from service.documents.audience import Audience
from service.documents.contexts import samples
from service.documents.contexts.common import Amounts, DocMeta, LenderBlock, LoanBlock, PartyBlock, PaymentAccount
from service.documents.contexts.legal.blocks import CauseBlock
from service.documents.contexts.notices import OverdueReminderContext, Policy

SEED = 20261128
AS_OF = date(2026, 11, 28)
RARE = ["堃", "赟", "喆", "珺", "玥", "祎", "琤", "昳"]  # common in names, outside GB2312
CENT = Decimal("0.01")


def _lender(spec: dict) -> LenderBlock:  # type: ignore[type-arg]
    acct = spec["payment_account"]
    return LenderBlock(
        name=spec["name"], name_en=spec["name_en"], address=spec["address"], postal_code=spec["postal_code"],
        hotline=spec["hotline"], email=spec["email"], website=spec["website"], uscc=spec["uscc"],
        licence_no=spec["licence_no"], legal_rep=spec["legal_rep"], legal_rep_title=spec["legal_rep_title"],
        seal_text=spec["seal_text"], letterhead="",
        account=PaymentAccount(bank=acct["bank"], account_name=acct["account_name"], account_no=acct["account_no"]))


def _amounts(rnd: random.Random, due: date) -> Amounts:
    principal = (Decimal(rnd.randint(800, 60000)) + Decimal(rnd.randint(0, 99)) / 100).quantize(CENT)
    interest = (principal * Decimal(rnd.randint(3, 12)) / 100).quantize(CENT)
    penalty = (principal * Decimal(rnd.randint(1, 40)) / 1000).quantize(CENT)
    compound = Decimal("0.00")
    if rnd.random() < 0.25:
        compound = (interest * Decimal(rnd.randint(1, 30)) / 1000).quantize(CENT)
    fees = Decimal(rnd.choice([0, 0, 0, 30, 50])).quantize(CENT)
    total = principal + interest + penalty + compound + fees
    return Amounts(as_of=AS_OF, principal=principal, interest=interest, penalty=penalty, compound=compound,
                   fees=fees, total_overdue=total, principal_not_due=Decimal("0.00"), total_outstanding=total,
                   days_past_due=(AS_OF - due).days, oldest_due_date=due, paid_total=Decimal("0.00"))


def _name(rnd: random.Random) -> str:
    given = rnd.choice(RARE) + rnd.choice(["然", "宇", "", "萱"]) if rnd.random() < 0.05 else rnd.choice(GIVEN)
    return rnd.choice(SURNAMES) + given


def reminders(n: int = 1000, seed: int = SEED) -> list[OverdueReminderContext]:
    rnd = random.Random(seed)
    lenders = [_lender(spec) for spec in LENDERS]
    # each lender's words for overdue interest (CN-30); every contract here charges compound interest
    # (the amounts have some), so every reminder has the compound row, the longest layout
    wordings = [{"cause": CauseBlock.of(cause_of_action(load_ruleset("CN"), str(spec["licence_type"]))),
                 "compound_allowed": True} for spec in LENDERS]
    found = []
    for i in range(n):
        lender = lenders[i % len(lenders)]
        due = AS_OF - timedelta(days=rnd.randint(3, 400))
        signed = due - timedelta(days=30 * rnd.randint(1, 11))
        principal = Decimal(rnd.choice([3000, 5000, 8000, 12000, 20000, 50000])).quantize(CENT)
        contract = f"{lender.name[:2]}-{signed.year}-{rnd.randint(0, 999999):06d}"
        loan = LoanBlock(contract_no=contract, contract_no_masked="*" * (len(contract) - 4) + contract[-4:],
                         title="个人消费借款合同", product_name="个人消费贷款", currency="CNY", signed_date=signed,
                 principal_agreed=principal,
                         disbursed_amount=principal, disbursed_date=signed, term_end=signed + timedelta(days=365),
                         periods=12, nominal_rate=Decimal(rnd.choice(["0.15", "0.18", "0.2399"])),
                         penalty_rate=Decimal(rnd.choice(["0.18", "0.27", "0.36"])),
                         acceleration_overdue_days=90,  # the usual clause, as the demo's contracts
                         clause_refs={"penalty": rnd.choice(["第七条", "第八条", "第6.2条"])})
        id_tail = f"{rnd.randint(0, 999):03d}{rnd.choice('0123456789X')}"
        borrower = PartyBlock(name=_name(rnd), name_en="", id_label="cn_resident_id",
                              id_number=f"{rnd.choice(['110', '310', '440', '330', '510'])}***********{id_tail}",
                              phone=f"1{rnd.randint(30, 89)}****{rnd.randint(0, 9999):04d}", address="", postal_code="")
        meta = DocMeta(kind="overdue_reminder", profile="CN", locale="zh-CN", audience=Audience.BORROWER,
                       as_of=AS_OF, case_ref=f"CN-2026-{i + 1:05d}")
        found.append(OverdueReminderContext(
            doc=meta, lender=lender, borrower=borrower, policy=Policy.for_profile("CN"), loan=loan,
            amounts=_amounts(rnd, due), pay_by=AS_OF + timedelta(days=7), credit_system=samples.credit_system("CN"),
            prenotice_date=AS_OF - timedelta(days=rnd.randint(10, 60)) if rnd.random() < 0.6 else None,
            **wordings[i % len(lenders)]))
    return found
