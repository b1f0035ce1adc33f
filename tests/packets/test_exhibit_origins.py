"""Review (CN-00012): the evidence index's 证据来源 said 原告贷款业务系统、短信网关、邮寄记录 for the notice
history and 原告委托的律师事务所、邮寄记录 for the lawyer letter, while what those exhibits file is the
lender's own contact log (the delivery record is rendered from it) and its system's copies of the
notices as sent; no gateway report or postal receipt was on file. The source says what the exhibit
holds: the log, the copies where it has some, and an uploaded proof of delivery (by the source its
upload records) only where one is uploaded. The same in the US packet."""

from datetime import UTC, datetime

from service.cases.casefile import load_case_file
from service.core.settings import get_settings
from service.documents.models import GeneratedDocument
from service.packets.models import EvidenceItem
from service.packets.plan import Exhibit, packet_words, plan_packet
from tests.documents.legal_cases import DAY, litigation_case
from tests.documents.test_acceleration_notices import in_state, sent

SENT_HASH = "ab" * 32  # the content hash legal_cases records for the notices it sends
NOT_ON_FILE = ("邮寄", "短信网关", "postal", "Postal", "mail receipt", "gateway")


def _doc(n: int, kind: str, sha256: str = SENT_HASH) -> GeneratedDocument:
    return GeneratedDocument(id=f"doc-{kind}-{n}", kind=kind, format="pdf", as_of_date=DAY, sha256=sha256,
                             created_at=datetime(2025, 9, 1, tzinfo=UTC))


def _proof(n: int, source: str) -> EvidenceItem:
    return EvidenceItem(id=n, case_id=1, sha256=f"{n:064x}", size=1, media_type="application/pdf",
                        filename=f"receipt-{n}.pdf", title="送达凭证", category="notice_delivery", form="书证",
                        source=source, original_available=True, purpose="证明通知已送达", pages=1,
                        received_at=datetime(2025, 9, 2, tzinfo=UTC), actor="test")


def _rows(db, ref: str, documents: list[GeneratedDocument], items: list[EvidenceItem] | None = None
          ) -> dict[str, Exhibit]:  # type: ignore[no-untyped-def]
    plan = plan_packet(load_case_file(db, ref), items or [], documents, templates_dir=get_settings().templates_dir)
    return {e.key: e for e in plan.exhibits}


def _origins(locale: str) -> dict[str, str]:
    return dict(packet_words(get_settings().templates_dir, locale)["origins"])


def test_the_notice_exhibits_name_the_contact_log_and_the_copies_they_file_and_nothing_else(db):
    o = _origins("zh-CN")
    ref = litigation_case(db).ref
    log_only = _rows(db, ref, [])["notice_history"]
    assert log_only.origin == o["contact_log"]
    rows = _rows(db, ref, [_doc(1, "demand_letter"), _doc(2, "breach_notice"), _doc(3, "lawyer_letter")])
    join = o["joiner"]
    assert rows["notice_history"].origin == join.join((o["contact_log"], o["notice_copies"]))
    # the notice first, then its delivery record (the pages come in that order)
    assert rows["breach_notice"].origin == join.join((o["notice_copies"], o["contact_log"]))
    assert rows["lawyer_letter"].origin == join.join((o["letter_copy"], o["contact_log"]))
    for row in rows.values():
        assert not any(w in row.origin for w in NOT_ON_FILE), (row.key, row.origin)


def test_an_uploaded_proof_of_delivery_is_named_by_the_source_its_upload_records(db):
    o = _origins("zh-CN")
    ref = litigation_case(db).ref
    receipt = "中国邮政EMS邮件回执"
    history = _rows(db, ref, [_doc(1, "demand_letter")], [_proof(41, receipt), _proof(42, "")])["notice_history"]
    assert [i.id for i in history.evidence] == [41, 42]
    assert history.origin == o["joiner"].join((o["contact_log"], o["notice_copies"], receipt, o["upload"]))


def test_the_us_packet_names_the_contact_log_and_the_copies_as_sent(db):
    o = _origins("en-US")
    case = in_state(db, "CA")
    assert _rows(db, case.ref, [])["notice_history"].origin == o["contact_log"]
    sent(db, case, "validation_notice", DAY, document_id="doc-validation_notice-1")
    history = _rows(db, case.ref, [_doc(1, "validation_notice", "c" * 64)])["notice_history"]
    assert history.documents and history.origin == o["joiner"].join((o["contact_log"], o["notice_copies"]))
    assert not any(w in history.origin for w in NOT_ON_FILE)


def test_no_notice_exhibit_claims_a_record_that_is_not_filed():
    """The content names no postal record or SMS gateway as a fixed source of any exhibit: those are
    uploads, named by their own source where uploaded."""
    for locale in ("zh-CN", "en-US"):
        exhibits = packet_words(get_settings().templates_dir, locale)["exhibits"]
        for key in ("notice_history", "lawyer_letter", "breach_notice", "acceleration_notices"):
            if key in exhibits:
                assert exhibits[key]["origin"] == "{origin}", (locale, key)


def test_the_disbursement_proof_is_sourced_as_its_upload_records_it(db):
    """Reader, CN-00060: the index said 银行 / 支付机构 beside an uploaded bank e-receipt whose upload
    recorded its source (银行电子回单); the generic words stay only while none is on file."""
    case = litigation_case(db)
    receipt = _proof(7, "招商银行电子回单")
    receipt.category, receipt.title = "disbursement", "放款凭证"
    assert _rows(db, case.ref, [], [receipt])["disbursement"].origin == "招商银行电子回单"
    missing = _rows(db, case.ref, [])["disbursement"]
    assert missing.origin == "银行 / 支付机构" and missing.missing
