"""One truth per case (issue 8, "done when"): for the demo cases whose plan was breached or which
are before litigation, CN and US, every document of the case states the amounts and dates of the
one claim computation of the same as-of date — the breach notice, the lawyer letter, the
complaints, the claim statement, the court-fee statement, the mediation application, the
affidavit — and so do `dossier claim` and the API, which show the reconciliation from the
contract through the agreement to the amount claimed.

Contexts are built directly (the stage check is the only one left out), so the breach notice of a
case before litigation and the pleadings of a case whose plan was just breached are compared too.
"""

import contextlib
import re
from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal
from io import StringIO
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from rich.console import Console
from sqlalchemy import select

from service.cases import accounts
from service.cases.casefile import CaseFile, load_case_file
from service.cases.claim import Claim
from service.cases.claim_view import claim_view
from service.cases.enums import Stage
from service.cases.models import DebtCase
from service.cli_views import print_claim
from service.core.errors import RuleViolation
from service.core.settings import get_settings
from service.documents import rules as document_rules
from service.documents.contexts.common import DocMeta, DocumentContext
from service.documents.contexts.facts import CaseFacts
from service.documents.contexts.record import ContactHistory
from service.documents.format import cn_number, cn_upper, date_cn, date_en, money, percent, usd
from service.documents.registry import KINDS
from service.documents.render import render
from tests.conftest import auth
from tests.documents.conftest import pdf_text, squash
from tests.factories import DEMO_ANCHOR, demo_clock
from tests.seeded import seed_demo

STAGES = (Stage.PLAN_BREACHED, Stage.PRE_LITIGATION)
KINDS_BY_PROFILE = {
    "CN": ("breach_notice", "lawyer_letter", "civil_complaint", "complaint_elements", "claim_statement",
           "court_fee_statement", "mediation_application"),
    "US": ("breach_notice", "claim_statement", "affidavit_of_debt", "notice_of_acceleration"),
}
# A rule a careful lawyer expects to refuse some of these on some demo case: a lawyer letter needs an
# assigned firm (CN-29). Anything else refused is a failure.
EXPECTED = {("lawyer_letter", "CN-29"), ("notice_of_acceleration", "US-21")}
MATURED = "US-21"  # no notice of acceleration for a debt whose schedule had matured (US-00002)


@pytest.fixture
def demo_cases(db, settings) -> list[CaseFile]:
    seed_demo(db, anchor=DEMO_ANCHOR, cases=50, settings=settings)
    refs = db.scalars(select(DebtCase.ref).where(DebtCase.stage.in_(STAGES)).order_by(DebtCase.ref))
    cases = [load_case_file(db, ref) for ref in refs]
    assert {(cf.case.profile, cf.case.stage) for cf in cases} == {(p, s) for p in ("CN", "US") for s in STAGES}
    assert "non_licensed" in {cf.lender.licence_type for cf in cases}  # private lending (民间借贷) too
    return cases


def _context(cf: CaseFile, kind: str) -> tuple[CaseFacts, DocumentContext]:
    k = KINDS[kind]
    profile = cf.case.profile
    facts = CaseFacts(cf, DEMO_ANCHOR, demo_clock(tz=cf.borrower.timezone))
    doc = DocMeta(kind=kind, profile=profile, locale=k.default_locale(profile), audience=k.audience,
                  as_of=facts.as_of, case_ref=cf.case.ref)
    # A debt whose schedule matured has nothing to accelerate: the service refuses both US notices
    # before building them (US-21), as it does here; the kinds' other rules are the tests' own.
    matured = [v for v in document_rules.check(facts, k) if v.rule == MATURED]
    if matured:
        raise RuleViolation(matured)
    return facts, k.context_class().build(facts, doc)


def _complaints(cases: list[CaseFile]) -> Iterator[tuple[CaseFile, CaseFacts, DocumentContext]]:
    """Each case's complaint context, for the cases that have one (none at PLAN_BREACHED)."""
    for cf in cases:
        if cf.case.stage != Stage.PLAN_BREACHED:
            facts, complaint = _context(cf, "civil_complaint")
            yield cf, facts, complaint


def _fmt(profile: str) -> tuple[Any, Any]:
    return (money, date_cn) if profile == "CN" else (usd, date_en)


def _claim_of(ctx: DocumentContext) -> Any:
    return getattr(ctx, "claim", None)


