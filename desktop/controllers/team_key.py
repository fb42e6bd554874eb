"""Reads (or creates and publishes) this technician's team key off the GUI thread."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from desktop.controllers.tasks import TaskRunner
from desktop.core.cancel import CancelToken, Progress
from desktop.core.errors import UserError
from desktop.core.paths import DataPaths
from desktop.core.secrets.team_keys import TeamKeyView, team_key_view


class TeamKeyController(QObject):
    """Signals:
    loaded(TeamKeyView): the pair's fingerprint and the members' published keys.
    failed(UserError): the keyring or the team database could not be used.
    """

    loaded = Signal(object)
    failed = Signal(object)

    def __init__(self, runner: TaskRunner, paths: DataPaths, parent: QObject | None = None):
        super().__init__(parent)
        self._runner = runner
        self._paths = paths

    def load(self, *, enroll: bool = False) -> None:
        """Read the view (with *enroll*: create and publish the pair first)."""

        def work(_token: CancelToken, _progress: Progress) -> TeamKeyView:
            return team_key_view(self._paths, enroll=enroll)

        task = self._runner.submit("Team key", work)
        task.on_success(self.loaded.emit)
        task.on_failure(self._failed)

    def _failed(self, error: UserError) -> None:
        self.failed.emit(error)
