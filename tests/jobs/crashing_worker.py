"""`dossier worker` whose job process is killed (SIGKILL) at a batch's Nth chunk commit, once.

At that moment the chunk's rows are flushed and its files are in the store, but nothing of it is
committed: the hardest place for a batch to be interrupted. The kill is placed, not timed: the
test that starts this worker (test_batch_chunks) knows exactly what the batch had committed.

    CRASH_MARKER=/tmp/x CRASH_AT_STEP=2 python tests/jobs/crashing_worker.py

CRASH_MARKER is written with the killed process's id just before the kill; while it exists no
process of this worker is killed again.
"""

import os
import signal
import sys
from pathlib import Path
from typing import Any


def main() -> None:
    marker = Path(os.environ["CRASH_MARKER"])
    at_step = int(os.environ.get("CRASH_AT_STEP", "2"))
    from service.documents import jobs as batch_jobs

    commit = batch_jobs.commit_step
    steps = [0]  # per process: the Celery pool child forks after this patch, with its own count

    def commit_or_die(*args: Any, **kwargs: Any) -> None:
        steps[0] += 1
        if steps[0] == at_step and not marker.exists():
            marker.write_text(str(os.getpid()))
            os.kill(os.getpid(), signal.SIGKILL)
        commit(*args, **kwargs)

    batch_jobs.commit_step = commit_or_die  # type: ignore[assignment]
    from service.cli import app

    sys.argv = ["dossier", "worker", "--concurrency", "1"]
    app()


if __name__ == "__main__":
    main()