def _same_claim(block: Any, claim: Claim) -> None:
    """A document's claim block is the claim computation, part by part."""
    assert (block.as_of, block.principal, block.interest, block.penalty, block.compound, block.fees,
            block.claimed_total) == (claim.as_of, claim.principal, claim.interest, claim.penalty, claim.compound,
                                     claim.fees, claim.claimed_total)
    assert (block.continuing_base, block.continuing_rate, block.continuing_from) == (
        claim.continuing.base, claim.continuing.annual_rate, claim.continuing.from_date)
    assert [(x.key, x.amount) for x in block.reconciliation] == [(x.key, x.amount) for x in claim.reconciliation]


def _check_text(kind: str, text: str, claim: Claim, profile: str) -> None:
    amount, day = _fmt(profile)
    flat = squash(text)
    assert squash(amount(claim.claimed_total)) in flat, (kind, "claimed total")
    assert squash(amount(claim.principal)) in flat, (kind, "principal")
    assert squash(day(claim.as_of)) in flat, (kind, "as-of date")
    if profile == "CN" and kind not in ("court_fee_statement",):
        assert cn_upper(claim.claimed_total) in flat, (kind, "amount in capitals")
    if kind != "court_fee_statement":
        assert squash(day(claim.continuing.from_date)) in flat, (kind, "continuing interest from")
    shown = {"claim_statement": [x for x in claim.reconciliation],
             "affidavit_of_debt": [x for x in claim.reconciliation if not x.info] if claim.agreement else [],
             "breach_notice": [x for x in claim.reconciliation
                               if x.key in ("revived_waiver", "revived_interest", "paid_under_plan")]}
    for line in shown.get(kind, []):
        assert squash(amount(abs(line.amount))) in flat, (kind, line.key)


def test_every_document_of_a_breached_or_pre_litigation_demo_case_states_the_one_claim(demo_cases, tmp_path):
    templates = get_settings().templates_dir
    refused: set[tuple[str, str]] = set()
    checked = skipped = 0
    for cf in demo_cases:
        profile = cf.case.profile
        claim = accounts.claim_of(cf, DEMO_ANCHOR, licensed_cap=get_settings().licensed_cost_cap)
        assert claim.basis == ("agreement" if cf.current_plan is not None else "contract")
        for kind in KINDS_BY_PROFILE[profile]:
            try:
                facts, ctx = _context(cf, kind)
            except RuleViolation as exc:
                # While the plan's cure period runs, no pleading may say the default went uncured (DOC-04).
                running = cf.case.stage == Stage.PLAN_BREACHED and kind != "breach_notice"
                refused |= {(kind, v.rule) for v in exc.violations if not (running and v.rule == "DOC-04")}
                skipped += 1
                continue
            assert facts.claim == claim
            if kind == "breach_notice":
                a = ctx.acceleration  # type: ignore[attr-defined]
                assert (a.total, a.principal, a.continuing_from) == (
                    claim.claimed_total, claim.principal, claim.continuing.from_date)
                assert a.on == claim.accelerated_on and a.paid_under_plan == claim.agreement.paid_total
            elif kind == "notice_of_acceleration":
                b = ctx.balance  # type: ignore[attr-defined]
                assert (b.total, b.principal, b.interest, b.fees, b.continuing_from) == (
                    claim.claimed_total, claim.principal, claim.interest, claim.fees, claim.continuing.from_date)
                assert ctx.accelerated_on == claim.accelerated_on  # type: ignore[attr-defined]
            else:
                _same_claim(_claim_of(ctx), claim)
            if kind == "court_fee_statement":
                assert ctx.fee.full == claim.court_fee.full and ctx.fee.amount == claim.claimed_total  # type: ignore[attr-defined]
            text = pdf_text(render(ctx, "pdf", templates_dir=templates).data, tmp_path)
            _check_text(kind, text, claim, profile)
            if kind == "court_fee_statement":
                assert squash(money(claim.court_fee.full)) in squash(text)
            checked += 1
    assert refused <= EXPECTED, refused - EXPECTED
    assert checked == sum(len(KINDS_BY_PROFILE[cf.case.profile]) for cf in demo_cases) - skipped
    assert checked > 12  # besides DOC-04 while a cure period runs, only a lawyer letter without a firm (CN-29)


