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
import time
from collections.abc import Callable

import psycopg

from desktop.core.changes import ChangeEntry
from desktop.core.errors import UserError
from desktop.core.store.postgres.connection import Connection, connect, database_error
from desktop.core.store.postgres.schema import CHANNEL

log = logging.getLogger(__name__)

#: Seconds a heartbeat's round trip may take before the connection counts as dead.
PING_TIMEOUT_S = 10.0
#: How this connection shows in ``pg_stat_activity`` (an admin can tell it from the others).
APPLICATION_NAME = "app-profile-manager listener"


class ListenerLost(UserError):
    """The listening connection was closed (server restart, network, an admin's kill)."""


class ChangeListener:
    """A LISTEN connection to the team database.

    Attributes:
        url: the libpq URL (see ``redacted`` for messages).
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
        #: Called for the password on every (re)connect (an Entra token expires).
        self._password_source = password_source
        self._conn: Connection | None = None

    @property
    def connected(self) -> bool:
        return self._conn is not None and not self._conn.closed and not self._conn.broken

    def connect(self) -> None:
        """Open the connection and LISTEN (blocking; network). Raises ``UserError``."""
        self.close()
        source = self._password_source
        conn = connect(self.url, password=source() if source else self._password)
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

    def ping(self, timeout: float | None = None) -> None:
        """A round trip that must come back within *timeout* seconds (default
        :data:`PING_TIMEOUT_S`), so that a connection
        whose server stopped answering (hung, or a network that drops everything) is noticed
        even before TCP gives up. Raises :class:`ListenerLost` (and closes the connection)."""
        conn = self._require()
        pg = conn.pgconn
        try:
            pg.send_query(b"SELECT 1")
            deadline = time.monotonic() + (PING_TIMEOUT_S if timeout is None else timeout)
            while pg.flush():
                _wait_for(pg.socket, deadline, write=True)
            while True:
                pg.consume_input()
                if not pg.is_busy():
                    break
                _wait_for(pg.socket, deadline)
            while (result := pg.get_result()) is not None:
                if result.status != psycopg.pq.ExecStatus.TUPLES_OK:
                    raise psycopg.OperationalError(
                        (result.error_message or b"").decode(errors="replace").strip()
                    )
        except (psycopg.Error, TimeoutError, OSError) as exc:
            self.close()
            raise ListenerLost(
                "The live connection to the team database was lost.",
                remedy="It reconnects by itself and catches up on what changed meanwhile.",
                detail=str(exc).strip() or type(exc).__name__,
            ) from None

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def _require(self) -> Connection:
        if self._conn is None or self._conn.closed:
            raise ListenerLost("The live connection to the team database is not open.")
        return self._conn


def _wait_for(fd: int, deadline: float, *, write: bool = False) -> None:
    """Wait until *fd* is readable (writable), or raise ``TimeoutError`` at *deadline*."""
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError("the team database did not answer in time")
    ready = select.select([], [fd], [], left)[1] if write else select.select([fd], [], [], left)[0]
    if not ready:
        raise TimeoutError("the team database did not answer in time")


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
