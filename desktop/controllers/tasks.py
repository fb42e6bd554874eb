"""Run core work off the GUI thread and report back by signals.

A controller calls :meth:`TaskRunner.submit` with a function ``fn(token, progress)``. The
function runs on a pool thread; its result, error or progress arrives as signals of the returned
:class:`Task`, always delivered on the GUI thread.

``submit`` returns a ``Task[T]`` where ``T`` is what the function returns: connect through
:meth:`Task.on_success` (a slot taking ``T``) and :meth:`Task.on_failure` (a slot taking the
:class:`UserError`), and the type checker follows the result across the thread hop.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, SignalInstance, Slot

from desktop.core.cancel import CancelToken, Progress
from desktop.core.errors import CancelledError, UserError

log = logging.getLogger(__name__)

T = TypeVar("T")

Work = Callable[[CancelToken, Progress], Any]


class Task(QObject, Generic[T]):
    """One piece of background work whose function returns a ``T``.

    Signals (Qt signals cannot carry a type parameter: connect with :meth:`on_success` and
    :meth:`on_failure`, which can):
        succeeded(T): the function's return value.
        failed(UserError): what went wrong.
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

    def on_success(self, slot: Callable[[T], object]) -> Task[T]:
        """Call *slot* with the function's result, on the GUI thread. Returns this task."""
        self.succeeded.connect(slot)
        return self

    def on_failure(self, slot: Callable[[UserError], object]) -> Task[T]:
        """Call *slot* with the :class:`UserError` the function failed with. Returns this task."""
        self.failed.connect(slot)
        return self

    def relay(self, succeeded: SignalInstance, failed: SignalInstance | None = None) -> Task[T]:
        """Re-emit the result on *succeeded* and the error on *failed* (a receiver's own
        ``Signal(object)``s). Signal-to-signal connections: Qt drops them when the receiver
        goes first (a window closed while the work runs), where a connected ``signal.emit``
        would raise "Signal source has been deleted". Returns this task."""
        self.succeeded.connect(succeeded)
        if failed is not None:
            self.failed.connect(failed)
        return self

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


class _Runnable(QRunnable, Generic[T]):
    def __init__(self, task: Task[T], work: Callable[[CancelToken, Progress], T]) -> None:
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
        self._active: set[Task[Any]] = set()

    def submit(self, name: str, work: Callable[[CancelToken, Progress], T]) -> Task[T]:
        """Start *work* on a pool thread; connect to the returned task's signals at once."""
        # No Qt parent: Python owns the task, and ``_active`` keeps it alive until it finishes.
        task: Task[T] = Task(name)
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

    def _forget(self, task: Task[Any]) -> None:
        self._active.discard(task)
        if not self._active:
            self.busy_changed.emit(False)
