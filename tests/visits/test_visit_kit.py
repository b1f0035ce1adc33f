"""The visit kit (issue 10 §7): one PDF with bookmarks for the staff going, from the same facts
record as the case's other documents; refused outside VISIT_NOTIFIED or under a hold; a job through
the API, audited at every step. Real database (SQLite, or PostgreSQL via DOSSIER_DATABASE_URL)."""

import re
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from service.audit.models import AuditEvent
from service.cases.casefile import load_case_file
from service.cases.enums import Stage
from service.cases.models import CaseHold, DebtCase
from service.cases.proposals import proposals
from service.core.errors import RuleViolation
from service.core.settings import Settings
from service.demo import proofread
from service.documents.contexts.common import Amounts
from service.documents.format import date_cn, money
from service.jobs.models import Job
from service.visits import jobs as visit_jobs
from service.visits.kit import build_visit_kit, facts_for
from service.visits.service import build_and_record
from tests.conftest import auth
from tests.factories import DEMO_ANCHOR
from tests.seeded import seed_demo

SPACE = re.compile(r"\s+")


@pytest.fixture(scope="module")
def seeded(engine: Engine, settings: Settings) -> Iterator[Session]:
    """A case whose visit is notified and one at reminder stage, rolled back after the module."""
    with engine.connect() as conn:
        trans = conn.begin()
        session = Session(bind=conn, join_transaction_mode="create_savepoint", expire_on_commit=False)
        try:
            seed_demo(session, anchor=DEMO_ANCHOR, cases=2, settings=settings,
                      stages=(Stage.VISIT_NOTIFIED, Stage.REMINDER))
            yield session
        finally:
            session.close()
            trans.rollback()


@pytest.fixture
def db(seeded: Session) -> Iterator[Session]:
    """The seeded session; what a test writes is undone after it."""
    nested = seeded.begin_nested()
    try:
        yield seeded
    finally:
        nested.rollback()
        seeded.expire_all()


def _ref(session: Session, stage: Stage) -> str:
    return session.scalars(select(DebtCase.ref).where(DebtCase.stage == stage)).one()


def _pages(pdf: bytes, tmp: Path) -> list[str]:
    path = tmp / "kit.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return [SPACE.sub("", p) for p in out.split("\f")[:-1]]


def _outline(pdf: bytes, tmp: Path) -> list[tuple[int, str]]:
    path = tmp / "outline.pdf"
    path.write_bytes(pdf)
    found: list[tuple[int, str]] = []
    with pikepdf.open(path) as doc, doc.open_outline() as outline:
        def walk(items: list[pikepdf.OutlineItem], depth: int) -> None:
            for item in items:
                found.append((depth, item.title))
                walk(item.children, depth + 1)
        walk(outline.root, 0)
    return found


def test_the_kit_holds_brief_copies_proposals_and_record(db: Session, settings: Settings, tmp_path: Path) -> None:
    ref = _ref(db, Stage.VISIT_NOTIFIED)
    steps: list[tuple[int, int]] = []
    kit = build_visit_kit(db, settings, ref, as_of=DEMO_ANCHOR,
                          progress=lambda done, total: steps.append((done, total)))
    total = steps[-1][1]  # one step per document rendered, the last once assembled
    assert steps == [(n, total) for n in range(1, total + 1)]
    cf = load_case_file(db, ref)
    facts = facts_for(cf, DEMO_ANCHOR, None)
    visit = next(v for v in facts.record.visits if v.visit_id == kit.visit_id)
    offered = proposals(facts.ledger_on(visit.day), facts.rules, visit.day)
    assert kit.proposals == [p.plan_type for p in offered] and len(offered) >= 3

    outline = _outline(kit.pdf, tmp_path)
    tops = [t for d, t in outline if d == 0]
    assert [t[:2] for t in tops] == ["一、", "二、", "三、", "四、"]
    assert len([t for d, t in outline if d == 1 and "还款协议" in t]) == len(offered)
    assert [t for d, t in outline if d == 1][:3] == ["借款合同", "还款计划表", "对账单"]  # the copies to show
    assert kit.missing == []  # the contract scan is on file
    assert kit.pages == kit.parts[-1].last_page

    pages = _pages(kit.pdf, tmp_path)
    brief = "".join(pages[kit.parts[0].first_page - 1:kit.parts[0].last_page])
    owed = Amounts.of(facts.ledger_on(visit.day))
    assert "内部资料" in brief and cf.borrower.id_number not in brief  # identity masked (CN-12)
    assert cf.borrower.id_number[-4:] in brief
    assert f"{date_cn(visit.window_start)}" in brief  # the visit in the borrower's local time
    assert money(owed.total_outstanding) in brief  # balances on the visit day
    for member in cf.visits[-1].staff:
        assert member.name in brief and member.badge_no in brief
    contacts = facts.record.contacts
    assert f"共联系借款人{contacts.attempts}次" in brief
    assert f"最近一次为{date_cn(contacts.last)}" in brief  # type: ignore[arg-type]

    text = "".join(pages)
    for p in offered:  # each proposal is the agreement it becomes, with its schedule
        assert money(p.instalments[0].amount) in text and date_cn(p.instalments[-1].due_date) in text
    assert "上门走访记录" in pages[-1] or "上门走访记录" in pages[-2]
    assert "对账单" in text and "还款计划表" in text

    path = tmp_path / "read.pdf"
    path.write_bytes(kit.pdf)
    read = proofread.pdf_pages(path)  # as a careful reader would: no orphaned signature page
    assert not proofread.orphan_signature_pages(read)


