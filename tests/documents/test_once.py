"""DOC-03: a borrower gets a notice kind once per as-of date — by single requests, within a batch
and across batches — unless it is sent again on an explicit reason, which is audited. The unique
constraint holds it when two transactions race past the check."""

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from service.audit.models import AuditEvent
from service.core.clock import utcnow
from service.core.errors import RuleViolation
from service.documents import service as documents_service
from service.documents.jobs import run_notice_batch
from service.documents.models import GeneratedDocument
from service.documents.schemas import MAX_BATCH
from service.jobs.models import Job
from tests.conftest import auth
from tests.documents.conftest import at, cn_case

DAY = date(2025, 6, 20)
BODY = {"kind": "credit_report_prenotice", "format": "pdf", "as_of": DAY.isoformat()}


def _post(client, key, ref, **extra):
    return client.post(f"/v1/cases/{ref}/documents", json={**BODY, **extra}, headers=auth(key))


def test_a_second_request_is_refused_by_rule_and_an_explicit_reason_sends_it_again(client, keys, case, db):
    first = _post(client, keys["collector"], case.ref)
    assert first.status_code == 201, first.text
    again = _post(client, keys["collector"], case.ref)
    assert again.status_code == 422 and again.headers["content-type"] == "application/problem+json"
    assert [v["rule"] for v in again.json()["violations"]] == ["DOC-03"]
    other_day = _post(client, keys["collector"], case.ref, as_of="2025-06-21")
    assert other_day.status_code == 201, other_day.text  # another as-of date is another notice
    short = _post(client, keys["collector"], case.ref, override_reason="x")
    assert short.status_code == 422 and short.json()["errors"][0]["field"] == "override_reason"
    reason = "the borrower asked for a second copy by phone"
    resent = _post(client, keys["collector"], case.ref, override_reason=reason)
    assert resent.status_code == 201, resent.text
    assert resent.json()["override_reason"] == reason and first.json()["override_reason"] is None
    event = db.scalars(select(AuditEvent).where(AuditEvent.object_id == resent.json()["id"])).one()
    assert (event.action, event.reason, event.data["override"]) == ("document.generated", reason, "DOC-03")


def test_a_reason_waives_only_doc_03(client, keys, db):
    refused = cn_case(db, stage="PHONE")  # demand letters need the pre-notice, whatever the reason
    r = client.post(f"/v1/cases/{refused.ref}/documents", json={"kind": "demand_letter", "as_of": DAY.isoformat(),
                                                                "override_reason": "please send it anyway"},
                    headers=auth(keys["collector"]))
    assert r.status_code == 422 and "DOC-03" not in {v["rule"] for v in r.json()["violations"]}


def test_a_non_notice_kind_is_not_counted(db, settings):
    from service.core.storage import get_store

    case = cn_case(db, stage="PRE_LITIGATION")
    store = get_store(settings)
    docs = [documents_service.generate(db, case_ref=case.ref, kind="repayment_schedule", as_of=DAY, actor="t",
                                       store=store, now=at(DAY, 10)) for _ in range(2)]
    assert [d.once for d in docs] == [None, None]


def _job(db, items, n):
    job = Job(id=f"job_once{n:016d}", kind="notice_batch", status="running", params={"items": items, "format": "pdf"},
              actor="test", created_at=utcnow())
    db.add(job)
    db.flush()
    return job


def test_within_a_batch_and_across_batches(db, settings):
    a, b = cn_case(db), cn_case(db)
    items = [{"case_ref": a.ref, "kind": "credit_report_prenotice"},
             {"case_ref": b.ref, "kind": "credit_report_prenotice"},
             {"case_ref": a.ref, "kind": "credit_report_prenotice"},
             {"case_ref": a.ref, "kind": "credit_report_prenotice", "override_reason": "a second copy, asked for"}]
    result = run_notice_batch(db, _job(db, items, 1), settings, lambda *_: None)
    assert [i["status"] for i in result["items"]] == ["generated", "generated", "refused", "generated"]
    assert [v["rule"] for v in result["items"][2]["violations"]] == ["DOC-03"]
    assert result["items"][0]["document_id"].startswith("doc_")
    second = run_notice_batch(db, _job(db, items[:2], 2), settings, lambda *_: None)
    assert [i["status"] for i in second["items"]] == ["refused", "refused"]
    assert {v["rule"] for i in second["items"] for v in i["violations"]} == {"DOC-03"}
    docs = db.scalars(select(GeneratedDocument).where(GeneratedDocument.case_id == a.id)).all()
    assert sorted((bool(d.once), d.override_reason or "") for d in docs) == [
        (False, "a second copy, asked for"), (True, "")]


