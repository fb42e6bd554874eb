"""Panes under the table: which app types require the selected permission, and the selected
app's directory roles and Azure role notes."""

from __future__ import annotations

import html

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QLabel, QListView, QTextBrowser, QVBoxLayout, QWidget

from desktop.core.catalog.model import AppType, Catalog, DelegationKind
from desktop.core.catalog.query import (
    PermissionRow,
    apps_requiring,
    azure_role_text,
    role_lines,
    role_text,
)

APP_ID_ROLE = Qt.ItemDataRole.UserRole + 20

_KIND_WORDS = {
    DelegationKind.APPLICATION: "application permissions only",
    DelegationKind.HYBRID: "hybrid: application and delegated permissions",
    DelegationKind.DELEGATED: "delegated permissions only",
}


class RequiredByPane(QWidget):
    """Every app type that requires the selected permission.

    Signals:
        app_activated(str): the id of an app type the user opened from the list.
    """

    app_activated = Signal(str)

    def __init__(self, catalog: Catalog, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._catalog = catalog
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.model = QStandardItemModel(self)
        self.list = QListView()
        self.list.setObjectName("RequiredByList")
        self.list.setAccessibleName("App types that require the selected permission")
        self.list.setModel(self.model)
        self.list.setEditTriggers(QListView.EditTrigger.NoEditTriggers)
        self.list.activated.connect(self._on_activated)
        # Short enough that the pane can stay small; the list scrolls.
        self.list.setMinimumHeight(self.list.fontMetrics().height() * 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.heading)
        layout.addWidget(self.list, 1)
        self.show_row(None)

    def app_names(self) -> list[str]:
        return [self.model.item(r).text() for r in range(self.model.rowCount())]

    def show_row(self, row: PermissionRow | None) -> None:
        self.model.clear()
        if row is None:
            self.heading.setText("Select a permission to see every app type that requires it.")
            return
        apps = apps_requiring(self._catalog, row.api, row.permission, row.type)
        self.heading.setText(
            f"{row.permission} ({row.api}, {row.type.value}) is required by "
            f"{len(apps)} app type{'s' if len(apps) != 1 else ''}. "
            "Press Enter or double-click one to browse it."
        )
        for app in apps:
            services = ", ".join(s.name for s in self._catalog.services_of(app))
            item = QStandardItem(app.label)
            item.setEditable(False)
            item.setData(app.id, APP_ID_ROLE)
            item.setToolTip(f"Used by {services}" if services else app.label)
            self.model.appendRow(item)

    def _on_activated(self, index: QModelIndex) -> None:
        app_id = index.data(APP_ID_ROLE)
        if isinstance(app_id, str):
            self.app_activated.emit(app_id)


class AppInfoPane(QTextBrowser):
    """The selected app's kind, directory roles (per setup mode), Azure roles and notes."""

    def __init__(self, catalog: Catalog, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._catalog = catalog
        self.setObjectName("AppRolesPane")
        self.setAccessibleName("Directory roles and Azure role notes of the selected app")
        self.setOpenLinks(False)
        self.setMinimumHeight(self.fontMetrics().height() * 3)
        self.show_app(None)

    def show_app(self, app: AppType | None) -> None:
        if app is None:
            self.setHtml(
                "<p>Select an app type (or a permission row) to see the directory roles and "
                "Azure roles it needs.</p>"
            )
            return
        self.setHtml(app_info_html(self._catalog, app))


def app_info_html(catalog: Catalog, app: AppType) -> str:
    """The roles pane's text for *app*."""
    esc = html.escape
    services = ", ".join(s.name for s in catalog.services_of(app))
    parts = [
        f"<h3>{esc(app.label)}</h3>",
        f"<p>Used by: {esc(services) or 'no service'}. Holds {esc(_KIND_WORDS[app.kind])}."
        f"{' Supports user consent as well as admin consent.' if app.supports_user_consent else ''}"
        "</p>",
        "<p><b>Directory roles</b></p>",
    ]
    lines = role_lines(app)
    if not lines:
        parts.append("<p>This app needs no Microsoft Entra directory roles.</p>")
    else:
        items = [f"<li><b>{esc(line.role)}</b>: {esc(role_text(line))}</li>" for line in lines]
        parts.append(f"<ul>{''.join(items)}</ul>")
    if app.azure_roles:
        parts.append("<p><b>Azure roles</b></p><ul>")
        parts.extend(f"<li>{esc(azure_role_text(req))}</li>" for req in app.azure_roles)
        parts.append("</ul>")
    if app.notes:
        parts.append("<p><b>Notes</b></p><ul>")
        parts.extend(f"<li>{esc(note)}</li>" for note in app.notes)
        parts.append("</ul>")
    return "".join(parts)
