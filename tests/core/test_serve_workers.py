"""`dossier serve --workers N`: uvicorn's supervisor pings every server process and kills one
that does not answer within its healthcheck timeout. Its own default (5 s) killed a process that
was merely busy on a loaded machine, with its requests in flight: the 32-writer test lost one on
a 2-core machine at load average 12 ("Child process … died" in the server log). The service sets
the timeout (DOSSIER_WORKER_HEALTHCHECK_SECONDS, 60 s): a process that cannot answer for 8 s,
longer than uvicorn's own limit, is still the same process afterwards and still serves.

The stalled process is stopped with SIGSTOP, as a starved one stalls; the outcome does not
depend on this machine's speed (8 s against 5 s without the setting, against 60 s with it)."""

import os
import signal
import time
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from service.core.settings import Settings
from tests.live import listening, own_database, running_server, wait_until

SHARED_LIMITS = os.environ.get("DOSSIER_TEST_LIMITS_URL", "async+redis://127.0.0.1:6379/13")
STALL_SECONDS = 8.0  # longer than uvicorn's own healthcheck timeout (5 s)


def _children(pid: int) -> list[int]:
    """The server processes the supervisor started (not multiprocessing's resource tracker)."""
    found = []
    for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
        try:
            if b"spawn_main" in Path(f"/proc/{child}/cmdline").read_bytes():
                found.append(int(child))
        except OSError:
            continue
    return sorted(found)


def _supervisor(port: int) -> int:
    """The `dossier serve` process listening on the port (the supervisor of its workers)."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"serve" in argv and str(port).encode() in argv:
            return int(entry.name)
    raise AssertionError(f"no `dossier serve` process for port {port}")


def test_a_server_process_that_stalls_for_a_while_is_not_killed_by_its_supervisor(tmp_path):
    if not listening(SHARED_LIMITS.removeprefix("async+")):
        pytest.skip("no Redis for the shared rate limits of two server processes")
    settings = Settings(database_url=own_database(tmp_path, "stall"), storage_dir=tmp_path / "store")
    log = tmp_path / "server.log"
    with running_server(settings, log, workers=2, DOSSIER_RATE_LIMIT_STORAGE=SHARED_LIMITS) as base:
        supervisor = _supervisor(urlsplit(base).port or 0)
        workers = wait_until(lambda: (found := _children(supervisor)) and len(found) == 2 and found,
                             "two server processes")
        os.kill(workers[0], signal.SIGSTOP)
        try:
            time.sleep(STALL_SECONDS)
        finally:
            try:
                os.kill(workers[0], signal.SIGCONT)
            except ProcessLookupError:
                pytest.fail(f"the supervisor killed the stalled server process:\n{log.read_text()[-2000:]}")
        for _ in range(10):  # either process may take a request: both answer
            assert httpx.get(base + "/healthz", timeout=60).status_code == 200
        assert _children(supervisor) == workers
        # Read while the server runs: stopping it signals its whole process group, and a server
        # process that exits on that signal before its supervisor handles its own is logged as
        # "died" (and replaced) by the supervisor's keep-alive loop; that is the stop, not a stall.
        assert "died" not in log.read_text()
