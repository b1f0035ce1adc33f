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

A pool process that dies (killed, out of memory, a crash in a native library) breaks the whole
pool: every document it had not returned fails with ``BrokenProcessPool``. The pool is then
replaced by a new one (``get_pool`` never hands out a broken pool), and each document of the
pool chunk that was not returned is tried once more, one at a time, so a document that kills
its process again is named: under ``render_each_ahead`` it is a ``RenderFailure``
("render-crashed") in its place and the others are rendered; elsewhere the error is raised.
"""

import atexit
import logging
import multiprocessing
import multiprocessing.util
import os
import re
import shutil
import signal
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from service.core.errors import InvalidInput, RuleViolation, ServiceError
from service.core.settings import get_settings
from service.documents.contexts.common import DocumentContext
from service.documents.exceptions import RenderFailed
from service.documents.render import Rendered, render

log = logging.getLogger("dossier.documents")
T = TypeVar("T")
_POOLS: dict[tuple[int, str], ProcessPoolExecutor] = {}
_FORMS_DIRS: dict[ProcessPoolExecutor, str] = {}  # each pool's shared forms (``forms.SharedForms``)
_LOCK = threading.Lock()
_TEMPLATES: Path | None = None


def _init_worker(templates_dir: str, forms_dir: str | None = None) -> None:
    """Warm the renderers so the first real document does not pay for set-up; share the forms
    laid out with the pool's other processes (``forms.SharedForms``)."""
    global _TEMPLATES
    _TEMPLATES = Path(templates_dir)
    from service.documents import forms
    from service.documents.paper import PAPERS
    from service.documents.pdf import get_renderer

    renderer = get_renderer(_TEMPLATES)
    if forms_dir is not None:
        renderer.shared_forms = forms.SharedForms(Path(forms_dir))
    for locale in ("zh-CN", "en-US"):
        for paper in PAPERS:
            renderer.stylesheets(locale, paper)
    forms.warm(_TEMPLATES)
    renderer.render("<p>预热 warm-up</p>", locale="zh-CN", identifier=b"0" * 32)


def warm_in_process(templates_dir: Path | None = None) -> None:
    """Warm this process's own renderer, as a pool process warms at start: a Celery prefork child,
    which renders in its own process (``can_fork_workers``), calls it when it starts, so the first
    part of a batch it takes does not pay for fonts, stylesheets and forms."""
    _init_worker(str(templates_dir or get_settings().templates_dir))


# Tests only: a pool process that is to render a document of this case ref kills itself (SIGKILL),
# as a process killed from outside dies; after "|", a file that makes it do so once only (the
# first process to create the file dies; it writes its process id there).
KILL_AT_ENV = "DOSSIER_TEST_KILL_RENDER_WORKER_AT"


