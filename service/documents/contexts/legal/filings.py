"""Filings that go with a complaint: court-fee statement, service-address confirmation, the
power of attorney and the legal representative's certificate."""

from typing import Any, Literal, Self

from pydantic import computed_field

from service.cases.rules import RuleSet, load_ruleset
from service.documents.contexts.common import DocMeta, Frozen, Required
from service.documents.contexts.facts import CaseFacts
from service.documents.contexts.legal import checks
from service.documents.contexts.legal.base import COMPLAINT_RULE, CaseDocContext, require_counsel, shown
from service.documents.contexts.legal.blocks import CounselBlock, CourtFeeBlock
from service.documents.format import cn_upper

# 民诉法 art. 62 / 解释 art. 89: special powers must be named one by one; "全权代理" confers none.
# Which powers the lender grants, and which of them need special authority, is the rule's data
# (CN-22 in service/cases/rules/cn.json); the words for each are the template's.
Power = Literal["file", "evidence", "attend", "debate", "receive_documents", "apply_preservation", "admit", "waive",
                "change_claims", "settle", "counterclaim", "appeal", "apply_enforcement", "receive_payment"]
POA_RULE = "CN-22"


class PowerItem(Frozen):
    """One power as the list prints it: its number within its part (general or special), whether
    it opens that part (the part's lead-in goes before it) and whether it closes it (its item ends
    the enumeration: "。" / ".", the others "；" / ";")."""

    code: Power
    special: bool
    n: int
    opens: bool
    closes: bool = False


def granted_powers(rules: RuleSet) -> tuple[tuple[Power, ...], tuple[Power, ...]]:
    """The powers the principal grants (CN-22 ``granted``), split into those any agent has
    (一般授权) and those that need special authority (``special``), each in the rule's order."""
    params = rules.rule(POA_RULE).params
    granted, special = tuple(params["granted"]), frozenset(params["special"])
    return tuple(p for p in granted if p not in special), tuple(p for p in granted if p in special)


class CourtFeeStatementContext(CaseDocContext):
    """诉讼费计算说明: 标的额, the art. 13 brackets, halving basis (arts 15–16), preservation fee."""

    @property
    def fee(self) -> CourtFeeBlock:
        if self.claim.fee is None:  # pragma: no cover - a CN kind: CN claims carry the fee table
            raise ValueError("no court fee: the case's profile has no court-fee table")
        return self.claim.fee

    def required(self) -> list[Required]:
        fee = self.fee
        found = [Required(label="plaintiff", text=self.plaintiff.name),
                 Required(label="defendant", text=self.defendant.name),
                 Required(label="amount", text=self.money(fee.amount)),
                 Required(label="full", text=self.money(fee.full)),
                 Required(label="halved", text=self.money(fee.halved)),
                 Required(label="preservation", text=self.money(fee.preservation)),
                 Required(label="full_upper", text=cn_upper(fee.full)),
                 Required(label="as_of", text=self.day(self.claim.as_of)), *self.cause_required()]
        found += [Required(label=f"bracket_{n}", text=self.money(b.fee.quantize(fee.full)))
                  for n, b in enumerate(fee.brackets, start=1)]
        return found

    @classmethod
    def build(cls, facts: CaseFacts, doc: DocMeta) -> Self:
        ctx = cls(**cls.case_blocks(facts, doc))
        checks.refuse([*checks.fee_valid(facts.rules, ctx.claim),
                       *checks.complaint_complete(facts.rules, ctx.plaintiff, ctx.defendant, ctx.claim, ctx.terms)])
        return ctx


# An unrepresented lender is reached at its legal contact: the customer hotline borrowers call is no
# service phone for a court.
LEGAL_PHONE_MISSING = ("lender {lender} is not represented and records no legal contact phone (legal_phone); "
                       "the customer hotline is not given to the court")


