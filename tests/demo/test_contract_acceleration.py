"""The demo's court sets sued on the loan contract's own acceleration clause (seed.ON_CONTRACT_LENDER,
ON_CONTRACT_STATE): a CN bank case and a Texas case at pre-litigation whose borrower missed several
contract instalments, with no repayment plan ever agreed, accelerated under the contract's clause
(ESC-12) as the service recognises it (accounts.effective_acceleration on the contract's schedule).
Their history tells it in order: reminders and calls (in China a visit, then the 催收函), the notices
the rules ask for before the acceleration (Texas: intent, then acceleration, US-19), the CN lawyer
letter that declared it; and every court paper claims what `dossier claim` computes."""

import re
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from service.audit.models import AuditEvent
from service.cases import acceleration, acceleration_clause, accounts
from service.cases.casefile import CaseFile, load_case_file
from service.cases.enums import CreditorRole, LicenceType, Stage
from service.cases.models import AccountReview, DebtCase
from service.cases.rules import load_ruleset
from service.core.settings import Settings, get_settings
from service.core.storage import get_store
from service.demo.catalogue import pick_court_sets, sample_day
from service.demo.seed import ON_CONTRACT_LENDER, ON_CONTRACT_STATE
from service.documents import service as documents_service
from service.documents.contexts.legal.evidence import plan_rows
from service.documents.docx import docx_text
from service.documents.format import cn_upper, date_cn, date_en, money, usd
from service.documents.models import GeneratedDocument
from service.documents.render import render
from service.packets.build import make_plan, planner_for
from tests.documents.conftest import pdf_text, squash
from tests.factories import DEMO_ANCHOR, demo_clock
from tests.seeded import seed_demo

# The court papers that state the claimed total, by profile
CLAIMING = {"CN": ("civil_complaint", "complaint_elements", "claim_statement", "court_fee_statement"),
            "US": ("debt_claim_petition", "claim_statement", "affidavit_of_debt")}


@pytest.fixture
def on_contract(db, settings: Settings) -> dict[str, CaseFile]:
    seed_demo(db, anchor=DEMO_ANCHOR, cases=0, settings=settings, court_sets=True)
    cases = [load_case_file(db, ref) for ref in db.scalars(
        select(DebtCase.ref).where(DebtCase.stage == Stage.PRE_LITIGATION).order_by(DebtCase.ref))]
    return {cf.case.profile: cf for cf in cases if not cf.plans}


def _local(cf: CaseFile, kind: str) -> list:  # (day, outcome, document id) of the notices of a kind
    tz = ZoneInfo(cf.borrower.timezone)
    return sorted((c.sent_at.astimezone(tz).date(), c.outcome, c.document_id) for c in cf.communications
                  if c.template_kind == kind)


def test_a_cn_bank_and_a_texas_case_accelerated_on_the_contract_with_no_plan(db, on_contract):
    assert sorted(on_contract) == ["CN", "US"]
    cn, us = on_contract["CN"], on_contract["US"]
    # numbered after the court sets of each profile (five CN lenders, four states) when seeded alone
    assert (cn.case.ref, us.case.ref) == ("CN-00006", "US-00005")
    assert cn.lender.code == ON_CONTRACT_LENDER and cn.lender.licence_type == LicenceType.BANK
    assert us.case.us_state == ON_CONTRACT_STATE == "TX" and us.lender.creditor_role == CreditorRole.ORIGINAL_CREDITOR
    assert {cn.case.ref, us.case.ref} <= set(pick_court_sets(db))  # `make samples` shows them
    for cf in (cn, us):
        # in effect from the day it was recorded (US: the notice's date) or, declared by a CN lawyer letter,
        # from the day that letter was delivered (民法典 art. 137)
        on, rules = accounts.acceleration_in_effect(cf), load_ruleset(cf.case.profile)
        assert on is not None and (on > cf.case.accelerated_on if cf is cn else on == cf.case.accelerated_on)
        assert not cf.plans and not cf.breaches and cf.case.law_firm_id is not None, cf.case.ref
        # the contract's schedule, accelerated on its recorded date: instalments not yet due were brought forward
        found = accounts.effective_acceleration(cf, DEMO_ANCHOR)
        assert found.schedule == "contract" and found.on == on and found.matured_on is None, cf.case.ref
        assert any(i.due_date > on for i in cf.instalments), cf.case.ref
        # ESC-12: the clause was met by then, and several contract instalments were missed by the suit
        assert acceleration_clause.violation(rules, cf, on) is None, cf.case.ref
        assert acceleration_clause.condition_on(cf, DEMO_ANCHOR).missed >= 3, cf.case.ref
        claim = accounts.claim_of(cf, DEMO_ANCHOR, licensed_cap=get_settings().licensed_cost_cap)
        assert claim.agreement is None and claim.accelerated and claim.accelerated_on == on, cf.case.ref
        # reminded, called without answer, then reached once; no arrangement came of it
        assert _local(cf, "overdue_reminder") and {c.outcome for c in cf.communications if c.channel == "call"} == {
            "no_answer", "answered"}, cf.case.ref


