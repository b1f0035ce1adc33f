"""Alembic environment: the URL comes from the caller's config, never from a global."""

from alembic import context

import service.models  # noqa: F401  (registers every table)
from service.core.db import Base, make_engine

config = context.config
target_metadata = Base.metadata


def run_migrations_offline() -> None:
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=target_metadata,
                      literal_binds=True, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(config.get_main_option("sqlalchemy.url") or "")
    try:
        with engine.connect() as conn:
            _run(conn)
    finally:
        engine.dispose()


def _run(connection) -> None:  # type: ignore[no-untyped-def]
    # SQLite: a batch operation that drops a column copies the table, drops the old one and renames
    # the copy, and with foreign keys on, dropping a table other rows refer to fails ("FOREIGN KEY
    # constraint failed" on a database that holds cases). SQLite's own recipe for altering a table
    # (https://www.sqlite.org/lang_altertable.html, "other kinds of table schema changes"): foreign
    # keys off outside the transaction, `PRAGMA foreign_key_check` before it commits, on again after.
    # The pragma is a no-op inside a transaction, so it goes to the driver before SQLAlchemy begins.
    driver = connection.connection.driver_connection if _sqlite_idle(connection) else None
    if driver is not None:
        driver.execute("PRAGMA foreign_keys=OFF")
    try:
        context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
        with context.begin_transaction():
            before = _dangling(connection) if driver is not None else set()
            context.run_migrations()
            if driver is not None and (broken := _dangling(connection) - before):
                raise RuntimeError(f"the migration left rows whose foreign keys point nowhere: {sorted(broken)[:5]}")
    finally:
        if driver is not None:
            driver.execute("PRAGMA foreign_keys=ON")


def _dangling(connection) -> set[tuple[str, int, str]]:  # type: ignore[no-untyped-def]
    """Rows whose foreign key points nowhere (table, rowid, parent): only those a migration adds
    stop it; a database that already held some (written with foreign keys off) still upgrades."""
    return {(row[0], row[1], row[2]) for row in connection.exec_driver_sql("PRAGMA foreign_key_check").all()}


def _sqlite_idle(connection) -> bool:  # type: ignore[no-untyped-def]
    return connection.dialect.name == "sqlite" and not connection.in_transaction()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
