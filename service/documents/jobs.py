"""The batch-notice job: many (case, kind) notices in one job, built, rendered and recorded a
chunk at a time, so a worker's memory stays flat however long the batch.

The items are taken case by case — a case's items together, in the batch's order, the cases in
the order they first appear — in chunks of ``batch_chunk_items``. For each chunk the job loads
its cases (a few queries), checks and builds each item in the job's session (a refused item is
reported with its rule ids and the rest go ahead), and starts rendering the accepted ones on the
warm pool (``bulk.render_ahead``); while the pool renders, it records the chunk before
(``documents.service.record_many``: one INSERT round per table, the files synced to the store in
one group commit, the audit events chained once at commit) and commits it with the job's
progress and partial result (``jobs.steps.commit_step``). A worker holds two chunks at most,
and a case file only while its items are in them. The bytes are in the store before the rows
commit, so no notice is recorded without its bytes; content addressing stores the same bytes
once.

An item whose notice cannot be rendered (a character no installed font has, a template that
fails on its data, a required value the file would not show, a render process that died on it
twice: ``bulk``) is reported on its own — "failed" with the error named, or "refused" with the
rule — and the others go on: nothing of it is written (no document, audit event, communication
or stored file). The borrower was sent nothing, so a repeat of it — later in the same batch, in
another batch or by a single request — is not a repeat for DOC-03: it is tried as a first notice.

A batch interrupted (its worker killed, its database gone) keeps the chunks it committed, each
notice with its bytes, communication and audit event; run again, it reads its partial result
and carries on after the last item it recorded, so each notice exists once. A superseded or
cancelled run stops at its next chunk (``jobs.steps``).

A borrower gets a notice kind once per as-of date (DOC-03): the notices a case already has are
loaded with its case file, and an item asking for one of them is refused as it is built ("the
borrower already has ..."), unless it gives an override reason. An item asking for the same
notice as an earlier item of the batch whose outcome is not known yet (its render or recording
still under way) is built and rendered, and decided when it is recorded, in the batch's order:
if the earlier item's notice was recorded (or is being recorded in the same chunk) the later one
is refused by DOC-03 — or recorded as a repeat on its override reason — and if the earlier item
failed or was refused, the later one is the first notice. This holds in one chunk or the next,
since a case whose items straddle two chunks keeps its case file and notices from one to the
other; and after an interruption, since the notices recorded before it are in the database.
Another batch or request recording the same notice meanwhile is caught by the database's
unique constraint when this one records: that item is refused, the others stand.

On Celery, a batch longer than ``batch_part_items`` is split into parts (``jobs.parts``) that
every worker claims: a Celery worker renders in its own process, so one job uses one core. All
items of one case go to the same part, so the DOC-03 check above still sees them together; each
part records its notices as above, and the batch's result is the parts' per-item results
merged in the batch's order.
"""

import gc
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from evidence.store import Store
from service.cases.casefile import CaseFile, load_case_files
from service.core.errors import CaseNotFound, InvalidInput, RuleViolation, ServiceError
from service.core.settings import Settings
from service.core.storage import get_store
from service.documents import bulk, records, rules
from service.documents import service as documents_service
from service.documents.bulk import RenderFailure
from service.documents.contexts.common import DocumentContext
from service.documents.contexts.facts import CaseFacts
from service.documents.contexts.legal.exhibits import Planner
from service.documents.registry import Check, DocKind
from service.documents.render import Rendered
from service.jobs import service as jobs_service
from service.jobs.models import Job, JobKind
from service.jobs.parts import INDEXES, PENDING
from service.jobs.registry import Progress
from service.jobs.steps import commit_step

KIND = JobKind.NOTICE_BATCH
PART_KIND = JobKind.NOTICE_BATCH_PART

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


def by_case(items: list[dict[str, Any]]) -> list[list[int]]:
    """Item indexes grouped by case, in order; the cases in the order they first appear."""
    groups: dict[str, list[int]] = {}
    for index, item in enumerate(items):
        groups.setdefault(item["case_ref"], []).append(index)
    return list(groups.values())


def split(items: list[dict[str, Any]], size: int) -> list[list[int]]:
    """Item indexes in parts of about `size`, a case's items always in one part (in order)."""
    parts: list[list[int]] = [[]]
    for indexes in by_case(items):
        if parts[-1] and len(parts[-1]) + len(indexes) > size:
            parts.append([])
        parts[-1].extend(indexes)
    return [sorted(part) for part in parts]


