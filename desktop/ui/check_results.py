"""The results of the running (or last) check, streamed in as they arrive."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QIcon
from PySide6.QtWidgets import QApplication, QStyle

from desktop.core.checks.result import CheckResult
from desktop.core.domain import Status

from desktop.ui.table_base import HeaderedTableModel

_Index = QModelIndex | QPersistentModelIndex

#: Words first; the icon and colour only repeat them (colour is never the only cue).
_ICONS = {
    Status.VALID: QStyle.StandardPixmap.SP_DialogApplyButton,
    Status.EXPIRED: QStyle.StandardPixmap.SP_MessageBoxWarning,
    Status.INVALID: QStyle.StandardPixmap.SP_MessageBoxCritical,
    Status.UNKNOWN: QStyle.StandardPixmap.SP_MessageBoxQuestion,
}
_COLOURS = {Status.EXPIRED: QColor("#8a5a00"), Status.INVALID: QColor("#b00020")}


def status_text(result: CheckResult) -> str:
    if result.transient:
        return f"{result.status.value} (check failed)"
    if result.warning and result.status is Status.VALID:
        return "Valid (warning)"
    return result.status.value


class CheckResultsModel(HeaderedTableModel):
    """One row per checked profile, in the order results arrived; a re-check replaces it."""

    HEADERS = ("Profile", "Status", "Reason", "What to do", "Checked")

    def __init__(self, name_of: Callable[[int], str] | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[CheckResult] = []
        self._row_of: dict[int, int] = {}
        self._name_of = name_of or (lambda pid: f"#{pid}")
        self._icons: dict[Status, QIcon] = {}

    def _count(self) -> int:
        return len(self._rows)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        result = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(result, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            # A Valid result's warning is its reason too: say it once.
            parts = dict.fromkeys(filter(None, [result.reason, result.remedy, result.warning]))
            return "\n\n".join(parts)
        if role == Qt.ItemDataRole.DecorationRole and column == 1:
            return self._icon(result.status)
        if role == Qt.ItemDataRole.ForegroundRole and column == 1:
            return _COLOURS.get(result.status)
        if role == Qt.ItemDataRole.UserRole:
            return result
        return None

    def _icon(self, status: Status) -> QIcon | None:
        # Made once per status: a view asks for it on every paint of every visible row.
        icon = self._icons.get(status)
        if icon is None:
            app = QApplication.instance()
            if not isinstance(app, QApplication):
                return None
            icon = self._icons[status] = app.style().standardIcon(_ICONS[status])
        return icon

    def _display(self, result: CheckResult, column: int) -> str:
        if column == 0:
            return self._name_of(result.id)
        if column == 1:
            return status_text(result)
        if column == 2:
            return result.reason or result.warning
        if column == 3:
            return result.remedy
        return result.checked_at.astimezone().strftime("%Y-%m-%d %H:%M:%S")

    def clear(self) -> None:
        self.beginResetModel()
        self._rows.clear()
        self._row_of.clear()
        self.endResetModel()

    def add(self, result: CheckResult) -> None:
        """Append a result, or replace the profile's earlier one."""
        self.add_many([result])

    def add_many(self, results: list[CheckResult]) -> None:
        """Append a batch of results (one insert), replacing earlier ones of the same profiles
        (one dataChanged over the rows that changed)."""
        fresh: list[CheckResult] = []
        changed: list[int] = []
        for result in results:
            row = self._row_of.get(result.id)
            if row is not None:
                self._rows[row] = result
                changed.append(row)
            elif any(r.id == result.id for r in fresh):
                fresh = [result if r.id == result.id else r for r in fresh]
            else:
                fresh.append(result)
        if changed:
            last = len(self.HEADERS) - 1
            self.dataChanged.emit(self.index(min(changed), 0), self.index(max(changed), last))
        if fresh:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(fresh) - 1)
            for offset, result in enumerate(fresh):
                self._rows.append(result)
                self._row_of[result.id] = first + offset
            self.endInsertRows()

    def result(self, row: int) -> CheckResult:
        return self._rows[row]

    def counts(self) -> dict[Status, int]:
        counts = dict.fromkeys(Status, 0)
        for result in self._rows:
            counts[result.status] += 1
        return counts
