"""Settings → Team database's work: testing a connection (off the GUI thread) and storing the
password in the OS keyring (never in the settings file)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from desktop.controllers.tasks import Task, TaskRunner
from desktop.core.cancel import CancelToken, Progress
from desktop.core.errors import UserError
from desktop.core.store.postgres.credentials import selected
from desktop.core.team.status import TeamStatus, check_address, probe


class TeamConnection(QObject):
    """Tests a team database address on a worker thread.

    Signals:
        tested(str): the result in words (connected and what was found, or why not).
        test_done(bool): the test ended, and whether it connected.
    """

    tested = Signal(str)
    test_done = Signal(bool)

    def __init__(self, runner: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self.task: Task[TeamStatus] | None = None

    def test(self, address: str | None, password: str) -> None:
        """Connect to *address* (None: ``APP_PROFILES_DATABASE_URL``'s) once with *password*
        (empty: the keyring's) and report."""
        try:
            db = selected() if address is None else check_address(address)
        except UserError as exc:
            self._report(False, exc.one_line())
            return
        if db is None:
            self._report(False, "No team database is set: the inventory stays on this computer.")
            return

        def work(_token: CancelToken, _progress: Progress) -> TeamStatus:
            return probe(db, password or None)

        task = self._runner.submit("test the team database connection", work)
        # Bound methods of this QObject: Qt drops the connections if the dialog closes first.
        task.on_success(self._on_status)
        task.on_failure(self._on_error)
        self.task = task

    def _on_status(self, status: TeamStatus) -> None:
        self._report(True, status.words())

    def _on_error(self, exc: UserError) -> None:
        self._report(False, exc.one_line())

    def _report(self, ok: bool, words: str) -> None:
        self.tested.emit(words)
        self.test_done.emit(ok)


def store_password(address: str | None, password: str) -> None:
    """Keep *password* for *address* (None: ``APP_PROFILES_DATABASE_URL``'s) in the OS
    keyring. Raises ``UserError`` in words."""
    from desktop.core.store.postgres.credentials import set_password

    db = selected() if address is None else check_address(address)
    if db is None:
        raise UserError(
            "A team database password needs a team database address.",
            remedy="Enter the address first, or leave the password empty.",
        )
    set_password(db, password)
