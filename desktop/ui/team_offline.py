"""The window while the team database cannot be reached: a banner saying so and how old the
list is, write actions disabled with a tooltip saying why, and back to normal once the live
connection returns (it keeps retrying on its own; see ``LiveChanges``).

The list on screen stays as it was last synced; it is read-only until the server is back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QMainWindow, QPushButton, QSizePolicy, QToolBar

#: Why a write action is disabled, as its tooltip says.
OFFLINE_TIP = "The team database cannot be reached: changes need the server. Reading still works."
_BAR_NAME = "TeamOfflineBar"


def age_words(seconds: float) -> str:
    """ "just now", "5 minutes ago", "2 hours ago", "3 days ago"."""
    minutes = int(seconds // 60)
    if minutes < 1:
        return "just now"
    if minutes < 60:
        return f"{minutes} minute{'s' if minutes != 1 else ''} ago"
    hours = minutes // 60
    if hours < 48:
        return f"{hours} hour{'s' if hours != 1 else ''} ago"
    return f"{hours // 24} days ago"


class TeamOffline(QObject):
    """Shows and hides the offline banner, and guards *actions* while offline.

    Attributes:
        offline: whether the team database is unreachable now.
        synced_at: when the list was last known to be current (the connection was up).
    """

    def __init__(
        self,
        window: QMainWindow,
        actions: Iterable[QAction],
        *,
        refresh: Callable[[], None] | None = None,
        buttons: Iterable[tuple[QPushButton, QAction]] = (),
        now: Callable[[], datetime] | None = None,
    ) -> None:
        """*refresh* sets the actions' enabled states and tips for the selection again (when
        the server is back); each of *buttons* follows its action (the check bar's)."""
        super().__init__(window)
        self._now = now or (lambda: datetime.now(UTC))
        self._refresh = refresh
        self._buttons = list(buttons)
        self._actions = [a for a in actions if a is not None]
        self._wanted: dict[QAction, bool] = {}
        self._tips: dict[QAction, str] = {}
        self._guarding = False
        self.offline = False
        self.synced_at: datetime = self._now()
        self.bar = QToolBar("Team database offline", window)
        self.bar.setObjectName(_BAR_NAME)
        self.bar.setMovable(False)
        self.bar.setFloatable(False)
        self.bar.toggleViewAction().setEnabled(False)
        self.label = QLabel(self.bar)
        self.label.setObjectName("TeamOfflineBanner")
        self.label.setAccessibleName("Team database offline")
        self.label.setWordWrap(True)
        self.label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.label.setStyleSheet(
            "QLabel#TeamOfflineBanner { background: #8a5a00; color: white; font-weight: bold;"
            " padding: 6px 10px; }"
        )
        self.bar.addWidget(self.label)
        window.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.bar)
        self.bar.hide()
        self._tick = QTimer(self)
        self._tick.setInterval(30_000)
        self._tick.timeout.connect(self._show_age)
        for action in self._actions:
            action.changed.connect(lambda a=action: self._on_action_changed(a))

    @Slot(bool)
    def set_connected(self, connected: bool) -> None:
        """The live connection is up (back to normal) or lost (read-only, with the banner)."""
        if connected:
            self.synced_at = self._now()
            if self.offline:
                self.offline = False
                self._tick.stop()
                self.bar.hide()
                self._release()
            return
        if self.offline:
            return
        self.offline = True
        self._show_age()
        self.bar.show()
        self._tick.start()
        self._guard()

    def _sync_buttons(self) -> None:
        for button, action in self._buttons:
            button.setEnabled(action.isEnabled())
            button.setToolTip(action.toolTip())

    def show_copy(self, synced_at: datetime) -> None:
        """The window started without the server: the list is the offline copy, synced at
        *synced_at* (read-only until the server answers)."""
        self.synced_at = synced_at
        if self.offline:
            self._show_age()
        else:
            self.set_connected(False)

    def _show_age(self) -> None:
        synced = self.synced_at.astimezone()
        now = self._now()
        age = age_words((now - self.synced_at).total_seconds())
        # A copy from another day says which day.
        when = (
            f"{synced:%H:%M}"
            if synced.date() == now.astimezone().date()
            else f"{synced:%Y-%m-%d %H:%M}"
        )
        self.label.setText(
            "Offline: the team database cannot be reached. This is the list as last synced "
            f"at {when} ({age}), read-only; changes are disabled until the server "
            "answers again. Reconnecting…"
        )

    def _guard(self) -> None:
        self._guarding = True
        try:
            for action in self._actions:
                self._wanted[action] = action.isEnabled()
                self._tips[action] = action.toolTip()
                action.setEnabled(False)
                action.setToolTip(OFFLINE_TIP)
        finally:
            self._guarding = False
        self._sync_buttons()

    def _release(self) -> None:
        self._guarding = True
        try:
            for action in self._actions:
                action.setToolTip(self._tips.pop(action, action.toolTip()))
                action.setEnabled(self._wanted.pop(action, True))
        finally:
            self._guarding = False
        if self._refresh is not None:
            self._refresh()
        self._sync_buttons()

    def _on_action_changed(self, action: QAction) -> None:
        # The page enables actions as the selection changes: while offline, note what it
        # wanted for later and keep the action disabled.
        if not self.offline or self._guarding:
            return
        if not action.isEnabled() and action.toolTip() == OFFLINE_TIP:
            return
        self._guarding = True
        try:
            self._wanted[action] = action.isEnabled()
            if action.toolTip() != OFFLINE_TIP:
                self._tips[action] = action.toolTip()
            action.setEnabled(False)
            action.setToolTip(OFFLINE_TIP)
        finally:
            self._guarding = False
        self._sync_buttons()


def add_team_offline(window: QMainWindow, inventory: Any, page: Any, bar: Any) -> None:
    """Follow *inventory*'s team connection: the banner and the guard of *page*'s write
    actions and the check *bar*'s buttons are made the first time the connection is lost
    (never on the local store, whose connection is never lost)."""
    made: list[TeamOffline] = []
    copy_synced: list[datetime] = []  # the window started with the offline copy

    def changed(connected: bool) -> None:
        if not made:
            if connected:
                return
            actions = [
                getattr(page, name, None)
                for name in (
                    "create_action", "reauth_action", "reauth_any_action", "delete_action",
                    "user_left_action", "mfa_action", "check_now_action",
                    "check_selected_action", "check_all_action",
                )
            ]  # fmt: skip
            buttons = []
            if bar is not None:
                buttons = [
                    (bar.selected_button, bar.check_selected_action),
                    (bar.all_button, bar.check_all_action),
                ]
            made.append(
                TeamOffline(
                    window,
                    [a for a in actions if isinstance(a, QAction)],
                    refresh=getattr(page, "_update_actions", None),
                    buttons=buttons,
                )
            )
        if not connected and copy_synced:
            made[0].show_copy(copy_synced.pop())
            return
        made[0].set_connected(connected)

    def from_copy(synced_at: datetime) -> None:
        copy_synced[:] = [synced_at]  # team_connection_changed(False) follows

    inventory.team_offline_copy.connect(from_copy)
    inventory.team_connection_changed.connect(changed)