def _killed_here(ctx: DocumentContext) -> None:
    spec = os.environ.get(KILL_AT_ENV)
    if not spec:
        return
    ref, _, once = spec.partition("|")
    if ctx.doc.case_ref != ref:
        return
    if once:
        try:
            fd = os.open(once, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            return
        os.write(fd, str(os.getpid()).encode())
        os.close(fd)
    os.kill(os.getpid(), signal.SIGKILL)


def _render_chunk(items: list[tuple[DocumentContext, str]]) -> list[Rendered]:
    assert _TEMPLATES is not None
    out = []
    for ctx, fmt in items:
        _killed_here(ctx)
        out.append(render(ctx, fmt, templates_dir=_TEMPLATES))
    return out


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
    out: list[Rendered | RenderFailure] = []
    for ctx, fmt in items:
        _killed_here(ctx)
        out.append(_attempt(ctx, fmt, _TEMPLATES))
    return out


def _crashed(ctx: DocumentContext, fmt: str) -> RenderFailure:
    log.error("rendering %s (%s) of case %s killed its render process twice", ctx.doc.kind, fmt, ctx.doc.case_ref)
    return RenderFailure("failed", "render-crashed", "the render process died while rendering this document, and "
                                                     "again when it was tried once more; the server log has the case")


def default_workers() -> int:
    return max(1, min(get_settings().local_workers, os.cpu_count() or 1))


def can_fork_workers() -> bool:
    """False inside a daemonic process — a Celery prefork child — which may not start processes:
    there a batch renders in the worker's own process, and parallelism comes from Celery running
    several jobs (on several machines)."""
    return not multiprocessing.current_process().daemon


def get_pool(workers: int, templates_dir: Path) -> ProcessPoolExecutor:
    """A warm pool for this process (spawned workers: no inherited fontconfig or DB state); a
    pool broken by a process that died is replaced by a new one."""
    key = (workers, str(templates_dir))
    with _LOCK:
        known = _POOLS.get(key)
        if known is not None and getattr(known, "_broken", False):
            _discard_locked(key, known)
        if key not in _POOLS:
            from service.documents.fonts import ensure_fonts

            ensure_fonts(templates_dir)  # once, here, rather than racing in every worker
            ctx = multiprocessing.get_context("spawn")
            remove_stale_forms_dirs()
            forms_dir = tempfile.mkdtemp(prefix=f"{FORMS_PREFIX}{os.getpid()}-")  # private (0700)
            pool = ProcessPoolExecutor(workers, mp_context=ctx, initializer=_init_worker,
                                       initargs=(str(templates_dir), forms_dir))
            _POOLS[key], _FORMS_DIRS[pool] = pool, forms_dir
            # A process started by multiprocessing (a local job worker) skips atexit and, at exit,
            # waits for its children: stop the render workers first, or it never exits.
            multiprocessing.util.Finalize(None, shutdown, exitpriority=100)
        return _POOLS[key]


# A pool's shared forms live in a temporary directory named after the process that owns the pool:
# "dossier-forms-<pid>-<random>". The owner removes it when the pool ends, but a process killed
# (SIGKILL, out of memory) cannot: the next pool started on the machine removes those it finds.
FORMS_PREFIX = "dossier-forms-"
_OWNER = re.compile(re.escape(FORMS_PREFIX) + r"(\d+)-")


def remove_stale_forms_dirs(parent: Path | None = None) -> list[Path]:
    """Remove the forms directories whose owner process is no longer alive (in `parent`, the
    temporary directory by default); the ones removed. A directory of a live process, of
    another user, or not named after its owner (made before owners were named) is left alone."""
    removed = []
    root = parent or Path(tempfile.gettempdir())
    for path in root.glob(f"{FORMS_PREFIX}*"):
        match = _OWNER.match(path.name)
        try:
            mine = path.is_dir() and not path.is_symlink() and path.stat().st_uid == os.getuid()
        except OSError:  # removed meanwhile by another pool's owner
            continue
        if match is None or not mine or _alive(int(match.group(1))):
            continue
        shutil.rmtree(path, ignore_errors=True)
        removed.append(path)
    if removed:
        log.info("removed %d forms directories left by render pools whose process died", len(removed))
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # a process of another user has this id
        return True
    return True


def _discard_locked(key: tuple[int, str], pool: ProcessPoolExecutor) -> None:
    if _POOLS.get(key) is pool:
        del _POOLS[key]
        log.warning("a render process died: the render pool is replaced")
    pool.shutdown(wait=False, cancel_futures=True)
    _remove_forms_dir(pool)


def _remove_forms_dir(pool: ProcessPoolExecutor) -> None:
    forms_dir = _FORMS_DIRS.pop(pool, None)
    if forms_dir is not None:
        shutil.rmtree(forms_dir, ignore_errors=True)


def _discard(workers: int, templates_dir: Path, pool: ProcessPoolExecutor) -> None:
    """Forget a broken pool (unless another caller replaced it already)."""
    with _LOCK:
        _discard_locked((workers, str(templates_dir)), pool)


def _results(pool: ProcessPoolExecutor, task: Callable[[list[tuple[DocumentContext, str]]], list[T]],
             parts: list[list[tuple[DocumentContext, str]]], workers: int, templates: Path,
             on_crash: Callable[[DocumentContext, str], T]) -> Iterator[T]:
    """Submit every part to the pool now; the results in order. A part lost with a broken pool is
    rendered again on a new pool a document at a time; a document that breaks that pool too is
    `on_crash`'s (its result, or it raises)."""
    futures: list[Future[list[T]] | None] = []
    for part in parts:
        try:
            futures.append(pool.submit(task, part))
        except BrokenProcessPool:  # a process died while the parts were being submitted
            futures.append(None)

    def results() -> Iterator[T]:
        for future, part in zip(futures, parts, strict=True):
            try:
                if future is None:
                    raise BrokenProcessPool("not submitted")
                found = future.result()
            except BrokenProcessPool:
                _discard(workers, templates, pool)
                found = [_once_more(task, item, workers, templates, on_crash) for item in part]
            yield from found
    return results()


def _once_more(task: Callable[[list[tuple[DocumentContext, str]]], list[T]], item: tuple[DocumentContext, str],
               workers: int, templates: Path, on_crash: Callable[[DocumentContext, str], T]) -> T:
    pool = get_pool(workers, templates)
    try:
        return pool.submit(task, [item]).result()[0]
    except BrokenProcessPool:
        _discard(workers, templates, pool)
        return on_crash(*item)


def _raise_crashed(ctx: DocumentContext, fmt: str) -> Rendered:
    _crashed(ctx, fmt)
    raise RenderFailed(f"{ctx.doc.kind} of {ctx.doc.case_ref}: the render process died rendering it, twice")


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
        if len(pool._processes) >= n:
            break
    return set(pool._processes)


def _pause(item: int) -> int:
    time.sleep(0.05)
    return item


def shutdown() -> None:
    with _LOCK:
        for pool in _POOLS.values():
            pool.shutdown(cancel_futures=True)
            _remove_forms_dir(pool)
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
    parts = [items[i:i + chunk_size] for i in range(0, len(items), chunk_size)]
    return _results(get_pool(workers, templates), _render_chunk, parts, workers, templates, _raise_crashed)


def render_each_ahead(contexts: Sequence[DocumentContext], fmt: str, *, workers: int | None = None,
                      chunk_size: int = 16, templates_dir: Path | None = None) -> Iterator[Rendered | RenderFailure]:
    """As ``render_ahead``, but a document that cannot be rendered is a ``RenderFailure`` in its
    place, not an exception that loses the documents after it (and the rest of its pool chunk)."""
    templates = templates_dir or get_settings().templates_dir
    workers = workers or default_workers()
    if workers == 1 or len(contexts) <= chunk_size or not can_fork_workers():
        return (_attempt(ctx, fmt, templates) for ctx in contexts)
    items = [(ctx, fmt) for ctx in contexts]
    parts = [items[i:i + chunk_size] for i in range(0, len(items), chunk_size)]
    return _results(get_pool(workers, templates), _render_each_chunk, parts, workers, templates, _crashed)


def render_one(ctx: DocumentContext, fmt: str, *, templates_dir: Path | None = None) -> Rendered:
    """One document on a warm pool worker, as a request for a single notice renders it: the
    request's thread waits without holding the GIL, so concurrent requests render on every core
    while the serving process does their database work, and no request pays a cold renderer.
    Where processes cannot be started (a Celery prefork child) it renders here."""
    templates = templates_dir or get_settings().templates_dir
    if not can_fork_workers():
        return render(ctx, fmt, templates_dir=templates)
    workers = default_workers()
    return next(_results(get_pool(workers, templates), _render_chunk, [[(ctx, fmt)]], workers, templates,
                         _raise_crashed))


def render_many(contexts: Sequence[DocumentContext], fmt: str | Sequence[str], *, workers: int | None = None,
                chunk_size: int = 16, templates_dir: Path | None = None) -> list[Rendered]:
    """All at once (see ``iter_rendered`` to store results as they arrive)."""
    return list(iter_rendered(contexts, fmt, workers=workers, chunk_size=chunk_size, templates_dir=templates_dir))
