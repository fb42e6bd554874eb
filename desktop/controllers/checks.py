"""Run status checks off the GUI thread and stream their results to the screens.

Signals:
    started(int): a bulk check began, with the number of profiles.
    result_ready(object): one :class:`CheckResult`, as soon as it is known (GUI thread).
    progressed(int, int): done, total.
    finished(object): the :class:`BulkOutcome`; also after a cancel.
    failed(object): a :class:`UserError` that stopped the check (e.g. the store is locked).
    running_changed(bool)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, Signal, Slot

from desktop.controllers.tasks import Task, TaskRunner
from desktop.core.cancel import CancelToken, Progress
from desktop.core.checks.bulk import BulkOutcome
from desktop.core.checks.result import CheckResult
from desktop.core.checks.service import CheckService


class _Relay(QObject):
    """Carries results from worker threads to the GUI thread (a queued connection)."""

    result = Signal(object)


class ChecksController(QObject):
    """Starts and cancels bulk checks; one at a time."""

    started = Signal(int)
    result_ready = Signal(object)
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
        self._task: Task | None = None
        self._relay = _Relay(self)
        self._relay.result.connect(self.result_ready)

    @property
    def running(self) -> bool:
        return self._task is not None

    def check(self, ids: Sequence[int] | None) -> bool:
        """Check *ids* (every profile when None). False if a check is already running."""
        if self._task is not None:
            return False
        selected = list(ids) if ids is not None else None
        relay = self._relay

        def work(token: CancelToken, progress: Progress) -> BulkOutcome:
            service = self._service_factory()
            return service.check(
                selected, on_result=relay.result.emit, token=token, progress=progress
            )

        self._task = self._runner.submit("Checking app profiles", work)
        self._task.progressed.connect(self._on_progress)
        self._task.succeeded.connect(self.finished)
        self._task.failed.connect(self.failed)
        self._task.cancelled.connect(self._on_cancelled)
        self._task.finished.connect(self._on_finished)
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
    def _on_cancelled(self) -> None:
        self.finished.emit(BulkOutcome(cancelled=True))

    @Slot()
    def _on_finished(self) -> None:
        self._task = None
        self.running_changed.emit(False)


__all__ = ["CheckResult", "ChecksController"]
