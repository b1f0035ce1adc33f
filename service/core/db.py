"""Database plumbing: the declarative base, exact column types, engine and sessions."""

import os
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from decimal import Decimal
from enum import StrEnum
from functools import lru_cache, partial
from pathlib import Path
from typing import Any, ClassVar

from sqlalchemy import JSON, DateTime, Dialect, Enum, MetaData, Numeric, String, create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

from service.core.writegate import WriteGate

# The range of an integer primary key (PostgreSQL INTEGER): an id past it names no row, and
# PostgreSQL would refuse the query itself rather than find nothing.
MAX_ROW_ID = 2**31 - 1

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, list[Any]: JSON}


class _ExactDecimal(TypeDecorator[Decimal]):
    """NUMERIC on PostgreSQL; text on SQLite, whose NUMERIC is a float in disguise."""

    impl = String
    cache_ok = True
    precision = 18
    scale = 2

    def load_dialect_impl(self, dialect: Dialect) -> Any:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(String(40))
        return dialect.type_descriptor(Numeric(self.precision, self.scale, asdecimal=True))

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if not isinstance(value, Decimal):
            raise TypeError(f"exact column needs Decimal, got {type(value).__name__}")
        return str(value) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        return None if value is None else Decimal(str(value))


class Money(_ExactDecimal):
    """Money in yuan (or dollars) with cents: NUMERIC(18, 2)."""

    cache_ok = True


class Rate(_ExactDecimal):
    """An annual rate as a fraction (0.18 = 18 % a year): NUMERIC(12, 8)."""

    cache_ok = True
    precision = 12
    scale = 8


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in and out, whatever the backend keeps."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime refused: pass an aware datetime")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def text_enum(enum: type[StrEnum], length: int) -> Enum:
    """A StrEnum column stored as its value in VARCHAR(length), read back as the member.

    No database enum type and no CHECK constraint: the column stays the plain text column the
    migrations made, so adding a member needs no migration; an unknown value fails at flush."""
    return Enum(enum, native_enum=False, create_constraint=False, length=length, validate_strings=True,
                values_callable=lambda members: [m.value for m in members])


# How long a SQLite writer waits for the single write lock before it gives up ("database is
# locked"). Write transactions are short (rendering and other slow work happen before them or
# outside them), so this is a ceiling for a queue of writers, not the length of one.
SQLITE_BUSY_TIMEOUT_MS = 60_000
_BEGIN = "sqlite_begin"  # execution option: "IMMEDIATE" (write sessions) or "DEFERRED" (the default)


def _sqlite_connect(gate: WriteGate, dbapi_conn: Any, record: Any) -> None:
    record.info["write_gate"] = gate
    # Let SQLAlchemy, not pysqlite, decide when transactions begin (the documented recipe), so
    # SAVEPOINT works and BEGIN IMMEDIATE can be chosen.
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")  # readers never wait for the writer, nor it for them
    cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cur.close()


def _sqlite_begin(conn: Any) -> None:
    """Write transactions take SQLite's one write lock when they start (BEGIN IMMEDIATE), where the
    busy timeout queues them. A deferred transaction that reads first and writes later cannot
    wait there: SQLite refuses its upgrade at once ("database is locked") when another writer
    holds the lock or committed since it began reading. Sessions that write (`session_factory`,
    `unit_of_work`) begin IMMEDIATE; reads, and plain connections (health checks, migrations),
    begin DEFERRED and run beside the writer (WAL); `ensure_writing` turns a read session into a
    writer before its first write."""
    mode = conn.get_execution_options().get(_BEGIN, "DEFERRED")
    if mode == "IMMEDIATE":
        _begin_immediate(conn)
    else:
        conn.exec_driver_sql("BEGIN")
        conn.info["sqlite_writing"] = False


def _begin_immediate(conn: Any) -> None:
    """Queue for this process's turn (writegate), then for SQLite's lock (busy timeout)."""
    gate: WriteGate | None = conn.info.get("write_gate")
    if gate is not None and not conn.info.get("gate_held"):
        gate.acquire(SQLITE_BUSY_TIMEOUT_MS / 1000)
        conn.info["gate_held"] = True
    try:
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    except BaseException:
        _release_gate(conn)
        raise
    conn.info["sqlite_writing"] = True