def test_the_cn_case_was_visited_sent_a_demand_and_accelerated_by_the_lawyer_letter(db, on_contract):
    cf = on_contract["CN"]
    on = cf.case.accelerated_on
    (visit,) = cf.visits
    assert visit.started_at is not None and visit.notice_document_id is not None
    (demand,) = _local(cf, "demand_letter")
    (letter,) = _local(cf, "lawyer_letter")
    # the 催收函 after the visit, before the clause allowed the acceleration; the lawyer letter declared it,
    # on the day the samples date it (its deadline run out by the complaint's date, DOC-06)
    assert visit.started_at.date() < demand[0] < on and demand[1:] == ("delivered", demand[2]) and demand[2]
    assert letter[0] == on == sample_day("lawyer_letter", "CN", DEMO_ANCHOR) and letter[1] == "delivered"
    assert not acceleration_clause.condition_on(cf, demand[0]).met
    # the 催收函 of August speaks of the acceleration of November as not yet made: its context is of its
    # own day, not the record's today (it said "本行已于2026年11月28日…宣布全部借款提前到期")
    from tests.documents.legal_cases import context

    ctx = context(db, cf.case.ref, "demand_letter", day=demand[0])
    assert ctx.accelerated_on is None  # type: ignore[attr-defined]
    # declared by the lawyer letter on its date, in effect from the day it was delivered (民法典 art. 137)
    arrived = accounts.acceleration_in_effect(cf)
    assert arrived is not None and arrived > on
    assert context(db, cf.case.ref, "demand_letter", day=on).accelerated_on is None  # type: ignore[attr-defined]
    assert context(db, cf.case.ref, "demand_letter", day=arrived).accelerated_on == arrived  # type: ignore[attr-defined]


