"""Review CN-00012: the claim statement's 违约后原合同利息减免失效，恢复主张 (1,556.36) was one lump,
broken down nowhere. The claim statement, `dossier claim` and the API's claim itemise what the
agreement's default clause revives: the conditional waiver by the acknowledged component it held
back, and the contract interest the agreement waived on condition, period by period (whole, or the
running period's days up to the day before the acceleration date), adding up to the revived line
and, with what is never charged, to the amount the agreement's interest clause states."""

import io

from rich.console import Console

from service.cases.claim_view import claim_view
from service.cli_views import print_claim
from service.documents.format import money
from tests.documents.conftest import squash
from tests.documents.legal_cases import DAY, context, litigation_case, texts


def _claim(db):  # type: ignore[no-untyped-def]
    ref = litigation_case(db).ref
    ctx = context(db, ref, "claim_statement")
    return ref, ctx, ctx.claim  # type: ignore[attr-defined]


def test_the_claim_itemises_the_revived_interest_to_the_cent(db):
    ref, _ctx, c = _claim(db)
    a = c.agreement
    line = c.line("revived_interest_waiver")
    assert line is not None and a.revived_periods, "the test case's breach revives contract interest to come"
    assert sum(p.amount for p in a.revived_periods) == line.amount == a.revived_interest_waiver
    assert a.revived_interest_waiver + a.interest_not_revived == a.interest_not_charged
    assert all(p.amount == p.waived for p in a.revived_periods if p.days is None)
    assert all(p.amount <= p.waived for p in a.revived_periods if p.days is not None)
    # the same figures through the API's view of the claim
    from service.cases import service as case_service
    from service.core.settings import get_settings

    cf, result = case_service.claim(db, ref, DAY, licensed_cap=get_settings().licensed_cost_cap)
    view = claim_view(cf, result)["agreement"]
    assert [(p["no"], p["revived"]) for p in view["revived_interest_periods"]] == \
        [(p.no, p.amount) for p in a.revived_periods]
    assert view["not_revived"] == a.interest_not_revived


def test_the_claim_statement_and_the_cli_show_where_the_revived_amounts_come_from(db, tmp_path):
    ref, ctx, c = _claim(db)
    a = c.agreement
    pdf, docx = texts(ctx, tmp_path)
    for text in (squash(pdf), squash(docx)):
        assert squash("违约后恢复主张的款项明细") in text
        for p in a.revived_periods:
            assert squash(f"原借款合同第{p.no}期利息") in text and money(p.amount) in text
        assert money(a.revived_total) in text and money(a.interest_not_revived) in text
        for _, amount in a.revived_waiver_parts:
            assert money(amount) in text
    out = io.StringIO()
    from service.cases import service as case_service
    from service.core.settings import get_settings

    cf, result = case_service.claim(db, ref, DAY, licensed_cap=get_settings().licensed_cost_cap)
    print_claim(Console(file=out, width=200), claim_view(cf, result), "zh")
    printed = out.getvalue()
    assert "违约后恢复主张的原合同利息逐期明细" in printed
    for p in a.revived_periods:
        assert f"{p.amount:,}" in printed
    assert f"{a.interest_not_charged:,}" in printed and f"{a.revived_interest_waiver:,}" in printed