def test_dossier_claim_and_the_api_show_the_same_claim_and_its_reconciliation(demo_cases, client, keys):
    """`dossier claim` and GET /v1/cases/{ref}/claim show the claim and its reconciliation, and the
    breach notice states what that claim makes due on acceleration."""
    _breach_notice_then_claim(demo_cases)
    for cf in demo_cases:
        claim = accounts.claim_of(cf, DEMO_ANCHOR, licensed_cap=get_settings().licensed_cost_cap)
        view = claim_view(cf, claim)
        r = client.get(f"/v1/cases/{cf.case.ref}/claim", params={"as_of": DEMO_ANCHOR.isoformat()},
                       headers=auth(keys["legal_staff"]))
        assert r.status_code == 200, r.text
        body = r.json()
        assert Decimal(body["claimed_total"]) == claim.claimed_total
        assert [(x["key"], Decimal(x["amount"])) for x in body["reconciliation"]] == [
            (x.key, x.amount) for x in claim.reconciliation]
        counted = sum((Decimal(x["amount"]) for x in body["reconciliation"] if not x.get("info")), Decimal(0))
        assert counted == claim.claimed_total
        if cf.case.profile == "US":  # US-18: no CN cap, no court fee, no 标的额
            assert body["court_fee"] is None and body["cap"]["binding"] is False and "标的额" not in r.text
        else:
            assert Decimal(body["court_fee"]["full"]) == claim.court_fee.full
        out = StringIO()
        print_claim(Console(file=out, width=200), view, "en")
        printed = out.getvalue()
        assert f"{claim.claimed_total:,}" in printed
        for line in claim.reconciliation:
            assert f"{abs(line.amount):,}" in printed, line.key
        if claim.agreement is not None:
            assert {"acknowledged", "paid_under_plan"} <= {x.key for x in claim.reconciliation}
            assert "acknowledged in the agreement" in printed and "paid under the plan" in printed
        assert ("标的额" in printed) == (cf.case.profile == "CN") and ("court fee" in printed) == (
            cf.case.profile == "CN")


def _breach_notice_then_claim(demo_cases: list[CaseFile]) -> None:
    """What the breach notice says falls due is what `dossier claim` says the same day; a month
    later the claim differs from it only by the lines that explain why (default interest since
    the acceleration, and the cap on it)."""
    cap = get_settings().licensed_cost_cap
    explaining = ("default_penalty", "cap_together", "cost_set_off")
    for cf in demo_cases:
        if cf.current_plan is None:
            continue
        notice = _context(cf, "breach_notice")[1].acceleration  # type: ignore[attr-defined]
        now = accounts.claim_of(cf, DEMO_ANCHOR, licensed_cap=cap)
        later = accounts.claim_of(cf, max(DEMO_ANCHOR, notice.on) + timedelta(days=30), licensed_cap=cap)
        assert notice.total == now.claimed_total

        def unexplained(claim: Claim) -> Decimal:
            return claim.claimed_total - sum((x.amount for x in claim.reconciliation if x.key in explaining),
                                             Decimal(0))

        assert later.claimed_total > notice.total and unexplained(later) == unexplained(now), cf.case.ref


def test_no_demand_from_the_original_contract_once_an_agreement_is_signed(demo_cases):
    """A demand letter computed from the contract would ask for other amounts than the signed
    agreement, its breach notice and the complaint: it is refused (PLAN-03) on every case with one."""
    with_plan = [cf for cf in demo_cases if cf.current_plan is not None and cf.case.profile == "CN"]
    assert with_plan
    for cf in with_plan:
        facts = CaseFacts(cf, DEMO_ANCHOR, demo_clock(tz=cf.borrower.timezone))
        found = [v.rule for v in document_rules.check(facts, KINDS["demand_letter"])]
        assert "PLAN-03" in found, cf.case.ref


def test_a_credit_pre_notice_under_a_signed_agreement_reports_the_one_claim(demo_cases, tmp_path):
    """Under a signed agreement the pre-notice states what the agreement's acceleration made due
    (the claim's amounts, all overdue) — never the original contract's ledger — and before the
    acceleration it is refused (PLAN-03)."""
    with_plan = [cf for cf in demo_cases if cf.current_plan is not None and cf.case.profile == "CN"
                 and cf.lender.credit_system]
    assert with_plan
    accelerated = 0
    for cf in with_plan:
        claim = accounts.claim_of(cf, DEMO_ANCHOR, licensed_cap=get_settings().licensed_cost_cap)
        on = accounts.acceleration_of(cf, cf.current_plan)
        if on is None or on > DEMO_ANCHOR:
            with pytest.raises(RuleViolation) as refused:
                _context(cf, "credit_report_prenotice")
            assert [v.rule for v in refused.value.violations] == ["PLAN-03"]
            continue
        _, ctx = _context(cf, "credit_report_prenotice")
        a = ctx.amounts  # type: ignore[attr-defined]
        assert (a.principal, a.interest, a.penalty, a.compound, a.fees, a.total_overdue, a.principal_not_due) == (
            claim.principal, claim.interest, claim.penalty, claim.compound, claim.fees, claim.claimed_total, 0)
        assert ctx.agreement.accelerated_on == on  # type: ignore[attr-defined]
        flat = squash(pdf_text(render(ctx, "pdf", templates_dir=get_settings().templates_dir).data, tmp_path))
        assert squash(money(claim.claimed_total)) in flat and cn_upper(claim.claimed_total) in flat
        assert cf.current_plan.agreement_no in flat and squash(date_cn(on)) in flat
        contract_total = accounts.ledger_of(cf, DEMO_ANCHOR).total_overdue
        assert contract_total == claim.claimed_total or squash(money(contract_total)) not in flat
        accelerated += 1
    assert accelerated and accelerated < len(with_plan)  # both kinds of plan case are in the demo