@dataclass
class _Case:
    """A case while the job works on its items: its file, the notices it has or is being sent in
    this chunk (DOC-03), and the notices earlier items of the batch asked for, whether or not
    they were sent (`asked`: a later item for the same is decided when it is recorded)."""

    cf: CaseFile
    issued: set[tuple[str, date]]
    asked: set[tuple[str, date]] = field(default_factory=set)


@dataclass(frozen=True)
class _Accepted:
    index: int
    facts: CaseFacts
    kind: DocKind
    ctx: DocumentContext
    case: _Case
    # An earlier item of the batch asked for the same notice, its outcome unknown when this one was
    # built: whether this one is a repeat (DOC-03) is decided when it is recorded.
    undecided: bool = False

    @property
    def notice(self) -> tuple[str, date] | None:
        """The (kind, as-of date) DOC-03 counts, for a kind sent once."""
        return (self.kind.kind, self.facts.as_of) if Check.ONCE in self.kind.checks else None


@dataclass
class _Chunk:
    """Items checked and built, their renders under way on the pool."""

    indexes: list[int]
    accepted: list[_Accepted] = field(default_factory=list)
    refused: dict[int, dict[str, Any]] = field(default_factory=dict)
    rendered: Iterator[Rendered | RenderFailure] = field(default_factory=lambda: iter(()))


def run_notice_batch(session: Session, job: Job, settings: Settings, progress: Progress,
                     planner: Planner | None = None) -> dict[str, Any]:
    """The batch, or a part of it (a batch of its own items; ``jobs.parts`` merges the results).
    Progress is committed with each chunk (``commit_step``), not reported through `progress`.
    `planner`: the packet's plan for a planned kind in the batch (a complaint lists the exhibits as
    the packet numbers them); the job's handler, registered in ``service.packets.jobs`` (packets
    sits above documents), passes it bound to the job's session."""
    items: list[dict[str, Any]] = job.params["items"]
    fmt: str = job.params.get("format", "pdf")
    results = _resumed(job, items)
    order = [index for indexes in by_case(items) for index in indexes]
    done = sum(r["status"] != PENDING for r in results)
    if any(results[index]["status"] == PENDING for index in order[:done]):
        raise RuntimeError(f"job {job.id}: its partial result does not follow its items' order")
    store = get_store(settings)
    cases: dict[str, _Case] = {}
    ahead: _Chunk | None = None
    with _old_objects_frozen():
        for indexes in _chunks(order[done:], settings.batch_chunk_items):
            cases = _cases(session, items, indexes, cases)
            chunk = _build(session, items, indexes, fmt, cases, planner)
            chunk.rendered = bulk.render_each_ahead([a.ctx for a in chunk.accepted], fmt,
                                                    templates_dir=settings.templates_dir)
            if ahead is not None:  # recorded while the pool renders this chunk
                done = _record(session, job, ahead, results, fmt, store, done)
            ahead = chunk
        if ahead is not None:
            _record(session, job, ahead, results, fmt, store, done)
    return _result(fmt, results)


@contextmanager
def _old_objects_frozen() -> Iterator[None]:
    """The process's objects from before the batch (modules, mappers, rule sets, caches: a few
    hundred thousand) left out of the garbage collector's full passes while the batch runs. Each
    chunk makes tens of thousands of objects that live through it (case files, ledgers,
    contexts), which triggers full passes, and every pass walked all the old objects again: most
    of the job's own CPU time. The young generation is also collected after 10,000 allocations
    rather than 700 (a few MB at most between passes), so full passes become rare. The objects
    are given back to the collector, and the thresholds restored, when the batch ends, so nothing
    is kept that would otherwise have been freed."""
    thresholds = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(max(thresholds[0], 10_000), *thresholds[1:])  # young passes ~15× fewer, full ones rare
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()