def test_the_texas_case_gave_notice_of_intent_then_of_acceleration(db, settings, on_contract, tmp_path):
    cf = on_contract["US"]
    on, rules = cf.case.accelerated_on, load_ruleset("US")
    law = acceleration.notice_law(rules, cf)
    assert law is not None and law.applies
    (intent,) = _local(cf, law.intent_kind)
    (notice,) = _local(cf, law.acceleration_kind)
    assert intent[1] == notice[1] == "delivered" and intent[2] and notice[2]  # generated, delivered
    # the intent on the first day the clause is met, the acceleration (and its notice) once its cure period ran out
    assert intent[0] == acceleration_clause.condition_on(cf, intent[0] - timedelta(days=1)).met_from
    assert notice[0] == on == acceleration.cure_deadline(cf, law, intent[0]) + timedelta(days=1)
    assert acceleration.notice_record(cf, law, by=DEMO_ANCHOR, tz=cf.borrower.timezone).intent == intent[0]
    # the intent, sent before any acceleration was recorded, states the balance that would fall due: the
    # loan accelerated on its date (all its unpaid principal), not only what was past due
    doc = db.get(GeneratedDocument, intent[2])
    sent = squash(pdf_text(get_store(settings).read_bytes(doc.sha256), tmp_path))
    assert not [p for p in cf.payments if intent[0] <= p.value_date]  # nothing paid since: the same principal
    would = accounts.claim_of(cf, on, licensed_cap=get_settings().licensed_cost_cap).principal
    assert would > sum((i.principal for i in cf.instalments if intent[0] >= i.due_date), Decimal(0)) - sum(
        (p.amount for p in cf.payments), Decimal(0))  # more than the principal past due
    assert squash(f"Principal {usd(would)}") in sent, sent
    assert db.scalar(select(AccountReview.id).where(AccountReview.case_id == cf.case.id)) is not None  # US-12
    # it reached pre-litigation through the process, not by the seed setting the stage (ESC-13): imported
    # performing, each step audited on its day, the last on the notice of acceleration's day, recording the
    # acceleration on the date that notice states (its as-of date), the date the notice prints
    steps = db.scalars(select(AuditEvent).where(AuditEvent.case_id == cf.case.id,
                                                AuditEvent.action == "case.transition").order_by(AuditEvent.seq)).all()
    assert [(e.data["from"], e.data["to"]) for e in steps] == [
        ("CURRENT", "REMINDER"), ("REMINDER", "PHONE"), ("PHONE", "PRE_LITIGATION")]
    tz = ZoneInfo(cf.borrower.timezone)
    assert [e.at.astimezone(tz).date().isoformat() for e in steps] == [e.data["on"] for e in steps]
    assert steps[-1].data["on"] == steps[-1].data["accelerated_on"] == on.isoformat()
    (sent_notice,) = [c for c in cf.communications if c.template_kind == law.acceleration_kind]
    assert steps[-1].actor.endswith(":legal") and steps[-1].at > sent_notice.sent_at
    notice_doc = db.get(GeneratedDocument, notice[2])
    assert sent_notice.stated_as_of == notice_doc.as_of_date == on
    assert sent_notice.stated_total == accounts.claim_of(cf, on, licensed_cap=get_settings().licensed_cost_cap
                                                         ).claimed_total
    notice_text = squash(pdf_text(get_store(settings).read_bytes(notice_doc.sha256), tmp_path))
    assert squash(date_en(on)) in notice_text
    plan = make_plan(db, settings, cf)
    assert not [m for m in plan.missing if "accelerat" in m], plan.missing
    (exhibit,) = [e for e in plan.exhibits if e.key == "acceleration_notices"]
    assert [d.kind for d in exhibit.documents] == [law.intent_kind, law.acceleration_kind]
    groups = [e.group for e in plan.exhibits]  # each group's exhibits together (the notices with the default)
    assert all(g == groups[n - 1] or g not in groups[:n] for n, g in enumerate(groups) if n), groups
    assert exhibit.group == plan.exhibits[3].group and exhibit is plan.exhibits[4], groups  # after the payments


def test_the_court_papers_claim_what_the_claim_computes(db, settings, on_contract, tmp_path):
    planner = planner_for(settings)(db)
    for profile, cf in on_contract.items():
        claim = accounts.claim_of(cf, DEMO_ANCHOR, licensed_cap=get_settings().licensed_cost_cap)
        amount = money(claim.claimed_total) if profile == "CN" else usd(claim.claimed_total)
        now = demo_clock(tz=cf.borrower.timezone)
        for kind in CLAIMING[profile]:
            texts = []
            for fmt in ("pdf", "docx"):  # through the rules, as `dossier render` generates them
                _, _, ctx = documents_service.prepare(db, case_ref=cf.case.ref, kind=kind, fmt=fmt, locale=None,
                                                      as_of=None, now=now, planner=planner)
                assert ctx.claim.claimed_total == claim.claimed_total, (cf.case.ref, kind)  # type: ignore[attr-defined]
                data = render(ctx, fmt, templates_dir=settings.templates_dir).data
                texts.append(pdf_text(data, tmp_path) if fmt == "pdf" else docx_text(data))
            for text in texts:
                assert squash(amount) in squash(text), (cf.case.ref, kind)
                if profile == "CN" and kind != "court_fee_statement":
                    assert squash(cn_upper(claim.claimed_total)) in squash(text), (cf.case.ref, kind)
                if kind == "claim_statement" and profile == "CN":
                    # its 各期明细 table: the settled instalments and each row's dates as the prose writes them
                    settled = [r for r in claim.rows if not r.total]
                    assert settled and squash(f"已结清（应还日{date_cn(settled[0].due_date)}") in squash(text)
                    assert squash(date_cn(claim.accelerated_on)) in squash(text)


