"""民事起诉状 and 要素式起诉状 (under the lender's 案由, CN-30): the claim and the facts, to a court."""

from datetime import date
from typing import Any, Literal, Self

from service.cases.overdue import overdue_days
from service.cases.rules import load_ruleset
from service.documents.contexts.common import DocMeta, Required
from service.documents.contexts.facts import CaseFacts
from service.documents.contexts.legal import checks
from service.documents.contexts.legal.base import CaseDocContext
from service.documents.contexts.legal.blocks import NoticeBridgeBlock
from service.documents.contexts.legal.evidence import EvidenceRow, plan_rows, sample_rows
from service.documents.contexts.legal.exhibits import ExhibitPlan
from service.documents.contexts.legal.filings import granted_powers


class CivilComplaintContext(CaseDocContext):
    """民事起诉状 (民诉法 art. 124): parties, claims with as-of amounts and the continuing-interest
    formula, facts in date order, evidence and sources, court, signature; copies per defendant."""

    copies: int = 1  # 民诉法 art. 123: one copy per defendant
    # the exhibits as the evidence index numbers them (the case's packet plan); empty: built without it
    evidence: tuple[EvidenceRow, ...] = ()
    # the index that goes with it states the exhibits' pages: only a packet's does (index_states_pages)
    index_pages: bool = False
    # the other pleadings filed with it (the packet plan's, in its order), but the evidence index,
    # which the attachments name with its exhibits
    filed: tuple[str, ...] = ()
    # the numbers of the exhibits in the standing group (主体资格), as the evidence index numbers them
    standing: tuple[int, ...] = ()
    # from the breach notice's amount to the claim, stated in the facts (checks.notice_bridge)
    bridge: NoticeBridgeBlock | None = None

    def required(self) -> list[Required]:
        found = [*self.party_required(), *self.cause_required(basis=True), *self.claim_required(),
                 *bridge_required(self, self.bridge), *self.demand_deadline_required(),
                 *(Required(label=f"exhibit_{r.number}", text=r.title) for r in self.evidence),
                 Required(label="court", text=self.court.name),
                 Required(label="signed_date", text=self.day(self.terms.signed_date)),
                 Required(label="disbursed_date", text=self.day(self.terms.disbursed_date))]
        if self.counsel:
            found.append(Required(label="agent", text=self.counsel.lawyer))
        if self.timeline.plan:
            found.append(Required(label="agreement", text=self.timeline.plan.agreement_no))
        return found

    @classmethod
    def build(cls, facts: CaseFacts, doc: DocMeta, *, plan: ExhibitPlan | None = None) -> Self:
        filed = tuple(p.kind for p in plan.pleadings if p.kind not in (doc.kind, "evidence_index")) \
            if plan is not None else ()
        evidence = tuple(plan_rows(plan)) if plan is not None else ()
        ctx = cls(**cls.case_blocks(facts, doc), evidence=evidence, index_pages=index_states_pages(plan), filed=filed,
                  standing=standing_numbers(evidence), bridge=checks.notice_bridge(facts))
        rules = facts.rules
        checks.refuse([*checks.complaint_complete(rules, ctx.plaintiff, ctx.defendant, ctx.claim, ctx.terms),
                       *checks.claim_within_notice(facts),
                       *checks.events_before(rules, ctx.timeline, doc.as_of),
                       *checks.court_valid(rules, ctx.court, ctx.terms)])
        return ctx

    @classmethod
    def sample(cls, doc: DocMeta) -> Self:
        return cls(**cls.sample_case_blocks(doc), evidence=sample_rows(doc), index_pages=True)


def bridge_required(ctx: CaseDocContext, bridge: NoticeBridgeBlock | None) -> list[Required]:
    """The bridge's figures, each printed (the notice's amount, the penalty since, the claim)."""
    if bridge is None:
        return []
    found = [Required(label="bridge_due_on_acceleration", text=ctx.money(bridge.due_on_acceleration)),
             Required(label="bridge_accelerated_on", text=ctx.day(bridge.accelerated_on)),
             Required(label="bridge_notice_day", text=ctx.day(bridge.notice_day))]
    if bridge.basis == "contract":  # the parts that accrued since, each printed with its clause
        found += [Required(label=f"bridge_{name}", text=ctx.money(amount)) for name, amount in
                  (("default_interest_since", bridge.default_interest_since),
                   ("compound_since", bridge.compound_since), ("fees_since", bridge.fees_since),
                   ("paid_since", bridge.paid_since)) if amount]
        found.append(Required(label="bridge_claimed_total", text=ctx.money(bridge.claimed_total)))
    elif bridge.penalty_since:
        found.append(Required(label="bridge_penalty_since", text=ctx.money(bridge.penalty_since)))
    return found


