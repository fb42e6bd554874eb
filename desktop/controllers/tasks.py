"""Run core work off the GUI thread and report back by signals.

A controller calls :meth:`TaskRunner.submit` with a function ``fn(token, progress)``. The
function runs on a pool thread; its result, error or progress arrives as signals of the returned
:class:`Task`, always delivered on the GUI thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from desktop.core.cancel import CancelToken, Progress
from desktop.core.errors import CancelledError, UserError

log = logging.getLogger(__name__)

Work = Callable[[CancelToken, Progress], Any]


class Task(QObject):
    """One piece of background work.

    Signals:
        succeeded(object): the function's return value.
        failed(object): a :class:`UserError` saying what went wrong.
        cancelled(): the user cancelled and the function stopped.
        progressed(int, int, str): done, total (0 if unknown), text.
        finished(): after any of the three outcomes.
    """

    succeeded = Signal(object)
    failed = Signal(object)
    cancelled = Signal()
    progressed = Signal(int, int, str)
    finished = Signal()

    # Emitted from the pool thread; the receiver (self) lives on the GUI thread, so Qt queues
    # them and the public signals above fire on the GUI thread.
    _report_result = Signal(object)
    _report_error = Signal(object)
    _report_cancel = Signal()
    _report_progress = Signal(int, int, str)

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.token = CancelToken()
        self.done = False
        self._report_result.connect(self._on_result)
        self._report_error.connect(self._on_error)
        self._report_cancel.connect(self._on_cancel)
        self._report_progress.connect(self.progressed)

    def cancel(self) -> None:
        """Ask the work to stop at its next check point."""
        self.token.cancel()

    @Slot(object)
    def _on_result(self, value: object) -> None:
        self.done = True
        self.succeeded.emit(value)
        self.finished.emit()

    @Slot(object)
    def _on_error(self, error: object) -> None:
        self.done = True
        self.failed.emit(error)
        self.finished.emit()

    @Slot()
    def _on_cancel(self) -> None:
        self.done = True
        self.cancelled.emit()
        self.finished.emit()


class _Runnable(QRunnable):
    def __init__(self, task: Task, work: Work) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._task = task
        self._work = work

    def run(self) -> None:
        task = self._task
        try:
            result = self._work(task.token, task._report_progress.emit)
        except CancelledError:
            task._report_cancel.emit()
        except UserError as exc:
            task._report_error.emit(exc)
        except Exception as exc:
            log.exception("Task %r failed unexpectedly", task.name)
            task._report_error.emit(
                UserError(
                    f"{task.name} failed unexpectedly: {exc}",
                    remedy="Try again. If it keeps failing, send the log file to support.",
                    detail=f"{type(exc).__name__}: {exc}",
                )
            )
        else:
            if task.token.cancelled:
                task._report_cancel.emit()
            else:
                task._report_result.emit(result)


class TaskRunner(QObject):
    """Owns the worker pool and keeps running tasks alive until they finish.

    Signals:
        busy_changed(bool): whether any task is running.
    """

    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None, max_threads: int = 4) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(max_threads)
        self._active: set[Task] = set()

    def submit(self, name: str, work: Work) -> Task:
        """Start *work* on a pool thread; connect to the returned task's signals at once."""
        # No Qt parent: Python owns the task, and ``_active`` keeps it alive until it finishes.
        task = Task(name)
        self._active.add(task)
        task.finished.connect(lambda: self._forget(task))
        if len(self._active) == 1:
            self.busy_changed.emit(True)
        self._pool.start(_Runnable(task, work))
        return task

    @property
    def busy(self) -> bool:
        return bool(self._active)

    def cancel_all(self) -> None:
        for task in list(self._active):
            task.cancel()

    def wait_for_done(self, msecs: int = 30_000) -> bool:
        """Block until the pool is idle (used at shutdown and in tests)."""
        return self._pool.waitForDone(msecs)

    def _forget(self, task: Task) -> None:
        self._active.discard(task)
        if not self._active:
            self.busy_changed.emit(False)