def test_a_default_rate_above_the_cap_is_reduced_by_one_figure_in_every_paper(on_contract, monkeypatch, tmp_path):
    """F6 (review 2026-12-04) where a rate alone is cut at claim time: the demo's claims are not
    (the ledger caps each period's interest; an agreement charges the cap's rate), but a contract
    whose default rate is above the cap is. The claim statement's §三, §四 and §五, the complaint
    and `dossier claim` state one reduction figure: the CN bank case (default rate 16.42 %) under
    a licensed lenders' cost cap of 15 % (Settings.licensed_cost_cap)."""
    from tests.demo.test_cn_court_claim import one_reduction_figure

    cn = on_contract["CN"]
    monkeypatch.setattr(get_settings(), "licensed_cost_cap", Decimal("0.15"))
    assert cn.contract.penalty_rate > Decimal("0.15") > cn.contract.nominal_rate
    assert one_reduction_figure(cn, DEMO_ANCHOR, tmp_path)


def test_the_court_papers_bridge_the_accelerating_notice_to_the_claim(db, settings, on_contract, tmp_path):
    """Review CN-00061 / US-00014: the lawyer letter (CN) and the notice of acceleration (Texas)
    stated the claim as of their day; the complaint, the claim statement and the petition carry the
    line from that amount to the claim, in PDF and DOCX, every figure the claim computation's (at the
    notice's day and at as-of), the CN complaint and mediation application naming the lawyer letter
    that declared the acceleration."""
    planner, cap = planner_for(settings)(db), get_settings().licensed_cost_cap
    kinds = {"CN": ("civil_complaint", "claim_statement"), "US": ("debt_claim_petition",)}
    for profile, cf in on_contract.items():
        notice_kind = "lawyer_letter" if profile == "CN" else "notice_of_acceleration"
        (sent,) = [c for c in cf.communications if c.template_kind == notice_kind and c.stated_total is not None]
        claim = accounts.claim_of(cf, DEMO_ANCHOR, licensed_cap=cap)
        then = accounts.claim_of(cf, sent.stated_as_of, licensed_cap=cap)
        assert sent.stated_as_of == cf.case.accelerated_on and then.claimed_total == sent.stated_total
        # the CN letter's acceleration took effect on its delivery (民法典 art. 137): the bridge runs from
        # the letter's un-accelerated total through the days to the delivery, then the penalty since
        effect = accounts.acceleration_in_effect(cf)
        assert effect is not None
        start = accounts.claim_of(cf, effect, licensed_cap=cap)
        assert (effect > sent.stated_as_of) is (profile == "CN") and then.accelerated is (profile == "US")
        amount, day = (money, date_cn) if profile == "CN" else (usd, lambda d: d.strftime("%B %-d, %Y"))
        now = demo_clock(tz=cf.borrower.timezone)
        for kind in kinds[profile]:
            for fmt in ("pdf", "docx"):
                _, _, ctx = documents_service.prepare(db, case_ref=cf.case.ref, kind=kind, fmt=fmt, locale=None,
                                                      as_of=None, now=now, planner=planner)
                b = ctx.bridge  # type: ignore[attr-defined]
                assert b is not None and b.basis == "contract" and b.notice_kind == notice_kind, (cf.case.ref, kind)
                assert b.notice_day == sent.stated_as_of and b.due_on_acceleration == sent.stated_total
                assert b.claimed_total == claim.claimed_total
                assert b.accelerated_on == effect
                assert b.default_interest_since == claim.penalty - start.penalty > 0
                assert b.compound_since == claim.compound - start.compound
                assert b.paid_since == 0 and b.penalty_from == effect + timedelta(days=1)
                assert b.before_arrival == start.claimed_total - then.claimed_total
                assert (b.arrival_interest > 0) is (profile == "CN")
                assert b.arrival_interest == start.interest - then.interest
                # the days to delivery split as the claim splits them: default interest apart from compound
                assert b.arrival_penalty == start.penalty - then.penalty
                assert b.arrival_compound == start.compound - then.compound and b.arrival_fees == start.fees - then.fees
                assert b.due_on_acceleration + b.before_arrival + b.default_interest_since + b.compound_since \
                    == claim.claimed_total
                data = render(ctx, fmt, templates_dir=settings.templates_dir).data
                text = squash(pdf_text(data, tmp_path) if fmt == "pdf" else docx_text(data))
                for said in (amount(b.due_on_acceleration), amount(b.default_interest_since),
                             amount(claim.claimed_total), day(b.penalty_from), day(b.notice_day)):
                    assert squash(said) in text, (cf.case.ref, kind, fmt, said)
                if profile == "CN":
                    said = f"复利{money(b.compound_since)}元" if kind == "civil_complaint" else money(b.compound_since)
                    assert b.compound_since > 0 and squash(said) in text, (kind, fmt)
                    assert squash("第七条第二款") in text  # the compound clause cited
                    assert b.arrival_compound > 0, "the demo's letter case accrues compound interest before delivery"
                    said = (f"{money(b.arrival_penalty)}元、复利{money(b.arrival_compound)}元"
                            if kind == "civil_complaint" else money(b.arrival_compound))
                    assert squash(said) in text, (kind, fmt, said)
                    if kind == "civil_complaint":  # the document that declared it, named, sent and delivered
                        arrived = sent.delivered_at.astimezone(ZoneInfo(cf.borrower.timezone)).date()
                        assert arrived == effect
                        assert squash(f"发出《律师函》（于{date_cn(b.notice_day)}发出、于{date_cn(arrived)}送达），"
                                      f"宣布全部借款自该函送达之日（{date_cn(arrived)}）起提前到期") in text, text
                        assert squash(f"该函于{date_cn(arrived)}送达被告，全部借款自该日起提前到期") in text
                else:
                    assert squash(f"notice of acceleration of {day(b.notice_day)} stated") in text
                    assert squash(f"{usd(b.default_interest_since)} for the {b.days} days from {day(b.penalty_from)} "
                                  f"through {day(claim.as_of)}") in text and squash("(Agreement §") in text
    cf = on_contract["CN"]
    _, _, ctx = documents_service.prepare(db, case_ref=cf.case.ref, kind="mediation_application", fmt="pdf",
                                          locale=None, as_of=None, now=demo_clock(tz=cf.borrower.timezone),
                                          planner=planner)
    text = squash(pdf_text(render(ctx, "pdf", templates_dir=settings.templates_dir).data, tmp_path))
    (letter,) = [c for c in cf.communications if c.template_kind == "lawyer_letter"]
    arrived = letter.delivered_at.astimezone(ZoneInfo(cf.borrower.timezone)).date()
    on = date_cn(cf.case.accelerated_on)
    assert squash(f"向被申请人发出《律师函》（于{on}发出、于{date_cn(arrived)}送达），"
                  f"宣布全部借款自该函送达之日（{date_cn(arrived)}）起提前到期") in text


