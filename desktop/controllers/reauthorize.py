"""Run a re-authorization (consent in the browser, then a check) off the GUI thread.

Signals:
    succeeded(object): the new :class:`CheckResult` after the consent.
    failed(object): a :class:`UserError` (declined, timed out, wrong tenant, bad certificate...).
    cancelled()
    running_changed(bool)
    warning_ready(object): the :class:`ReconsentWarning` read before an administrator's consent.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

from desktop.controllers.tasks import Task, TaskRunner
from desktop.core.cancel import CancelToken, Progress
from desktop.core.checks.result import CheckResult
from desktop.core.errors import UserError
from desktop.core.identity.reconsent import ReconsentWarning
from desktop.core.reauthorize.flow import ReauthorizeRequest

Reauthorize = Callable[[ReauthorizeRequest, CancelToken], CheckResult]
#: Reads what a re-consent may revoke (Graph, with the technician's token).
ReadWarning = Callable[[], ReconsentWarning]


def read_pfx(path: Path) -> bytes:
    """The .pfx file's bytes, with a message a technician understands when it cannot be read."""
    try:
        return path.read_bytes()
    except OSError as exc:
        raise UserError(
            f"The certificate file {path.name} cannot be read: {exc.strerror or exc}.",
            remedy="Choose the .pfx file again.",
        ) from exc


def with_lease(run: Reauthorize, repository: object) -> Reauthorize:
    """*run* holding the profile's ``reauthorize`` lease in *repository* (the team database;
    nothing on the local store): a colleague's re-authorization of the same profile refuses
    this one before the browser opens ("Bob is re-authorizing Contoso Baseline (since 14:02)")
    and the lease is renewed while the consent waits. The request's ticket goes with what
    the run writes."""
    from desktop.core.team.leasing import leased
    from desktop.core.team.tickets import working_on

    def leased_run(request: ReauthorizeRequest, token: CancelToken) -> CheckResult:
        with working_on(request.ticket), leased(repository, "reauthorize", [request.profile_id]):
            return run(request, token)

    return leased_run


class ReauthorizeController(QObject):
    """Starts one re-authorization at a time and can cancel it."""

    succeeded = Signal(object)
    failed = Signal(object)
    cancelled = Signal()
    running_changed = Signal(bool)
    warning_ready = Signal(object)

    def __init__(
        self,
        runner: TaskRunner,
        run: Reauthorize,
        parent: QObject | None = None,
        *,
        read_warning: ReadWarning | None = None,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._run = run
        self._read_warning = read_warning
        self._warning: ReconsentWarning | None = None
        self._task: Task[Any] | None = None

    @property
    def warns_before_reconsent(self) -> bool:
        """Whether an administrator's consent is preceded by the current grants' warning."""
        return self._read_warning is not None

    def read_warning(self) -> bool:
        """Read what a re-consent may revoke, off the GUI thread; ``warning_ready`` follows
        (a failure to read is itself a warning, never an error)."""
        if self._task is not None or self._read_warning is None:
            return False
        read = self._read_warning

        def work(token: CancelToken, progress: Progress) -> ReconsentWarning:
            progress(0, 0, "Reading the app's current grants…")
            return read()

        task = self._runner.submit("Reading the app's current grants", work)
        self._task = task
        # Announced once the task is over, so a consent may start from the announcement.
        task.on_success(self._keep_warning).on_failure(
            lambda e: self._keep_warning(ReconsentWarning(unreadable=e.one_line()))
        )
        task.cancelled.connect(self.cancelled)
        task.finished.connect(self._on_finished)
        self.running_changed.emit(True)
        return True

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

        task = self._runner.submit("Re-authorizing the app profile", work)
        self._task = task
        task.relay(self.succeeded, self.failed)
        task.cancelled.connect(self.cancelled)
        task.finished.connect(self._on_finished)
        self.running_changed.emit(True)
        return True

    @Slot()
    def cancel(self) -> None:
        if self._task is not None:
            self._task.cancel()

    @Slot(object)
    def _keep_warning(self, warning: ReconsentWarning) -> None:
        self._warning = warning

    @Slot()
    def _on_finished(self) -> None:
        self._task = None
        self.running_changed.emit(False)
        warning, self._warning = self._warning, None
        if warning is not None:
            self.warning_ready.emit(warning)