class ServiceAddressConfirmationContext(CaseDocContext):
    """送达地址确认书 (法院专递规定 arts 3–4; 民诉法 art. 90; 解释 arts 136–137): the plaintiff's
    address and recipient, its e-service consent, and the defendant's agreed service address."""

    address: str  # where the plaintiff is served: its counsel's office when represented
    postal_code: str
    recipient: str
    recipient_relation: str  # agent | legal_rep
    phone: str
    email: str
    e_service: bool
    defendant_address: str  # the address the defendant agreed to in the contract or the agreement
    defendant_phone: str
    defendant_email: str
    defendant_e_service: bool
    defendant_address_source: Literal["agreement", "contract", "domicile"]
    # where the defendant consented to e-service (民诉法 art. 90 needs the recipient's consent): the
    # repayment agreement or the loan contract; "" where neither holds a consent
    defendant_e_service_source: Literal["agreement", "contract", ""] = ""

    def required(self) -> list[Required]:
        found = [Required(label="plaintiff", text=self.plaintiff.name), Required(label="address", text=self.address),
                 Required(label="recipient", text=self.recipient), Required(label="phone", text=self.phone),
                 *([Required(label="postal_code", text=self.postal_code)] if self.postal_code else []),
                 Required(label="defendant", text=self.defendant.name),
                 Required(label="defendant_address", text=self.defendant_address), *self.cause_required()]
        if self.defendant_e_service and self.defendant_phone:
            found.append(Required(label="defendant_phone", text=self.defendant_phone))
        return found

    @staticmethod
    def addresses(blocks: dict[str, Any], plan_address: str, plan_consent: bool) -> dict[str, Any]:
        counsel: CounselBlock | None = blocks["counsel"]
        lender, terms, defendant = blocks["plaintiff"], blocks["terms"], blocks["defendant"]
        source: Literal["agreement", "contract", "domicile"] = (
            "agreement" if plan_address else "contract" if terms.agreed_service_address else "domicile")
        own = {"address": counsel.firm_address, "postal_code": counsel.firm_postal_code, "recipient": counsel.lawyer,
               "recipient_relation": "agent", "phone": counsel.lawyer_phone or counsel.firm_phone} if counsel else {
            "address": lender.address, "postal_code": lender.postal_code, "recipient": lender.legal_rep,
            "recipient_relation": "legal_rep", "phone": lender.legal_phone}
        # e-service reaches whoever receives for the plaintiff: its counsel, else its legal contact; never
        # the customer mailbox borrowers write to (review C12-6) nor the customer hotline they call
        email = (counsel.lawyer_email if counsel else "") or lender.legal_email
        return {**own, "email": email, "e_service": True,
                "defendant_address": plan_address or terms.agreed_service_address or defendant.domicile,
                "defendant_phone": terms.service_phone or defendant.phone,
                "defendant_email": terms.service_email or defendant.email,
                "defendant_e_service": plan_consent or terms.e_service_consent,
                "defendant_address_source": source,
                "defendant_e_service_source": "agreement" if plan_consent else
                "contract" if terms.e_service_consent else ""}

    @classmethod
    def build(cls, facts: CaseFacts, doc: DocMeta) -> Self:
        blocks = cls.case_blocks(facts, doc)
        plan = facts.cf.current_plan
        ctx = cls(**blocks, **cls.addresses(blocks, plan.service_address if plan else "",
                                            bool(plan and plan.e_service_consent)))
        e_channels = ("phone",) if ctx.defendant_e_service else ()
        missing = "" if ctx.counsel else LEGAL_PHONE_MISSING.format(lender=facts.cf.lender.code)
        checks.refuse([*checks.service_address_valid(facts.rules, ctx.address, ctx.phone, ctx.e_service, (),
                                                     phone_missing=missing),
                       *checks.service_address_valid(facts.rules, ctx.defendant_address, ctx.defendant_phone,
                                                     ctx.defendant_e_service, e_channels)])
        return ctx

    @classmethod
    def sample(cls, doc: DocMeta) -> Self:
        blocks = cls.sample_case_blocks(doc)
        return cls(**blocks, **cls.addresses(blocks, blocks["terms"].agreed_service_address, True))


