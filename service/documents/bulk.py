"""Many documents at once: contexts in, rendered files out, in order, across a warm process pool.

Rendering is CPU-bound Python (WeasyPrint, docxtpl hold the GIL), so parallelism comes from
processes: one per core, each keeping its renderer (font configuration, stylesheets, compiled
DOCX templates) warm between calls. The pool lives as long as the calling process; a batch job
pays its start-up once (bench/ measures both).

Each file is rendered exactly as ``render.render`` renders it alone — same function, same
inputs — so a notice is byte-identical whether it came out of a batch or on its own (tested).

``render_each_ahead`` isolates the documents from one another: one that cannot be rendered (a
character no font has, a template that fails on its data, a required value the file would not
show) comes back as a ``RenderFailure`` in its place, and the others are rendered as usual.
"""

import atexit
import logging
import multiprocessing
import multiprocessing.util
import os
import threading
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from service.core.errors import InvalidInput, RuleViolation, ServiceError
from service.core.settings import get_settings
from service.documents.contexts.common import DocumentContext
from service.documents.render import Rendered, render

log = logging.getLogger("dossier.documents")
_POOLS: dict[tuple[int, str], ProcessPoolExecutor] = {}
_LOCK = threading.Lock()
_TEMPLATES: Path | None = None


def _init_worker(templates_dir: str) -> None:
    """Warm the renderers so the first real document does not pay for set-up."""
    global _TEMPLATES
    _TEMPLATES = Path(templates_dir)
    from service.documents import forms
    from service.documents.pdf import get_renderer

    renderer = get_renderer(_TEMPLATES)
    for locale in ("zh-CN", "en-US"):
        renderer.stylesheets(locale)
    forms.warm(_TEMPLATES)
    renderer.render("<p>预热 warm-up</p>", locale="zh-CN", identifier=b"0" * 32)


def _render_chunk(items: list[tuple[DocumentContext, str]]) -> list[Rendered]:
    assert _TEMPLATES is not None
    return [render(ctx, fmt, templates_dir=_TEMPLATES) for ctx, fmt in items]


@dataclass(frozen=True)
class RenderFailure:
    """A document that could not be rendered, in place of its file: what its item reports.

    `status` is "refused" when the render refused it by a rule or for its input (a required
    value the file would not show, an SMS over its budget: `violations` / `errors` name them)
    and "failed" otherwise (`error` names it: the error's type, "render-failed" for a template
    or font failure or an unexpected exception, whose details go to the log, not the result).
    Plain values, so it crosses from a pool worker as it is."""

    status: str
    error: str
    detail: str
    violations: tuple[dict[str, str], ...] = ()
    errors: tuple[dict[str, str], ...] = ()

    def result(self) -> dict[str, Any]:
        found: dict[str, Any] = {"status": self.status, "error": self.error, "detail": self.detail}
        if self.violations:
            found["violations"] = list(self.violations)
        if self.errors:
            found["errors"] = list(self.errors)
        return found


def _failure(exc: Exception, ctx: DocumentContext, fmt: str) -> RenderFailure:
    if isinstance(exc, RuleViolation):
        return RenderFailure("refused", exc.type_slug, exc.detail, tuple(v.as_dict() for v in exc.violations))
    if isinstance(exc, InvalidInput):
        return RenderFailure("refused", exc.type_slug, exc.detail,
                             errors=tuple({"field": e.field, "message": e.message} for e in exc.errors))
    if isinstance(exc, ServiceError):
        return RenderFailure("failed", exc.type_slug, exc.detail)
    log.exception("rendering %s (%s) of case %s failed", ctx.doc.kind, fmt, ctx.doc.case_ref)
    return RenderFailure("failed", "render-failed", f"the renderer failed on an internal error "
                                                    f"({type(exc).__name__}); the server log has the details")


def _attempt(ctx: DocumentContext, fmt: str, templates_dir: Path) -> Rendered | RenderFailure:
    try:
        return render(ctx, fmt, templates_dir=templates_dir)
    except Exception as exc:  # one document's failure is its own: the batch goes on
        return _failure(exc, ctx, fmt)


def _render_each_chunk(items: list[tuple[DocumentContext, str]]) -> list[Rendered | RenderFailure]:
    assert _TEMPLATES is not None
    return [_attempt(ctx, fmt, _TEMPLATES) for ctx, fmt in items]


def default_workers() -> int:
    return max(1, min(get_settings().local_workers, os.cpu_count() or 1))


def can_fork_workers() -> bool:
    """False inside a daemonic process — a Celery prefork child — which may not start processes:
    there a batch renders in the worker's own process, and parallelism comes from Celery running
    several jobs (on several machines)."""
    return not multiprocessing.current_process().daemon


