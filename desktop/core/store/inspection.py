"""Reading a store's version and tables without changing a byte of it.

A store must be refused untouched when it is not ours to change (a newer app's, or another
program's SQLite file). Opening it the normal way is not enough: closing the last connection
checkpoints a write-ahead log into the main file, and even a read-only reader writes its read
marks into the ``-shm`` index. So the file is opened ``immutable`` when it has no log, and when
it has one, a throwaway copy of the main file and its log is read instead. Only when another
process changes the files while they are copied (the copy fails to read) is the store itself
read with ``mode=ro``, which never writes the main file or the log.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path

from desktop.core.store.connection import store_error

#: SQLite's own objects, present in any file; they say nothing about who wrote it.
_SQLITE_INTERNAL = "sqlite_%"


@dataclass(frozen=True)
class StoreHeader:
    """What a store file says about itself: its schema version and the tables it holds."""

    version: int
    tables: tuple[str, ...]


def _read(conn: sqlite3.Connection) -> StoreHeader:
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE ? ORDER BY name",
        (_SQLITE_INTERNAL,),
    ).fetchall()
    return StoreHeader(version, tuple(str(row[0]) for row in rows))


def _read_immutable(path: Path) -> StoreHeader:
    # immutable: no locks, no -shm, no journal; SQLite only reads the main file.
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?immutable=1", uri=True)
    try:
        return _read(conn)
    finally:
        conn.close()


def _read_copy(path: Path, wal: Path) -> StoreHeader:
    # The copy gets no -shm: SQLite rebuilds the index from the copied log.
    with tempfile.TemporaryDirectory(prefix="store-check-", dir=path.parent) as folder:
        copy = Path(folder) / path.name
        shutil.copyfile(path, copy)
        shutil.copyfile(wal, copy.with_name(f"{copy.name}-wal"))
        conn = sqlite3.connect(copy)
        try:
            return _read(conn)
        finally:
            conn.close()


def _read_only(path: Path) -> StoreHeader:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return _read(conn)
    finally:
        conn.close()


def read_header(path: Path) -> StoreHeader:
    """The version and tables of the store at *path*, leaving its files byte-for-byte as they
    were. A missing or empty file reads as a new store. Raises ``UserError``."""
    wal = path.with_name(f"{path.name}-wal")
    try:
        has_log = wal.exists() and wal.stat().st_size > 0
        if not has_log and (not path.exists() or path.stat().st_size == 0):
            return StoreHeader(0, ())
        if not has_log:
            return _read_immutable(path)
        try:
            return _read_copy(path, wal)
        except (sqlite3.Error, FileNotFoundError):
            # Another process checkpointed or rewrote the log while it was copied.
            return _read_only(path)
    except sqlite3.Error as exc:
        raise store_error(exc, path) from exc
    except OSError as exc:
        raise store_error(sqlite3.OperationalError(f"unable to open: {exc}"), path) from exc
