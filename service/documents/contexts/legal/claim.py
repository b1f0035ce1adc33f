"""借款本息计算表 / statement of claim: per-instalment figures, rates with their clauses, the cap
test and its reductions, the continuing-interest formula, all as of one date."""

from typing import Self

from service.documents.contexts.common import DocMeta, Required
from service.documents.contexts.facts import CaseFacts
from service.documents.contexts.legal import checks
from service.documents.contexts.legal.base import CaseDocContext
from service.documents.contexts.legal.blocks import ROW_PARTS, NoticeBridgeBlock
from service.documents.contexts.legal.pleadings import bridge_required


class ClaimStatementContext(CaseDocContext):
    """Every figure comes from the money layer's ``Claim``; the rows add up to the contractual
    figures and the claimed figures are those minus the cap's cut (checked by ``ClaimBlock``)."""

    # from the breach notice's amount to the claim, in §四 (checks.notice_bridge)
    bridge: NoticeBridgeBlock | None = None

    def required(self) -> list[Required]:
        c = self.claim
        found = [*self.claim_required(), Required(label="defendant", text=self.defendant.name),
                 *bridge_required(self, self.bridge)]
        if c.cap_binding:  # the cap test (CN-16); a US claim has none (US-18)
            found += [Required(label="cap_rate", text=f"{(c.cap_rate * 100).normalize():f}%"),
                      Required(label="lawful_total", text=self.money(c.lawful_total)),
                      Required(label="allowed_cost", text=self.money(c.allowed_cost)),
                      Required(label="together_cut", text=self.money(c.together_cut))]
        found += [Required(label=f"line_{x.key}", text=self.money(x.amount)) for x in c.reconciliation]
        if c.agreement is not None:
            found += [Required(label=f"plan_{r.no}", text=self.money(r.amount)) for r in c.agreement.rows]
        else:
            found += [Required(label=f"rows_{name}", text=self.money(c.row_total(name))) for name in ROW_PARTS]
        if self.doc.rules.has(checks.ELEMENTS_RULE):  # the rate clauses the element form cites
            found += [Required(label="rate_clause", text=self.terms.clause("rate")),
                      Required(label="penalty_clause", text=self.terms.clause(c.penalty_clause))]
        return found

    @classmethod
    def build(cls, facts: CaseFacts, doc: DocMeta) -> Self:
        # the bridge is the CN statement's (§四); the US statement's account states the acceleration its own way
        bridge = None if facts.rules.jurisdiction.state_law else checks.notice_bridge(facts)
        ctx = cls(**cls.case_blocks(facts, doc), bridge=bridge)
        checks.refuse([*checks.claim_within_notice(facts), *checks.day_count_authorized(facts.rules, ctx.terms)])
        if facts.rules.has(checks.ELEMENTS_RULE):
            checks.refuse(checks.elements_complete(facts.rules, ctx.terms, ctx.claim))
        return ctx