def test_the_payment_history_exhibit_applies_plan_payments_as_the_claim_does(demo_cases, tmp_path):
    """Under a signed agreement the exhibit allocates to the contract's instalments only what was
    paid up to the acknowledgement; what was paid later is the agreement's, applied as the claim's
    reconciliation says ("paid under the plan") — the exhibit and the pleadings tell one story."""
    with_plan = [cf for cf in demo_cases if cf.current_plan is not None]
    assert {cf.case.profile for cf in with_plan} == {"CN", "US"}
    for cf in with_plan:
        claim = accounts.claim_of(cf, DEMO_ANCHOR, licensed_cap=get_settings().licensed_cost_cap)
        _, ctx = _context(cf, "payment_history")
        a = ctx.agreement  # type: ignore[attr-defined]
        assert a is not None and a.from_date == cf.current_plan.as_of_date
        assert all(p.value_date <= a.from_date for p in ctx.payments)  # type: ignore[attr-defined]
        assert a.total == claim.agreement.paid_total == -claim.line("paid_under_plan").amount
        assert sum(a.applied.values()) == a.total
        amount, _ = _fmt(cf.case.profile)
        flat = squash(pdf_text(render(ctx, "pdf", templates_dir=get_settings().templates_dir).data, tmp_path))
        assert squash(amount(a.total)) in flat and cf.current_plan.agreement_no in flat
        assert "同一口径" not in flat and "onthesamebasisasthestatement" not in flat


LITIGATION = (Stage.PLAN_BREACHED, Stage.PRE_LITIGATION, Stage.FILED, Stage.JUDGMENT, Stage.ENFORCEMENT)
CN_OVERDUE_KINDS = ("civil_complaint", "complaint_elements", "claim_statement", "breach_notice", "lawyer_letter",
                    "mediation_application")
SINCE = re.compile(r"自(\d{4}年\d{1,2}月\d{1,2}日)(?:（[^）]*）)?(?:次日)?起")


@pytest.fixture
def cn_litigation_cases(db, settings) -> list[CaseFile]:
    seed_demo(db, anchor=DEMO_ANCHOR, cases=50, settings=settings)
    refs = db.scalars(select(DebtCase.ref).where(DebtCase.stage.in_(LITIGATION), DebtCase.profile == "CN")
                      .order_by(DebtCase.ref))
    return [load_case_file(db, ref) for ref in refs]


