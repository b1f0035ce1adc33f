"""A render pool process killed in the middle of a batch (a real SIGKILL, not a mock): the pool is
replaced, the documents it had not returned are rendered once more, and only a document that
kills its process again fails — as its item's "failed" result; the batch goes on.

Where the process dies is not left to timing: a test-only environment variable
(``bulk.KILL_AT_ENV``) makes the pool process that is about to render a given case's notice kill
itself with SIGKILL — once (the first process to create a marker file), or every time.
"""

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from service.audit import service as audit
from service.audit.models import AuditEvent
from service.cases.models import Communication
from service.core.clock import utcnow
from service.core.settings import Settings
from service.core.storage import get_store
from service.documents import bulk
from service.documents.jobs import run_notice_batch
from service.documents.models import GeneratedDocument
from service.jobs.models import Job
from tests.documents.conftest import cn_case
from tests.live import wait_until

WORKERS = 2  # the batch renders on the pool (two processes) when it has more than a pool chunk (16)


@pytest.fixture
def fresh_pool(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    """No pool started before the test's environment is set; none left with it afterwards."""
    bulk.shutdown()
    yield monkeypatch
    bulk.shutdown()


def _items(db: Any) -> tuple[list[dict[str, Any]], Any]:
    """Twenty notices over two cases (each copy on a reason), and one for a third case, last."""
    a, b, odd = cn_case(db), cn_case(db), cn_case(db)
    items: list[dict[str, Any]] = []
    for i in range(20):
        item: dict[str, Any] = {"case_ref": (a, b)[i % 2].ref, "kind": "credit_report_prenotice"}
        if i >= 2:
            item["override_reason"] = f"copy {i} for the test"
        items.append(item)
    items.append({"case_ref": odd.ref, "kind": "credit_report_prenotice"})
    return items, odd


def _run(db: Any, settings: Settings, tmp_path: Path, job_id: str,
         items: list[dict[str, Any]]) -> tuple[dict[str, Any], Settings]:
    job = Job(id=job_id, kind="notice_batch", status="running", params={"items": items, "format": "pdf"},
              actor="test", created_at=utcnow(), total=len(items))
    db.add(job)
    db.flush()
    own_store = settings.model_copy(update={"storage_dir": tmp_path / "store"})
    return run_notice_batch(db, job, own_store, lambda *_: None), own_store


def _gone(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] in ("Z", "X")
    except FileNotFoundError:
        return True


def _check_records(db: Any, job_id: str, result: dict[str, Any], store_settings: Settings) -> list[GeneratedDocument]:
    """Each generated notice once, with its bytes, communication and audit event; the chain intact."""
    docs = list(db.scalars(select(GeneratedDocument).where(GeneratedDocument.job_id == job_id)))
    assert sorted(d.id for d in docs) == sorted(i["document_id"] for i in result["items"] if "document_id" in i)
    ids = [d.id for d in docs]
    assert len(db.scalars(select(Communication).where(Communication.document_id.in_(ids))).all()) == len(docs)
    events = db.scalars(select(AuditEvent).where(AuditEvent.object_id.in_(ids),
                                                AuditEvent.action == "document.generated")).all()
    assert len(events) == len(docs)
    store = get_store(store_settings)
    for doc in docs:
        assert store.read_bytes(doc.sha256).startswith(b"%PDF")  # re-checks the hash
    stored = sorted(p.name for p in store.root.rglob("*") if p.is_file())  # type: ignore[attr-defined]
    assert stored == sorted({d.sha256 for d in docs})  # nothing else, no temporary file left
    checked, problem = audit.verify(db)
    assert problem is None and checked >= len(docs)
    return docs


def test_a_render_process_killed_mid_batch_is_replaced_and_its_documents_rendered_again(
        db, settings, tmp_path, fresh_pool):
    items, odd = _items(db)
    marker = tmp_path / "killed"
    fresh_pool.setenv(bulk.KILL_AT_ENV, f"{odd.ref}|{marker}")
    first = bulk.warm_up(WORKERS)
    before = bulk.get_pool(WORKERS, settings.templates_dir)

    result, store_settings = _run(db, settings, tmp_path, "job_test000000000crash01", items)

    killed = int(marker.read_text())
    assert killed in first  # a process of the pool the batch started on was killed
    wait_until(lambda: _gone(killed), "the killed render process to be gone", timeout=60)
    assert bulk.get_pool(WORKERS, settings.templates_dir) is not before  # a new pool took over
    assert [i["status"] for i in result["items"]] == ["generated"] * len(items), result["items"]
    assert (result["generated"], result["refused"], result["failed"]) == (len(items), 0, 0)
    _check_records(db, "job_test000000000crash01", result, store_settings)


def test_a_document_that_kills_its_render_process_again_is_its_item_s_failure(db, settings, tmp_path, fresh_pool):
    items, odd = _items(db)
    fresh_pool.setenv(bulk.KILL_AT_ENV, odd.ref)  # every time: the first try and the one more
    bulk.warm_up(WORKERS)

    result, store_settings = _run(db, settings, tmp_path, "job_test000000000crash02", items)

    assert [i["status"] for i in result["items"]] == ["generated"] * 20 + ["failed"], result["items"]
    assert (result["generated"], result["refused"], result["failed"]) == (20, 0, 1)
    failed = result["items"][-1]
    assert failed["case_ref"] == odd.ref and failed["error"] == "render-crashed" and "document_id" not in failed
    docs = _check_records(db, "job_test000000000crash02", result, store_settings)
    assert odd.id not in {d.case_id for d in docs}
    assert not db.scalars(select(AuditEvent).where(AuditEvent.case_id == odd.id,
                                                  AuditEvent.action == "document.generated")).all()
    assert not db.scalars(select(Communication).where(Communication.case_id == odd.id)).all()
    # The pool it leaves renders the next batch.
    again, _ = _run(db, settings, tmp_path, "job_test000000000crash03",
                    [{**item, "override_reason": "sent once more"} for item in items[:18]])
    assert again["generated"] == 18


def test_a_single_document_is_rendered_again_on_a_new_pool_after_its_process_died(settings, tmp_path, fresh_pool):
    from service.documents.registry import get_kind
    from service.documents.render import render
    from tests.documents.conftest import TEMPLATES, Variant

    ctx = Variant(get_kind("overdue_reminder"), "CN", "zh-CN").sample()
    marker = tmp_path / "killed-single"
    fresh_pool.setenv(bulk.KILL_AT_ENV, f"{ctx.doc.case_ref}|{marker}")
    pids = bulk.warm_up(WORKERS, TEMPLATES)
    rendered = bulk.render_one(ctx, "pdf", templates_dir=TEMPLATES)
    assert int(marker.read_text()) in pids
    assert rendered.data == render(ctx, "pdf", templates_dir=TEMPLATES).data
    assert os.path.exists(marker)
