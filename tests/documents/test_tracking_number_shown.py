"""A reviewing lawyer: the court-ready notice history and evidence index could not name a mailed
notice's waybill. The notice history (催收通知记录 / Notice and Contact History) prints each letter's
carrier and tracking number under its row, the evidence index's source column (证据来源 / Source)
names the numbers of the notices its exhibit files, each whole on a line, in the PDF and the DOCX;
the packet plan warns of a mailed letter without one (DOC-11)."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from service.cases import activity, mailing
from service.cases.casefile import load_case_file
from service.cases.models import Communication, DebtCase
from service.cases.schemas import CommunicationIn
from service.core.settings import get_settings
from service.documents import service as documents_service
from service.documents.models import GeneratedDocument
from service.documents.render import render
from service.packets.plan import plan_packet
from tests.documents.conftest import TEMPLATES, pdf_text, squash
from tests.documents.legal_cases import DAY, context, litigation_case, moment, texts, us_case

EMS, EMS_2 = "EA123456785CN", "EZ000000005CN"
USPS = "9400111899223197428497"
DECLARED = date(2025, 9, 10)


def _letter_of(db: Session, case: DebtCase, kind: str) -> Communication:
    return next(c for c in load_case_file(db, case.ref).communications if c.template_kind == kind)


def _whole_on_a_line(pdf: bytes, number: str, tmp) -> bool:  # type: ignore[no-untyped-def]
    """The number printed whole on one line of the PDF (never broken inside)."""
    return any(number in line.replace(" ", "") for line in pdf_text(pdf, tmp).splitlines())


def test_the_chinese_notice_history_prints_each_letters_ems_number(db: Session, tmp_path) -> None:  # type: ignore[no-untyped-def]
    case = litigation_case(db)
    demand, breach = _letter_of(db, case, "demand_letter"), _letter_of(db, case, "breach_notice")
    mailing.record_mailing(db, case, demand.id, actor="test", carrier="ems", tracking_no=EMS)
    mailing.record_mailing(db, case, breach.id, actor="test", carrier=None, tracking_no=EMS_2)
    ctx = context(db, case.ref, "notice_history")
    lines = {n.template: n for n in ctx.notices}  # type: ignore[attr-defined]
    assert (lines["demand_letter"].carrier, lines["demand_letter"].tracking_no) == ("ems", EMS)
    assert lines["overdue_reminder"].tracking_no == ""  # a text message has none
    for text in texts(ctx, tmp_path):  # the PDF and the DOCX
        flat = squash(text)
        assert f"本件以中国邮政EMS邮寄，邮件号{EMS}。" in flat, flat
        assert f"本件以中国邮政EMS邮寄，邮件号{EMS_2}。" in flat
        assert flat.count("邮件号") == 2
    # the breach notice's own delivery record (its exhibit) names its number too
    record = context(db, case.ref, "notice_history", only="breach_notice")
    pdf = render(record, "pdf", templates_dir=TEMPLATES).data
    assert f"邮件号{EMS_2}" in squash(pdf_text(pdf, tmp_path)) and _whole_on_a_line(pdf, EMS_2, tmp_path)


def test_the_english_notice_history_prints_the_usps_tracking_number(db: Session, tmp_path) -> None:  # type: ignore[no-untyped-def]
    case = us_case(db)
    sent = datetime(2025, 10, 1, 15, 0, tzinfo=UTC)  # 10:00 in Chicago
    activity.record_communication(db, case, CommunicationIn(
        channel="letter", to_address="1452 N Damen Ave, Chicago, IL 60622", sent_at=sent, outcome="sent",
        template_kind="demand_letter", carrier="usps", tracking_no="9400 1118 9922 3197 4284 97"), actor="test")
    ctx = context(db, case.ref, "notice_history")
    (line,) = ctx.notices  # type: ignore[attr-defined]
    assert (line.carrier, line.tracking_no) == ("usps", USPS)
    for text in texts(ctx, tmp_path):
        flat = " ".join(text.split())
        assert f"Mailed by the United States Postal Service, tracking number {USPS}." in flat, flat


def test_the_chinese_evidence_index_names_the_lawyer_letters_ems_number_in_its_source(db: Session, store,
                                                                                     tmp_path) -> None:  # type: ignore[no-untyped-def]
    case = litigation_case(db, plan=False)
    documents_service.generate(db, case_ref=case.ref, kind="lawyer_letter", as_of=DECLARED, actor="test",
                               store=store, now=moment(DECLARED))
    letter = _letter_of(db, case, "lawyer_letter")
    mailing.record_mailing(db, case, letter.id, actor="test", carrier="ems", tracking_no=EMS)
    activity.record_delivery(db, case, letter.id, actor="test", at=moment(date(2025, 9, 12), 14))
    ctx = context(db, case.ref, "evidence_index")
    rows = {r.key: r for r in ctx.rows}  # type: ignore[attr-defined]
    assert rows["lawyer_letter"].origin == "原告系统存档的已发送律师函、原告系统通讯记录"
    assert [(m.carrier, m.number) for m in rows["lawyer_letter"].mailed] == [("ems", EMS)]
    assert rows["notice_history"].mailed == ()  # the demand letter's copy is not filed there
    pdf_flat, docx_flat = (squash(t) for t in texts(ctx, tmp_path))
    for flat in (pdf_flat, docx_flat):
        assert f"原告系统存档的已发送律师函、原告系统通讯记录、EMS邮件号{EMS}" in flat, flat
    assert _whole_on_a_line(render(ctx, "pdf", templates_dir=TEMPLATES).data, EMS, tmp_path)


def test_the_english_evidence_index_names_the_usps_numbers_of_the_notices_filed(db: Session, tmp_path) -> None:  # type: ignore[no-untyped-def]
    case = us_case(db)
    docs = []
    for n, (kind, number) in enumerate((("validation_notice", USPS), ("overdue_reminder", None)), start=1):
        sent = datetime(2025, 10, n, 15, 0, tzinfo=UTC)
        doc = GeneratedDocument(id=f"doc-{n}", kind=kind, format="pdf", as_of_date=sent.date(), sha256=f"{n:064x}",
                                created_at=sent)
        comm = Communication(case_id=case.id, channel="letter", direction="out", party_kind="borrower",
                             to_address="1452 N Damen Ave, Chicago, IL 60622", sent_at=sent, outcome="delivered",
                             template_kind=kind, document_id=doc.id, content_hash=doc.sha256, actor="test",
                             local_time=sent.astimezone(ZoneInfo("America/Chicago")).isoformat())
        db.add(comm)
        db.flush()
        if number:
            mailing.record_mailing(db, case, comm.id, actor="test", carrier="usps", tracking_no=number)
        docs.append(doc)
    cf = load_case_file(db, case.ref)
    plan = plan_packet(cf, [], docs, templates_dir=get_settings().templates_dir)
    (warning,) = plan.warnings  # the overdue reminder's letter went without a number (DOC-11)
    assert warning.rule == "DOC-11" and "overdue_reminder" in warning.message
    history = next(e for e in plan.exhibits if e.key == "notice_history")
    assert [(m.carrier, m.number) for m in history.mailed] == [("usps", USPS)]
    ctx = context(db, case.ref, "evidence_index", day=DAY, plan=plan)
    pdf = render(ctx, "pdf", templates_dir=TEMPLATES).data
    for text in (pdf_text(pdf, tmp_path), texts(ctx, tmp_path)[1]):  # the PDF and the DOCX
        assert f"eachnoticeassent;USPStrackingno.{USPS}" in "".join(text.split()), text  # the number on its line
    assert _whole_on_a_line(pdf, USPS, tmp_path)
