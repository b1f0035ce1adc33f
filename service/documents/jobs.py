"""The batch-notice job: many (case, kind) notices in one job, rendered across the warm pool.

Each item is checked and built in the job's transaction (a refused item is reported with its
rule ids and the rest go ahead), all accepted items are rendered by ``bulk.iter_rendered`` and
recorded as they arrive, a chunk at a time (``documents.service.record_many``: one INSERT round
per table). The records commit with the job's final status, so a job that fails
half-way leaves no notice behind and its retry issues each notice once.

A borrower gets a notice kind once per as-of date (DOC-03): the notices the cases already have
are loaded once, and each accepted item counts for the items after it, so the same (case, kind)
twice in one batch is refused the second time unless that item gives an override reason. Another
batch or request recording the same notice meanwhile is caught by the database's unique
constraint when this one records: that item is refused, the others stand.

On Celery, a batch longer than ``batch_part_items`` is split into parts (``jobs.parts``) that
every worker claims: a Celery worker renders in its own process, so one job uses one core. All
items of one case go to the same part, so the in-batch DOC-03 check above still sees them
together; each part commits its notices with its own status, and the batch's result is the
parts' per-item results merged in the batch's order.
"""

from collections.abc import Iterable, Iterator
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from service.cases.casefile import load_case_files
from service.core.errors import CaseNotFound, InvalidInput, RuleViolation, ServiceError
from service.core.settings import Settings
from service.core.storage import get_store
from service.documents import bulk, records
from service.documents import service as documents_service
from service.jobs import service as jobs_service
from service.jobs.models import Job, JobKind
from service.jobs.parts import INDEXES
from service.jobs.registry import Progress, handler

KIND = JobKind.NOTICE_BATCH
PART_KIND = JobKind.NOTICE_BATCH_PART
# Rendered notices are recorded this many at a time: one INSERT round per table, one flush.
RECORD_CHUNK = 250


T = TypeVar("T")


def _chunks(pairs: Iterable[T], size: int) -> Iterator[list[T]]:
    chunk: list[T] = []
    for pair in pairs:
        chunk.append(pair)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _refusal(exc: ServiceError) -> dict[str, Any]:
    found: dict[str, Any] = {"status": "refused", "detail": exc.detail}
    if isinstance(exc, RuleViolation):
        found["violations"] = [v.as_dict() for v in exc.violations]
    if isinstance(exc, InvalidInput):
        found["errors"] = [{"field": e.field, "message": e.message} for e in exc.errors]
    return found


def enqueue(session: Session, settings: Settings, params: dict[str, Any], *, actor: str) -> Job:
    """The batch as one job, or on Celery, when long, as parts every worker takes."""
    items: list[dict[str, Any]] = params["items"]
    if settings.executor != "celery" or len(items) <= settings.batch_part_items:
        return jobs_service.enqueue(session, settings, kind=KIND, params=params, actor=actor, total=len(items))
    parts = [{"items": [items[i] for i in indexes], "format": params.get("format", "pdf"), INDEXES: indexes}
             for indexes in split(items, settings.batch_part_items)]
    return jobs_service.enqueue_in_parts(session, settings, kind=KIND, params=params, actor=actor,
                                        part_kind=PART_KIND, parts=parts, total=len(items))


def split(items: list[dict[str, Any]], size: int) -> list[list[int]]:
    """Item indexes in parts of about `size`, a case's items always in one part (in order)."""
    by_case: dict[str, list[int]] = {}
    for index, item in enumerate(items):
        by_case.setdefault(item["case_ref"], []).append(index)
    parts: list[list[int]] = [[]]
    for indexes in by_case.values():
        if parts[-1] and len(parts[-1]) + len(indexes) > size:
            parts.append([])
        parts[-1].extend(indexes)
    return [sorted(part) for part in parts]


@handler(KIND)
@handler(PART_KIND)  # a part is a batch of its own items; ``jobs.parts`` merges the results
def run_notice_batch(session: Session, job: Job, settings: Settings, progress: Progress) -> dict[str, Any]:
    items: list[dict[str, Any]] = job.params["items"]
    fmt: str = job.params.get("format", "pdf")
    results: list[dict[str, Any]] = [{} for _ in items]
    accepted = []
    files = load_case_files(session, [item["case_ref"] for item in items])  # all cases, a few queries
    issued = records.issued_notices(session, [cf.case.id for cf in files.values()])
    for index, item in enumerate(items):
        try:
            if item["case_ref"] not in files:
                raise CaseNotFound(item["case_ref"])
            cf = files[item["case_ref"]]
            facts, kind, ctx = documents_service.prepare(
                session, case_ref=item["case_ref"], kind=item["kind"], fmt=fmt, locale=item.get("locale"),
                as_of=None, case_file=cf, issued=frozenset(issued[cf.case.id]),
                override_reason=item.get("override_reason"))
        except ServiceError as exc:
            results[index] = {**item, **_refusal(exc)}
            continue
        issued[cf.case.id].add((kind.kind, facts.as_of))
        accepted.append((index, facts, kind, ctx))
    store = get_store(settings)
    # Progress counts every item the client sent (a refused one is done at once), so the job's
    # total, and its webhook's, stay the batch's size.
    done = len(items) - len(accepted)
    rendered = bulk.iter_rendered([ctx for *_, ctx in accepted], fmt, templates_dir=settings.templates_dir)
    for chunk in _chunks(zip(accepted, rendered, strict=True), RECORD_CHUNK):
        recordings = [documents_service.Recording(facts, kind, result, items[index].get("override_reason"))
                      for (index, facts, kind, _ctx), result in chunk]
        outcomes = documents_service.record_many(session, recordings, actor=job.actor, store=store, job_id=job.id)
        for ((index, *_), _result), outcome in zip(chunk, outcomes, strict=True):
            if isinstance(outcome, RuleViolation):  # recorded by another batch or request since the check
                results[index] = {**items[index], **_refusal(outcome)}
            else:
                results[index] = {**items[index], "status": "generated", "document_id": outcome.id,
                                  "sha256": outcome.sha256}
        done += len(chunk)
        progress(done, len(items))
    generated = sum(r.get("status") == "generated" for r in results)
    return {"generated": generated, "refused": len(items) - generated, "format": fmt, "items": results}
