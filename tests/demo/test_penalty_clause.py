"""The CN claim documents cite the default-interest (罚息 / 逾期利息) rate to one clause of the loan
contract, the one the claim names (``ClaimBlock.penalty_clause``, ``accounts.penalty_clause_of``)
as the US documents do: whatever key the contract's clause_refs record it under, "penalty" or
"default", the complaint, the element form, the claim statement, the lawyer letter, the mediation
application and the breach notice all cite it, and never a clause the contract does not have."""

from datetime import date

from sqlalchemy import select

from service.cases.casefile import CaseFile, load_case_file
from service.cases.enums import Stage
from service.cases.models import DebtCase
from service.core.errors import RuleViolation
from service.core.settings import get_settings
from service.documents.contexts.common import DocMeta, DocumentContext
from service.documents.contexts.facts import CaseFacts
from service.documents.format import cn_number, percent
from service.documents.registry import KINDS
from service.documents.render import render
from tests.documents.conftest import pdf_text, squash
from tests.factories import DEMO_ANCHOR, demo_clock
from tests.seeded import seed_demo

STAGES = (Stage.PLAN_BREACHED, Stage.PRE_LITIGATION, Stage.FILED, Stage.JUDGMENT, Stage.ENFORCEMENT)
KINDS_CITING = ("civil_complaint", "complaint_elements", "claim_statement", "lawyer_letter", "mediation_application",
                "breach_notice")


def _context(cf: CaseFile, kind: str, as_of: date) -> DocumentContext:
    k = KINDS[kind]
    facts = CaseFacts(cf, as_of, demo_clock(tz=cf.borrower.timezone))
    doc = DocMeta(kind=kind, profile="CN", locale="zh-CN", audience=k.audience, as_of=as_of, case_ref=cf.case.ref)
    return k.context_class().build(facts, doc)


def _cited(kind: str, ctx: DocumentContext, clause: str) -> list[str]:
    """Where each kind cites the rate's clause."""
    t = ctx.terms if kind != "breach_notice" else None  # type: ignore[attr-defined]
    term = ctx.cause.penalty_term  # type: ignore[attr-defined]
    # where a repayment agreement set its own default rate (agrrate: the cap's, in an item of its
    # default clause), the claim statement cites that item for the rate that runs on, not the contract
    claim = getattr(ctx, "claim", None)
    dp = claim.line("default_penalty") if claim is not None else None
    runs_on = (f"还款协议第{cn_number(int(dp.clause))}条第{dp.item}项" if dp is not None and dp.item
               else f"合同{clause}")
    return {
        "civil_complaint": [f"计收{term}（合同{clause}）"],
        # the rate, its clause and (above the cap) the cap disclaimed, in one bracket (templates/_partials/rates)
        "lawyer_letter": [f"按年利率{percent(t.penalty_rate) if t else ''}（合同{clause}", f"计收{term}"],
        "mediation_application": [f"{term}年利率{percent(t.penalty_rate) if t else ''}（合同{clause}"],
        # (under an agreement the day count follows from its default clause, not "每期本金到期次日")
        "claim_statement": [f"合同{clause}；",
                            f"{runs_on}约定的{term}利率与上述上限中较低者"],
        "complaint_elements": [f"、{clause}"],  # 请求依据: the contract's rate clauses
        "breach_notice": [f"计收{term}（原借款合同{clause}约定年利率"],
    }[kind]


def test_every_cn_claim_document_cites_the_rate_to_the_clause_the_claim_names(db, settings, tmp_path):
    seed_demo(db, anchor=DEMO_ANCHOR, cases=18, settings=settings)
    refs = db.scalars(select(DebtCase.ref).where(DebtCase.profile == "CN", DebtCase.stage.in_(STAGES))
                      .order_by(DebtCase.ref))
    templates = get_settings().templates_dir
    checked: set[str] = set()
    for ref in refs:
        cf = load_case_file(db, ref)
        # a lender whose contract records its default-interest clause as "default" (as the US demo's do)
        clauses = dict(cf.contract.clause_refs)
        clause = clauses.pop("penalty")
        cf.contract.clause_refs = {**clauses, "default": clause}
        for kind in KINDS_CITING:
            try:
                ctx = _context(cf, kind, DEMO_ANCHOR)
            except RuleViolation as exc:  # a pleading while the cure period runs, a letter without a firm
                assert {v.rule for v in exc.violations} <= {"DOC-04", "CN-29"}, (ref, kind, exc.violations)
                continue
            claim = getattr(ctx, "claim", None)
            assert claim is None or claim.penalty_clause == "default", (ref, kind)
            flat = squash(pdf_text(render(ctx, "pdf", templates_dir=templates).data, tmp_path))
            for said in _cited(kind, ctx, clause):
                assert squash(said) in flat, (ref, kind, said)
            assert "（合同）" not in flat and "合同；" not in flat, (ref, kind)  # no empty citation
            checked.add(kind)
    assert checked == set(KINDS_CITING)