def standing_numbers(evidence: tuple[EvidenceRow, ...]) -> tuple[int, ...]:
    """The numbers of the exhibits in the standing group (主体资格: the group the lender's business
    licence opens); empty without one."""
    group = next((r.group for r in evidence if r.key == "business_licence"), None)
    return tuple(r.number for r in evidence if group is not None and r.group == group)


def index_states_pages(plan: ExhibitPlan | None) -> bool:
    """Whether the evidence index a pleading refers to states the exhibits' pages. Only the index
    of a packet does: pages exist once the exhibits are bound after the pleadings, and move with
    every page before them; an index generated on its own lists the exhibits without pages, so a
    pleading generated on its own does not send the court to it for pages."""
    return plan is not None and plan.bound


Org = Literal["limited", "joint_stock", "other"]


def org_type(name: str) -> Org:
    if "股份有限公司" in name:
        return "joint_stock"
    return "limited" if "有限" in name else "other"


class ComplaintElementsContext(CaseDocContext):
    """要素式起诉状, 法〔2025〕82号 form (titled with the case's 案由; 民间借贷纠纷 has its own
    form): every element filled or 无."""

    plaintiff_org_type: Org
    # 逾期时间: the case's one overdue start (``Timeline.overdue_start``, from the facts record: the
    # governing schedule's first missed due date), with the acceleration stated beside it
    overdue_from: date | None
    overdue_days: int  # from overdue_from to the as-of date
    # 是否考虑先行调解: the court set Dossier builds before filing includes a 诉前调解 application to
    # the same court (mediation_application, every CN case before suit), so the form states the
    # same willingness; "unsure" beside that application contradicted it (case-file review R-9).
    willing_to_mediate: Literal["yes", "no", "unsure"] = "yes"
    index_pages: bool = False  # the evidence index it refers to states pages (index_states_pages)
    # 代理权限: the scope the power of attorney grants (CN-22's data, filings.granted_powers), ticked
    # as the power of attorney filed with the form states it
    special_authority: bool = True

    @classmethod
    def overdue(cls, blocks: dict[str, Any]) -> dict[str, Any]:
        since = blocks["timeline"].overdue_start
        return {"overdue_from": since, "overdue_days": overdue_days(since, blocks["claim"].as_of)}

    def required(self) -> list[Required]:
        t, c = self.terms, self.claim
        found = [*self.party_required(), *self.cause_required(basis=True), *self.claim_required(),
                 *self.demand_deadline_required(),
                 Required(label="court", text=self.court.name), Required(label="rate_clause", text=t.clause("rate")),
                 Required(label="penalty_clause", text=t.clause(c.penalty_clause))]
        if c.interest_paid_to:
            found.append(Required(label="interest_paid_to", text=self.day(c.interest_paid_to)))
        if self.overdue_from:
            found.append(Required(label="overdue_from", text=self.day(self.overdue_from)))
        return found

    @classmethod
    def build(cls, facts: CaseFacts, doc: DocMeta, *, plan: ExhibitPlan | None = None) -> Self:
        blocks = cls.case_blocks(facts, doc)
        ctx = cls(**blocks, plaintiff_org_type=org_type(blocks["plaintiff"].name), **cls.overdue(blocks),
                  index_pages=index_states_pages(plan), special_authority=bool(granted_powers(facts.rules)[1]))
        rules = facts.rules
        checks.refuse([*checks.complaint_complete(rules, ctx.plaintiff, ctx.defendant, ctx.claim, ctx.terms),
                       *checks.claim_within_notice(facts),
                       *checks.events_before(rules, ctx.timeline, doc.as_of),
                       *checks.elements_complete(rules, ctx.terms, ctx.claim),
                       *checks.day_count_authorized(rules, ctx.terms),
                       *checks.span_in_order(rules, "逾期时间", ctx.overdue_from, ctx.claim.as_of),
                       *checks.court_valid(rules, ctx.court, ctx.terms)])
        return ctx

    @classmethod
    def sample(cls, doc: DocMeta) -> Self:
        blocks = cls.sample_case_blocks(doc)
        return cls(**blocks, plaintiff_org_type=org_type(blocks["plaintiff"].name), **cls.overdue(blocks),
                   index_pages=True, special_authority=bool(granted_powers(load_ruleset("CN"))[1]))
