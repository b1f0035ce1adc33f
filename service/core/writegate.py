"""A first-come, first-served queue for SQLite's one write lock, inside one process and between
processes.

SQLite lets writers wait for its lock by polling (the busy handler sleeps up to 100 ms between
tries), so with many writers the lock sits idle between them and whoever polls at the right
moment goes next: a request can lose over and over while others arrive. The threads of one
process (the server's request threads) therefore queue here in arrival order, and each hands its
turn straight to the next. Between processes (`serve --workers 2`, job workers, the command line)
the turn is an exclusive `flock` on a file beside the database, taken after the in-process turn
and dropped when the transaction ends: a process that waits for it sleeps in the kernel and is
woken the moment it is free, instead of polling while the other process's queue hands SQLite's
lock from thread to thread (two server processes on SQLite had a 3.2 s p99 that way).
py-filelock and portalocker were considered: both wait by polling with a sleep, the very
behaviour this replaces, so the blocking `flock` is called directly (POSIX only, like the
deployment; elsewhere the file lock is skipped and SQLite's busy timeout orders processes).

A `flock` belongs to the open file description, which `fork()` shares with the child (O_CLOEXEC acts
only on exec): the Celery parent writes (its sweeper) while it forks pool children. So the lock is
always let go with an explicit LOCK_UN, which releases it for every copy of the descriptor, and a
forked child forgets the gates it inherited (closing its copies without unlocking the parent's).
"""

import contextlib
import os
import threading
import weakref
from collections import deque
from pathlib import Path

from sqlalchemy.exc import OperationalError

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX
    fcntl = None  # type: ignore[assignment]


def _locked(timeout: float, what: str) -> OperationalError:
    return OperationalError("BEGIN IMMEDIATE", {}, TimeoutError(
        f"database is locked: no turn to write within {timeout:.0f}s ({what})"))


class ProcessLock:
    """An exclusive `flock` on `path` with a bound on the wait. Each attempt opens the file anew:
    a lock belongs to its open file description, so an attempt given up after its timeout (its
    thread still blocked in the kernel) can only ever release its own, never the next holder's."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None  # the holder's descriptor
        self._open: set[int] = set()  # every descriptor of an attempt not yet closed
        self._open_mutex = threading.Lock()

    def _opened(self) -> int:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        with self._open_mutex:
            self._open.add(fd)
        return fd

    def _let_go(self, fd: int, *, locked: bool) -> None:
        try:
            if locked:  # for every copy of the description, a forked child's included
                fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            with self._open_mutex:
                self._open.discard(fd)
            os.close(fd)

    def forget_after_fork(self) -> None:
        """In a forked child: close the copies of the parent's descriptors without unlocking them
        (the parent still holds, or waits for, the lock through its own)."""
        self._open_mutex = threading.Lock()
        for fd in self._open:
            with contextlib.suppress(OSError):
                os.close(fd)
        self._open = set()
        self._fd = None

    def acquire(self, timeout: float) -> None:
        fd = self._opened()
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            pass
        except BaseException:
            self._let_go(fd, locked=False)
            raise
        else:
            self._fd = fd
            return
        mutex, got, gave_up = threading.Lock(), threading.Event(), [False]

        def wait() -> None:  # blocks in the kernel until the holder's descriptor is unlocked
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)
            except OSError:
                self._let_go(fd, locked=False)
                return
            with mutex:
                if gave_up[0]:
                    self._let_go(fd, locked=True)  # too late: this attempt's lock only
                else:
                    got.set()

        threading.Thread(target=wait, name="sqlite-writer-lock", daemon=True).start()
        got.wait(timeout)
        with mutex:
            if not got.is_set():
                gave_up[0] = True
                raise _locked(timeout, f"another process holds {self.path.name}")
        self._fd = fd

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            self._let_go(fd, locked=True)


class WriteGate:
    def __init__(self, lock_path: Path | None = None) -> None:
        self._mutex = threading.Lock()
        self._held = False
        self._waiting: deque[threading.Event] = deque()
        self._process = ProcessLock(lock_path) if lock_path is not None and fcntl is not None else None
        _GATES.add(self)

    def forget_after_fork(self) -> None:
        """In a forked child: no thread of the parent exists here, so no turn is held or awaited
        (a mutex held by a parent thread at the fork would otherwise stay locked for ever)."""
        self._mutex = threading.Lock()
        self._held = False
        self._waiting = deque()
        if self._process is not None:
            self._process.forget_after_fork()

    def acquire(self, timeout: float) -> None:
        self._acquire_here(timeout)
        if self._process is None:
            return
        try:
            self._process.acquire(timeout)
        except BaseException:
            self._release_here()
            raise

    def release(self) -> None:
        if self._process is not None:
            self._process.release()  # other processes first get their chance at the free lock
        self._release_here()

    def _acquire_here(self, timeout: float) -> None:
        with self._mutex:
            if not self._held:
                self._held = True
                return
            turn = threading.Event()
            self._waiting.append(turn)
        if turn.wait(timeout):
            return  # handed over by the previous holder
        with self._mutex:
            if turn in self._waiting:
                self._waiting.remove(turn)
                raise _locked(timeout, "behind this process's other writers")
        # handed over between the timeout and the check: it is ours after all

    def _release_here(self) -> None:
        with self._mutex:
            if self._waiting:
                self._waiting.popleft().set()  # the turn passes on without being free
            else:
                self._held = False


_GATES: "weakref.WeakSet[WriteGate]" = weakref.WeakSet()


def _forget_inherited_gates() -> None:
    for gate in list(_GATES):
        gate.forget_after_fork()


os.register_at_fork(after_in_child=_forget_inherited_gates)
