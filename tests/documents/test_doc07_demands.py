"""DOC-07 for every CN kind that states the claim (review 2026-12-04 #2).

With no acceleration recorded, the claim computation accelerates at the as-of date: its total is
what would fall due on an acceleration, not a debt. A document filed with the complaint (the court
fee statement, computed on that total) is refused with the complaint. The lawyer letter and the
mediation application come before a suit: they demand what is due now (`dossier claim`'s "due
now"), and name what falls due only on an acceleration as such."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from service.cases import accounts
from service.cases.casefile import load_case_file
from service.core.errors import RuleViolation
from service.core.settings import get_settings
from service.documents import service as documents_service
from service.documents.exceptions import UnknownLabel
from service.documents.format import cn_upper, money
from service.documents.registry import KINDS, Check
from service.documents.render import render
from tests.documents.conftest import TEMPLATES, at, pdf_text
from tests.documents.legal_cases import DAY, context, litigation_case
from tests.documents.test_acceleration_notices import refusals

# before a suit, addressed to the borrower or to the court's pre-suit mediation: not refused
DEMANDS_DUE_NOW = {"lawyer_letter", "mediation_application"}


def stating_the_claim() -> set[str]:
    """Every CN kind whose template states the claim's total or the fee computed on it."""
    found = set()
    for kind in KINDS.values():
        for path in Path(TEMPLATES).glob(f"**/{kind.kind}/cn/zh-CN.html"):
            source = path.read_text(encoding="utf-8")
            if "claimed_total" in source or "fee." in source:
                found.add(kind.kind)
    return found


def unaccelerated(db):
    case = litigation_case(db, plan=False)
    case.accelerated_on = None  # nothing records an acceleration; 2025-12-01 is as-of
    db.flush()
    return case


def test_every_kind_stating_the_claim_is_refused_or_demands_only_what_is_due(db):
    kinds = stating_the_claim()
    assert {"civil_complaint", "complaint_elements", "claim_statement", "court_fee_statement",
            "lawyer_letter", "mediation_application"} <= kinds
    case = unaccelerated(db)
    for kind in sorted(kinds - {"packet_cover"}):
        found = refusals(db, case, kind)
        if kind in DEMANDS_DUE_NOW:
            assert found == [], (kind, found)
            assert Check.ACCELERATED not in KINDS[kind].checks
        else:
            assert any(f.startswith("DOC-07") for f in found), (kind, found)


def text_of(db, case, kind: str, tmp_path, day: date = DAY) -> tuple[str, object]:
    _, _, ctx = documents_service.prepare(db, case_ref=case.ref, kind=kind, fmt="pdf", locale=None, as_of=day,
                                          now=at(day, 10))
    data = render(ctx, "pdf", templates_dir=TEMPLATES).data
    (tmp_path / f"{kind}.pdf").write_bytes(data)
    return "".join(pdf_text(data, tmp_path).split()), ctx


@pytest.fixture
def claim_now(db):
    case = unaccelerated(db)
    claim = accounts.claim_of(load_case_file(db, case.ref), DAY, licensed_cap=get_settings().licensed_cost_cap)
    assert not claim.accelerated and claim.due_now is not None and claim.on_acceleration > 0
    return case, claim


def test_the_lawyer_letter_demands_what_is_due_now_and_states_the_acceleration_conditionally(db, tmp_path,
                                                                                            claim_now):
    case, claim = claim_now
    text, _ = text_of(db, case, "lawyer_letter", tmp_path)
    due = claim.due
    assert due is not None and due.total == claim.due_now
    assert (f"您已到期未还借款本金{money(due.principal)}元" in text), text
    assert f"合计{money(claim.due_now)}元（大写：{cn_upper(claim.due_now)}）" in text
    assert f"将上述已到期未还款项{money(claim.due_now)}元支付至委托人指定账户" in text
    assert f"另有{money(claim.on_acceleration)}元尚未到期" in text
    # the whole balance only as what an acceleration would make due, never as owed now
    assert f"全部借款提前到期时您应偿还的欠款合计{money(claim.claimed_total)}元" in text
    assert f"您尚欠委托人借款本金{money(claim.principal)}元" not in text
    assert "委托人将依借款合同" in text and "宣布全部借款提前到期，并依法" in text
    # the condition is met (more than 90 days overdue), and the letter says so
    assert "您的借款已逾期超过90日，委托人依借款合同第八条有权宣布全部借款提前到期" in text


def test_the_mediation_application_asks_for_what_is_due_now(db, tmp_path, claim_now):
    case, claim = claim_now
    text, ctx = text_of(db, case, "mediation_application", tmp_path)
    due = claim.due
    assert due is not None
    assert f"已到期未还借款本金{money(due.principal)}元" in text
    assert f"合计{money(claim.due_now)}元（大写：{cn_upper(claim.due_now)}）" in text
    assert f"{money(claim.on_acceleration)}元）未提前到期，不在本次调解请求范围内" in text
    assert money(claim.claimed_total) not in text
    p = ctx.proposal
    assert p.acknowledged == claim.due_now
    assert p.waived == due.penalty + due.compound
    assert sum((x.amount for x in p.lines), Decimal(0)) == claim.due_now - p.waived


