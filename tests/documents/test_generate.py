"""Generating a document for a real case: amounts from the ledger, records, audit, history."""

import hashlib
from datetime import date

import pytest
from sqlalchemy import func, select

from service.audit.models import AuditEvent
from service.cases import accounts
from service.cases.casefile import load_case_file
from service.cases.models import Communication
from service.documents import service as documents_service
from service.documents.docx import docx_text
from service.documents.format import cn_upper, money
from service.documents.models import GeneratedDocument
from tests.documents.conftest import add_visit, at, cn_case, pdf_text, squash

DAY = date(2025, 6, 20)


def _counts(db):
    return tuple(db.scalar(select(func.count()).select_from(m)) for m in (GeneratedDocument, Communication,
                                                                          AuditEvent))


def test_reminder_amounts_reconcile_with_the_ledger(db, store, tmp_path):
    case = cn_case(db)
    texts = {}
    for fmt in ("pdf", "docx"):
        doc = documents_service.generate(db, case_ref=case.ref, kind="overdue_reminder", fmt=fmt, actor="test",
                                         store=store, now=at(DAY, 10),
                                         override_reason="the letter as DOCX too" if fmt == "docx" else None)
        data = store.read_bytes(doc.sha256)
        texts[fmt] = pdf_text(data, tmp_path) if fmt == "pdf" else docx_text(data)
    ledger = accounts.ledger_of(load_case_file(db, case.ref), DAY)
    parts = [ledger.overdue_principal, ledger.overdue_interest, ledger.penalty, ledger.compound, ledger.overdue_fee]
    assert sum(parts) == ledger.total_overdue > 0
    for text in texts.values():
        for amount in [*parts[:3], parts[4], ledger.total_overdue]:
            assert money(amount) in text, money(amount)
        assert squash(cn_upper(ledger.total_overdue)) in squash(text)
        assert "110***********002X" in text and "11010519491231002X" not in text  # borrower audience: masked
        assert "2025年6月20日" in squash(text)


def test_generation_records_document_audit_and_history(db, store):
    case = cn_case(db)
    doc = documents_service.generate(db, case_ref=case.ref, kind="overdue_reminder", fmt="pdf", actor="user:t",
                                     store=store, now=at(DAY, 10))
    assert doc.id.startswith("doc_") and len(doc.id) == 24
    assert (doc.kind, doc.locale, doc.format, doc.audience, doc.as_of_date) == (
        "overdue_reminder", "zh-CN", "pdf", "borrower", DAY)
    data = store.read_bytes(doc.sha256)
    assert hashlib.sha256(data).hexdigest() == doc.sha256 and doc.size == len(data) and doc.pages == 1
    assert len(doc.template_version) == 64 and len(doc.context_hash) == 64
    event = db.scalars(select(AuditEvent).where(AuditEvent.object_id == doc.id)).one()
    assert event.action == "document.generated" and event.data["sha256"] == doc.sha256
    comm = db.scalars(select(Communication).where(Communication.document_id == doc.id)).one()
    assert (comm.channel, comm.template_kind, comm.outcome, comm.content_hash) == (
        "letter", "overdue_reminder", "sent", doc.sha256)
    sms = documents_service.generate(db, case_ref=case.ref, kind="overdue_reminder", fmt="sms", actor="user:t",
                                     store=store, now=at(DAY, 10), override_reason="the letter as an SMS too")
    assert db.scalars(select(Communication.channel).where(Communication.document_id == sms.id)).one() == "sms"


def test_same_case_same_day_same_bytes(db, store):
    case = cn_case(db)
    first = documents_service.generate(db, case_ref=case.ref, kind="overdue_reminder", fmt="docx", actor="a",
                                       store=store, now=at(DAY, 10))
    second = documents_service.generate(db, case_ref=case.ref, kind="overdue_reminder", fmt="docx", actor="b",
                                        store=store, now=at(DAY, 15), override_reason="sent again on request")
    assert first.id != second.id and first.sha256 == second.sha256
    assert first.template_version == second.template_version and first.context_hash == second.context_hash