EN_SINCE = re.compile(r"plus default interest of \$(?P<amount>[\d,]+\.\d\d) for the (?P<days>\d+) days? from "
                      r"(?P<start>[A-Z][a-z]+ \d+, \d{4}) through (?P<end>[A-Z][a-z]+ \d+, \d{4}) at "
                      r"(?P<rate>[\d.]+)% per year, divided by (?P<basis>\d+) for each day, on the unpaid "
                      r"principal of \$(?P<base>[\d,]+\.\d\d)")
CN_SINCE = re.compile(r"以未还本金(?P<base>[\d,]+\.\d\d)元为基数按年利率(?P<rate>[\d.]+)%"
                      r"（日利率＝年利率÷(?P<basis>\d+)）计收(?P<days>\d+)天\D{1,8}?(?P<amount>[\d,]+\.\d\d)元")


def _recomputes(found: re.Match[str], start: date | None = None, end: date | None = None) -> None:
    """What a reader does with the sentence: base × rate × days ÷ day basis, rounded once to the cent."""
    num = {k: Decimal(found[k].replace(",", "")) for k in ("base", "rate", "amount")}
    days, basis = int(found["days"]), int(found["basis"])
    if start is not None and end is not None:
        assert (end - start).days + 1 == days, found[0]
    exact = num["base"] * num["rate"] / 100 * days / basis
    assert exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) == num["amount"], (found[0], exact)


