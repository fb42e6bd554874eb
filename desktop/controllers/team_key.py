"""Reads (or creates and publishes) this technician's team key, and approves or removes a
colleague, off the GUI thread."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

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
    approved(ApprovalReport): what approving a colleague shared with them.
    previewed(Removal): what a colleague can read, before removing them.
    removed(Removal): what a removed colleague could read (to rotate or revoke).
    action_failed(UserError): approving or removing did not happen, in words.
    """

    loaded = Signal(object)
    failed = Signal(object)
    approved = Signal(object)
    previewed = Signal(object)
    removed = Signal(object)
    action_failed = Signal(object)

    def __init__(self, runner: TaskRunner, paths: DataPaths, parent: QObject | None = None):
        super().__init__(parent)
        self._runner = runner
        self._paths = paths

    def load(self, *, enroll: bool = False, team_only: bool = False) -> None:
        """Read the view (with *enroll*: create and publish the pair first; with
        *team_only*: in solo mode, an empty view without asking the keyring)."""

        def work(_token: CancelToken, _progress: Progress) -> TeamKeyView:
            return team_key_view(self._paths, enroll=enroll, team_only=team_only)

        task = self._runner.submit("Team key", work)
        task.relay(self.loaded)
        task.on_failure(self._failed)

    def approve(self, member: str, confirmed: str) -> None:
        """Share with *member* what their scope allows; *confirmed* is the fingerprint the
        technician compared with what *member* read out."""
        from desktop.core.secrets.team_members import approve_member

        self._act("Approve colleague", lambda: approve_member(self._paths, member, confirmed))

    def preview_removal(self, member: str) -> None:
        """What *member* can read now (to list before confirming the removal)."""
        from desktop.core.secrets.team_members import removal_preview

        self._act("Team member's keys", lambda: removal_preview(self._paths, member))

    def remove(self, member: str) -> None:
        """Take back every key shared with *member*."""
        from desktop.core.secrets.team_members import remove_member

        self._act("Remove colleague", lambda: remove_member(self._paths, member))

    def _act(self, title: str, call: Callable[[], Any]) -> None:
        def work(_token: CancelToken, _progress: Progress) -> Any:
            return call()

        task = self._runner.submit(title, work)
        task.on_success(self._done)
        task.failed.connect(self.action_failed)

    def _done(self, result: Any) -> None:
        from desktop.core.secrets.team_members import ApprovalReport, Removal

        if isinstance(result, Removal) and not result.removed:
            self.previewed.emit(result)
            return
        if isinstance(result, ApprovalReport):
            self.approved.emit(result)
        elif isinstance(result, Removal):
            self.removed.emit(result)
        self.load()  # the members' states changed

    def _failed(self, error: UserError) -> None:
        self.failed.emit(error)
