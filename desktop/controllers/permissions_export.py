"""Write the permissions viewer's current view to CSV or PDF, off the GUI thread."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from desktop.controllers.tasks import Task, TaskRunner
from desktop.core.cancel import CancelToken, Progress
from desktop.core.catalog.export import ExportTable, table_to_html, write_atomically, write_csv


class ExportFormat(StrEnum):
    CSV = "csv"
    PDF = "pdf"


class PermissionsExportController(QObject):
    """Saves an :class:`ExportTable` to a file through the :class:`TaskRunner`.

    Signals:
        busy_changed(bool): an export started or ended.
        saved(str): the path of the file just written.
        failed(object): a :class:`UserError` saying why the file was not written.
        cancelled(): the export was cancelled before anything was written.
    """

    busy_changed = Signal(bool)
    saved = Signal(str)
    failed = Signal(object)
    cancelled = Signal()

    def __init__(self, runner: TaskRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._task: Task[str] | None = None

    @property
    def busy(self) -> bool:
        return self._task is not None

    def export(self, table: ExportTable, path: Path, fmt: ExportFormat) -> Task[str]:
        """Start writing *table* to *path*; the outcome arrives as ``saved`` or ``failed``."""
        footer = f"Exported {datetime.now().astimezone():%Y-%m-%d %H:%M %Z}"
        # Set by the worker once the file is in place: a Cancel that arrives later changes
        # nothing, and the page must say the file was saved.
        written: list[bool] = []

        def work(token: CancelToken, progress: Progress) -> str:
            progress(0, 1, f"Saving {path.name}…")
            if fmt is ExportFormat.CSV:
                token.raise_if_cancelled()
                write_csv(table, path)
            else:
                from desktop.controllers.pdf import html_to_pdf  # only when exporting

                html = table_to_html(table, footer=footer)
                pdf = html_to_pdf(html, table.title, lambda: token.cancelled)
                token.raise_if_cancelled()
                write_atomically(path, pdf)
            written.append(True)
            progress(1, 1, f"Saved {path.name}")
            return str(path)

        task = self._runner.submit(f"Export to {fmt.value.upper()}", work)
        self._task = task
        task.on_success(self.saved.emit).on_failure(self.failed.emit)
        task.cancelled.connect(
            lambda: self.saved.emit(str(path)) if written else self.cancelled.emit()
        )
        task.finished.connect(self._on_finished)
        self.busy_changed.emit(True)
        return task

    def cancel(self) -> None:
        if self._task is not None:
            self._task.cancel()

    def _on_finished(self) -> None:
        self._task = None
        self.busy_changed.emit(False)
