"""Review of 2026-12-07 (CN-00058): a repayment agreement signed when the contract's default rate
(33.98 %) was above the cap sets the capped rate itself (第四条第3项: 24 %, the excess not charged).
After it the agreed figure is the agreement's: the filings computed a "contract" figure at 33.98 %
and a 458.81 "cap reduction" of it. The claim's agreed penalty is now at the agreement's rate, no
reduction appears where the agreement's own rate is within the cap, the documents cite the item,
and `dossier claim` gives the cap's gross allowance, what was paid and what is left."""

from io import StringIO

from rich.console import Console
from sqlalchemy import select

from service.cases import accounts
from service.cases.casefile import load_case_file
from service.cases.claim_view import claim_view
from service.cases.models import DebtCase
from service.cli_views import print_claim
from service.core.settings import get_settings
from tests.factories import DEMO_ANCHOR
from tests.seeded import seed_demo


def _agreement_claims(db):
    cap = get_settings().licensed_cost_cap
    for ref in db.scalars(select(DebtCase.ref).where(DebtCase.profile == "CN").order_by(DebtCase.ref)):
        cf = load_case_file(db, ref)
        claim = accounts.claim_of(cf, DEMO_ANCHOR, licensed_cap=cap)
        if claim.agreement is not None and claim.agreement.accelerated_on is not None:
            yield cf, claim


def test_the_agreed_figure_is_at_the_rate_the_agreement_set_and_cut_by_no_cap(db):
    seed_demo(db, anchor=DEMO_ANCHOR, cases=21)
    checked = 0
    for cf, claim in _agreement_claims(db):
        terms = claim.agreement.terms  # type: ignore[union-attr]
        cap = accounts.cap_of(cf, terms.acknowledged_on)
        if not cap.binding or cf.contract.penalty_rate <= cap.rate_on(terms.acknowledged_on):
            continue
        checked += 1
        ceiling = cap.rate_on(terms.acknowledged_on)
        assert terms.default.penalty_rate == ceiling and terms.default.rate_item in (3, 4), cf.case.ref
        penalty = claim.line("default_penalty")
        if penalty is not None:
            assert penalty.item == terms.default.rate_item and penalty.rate == ceiling, cf.case.ref
        # no cut of the agreement's own terms: what it acknowledged above the lawful amount at most
        above = claim.line("acknowledged_above_cap")
        assert claim.reduced_by == (-above.amount if above else 0), (cf.case.ref, claim.reduced_by)
        assert claim.line("rate_cap_plan") is None, cf.case.ref
    assert checked


def test_the_cli_gives_the_gross_allowance_paid_and_what_is_left(db):
    seed_demo(db, anchor=DEMO_ANCHOR, cases=21)
    cf, claim = next((cf, c) for cf, c in _agreement_claims(db) if c.cap.binding)
    view = claim_view(cf, claim)
    cap = claim.cap_result
    assert cap.gross_allowance - cap.cost_paid == cap.allowed_cost
    for lang, words in (("zh", (f"资金成本上限{cap.gross_allowance:,}", f"已付{cap.cost_paid:,}",
                                f"尚可主张{cap.allowed_cost:,}", "按还款协议及借款合同约定计算的资金成本")),
                        ("en", (f"allowance {cap.gross_allowance:,} gross", f"already paid {cap.cost_paid:,}",
                                f"left to claim {cap.allowed_cost:,}", "agreement's own terms"))):
        out = StringIO()
        print_claim(Console(file=out, width=400), view, lang)
        printed = out.getvalue()
        for said in words:
            assert said in printed, (lang, said, printed)
        assert "上限内可主张" not in printed
