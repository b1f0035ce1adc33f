"""还款协议 / payment plan agreement: the debt acknowledged as of a date by component (民法典
art. 195: it restarts limitation), the waiver and its condition, the new schedule, the default
clause (grace, cure, consequences), interest during the plan, the agreed service address with
e-service consent, jurisdiction, personal information, signatures.

The borrower signs it and it becomes an exhibit, so it identifies the borrower fully (name, ID
number, address): audience ``court`` in the registry. It is handed to the borrower in person or
through the e-signature platform, never left where others may read it.
"""

from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace
from typing import Any, Self

from pydantic import model_validator

from service.cases import accounts
from service.cases.enums import PlanStatus
from service.cases.proposals import Proposal, not_yet_due
from service.cases.schemas import PlanIn
from service.core.errors import InvalidInput, RuleViolation
from service.core.settings import get_settings
from service.documents.contexts import samples as notice_samples
from service.documents.contexts.common import (
    AcknowledgedSplit,
    DocMeta,
    DocumentContext,
    Frozen,
    LenderBlock,
    PaymentAccount,
    Required,
)
from service.documents.contexts.facts import CaseFacts
from service.documents.contexts.legal import samples
from service.documents.contexts.legal.base import cause_of_case, shown, terms_of
from service.documents.contexts.legal.blocks import CauseBlock, PersonBlock, TermsBlock
from service.documents.format import cn_upper, date_cn, date_en

D = Decimal
# A proposal's grace and cure periods: the defaults a plan is recorded with.
DRAFT_GRACE_DAYS: int = PlanIn.model_fields["grace_days"].default
DRAFT_CURE_DAYS: int = PlanIn.model_fields["cure_days"].default


class AgreementLine(Frozen):
    no: int
    due_date: date
    amount: Decimal