def test_refused_outside_visit_notified_and_under_a_hold(db: Session, settings: Settings) -> None:
    early = _ref(db, Stage.REMINDER)
    with pytest.raises(RuleViolation) as refused:
        build_visit_kit(db, settings, early, as_of=DEMO_ANCHOR)
    assert [v.rule for v in refused.value.violations] == ["DOC-01"]

    ref = _ref(db, Stage.VISIT_NOTIFIED)
    case_id = db.scalars(select(DebtCase.id).where(DebtCase.ref == ref)).one()
    db.add(CaseHold(case_id=case_id, kind="COMPLAINT", reason="投诉处理中", opened_at=datetime.now(UTC)))
    db.flush()
    with pytest.raises(RuleViolation) as held:
        build_visit_kit(db, settings, ref, as_of=DEMO_ANCHOR)
    assert [v.rule for v in held.value.violations] == ["HOLD"]


def test_built_kits_are_audited_with_their_hash(db: Session, settings: Settings) -> None:
    ref = _ref(db, Stage.VISIT_NOTIFIED)
    kit, summary = build_and_record(db, settings, ref, as_of=DEMO_ANCHOR, actor="test")
    event = db.scalars(select(AuditEvent).where(AuditEvent.action == "visit_kit.built")).one()
    assert event.data["pdf_sha256"] == summary["pdf_sha256"] and event.data["pages"] == kit.pages
    assert set(event.data["template_versions"]) >= {"visit_brief.zh-CN.pdf", "visit_record.zh-CN.pdf"}


def test_the_api_queues_a_job_and_hands_out_the_pdf(db: Session, settings: Settings) -> None:
    from service.access.service import create_api_key
    from service.app import create_app
    from service.core.deps import get_session

    app = create_app(settings)

    def _session() -> Iterator[Session]:
        yield db
        db.flush()

    app.dependency_overrides[get_session] = _session
    staff, collector = create_api_key(db, role="legal_staff"), create_api_key(db, role="collector")
    ref, early = _ref(db, Stage.VISIT_NOTIFIED), _ref(db, Stage.REMINDER)
    with TestClient(app) as client:
        refused = client.post(f"/v1/cases/{early}/visit-kit", headers=auth(staff), json={})
        assert refused.status_code == 422 and refused.json()["violations"][0]["rule"] == "DOC-01"
        r = client.post(f"/v1/cases/{ref}/visit-kit", headers=auth(collector), json={"as_of": DEMO_ANCHOR.isoformat()})
        assert r.status_code == 202, r.text
        job = db.get(Job, r.json()["job"])
        assert job is not None and job.kind == "visit_kit"
        job.result = visit_jobs.visit_kit(db, job, settings, lambda done, total: None)
        job.status = "done"
        db.flush()
        got = client.get(job.result["links"]["pdf"], headers=auth(staff))
        assert got.status_code == 200 and got.content.startswith(b"%PDF")
        assert got.headers["X-Content-SHA256"] == job.result["pdf_sha256"]
    actions = set(db.scalars(select(AuditEvent.action).where(AuditEvent.object_id == job.id)))
    assert {"visit_kit.requested", "visit_kit.built", "visit_kit.downloaded"} <= actions


def test_the_brief_says_what_the_borrower_said_on_the_phone(db: Session, settings: Settings, tmp_path: Path) -> None:
    """A call the record counts, with the collector's note of the borrower's willingness and ability
    to pay, is in the brief; a call without an answer is not a statement."""
    from service.cases.models import Communication

    ref = _ref(db, Stage.VISIT_NOTIFIED)
    case_id = db.scalars(select(DebtCase.id).where(DebtCase.ref == ref)).one()
    said = "借款人称本月工资推迟发放，愿意下月起分期还款"
    at = datetime(DEMO_ANCHOR.year, DEMO_ANCHOR.month, DEMO_ANCHOR.day, 2, 30, tzinfo=UTC)  # 10:30 in Shanghai
    db.add(Communication(case_id=case_id, channel="call", direction="out", party_kind="borrower", sent_at=at,
                         local_time="10:30", outcome="answered", summary=said))
    db.add(Communication(case_id=case_id, channel="call", direction="out", party_kind="borrower", sent_at=at,
                         local_time="10:30", outcome="no_answer", summary="无人接听，未留言"))
    db.flush()
    kit = build_visit_kit(db, settings, ref, as_of=DEMO_ANCHOR)
    brief = "".join(_pages(kit.pdf, tmp_path)[kit.parts[0].first_page - 1:kit.parts[0].last_page])
    assert SPACE.sub("", said) in brief and "无人接听，未留言" not in brief


