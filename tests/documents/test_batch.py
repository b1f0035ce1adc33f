"""The batch-notice job: accepted items become recorded notices, refused ones name their rules."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from service.cases.casefile import load_case_file, load_case_files
from service.core.clock import utcnow
from service.documents.jobs import run_notice_batch
from service.documents.models import GeneratedDocument
from service.jobs.models import Job
from tests.conftest import auth
from tests.documents.conftest import add_prenotice, add_visit, cn_case
from tests.factories import borrower


def test_batch_generates_accepted_items_and_reports_refusals(db, settings):
    ok, other, refused = cn_case(db), cn_case(db), cn_case(db, stage="PHONE")
    items = [{"case_ref": ok.ref, "kind": "credit_report_prenotice"},
             {"case_ref": refused.ref, "kind": "demand_letter"},
             {"case_ref": "CN-1999-99999", "kind": "credit_report_prenotice"},
             {"case_ref": other.ref, "kind": "credit_report_prenotice"}]
    job = Job(id="job_test0000000000000001", kind="notice_batch", status="running", params={"items": items,
              "format": "docx"}, actor="test", created_at=utcnow())
    db.add(job)
    db.flush()
    result = run_notice_batch(db, job, settings.model_copy(update={"storage_dir": settings.storage_dir}),
                              lambda done, total: None)
    assert (result["generated"], result["refused"]) == (2, 2)
    assert [i["status"] for i in result["items"]] == ["generated", "refused", "refused", "generated"]
    assert result["items"][1]["violations"][0]["rule"] == "CN-10"
    assert "CN-1999-99999" in result["items"][2]["detail"]
    docs = db.scalars(select(GeneratedDocument).where(GeneratedDocument.job_id == job.id)).all()
    assert sorted(d.id for d in docs) == sorted(i["document_id"] for i in result["items"] if "document_id" in i)
    db.refresh(job)
    assert job.progress == 4  # every item sent, the refused ones included (the job's and its webhook's total)


def test_batch_endpoint_answers_202_with_the_job(client, keys, case):
    r = client.post("/v1/notices/batch", json={"items": [{"case_ref": case.ref, "kind": "credit_report_prenotice"}],
                                               "format": "pdf"}, headers=auth(keys["collector"]))
    assert r.status_code == 202, r.text
    assert r.json()["kind"] == "notice_batch" and r.json()["links"]["self"].startswith("/v1/jobs/job_")


def test_case_files_load_together_as_they_load_alone(db):
    cases = [cn_case(db), cn_case(db, stage="PHONE"), cn_case(db)]
    sent = datetime(2026, 11, 2, 3, tzinfo=UTC)
    for i, case in enumerate(cases[:2]):  # some history on two of them, to be grouped by case
        for day in range(i + 1):
            add_prenotice(db, case, sent + timedelta(days=day))
            add_visit(db, case, sent + timedelta(days=10 + day))
    together = load_case_files(db, [c.ref for c in cases] + ["CN-1999-99999", cases[0].ref])
    assert sorted(together) == sorted(c.ref for c in cases)
    for case in cases:
        alone = load_case_file(db, case.ref)
        got = together[case.ref]
        assert got.case is alone.case and got.borrower is alone.borrower and got.lender is alone.lender
        for name in ("instalments", "payments", "holds", "communications", "visits", "plans", "breaches", "contacts"):
            assert [r.id for r in getattr(got, name)] == [r.id for r in getattr(alone, name)], name
    assert [len(together[c.ref].communications) for c in cases] == [1, 2, 0]
    assert [len(together[c.ref].visits) for c in cases] == [1, 2, 0]


def _batch_job(db, job_id, items, result=None):  # type: ignore[no-untyped-def]
    job = Job(id=job_id, kind="notice_batch", status="running", params={"items": items, "format": "docx"},
              actor="test", created_at=utcnow(), total=len(items), result=result or {})
    db.add(job)
    db.flush()
    return job


def test_a_batch_records_case_by_case_in_chunks_and_refuses_a_repeat_in_a_later_chunk(db, settings):
    """Chunks of one item: each case's items are taken together, so its plain repeat comes a chunk
    (and a commit) after its first notice, and DOC-03 still refuses it; the results keep the
    batch's order and the job's progress is every item."""
    a, b = cn_case(db), cn_case(db)
    items = [{"case_ref": a.ref, "kind": "credit_report_prenotice"},
             {"case_ref": b.ref, "kind": "credit_report_prenotice"},
             {"case_ref": a.ref, "kind": "credit_report_prenotice"},
             {"case_ref": a.ref, "kind": "credit_report_prenotice", "override_reason": "lost in the post"}]
    job = _batch_job(db, "job_test0000000000chunk1", items)
    result = run_notice_batch(db, job, settings.model_copy(update={"batch_chunk_items": 1}), lambda *_: None)
    assert [(i["case_ref"], i["status"]) for i in result["items"]] == [
        (a.ref, "generated"), (b.ref, "generated"), (a.ref, "refused"), (a.ref, "generated")]
    assert result["items"][2]["violations"][0]["rule"] == "DOC-03"
    db.refresh(job)
    assert job.progress == 4 and job.result["items"] == result["items"]  # committed with the last chunk
    docs = db.scalars(select(GeneratedDocument.id).where(GeneratedDocument.job_id == job.id)).all()
    assert sorted(docs) == sorted(i["document_id"] for i in result["items"] if "document_id" in i)


def test_a_batch_run_again_carries_on_after_the_items_it_recorded(db, settings):
    """A job whose earlier run committed its first chunk (its partial result says which items)
    records only the others; a plain repeat of a notice recorded before is refused (DOC-03)."""
    a, b = cn_case(db), cn_case(db)
    items = [{"case_ref": a.ref, "kind": "credit_report_prenotice"},
             {"case_ref": b.ref, "kind": "credit_report_prenotice"},
             {"case_ref": a.ref, "kind": "credit_report_prenotice", "override_reason": "lost in the post"},
             {"case_ref": b.ref, "kind": "credit_report_prenotice", "override_reason": "lost in the post"}]
    chunked = settings.model_copy(update={"batch_chunk_items": 2})
    earlier = run_notice_batch(db, _batch_job(db, "job_test0000000000chunk2", items), chunked, lambda *_: None)
    # Case by case in chunks of two, the first chunk is case a's items 0 and 2: b's were not reached.
    partial = {**earlier, "items": [r if n in (0, 2) else {**items[n], "status": "pending"}
                                    for n, r in enumerate(earlier["items"])]}
    again = _batch_job(db, "job_test0000000000chunk3", items, result=partial)
    result = run_notice_batch(db, again, chunked, lambda *_: None)
    assert [r["status"] for r in result["items"]] == ["generated", "refused", "generated", "generated"]
    assert result["items"][1]["violations"][0]["rule"] == "DOC-03"  # b's notice, recorded by the earlier run
    assert [result["items"][n] for n in (0, 2)] == [earlier["items"][n] for n in (0, 2)]
    docs = db.scalars(select(GeneratedDocument.id).where(GeneratedDocument.job_id == again.id)).all()
    assert docs == [result["items"][3]["document_id"]]


def test_a_batch_gives_the_objects_it_froze_back_to_the_garbage_collector(db, settings):
    """The batch keeps the process's older objects out of full collections while it runs, and
    collects its young objects less often (``_old_objects_frozen``); when it ends both are as
    they were: a worker running batch after batch does not keep what it would otherwise free."""
    import gc

    case = cn_case(db)
    job = _batch_job(db, "job_test0000000000000009", [{"case_ref": case.ref, "kind": "credit_report_prenotice"}])
    before, thresholds = gc.get_freeze_count(), gc.get_threshold()
    result = run_notice_batch(db, job, settings, lambda done, total: None)
    assert result["generated"] == 1
    assert gc.get_freeze_count() == before and gc.get_threshold() == thresholds


# U+31350: a CJK Extension H ideograph (Unicode 15, 2022, where rare name characters were added),
# newer than every installed font: the real renderer refuses to draw a box in its place.
NO_GLYPH_NAME = "王\U00031350"


def test_a_notice_that_cannot_be_rendered_is_its_items_failure_and_the_batch_goes_on(db, settings, tmp_path):
    """One borrower's name has a character no font has: the real renderer refuses that notice
    (MissingGlyphs). Its item reports the named error; the items before and after it are
    recorded; nothing of it is written — no document row, audit event, communication or file —
    and the audit chain still verifies event by event. A plain repeat of it later in the batch
    is not a repeat for DOC-03 (nothing was sent): it is tried, and fails for the same named reason."""
    from service.audit import service as audit
    from service.audit.models import AuditEvent
    from service.cases.models import Communication
    from service.core.storage import get_store

    first, odd, last = cn_case(db), cn_case(db, borrower=borrower(name=NO_GLYPH_NAME)), cn_case(db)
    items = [{"case_ref": first.ref, "kind": "credit_report_prenotice"},
             {"case_ref": odd.ref, "kind": "credit_report_prenotice"},
             {"case_ref": last.ref, "kind": "credit_report_prenotice"},
             {"case_ref": odd.ref, "kind": "credit_report_prenotice"}]
    job = Job(id="job_test00000000000render", kind="notice_batch", status="running",
              params={"items": items, "format": "pdf"}, actor="test", created_at=utcnow(), total=len(items))
    db.add(job)
    db.flush()
    own_store = settings.model_copy(update={"storage_dir": tmp_path / "store"})
    result = run_notice_batch(db, job, own_store, lambda *_: None)

    assert [i["status"] for i in result["items"]] == ["generated", "failed", "generated", "failed"]
    assert (result["generated"], result["refused"], result["failed"]) == (2, 0, 2)
    for failed in (result["items"][1], result["items"][3]):
        assert failed["case_ref"] == odd.ref and failed["error"] == "render-failed" and "U+31350" in failed["detail"]
        assert "document_id" not in failed and "violations" not in failed
    db.refresh(job)
    assert job.progress == 4 and job.result["items"] == result["items"]

    docs = db.scalars(select(GeneratedDocument).where(GeneratedDocument.job_id == job.id)).all()
    assert sorted(d.case_id for d in docs) == sorted([first.id, last.id])
    assert not db.scalars(select(AuditEvent).where(AuditEvent.case_id == odd.id,
                                                  AuditEvent.action == "document.generated")).all()
    assert not db.scalars(select(Communication).where(Communication.case_id == odd.id)).all()
    stored = sorted(p.name for p in get_store(own_store).root.rglob("*") if p.is_file())  # type: ignore[attr-defined]
    assert stored == sorted(d.sha256 for d in docs)  # no orphan file for the failed item
    checked, problem = audit.verify(db)
    assert problem is None and checked >= 2


def test_on_the_render_pool_a_failure_comes_back_in_its_place_and_its_chunk_neighbours_render():
    """The pool renders in chunks of documents: a failing one is a RenderFailure in its place
    (plain values, across the process boundary), the one beside it in its chunk is rendered."""
    from service.documents.bulk import RenderFailure, render_each_ahead, warm_up
    from service.documents.registry import get_kind
    from service.documents.render import render
    from tests.documents.conftest import TEMPLATES, Variant

    base = Variant(get_kind("overdue_reminder"), "CN", "zh-CN").sample()
    contexts = [base.model_copy(update={"borrower": base.borrower.model_copy(update={"name": name})})
                for name in ("王芳", NO_GLYPH_NAME, "李娜")]
    warm_up(2, TEMPLATES)
    out = list(render_each_ahead(contexts, "pdf", workers=2, chunk_size=2, templates_dir=TEMPLATES))
    assert isinstance(out[1], RenderFailure)
    assert (out[1].status, out[1].error) == ("failed", "render-failed") and "U+31350" in out[1].detail
    for n in (0, 2):
        assert not isinstance(out[n], RenderFailure)
        assert out[n].data == render(contexts[n], "pdf", templates_dir=TEMPLATES).data


def _first_render_fails(monkeypatch, case_ref):  # type: ignore[no-untyped-def]
    """The batch's first render of `case_ref`'s notice fails (as a font or template failure would);
    every other render is real."""
    from service.documents import bulk
    from service.documents.bulk import RenderFailure

    real = bulk.render_each_ahead
    failed: list[int] = []

    def render_each_ahead(contexts, fmt, **kw):  # type: ignore[no-untyped-def]
        out = list(real(contexts, fmt, **kw))
        for n, ctx in enumerate(contexts):
            if ctx.doc.case_ref == case_ref and not failed:
                failed.append(n)
                out[n] = RenderFailure("failed", "render-failed", "the renderer failed (test)")
        return iter(out)

    monkeypatch.setattr(bulk, "render_each_ahead", render_each_ahead)


def test_a_repeat_of_an_item_that_failed_is_the_first_notice_and_the_one_after_it_a_repeat(
        db, settings, monkeypatch):
    """DOC-03 counts notices sent, not asked for: the first item failed, so the borrower has
    nothing and the second is recorded as the first notice (not refused as "already has"); the
    third, a plain repeat of the second, is refused by DOC-03, and a fourth on a reason is recorded
    as a repeat. The same whether the items share a chunk or each has its own."""
    from service.audit.models import AuditEvent

    for n, chunk in enumerate((250, 1)):
        case = cn_case(db)
        _first_render_fails(monkeypatch, case.ref)
        items = [{"case_ref": case.ref, "kind": "credit_report_prenotice"}] * 3 + [
            {"case_ref": case.ref, "kind": "credit_report_prenotice", "override_reason": "lost in the post"}]
        job = _batch_job(db, f"job_test00000000failed{n:02d}", items)
        result = run_notice_batch(db, job, settings.model_copy(update={"batch_chunk_items": chunk}),
                                  lambda *_: None)
        assert [i["status"] for i in result["items"]] == ["failed", "generated", "refused", "generated"], chunk
        refusal = result["items"][2]
        assert refusal["violations"][0]["rule"] == "DOC-03" and "already has" in refusal["detail"]
        docs = {d.id: d for d in db.scalars(select(GeneratedDocument).where(GeneratedDocument.job_id == job.id))}
        first, again = docs[result["items"][1]["document_id"]], docs[result["items"][3]["document_id"]]
        assert len(docs) == 2 and first.once is True and first.override_reason is None
        assert again.once is None and again.override_reason == "lost in the post"
        overridden = db.scalars(select(AuditEvent).where(AuditEvent.object_id == again.id)).one()
        assert overridden.data.get("override") == "DOC-03"
        assert "override" not in db.scalars(select(AuditEvent).where(AuditEvent.object_id == first.id)).one().data