class PowerOfAttorneyContext(CaseDocContext):
    """授权委托书 (民诉法 arts 61–62; 解释 arts 88–89): principal, agent, case, itemised powers,
    term, signature; its attachments are listed."""

    agent: CounselBlock
    general_powers: tuple[Power, ...]
    special_powers: tuple[Power, ...] = ()
    stage: Literal["first_instance"] = "first_instance"

    @computed_field  # type: ignore[prop-decorator]
    @property
    def scope(self) -> Literal["general", "special"]:
        """特别授权 when any power granted needs it (民诉法 art. 62), else 一般授权: the scope the
        document states follows the powers it lists."""
        return "special" if self.special_powers else "general"

    @computed_field  # type: ignore[prop-decorator]
    @property
    def power_items(self) -> tuple[PowerItem, ...]:
        general, special = self.general_powers, self.special_powers
        return (*(PowerItem(code=p, special=False, n=n, opens=n == 1, closes=n == len(general))
                  for n, p in enumerate(general, 1)),
                *(PowerItem(code=p, special=True, n=n, opens=n == 1, closes=n == len(special))
                  for n, p in enumerate(special, 1)))

    def required(self) -> list[Required]:
        p, a, zh = self.plaintiff, self.agent, self.doc.is_zh
        return [Required(label="principal", text=p.name if zh else p.name_en), Required(label="uscc", text=p.uscc),
                Required(label="legal_rep", text=p.legal_rep), Required(label="agent", text=a.lawyer),
                Required(label="firm", text=a.firm if zh else a.firm_en),
                Required(label="licence", text=a.lawyer_licence),
                Required(label="defendant", text=self.defendant.name), Required(label="court", text=self.court.name),
                *([Required(label="court_en", text=self.court.name_en)] if not zh and self.court.name_en else []),
                *([Required(label="firm_postal_code", text=a.firm_postal_code)] if a.firm_postal_code else []),
                *self.cause_required()]

    @classmethod
    def build(cls, facts: CaseFacts, doc: DocMeta) -> Self:
        agent = require_counsel(facts, POA_RULE, "a power of attorney")
        missing = [name for name, value in (("licence number", agent.lawyer_licence), ("firm", agent.firm))
                   if not value]
        checks.refuse([facts.rules.rule(POA_RULE).violation(f"the agent's {name} is missing") for name in missing])
        general, special = granted_powers(facts.rules)
        return cls(**cls.case_blocks(facts, doc), agent=agent, general_powers=general, special_powers=special)

    @classmethod
    def sample(cls, doc: DocMeta) -> Self:
        blocks = cls.sample_case_blocks(doc)
        general, special = granted_powers(load_ruleset("CN"))
        return cls(**blocks, agent=blocks["counsel"], general_powers=general, special_powers=special)


class LegalRepCertificateContext(CaseDocContext):
    """法定代表人身份证明书 (民诉法 art. 51; 解释 art. 50): the plaintiff certifies who represents it,
    from its own record (name, position, USCC). A court takes it with the complaint and the power of
    attorney; the packet files it among the standing documents."""

    def required(self) -> list[Required]:
        p = self.plaintiff
        return [*shown(plaintiff=p.name, uscc=p.uscc, legal_rep=p.legal_rep, legal_rep_title=p.legal_rep_title,
                       defendant=self.defendant.name), *self.cause_required()]

    @classmethod
    def build(cls, facts: CaseFacts, doc: DocMeta) -> Self:
        lender = facts.cf.lender
        blank = [name for name, value in (("legal_rep", lender.legal_rep), ("legal_rep_title", lender.legal_rep_title),
                                          ("uscc", lender.uscc)) if not value.strip()]
        checks.refuse([facts.rules.rule(COMPLAINT_RULE).violation(
            f"the legal representative's certificate needs lender.{name}, which is not recorded") for name in blank])
        return cls(**cls.case_blocks(facts, doc))

    @classmethod
    def sample(cls, doc: DocMeta) -> Self:
        return cls(**cls.sample_case_blocks(doc))
