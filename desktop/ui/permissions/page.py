"""The Permissions page: browse, search, compare and export what each app needs, offline."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QAbstractItemModel, QStandardPaths, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.controllers.permissions_export import ExportFormat, PermissionsExportController
from desktop.core.catalog.export import (
    HIGH_PRIVILEGE_HEADER,
    MARKER_PREFIXES,
    ExportTable,
    app_sections,
)
from desktop.core.catalog.model import AppType, Catalog
from desktop.core.errors import UserError

from desktop.ui.dialogs import UserDialogs
from desktop.ui.permissions.browse import SelectionKind
from desktop.ui.permissions.browse_view import BrowseView
from desktop.ui.permissions.compare_view import CompareView

#: ``ask_save_path(caption, suggested_path, name_filter) -> chosen path or None``.
AskSavePath = Callable[[QWidget, str, str, str], str | None]

_FILTERS = {ExportFormat.CSV: "CSV files (*.csv)", ExportFormat.PDF: "PDF files (*.pdf)"}
#: An export that takes longer than this shows a Cancel button (a quick one does not flash it).
CANCEL_AFTER_MS = 300


def native_save_dialog(
    parent: QWidget, caption: str, suggested: str, name_filter: str
) -> str | None:
    """The platform's own Save dialog."""
    path, _ = QFileDialog.getSaveFileName(parent, caption, suggested, name_filter)
    return path or None


