"""The contract's penalty (罚息 / 逾期利息) rate is never labelled the contract's loan rate (review F17,
F19): the visit brief's talking point says 借款合同约定罚息年利率 and the en-US overdue reminder
"Contract default rate" (on one line of its column, so the reminder stays one page); and the talking
point says the penalty is accruing only where overdue principal exists to bear it, else that none
accrues yet (issue 10 §7: true consequences)."""

from sqlalchemy import select

from service.cases.casefile import load_case_file
from service.cases.models import DebtCase
from service.core.errors import RuleViolation
from service.documents import service as documents_service
from service.documents.format import percent
from service.documents.render import render
from service.packets.build import planner_for
from tests.documents.conftest import pdf_text, squash
from tests.factories import DEMO_ANCHOR, demo_clock
from tests.seeded import seed_demo


def _render(db, settings, tmp_path, ref, kind, locale):
    cf = load_case_file(db, ref)
    try:
        _, _, ctx = documents_service.prepare(db, case_ref=ref, kind=kind, fmt="pdf", locale=locale, as_of=None,
                                              now=demo_clock(tz=cf.borrower.timezone), case_file=cf,
                                              planner=planner_for(settings)(db))
    except RuleViolation:
        return None, None
    return ctx, pdf_text(render(ctx, "pdf", templates_dir=settings.templates_dir).data, tmp_path)


def test_the_penalty_rate_is_named_as_such_and_said_to_accrue_only_on_overdue_principal(db, settings, tmp_path):
    seed_demo(db, anchor=DEMO_ANCHOR, cases=18, settings=settings)
    briefs, reminders = set(), 0
    for ref in db.scalars(select(DebtCase.ref).where(DebtCase.profile == "CN").order_by(DebtCase.ref)):
        cf = load_case_file(db, ref)
        rate, contract_rate = percent(cf.contract.penalty_rate), percent(cf.contract.nominal_rate)
        ctx, text = _render(db, settings, tmp_path, ref, "visit_brief", "zh-CN")
        if ctx is not None:
            flat = squash(text)
            point = flat.split("七、沟通要点")[1].split("2．")[0]
            term = ctx.cause.penalty_term
            assert f"借款合同约定{term}年利率{rate}" in point, (ref, point)
            assert f"借款合同约定年利率{rate}" not in flat, ref
            if ctx.amounts.principal > 0:
                assert f"逾期本金{ctx.amounts.principal:,.2f}元按年利率" in point and "继续计收" in point, point
            else:
                assert f"1．目前没有逾期本金，不产生{term}" in point, (ref, point)
                assert "继续计收" not in point and "欠款随时间增加" not in point, (ref, point)
            briefs.add(ctx.amounts.principal > 0)
        ctx, text = _render(db, settings, tmp_path, ref, "overdue_reminder", "en-US")
        if ctx is not None:
            words = " ".join(text.split())
            assert "Contract rate" not in words and "the contract rate" not in words, ref
            if ctx.loan.above_cap(ctx.loan.penalty_rate):
                short = ctx.cause.penalty_term_en.replace(" interest", "")  # default | overdue
                assert f"Contract {short} rate {rate} a year" in words, ref
                assert f"(the contract {short} rate shown above is higher;" in words, ref
                assert rate != contract_rate
                reminders += 1
    assert False in briefs, briefs  # the demo visit with interest overdue but no principal (review F17)
    assert reminders, reminders