class AgreementBlock(Frozen, AcknowledgedSplit):
    agreement_no: str
    plan_type: str  # extension | instalments | interest_suspension | partial_waiver
    as_of_date: date
    signed_date: date | None  # None: a draft offered for signature
    signed_place: str
    ack_principal: Decimal  # all principal, due or not
    ack_interest: Decimal
    ack_penalty: Decimal  # penalty and compound interest
    ack_fees: Decimal
    waived_amount: Decimal
    waiver_conditional: bool
    # Of ack_principal, what the contract makes due after as_of_date: stated as not yet due (a plan
    # does not accelerate); a recorded plan's as recorded (RepaymentPlan.principal_not_due).
    principal_not_due: Decimal = D("0.00")
    # A visit kit's draft: the contract interest falling due after as_of_date that the plan does not
    # charge (stated as given up, or for 停息挂账 suspended); how many of the first instalments carry
    # what is due on as_of_date; how many months an extension moves the not-yet-due principal.
    interest_not_charged: Decimal = D("0.00")
    # A recorded plan that asks for principal the contract makes due only later, sooner than the
    # contract does: what it brings forward, which 第一条 states (a plan that relieves brings none).
    principal_brought_forward: Decimal = D("0.00")
    # 停息挂账: the contract interest suspended for the plan period (each instalment paid when due), as
    # the claim computation revives it on breach (accounts.interest_suspended_of); stated in 第三条
    interest_suspended: Decimal = D("0.00")
    arrears_instalments: int = 0
    arrears_until: date | None = None
    defer_months: int = 0
    # A visit kit's draft: which of its `alternatives` this is (1-based; 0: a recorded plan) and the
    # number the plan gets when signed. Each draft has its own number (<final_no>-A, -B…), so
    # unsigned copies cannot be mixed up with the signed one.
    alternative: int = 0
    alternatives: int = 0
    final_no: str = ""
    plan_rate: Decimal  # annual interest during the plan (0: none)
    grace_days: int
    cure_days: int
    lines: tuple[AgreementLine, ...]
    service_address: str
    service_phone: str
    service_email: str
    e_service_consent: bool
    pay_to: PaymentAccount | None

    @property
    def acknowledged(self) -> Decimal:
        return self.ack_principal + self.ack_interest + self.ack_penalty + self.ack_fees

    @property
    def stated_type(self) -> str:
        """The plan type the agreement names: a "partial waiver" that waives nothing (recorded before
        create_plan refused one) is an instalment plan, and says so."""
        return "instalments" if self.plan_type == "partial_waiver" and not self.waived_amount else self.plan_type

    @property
    def waives_interest_to_come(self) -> bool:
        """The contract interest to come is waived on condition (revived on breach by 第四条); under
        停息挂账 it is suspended instead, and 第四条 revives the suspended interest."""
        return bool(self.interest_not_charged) and self.plan_type != "interest_suspension" and not self.plan_rate

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), D("0.00"))

    @model_validator(mode="after")
    def _covers_the_debt(self) -> Self:
        if not self.lines:
            raise ValueError("a repayment agreement needs at least one instalment")
        if self.plan_rate == 0 and self.total + self.waived_amount != self.acknowledged:
            raise ValueError(f"instalments {self.total} + waiver {self.waived_amount} do not cover the "
                             f"acknowledged debt {self.acknowledged}")
        return self

    @classmethod
    def of(cls, plan: Any, contract: Any, borrower: PersonBlock, account: PaymentAccount | None, *,
           contract_not_due: Decimal = D("0.00")) -> Self:
        """A recorded plan; `contract_not_due`: the principal the contract made due after its as-of
        date (the ledger's then), of which what the plan does not leave on the contract's dates it
        brings forward."""
        pay_to = plan.pay_to or {}
        return cls(agreement_no=plan.agreement_no, plan_type=plan.plan_type, as_of_date=plan.as_of_date,
                   signed_date=plan.signed_date, signed_place=plan.signed_place, ack_principal=plan.ack_principal,
                   ack_interest=plan.ack_interest, ack_penalty=plan.ack_penalty, ack_fees=plan.ack_fees,
                   waived_amount=plan.waived_amount, waiver_conditional=plan.waiver_conditional,
                   principal_not_due=plan.principal_not_due, interest_not_charged=plan.interest_not_charged,
                   principal_brought_forward=max(contract_not_due - plan.principal_not_due, D("0.00")),
                   plan_rate=D(str(plan.plan_rate or "0")),
                   grace_days=plan.grace_days, cure_days=plan.cure_days,
                   lines=tuple(AgreementLine(no=i.no, due_date=i.due_date, amount=i.amount) for i in plan.instalments),
                   service_address=plan.service_address or contract.agreed_service_address or borrower.residence,
                   service_phone=contract.service_phone or borrower.phone,
                   service_email=contract.service_email or borrower.email,
                   e_service_consent=plan.e_service_consent,
                   pay_to=PaymentAccount.of(pay_to) or account)


    @classmethod
    def proposed(cls, proposal: Proposal, final_no: str, contract: Any, borrower: PersonBlock,
                 account: PaymentAccount | None, *, grace_days: int, cure_days: int,
                 alternative: tuple[int, int] = (1, 1)) -> Self:
        """A proposal offered at a visit, as the agreement it becomes when signed (a draft: no date),
        numbered as alternative `n` of `count`."""
        n, count = alternative
        return cls(agreement_no=f"{final_no}-{chr(ord('A') + n - 1)}", final_no=final_no, alternative=n,
                   alternatives=count, plan_type=proposal.plan_type, as_of_date=proposal.as_of_date,
                   signed_date=None, signed_place="", ack_principal=proposal.ack_principal,
                   ack_interest=proposal.ack_interest, ack_penalty=proposal.ack_penalty, ack_fees=proposal.ack_fees,
                   waived_amount=proposal.waived_amount, waiver_conditional=True, plan_rate=D("0"),
                   principal_not_due=proposal.principal_not_due, interest_not_charged=proposal.interest_not_charged,
                   arrears_instalments=proposal.arrears_instalments,
                   arrears_until=proposal.arrears_until, defer_months=proposal.defer_months,
                   grace_days=grace_days, cure_days=cure_days,
                   lines=tuple(AgreementLine(no=i.no, due_date=i.due_date, amount=i.amount)
                               for i in proposal.instalments),
                   service_address=contract.agreed_service_address or borrower.residence,
                   service_phone=contract.service_phone or borrower.phone,
                   service_email=contract.service_email or borrower.email,
                   # the consent the loan contract records: a draft never reads as withdrawing it
                   e_service_consent=contract.e_service_consent, pay_to=account)


