"""Run status checks off the GUI thread and stream their results to the screens.

Signals:
    started(int): a bulk check began, with the number of profiles.
    results_ready(list): the :class:`CheckResult` objects that arrived since the last batch
        (GUI thread, at most every ``BATCH_MS``; the rest just before ``finished``).
    progressed(int, int): done, total.
    finished(object): the :class:`BulkOutcome`; also after a cancel.
    failed(object): a :class:`UserError` that stopped the check (e.g. the store is locked).
    running_changed(bool)
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from desktop.controllers.tasks import Task, TaskRunner
from desktop.core.cancel import CancelToken, Progress
from desktop.core.checks.bulk import BulkOutcome
from desktop.core.checks.result import CheckResult
from desktop.core.checks.service import CheckService

#: How often streamed results are handed to the screens. One model update and one repaint per
#: batch keeps the GUI thread free; a queued signal and a repaint per result did not.
BATCH_MS = 100


class _Inbox:
    """Results from the worker threads, waiting for the GUI thread's next batch."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._results: list[CheckResult] = []

    def put(self, result: CheckResult) -> None:
        with self._lock:
            self._results.append(result)

    def take(self) -> list[CheckResult]:
        with self._lock:
            taken, self._results = self._results, []
        return taken


_frozen = False


def freeze_once() -> bool:
    """Move what exists now to the permanent generation, once per process; True if it did.

    A full garbage collection walks every object the app holds (Qt wrappers, catalog, modules):
    20-70 ms with the GIL held, from whichever thread triggers it. Freezing before the first
    check leaves the collections during checks with the checks' own garbage. Only once: a
    frozen object is never collected, so freezing at every check would keep forever any
    garbage cycle alive at that moment (start-up freezes too; this adds the check code
    imported since).
    """
    global _frozen
    if _frozen:
        return False
    _frozen = True
    gc.freeze()
    return True


class ChecksController(QObject):
    """Starts and cancels bulk checks; one at a time."""

    started = Signal(int)
    results_ready = Signal(list)
    progressed = Signal(int, int)
    finished = Signal(object)
    failed = Signal(object)
    running_changed = Signal(bool)

    def __init__(
        self,
        runner: TaskRunner,
        service_factory: Callable[[], CheckService],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._service_factory = service_factory
        self._task: Task[BulkOutcome] | None = None
        self._inbox = _Inbox()
        self._timer = QTimer(self)
        self._timer.setInterval(BATCH_MS)
        self._timer.timeout.connect(self._deliver)

    @property
    def running(self) -> bool:
        return self._task is not None

    def check(self, ids: Sequence[int] | None, *, ticket: str = "") -> bool:
        """Check *ids* (every profile when None); *ticket* goes with the team database's
        audit rows of the results ("" for none). False if a check is already running."""
        if self._task is not None:
            return False
        selected = list(ids) if ids is not None else None
        inbox = self._inbox
        inbox.take()  # nothing from an earlier run

        # Checking one profile is "check again": fresh tokens. A bulk check reuses valid ones.
        fresh = selected is not None and len(selected) == 1

        def work(token: CancelToken, progress: Progress) -> BulkOutcome:
            from desktop.core.team.tickets import working_on

            service = self._service_factory()
            with working_on(ticket):
                return service.check(
                    selected,
                    on_result=inbox.put,
                    token=token,
                    progress=progress,
                    fresh_tokens=fresh,
                )

        freeze_once()
        task = self._runner.submit("Checking app profiles", work)
        self._task = task
        task.progressed.connect(self._on_progress)
        task.on_success(self._on_succeeded).on_failure(self.failed.emit)
        task.cancelled.connect(self._on_cancelled)
        task.finished.connect(self._on_finished)
        self._timer.start()
        self.running_changed.emit(True)
        self.started.emit(len(selected) if selected is not None else 0)
        return True

    @Slot()
    def cancel(self) -> None:
        """Stop starting checks; those in flight finish and their results are kept."""
        if self._task is not None:
            self._task.cancel()

    @Slot(int, int, str)
    def _on_progress(self, done: int, total: int, _text: str) -> None:
        self.progressed.emit(done, total)

    @Slot()
    def _deliver(self) -> None:
        batch = self._inbox.take()
        if batch:
            self.results_ready.emit(batch)

    @Slot(object)
    def _on_succeeded(self, outcome: BulkOutcome) -> None:
        self._deliver()  # every result reaches the screens before the summary
        self.finished.emit(outcome)

    @Slot()
    def _on_cancelled(self) -> None:
        self._deliver()
        self.finished.emit(BulkOutcome(cancelled=True))

    @Slot()
    def _on_finished(self) -> None:
        self._timer.stop()
        self._deliver()
        self._task = None
        self.running_changed.emit(False)


__all__ = ["CheckResult", "ChecksController"]