def _resumed(job: Job, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The per-item results an earlier run of this job committed, or every item pending."""
    found: list[dict[str, Any]] = (job.result or {}).get("items") or []
    if len(found) == len(items):
        return list(found)
    return [{**item, "status": PENDING} for item in items]


def _result(fmt: str, results: list[dict[str, Any]]) -> dict[str, Any]:
    generated = sum(r["status"] == "generated" for r in results)
    refused = sum(r["status"] == "refused" for r in results)
    failed = sum(r["status"] == "failed" for r in results)
    return {"generated": generated, "refused": refused, "failed": failed, "format": fmt, "items": results}


def _cases(session: Session, items: list[dict[str, Any]], indexes: list[int],
           before: dict[str, _Case]) -> dict[str, _Case]:
    """The chunk's cases: the one carried over from the chunk before, the others loaded now."""
    refs = list(dict.fromkeys(items[index]["case_ref"] for index in indexes))
    kept = {ref: before[ref] for ref in refs if ref in before}
    files = load_case_files(session, [ref for ref in refs if ref not in kept])  # a few queries
    issued = records.issued_notices(session, [cf.case.id for cf in files.values()])
    return {**kept, **{ref: _Case(cf, issued[cf.case.id]) for ref, cf in files.items()}}


def _build(session: Session, items: list[dict[str, Any]], indexes: list[int], fmt: str,
           cases: dict[str, _Case], planner: Planner | None = None) -> _Chunk:
    chunk = _Chunk(indexes)
    for index in indexes:
        item = items[index]
        try:
            case = cases.get(item["case_ref"])
            if case is None:
                raise CaseNotFound(item["case_ref"])
            facts, kind, ctx = documents_service.prepare(
                session, case_ref=item["case_ref"], kind=item["kind"], fmt=fmt, locale=item.get("locale"),
                as_of=None, case_file=case.cf, issued=frozenset(case.issued),
                override_reason=item.get("override_reason"), planner=planner)
        except ServiceError as exc:
            chunk.refused[index] = {**item, **_refusal(exc)}
            continue
        accepted = _Accepted(index, facts, kind, ctx, case)
        notice = accepted.notice
        if notice is not None:
            accepted = replace(accepted, undecided=notice in case.asked)
            case.asked.add(notice)
        chunk.accepted.append(accepted)
    return chunk


def _decided(accepted: _Accepted, override_reason: str | None) -> CaseFacts | RuleViolation:
    """The facts an accepted item is recorded on, or its DOC-03 refusal: an item built while an
    earlier item for the same notice was under way is a repeat if that notice was recorded (or is
    being recorded in this chunk), and the first notice if it failed or was refused."""
    facts, notice = accepted.facts, accepted.notice
    if notice is None or not accepted.undecided or notice not in accepted.case.issued:
        return facts
    if not override_reason:
        return RuleViolation([rules.duplicate(facts, accepted.kind)])
    return replace(facts, issued=facts.issued | {notice})


def _record(session: Session, job: Job, chunk: _Chunk, results: list[dict[str, Any]], fmt: str, store: Store,
            done: int) -> int:
    """Record the chunk's notices and commit them with the job's progress; the new progress."""
    items: list[dict[str, Any]] = job.params["items"]
    results_of = dict(chunk.refused)
    rendered: list[tuple[_Accepted, Rendered]] = []
    recordings: list[documents_service.Recording] = []
    for accepted, file in zip(chunk.accepted, chunk.rendered, strict=True):
        item = items[accepted.index]
        if isinstance(file, RenderFailure):  # reported; nothing of it is written, nothing was sent
            results_of[accepted.index] = {**item, **file.result()}
            continue
        facts = _decided(accepted, item.get("override_reason"))
        if isinstance(facts, RuleViolation):  # an earlier item of the batch sent it
            results_of[accepted.index] = {**item, **_refusal(facts)}
            continue
        if accepted.notice is not None:
            accepted.case.issued.add(accepted.notice)  # sent with this chunk (or refused: sent by another)
        rendered.append((accepted, file))
        recordings.append(documents_service.Recording(facts, accepted.kind, file, item.get("override_reason")))
    outcomes = (documents_service.record_many(session, recordings, actor=job.actor, store=store, job_id=job.id)
                if recordings else [])
    for accepted, outcome in zip((a for a, _ in rendered), outcomes, strict=True):
        item = items[accepted.index]
        if isinstance(outcome, RuleViolation):  # recorded by another batch or request since the check
            results_of[accepted.index] = {**item, **_refusal(outcome)}
        else:
            results_of[accepted.index] = {**item, "status": "generated", "document_id": outcome.id,
                                          "sha256": outcome.sha256}
    for index, found in results_of.items():
        results[index] = found
    done += len(chunk.indexes)
    commit_step(session, job, done=done, result=_result(fmt, results))
    return done
