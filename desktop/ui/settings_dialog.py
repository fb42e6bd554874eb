"""The Settings screen: the sign-in app's and each app type's client ID per cloud, the consent
timeout, check concurrency, the consent-link redirect URI and the browser.

Every field is checked as it is typed by the same core functions as ``app-profiles-cli
settings set`` (:mod:`desktop.core.settings_edit`); Save stays disabled while one is refused.
The dialog does no I/O: it is given the settings and the values in use, and a *save* callable
that writes them (atomically) or raises :class:`UserError`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.core import settings_edit as edit
from desktop.core.domain import Cloud
from desktop.core.errors import UserError
from desktop.core.settings import Settings
from desktop.core.settings_hint import SettingTarget

from desktop.ui.forms import buddy_label
from desktop.ui.settings_fields import SettingField

if TYPE_CHECKING:
    from desktop.controllers.team_settings import TeamConnection

    from desktop.ui.team_settings import TeamDatabasePage

SaveSettings = Callable[[Settings], None]
#: Stores the team database password (address, password) in the OS keyring.
#: (None: the address ``APP_PROFILES_DATABASE_URL`` sets).
SavePassword = Callable[[str | None, str], None]

_SIGN_IN_HELP = (
    "Your organization's own app registration that technicians sign in with (multi-tenant, "
    "Mobile and desktop redirect http://localhost). Each national cloud needs its own."
)
_APPS_HELP = (
    "Your organization's publisher app of each app type (its Application (client) ID in "
    "Entra). Each national cloud needs its own registration."
)


class SettingsDialog(QDialog):
    """Edits Settings; :attr:`saved` holds what was saved once Save succeeded."""

    def __init__(
        self,
        settings: Settings,
        values: list[edit.SettingValue],
        save: SaveSettings,
        parent: QWidget | None = None,
        *,
        team: TeamConnection | None = None,
        save_password: SavePassword | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("SettingsDialog")
        self.setWindowTitle("Settings")
        self._settings = settings
        self._save = save
        self.saved: Settings | None = None
        self.fields: dict[tuple[str, str, str], SettingField] = {}
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self._sign_in_tab(values), "&Sign-in app")
        self.tabs.addTab(self._apps_tab(values), "&App client IDs")
        self.tabs.addTab(self._general_tab(values), "&General")
        from desktop.ui.team_settings import TeamDatabasePage

        self._save_password = save_password
        self.team_page: TeamDatabasePage = TeamDatabasePage(settings.team_database_url, team, self)
        self.team_page.validity_changed.connect(self._update_save)
        self.tabs.addTab(self.team_page, "&Team database")
        self.problem = QLabel(self)
        self.problem.setObjectName("SettingsProblem")
        self.problem.setWordWrap(True)
        self.problem.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self._on_save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        for field in self.fields.values():
            field.validity_changed.connect(self._update_save)
        self._update_save()
        self.resize(760, 560)

    @property
    def save_button(self) -> QPushButton:
        button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        assert button is not None
        return button

    def field(self, key: str, cloud: str = "", app_type_id: str = "") -> SettingField:
        """The field of *key* (in *cloud*, for *app_type_id* where they apply)."""
        return self.fields[(key, cloud, app_type_id)]

    def _add(self, value: edit.SettingValue, parent: QWidget, help_text: str = "") -> SettingField:
        field = SettingField(value, parent, help_text=help_text)
        self.fields[(value.key, value.cloud, value.app_type_id)] = field
        return field

    def _sign_in_tab(self, values: list[edit.SettingValue]) -> QWidget:
        page = QWidget(self)
        form = QFormLayout(page)
        form.addRow(_note(_SIGN_IN_HELP, page))
        for cloud in Cloud:
            value = edit.value_of(values, edit.SIGN_IN_CLIENT_ID, cloud.value)
            field = self._add(value, page)
            form.addRow(buddy_label(f"{cloud.label}:", field.line, page), field)
        return page

    def _apps_tab(self, values: list[edit.SettingValue]) -> QWidget:
        page = QWidget(self)
        layout = QVBoxLayout(page)
        layout.addWidget(_note(_APPS_HELP, page))
        self.cloud_choice = QComboBox(page)
        self.cloud_choice.setObjectName("SettingsCloud")
        row = QHBoxLayout()
        row.addWidget(buddy_label("&Cloud:", self.cloud_choice, page))
        row.addWidget(self.cloud_choice, 1)
        layout.addLayout(row)
        self.cloud_pages = QStackedWidget(page)
        for cloud in Cloud:
            self.cloud_choice.addItem(cloud.label, cloud.value)
            scroll = QScrollArea(self.cloud_pages)
            scroll.setWidgetResizable(True)
            inner = QWidget(scroll)
            form = QFormLayout(inner)
            for value in values:
                if value.key == edit.CLIENT_ID and value.cloud == cloud.value:
                    field = self._add(value, inner)
                    label = buddy_label(f"{value.app_type_label}:", field.line, inner)
                    form.addRow(label, field)
            scroll.setWidget(inner)
            self.cloud_pages.addWidget(scroll)
        self.cloud_choice.currentIndexChanged.connect(self.cloud_pages.setCurrentIndex)
        layout.addWidget(self.cloud_pages, 1)
        return page

    def _general_tab(self, values: list[edit.SettingValue]) -> QWidget:
        page = QWidget(self)
        form = QFormLayout(page)
        labels = {k.name: k for k in edit.KEYS}
        for key in (edit.CONSENT_TIMEOUT, edit.CHECK_CONCURRENCY, edit.CONSENT_LINK_REDIRECT_URI):
            field = self._add(edit.value_of(values, key), page, labels[key].help)
            form.addRow(buddy_label(f"{labels[key].label}:", field.line, page), field)
        browser = self._add(edit.value_of(values, edit.BROWSER), page, labels[edit.BROWSER].help)
        choose = QPushButton("Choose…", page)
        choose.setObjectName("ChooseBrowser")
        choose.clicked.connect(lambda: self._choose_browser(browser))
        browser.line_row.addWidget(choose)
        form.addRow(buddy_label("&Browser:", browser.line, page), browser)
        return page

    def _choose_browser(self, field: SettingField) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Choose the browser's program")
        if path:
            field.line.setText(path)

    def _update_save(self) -> None:
        valid = all(f.valid for f in self.fields.values())
        self.save_button.setEnabled(valid and self.team_page.valid)

    def show_field(self, target: SettingTarget) -> SettingField:
        """Bring *target*'s field into view with the cursor in it (for "Set it in Settings")."""
        cloud = "" if target.key not in (edit.SIGN_IN_CLIENT_ID, edit.CLIENT_ID) else target.cloud
        field = self.fields[(target.key, cloud, target.app_type_id)]
        if target.key == edit.SIGN_IN_CLIENT_ID:
            self.tabs.setCurrentIndex(0)
        elif target.key == edit.CLIENT_ID:
            self.tabs.setCurrentIndex(1)
            self.cloud_choice.setCurrentIndex(self.cloud_choice.findData(target.cloud))
            scroll = self.cloud_pages.currentWidget()
            if isinstance(scroll, QScrollArea):
                scroll.ensureWidgetVisible(field)
        else:
            self.tabs.setCurrentIndex(2)
        field.line.setFocus()
        return field

    def _on_save(self) -> None:
        updated = self._settings
        try:
            for field in self.fields.values():
                updated = field.apply_to(updated)
            if not self.team_page.from_environment:
                address = self.team_page.address_text
                updated = dataclasses.replace(updated, team_database_url=address)
            password = self.team_page.password.text()
            if password and self._save_password is not None:
                env = self.team_page.from_environment
                self._save_password(None if env else self.team_page.address_text, password)
                self.team_page.password.clear()
            self._save(updated)
        except UserError as exc:
            self.problem.setText(f"{exc.message} {exc.remedy}".strip())
            self.problem.show()
            return
        self.saved = updated
        self.accept()


def _note(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    return label
