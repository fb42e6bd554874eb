"""File → Settings… (Ctrl+, on Windows and Linux; the app menu's Preferences on macOS), and
"Open Settings" on every error that says to set something in Settings."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence

from desktop.core.catalog import Catalog
from desktop.core.errors import UserError
from desktop.core.paths import DataPaths

from desktop.ui.dialogs import UserDialogs
from desktop.ui.main_window import MainWindow

if TYPE_CHECKING:
    from desktop.controllers.tasks import TaskRunner
    from desktop.core.settings import Settings
    from desktop.core.settings_hint import SettingTarget

    from desktop.ui.settings_dialog import SettingsDialog


class SettingsUi(QObject):
    """Opens the Settings screen and saves what it returns.

    Signals:
        saved(): new settings were written (pages that show them refresh).
    """

    saved = Signal()

    def __init__(
        self,
        window: MainWindow,
        paths: DataPaths,
        catalog: Catalog,
        dialogs: UserDialogs,
        runner: TaskRunner | None = None,
    ) -> None:
        super().__init__(window)
        self._runner = runner
        self._window = window
        self._paths = paths
        self._catalog = catalog
        self.dialog: SettingsDialog | None = None
        self.action = QAction("&Settings…", window)
        self.action.setObjectName("SettingsAction")
        keys = [QKeySequence("Ctrl+,")]  # Windows and Linux have no standard binding of their own
        for key in QKeySequence.keyBindings(QKeySequence.StandardKey.Preferences):
            if key not in keys:
                keys.append(key)
        self.action.setShortcuts(keys)
        self.action.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.action.triggered.connect(lambda: self.open())
        window.file_menu.insertAction(window.quit_action, self.action)
        window.file_menu.insertSeparator(window.quit_action)
        window.addAction(self.action)  # the shortcut works with the menu closed
        dialogs.open_settings = self.open
        self._use_browser(self._load())

    def _load(self) -> Settings:
        from desktop.core.settings import Settings

        try:
            return Settings.load(self._paths.settings)
        except UserError:
            return Settings()

    @staticmethod
    def _use_browser(settings: Settings) -> None:
        from desktop.core.browser_choice import use_browser

        with contextlib.suppress(UserError):
            use_browser(settings.browser)

    def open(self, target: SettingTarget | None = None) -> SettingsDialog:
        """Show Settings (at *target*'s field when given)."""
        from desktop.core.catalog.loader import load_shipped
        from desktop.core.settings_edit import current_values

        from desktop.ui.settings_dialog import SettingsDialog

        settings = self._load()
        shipped = load_shipped() if len(self._catalog.sources) > 1 else None
        values = current_values(settings, self._catalog, shipped)
        from desktop.controllers.team_settings import TeamConnection, store_password

        team = TeamConnection(self._runner) if self._runner is not None else None
        dialog = SettingsDialog(
            settings, values, self._save, self._window, team=team, save_password=store_password
        )
        if team is not None:
            team.setParent(dialog)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        dialog.open()
        if target is not None:
            dialog.show_field(target)
        return dialog

    def _save(self, settings: Settings) -> None:
        settings.save(self._paths.settings)
        self._use_browser(settings)
        self.saved.emit()


def add_settings(
    window: MainWindow,
    paths: DataPaths,
    catalog: Catalog,
    dialogs: UserDialogs,
    runner: TaskRunner | None = None,
) -> SettingsUi:
    """Add File → Settings… to *window* (with *runner*, Team database can test a
    connection)."""
    return SettingsUi(window, paths, catalog, dialogs, runner)