def stale_draft(facts: CaseFacts, plan: Any, on: date) -> None:
    """PLAN-04: a draft not yet signed is handed over as of `on` only if the debt it acknowledges
    is the ledger's on that day (drafted for a later signing date, it is the ledger's then); else
    something fell due or was paid since it was drafted, and it is redrafted. A signed agreement
    keeps the debt of its signing date."""
    if plan.signed_date is not None or plan.as_of_date >= on:
        return
    ledger = facts.ledger_on(on)
    now = (ledger.outstanding_principal, ledger.overdue_interest, ledger.penalty + ledger.compound,
           ledger.overdue_fee)
    drafted = (plan.ack_principal, plan.ack_interest, plan.ack_penalty, plan.ack_fees)
    if now != drafted:
        raise RuleViolation([facts.rules.rule("PLAN-04").refuse(
            "PLAN-04.stale", ref=plan.agreement_no, as_of=plan.as_of_date.isoformat(), drafted=sum(drafted),
            principal=drafted[0], interest=drafted[1], penalty=drafted[2], fees=drafted[3], on=on.isoformat(),
            now=sum(now), now_interest=now[1], now_penalty=now[2], now_fees=now[3])])


def _as_plan(a: AgreementBlock) -> Any:
    """The agreement (a recorded plan's or a proposal's draft) as the money layer reads a stored plan."""
    return SimpleNamespace(agreement_no=a.agreement_no, plan_type=a.plan_type, as_of_date=a.as_of_date,
                           signed_date=a.signed_date, ack_principal=a.ack_principal, ack_interest=a.ack_interest,
                           ack_penalty=a.ack_penalty, ack_fees=a.ack_fees, waived_amount=a.waived_amount,
                           waiver_conditional=a.waiver_conditional, grace_days=a.grace_days, cure_days=a.cure_days,
                           principal_not_due=a.principal_not_due, interest_not_charged=D("0.00"),
                           instalments=[SimpleNamespace(no=x.no, due_date=x.due_date, amount=x.amount)
                                        for x in a.lines])


def _suspended(cf: Any, agreement: AgreementBlock) -> Decimal:
    """What the agreement's 第三条 states a 停息挂账 plan suspends (accounts.interest_suspended_of)."""
    return accounts.interest_suspended_of(cf, _as_plan(agreement), licensed_cap=get_settings().licensed_cost_cap)


def proposal_interest_stated(facts: CaseFacts, proposal: Proposal) -> Decimal:
    """The contract interest to come that the draft agreement of `proposal` states in its 第三条, as
    RepaymentAgreementContext.build drafts it: under 停息挂账 the interest suspended over the plan
    (revived on breach), under any other plan the interest to come waived on condition. The visit
    brief quotes this figure, so staff state what the draft the borrower signs states."""
    if proposal.plan_type != "interest_suspension":
        return proposal.interest_not_charged
    cf = facts.cf
    agreement = AgreementBlock.proposed(proposal, cf.case.ref, cf.contract, PersonBlock.of(cf.borrower, facts.rules),
                                        None, grace_days=DRAFT_GRACE_DAYS, cure_days=DRAFT_CURE_DAYS)
    return _suspended(cf, agreement)


