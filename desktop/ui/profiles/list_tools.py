"""What the profile list offers besides its table: export as shown and copy tenant IDs.

Loaded when first used; kept out of ``page.py`` so the page stays about the table.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QStandardPaths, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog, QLabel, QTableView, QWidget

from desktop.core.cancel import CancelToken
from desktop.core.catalog.export import ExportTable
from desktop.core.errors import UserError
from desktop.core.inventory.listing import COLUMNS

from desktop.ui.dialogs import UserDialogs
from desktop.ui.profiles.model import ProfileTableModel

if TYPE_CHECKING:
    from desktop.controllers.list_export import ListExportController

#: ``ask_save_path(parent, caption, suggested_path, name_filter) -> chosen path or None``.
AskSavePath = Callable[[QWidget, str, str, str], str | None]


def native_save_dialog(
    parent: QWidget, caption: str, suggested: str, name_filter: str
) -> str | None:
    """The platform's own Save dialog."""
    path, _ = QFileDialog.getSaveFileName(parent, caption, suggested, name_filter)
    return path or None


def documents_folder() -> str:
    """Where a first export is offered: the Documents folder (the home folder without one)."""
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return found or str(Path.home())


def shown_columns(table: QTableView) -> list[int]:
    """The table's columns in the order shown, without the hidden ones."""
    header = table.horizontalHeader()
    return [
        header.logicalIndex(v)
        for v in range(header.count())
        if not header.isSectionHidden(header.logicalIndex(v))
    ]


class ListExporter(QObject):
    """Exports the list as shown (its rows, filter, sort, and shown columns) to CSV."""

    def __init__(
        self,
        table: QTableView,
        model: ProfileTableModel,
        controller: ListExportController,
        dialogs: UserDialogs,
        message: QLabel,
        ask_save_path: AskSavePath = native_save_dialog,
    ) -> None:
        super().__init__(table)
        self._table = table
        self._model = model
        self._controller = controller
        self._dialogs = dialogs
        self._message = message
        self.ask_save_path = ask_save_path
        self.folder = documents_folder()
        controller.saved.connect(self._on_saved)
        controller.failed.connect(self._on_failed)

    @Slot()
    def export(self) -> None:
        if self._controller.busy or self._model.rowCount() == 0:
            return
        suggested = str(Path(self.folder) / f"app-profiles-{datetime.now():%Y-%m-%d}.csv")
        chosen = self.ask_save_path(
            self._table.window(), "Export the app profile list", suggested, "CSV files (*.csv)"
        )
        if not chosen:
            return
        path = Path(chosen)
        if path.suffix.lower() != ".csv":
            path = path.with_name(f"{path.name}.csv")
        self.folder = str(path.parent)
        columns = shown_columns(self._table)
        rows = self._model.export_rows(columns)
        headers = tuple(COLUMNS[c] for c in columns)
        filtered = self._model.rowCount() < self._model.total()

        def build(token: CancelToken) -> ExportTable:
            token.raise_if_cancelled()
            title = "App profiles (filtered)" if filtered else "App profiles"
            return ExportTable(title, headers, tuple(rows()))

        self._message.setText(f"Saving {path.name}…")
        self._controller.export(build, path)

    @Slot(str, int)
    def _on_saved(self, path: str, count: int) -> None:
        noun = "app profile" if count == 1 else "app profiles"
        self._message.setText(f"Exported {count:,} {noun} to {path}")

    @Slot(object)
    def _on_failed(self, error: UserError) -> None:
        self._message.setText("The list was not exported.")
        self._dialogs.error("Export the app profile list", error)


def copy_tenant_ids(tenant_ids: Iterable[str]) -> str:
    """Put the (distinct) tenant IDs on the clipboard, one a line; returns the text."""
    text = "\n".join(dict.fromkeys(t for t in tenant_ids if t))
    QGuiApplication.clipboard().setText(text)
    return text
