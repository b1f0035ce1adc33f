"""SQLite under concurrent writers: writers queue for the write lock instead of failing, and a
reader that turns writer (a GET that audits a download) does so against the current database."""

import fcntl
import os
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError

from service.audit import service as audit
from service.core.db import unit_of_work
from service.core.writegate import WriteGate
from tests.live import own_database, wait_until


def _running(function: str) -> bool:
    for frame in sys._current_frames().values():
        while frame is not None:
            if frame.f_code.co_name == function:
                return True
            frame = frame.f_back  # type: ignore[assignment]
    return False


@pytest.fixture
def url(tmp_path):
    url = own_database(tmp_path, "db")
    if not url.startswith("sqlite"):
        pytest.skip("SQLite's locking")
    return url


def test_a_second_writer_waits_for_the_first_instead_of_failing(url):
    errors: list[BaseException] = []

    def second() -> None:
        try:
            with unit_of_work(url) as s:
                audit.record(s, actor="t", action="second", object_type="t", object_id=2)
        except BaseException as exc:  # reported below
            errors.append(exc)

    with unit_of_work(url) as s:
        s.connection()  # the write transaction begins: it holds the lock
        audit.record(s, actor="t", action="first", object_type="t", object_id=1)
        waiting = threading.Thread(target=second)
        waiting.start()
        wait_until(lambda: _running("_sqlite_begin"), "the second writer to queue for the lock")
    waiting.join()
    assert not errors, errors
    with unit_of_work(url, write=False) as s:
        assert audit.verify(s) == (2, None)


def test_a_reader_that_writes_after_another_commit_appends_to_the_current_head(url):
    with unit_of_work(url) as s:
        audit.record(s, actor="t", action="before", object_type="t", object_id=0)
    with unit_of_work(url, write=False) as reader:
        assert audit.verify(reader) == (1, None)  # the reader's snapshot has one event
        with unit_of_work(url) as writer:
            audit.record(writer, actor="t", action="meanwhile", object_type="t", object_id=1)
        audit.record(reader, actor="t", action="download", object_type="t", object_id=2)
    with unit_of_work(url, write=False) as s:
        assert audit.verify(s) == (3, None)


def _blocked_on(path: Path) -> bool:
    """Whether some process waits in the kernel for an flock on `path` (/proc/locks lists a
    blocked request as "-> FLOCK ..." with the file's device and inode)."""
    inode = f":{os.stat(path).st_ino} "
    return any(line.split(":", 1)[-1].lstrip().startswith("->") and "FLOCK" in line and inode in line
               for line in Path("/proc/locks").read_text().splitlines())


def test_a_writer_in_another_process_waits_in_the_kernel_for_the_lock_file_then_writes(url, tmp_path):
    """Two processes on one SQLite file queue through the lock file beside it: the other process's
    writer sleeps on its flock (no polling, so it cannot lose to this process's queue over and
    over) and writes as soon as this process's transaction ends."""
    db_path = Path(url.split("///", 1)[1])
    lock = Path(f"{db_path}-writer.lock")
    other = textwrap.dedent(f"""
        import service.models  # every table, as the service loads them
        from service.audit import service as audit
        from service.core.db import unit_of_work
        with unit_of_work({url!r}) as s:
            audit.record(s, actor="other", action="second", object_type="t", object_id=2)
    """)
    with unit_of_work(url) as s:
        s.connection()  # this process holds its turn and SQLite's lock
        audit.record(s, actor="t", action="first", object_type="t", object_id=1)
        assert lock.exists()
        child = subprocess.Popen([sys.executable, "-c", other], cwd=Path(__file__).resolve().parents[2])
        wait_until(lambda: _blocked_on(lock), "the other process to wait for the lock file")
        assert child.poll() is None
    assert child.wait(timeout=300) == 0
    with unit_of_work(url, write=False) as s:
        assert audit.verify(s) == (2, None)


def test_a_writer_that_gives_up_on_the_lock_file_leaves_it_to_the_next(tmp_path):
    """A turn not given within the timeout is refused naming the lock, and the abandoned wait
    cannot take or release anyone else's turn later."""
    lock = tmp_path / "x.db-writer.lock"
    gate = WriteGate(lock)
    holder = os.open(lock, os.O_RDWR | os.O_CREAT)
    fcntl.flock(holder, fcntl.LOCK_EX)  # another process, as far as flock can tell
    with pytest.raises(OperationalError, match=r"another process holds x\.db-writer\.lock"):
        gate.acquire(0.2)
    os.close(holder)
    gate.acquire(300)  # the abandoned attempt may take the lock first: it lets go at once
    probe = os.open(lock, os.O_RDWR)
    with pytest.raises(BlockingIOError):
        fcntl.flock(probe, fcntl.LOCK_EX | fcntl.LOCK_NB)  # the gate really holds it
    gate.release()
    fcntl.flock(probe, fcntl.LOCK_EX | fcntl.LOCK_NB)
    os.close(probe)


def _forked(child) -> int:  # type: ignore[no-untyped-def]
    """Run `child()` in a forked process (as Celery's prefork pool does) and return its exit code."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child's lines run in the other process
        code = 1
        try:
            code = child()
        finally:
            os._exit(code)
    return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])


def test_a_forked_child_neither_keeps_nor_inherits_the_writer_lock(tmp_path):
    """The Celery parent (its sweeper) may hold the lock file while it forks a pool child: the
    child's copy of the descriptor must not keep the lock after the parent lets go, and the child
    starts with the gate free (no inherited turn, no stranded waiter)."""
    lock = tmp_path / "x.db-writer.lock"
    gate = WriteGate(lock)
    gate.acquire(300)
    ready_r, ready_w = os.pipe()
    go_r, go_w = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child: it lives on while the parent releases
        os.close(ready_r)
        os.close(go_w)
        os.write(ready_w, b"1")
        os.read(go_r, 1)
        os._exit(0)
    os.close(ready_w)
    os.close(go_r)
    try:
        os.read(ready_r, 1)
        gate.release()
        probe = os.open(lock, os.O_RDWR)
        fcntl.flock(probe, fcntl.LOCK_EX | fcntl.LOCK_NB)  # raised BlockingIOError before the fix
        fcntl.flock(probe, fcntl.LOCK_UN)
        os.close(probe)
    finally:
        os.write(go_w, b"1")
        os.waitpid(pid, 0)

    gate.acquire(300)  # held while forking: the child's own writes must not wait for the parent's turn
    try:
        def child() -> int:
            own = WriteGate(None)  # another gate of the child, unaffected
            own.acquire(1)
            own.release()
            return 0 if not gate._held and gate._process is not None and gate._process._fd is None else 3
        assert _forked(child) == 0
    finally:
        gate.release()