def test_a_notice_recorded_by_another_transaction_since_the_check_is_refused_by_rule(db, settings):
    """The race: both checked before either recorded. The constraint refuses the second; only its
    row is undone and the transaction goes on."""
    from service.core.storage import get_store
    from service.documents.render import render

    case = cn_case(db)
    store = get_store(settings)
    facts, kind, ctx = documents_service.prepare(db, case_ref=case.ref, kind="credit_report_prenotice", fmt="pdf",
                                                 locale=None, as_of=DAY, now=at(DAY, 10))
    rendered = render(ctx, "pdf", templates_dir=settings.templates_dir)
    documents_service.record(db, facts, kind, rendered, actor="first", store=store)
    with pytest.raises(RuleViolation) as refused:  # `facts` still says nothing was issued: a stale check
        documents_service.record(db, facts, kind, rendered, actor="second", store=store)
    assert [v.rule for v in refused.value.violations] == ["DOC-03"]
    rows = db.scalars(select(GeneratedDocument.actor).where(GeneratedDocument.case_id == case.id)).all()
    assert rows == ["first"]
    other = cn_case(db)  # the transaction is still usable
    assert documents_service.generate(db, case_ref=other.ref, kind="credit_report_prenotice", as_of=DAY, actor="t",
                                      store=store, now=at(DAY, 10)).once is True


def test_the_database_refuses_a_second_first_notice(db):
    case = cn_case(db)

    def row(n):
        return GeneratedDocument(id=f"doc_dup{n}", case_id=case.id, kind="overdue_reminder", locale="zh-CN",
                                 format="pdf", audience="borrower", sha256="0" * 64, size=1, pages=1,
                                 template_version="v", context_hash="c", as_of_date=DAY, created_at=utcnow(),
                                 actor="t", once=True)

    db.add(row(1))
    db.flush()
    with pytest.raises(IntegrityError), db.begin_nested():
        db.add(row(2))
        db.flush()


def test_batches_take_up_to_ten_thousand_items(client, keys, case):
    item = {"case_ref": case.ref, "kind": "credit_report_prenotice"}
    too_many = client.post("/v1/notices/batch", json={"items": [item] * (MAX_BATCH + 1)},
                           headers=auth(keys["collector"]))
    assert too_many.status_code == 422 and too_many.json()["errors"][0]["field"] == "items"
    assert MAX_BATCH == 10_000


def test_a_race_inside_a_recorded_chunk_refuses_only_its_item(db, settings):
    from service.core.storage import get_store
    from service.documents.render import render

    store = get_store(settings)
    cases = [cn_case(db) for _ in range(3)]
    prepared = [documents_service.prepare(db, case_ref=c.ref, kind="credit_report_prenotice", fmt="pdf", locale=None,
                                          as_of=DAY, now=at(DAY, 10)) for c in cases]
    items = [documents_service.Recording(facts, kind, render(ctx, "pdf", templates_dir=settings.templates_dir))
             for facts, kind, ctx in prepared]
    documents_service.record(db, items[1].facts, items[1].kind, items[1].rendered, actor="racer", store=store)
    outcomes = documents_service.record_many(db, items, actor="batch", store=store)
    assert isinstance(outcomes[1], RuleViolation) and outcomes[1].violations[0].rule == "DOC-03"
    assert [o.once for o in (outcomes[0], outcomes[2])] == [True, True]
    actors = sorted(db.scalars(select(GeneratedDocument.actor).where(
        GeneratedDocument.case_id.in_([c.id for c in cases]))).all())
    assert actors == ["batch", "batch", "racer"]
