"""A first-come, first-served queue for SQLite's one write lock, inside one process.

SQLite lets writers wait for its lock by polling (the busy handler sleeps up to 100 ms between
tries), so with many writers the lock sits idle between them and whoever polls at the right
moment goes next: a request can lose over and over while others arrive. The threads of one
process (the server's request threads) therefore queue here in arrival order, and each hands the
lock straight to the next; the busy timeout still orders this process against others (job
workers, the command line).
"""

import threading
from collections import deque

from sqlalchemy.exc import OperationalError


class WriteGate:
    def __init__(self) -> None:
        self._mutex = threading.Lock()
        self._held = False
        self._waiting: deque[threading.Event] = deque()

    def acquire(self, timeout: float) -> None:
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
                raise OperationalError("BEGIN IMMEDIATE", {}, TimeoutError(
                    f"database is locked: no turn to write within {timeout:.0f}s"))
        # handed over between the timeout and the check: it is ours after all

    def release(self) -> None:
        with self._mutex:
            if self._waiting:
                self._waiting.popleft().set()  # the lock passes on without being free
            else:
                self._held = False