def test_the_default_interest_since_the_notice_recomputes_from_its_sentence(db, settings, on_contract, tmp_path):
    """Issue 8 (US-00014): "default interest of $6,071.06 … at 14.76% per year on the unpaid principal
    of $102,120.34", which a reader recomputes to $6,071.05 (the ledger rounded each instalment's
    default interest apart, and the sentence's figure was the difference of two such totals). The
    figure the petition (and the CN complaint) states for the days since the notice is the base,
    the rate, the days and the day basis it states, rounded once: read from the rendered text."""
    planner = planner_for(settings)(db)
    for profile, cf in on_contract.items():
        kind, pattern = ("debt_claim_petition", EN_SINCE) if profile == "US" else ("civil_complaint", CN_SINCE)
        _, _, ctx = documents_service.prepare(db, case_ref=cf.case.ref, kind=kind, fmt="pdf", locale=None,
                                              as_of=None, now=demo_clock(tz=cf.borrower.timezone), planner=planner)
        text = pdf_text(render(ctx, "pdf", templates_dir=settings.templates_dir).data, tmp_path)
        flat = " ".join(text.split()) if profile == "US" else squash(text)
        found = pattern.search(flat)
        assert found is not None, (cf.case.ref, flat)
        if profile == "US":
            start, end = (datetime.strptime(found[k], "%B %d, %Y").replace(tzinfo=UTC).date() for k in ("start", "end"))
            _recomputes(found, start, end)
        else:
            _recomputes(found)
        b = ctx.bridge  # type: ignore[attr-defined]
        assert Decimal(found["amount"].replace(",", "")) == b.default_interest_since, cf.case.ref


def test_the_texas_packet_files_each_acceleration_notice_once(db, settings, on_contract):
    """Review US-00014: the notices of intent and of acceleration were filed in the notice history
    (Exhibit 5) and again as their own exhibit (6). Each notice once, the exhibits numbered 1..n."""
    cf = on_contract["US"]
    plan = make_plan(db, settings, cf)
    filed = [d.id for e in plan.exhibits for d in e.documents]
    assert filed and len(filed) == len(set(filed)), [(e.key, [d.kind for d in e.documents]) for e in plan.exhibits]
    (history,) = [e for e in plan.exhibits if e.key == "notice_history"]
    assert not {d.kind for d in history.documents} & {"notice_of_intent_to_accelerate", "notice_of_acceleration"}
    (notices,) = [e for e in plan.exhibits if e.key == "acceleration_notices"]
    assert [d.kind for d in notices.documents] == ["notice_of_intent_to_accelerate", "notice_of_acceleration"]
    rows = plan_rows(plan)
    assert [r.number for r in rows] == list(range(1, len(rows) + 1))


