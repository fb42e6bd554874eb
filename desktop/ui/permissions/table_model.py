"""Table models for the permissions viewer: one app's (or API's) rows, and a comparison."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from desktop.core.catalog.export import HIGH_PRIVILEGE_HEADER, marker_text
from desktop.core.catalog.privilege import PrivilegeLevel
from desktop.core.catalog.query import AppComparison, ComparedPermission, PermissionRow, Side

Index = QModelIndex | QPersistentModelIndex

#: The row object behind an index (a PermissionRow or a ComparedPermission).
ROW_ROLE = Qt.ItemDataRole.UserRole + 1
#: A key that sorts the column sensibly (case-insensitive text; marked rows first).
SORT_ROLE = Qt.ItemDataRole.UserRole + 2

#: What the marker column shows: a word, not just a colour, so it reads in print and to a
#: screen reader too. Critical is also bold.
MARKERS = {PrivilegeLevel.CRITICAL: "⚠ Critical", PrivilegeLevel.HIGH: "⚠ High"}
MARKER = MARKERS[PrivilegeLevel.HIGH]
_SORT_LEVEL = {PrivilegeLevel.CRITICAL: 0, PrivilegeLevel.HIGH: 1}


class PermissionTableModel(QAbstractTableModel):
    """Permission rows with columns High privilege, [App type], API, Permission, Type and
    Description. The App type column is shown when the rows come from more than one app. The
    marker comes first so no window width hides it; Description comes last so it can take
    the remaining width."""

    BASE_HEADERS = ("API", "Permission", "Type", "Description")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[PermissionRow] = []
        self._with_app = True

    @property
    def rows(self) -> list[PermissionRow]:
        return list(self._rows)

    @property
    def with_app_type(self) -> bool:
        return self._with_app

    def headers(self) -> tuple[str, ...]:
        app = ("App type",) if self._with_app else ()
        return (HIGH_PRIVILEGE_HEADER, *app, *self.BASE_HEADERS)

    def set_rows(self, rows: Sequence[PermissionRow], *, with_app_type: bool) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._with_app = with_app_type
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers())

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        return header_data(self.headers(), section, orientation, role)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = self.headers()[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole and column == "Permission" and row.note:
            return f"{row.permission}\n{row.note}"
        return cell_data(
            column, row_cells(row), row.high_privilege_reason, row, role, row.privilege_level
        )


class ComparisonModel(QAbstractTableModel):
    """Two app types' permissions side by side: Required by, API, Permission, ..."""

    HEADERS = (HIGH_PRIVILEGE_HEADER, "Required by", *PermissionTableModel.BASE_HEADERS)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._comparison: AppComparison | None = None
        self._rows: list[ComparedPermission] = []

    @property
    def comparison(self) -> AppComparison | None:
        return self._comparison

    @property
    def rows(self) -> list[ComparedPermission]:
        return list(self._rows)

    def set_comparison(self, comparison: AppComparison | None) -> None:
        self.beginResetModel()
        self._comparison = comparison
        self._rows = comparison.rows() if comparison else []
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        return header_data(self.HEADERS, section, orientation, role)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows) or not self._comparison:
            return None
        item = self._rows[index.row()]
        column = self.HEADERS[index.column()]
        if column == "Required by":
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                return self._comparison.side_label(item.side)
            if role == SORT_ROLE:
                return list(Side).index(item.side)
        p = item.permission
        cells = {
            "API": p.api,
            "Permission": p.name,
            "Description": p.description,
            "Type": p.type.value,
        }
        return cell_data(
            column, cells, item.high_privilege_reason, item, role, item.privilege_level
        )


def header_data(
    headers: Sequence[str], section: int, orientation: Qt.Orientation, role: int
) -> Any:
    if orientation is not Qt.Orientation.Horizontal or not 0 <= section < len(headers):
        return None
    if role == Qt.ItemDataRole.DisplayRole:
        return headers[section]
    if role == Qt.ItemDataRole.ToolTipRole and headers[section] == HIGH_PRIVILEGE_HEADER:
        return (
            "Critical: a path to Global Administrator, to every account's sign-in, to all of "
            "the tenant's data or to every managed device.\n"
            "High: another tenant-wide write.\nHover a mark to see why."
        )
    return None


def row_cells(row: PermissionRow) -> dict[str, str]:
    return {
        "App type": row.app_type,
        "API": row.api,
        "Permission": row.permission,
        "Description": row.description,
        "Type": row.type.value,
    }


def cell_data(
    column: str,
    cells: dict[str, str],
    reason: str | None,
    row: object,
    role: int,
    level: PrivilegeLevel | None = None,
) -> Any:
    """Display, tooltip, accessibility and sort data shared by both models."""
    if role == ROW_ROLE:
        return row
    if column == HIGH_PRIVILEGE_HEADER:
        level = (level or PrivilegeLevel.HIGH) if reason else None
        if role == Qt.ItemDataRole.DisplayRole:
            return MARKERS[level] if level else ""
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return marker_text(reason, level) if reason else "Not high privilege"
        if role == Qt.ItemDataRole.FontRole and level is PrivilegeLevel.CRITICAL:
            bold = QFont()
            bold.setBold(True)
            return bold
        if role == SORT_ROLE:
            return _SORT_LEVEL[level] if level else 2
        return None
    text = cells.get(column, "")
    if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
        return text
    if role == SORT_ROLE:
        return text.casefold()
    return None