def test_every_document_of_a_cn_litigation_case_states_the_one_overdue_start(cn_litigation_cases, tmp_path):
    """Issue 8 §6, one CN case file showed three "overdue since" dates: every document states the
    facts record's dates, the first missed due date and the acceleration date, each labelled as
    what it is, and the element form's 逾期时间 is the overdue start (the governing schedule's first
    missed due date) with its day count and, beside it, the acceleration date;
    any other "自…起" is a date of the record too."""
    templates = get_settings().templates_dir
    checked = 0
    for cf in cn_litigation_cases:
        for kind in CN_OVERDUE_KINDS:
            try:
                facts, ctx = _context(cf, kind)
            except RuleViolation:
                continue  # a pleading while the cure period runs (DOC-04), a letter without a firm (CN-29)
            record, claim = facts.record, facts.claim
            # the governing schedule's first missed due date (the plan's, where one governs); an
            # acceleration is stated beside it, never in its place (review R-8)
            start = record.schedule_missed_due or record.first_missed_due
            assert start is not None, cf.case.ref
            flat = squash(pdf_text(render(ctx, "pdf", templates_dir=templates).data, tmp_path))
            allowed = {record.first_missed_due, record.accelerated_on, claim.continuing.from_date,
                       record.contacts.first, record.contract.signed_date, record.contract.disbursed_date,
                       record.schedule_missed_due, record.matured_on,
                       # the day an agreement's default clause took effect, from which the claim
                       # statement's penalty rows run (a matured loan's record has no acceleration)
                       claim.agreement.accelerated_on if claim.agreement is not None else None}
            printed = {m for m in SINCE.findall(flat)}
            assert printed <= {date_cn(d) for d in allowed if d}, (cf.case.ref, kind, printed)
            if kind == "complaint_elements":
                on_plan = record.plan is not None and start != record.first_missed_due
                label = f"{'《还款协议》项下' if on_plan else ''}首次未按约定足额还款的应还日"
                stated = f"逾期时间：自{date_cn(start)}（{label}）次日起，至{date_cn(claim.as_of)}已逾期" \
                         f"{(claim.as_of - start).days}日"
                if record.accelerated_on:
                    stated += f"；全部未还款项已于{date_cn(record.accelerated_on)}提前到期"
                assert stated in flat, cf.case.ref
            if kind in ("civil_complaint", "lawyer_letter", "mediation_application"):
                # the default counted from the day after the due date missed, as the element form
                # counts it (review CN-00058 §5: the due day itself is not yet a default)
                said = f"自{date_cn(record.first_missed_due)}（首次未按约定足额还款的应还日）次日起"
                assert said in flat, (cf.case.ref, kind)
                assert f"自{date_cn(record.first_missed_due)}起" not in flat, (cf.case.ref, kind)
            if record.accelerated_on and kind != "mediation_application":
                assert date_cn(record.accelerated_on) in flat, (cf.case.ref, kind)
            checked += 1
    assert checked >= 20


def test_the_complaint_states_a_cap_reduction_only_with_the_claim_statements_figure(cn_litigation_cases, tmp_path):
    """A claim whose rates were capped but whose components together stay within the cap states no
    "together" reduction ("0.00" on the claim statement's row); a reduction or set-off the
    computation has is stated with the claim statement's own figure, and the complaint states the
    total the cap took off as the claim statement's §三 does."""
    templates = get_settings().templates_dir
    rate_capped = 0
    for cf in cn_litigation_cases:
        try:
            _, complaint = _context(cf, "civil_complaint")
            _, elements = _context(cf, "complaint_elements")
        except RuleViolation:
            continue
        _, statement = _context(cf, "claim_statement")
        c = complaint.claim  # type: ignore[attr-defined]
        texts = {kind: squash(pdf_text(render(ctx, "pdf", templates_dir=templates).data, tmp_path))
                 for kind, ctx in (("complaint", complaint), ("elements", elements), ("statement", statement))}
        term = complaint.cause.penalty_term  # type: ignore[attr-defined]
        compound = "复利、" if complaint.terms.compound_allowed else ""  # type: ignore[attr-defined]
        together = f"调减：资金成本合计超过可主张上限的部分（按费用、{compound}{term}、利息顺序调减）"
        assert together + money(c.together_cut) in texts["statement"]
        # the complaint also states what the cap took off in all, as the claim statement's §三 total does
        assert ("调减" in texts["complaint"]) == bool(c.together_cut or c.reduced_by), cf.case.ref
        if c.reduced_by:
            assert f"因利率上限调减、不予主张的金额合计{money(c.reduced_by)}元" in texts["complaint"]
            assert "调减金额合计（按" in texts["statement"] and money(c.reduced_by) in texts["statement"]
        assert ("调减" in texts["elements"]) == bool(c.together_cut), cf.case.ref
        for kind in ("complaint", "elements"):
            if c.together_cut:
                assert f"{money(c.together_cut)}元" in texts[kind]
            assert bool(re.search(r"\d元已冲抵(借款)?本金", texts[kind])) == bool(c.set_off), (cf.case.ref, kind)
            if c.set_off:
                assert f"{money(c.set_off)}元已冲抵" in texts[kind]
        # the cap now cuts a period's contract interest in the ledger (its basis tabulated), and an
        # agreement charges the cap's rate itself (agrrate): the demo's claims are cut by no rate at
        # claim time (a bank's penalty rate above the cap is: test_contract_acceleration)
        if c.capped_interest:
            assert "按上限计算的利息（元）" in texts["statement"], cf.case.ref
            rate_capped += 1
    assert rate_capped  # the demo has claims whose contract interest the cap cut (CN-00012)


VISITED = re.compile(r"(\d{4}年\d{1,2}月\d{1,2}日)，原告工作人员")


