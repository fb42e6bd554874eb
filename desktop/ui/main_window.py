"""The main window: a tab per screen, a menu bar, and a status bar for problems at start.

The menus are File, Edit, Profiles, View and Help (the Account menu joins before View); the
screens put their own actions in them (``desktop.ui.menus``), the same ones their toolbars use.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QMenu, QTabWidget, QWidget

from desktop import APP_NAME


class MainWindow(QMainWindow):
    """Hosts the screens. It knows no core service; ``app.py`` builds and adds the pages.

    Signals:
        closing(): the window is about to close (controllers cancel their work).
    """

    closing = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(APP_NAME)
        self.setObjectName("MainWindow")
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.tabs.setObjectName("MainTabs")
        self.setCentralWidget(self.tabs)
        self.file_menu: QMenu = self.menuBar().addMenu("&File")
        self.edit_menu: QMenu = self.menuBar().addMenu("&Edit")
        self.profiles_menu: QMenu = self.menuBar().addMenu("&Profiles")
        self.view_menu: QMenu = self.menuBar().addMenu("&View")
        self.help_menu: QMenu = self.menuBar().addMenu("&Help")
        for menu in (self.file_menu, self.edit_menu, self.profiles_menu, self.help_menu):
            menu.setToolTipsVisible(True)  # a disabled entry says why
        self.quit_action = QAction("&Quit", self)
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.quit_action.triggered.connect(self.close)
        self.file_menu.addAction(self.quit_action)
        self._pages_end = self.view_menu.addSeparator()  # the pages go above, columns below
        self._problem = QLabel(self)
        self._problem.setObjectName("StartupProblem")
        self._problem.setWordWrap(True)
        self._problem.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._problem.hide()
        self.statusBar().addPermanentWidget(self._problem, 1)
        self.resize(1100, 700)

    def add_page(self, page: QWidget, title: str, shortcut: str) -> int:
        """Add a screen as a tab, with a View menu entry and a shortcut that opens it."""
        index = self.tabs.addTab(page, title)
        action = QAction(title.replace("&", ""), self)
        action.setShortcut(QKeySequence(shortcut))
        # By widget, not index: a page may be moved (the profile list is always first).
        action.triggered.connect(lambda: self.tabs.setCurrentWidget(page))
        self.view_menu.insertAction(self._pages_end, action)
        return index

    def show_page(self, page: QWidget) -> None:
        self.tabs.setCurrentWidget(page)

    def show_problem(self, text: str) -> None:
        """A problem found at start that does not stop the app (e.g. a bad catalog override)."""
        self._problem.setText(f"⚠ {text}")
        self._problem.setToolTip(text)
        self._problem.show()

    @property
    def problem_text(self) -> str:
        return self._problem.text() if self._problem.isVisible() else ""

    def closeEvent(self, event: QCloseEvent) -> None:
        self.closing.emit()
        super().closeEvent(event)
