"""The store as a whole: open (with migrations) once, then hand out short-lived connections."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from desktop.core.paths import DataPaths
from desktop.core.store.connection import (
    DEFAULT_BUSY_TIMEOUT_S,
    connect,
    enable_wal,
    store_error,
)
from desktop.core.store.inspection import read_header
from desktop.core.store.schema import check_ours, migrate


class Store:
    """The SQLite file of customers, tenants and profiles.

    Connections are opened per operation and closed after it: SQLite connections belong to one
    thread, and operations run on the GUI's worker threads as well as in the CLI.
    """

    def __init__(self, path: Path, *, busy_timeout_s: float = DEFAULT_BUSY_TIMEOUT_S) -> None:
        self.path = path
        self.busy_timeout_s = busy_timeout_s
        self.last_backup: Path | None = None

    @classmethod
    def open(cls, paths: DataPaths, *, busy_timeout_s: float = DEFAULT_BUSY_TIMEOUT_S) -> Store:
        """Open the store under *paths*, migrating it first. Raises ``UserError``."""
        store = cls(paths.store, busy_timeout_s=busy_timeout_s)
        store.prepare(paths.backups)
        return store

    def prepare(self, backups: Path) -> None:
        """Check the version, switch to WAL and migrate, touching nothing on a refusal."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # Read without writing until the file is known to be ours: even closing a normal
        # connection checkpoints a log into the main file.
        header = read_header(self.path)
        check_ours(header.version, header.tables, self.path)
        conn = connect(self.path, busy_timeout_s=self.busy_timeout_s)
        try:
            enable_wal(conn, self.path)
            self.last_backup = migrate(conn, self.path, backups)
        finally:
            conn.close()

    @contextmanager
    def connection(self) -> Iterator[sqlite3.Connection]:
        """A connection for one operation; SQLite errors come out as ``UserError``."""
        conn = connect(self.path, busy_timeout_s=self.busy_timeout_s)
        try:
            yield conn
        except sqlite3.Error as exc:
            raise store_error(exc, self.path) from exc
        finally:
            conn.close()