class RepaymentAgreementContext(DocumentContext):
    lender: LenderBlock
    borrower: PersonBlock
    terms: TermsBlock  # compound_allowed: the agreement mentions compound interest only where it is charged
    agreement: AgreementBlock
    state: str  # US: the state whose law governs
    cause: CauseBlock | None  # the lender's 案由 (CN-30): its words for interest on overdue principal

    def money(self, amount: Decimal) -> str:
        return self.doc.money(amount)

    def day(self, value: date) -> str:
        return date_cn(value) if self.doc.is_zh else date_en(value)

    def required(self) -> list[Required]:
        a = self.agreement
        found = shown(lender=self.lender.name if self.doc.is_zh else self.lender.name_en, borrower=self.borrower.name,
                      agreement=a.agreement_no, contract=self.terms.contract_no,
                      as_of=self.day(a.as_of_date), acknowledged=self.money(a.due_total),
                      principal=self.money(a.principal_due), total=self.money(a.total),
                      service_address=a.service_address, grace=str(a.grace_days), cure=str(a.cure_days))
        if a.waived_amount:
            found += shown(waived=self.money(a.waived_amount))
        if a.principal_not_due:
            found += shown(principal_not_due=self.money(a.principal_not_due))
        if a.interest_not_charged and a.plan_type != "interest_suspension":  # 停息挂账 states interest_suspended
            found += shown(interest_not_charged=self.money(a.interest_not_charged))
        if a.principal_brought_forward:
            found += shown(principal_brought_forward=self.money(a.principal_brought_forward))
        if a.interest_suspended:
            found += shown(interest_suspended=self.money(a.interest_suspended))
        if self.doc.rules.jurisdiction.id_on_agreements:  # the signer's identity; no SSN on a US plan
            found += shown(borrower_id=self.borrower.id_number)
        if self.doc.is_zh:
            found += shown(acknowledged_upper=cn_upper(a.due_total))
        found += [Required(label=f"line_{x.no}", text=self.money(x.amount)) for x in a.lines]
        return found + [Required(label=f"due_{x.no}", text=self.day(x.due_date)) for x in a.lines]

    @classmethod
    def build(cls, facts: CaseFacts, doc: DocMeta, *, proposal: Proposal | None = None,
              alternative: tuple[int, int] = (1, 1), recorded: Any = None) -> Self:
        """The case's plan (its latest, or the `recorded` one given: the signed copy an exhibit
        shows); or, for a visit kit, a `proposal` as the draft agreement it becomes: alternative n
        of the kit's count."""
        cf = facts.cf
        plans = [p for p in cf.plans if p.status is not PlanStatus.SUPERSEDED]
        if not plans and proposal is None:
            raise InvalidInput.one("kind", "the case has no repayment plan: record the plan (POST /plans) first")
        borrower = PersonBlock.of(cf.borrower, facts.rules)
        lender = LenderBlock.of(cf.lender)
        if proposal is None:
            plan = recorded if recorded is not None else plans[-1]
            stale_draft(facts, plan, doc.as_of)
            later = not_yet_due(facts.ledger_on(plan.as_of_date), plan.as_of_date)
            agreement = AgreementBlock.of(plan, cf.contract, borrower, lender.account,
                                          contract_not_due=sum((a for _, a in later), D("0.00")))
        else:  # the number POST /plans gives the plan when it is signed
            agreement = AgreementBlock.proposed(proposal, f"{cf.case.ref}-P{len(cf.plans) + 1}", cf.contract,
                                                borrower, lender.account, grace_days=DRAFT_GRACE_DAYS,
                                                cure_days=DRAFT_CURE_DAYS, alternative=alternative)
        if agreement.plan_type == "interest_suspension":
            agreement = agreement.model_copy(update={"interest_suspended": _suspended(cf, agreement)})
        if not doc.is_zh and agreement.pay_to:
            agreement.pay_to.english("lender.payment_account")  # the plan's pay_to is the lender's account
        return cls(doc=doc, lender=lender, borrower=borrower, terms=terms_of(facts), agreement=agreement,
                   state=cf.case.us_state or "", cause=cause_of_case(facts))

    @classmethod
    def sample(cls, doc: DocMeta) -> Self:
        p, profile = samples.plan(doc.profile), doc.profile
        amounts = samples.plan_amounts(profile)
        lines = tuple(AgreementLine(no=k + 1, due_date=p.signed_date + timedelta(days=30 * (k + 1)), amount=a)
                      for k, a in enumerate(amounts))
        lender, terms = notice_samples.lender(profile), samples.terms(profile)
        person = samples.signer(profile, doc.locale)
        place, state = samples.agreement_place(profile)
        agreement = AgreementBlock(
            agreement_no=p.agreement_no, plan_type=p.plan_type, as_of_date=p.as_of_date, signed_date=p.signed_date,
            signed_place=place, ack_principal=p.ack_principal,
            ack_interest=p.ack_interest, ack_penalty=p.ack_penalty, ack_fees=p.ack_fees, waived_amount=p.waived_amount,
            waiver_conditional=True, plan_rate=D("0"), grace_days=p.grace_days, cure_days=p.cure_days, lines=lines,
            service_address=terms.agreed_service_address, service_phone=terms.service_phone,
            service_email=terms.service_email, e_service_consent=True, pay_to=lender.account)
        return cls(doc=doc, lender=lender, borrower=person, terms=terms, agreement=agreement,
                   state=state, cause=samples.wording(profile)["cause"])
