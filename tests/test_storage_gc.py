"""Unreferenced stored bytes are collected after a grace period; referenced ones never are."""

import os
import time
from datetime import timedelta

from service.core.storage import get_store
from service.storage_gc import collect
from tests.packets.test_evidence_api import _upload, pdf_bytes


def _age(settings, sha: str, seconds: int) -> None:
    path = get_store(settings).path_for(sha)  # type: ignore[attr-defined]
    old = time.time() - seconds
    os.utime(path, (old, old))


def test_orphans_are_removed_and_referenced_objects_kept(client, keys, case, db, settings):
    kept = _upload(client, keys["collector"], case.ref, "kept.pdf", pdf_bytes(3)).json()["sha256"]
    store = get_store(settings)
    orphan = store.put_bytes(b"%PDF-1.7 left behind by a failed transaction").sha256
    young = store.put_bytes(b"stored a moment ago, its transaction still open").sha256
    _age(settings, kept, 7200)
    _age(settings, orphan, 7200)
    assert orphan in collect(db, settings, grace=timedelta(hours=1), dry_run=True).removed
    assert store.exists(orphan)  # a dry run deletes nothing
    result = collect(db, settings, grace=timedelta(hours=1))
    assert orphan in result.removed and kept not in result.removed and young not in result.removed
    assert not store.exists(orphan) and store.exists(kept) and store.exists(young)
