"""Run a re-authorization (consent in the browser, then a check) off the GUI thread.

Signals:
    succeeded(object): the new :class:`CheckResult` after the consent.
    failed(object): a :class:`UserError` (declined, timed out, wrong tenant, bad certificate...).
    cancelled()
    running_changed(bool)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QObject, Signal, Slot

from desktop.controllers.tasks import Task, TaskRunner
from desktop.core.cancel import CancelToken, Progress
from desktop.core.checks.reauthorize import ReauthorizeRequest
from desktop.core.checks.result import CheckResult
from desktop.core.errors import UserError

Reauthorize = Callable[[ReauthorizeRequest, CancelToken], CheckResult]


def read_pfx(path: Path) -> bytes:
    """The .pfx file's bytes, with a message a technician understands when it cannot be read."""
    try:
        return path.read_bytes()
    except OSError as exc:
        raise UserError(
            f"The certificate file {path.name} cannot be read: {exc.strerror or exc}.",
            remedy="Choose the .pfx file again.",
        ) from exc


class ReauthorizeController(QObject):
    """Starts one re-authorization at a time and can cancel it."""

    succeeded = Signal(object)
    failed = Signal(object)
    cancelled = Signal()
    running_changed = Signal(bool)

    def __init__(self, runner: TaskRunner, run: Reauthorize, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._run = run
        self._task: Task | None = None

    @property
    def runner(self) -> TaskRunner:
        return self._runner

    @property
    def running(self) -> bool:
        return self._task is not None

    def start(self, request: ReauthorizeRequest, pfx_path: Path | None = None) -> bool:
        if self._task is not None:
            return False
        run = self._run

        def work(token: CancelToken, progress: Progress) -> CheckResult:
            ready = request
            if pfx_path is not None:  # disk I/O stays off the GUI thread
                ready = replace(request, pfx=read_pfx(pfx_path))
            progress(0, 0, "Waiting for the consent in your browser…")
            return run(ready, token)

        self._task = self._runner.submit("Re-authorizing the app profile", work)
        self._task.succeeded.connect(self.succeeded)
        self._task.failed.connect(self.failed)
        self._task.cancelled.connect(self.cancelled)
        self._task.finished.connect(self._on_finished)
        self.running_changed.emit(True)
        return True

    @Slot()
    def cancel(self) -> None:
        if self._task is not None:
            self._task.cancel()

    @Slot()
    def _on_finished(self) -> None:
        self._task = None
        self.running_changed.emit(False)
