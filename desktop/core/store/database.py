"""The store as a whole: open (with migrations) once, then hand out short-lived connections.

:class:`Store` is the SQLite :class:`~desktop.core.storage.interface.Repository`.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.core.changes import POLL_INTERVAL_S, ChangeEntry, ChangeFeed, local_actor
from desktop.core.domain import utc_now
from desktop.core.paths import DataPaths
from desktop.core.store.connection import (
    DEFAULT_BUSY_TIMEOUT_S,
    connect,
    enable_wal,
    store_error,
    transaction,
)
from desktop.core.store.inspection import read_header
from desktop.core.store.repository import SqliteUnitOfWork, latest_seq, read_log, write_log
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
        self.feed = ChangeFeed()
        #: Who this process's changes are made by.
        self.actor = local_actor()

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

    @contextmanager
    def unit_of_work(self) -> Iterator[SqliteUnitOfWork]:
        """One write transaction (``BEGIN IMMEDIATE``); its changes are logged in it and
        published to :attr:`feed` after the commit."""
        with self.connection() as conn, transaction(conn):
            uow = SqliteUnitOfWork(conn, writable=True, actor=self.actor)
            yield uow
            entries = write_log(conn, uow.pending, self.actor, utc_now())
        if entries:
            self.feed.publish(entries)

    @contextmanager
    def reading(self) -> Iterator[SqliteUnitOfWork]:
        """Reads outside a write transaction."""
        with self.connection() as conn:
            yield SqliteUnitOfWork(conn, writable=False)

    def latest_seq(self) -> int:
        with self.connection() as conn:
            return latest_seq(conn)

    def changes_since(self, seq: int, limit: int = 1000) -> list[ChangeEntry]:
        with self.connection() as conn:
            return read_log(conn, seq, limit)

    def wait_for_changes(self, seq: int, timeout: float) -> None:
        """SQLite cannot push: sleep one poll interval (the watcher reads the log after)."""
        time.sleep(min(timeout, POLL_INTERVAL_S))


if TYPE_CHECKING:
    from desktop.core.storage.interface import Repository

    def _is_a_repository(store: Store) -> Repository:
        """mypy checks here that the SQLite store keeps to the storage interface."""
        return store