def get_pool(workers: int, templates_dir: Path) -> Executor:
    """A warm pool for this process (spawned workers: no inherited fontconfig or DB state)."""
    key = (workers, str(templates_dir))
    with _LOCK:
        if key not in _POOLS:
            from service.documents.fonts import ensure_fonts

            ensure_fonts(templates_dir)  # once, here, rather than racing in every worker
            ctx = multiprocessing.get_context("spawn")
            _POOLS[key] = ProcessPoolExecutor(workers, mp_context=ctx, initializer=_init_worker,
                                              initargs=(str(templates_dir),))
            # A process started by multiprocessing (a local job worker) skips atexit and, at exit,
            # waits for its children: stop the render workers first, or it never exits.
            multiprocessing.util.Finalize(None, shutdown, exitpriority=100)
        return _POOLS[key]


def warm_up(workers: int | None = None, templates_dir: Path | None = None) -> set[int]:
    """Start the pool's workers now (each runs its initializer) instead of on the first batch;
    the workers' process ids."""
    n = workers or default_workers()
    pool = get_pool(n, templates_dir or get_settings().templates_dir)
    # A pool starts a process for a task only when none is idle (Python 3.9+), so n instant tasks
    # can all run on the first process. Tasks that take a moment keep each process busy while the
    # next is submitted; rounds repeat until every process runs (a busy machine may need more).
    for _ in range(100):
        list(pool.map(_pause, range(n)))
        if len(pool._processes) >= n:  # type: ignore[attr-defined]
            break
    return set(pool._processes)  # type: ignore[attr-defined]


def _pause(item: int) -> int:
    time.sleep(0.05)
    return item


def shutdown() -> None:
    with _LOCK:
        for pool in _POOLS.values():
            pool.shutdown(cancel_futures=True)
        _POOLS.clear()


atexit.register(shutdown)


def iter_rendered(contexts: Sequence[DocumentContext], fmt: str | Sequence[str], *, workers: int | None = None,
                  chunk_size: int = 16, templates_dir: Path | None = None) -> Iterator[Rendered]:
    """Render every context (in `fmt`, or one format per context), yielding results in order."""
    yield from render_ahead(contexts, fmt, workers=workers, chunk_size=chunk_size, templates_dir=templates_dir)


def render_ahead(contexts: Sequence[DocumentContext], fmt: str | Sequence[str], *, workers: int | None = None,
                 chunk_size: int = 16, templates_dir: Path | None = None) -> Iterator[Rendered]:
    """Start rendering every context on the warm pool now, and return the results' iterator (in
    order): the caller does other work — builds the next contexts, records the last results —
    while the pool renders. Where there is no pool (one worker, a few documents, a Celery prefork
    child), the documents render in this process as the iterator is read."""
    templates = templates_dir or get_settings().templates_dir
    formats = [fmt] * len(contexts) if isinstance(fmt, str) else list(fmt)
    items = list(zip(contexts, formats, strict=True))
    workers = workers or default_workers()
    if workers == 1 or len(items) <= chunk_size or not can_fork_workers():
        return (render(ctx, one_fmt, templates_dir=templates) for ctx, one_fmt in items)
    pool = get_pool(workers, templates)
    futures = [pool.submit(_render_chunk, items[i:i + chunk_size]) for i in range(0, len(items), chunk_size)]
    return (rendered for future in futures for rendered in future.result())


def render_each_ahead(contexts: Sequence[DocumentContext], fmt: str, *, workers: int | None = None,
                      chunk_size: int = 16, templates_dir: Path | None = None) -> Iterator[Rendered | RenderFailure]:
    """As ``render_ahead``, but a document that cannot be rendered is a ``RenderFailure`` in its
    place, not an exception that loses the documents after it (and the rest of its pool chunk)."""
    templates = templates_dir or get_settings().templates_dir
    workers = workers or default_workers()
    if workers == 1 or len(contexts) <= chunk_size or not can_fork_workers():
        return (_attempt(ctx, fmt, templates) for ctx in contexts)
    pool = get_pool(workers, templates)
    items = [(ctx, fmt) for ctx in contexts]
    futures = [pool.submit(_render_each_chunk, items[i:i + chunk_size]) for i in range(0, len(items), chunk_size)]
    return (rendered for future in futures for rendered in future.result())


def render_one(ctx: DocumentContext, fmt: str, *, templates_dir: Path | None = None) -> Rendered:
    """One document on a warm pool worker, as a request for a single notice renders it: the
    request's thread waits without holding the GIL, so concurrent requests render on every core
    while the serving process does their database work, and no request pays a cold renderer.
    Where processes cannot be started (a Celery prefork child) it renders here."""
    templates = templates_dir or get_settings().templates_dir
    if not can_fork_workers():
        return render(ctx, fmt, templates_dir=templates)
    return get_pool(default_workers(), templates).submit(_render_chunk, [(ctx, fmt)]).result()[0]


def render_many(contexts: Sequence[DocumentContext], fmt: str | Sequence[str], *, workers: int | None = None,
                chunk_size: int = 16, templates_dir: Path | None = None) -> list[Rendered]:
    """All at once (see ``iter_rendered`` to store results as they arrive)."""
    return list(iter_rendered(contexts, fmt, workers=workers, chunk_size=chunk_size, templates_dir=templates_dir))
