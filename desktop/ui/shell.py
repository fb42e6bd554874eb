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
    """Adds the Help menu's actions, restores and saves the window layout, raises the window.

    Attributes:
        about_action: Help → About (F1).
        log_folder_action: Help → Open log folder.
        sandbox_help_action: Help → Sandbox help.
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
        self.log_folder_action = QAction("Open &log folder", window)
        self.log_folder_action.setObjectName("OpenLogFolderAction")
        self.log_folder_action.setStatusTip(str(log_folder))
        self.log_folder_action.triggered.connect(self.open_log_folder)
        self.sandbox_help_action = QAction("&Sandbox help", window)
        self.sandbox_help_action.setObjectName("SandboxHelpAction")
        self.sandbox_help_action.triggered.connect(self.show_sandbox_help)
        for action in (self.log_folder_action, self.sandbox_help_action):
            window.help_menu.addAction(action)
        window.help_menu.addSeparator()
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
    def open_log_folder(self) -> None:
        """Open the log folder in the file manager (for a support ticket)."""
        from PySide6.QtCore import QUrl
        from PySide6.QtGui import QDesktopServices

        opener = self._open_url or QDesktopServices.openUrl
        opener(QUrl.fromLocalFile(str(self._log_folder)))

    @Slot()
    def show_sandbox_help(self) -> None:
        """Say what the sandbox is, and whether this window is one."""
        from desktop.ui.sandbox_banner import SANDBOX_HELP, running_in_sandbox

        now = (
            "This window is the sandbox."
            if running_in_sandbox(self._window)
            else "This window works with real tenants."
        )
        dialogs = getattr(self._ctx, "dialogs", None)
        if dialogs is not None:
            dialogs.info("Sandbox help", f"{now}\n\n{SANDBOX_HELP}")

    @Slot()
    def bring_to_front(self) -> None:
        """Show the window un-minimized, on top, with focus (as far as the OS allows)."""
        window = self._window
        if window.isMinimized():
            window.setWindowState(window.windowState() & ~Qt.WindowState.WindowMinimized)
        window.show()
        window.raise_()
        window.activateWindow()