def test_on_a_recorded_acceleration_both_state_the_whole_claim(db, tmp_path):
    case = litigation_case(db, plan=False)  # accelerated 2025-09-10
    claim = accounts.claim_of(load_case_file(db, case.ref), DAY, licensed_cap=get_settings().licensed_cost_cap)
    assert claim.accelerated
    letter, _ = text_of(db, case, "lawyer_letter", tmp_path)
    assert f"您尚欠委托人借款本金{money(claim.principal)}元" in letter
    assert "尚未到期" not in letter
    mediation, ctx = text_of(db, case, "mediation_application", tmp_path)
    assert f"合计{money(claim.claimed_total)}元" in mediation
    assert ctx.proposal.acknowledged == claim.claimed_total
    assert refusals(db, case, "court_fee_statement") == []


def test_the_refusal_is_worded_in_chinese_and_english_from_the_rules_catalogue(db):
    """Review 2026-12-04, nit: DOC-07's message was an English f-string; the web UI showed it
    untranslated on Chinese pages."""
    case = unaccelerated(db)
    with pytest.raises(RuleViolation) as refused:
        documents_service.prepare(db, case_ref=case.ref, kind="civil_complaint", fmt="pdf", locale=None, as_of=DAY,
                                  now=at(DAY, 10))
    (found,) = [v for v in refused.value.violations if v.rule == "DOC-07"]
    assert found.message.startswith(f"civil_complaint would claim the loan as accelerated on {DAY.isoformat()}")
    zh = found.localized["zh-CN"]
    assert f"civil_complaint将按{DAY.isoformat()}提前到期主张全部借款" in zh
    assert f"截至{DAY.isoformat()}案件未记录提前到期" in zh and "仅在提前到期时方到期" in zh


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_the_element_form_has_no_text_for_a_loan_neither_accelerated_nor_matured(db, fmt):
    """Review 2026-12-04, nit: item 4's "约定期限尚未届满，原告依合同…请求提前到期" was dead text
    (DOC-07 refuses that case). Built past the rules, the form now stops instead of printing it."""
    case = unaccelerated(db)
    ctx = context(db, case.ref, "complaint_elements")
    with pytest.raises(UnknownLabel, match="neither accelerated nor matured"):
        render(ctx, fmt, templates_dir=TEMPLATES)


def test_while_the_condition_is_unmet_neither_announces_nor_threatens_an_acceleration(db, tmp_path, claim_now):
    """Review diff F2: with the contract's condition unmet (ESC-12) the letter said the lender had
    the right to accelerate and would; now it demands what is due now and leaves the rest on its dates."""
    case, claim = claim_now
    load_case_file(db, case.ref).contract.acceleration_overdue_days = 3650
    db.flush()
    letter, ctx = text_of(db, case, "lawyer_letter", tmp_path)
    assert ctx.standing.state == "not_met"
    assert f"合计{money(claim.due_now)}元（大写：{cn_upper(claim.due_now)}）" in letter
    assert f"借款合同项下另有{money(claim.on_acceleration)}元尚未到期，仍按约定的期限偿还，不在本函要求范围内" in letter
    assert "有权宣布" not in letter and "宣布全部借款提前到期" not in letter and "提前到期时" not in letter
    assert "委托人将依法向有管辖权的人民法院提起民事诉讼，请求判令您偿还上述已到期未还款项" in letter
    assert money(claim.claimed_total) not in letter
    mediation, ctx = text_of(db, case, "mediation_application", tmp_path)
    assert ctx.standing.state == "not_met"
    assert f"{money(claim.on_acceleration)}元）未提前到期，不在本次调解请求范围内" in mediation


MATURED = date(2026, 2, 1)  # after the last instalment (2026-01-10)


def test_a_matured_loan_is_due_in_full_and_neither_talks_of_acceleration(db, tmp_path):
    """Review diff F2: on a matured loan with no recorded acceleration the letter said 另有0.00元尚未到期
    and threatened to accelerate; the application said 0.00 was not yet due."""
    case = unaccelerated(db)
    claim = accounts.claim_of(load_case_file(db, case.ref), MATURED, licensed_cap=get_settings().licensed_cost_cap)
    assert not claim.accelerated and claim.on_acceleration == 0 and claim.due_now == claim.claimed_total
    letter, ctx = text_of(db, case, "lawyer_letter", tmp_path, MATURED)
    assert ctx.standing.state == "matured"
    assert f"合计{money(claim.due_now)}元（大写：{cn_upper(claim.due_now)}）" in letter
    assert "借款已于2026年1月10日全部到期，无需提前到期，上述款项即为您尚欠的全部欠款" in letter
    assert "尚未到期" not in letter and "提前到期时" not in letter and "有权宣布" not in letter
    assert "宣布全部借款提前到期" not in letter
    assert "委托人将依法向有管辖权的人民法院提起民事诉讼，请求判令您偿还全部欠款" in letter
    mediation, ctx = text_of(db, case, "mediation_application", tmp_path, MATURED)
    assert ctx.standing.state == "matured"
    assert "借款已于2026年1月10日全部到期，无需提前到期，上述款项即为被申请人尚欠的全部欠款" in mediation
    assert "尚未到期" not in mediation and "0.00元）未提前到期" not in mediation
