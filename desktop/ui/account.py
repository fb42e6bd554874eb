"""The technician's sign-in in the main window: an Account menu and a status-bar widget.

The status bar says who is signed in ("Signed in as …" or "Not signed in") with a button to
sign in or out; while the browser is open it says so and the button becomes Cancel. Who is
signed in is read after the window's first paint, and again whenever the encrypted token cache
changes (the wizard's, a check's or the CLI's own sign-ins write it), so the label follows them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMenu, QPushButton, QWidget

from desktop.core.errors import UserError

from desktop.ui.dialogs import UserDialogs
from desktop.ui.main_window import MainWindow

if TYPE_CHECKING:
    from PySide6.QtCore import QFileSystemWatcher

    from desktop.controllers.session import SessionController, SignInState
    from desktop.controllers.tasks import TaskRunner
    from desktop.core.services import CoreServices

#: Several writes to the vault folder in a row (a save merges and renames) make one look-up.
_SETTLE_MS = 300


class SessionStatus(QWidget):
    """The status-bar part: who is signed in, and one button (Sign in…, Cancel, Sign out)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("SessionStatus")
        self.label = QLabel("Checking sign-in…", self)
        self.label.setObjectName("SessionLabel")
        self.label.setAccessibleName("Technician sign-in")
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.button = QPushButton("Sign in…", self)
        self.button.setObjectName("SessionButton")
        self.button.setAutoDefault(False)
        self._set_button("Sign in…")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.label)
        layout.addWidget(self.button)

    def show_state(self, state: SignInState) -> None:
        if not state.known:
            self.label.setText("Checking sign-in…")
            self.label.setToolTip("")
        elif state.signed_in:
            first, more = state.usernames[0], len(state.usernames) - 1
            extra = f" (+{more} more)" if more else ""
            self.label.setText(f"Signed in as {first}{extra}")
            self.label.setToolTip("Signed in on this computer as: " + ", ".join(state.usernames))
        else:
            self.label.setText("Not signed in")
            problem = state.problem
            self.label.setToolTip(
                problem.one_line()
                if problem is not None
                else "Sign in to check publisher apps and verify consents in your customers' "
                "tenants."
            )
        self._set_button("Sign out" if state.signed_in else "Sign in…")

    def show_waiting(self, text: str) -> None:
        self.label.setText(text)
        self.label.setToolTip("Finish signing in in the browser window, or press Cancel.")
        self._set_button("Cancel")

    def _set_button(self, text: str) -> None:
        self.button.setText(text)
        self.button.setAccessibleName(text.rstrip("…"))