def test_every_contact_and_visit_a_court_document_states_is_in_the_cases_recorded_history(cn_litigation_cases,
                                                                                         tmp_path):
    """A visit the case records is a contact of its contact history (no communication row was
    posted for it in the demo), so the complaint's count of contacts, its first and last contact
    and each visit it narrates are the recorded history's: the visit log and the contact log
    never tell two stories."""
    templates = get_settings().templates_dir
    checked = 0
    for cf, facts, complaint in _complaints(cn_litigation_cases):
        record = facts.record
        visit_days = {v.started_at.astimezone(ZoneInfo(facts.tz)).date() for v in cf.visits
                      if v.started_at is not None}
        contact_days = [c.day for c in record.contacts.contacts]
        for day in visit_days:
            if record.first_missed_due and record.first_missed_due <= day <= facts.as_of:
                assert day in contact_days, (cf.case.ref, day)
        flat = squash(pdf_text(render(complaint, "pdf", templates_dir=templates).data, tmp_path))
        assert {d for d in VISITED.findall(flat)} <= {date_cn(d) for d in visit_days}, cf.case.ref
        # the demands among the contacts: a visit notice demands nothing (review CN-00044)
        demands = record.contacts.demands
        counted = re.search(r"原告自(\d{4}年\d{1,2}月\d{1,2}日)起先后(\d+)次", flat)
        assert counted and counted.groups() == (date_cn(demands.first), str(demands.attempts))
        assert f"最近一次为{date_cn(demands.last)}" in flat
        checked += 1
    assert checked >= 3


COURT_KINDS = ("civil_complaint", "complaint_elements", "claim_statement", "court_fee_statement",
               "mediation_application", "lawyer_letter", "payment_history")


def test_interest_on_overdue_principal_is_named_by_the_cause_in_every_court_document(cn_litigation_cases, tmp_path):
    """罚息 is a financial institution's term; a 民间借贷 case says 逾期利息 (CN-30's data), the same in
    every court document of the case, the visit record's words it quotes included."""
    templates = get_settings().templates_dir
    seen: set[str] = set()
    for cf in cn_litigation_cases:
        # 民间借贷: a lender without a lending licence, or one licensed for another business
        private = cf.lender.licence_type in ("non_licensed", "other_licensed")
        for kind in COURT_KINDS:
            try:
                _, ctx = _context(cf, kind)
            except RuleViolation:
                continue
            flat = squash(pdf_text(render(ctx, "pdf", templates_dir=templates).data, tmp_path))
            # a court document names it by its 案由; an exhibit of the records carries the term alone
            term = ctx.penalty_term if kind == "payment_history" else ctx.cause.penalty_term  # type: ignore[attr-defined]
            assert term == ("逾期利息" if private else "罚息")
            assert ("罚息" in flat) != private, (cf.case.ref, kind)
            if kind in ("civil_complaint", "claim_statement"):
                assert term in flat, (cf.case.ref, kind)
            seen.add(term)
    assert seen == {"罚息", "逾期利息"}


def test_the_element_form_states_each_rate_as_the_contract_gives_it_and_revived_interest_as_the_agreement_does(
        cn_litigation_cases, tmp_path):
    """The element form's interest row cites the contract's interest clause with the contract's own
    rate, and the cap where it cuts the rate (never the cap as if the contract said it); under a
    repayment agreement the revived (suspended) interest and the default interest are stated as
    the claim's reconciliation computes them: the agreement's default clause, the period, the rate."""
    templates = get_settings().templates_dir
    revived = capped = 0
    for cf in cn_litigation_cases:
        try:
            facts, ctx = _context(cf, "complaint_elements")
        except RuleViolation:
            continue
        c, t = ctx.claim, ctx.terms  # type: ignore[attr-defined]
        flat = squash(pdf_text(render(ctx, "pdf", templates_dir=templates).data, tmp_path))
        rev, dp = facts.claim.line("revived_interest"), facts.claim.line("default_penalty")
        if c.agreement is not None and rev is None:
            continue  # the acknowledged interest only: no rate of the contract runs under the agreement
        if rev is not None and rev.item:  # the agreement's own rate (the cap's) revives it: 第四条第3项
            assert (f"按还款协议第{cn_number(int(rev.clause))}条第{rev.item}项约定的年利率{percent(rev.rate)}"
                    in flat), cf.case.ref
        else:
            assert f"按合同{t.clause('rate')}约定的年利率{percent(t.nominal_rate)}" in flat, cf.case.ref
        if c.cap_binding and t.nominal_rate > c.cap_rate:
            assert f"年利率{percent(c.cap_rate)}（合同{t.clause('rate')}）" not in flat, cf.case.ref
            # the cap's label names its rate, in brackets where it names the LPR (rates.above)
            assert re.search(rf"年利率{re.escape(percent(c.cap_rate))}）?的部分不予主张", flat), cf.case.ref
            capped += 1
        if rev is not None:
            clause = f"依还款协议第{cn_number(int(rev.clause))}条恢复计收，自{date_cn(rev.start)}至{date_cn(rev.end)}"
            assert squash(money(rev.amount)) in flat and squash(clause) in flat, cf.case.ref
            _, complaint = _context(cf, "civil_complaint")  # the complaint tells the breach the same way
            told = squash(pdf_text(render(complaint, "pdf", templates_dir=templates).data, tmp_path))
            assert squash(f"依还款协议第{cn_number(int(rev.clause))}条，停息挂账期间暂停计收的利息{money(rev.amount)}元"
                          f"（自{date_cn(rev.start)}至{date_cn(rev.end)}）恢复计收") in told, cf.case.ref
            revived += 1
        if dp is not None:
            term = ctx.cause.penalty_term  # type: ignore[attr-defined]
            said = (f"{term}{money(dp.amount)}元依还款协议第{cn_number(int(dp.clause))}条，"
                    f"自{date_cn(dp.start)}至{date_cn(dp.end)}")
            if dp.item:  # at the agreement's own rate, its item cited with it
                said = (f"{term}{money(dp.amount)}元，自{date_cn(dp.start)}至{date_cn(dp.end)}以未还本金为基数"
                        f"按还款协议第{cn_number(int(dp.clause))}条第{dp.item}项约定的年利率{percent(dp.rate)}")
            assert squash(said) in flat, cf.case.ref
    assert revived and capped