def test_refusal_writes_nothing_and_stores_nothing(db, store, objects_of):
    case = cn_case(db, stage="PHONE")
    before = _counts(db)
    with pytest.raises(Exception) as refused:
        documents_service.generate(db, case_ref=case.ref, kind="demand_letter", actor="t", store=store,
                                   now=at(DAY, 10))
    assert [v.rule for v in refused.value.violations] == ["CN-10"]  # type: ignore[attr-defined]
    assert _counts(db) == before and objects_of() == []


def test_demand_letter_after_the_prenotice(db, store, tmp_path):
    case = cn_case(db, stage="PHONE")
    documents_service.generate(db, case_ref=case.ref, kind="credit_report_prenotice", actor="t", store=store,
                               now=at(date(2025, 6, 1), 10))
    doc = documents_service.generate(db, case_ref=case.ref, kind="demand_letter", actor="t", store=store,
                                     now=at(DAY, 10))
    text = squash(pdf_text(store.read_bytes(doc.sha256), tmp_path))
    assert "征信事先告知已于2025年6月1日发出不良信息报送事先告知" in text  # the letter's particulars table


def test_visit_notice_links_the_visit_and_shows_no_debt(db, store, tmp_path):
    case = cn_case(db, stage="VISIT_PLANNED")
    visit = add_visit(db, case, at(date(2025, 6, 23), 10))
    doc = documents_service.generate(db, case_ref=case.ref, kind="visit_notice", actor="t", store=store,
                                     now=at(DAY, 10))
    assert (visit.notice_document_id, doc.audience) == (doc.id, "third_party")
    text = pdf_text(store.read_bytes(doc.sha256), tmp_path)
    assert "员工0" in text and "XC-011" in text
    for word in ("逾期", "欠款", "催收", "借款", "元", "110***"):
        assert word not in text, word
    import re

    assert not re.search(r"\d+\.\d{2}", text), "no amount on a document a third party may see"


def test_english_version_for_a_foreign_borrower(db, store, tmp_path):
    case = cn_case(db, borrower={"name": "约翰·史密斯", "name_en": "John Smith", "id_type": "passport",
                                 "id_number": "E12345678"})
    case_file = load_case_file(db, case.ref)
    case_file.borrower.language = "en-US"
    db.flush()
    doc = documents_service.generate(db, case_ref=case.ref, kind="overdue_reminder", actor="t", store=store,
                                     now=at(DAY, 10))
    assert doc.locale == "en-US"
    assert "Overdue Payment Reminder" in pdf_text(store.read_bytes(doc.sha256), tmp_path)


def test_render_to_file_writes_what_was_stored(db, store, tmp_path):
    case = cn_case(db)
    out = tmp_path / "prenotice.docx"  # not a reminder: those wait for the contact hours (real clock here)
    doc, _ = documents_service.render_to_file(db, case_ref=case.ref, kind="credit_report_prenotice", fmt="docx",
                                              locale=None, as_of=date(2025, 6, 1), out=out, actor="cli",
                                              store=store)
    assert hashlib.sha256(out.read_bytes()).hexdigest() == doc.sha256


BAD = [({"kind": "no_such_kind"}, "kind"), ({"fmt": "sms", "kind": "demand_letter"}, "format"),
       ({"locale": "fr-FR"}, "locale"), ({"as_of": date(2099, 1, 1)}, "as_of")]


@pytest.mark.parametrize(("change", "field"), BAD)
def test_bad_requests_name_the_field(db, store, change, field):
    case = cn_case(db, stage="PHONE")
    args = {"kind": "overdue_reminder", "fmt": "pdf", "locale": None, "as_of": None, **change}
    with pytest.raises(Exception) as bad:
        documents_service.generate(db, case_ref=case.ref, actor="t", store=store, now=at(DAY, 10), **args)
    assert [e.field for e in bad.value.errors] == [field]  # type: ignore[attr-defined]
