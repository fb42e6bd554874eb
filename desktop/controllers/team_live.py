"""Following the team database's changes live, in Qt's event loop (no polling thread).

The listening connection's socket feeds a ``QSocketNotifier``: when the server sends a
notification, the GUI thread drains it without blocking, and the change log is read after the
last seq seen on a worker thread (a network round trip). What is read goes to the repository's
:class:`~desktop.core.changes.ChangeFeed`, the same path the SQLite store's changes take, so
screens refresh what changed; changes this process made itself are not delivered twice.

When the connection is lost it says so, reconnects with a growing pause (on a worker), and
catches up from the change log, since NOTIFY has no replay. A connection that goes quiet is
pinged every :data:`HEARTBEAT_MS` on a worker, and one whose answer does not come within the
listener's deadline counts as lost (a half-open TCP connection says nothing by itself).

A window that starts while the server cannot be reached shows the offline copy, and
:class:`OfflineReconnect` keeps trying to open the team database.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import QObject, QSocketNotifier, QTimer, Signal, Slot

from desktop.controllers.tasks import TaskRunner
from desktop.core.cancel import CancelToken, Progress
from desktop.core.changes import ChangeEntry, ChangeFeed
from desktop.core.errors import UserError
from desktop.core.paths import DataPaths
from desktop.core.team.listener import ChangeListener, ListenerLost, catch_up

log = logging.getLogger(__name__)

#: Pauses between reconnection attempts, in milliseconds (the last one repeats).
RETRY_MS = (500, 1000, 2000, 5000, 10_000)
#: How often the live connection is pinged when nothing arrives, in milliseconds.
HEARTBEAT_MS = 5_000


class ChangeSource(Protocol):
    """What the live feed needs of the repository (PostgreSQL's team store)."""

    feed: ChangeFeed

    def latest_seq(self) -> int: ...

    def changes_since(self, seq: int, limit: int = 1000) -> list[ChangeEntry]: ...


def listener_for(store: Any, paths: DataPaths) -> ChangeListener:
    """A listener on the same team database, as the same login, as *store* (a
    ``PostgresStore``); the password comes from where the store's did: the keyring's, or with
    ``APP_PROFILES_DATABASE_AUTH=entra`` a fresh Entra token on every (re)connect (call off
    the GUI thread: it may ask the keyring)."""
    from desktop.core.store.postgres import entra
    from desktop.core.store.postgres.choose import password_for
    from desktop.core.store.postgres.credentials import TeamDatabase

    if entra.wanted():
        return ChangeListener(store.url, password_source=entra.token_source(paths))
    return ChangeListener(store.url, password=password_for(TeamDatabase(store.url)))


class LiveChanges(QObject):
    """Other technicians' changes, as they commit.

    Signals:
        changes(list[ChangeEntry]): entries read from the change log (also published to the
            repository's feed).
        connection_changed(bool): the live connection is up (True) or lost (False).

    Attributes:
        cursor: the seq of the newest change read.
        connected: whether the live connection is up.
    """

    changes = Signal(object)
    connection_changed = Signal(bool)

    def __init__(
        self,
        source: ChangeSource,
        listener: ChangeListener,
        runner: TaskRunner,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._source = source
        source.feed.watched = True  # this publishes too: the feed delivers each seq once
        self._listener = listener
        self._runner = runner
        self._notifier: QSocketNotifier | None = None
        self._reading = False
        self._read_again = False
        self._stopped = True
        self._attempt = 0
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.timeout.connect(self._connect)
        self._heartbeat = QTimer(self)
        self._heartbeat.setInterval(HEARTBEAT_MS)
        self._heartbeat.timeout.connect(self._ping)
        self._pinging = False
        #: The listener is to be closed once the ping using it on a worker is over.
        self._close_pending = False
        self.cursor: int | None = None
        self.connected = False

    def start(self, cursor: int | None = None) -> None:
        """Connect and follow changes after *cursor* (default: from the newest one now)."""
        self._stopped = False
        if cursor is not None:
            self.cursor = cursor
        self._connect()

    def stop(self) -> None:
        self._stopped = True
        self._retry.stop()
        self._heartbeat.stop()
        self._drop_notifier()
        self._close_listener()
        self.connected = False

    @Slot()
    def _connect(self) -> None:
        if self._stopped:
            return
        if self._pinging:  # the old connection is still in a worker's hands
            self._retry.start(100)
            return
        cursor = self.cursor

        def work(_token: CancelToken, _progress: Progress) -> int:
            self._listener.connect()  # LISTEN first, then the log: nothing falls in between
            return self._source.latest_seq() if cursor is None else cursor

        task = self._runner.submit("connect to the team database's changes", work)
        task.succeeded.connect(self._on_connected)
        task.failed.connect(self._on_lost)

    def _on_connected(self, cursor: object) -> None:
        if self._stopped:
            self._listener.close()
            return
        assert isinstance(cursor, int)
        self.cursor = cursor
        self._attempt = 0
        notifier = QSocketNotifier(self._listener.fileno(), QSocketNotifier.Type.Read, self)
        notifier.activated.connect(self._on_readable)
        self._notifier = notifier
        self.connected = True
        self._heartbeat.start()
        self.connection_changed.emit(True)
        self._read_log()  # what changed while there was no connection

    @Slot()
    def _ping(self) -> None:
        """A round trip on a worker, within the listener's deadline; the socket is left to
        the worker meanwhile (its notifier off), and the log is read after it."""
        if self._pinging or self._notifier is None:
            return
        self._pinging = True
        self._notifier.setEnabled(False)
        listener = self._listener

        def work(_token: CancelToken, _progress: Progress) -> None:
            listener.ping()

        task = self._runner.submit("check the team database's live connection", work)
        task.succeeded.connect(self._on_pinged)
        task.failed.connect(self._on_ping_failed)

    def _on_pinged(self, _result: object) -> None:
        self._pinging = False
        if self._close_pending:  # lost or stopped meanwhile
            self._close_pending = False
            self._listener.close()
            return
        if self._notifier is None:
            return
        self._notifier.setEnabled(True)
        # A notification read with the answer sits in the driver, not in the socket.
        self._read_log()

    def _on_ping_failed(self, error: object) -> None:
        self._pinging = False
        self._close_pending = False  # the ping closed it
        if self.connected:
            self._on_lost(error)

    @Slot()
    def _on_readable(self) -> None:
        try:
            seqs = self._listener.drain()
        except ListenerLost as exc:
            self._on_lost(exc)
            return
        if seqs and (self.cursor is None or any(s == 0 or s > self.cursor for s in seqs)):
            self._read_log()

    def _read_log(self) -> None:
        if self._reading:
            self._read_again = True  # one more read after this one: it may have started early
            return
        self._reading = True
        cursor = self.cursor or 0

        def work(_token: CancelToken, _progress: Progress) -> list[ChangeEntry]:
            return catch_up(self._source.changes_since, cursor)

        task = self._runner.submit("read the team database's changes", work)
        task.succeeded.connect(self._on_read)
        task.failed.connect(self._on_read_failed)

    def _on_read(self, entries: object) -> None:
        self._reading = False
        assert isinstance(entries, list)
        if entries:
            self.cursor = max(self.cursor or 0, *(e.seq for e in entries))
            feed = self._source.feed
            feed.publish(entries)
            feed.forget_before(self.cursor)
            self.changes.emit(entries)
        if self._read_again:
            self._read_again = False
            self._read_log()

    def _on_read_failed(self, error: object) -> None:
        self._reading = False
        self._read_again = False
        self._on_lost(error)

    def _on_lost(self, error: object) -> None:
        if isinstance(error, UserError):
            log.warning("Live changes: %s", error.one_line())
        self._heartbeat.stop()
        self._drop_notifier()
        self._close_listener()
        if self.connected:
            self.connected = False
            self.connection_changed.emit(False)
        if not self._stopped:
            self._retry.start(RETRY_MS[min(self._attempt, len(RETRY_MS) - 1)])
            self._attempt += 1

    def _close_listener(self) -> None:
        """Close the listening connection now, or once a ping using it is over (a connection
        must not be closed under a worker that is using it)."""
        if self._pinging:
            self._close_pending = True
        else:
            self._listener.close()

    def _drop_notifier(self) -> None:
        # Before the connection (and its socket) closes: a notifier must not outlive its fd.
        if self._notifier is not None:
            self._notifier.setEnabled(False)
            self._notifier.deleteLater()
            self._notifier = None


class OfflineReconnect(QObject):
    """While the window shows the offline copy: opens the team database again and again
    (with a growing pause, on a worker) until it answers.

    Signals:
        online(object): the team store, opened; trying has stopped.
    """

    online = Signal(object)

    def __init__(
        self, go_online: Callable[[], Any], runner: TaskRunner, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._go_online = go_online
        self._runner = runner
        self._attempt = 0
        self._stopped = True
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._try)

    @property
    def active(self) -> bool:
        """Whether it is still trying."""
        return not self._stopped

    def start(self) -> None:
        self._stopped = False
        self._timer.start(RETRY_MS[0])

    def stop(self) -> None:
        self._stopped = True
        self._timer.stop()

    @Slot()
    def _try(self) -> None:
        if self._stopped:
            return
        task = self._runner.submit(
            "reconnect to the team database", lambda _token, _progress: self._go_online()
        )
        task.succeeded.connect(self._on_online)
        task.failed.connect(self._on_failed)

    def _on_online(self, store: object) -> None:
        if self._stopped:
            return
        self._stopped = True
        self.online.emit(store)

    def _on_failed(self, error: object) -> None:
        if isinstance(error, UserError):
            log.info("Team database still unreachable: %s", error.one_line())
        if not self._stopped:
            self._attempt += 1
            self._timer.start(RETRY_MS[min(self._attempt, len(RETRY_MS) - 1)])