def test_the_evidence_index_and_the_pleadings_state_one_contact_count_of_the_facts_record(cn_litigation_cases,
                                                                                          tmp_path):
    """The evidence index's contact-record exhibit, the complaint, the element form and the lawyer
    letter state the facts record's one count of demands for performance (a visit notice is none:
    review CN-00044), with the visits among them; the notice history behind the exhibit counts every
    contact. It says how its rows relate to that count: the contacts the table lists plus the visits
    no row records; never a part larger than the whole (the review's "全部通讯记录（共10条），其中…
    催收记录共11条")."""
    from sqlalchemy.orm import object_session

    from service.documents.contexts.legal.evidence import EvidenceIndexContext
    from service.packets.build import planner_for

    settings = get_settings()
    templates = settings.templates_dir
    checked = letters = split = 0
    for cf, facts, complaint in _complaints(cn_litigation_cases):
        h = facts.record.contacts
        if not h.demands.attempts:
            continue
        split += h.demands.attempts < h.attempts

        def total(lead: str, who: str, h: ContactHistory) -> str:
            n = len(h.reached)  # review CN-00061: the contacts that reached the borrower, not every contact a 催告
            reached = f"{n}次已送达{who}或与{who}本人通话、面谈" if n else ""
            if h.visits:
                among = f"；{h.attempts}次中{reached}" if n else ""
                return f"{lead}{h.attempts}次，其中上门走访{h.visits}次{among}"
            return f"{lead}{h.attempts}次" + (f"，其中{reached}" if n else "")
        doc = DocMeta(kind="evidence_index", profile="CN", locale="zh-CN", audience=KINDS["evidence_index"].audience,
                      as_of=facts.as_of, case_ref=cf.case.ref)
        index = EvidenceIndexContext.build(facts, doc, plan=planner_for(settings)(object_session(cf.case))(cf))
        _, elements = _context(cf, "complaint_elements")
        _, history = _context(cf, "notice_history")
        pleadings = [(complaint, h.demands), (elements, h.demands)]
        with contextlib.suppress(RuleViolation):  # no firm assigned (CN-29)
            # the lawyer letter states the contacts before it: its own earlier send is not one, an
            # earlier letter (the demo's, sent before this one's date) is
            letter = _context(cf, "lawyer_letter")[1]
            pleadings.append((letter, h.before("lawyer_letter", letter.doc.as_of).demands))
            # issue 10: the letter's count sentence is the complaint's, word for word (its parties
            # aside), with how many contacts reached the borrower: the complaint told of the same
            # contacts gives the same sentence
            before = h.before("lawyer_letter", letter.doc.as_of)
            told = complaint.timeline.model_copy(update={"contacts": before})  # type: ignore[attr-defined]
            pleaded = _contact_sentence(render(complaint.model_copy(update={"timeline": told}), "pdf",
                                               templates_dir=templates).data, "原告", tmp_path)
            written = _contact_sentence(render(letter, "pdf", templates_dir=templates).data, "委托人", tmp_path)
            assert written == pleaded.replace("原告", "委托人").replace("被告", "您"), (cf.case.ref, written, pleaded)
            reached = len(before.demands.reached)
            assert (f"其中{reached}次已送达您或与您本人通话、面谈" in written) == bool(reached), (cf.case.ref, written)
            letters += 1
        for ctx, stated in pleadings:
            among = f"（含上门走访{stated.visits}次）" if stated.visits else ""
            flat = squash(pdf_text(render(ctx, "pdf", templates_dir=templates).data, tmp_path))
            assert squash(f"先后{stated.attempts}次") in flat and squash(among) in flat, (cf.case.ref, ctx.doc.kind)
        # the index's exhibit proves the demands (limitation interrupted); the history lists every contact
        # the history reconciles its contacts with those demands where some contact demanded nothing
        # (a visit notice: reader, CN-00060; test_notice_history_counts words the rest of the sentence)
        said_by_history = total("共联系借款人", "借款人", h)
        if h.others.attempts:
            n, d = len(h.demands.reached), h.demands
            inner = ([f"含上门走访{d.visits}次"] if d.visits else []) + \
                ([f"{n}次已送达借款人或与借款人本人通话、面谈"] if n else [])
            said_by_history = f"共联系借款人{h.attempts}次，其中催告还款{d.attempts}次" + \
                (f"（{'；'.join(inner)}）" if inner else "")
        stated_by = ((index, total("共催告被告还款", "被告", h.demands)), (history, said_by_history))
        for ctx, said in stated_by:
            flat = squash(pdf_text(render(ctx, "pdf", templates_dir=templates).data, tmp_path))
            assert squash(said) in flat, (cf.case.ref, ctx.doc.kind)
            assert "催收记录共" not in flat and "催告共" not in flat, (cf.case.ref, ctx.doc.kind)
        rows = len(history.notices)  # type: ignore[attr-defined]
        flat = squash(pdf_text(render(history, "pdf", templates_dir=templates).data, tmp_path))
        assert squash(f"全部通讯记录，共{rows}条。") in flat, cf.case.ref
        assert h.logged <= rows and h.logged + h.unlogged_visits == h.attempts, cf.case.ref
        if h.logged:
            assert squash(f"下表所列{h.logged}条") in flat, cf.case.ref
        if h.unlogged_visits:
            assert squash(f"上门走访{h.unlogged_visits}次（未登记为通讯记录") in flat, cf.case.ref
        checked += 1
    assert checked >= 3 and letters and split, (checked, letters, split)