def _notice_of(db: Session, ref: str) -> Any:
    cf = load_case_file(db, ref)
    visit = cf.visits[-1]
    return next(c for c in cf.communications if c.template_kind == "visit_notice"
                and c.document_id == visit.notice_document_id)


def test_refused_while_the_visit_notice_is_sent_not_delivered(db: Session, settings: Settings) -> None:
    """Reader review 2026-12-08 #1: "generated or sent is not delivered" (CN-09). The kit holds the
    record and the agreements to sign on the spot: no kit for a visit that may not take place."""
    from service.visits.schemas import VisitKitIn
    from service.visits.service import request_visit_kit

    ref = _ref(db, Stage.VISIT_NOTIFIED)
    notice = _notice_of(db, ref)
    assert notice.outcome == "delivered" and notice.delivered_at is not None  # the demo's lawful kit
    notice.outcome, notice.delivered_at = "sent", None
    db.flush()
    with pytest.raises(RuleViolation) as refused:
        build_visit_kit(db, settings, ref, as_of=DEMO_ANCHOR)
    (violation,) = refused.value.violations
    assert violation.rule == "CN-09"
    assert "not delivered at least 24 h before the visit" in violation.message
    assert "may not take place" in violation.message and "no kit is printed" in violation.message
    assert "送达记录登记前不得走访" in violation.localized["zh-CN"]
    case = db.scalars(select(DebtCase).where(DebtCase.ref == ref)).one()
    with pytest.raises(RuleViolation):  # the API refuses it at once, before a job is queued
        request_visit_kit(db, settings, case, VisitKitIn(as_of=DEMO_ANCHOR), actor="test")


def test_refused_when_a_staff_member_is_on_another_visit_at_the_time(db: Session, settings: Settings) -> None:
    from service.cases.models import Visit, VisitStaff

    ref = _ref(db, Stage.VISIT_NOTIFIED)
    visit = load_case_file(db, ref).visits[-1]
    other = db.scalars(select(DebtCase).where(DebtCase.ref == _ref(db, Stage.REMINDER))).one()
    clash = Visit(case_id=other.id, purpose="当面核实联系方式", address="上海市浦东新区世纪大道100号",
                  window_start=visit.window_start + timedelta(hours=1),
                  window_end=visit.window_end + timedelta(hours=1))
    clash.staff = [VisitStaff(name=visit.staff[0].name, badge_no="ZZ-1"), VisitStaff(name="张伟", badge_no="ZZ-2")]
    db.add(clash)
    db.flush()
    with pytest.raises(RuleViolation) as refused:
        build_visit_kit(db, settings, ref, as_of=DEMO_ANCHOR)
    (violation,) = refused.value.violations
    assert violation.rule == "CN-09" and f"{visit.staff[0].name} is also on the visit of case {other.ref}" \
        in violation.message


def test_the_brief_gives_the_reply_deadline_and_the_record_leaves_the_visit_to_fill_in(
        db: Session, settings: Settings, tmp_path: Path) -> None:
    """Reader review 2026-12-08 #4, #5: section 一 of the brief states the notice's deadline to
    reschedule or decline, to check before leaving; the record printed ahead states nothing that
    has not happened (the badges shown: boxes to tick) and labels the visit day's debt projected."""
    from service.documents.contexts.visit import reply_deadline
    from service.documents.format import datetime_cn

    ref = _ref(db, Stage.VISIT_NOTIFIED)
    kit = build_visit_kit(db, settings, ref, as_of=DEMO_ANCHOR)
    facts = facts_for(load_case_file(db, ref), DEMO_ANCHOR, None)
    times = next(v for v in facts.record.visits if v.visit_id == kit.visit_id)
    pages = _pages(kit.pdf, tmp_path)
    brief = "".join(pages[kit.parts[0].first_page - 1:kit.parts[0].last_page])
    first = brief.split("二、被访人")[0]
    deadline = reply_deadline(times.window_start, facts.rules)
    assert f"改约或拒绝截止{SPACE.sub('', datetime_cn(deadline))}" in first, first
    assert "出发前须核实被访人是否已在此前申请改约或拒绝走访" in first
    assert "送达记录登记前不得走访" not in first and "，于" in first  # delivered: when, not a warning
    record = "".join(pages[kit.parts[-1].first_page - 1:kit.parts[-1].last_page])
    assert "，均已出示工作证件" not in record and "是否均已出示工作证件：☐是☐否" in record, record
    assert "欠款情况（预计，截至" in record and f"{date_cn(times.day)}）" in record  # the label wraps in its cell
    assert f"按{date_cn(DEMO_ANCHOR)}前入账的还款计算的预计金额" in record
