"""Opening the SQLite store: pragmas, transactions, and errors a technician understands.

Every connection turns on foreign keys and a busy timeout (so two windows, or the GUI and the
CLI, wait for each other instead of failing), and the store runs in WAL mode so readers never
block the writer. Writes go through :func:`transaction`, which takes the write lock up front
(``BEGIN IMMEDIATE``) so a read-then-write cannot deadlock with another process.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from desktop.core.disk import disk_full_error
from desktop.core.errors import UserError
from desktop.core.store.disk_full import is_full_sqlite_error
from desktop.core.timestamps import from_utc_text, to_utc_text

#: How long a connection waits for another process's write lock before giving up.
DEFAULT_BUSY_TIMEOUT_S = 10.0


def connect(path: Path, *, busy_timeout_s: float = DEFAULT_BUSY_TIMEOUT_S) -> sqlite3.Connection:
    """Open *path* with the store's pragmas. Transactions are explicit (autocommit mode)."""
    try:
        conn = sqlite3.connect(path, timeout=busy_timeout_s, isolation_level=None)
    except sqlite3.Error as exc:
        raise store_error(exc, path) from exc
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_s * 1000)}")
    except sqlite3.Error as exc:
        conn.close()
        raise store_error(exc, path) from exc
    return conn


def enable_wal(conn: sqlite3.Connection, path: Path) -> None:
    """Switch the store to WAL with NORMAL sync (durable at checkpoints, never corrupt)."""
    try:
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        conn.execute("PRAGMA synchronous = NORMAL")
    except sqlite3.Error as exc:
        raise store_error(exc, path) from exc
    if str(mode).lower() != "wal":
        raise UserError(
            f"The store {path} cannot use write-ahead logging (journal mode is {mode}).",
            remedy="Keep the data folder on a local disk, not a network share.",
        )


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """Run the block as one write transaction: all of it is committed, or none of it."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
        conn.execute("COMMIT")
    except BaseException:
        _rollback(conn)
        raise


def _rollback(conn: sqlite3.Connection) -> None:
    """Undo the open transaction without hiding the failure that caused it.

    After some errors (a full disk, an I/O error) SQLite has already rolled back, and our own
    ROLLBACK would replace the real cause with "no transaction is active".
    """
    if not conn.in_transaction:
        return
    # The caller re-raises the original failure, which is the one that matters.
    with suppress(sqlite3.Error):
        conn.execute("ROLLBACK")


def store_error(exc: sqlite3.Error, path: Path) -> UserError:
    """Translate an SQLite failure into what happened and what to do."""
    text = str(exc).lower()
    if is_full_sqlite_error(exc, path):
        return disk_full_error(
            path,
            lost_nothing="The change was not saved; everything saved before is still there.",
            detail=str(exc),
        )
    if "locked" in text or "busy" in text:
        return UserError(
            f"The store {path} is locked by another program.",
            remedy="Close other windows of App Profile Manager (or the program holding the "
            "file) and try again. Nothing was changed.",
            detail=str(exc),
        )
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return UserError(
            f"The store {path} is damaged and cannot be read. It has not been changed.",
            remedy="Restore a copy from the backups folder next to it, or move the file away "
            "to start with an empty store.",
            detail=str(exc),
        )
    if "readonly" in text or "read-only" in text or "unable to open" in text:
        return UserError(
            f"The store {path} cannot be opened for writing.",
            remedy="Check the data folder's permissions and free space.",
            detail=str(exc),
        )
    return UserError(
        f"The store {path} could not be used: {exc}.",
        # Not "restore a backup": backups are taken before migrations only, and replacing the
        # store with one would lose everything saved since.
        remedy="Try again. If it keeps failing, check the disk, and keep the file: it holds "
        "your data.",
        detail=str(exc),
    )


#: The store keeps times as ISO 8601 UTC text (see :mod:`desktop.core.timestamps`).
to_db_time = to_utc_text
from_db_time = from_utc_text
