"""SQLite under concurrent writers: writers queue for the write lock instead of failing, and a
reader that turns writer (a GET that audits a download) does so against the current database."""

import sys
import threading

import pytest

from service.audit import service as audit
from service.core.db import unit_of_work
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