def _release_gate(conn: Any, *_: Any) -> None:
    info = conn.info if hasattr(conn, "info") else {}
    if info.pop("gate_held", False):
        info["write_gate"].release()


def ensure_writing(session: Session) -> None:
    """Before a read-only session (a GET, a job's reading phase) writes: on SQLite, end its read
    snapshot and start a write transaction. Nothing was written yet, so nothing is lost; what it
    writes next is decided against the current database (the audit head is read after this).
    No-op on PostgreSQL and for sessions that began as writers."""
    if not session.info.get("read_only"):
        return
    conn = session.connection()
    if conn.dialect.name != "sqlite" or conn.info.get("sqlite_writing", True):
        return
    if conn.in_nested_transaction():
        raise RuntimeError("a read-only SQLite session cannot start writing inside a savepoint")
    conn.exec_driver_sql("COMMIT")
    _begin_immediate(conn)


@event.listens_for(Session, "before_flush")
def _write_before_flush(session: Session, _ctx: Any, _instances: Any) -> None:
    if session.info.get("read_only") and (session.new or session.dirty or session.deleted):
        ensure_writing(session)


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1].split("?", 1)[0]
        on_disk = bool(path) and path != ":memory:" and not path.startswith("file:")
        if on_disk:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        # Writers wait their turn at the write gate (and SQLite's busy timeout), never for a pooled
        # connection: the pool holds as many as a server has request threads (anyio's 40) and
        # background threads, so a burst of writers on a busy machine queues where its wait is
        # bounded by the busy timeout, not by the pool's 30 s (it answered 500 to 32 writers).
        engine = create_engine(url, connect_args={"check_same_thread": False,
                                                  "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
                               pool_size=5, max_overflow=60, pool_timeout=SQLITE_BUSY_TIMEOUT_MS / 1000)
        # processes writing one database file queue for it through a lock file beside it
        gate = WriteGate(Path(f"{path}-writer.lock") if on_disk else None)
        event.listen(engine, "connect", partial(_sqlite_connect, gate))
        event.listen(engine, "begin", _sqlite_begin)
        for done in ("commit", "rollback"):  # the turn passes on as the transaction ends
            event.listen(engine, done, _release_gate)
        event.listen(engine.pool, "checkin", lambda _dbapi, record: _release_gate(record))  # a backstop
        return engine
    # Each statement is planned for its own values: psycopg prepares a statement run five times,
    # and PostgreSQL's generic plan for the case list's search (LIKE '%' || $1 || '%') cannot use
    # the trigram index, so a search fell from 2 ms to a whole-table scan of 100 ms from the sixth
    # page on (bench/bench_caselist.py).
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20, pool_timeout=60,
                         connect_args={"options": "-c plan_cache_mode=force_custom_plan"})


_SHARED: "weakref.WeakSet[Engine]" = weakref.WeakSet()


def _forget_inherited_connections() -> None:
    """In a forked child (a Celery pool worker, a forked process), the pooled connections are the
    parent's sockets: using them from both sides corrupts the parent's transactions ("connection in
    transaction status INTRANS") and a child killed mid-query breaks the parent's connection. The
    child drops the parent's pool without closing it (SQLAlchemy's documented recipe) and connects
    anew on first use."""
    for engine in list(_SHARED):
        engine.dispose(close=False)


os.register_at_fork(after_in_child=_forget_inherited_connections)


@lru_cache
def engine_for(url: str) -> Engine:
    engine = make_engine(url)
    _SHARED.add(engine)
    return engine


@lru_cache
def _factory(url: str, write: bool) -> sessionmaker[Session]:
    engine = engine_for(url)
    bind = engine.execution_options(**{_BEGIN: "IMMEDIATE" if write else "DEFERRED"})
    return sessionmaker(bind=bind, expire_on_commit=False, info={"read_only": not write})


def session_factory(url: str, *, write: bool = True) -> sessionmaker[Session]:
    """Sessions whose transactions write (the default) or only read (``write=False``: on SQLite
    they do not take the write lock until `ensure_writing`)."""
    return _factory(url, write)


@contextmanager
def unit_of_work(url: str, *, write: bool = True) -> Iterator[Session]:
    """One transaction: commit at the boundary, roll back on any error."""
    session = session_factory(url, write=write)()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