def test_the_cn_lawyer_letter_declares_the_acceleration_on_the_fact_the_clause_was_met(db, settings, on_contract,
                                                                                          tmp_path):
    """Review CN-00061: the lawyer letter of the acceleration date said "委托人已于…宣布全部借款提前到期"
    while the complaint, the 要素式 form and the mediation application say that letter declared it:
    the letter declares it itself, citing the contract's clause; and every paper states the fact the
    clause was met on (the oldest instalment unpaid on that day and how many days overdue), not the
    clause's words ("任一期借款逾期已超过90日")."""
    cf = on_contract["CN"]
    on = cf.case.accelerated_on
    met = acceleration_clause.condition_on(cf, on)
    assert met.by_days and met.days_past_due > met.overdue_days and met.oldest_due is not None
    assert met.days_past_due == (on - met.oldest_due).days
    clause = cf.contract.clause_refs["acceleration"]
    fact = (f"第{met.oldest_no}期借款（应还日{date_cn(met.oldest_due)}）至{date_cn(on)}已逾期{met.days_past_due}日，"
            f"超过{met.overdue_days}日")
    (sent,) = [c for c in cf.communications if c.template_kind == "lawyer_letter"]
    letter = db.get(GeneratedDocument, sent.document_id)
    text = squash(pdf_text(get_store(settings).read_bytes(letter.sha256), tmp_path))
    # it takes effect when the letter reaches the borrower (民法典 art. 137), not on its date
    assert squash(f"您{fact}。本所受委托人委托，依借款合同{clause}，宣布全部借款自本函送达之日起提前到期") in text, text
    assert squash(f"委托人已于{date_cn(on)}") not in text and squash("任一期借款逾期已超过") not in text
    planner, now = planner_for(settings)(db), demo_clock(tz=cf.borrower.timezone)
    for kind, debtor in (("civil_complaint", "被告"), ("complaint_elements", "被告"),
                         ("mediation_application", "被申请人")):
        for fmt in ("pdf", "docx"):
            _, _, ctx = documents_service.prepare(db, case_ref=cf.case.ref, kind=kind, fmt=fmt, locale=None,
                                                  as_of=None, now=now, planner=planner)
            data = render(ctx, fmt, templates_dir=settings.templates_dir).data
            said = squash(pdf_text(data, tmp_path) if fmt == "pdf" else docx_text(data))
            assert squash(f"{debtor}{fact}，依借款合同{clause}") in said, (kind, fmt, said)
            assert squash("任一期借款逾期已超过") not in said, (kind, fmt)  # the clause itself is quoted
            if kind == "mediation_application":  # the 被申请人's 经常居住地 beside the 户籍 address, as the complaint
                b = cf.borrower
                assert b.habitual_address and b.hukou_address and b.habitual_address != b.hukou_address
                assert squash(f"住{b.hukou_address}，经常居住地：{b.habitual_address}") in said, (fmt, said)
                # the demands as the complaint counts them, not every contact a 催告 (review CN-00061; a
                # visit notice is none: review CN-00044)
                h = ctx.timeline.contacts.demands  # type: ignore[attr-defined]
                assert squash(f"先后{h.attempts}次联系被申请人催告还款（含上门走访{h.visits}次），其中{len(h.reached)}"
                              "次已送达被申请人或与被申请人本人通话、面谈") in said, (fmt, said)
                assert squash("次催告（最近一次") not in said


def test_the_evidence_index_holds_no_original_of_the_defendant_s_identity_card(db, settings, on_contract):
    """Review CN-00061: 证据目录 said 原件 有 for the copy of the defendant's identity card; the card
    is the defendant's, the plaintiff keeps a copy (原件 无)."""
    plan = make_plan(db, settings, on_contract["CN"])
    (identity,) = [r for r in plan_rows(plan) if r.key == "borrower_id"]
    assert not identity.original_available
    assert all(r.original_available for r in plan_rows(plan) if r.key == "loan_contract")


