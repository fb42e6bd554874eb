"""The team database as a whole: the PostgreSQL :class:`Repository`.

Units of work borrow a connection from a small pool (connections are kept open, since a
PostgreSQL sign-in costs a round trip or more; each is used by one thread at a time). A unit
of work is one server transaction that first takes the team's write lock, so that, as with
SQLite's ``BEGIN IMMEDIATE``, a read-then-write cannot race another writer, and change-log
seqs are committed in order (a reader after ``seq`` never misses one that commits later).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import psycopg

from desktop.core.changes import ChangeEntry, ChangeFeed
from desktop.core.errors import UserError
from desktop.core.store.postgres.change_log import read_log, write_log
from desktop.core.store.postgres.connection import (
    Connection,
    connect,
    database_error,
    describe,
    redacted,
)
from desktop.core.store.postgres.migrate import check_usable
from desktop.core.store.postgres.repository import PgUnitOfWork
from desktop.core.store.postgres.retention import trim
from desktop.core.store.postgres.schema import CHANNEL
from desktop.core.store.postgres.team import current_role
from desktop.core.team.tickets import current_ticket

#: The advisory lock every unit of work takes first ("apmw").
WRITE_LOCK = 0x61706D77
#: The environment variable whose ticket number goes with the audit rows of a run.
TICKET_ENV = "APP_PROFILES_TICKET"
#: How long a unit of work waits for another one's write lock.
LOCK_TIMEOUT_S = 30.0
#: Connections kept open for reuse.
POOL_SIZE = 4


class PostgresStore:
    """The shared inventory on a PostgreSQL server.

    Attributes:
        url: the libpq URL (it may hold no password; see :func:`redacted` for logs).
        feed: committed changes of this process, and of others through a watcher.
    """

    def __init__(
        self,
        url: str,
        *,
        password: str | None = None,
        password_source: Callable[[], str] | None = None,
    ) -> None:
        self.url = url
        self._password = password
        #: Called for the password on every (re)connect (an Entra access token expires).
        self._password_source = password_source
        self.feed = ChangeFeed()
        self._idle: list[Connection] = []
        self._lock = threading.Lock()
        self._listener: Connection | None = None
        #: The ticket number that goes with this process's audit rows.
        self.ticket: str | None = os.environ.get(TICKET_ENV, "").strip() or None

    @classmethod
    def open(
        cls,
        url: str,
        *,
        password: str | None = None,
        password_source: Callable[[], str] | None = None,
    ) -> PostgresStore:
        """Connect and check the schema version. Raises ``UserError`` in words."""
        store = cls(url, password=password, password_source=password_source)
        with store._connection() as conn:
            if current_role(conn) == "none":
                row = conn.execute("SELECT session_user").fetchone()
                raise UserError(
                    f"The login {row[0] if row else ''} has no team role on the team database "
                    f"{describe(url)}.",
                    remedy="Ask your team's admin to grant you one "
                    "('app-profiles-cli team grant USER --role technician').",
                )
            check_usable(conn, url)
            trim(conn)  # change-log retention: cheap (an index on time), any member may
        return store

    def __repr__(self) -> str:
        return f"PostgresStore({redacted(self.url)!r})"

    def _connect(self) -> Connection:
        source = self._password_source
        conn = connect(self.url, password=source() if source else self._password)
        conn.execute("SET TIME ZONE 'UTC'")
        # Like SQLite's busy timeout: wait for another technician's write, but not forever.
        conn.execute(f"SET lock_timeout = '{int(LOCK_TIMEOUT_S * 1000)}ms'")
        return conn

    @contextmanager
    def _connection(self) -> Iterator[Connection]:
        with self._lock:
            conn = self._idle.pop() if self._idle else None
        if conn is None or conn.closed:
            conn = self._connect()
        try:
            yield conn
        except psycopg.Error as exc:
            raise database_error(exc, self.url) from None
        finally:
            usable = not conn.closed and not conn.broken
            if usable and conn.info.transaction_status == psycopg.pq.TransactionStatus.IDLE:
                with self._lock:
                    if len(self._idle) < POOL_SIZE:
                        self._idle.append(conn)
                        conn = None
            if conn is not None:
                conn.close()

    @contextmanager
    def unit_of_work(self) -> Iterator[PgUnitOfWork]:
        """One server transaction under the write lock; its changes are logged in it and
        published to :attr:`feed` after the commit."""
        with self._connection() as conn, conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))
            ticket = current_ticket() or self.ticket  # this thread's work first (the GUI)
            if ticket:
                conn.execute("SELECT set_config('apm.ticket', %s, true)", (ticket,))
            uow = PgUnitOfWork(conn, writable=True)
            yield uow
            entries = write_log(conn, uow.pending)
        if entries:
            self.feed.publish(entries)

    @contextmanager
    def reading(self) -> Iterator[PgUnitOfWork]:
        """Reads from one consistent snapshot, in a read-only transaction."""
        with self._connection() as conn, conn.transaction():
            conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield PgUnitOfWork(conn, writable=False)

    def team_role(self) -> str:
        """This login's strongest team role as the server says now (see ``current_role``)."""
        with self._connection() as conn:
            return current_role(conn)

    def latest_seq(self) -> int:
        with self._connection() as conn:
            row = conn.execute("SELECT COALESCE(max(seq), 0) FROM change_log").fetchone()
            return int(row[0]) if row else 0

    def changes_since(self, seq: int, limit: int = 1000) -> list[ChangeEntry]:
        with self._connection() as conn:
            return read_log(conn, seq, limit)

    def wait_for_changes(self, seq: int, timeout: float) -> None:
        """Block on the server's notification (no polling), or return after *timeout*."""
        try:
            if self._listener is None or self._listener.closed or self._listener.broken:
                self._listener = self._connect()
                self._listener.execute(f"LISTEN {CHANNEL}")
            if self.latest_seq() > seq:
                return
            for _ in self._listener.notifies(timeout=timeout, stop_after=1):
                break
        except psycopg.Error as exc:
            if self._listener is not None:
                self._listener.close()
                self._listener = None
            raise database_error(exc, self.url) from None

    def close(self) -> None:
        """Close the pooled connections and the listener."""
        with self._lock:
            idle, self._idle = self._idle, []
        for conn in idle:
            conn.close()
        if self._listener is not None:
            self._listener.close()
            self._listener = None


if TYPE_CHECKING:
    from desktop.core.storage.interface import Repository

    def _is_a_repository(store: PostgresStore) -> Repository:
        """mypy checks here that the PostgreSQL store keeps to the storage interface."""
        return store