class PermissionsPage(QWidget):
    """Browse and Compare tabs, and export of whichever view is showing."""

    def __init__(
        self,
        catalog: Catalog,
        exporter: PermissionsExportController,
        dialogs: UserDialogs,
        *,
        override_hint: str = "",
        ask_save_path: AskSavePath = native_save_dialog,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("PermissionsPage")
        self._catalog = catalog
        self._exporter = exporter
        self._dialogs = dialogs
        self._ask_save_path = ask_save_path
        self._last_folder = ""  # until the first export: the Documents folder
        self.browse = BrowseView(catalog, override_hint)
        self.compare = CompareView(catalog)
        self.views = QTabWidget()
        self.views.setObjectName("PermissionsViews")
        self.views.addTab(self.browse, "&Browse")
        self.views.addTab(self.compare, "Co&mpare app types")
        self.export_csv = QPushButton("Export &CSV…")
        self.export_csv.setToolTip("Save the rows shown now as a CSV file (Ctrl+E)")
        self.export_pdf = QPushButton("Export P&DF…")
        self.export_pdf.setToolTip("Save the rows shown now as a PDF document (Ctrl+P)")
        self.cancel_export = QPushButton("Cancel e&xport")
        self.cancel_export.setToolTip("Stop the export; nothing is saved")
        self.cancel_export.hide()
        self.cancel_export.clicked.connect(exporter.cancel)
        self._show_cancel = QTimer(self)
        self._show_cancel.setSingleShot(True)
        self._show_cancel.setInterval(CANCEL_AFTER_MS)
        self._show_cancel.timeout.connect(self.cancel_export.show)
        self.status = QLabel()
        self.status.setObjectName("PermissionsExportStatus")
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.cancel_export)
        bottom.addWidget(self.export_csv)
        bottom.addWidget(self.export_pdf)
        layout = QVBoxLayout(self)
        layout.addWidget(self.views, 1)
        layout.addLayout(bottom)
        self.export_csv.clicked.connect(lambda: self.export(ExportFormat.CSV))
        self.export_pdf.clicked.connect(lambda: self.export(ExportFormat.PDF))
        self._shortcut("Ctrl+F", self.focus_search)
        self._shortcut("Ctrl+E", lambda: self.export(ExportFormat.CSV))
        self._shortcut(QKeySequence.StandardKey.Print, lambda: self.export(ExportFormat.PDF))
        exporter.busy_changed.connect(self._on_export_busy)
        exporter.saved.connect(self._on_saved)
        exporter.failed.connect(self._on_failed)
        exporter.cancelled.connect(self._on_cancelled)
        QWidget.setTabOrder(self.views, self.export_csv)
        QWidget.setTabOrder(self.export_csv, self.export_pdf)

    def _shortcut(self, key: str | QKeySequence.StandardKey, slot: Callable[[], None]) -> None:
        shortcut = QShortcut(QKeySequence(key), self)
        # Only while this page is showing, so other pages can use the same keys.
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(slot)

    def self_test_ready(self) -> bool:
        """The page has shown its first content (the self-test waits for this)."""
        return self.browse.model.rowCount() > 0 or self.browse.stack.currentIndex() == 1

    def focus_search(self) -> None:
        self.views.setCurrentWidget(self.browse)
        self.browse.filters.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.browse.filters.search.selectAll()

    # --- export --------------------------------------------------------------------------

    def current_table(self) -> ExportTable:
        """Exactly what the technician sees now: the visible columns and rows, in order."""
        subtitle_parts = [f"Catalog {self._catalog.version}"]
        if self.views.currentWidget() is self.compare:
            comparison = self.compare.comparison
            title = (
                f"Compare {comparison.app_a.label} with {comparison.app_b.label}"
                if comparison
                else "Compare app types"
            )
            table = view_table(title, self.compare.proxy, " · ".join(subtitle_parts))
            apps: tuple[AppType, ...] = (comparison.app_a, comparison.app_b) if comparison else ()
        else:
            narrowing = self.browse.filters.describe()
            if narrowing:
                subtitle_parts.append(narrowing)
            subtitle = " · ".join(subtitle_parts)
            table = view_table(self.browse.export_title(), self.browse.proxy, subtitle)
            browsed = self.browse.selection
            apps = (
                (self._catalog.app_type(browsed.key),) if browsed.kind is SelectionKind.APP else ()
            )
        # The customer's admin needs the roles and notes too, not only the permissions.
        sections = tuple(part for app in apps for part in app_sections(self._catalog, app))
        return replace(table, sections=sections)

    def export(self, fmt: ExportFormat) -> None:
        if self._exporter.busy:
            return
        table = self.current_table()
        folder = Path(self._last_folder or documents_folder())
        suggested = str(folder / f"{_file_stem(table.title)}.{fmt.value}")
        chosen = self._ask_save_path(
            self, f"Export the current view to {fmt.value.upper()}", suggested, _FILTERS[fmt]
        )
        if not chosen:
            return
        path = Path(chosen)
        if path.suffix.lower() != f".{fmt.value}":
            path = path.with_name(f"{path.name}.{fmt.value}")
        self._last_folder = str(path.parent)
        self.status.setText(f"Saving {path.name}…")
        self._exporter.export(table, path, fmt)

    def _on_export_busy(self, busy: bool) -> None:
        self.export_csv.setEnabled(not busy)
        self.export_pdf.setEnabled(not busy)
        if busy:
            self._show_cancel.start()
        else:
            self._show_cancel.stop()
            self.cancel_export.hide()

    def _on_cancelled(self) -> None:
        self.status.setText("Export cancelled; nothing was saved.")

    def _on_saved(self, path: str) -> None:
        self.status.setText(f"Saved {path}")

    def _on_failed(self, error: object) -> None:
        self.status.setText("Export failed.")
        self._dialogs.error("Export failed", error if isinstance(error, UserError) else str(error))


def view_table(title: str, model: QAbstractItemModel, subtitle: str) -> ExportTable:
    """Read a table view's model as shown (display text; the marker column's full reason)."""
    headers = tuple(
        str(model.headerData(c, Qt.Orientation.Horizontal)) for c in range(model.columnCount())
    )
    marker = headers.index(HIGH_PRIVILEGE_HEADER) if HIGH_PRIVILEGE_HEADER in headers else -1
    rows = []
    for r in range(model.rowCount()):
        cells = []
        for c in range(model.columnCount()):
            index = model.index(r, c)
            if c == marker:
                tip = str(index.data(Qt.ItemDataRole.ToolTipRole) or "")
                cells.append(tip if tip.startswith(MARKER_PREFIXES) else "")
            else:
                cells.append(str(index.data(Qt.ItemDataRole.DisplayRole) or ""))
        rows.append(tuple(cells))
    return ExportTable(title, headers, tuple(rows), subtitle, marker)


def _file_stem(title: str) -> str:
    keep = "".join(ch if ch.isalnum() or ch in " -_" else " " for ch in title)
    return "-".join(keep.split())[:80] or "permissions"


def documents_folder() -> Path:
    """Where an export is first offered: the user's Documents folder, or the home folder when
    there is none (a file dialog given a missing folder opens somewhere unrelated)."""
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(found) if found and Path(found).is_dir() else Path.home()