class AccountUi(QObject):
    """Connects the Account menu and the status widget to the :class:`SessionController`.

    The controller (and its module) is made on first need: after the window's first paint, or
    when the technician uses the menu or the button before that. Until then the status bar
    says "Checking sign-in…".
    """

    def __init__(
        self,
        window: MainWindow,
        make_controller: Callable[[], SessionController],
        dialogs: UserDialogs,
        watch_folder: Path | None = None,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.dialogs = dialogs
        self._make_controller = make_controller
        self._controller: SessionController | None = None
        self._watch_folder = watch_folder
        self._watcher: QFileSystemWatcher | None = None
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(_SETTLE_MS)
        self._settle.timeout.connect(self._refresh)
        self._signing_in = False

        self.menu = QMenu("&Account", window)
        self.sign_in_action = QAction("Sign &in…", self.menu)
        self.sign_in_action.setShortcut(QKeySequence("Ctrl+Shift+I"))
        self.sign_in_action.setStatusTip("Sign in as the technician in your browser")
        self.sign_out_action = QAction("Sign &out", self.menu)
        self.sign_out_action.setStatusTip("Forget your sign-in on this computer")
        self.sign_out_action.setEnabled(False)
        self.cancel_action = QAction("&Cancel sign-in", self.menu)
        self.cancel_action.setEnabled(False)
        for action in (self.sign_in_action, self.sign_out_action, self.cancel_action):
            self.menu.addAction(action)
        window.menuBar().insertMenu(window.view_menu.menuAction(), self.menu)
        self.status = SessionStatus(window)
        window.statusBar().addPermanentWidget(self.status)

        self.sign_in_action.triggered.connect(self._sign_in)
        self.sign_out_action.triggered.connect(self._sign_out)
        self.cancel_action.triggered.connect(self._cancel)
        self.status.button.clicked.connect(self._on_button)

    def signed_in(self) -> bool | None:
        """Whether the technician is signed in; None before the sign-in state is known."""
        if self._controller is None or not self._controller.state.known:
            return None
        return bool(self._controller.state.signed_in)

    @property
    def controller(self) -> SessionController:
        """The session controller, made (and connected) the first time it is needed."""
        if self._controller is None:
            controller = self._make_controller()
            controller.state_changed.connect(self._on_state)
            controller.busy_changed.connect(self._on_busy)
            controller.progressed.connect(self._on_progress)
            controller.failed.connect(self._on_failed)
            controller.cancelled.connect(self._on_cancelled)
            controller.signed_out.connect(self._on_signed_out)
            self._controller = controller
            self._on_state(controller.state)
        return self._controller

    # -- start -------------------------------------------------------------------------------

    def start_after_first_paint(self) -> None:
        """Read who is signed in once the window has painted (keeps it off the start path)."""
        self.window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.Paint:
            self.window.removeEventFilter(self)
            QTimer.singleShot(0, self, self.start)
        return False

    @Slot()
    def start(self) -> None:
        """Read who is signed in now, and again whenever the token cache changes."""
        folder = self._watch_folder
        if self._watcher is None and folder is not None and folder.is_dir():
            from PySide6.QtCore import QFileSystemWatcher

            self._watcher = QFileSystemWatcher([str(folder)], self)
            self._watcher.directoryChanged.connect(self._on_folder_changed)
        self.controller.refresh()

    @Slot(str)
    def _on_folder_changed(self, _path: str) -> None:
        self._settle.start()

    @Slot()
    def _refresh(self) -> None:
        self.controller.refresh()

    @Slot()
    def _sign_in(self) -> None:
        self.controller.sign_in()

    @Slot()
    def _sign_out(self) -> None:
        self.controller.sign_out()

    @Slot()
    def _cancel(self) -> None:
        self.controller.cancel()

    # -- reactions ---------------------------------------------------------------------------

    @Slot()
    def _on_button(self) -> None:
        controller = self.controller
        if controller.busy:
            controller.cancel()
        elif controller.state.signed_in:
            controller.sign_out()
        else:
            controller.sign_in()

    @Slot(object)
    def _on_state(self, state: SignInState) -> None:
        if not self._signing_in:
            self.status.show_state(state)
        self.sign_out_action.setEnabled(state.signed_in and not self.controller.busy)

    @Slot(bool)
    def _on_busy(self, busy: bool) -> None:
        self.sign_in_action.setEnabled(not busy)
        self.sign_out_action.setEnabled(not busy and self.controller.state.signed_in)
        if busy:
            self.window.statusBar().clearMessage()  # e.g. an earlier "cancelled"
        else:
            self._signing_in = False
            self.cancel_action.setEnabled(False)
            self.status.show_state(self.controller.state)

    @Slot(str)
    def _on_progress(self, text: str) -> None:
        self._signing_in = True
        self.cancel_action.setEnabled(True)
        self.status.show_waiting(text)

    @Slot(str, object)
    def _on_failed(self, action: str, error: object) -> None:
        self.window.statusBar().clearMessage()
        if isinstance(error, UserError):
            self.dialogs.error(action, error)

    @Slot()
    def _on_cancelled(self) -> None:
        self.window.statusBar().showMessage("Sign-in cancelled; you are not signed in.", 8000)

    @Slot()
    def _on_signed_out(self) -> None:
        self.window.statusBar().showMessage(
            "Signed out: your sign-in was removed from this computer.", 8000
        )


def add_account(
    window: MainWindow,
    runner: TaskRunner,
    dialogs: UserDialogs,
    services: CoreServices,
) -> AccountUi:
    """The Account menu and the status-bar sign-in over this data folder's encrypted cache.

    The core session is the one the CLI's ``signin`` uses, built on a worker thread each time,
    so a client ID set in Settings is picked up without a restart.
    """

    def timeout() -> float:
        return float(services.settings().consent_timeout_seconds)

    def controller() -> SessionController:
        from desktop.controllers.session import SessionController

        return SessionController(runner, services.technician_session, timeout, window)

    return AccountUi(window, controller, dialogs, watch_folder=services.paths.vault)
