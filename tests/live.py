"""A committed database of a test's own and the real server running on it, for tests that watch
the service as clients see it (concurrency, killed workers). Nothing here rolls back.

On SQLite the database is a file in the test's temporary directory. When the suite runs on
PostgreSQL (DOSSIER_DATABASE_URL), each such test gets a database of its own next to the
suite's, named after it (`<suite database>_<name>`), dropped and created afresh.
"""

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from service.core.migrate import upgrade
from service.core.settings import Settings


def own_database(tmp: Path, name: str) -> str:
    """A migrated, empty database for one test; its URL."""
    suite_url = os.environ.get("DOSSIER_DATABASE_URL", "")
    if not suite_url.startswith("postgresql"):
        url = f"sqlite:///{tmp / (name + '.db')}"
    else:
        url = fresh_postgresql_database(suite_url, name)
    upgrade(url)
    return url


def fresh_postgresql_database(suite_url: str, name: str) -> str:
    """`<suite database>_<name>` on the suite's server, dropped and created empty; its URL."""
    suite = make_url(suite_url)
    own = suite.set(database=f"{suite.database}_{name}")
    admin = create_engine(suite, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{own.database}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{own.database}"'))
    admin.dispose()
    return own.render_as_string(hide_password=False)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def service_env(settings: Settings, **extra: str) -> dict[str, str]:
    return {**os.environ, "DOSSIER_DATABASE_URL": settings.database_url,
            "DOSSIER_STORAGE_DIR": str(settings.storage_dir), "DOSSIER_EXECUTOR": settings.executor,
            "DOSSIER_BROKER_URL": settings.broker_url, "DOSSIER_LOCAL_WORKERS": str(settings.local_workers),
            **extra}


def wait_until(condition: Callable[[], object], what: str, timeout: float = 300, every: float = 0.2) -> object:
    """Poll a condition until it holds (returns something true); fail naming it after `timeout`.
    The timeout is a ceiling for a stuck system, not an estimate of speed."""
    deadline = time.monotonic() + timeout
    while True:
        found = condition()
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting after {timeout:.0f}s: {what}")
        time.sleep(every)


def stop(process: subprocess.Popen[bytes], grace: float = 30) -> None:
    """Stop a process group this test started (the server and its pool workers)."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=grace)


@contextmanager
def running_server(settings: Settings, log: Path, *, workers: int = 1, **env: str) -> Iterator[str]:
    """`dossier serve` on a free loopback port, as `make run` starts it (with `workers` server
    processes); yields its base URL."""
    port = free_port()
    with log.open("wb") as out:
        process = subprocess.Popen([sys.executable, "-m", "service.cli", "serve", "--port", str(port),
                                    "--workers", str(workers)],
                                   env=service_env(settings, **env), stdout=out, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    base = f"http://127.0.0.1:{port}"

    def up() -> bool:
        if process.poll() is not None:
            raise AssertionError(f"the server exited ({process.returncode}):\n{log.read_text()[-4000:]}")
        try:
            return httpx.get(base + "/healthz", timeout=5).status_code == 200
        except httpx.HTTPError:
            return False

    try:
        wait_until(up, "the server to answer /healthz")
        yield base
    finally:
        stop(process)


# The brokers of the Celery tests: Redis db 15 and RabbitMQ's default vhost unless set otherwise
# (two test runs sharing one broker would take each other's tasks).
TEST_BROKERS = {
    "redis": os.environ.get("DOSSIER_TEST_REDIS_URL", "redis://127.0.0.1:6379/15"),
    "rabbitmq": os.environ.get("DOSSIER_TEST_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672//"),
}


def listening(url: str) -> bool:
    """Something accepts connections at the URL's host and port."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    default = {"redis": 6379, "amqp": 5672, "postgresql": 5432}.get(parts.scheme.split("+")[0], 0)
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex((parts.hostname or "127.0.0.1", parts.port or default)) == 0
