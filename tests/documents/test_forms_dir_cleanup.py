"""The render pool's shared-forms directory left behind by an owner process that was killed
(a real SIGKILL, not a mock) is removed when the next pool starts; the directories of live
processes stay."""

import os
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from service.core.settings import Settings
from service.documents import bulk

OWNER = """
import sys
from pathlib import Path
from service.documents import bulk
pool = bulk.get_pool(1, Path(sys.argv[1]))
print(bulk._FORMS_DIRS[pool], flush=True)
sys.stdin.read()  # until killed
"""


@pytest.fixture
def own_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A temporary directory of the test's own for the pools (this process's and a child's)."""
    bulk.shutdown()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    yield tmp_path
    bulk.shutdown()


def _killed_owner_dir(settings: Settings, tmp: Path) -> Path:
    """A process that started a pool, then was killed: the forms directory it left."""
    env = {**os.environ, "TMPDIR": str(tmp)}
    owner = subprocess.Popen([sys.executable, "-c", OWNER, str(settings.templates_dir)], env=env,
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert owner.stdout is not None
    forms_dir = Path(owner.stdout.readline().strip())
    owner.send_signal(signal.SIGKILL)
    assert owner.wait() == -signal.SIGKILL
    return forms_dir


def test_a_killed_owner_s_forms_directory_is_removed_when_a_pool_starts(settings, own_tmp):
    left = _killed_owner_dir(settings, own_tmp)
    assert left.parent == own_tmp and left.is_dir()  # the killed process could not remove it
    (left / "0123.form").write_bytes(b"a form")
    live = own_tmp / f"{bulk.FORMS_PREFIX}{os.getpid()}-abc"  # this (live) process's
    unnamed = own_tmp / f"{bulk.FORMS_PREFIX}abc"  # no owner in its name: not ours to judge
    live.mkdir()
    unnamed.mkdir()

    pool = bulk.get_pool(1, settings.templates_dir)

    assert not left.exists()
    assert live.is_dir() and unnamed.is_dir()
    made = Path(bulk._FORMS_DIRS[pool])
    assert made.parent == own_tmp and made.name.startswith(f"{bulk.FORMS_PREFIX}{os.getpid()}-")
    bulk.shutdown()
    assert not made.exists()


def test_only_the_dead_owners_directories_are_removed(settings, own_tmp):
    left = _killed_owner_dir(settings, own_tmp)
    live = own_tmp / f"{bulk.FORMS_PREFIX}{os.getpid()}-abc"
    live.mkdir()
    assert bulk.remove_stale_forms_dirs(own_tmp) == [left]
    assert bulk.remove_stale_forms_dirs(own_tmp) == []
    assert live.is_dir()
