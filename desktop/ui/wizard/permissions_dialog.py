"""A compact dialog with one app's permissions and roles, opened from a consent row."""

from __future__ import annotations

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

from desktop.core.catalog.model import AppType


class PermissionsDialog(QDialog):
    """What the customer's admin is asked to grant to *app*, before they grant it."""

    def __init__(self, app: AppType, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Permissions of {app.label}")
        self.setObjectName("PermissionsDialog")
        layout = QVBoxLayout(self)
        intro = QLabel(
            f"{app.label} asks for {len(app.permissions)} permission(s). "
            "Application permissions act without a signed-in user; delegated ones act as the "
            "signed-in user.",
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.table = QTableWidget(len(app.permissions), 4, self)
        self.table.setHorizontalHeaderLabels(["API", "Permission", "Type", "Description"])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.setAccessibleName(f"Permissions of {app.label}")
        for row, perm in enumerate(app.permissions):
            for column, text in enumerate((perm.api, perm.name, perm.type.value, perm.description)):
                self.table.setItem(row, column, QTableWidgetItem(text))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        layout.addWidget(self.table, 1)
        if not app.permissions:
            layout.addWidget(QLabel("The documentation lists no permissions for this app.", self))
        roles = [r.name for r in app.directory_roles]
        if roles:
            layout.addWidget(QLabel("Directory roles: " + ", ".join(roles), self))
        for note in app.notes:
            label = QLabel(note, self)
            label.setWordWrap(True)
            layout.addWidget(label)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(820, 480)
