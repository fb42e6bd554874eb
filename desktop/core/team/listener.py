"""Listening for the team database's change notifications, and catching up after a gap.

A :class:`ChangeListener` holds one connection that ``LISTEN`` s on the change channel. It
never blocks unless asked to (:meth:`ChangeListener.wait`): :meth:`~ChangeListener.drain` reads
what the server already sent, so the GUI can call it when Qt's event loop sees the socket
readable. Notifications only wake a reader up: what changed is read from the change log after
the reader's cursor (:func:`catch_up`), because NOTIFY has no replay, so whatever was committed
while the connection was down arrives on the next read after reconnecting.
"""

from __future__ import annotations

import json
import logging
import select
from collections.abc import Callable

import psycopg

from desktop.core.changes import ChangeEntry
from desktop.core.errors import UserError
from desktop.core.store.postgres.connection import Connection, connect, database_error
from desktop.core.store.postgres.schema import CHANNEL

log = logging.getLogger(__name__)

#: How this connection shows in ``pg_stat_activity`` (an admin can tell it from the others).
APPLICATION_NAME = "app-profile-manager listener"


class ListenerLost(UserError):
    """The listening connection was closed (server restart, network, an admin's kill)."""


class ChangeListener:
    """A LISTEN connection to the team database.

    Attributes:
        url: the libpq URL (see ``redacted`` for messages).
    """

    def __init__(self, url: str, *, password: str | None = None) -> None:
        self.url = url
        self._password = password
        self._conn: Connection | None = None

    @property
    def connected(self) -> bool:
        return self._conn is not None and not self._conn.closed and not self._conn.broken

    def connect(self) -> None:
        """Open the connection and LISTEN (blocking; network). Raises ``UserError``."""
        self.close()
        conn = connect(self.url, password=self._password)
        try:
            conn.execute("SELECT set_config('application_name', %s, false)", (APPLICATION_NAME,))
            conn.execute(f"LISTEN {CHANNEL}")
        except psycopg.Error as exc:
            conn.close()
            raise database_error(exc, self.url) from None
        self._conn = conn

    def fileno(self) -> int:
        """The connection's socket (for ``select`` or a ``QSocketNotifier``)."""
        return self._require().fileno()

    def backend_pid(self) -> int:
        """The server process serving this connection."""
        return int(self._require().info.backend_pid)

    def drain(self) -> list[int]:
        """The seqs of the notifications the server has sent so far, without blocking.

        Raises :class:`ListenerLost` (and closes the connection) when it was lost.
        """
        conn = self._require()
        seqs: list[int] = []
        try:
            for notify in conn.notifies(timeout=0):
                seqs.append(_seq_of(notify.payload))
        except psycopg.Error as exc:
            self.close()
            raise ListenerLost(
                "The live connection to the team database was lost.",
                remedy="It reconnects by itself and catches up on what changed meanwhile.",
                detail=str(exc).strip(),
            ) from None
        if conn.closed or conn.broken:
            self.close()
            raise ListenerLost("The live connection to the team database was lost.")
        return seqs

    def wait(self, timeout: float) -> list[int]:
        """Block until the server sends something or *timeout* seconds pass, then drain."""
        readable, _, _ = select.select([self.fileno()], [], [], max(timeout, 0.0))
        return self.drain() if readable else []

    def ping(self) -> None:
        """A round trip, so that a connection that died quietly is noticed."""
        conn = self._require()
        try:
            conn.execute("SELECT 1")
        except psycopg.Error as exc:
            self.close()
            raise ListenerLost(
                "The live connection to the team database was lost.", detail=str(exc).strip()
            ) from None

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def _require(self) -> Connection:
        if self._conn is None or self._conn.closed:
            raise ListenerLost("The live connection to the team database is not open.")
        return self._conn


def _seq_of(payload: str) -> int:
    """A notification's seq (0 when it carries none: read the log anyway)."""
    try:
        return int(json.loads(payload).get("seq") or 0)
    except (ValueError, TypeError, AttributeError):
        return 0


ReadLog = Callable[[int, int], list[ChangeEntry]]


def catch_up(read_log: ReadLog, cursor: int, page: int = 1000) -> list[ChangeEntry]:
    """Every change after *cursor* that the log holds (and the member may see), oldest first."""
    entries: list[ChangeEntry] = []
    while True:
        batch = read_log(cursor, page)
        entries.extend(batch)
        if len(batch) < page:
            return entries
        cursor = max(e.seq for e in batch)
