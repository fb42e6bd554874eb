"""Keeping the team database's offline copy current from the GUI, off the GUI thread.

A technician who only uses the window gets a copy too: it is written each time the live
connection comes up (a sync), and after changes at most once per :data:`COPY_INTERVAL_MS`
(only what changed since the copy's seq is read; see
:func:`~desktop.core.team.offline.keep_current`). This module loads no database driver: the local
store's window makes it too, and never writes a copy.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from desktop.controllers.tasks import TaskRunner
from desktop.core.errors import UserError

log = logging.getLogger(__name__)

#: The offline copy is written at most this often after changes, in milliseconds.
COPY_INTERVAL_MS = 60_000


class OfflineCopyWriter(QObject):
    """Writes the offline copy on a worker, at most once per :data:`COPY_INTERVAL_MS`: a
    request within the interval after a write is held until its end (requests meanwhile
    join it), so a busy team does not rewrite the copy after every change.

    Signals:
        written(): a copy was written.
    """

    written = Signal()

    def __init__(
        self, write: Callable[[], object], runner: TaskRunner, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._write = write
        self._runner = runner
        self._running = False
        self._wanted = False
        self._last = float("-inf")
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._start)

    @Slot()
    def request(self) -> None:
        """Write the copy now, or when the interval since the last write is over."""
        if self._running:
            self._wanted = True
            return
        if self._timer.isActive():
            return
        left = self._last + COPY_INTERVAL_MS / 1000 - time.monotonic()
        if left <= 0:
            self._start()
        else:
            self._timer.start(int(left * 1000) + 1)

    def stop(self) -> None:
        self._timer.stop()
        self._wanted = False

    @Slot()
    def _start(self) -> None:
        self._running = True
        self._last = time.monotonic()
        task = self._runner.submit(
            "save the offline copy of the team inventory",
            lambda _token, _progress: self._write(),
        )
        task.succeeded.connect(self._on_done)
        task.failed.connect(self._on_failed)

    def _on_done(self, _result: object) -> None:
        self._running = False
        self.written.emit()
        self._again()

    def _on_failed(self, error: object) -> None:
        self._running = False
        if isinstance(error, UserError):
            log.warning("The offline copy was not saved: %s", error.one_line())
        self._again()

    def _again(self) -> None:
        if self._wanted:
            self._wanted = False
            self.request()


def keep_offline_copy(
    inventory: Any, write: Callable[[], object], runner: TaskRunner
) -> Callable[[], OfflineCopyWriter | None]:
    """Write the team database's offline copy while *inventory* (an ``InventoryController``)
    is connected to it: each time the live connection comes up (a sync), and throttled after
    changes. Nothing happens on the local store (its connection never comes up). Returns a
    callable giving the writer once made (for tests)."""
    made: list[OfflineCopyWriter] = []
    connected = [False]

    def on_connection(up: bool) -> None:
        connected[0] = up
        if not up:
            return
        if not made:
            made.append(OfflineCopyWriter(write, runner, inventory))
        made[0].request()

    def on_change(*_args: object) -> None:
        if made and connected[0]:
            made[0].request()

    inventory.team_connection_changed.connect(on_connection)
    inventory.profiles_changed.connect(on_change)
    inventory.customers_changed.connect(on_change)
    inventory.reload_needed.connect(on_change)
    return lambda: made[0] if made else None
