"""The team key's first-run step: in team mode, while this data folder has no team key (or
not the one published), a banner above the pages offers "Create your team key". Once made,
it shows the fingerprint with Copy and how to have a colleague approve it. "Not now" hides
it until the next start. Shows and forwards only; the controller does the work."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QSizePolicy,
    QToolBar,
    QWidget,
)

from desktop.controllers.team_key import TeamKeyController
from desktop.core.errors import UserError

if TYPE_CHECKING:
    from desktop.core.secrets.team_keys import TeamKeyView

OFFER_TEXT = (
    "Create your team key: colleagues need it to share customers' certificates and "
    "consenting users' sign-ins with you. Until then, checks of those profiles wait."
)
REPUBLISH_TEXT = (
    "Your team key is not the one published for you: publish it again so colleagues can "
    "share customers' certificates with you."
)
READ_OUT_TEXT = (
    "Your team key is published. Read this fingerprint to the colleague who will approve "
    "you, by voice or chat: they compare it in Profiles > Team key… before sharing."
)
_BAR_NAME = "TeamKeyBar"
_STYLE = (
    "QWidget#TeamKeyBanner { background: #1f4e79; }"
    " QWidget#TeamKeyBanner QLabel { color: white; font-weight: bold; padding: 4px 6px; }"
)


class TeamKeyBanner(QObject):
    """The banner and what its buttons do. :meth:`start` asks whether it is needed."""

    def __init__(self, window: QMainWindow, controller: TeamKeyController) -> None:
        super().__init__(window)
        self._controller = controller
        self._dismissed = False
        self._creating = False
        self._read_out = False
        self.bar = QToolBar("Team key", window)
        self.bar.setObjectName(_BAR_NAME)
        self.bar.setMovable(False)
        self.bar.setFloatable(False)
        self.bar.toggleViewAction().setEnabled(False)
        panel = QWidget(self.bar)
        panel.setObjectName("TeamKeyBanner")
        panel.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        panel.setStyleSheet(_STYLE)
        panel.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.label = QLabel(OFFER_TEXT, panel)
        self.label.setWordWrap(True)
        self.label.setAccessibleName("Team key")
        self.fingerprint = QLineEdit(panel)
        self.fingerprint.setReadOnly(True)
        self.fingerprint.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.fingerprint.setAccessibleName("Your fingerprint")
        self.fingerprint.setMinimumWidth(self.fingerprint.fontMetrics().averageCharWidth() * 42)
        self.create_button = QPushButton("Create your team key", panel)
        self.create_button.clicked.connect(self._create)
        self.copy_button = QPushButton("Copy", panel)
        self.copy_button.setToolTip("Copy the fingerprint to paste in a chat with the colleague")
        self.copy_button.clicked.connect(self._copy)
        self.close_button = QPushButton("Not now", panel)
        self.close_button.setToolTip("Hide this until the app starts again")
        self.close_button.clicked.connect(self.dismiss)
        row = QHBoxLayout(panel)
        row.setContentsMargins(6, 4, 6, 4)
        row.addWidget(self.label, 1)
        row.addWidget(self.fingerprint)
        row.addWidget(self.create_button)
        row.addWidget(self.copy_button)
        row.addWidget(self.close_button)
        self.bar.addWidget(panel)
        window.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.bar)
        self.bar.hide()
        controller.loaded.connect(self.show_view)
        controller.failed.connect(self._failed)

    @property
    def offered(self) -> bool:
        """Whether the banner is up (offering the key, or showing the new fingerprint)."""
        return not self.bar.isHidden()

    def start(self) -> None:
        """Ask (off the GUI thread) whether this data folder needs its team key."""
        self._controller.load(team_only=True)

    def follow(self, other: TeamKeyController) -> None:
        """Also follow *other* (the Team key dialog's): a key made there ends the offer."""
        other.loaded.connect(self.show_view)

    def show_view(self, view: TeamKeyView) -> None:
        if self._creating:
            self._creating = False
            if view.published:
                self._show_fingerprint(view.fingerprint)
                return
        if self._dismissed or not view.needs_key:
            if not self._read_out:  # the new fingerprint stays until Done
                self.bar.hide()
            return
        self.label.setText(REPUBLISH_TEXT if view.fingerprint else OFFER_TEXT)
        self.create_button.setText(
            "Publish your team key" if view.fingerprint else "Create your team key"
        )
        self._show_offer()

    def _show_offer(self) -> None:
        self._read_out = False
        self.fingerprint.hide()
        self.copy_button.hide()
        self.create_button.show()
        self.create_button.setEnabled(True)
        self.close_button.setText("Not now")
        self.bar.show()

    def _show_fingerprint(self, fingerprint: str) -> None:
        self._read_out = True
        self.label.setText(READ_OUT_TEXT)
        self.fingerprint.setText(fingerprint)
        self.fingerprint.show()
        self.copy_button.show()
        self.create_button.hide()
        self.close_button.setText("Done")
        self.close_button.setToolTip("Hide this: the fingerprint stays in Profiles > Team key…")
        self.bar.show()

    def _create(self) -> None:
        self._creating = True
        self.create_button.setEnabled(False)
        self.label.setText("Creating your team key…")
        self._controller.load(enroll=True)

    def _failed(self, error: UserError) -> None:
        if self._creating:
            self._creating = False
            self.create_button.setEnabled(True)
            self.label.setText(error.one_line())
        # Otherwise the team database is not reachable now: the offline banner says so.

    def dismiss(self) -> None:
        """Hide the banner until the next start."""
        self._dismissed = True
        self._read_out = False
        self.bar.hide()

    def _copy(self) -> None:
        if self.fingerprint.text():
            QGuiApplication.clipboard().setText(self.fingerprint.text())