def _sent_and_delivered(cf: CaseFile, kind: str) -> tuple:  # the borrower-local days a notice went out and arrived
    tz = ZoneInfo(cf.borrower.timezone)
    (c,) = [c for c in cf.communications if c.template_kind == kind]
    assert c.outcome == "delivered" and c.delivered_at is not None, (cf.case.ref, kind)
    return c.sent_at.astimezone(tz).date(), c.delivered_at.astimezone(tz).date()


def _papers(db, settings, cf: CaseFile, kinds: tuple[str, ...], tmp_path) -> dict:  # (kind, fmt) -> squashed text
    planner, now, found = planner_for(settings)(db), demo_clock(tz=cf.borrower.timezone), {}
    for kind in kinds:
        for fmt in ("pdf", "docx"):
            _, _, ctx = documents_service.prepare(db, case_ref=cf.case.ref, kind=kind, fmt=fmt, locale=None,
                                                  as_of=None, now=now, planner=planner)
            data = render(ctx, fmt, templates_dir=settings.templates_dir).data
            found[kind, fmt] = squash(pdf_text(data, tmp_path) if fmt == "pdf" else docx_text(data))
    return found


def test_letters_by_post_arrive_days_after_they_went_out_and_every_paper_states_both_days(db, settings, on_contract,
                                                                                          tmp_path):
    """Issue 8 (CN-00061, US-00014 in the full demo): a letter mailed reaches the borrower days later
    (EMS within China 2–3 days; US first-class mail 3–5 days, never on a Sunday), an e-mail or a text
    the moment it went; every court paper states the notice's two days, the same ones, where they
    said "delivered on" the day it was mailed."""
    cn, us = on_contract["CN"], on_contract["US"]
    for cf in (cn, us):
        for c in cf.communications:
            if c.outcome == "delivered" and c.channel in ("sms", "email"):
                assert c.delivered_at == c.sent_at, (cf.case.ref, c.template_kind)
            assert (c.delivered_at is not None) == (c.outcome == "delivered"), (cf.case.ref, c.id)
    sent, arrived = _sent_and_delivered(cn, "lawyer_letter")
    assert 2 <= (arrived - sent).days <= 3 and sent == cn.case.accelerated_on
    said = squash(f"于{date_cn(sent)}发出、于{date_cn(arrived)}送达")
    cn_papers = _papers(db, settings, cn, ("civil_complaint", "complaint_elements", "mediation_application"), tmp_path)
    for key, text in cn_papers.items():
        assert said in text, key
        assert squash(f"于{date_cn(sent)}发出并送达") not in text, key
    intent, notice = (_sent_and_delivered(us, k) for k in ("notice_of_intent_to_accelerate", "notice_of_acceleration"))
    for went, came in (intent, notice):
        assert 3 <= (came - went).days <= 6 and came.weekday() != 6, (went, came)
    said = (squash(f"notice of intent to accelerate dated {date_en(intent[0])} (sent {date_en(intent[0])}; delivered "
                   f"{date_en(intent[1])})"),
            squash("Plaintiff then accelerated"),
            squash(f"by its notice of acceleration dated {date_en(notice[0])} (sent {date_en(notice[0])}; delivered "
                   f"{date_en(notice[1])})"))
    for key, text in _papers(db, settings, us, ("affidavit_of_debt", "debt_claim_petition"), tmp_path).items():
        assert all(s in text for s in said), (key, text)
    # The Texas cure period runs from the notice of intent's own date (the lender's policy, the deadline
    # the notice states: acceleration.cure_deadline), not from its delivery
    law = acceleration.notice_law(load_ruleset("US"), us)
    assert law is not None and us.case.accelerated_on == notice[0]
    assert notice[0] == acceleration.cure_deadline(us, law, intent[0]) + timedelta(days=1)
