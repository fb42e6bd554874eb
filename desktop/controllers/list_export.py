"""Write the profile list, as shown, to a CSV file off the GUI thread."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from desktop.controllers.tasks import Task, TaskRunner
from desktop.core.cancel import CancelToken, Progress
from desktop.core.catalog.export import ExportTable, write_csv

#: Builds the table to write; it runs on the worker thread (100,000 rows take a while).
BuildTable = Callable[[CancelToken], ExportTable]


class ListExportController(QObject):
    """Saves the list through the :class:`TaskRunner`.

    Signals:
        busy_changed(bool): an export started or ended.
        saved(str, int): the path written and how many profiles it holds.
        failed(object): a :class:`UserError` saying why the file was not written.
    """

    busy_changed = Signal(bool)
    saved = Signal(str, int)
    failed = Signal(object)

    def __init__(self, runner: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._task: Task[tuple[str, int]] | None = None

    @property
    def busy(self) -> bool:
        return self._task is not None

    def export(self, build: BuildTable, path: Path) -> Task[tuple[str, int]]:
        """Start building and writing the table; the outcome arrives as ``saved``/``failed``."""

        def work(token: CancelToken, progress: Progress) -> tuple[str, int]:
            progress(0, 1, f"Saving {path.name}…")
            table = build(token)
            token.raise_if_cancelled()
            write_csv(table, path)
            progress(1, 1, f"Saved {path.name}")
            return str(path), len(table.rows)

        task = self._runner.submit("Export the profile list", work)
        self._task = task
        task.on_success(lambda result: self.saved.emit(*result)).on_failure(self.failed.emit)
        task.finished.connect(self._on_finished)
        self.busy_changed.emit(True)
        return task

    def _on_finished(self) -> None:
        self._task = None
        self.busy_changed.emit(False)