def _contact_sentence(pdf: bytes, who: str, tmp_path: Any) -> str:
    """The one sentence telling the borrower's contacts, from `who`自… to its last contact's day."""
    found = re.search(who + r"自\d{4}年\d{1,2}月\d{1,2}日起先后\d+次.*?最近一次为\d{4}年\d{1,2}月\d{1,2}日",
                      squash(pdf_text(pdf, tmp_path)))
    assert found, who
    return found.group(0)


def test_the_demo_announces_its_visits_and_pleads_only_what_the_log_shows(db, cn_litigation_cases, tmp_path):
    """Review F5/F12: every visit the demo made was announced as CN-09 requires (the notice
    delivered the lead time before), every credit pre-notice is delivered, and the complaint says
    "经事先书面通知" only where the log shows the notice delivered; with the delivery taken out of
    the log it says the notice was sent and points to the visit record."""
    templates = get_settings().templates_dir
    pleaded = 0
    for cf, facts, complaint in _complaints(cn_litigation_cases):
        made = [v for v in cf.visits if v.started_at is not None]
        assert all(facts.visit_notice_delivered(v) for v in made), cf.case.ref
        assert all(c.outcome == "delivered" for c in facts.sent("credit_report_prenotice")), cf.case.ref
        if not complaint.timeline.visits:  # type: ignore[attr-defined]
            continue
        flat = squash(pdf_text(render(complaint, "pdf", templates_dir=templates).data, tmp_path))
        assert "依照事先通知" not in flat, cf.case.ref
        assert re.search(r"发出、于\d{4}年\d{1,2}月\d{1,2}日送达被告）上门走访被告", flat), cf.case.ref
        for c in cf.communications:
            if c.template_kind == "visit_notice":
                c.outcome = "sent"
        db.flush()
        _, undelivered = _context(load_case_file(db, cf.case.ref), "civil_complaint")
        flat = squash(pdf_text(render(undelivered, "pdf", templates_dir=templates).data, tmp_path))
        assert "经事先书面通知" not in flat and squash("送达情况见上门走访记录") in flat, cf.case.ref
        pleaded += 1
    assert pleaded >= 2
