"""Window-level behaviour around the main window: Help → About, the remembered layout, and
coming forward when another launch asks."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, Slot
from PySide6.QtGui import QAction, QKeySequence

from desktop.ui.lazy_page import LazyPage
from desktop.ui.main_window import MainWindow
from desktop.ui.window_state import WindowState

if TYPE_CHECKING:
    from desktop.ui.about_dialog import AboutDialog, OpenUrl


class DesktopShell(QObject):
    """Adds the About action, restores and saves the window layout, raises the window.

    Attributes:
        about_action: Help → About (F1).
        about_dialog: the About dialog once shown.
    """

    def __init__(
        self,
        window: MainWindow,
        ctx: Any,
        state: WindowState,
        log_folder: Path,
        *,
        open_url: OpenUrl | None = None,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._ctx = ctx
        self._state = state
        self._log_folder = log_folder
        self._open_url = open_url
        self.about_dialog: AboutDialog | None = None
        self.about_action = QAction(f"&About {window.windowTitle()}", window)
        self.about_action.setObjectName("AboutAction")
        # F1 everywhere, plus the platform's help key where that differs (Cmd+? on macOS).
        keys = [QKeySequence("F1")]
        for key in QKeySequence.keyBindings(QKeySequence.StandardKey.HelpContents):
            if key not in keys:
                keys.append(key)
        self.about_action.setShortcuts(keys)
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        self.about_action.triggered.connect(self.show_about)
        window.help_menu.addAction(self.about_action)
        window.closing.connect(self.save_layout)
        for index in range(window.tabs.count()):
            page = window.tabs.widget(index)
            if isinstance(page, LazyPage):
                # Built after the layout was restored: its columns get theirs back when built.
                page.built.connect(state.restore_below)

    def restore_layout(self) -> bool:
        """Put the window and its named splitters and headers back as they were left."""
        return self._state.restore(self._window)

    @Slot()
    def save_layout(self) -> None:
        self._state.save(self._window)

    @Slot()
    def show_about(self) -> AboutDialog:
        from desktop.ui.about_dialog import AboutDialog, AboutInfo  # only when asked for

        info = AboutInfo.from_context(self._ctx, self._log_folder)
        self.about_dialog = AboutDialog(info, self._window, open_url=self._open_url)
        self.about_dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.about_dialog.open()
        return self.about_dialog

    @Slot()
    def bring_to_front(self) -> None:
        """Show the window un-minimized, on top, with focus (as far as the OS allows)."""
        window = self._window
        if window.isMinimized():
            window.setWindowState(window.windowState() & ~Qt.WindowState.WindowMinimized)
        window.show()
        window.raise_()
        window.activateWindow()
