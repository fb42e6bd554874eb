"""A compact dialog with one app's permissions and roles, opened from a consent row.

It is built on the permissions viewer's query functions (the same rows, high-privilege marks and
role lines as the Permissions page), filtered to the one app.
"""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.core.catalog.export import marker_text
from desktop.core.catalog.model import Catalog
from desktop.core.catalog.privilege import PrivilegeLevel
from desktop.core.catalog.query import permission_rows, role_lines, role_text

from desktop.ui.permissions.table_model import MARKERS


class PermissionsDialog(QDialog):
    """What the customer's admin is asked to grant to *app*, before they grant it."""

    def __init__(self, catalog: Catalog, app_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        app = catalog.app_type(app_id)
        rows = permission_rows(catalog, [app_id])
        high = sum(1 for r in rows if r.high_privilege)
        critical = sum(1 for r in rows if r.privilege_level is PrivilegeLevel.CRITICAL)
        self.setWindowTitle(f"Permissions of {app.label}")
        self.setObjectName("PermissionsDialog")
        layout = QVBoxLayout(self)
        intro = QLabel(
            f"{app.label} asks for {len(rows)} permission(s), {high} of them high-privilege (⚠), "
            f"{critical} of those critical. "
            "Application permissions act without a signed-in user; delegated ones act as the "
            "signed-in user.",
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.table = QTableWidget(len(rows), 5, self)
        self.table.setHorizontalHeaderLabels(
            ["Privilege", "API", "Permission", "Type", "Description"]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.setAccessibleName(f"Permissions of {app.label}")
        bold = QFont(self.font())
        bold.setBold(True)
        for index, row in enumerate(rows):
            # The same words as the Permissions page: Critical and High differ in word and
            # weight, not in colour alone.
            level = row.privilege_level if row.high_privilege else None
            mark = MARKERS[level] if level is not None else ""
            texts = (mark, row.api, row.permission, row.type.value, row.description)
            for column, text in enumerate(texts):
                item = QTableWidgetItem(text)
                if row.high_privilege_reason:
                    item.setToolTip(marker_text(row.high_privilege_reason, row.privilege_level))
                if level is PrivilegeLevel.CRITICAL:
                    item.setFont(bold)
                self.table.setItem(index, column, item)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        layout.addWidget(self.table, 1)
        if not rows:
            layout.addWidget(QLabel("The documentation lists no permissions for this app.", self))
        for line in role_lines(app):
            label = QLabel(f"Directory role {line.role}: {role_text(line)}", self)
            label.setWordWrap(True)
            layout.addWidget(label)
        for note in app.notes:
            label = QLabel(note, self)
            label.setWordWrap(True)
            layout.addWidget(label)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(820, 480)
