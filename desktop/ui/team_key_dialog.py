"""Team key: create this technician's key pair (``team enroll``), show its fingerprint with a
Copy button to read or paste to the colleague who approves, and list the members' published
fingerprints to compare. Shows and forwards only; the controller does the work."""

from __future__ import annotations

from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.controllers.team_key import TeamKeyController
from desktop.core.errors import UserError
from desktop.core.secrets.team_keys import TeamKeyView

INTRO = (
    "Your team key lets colleagues share customers' certificates with you. Read the "
    "fingerprint to the colleague who approves you (by voice or chat); they run "
    "'team approve' with your team user name after comparing it."
)


class TeamKeyDialog(QDialog):
    def __init__(self, controller: TeamKeyController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Team key")
        self.setObjectName("TeamKeyDialog")
        self.resize(760, 380)
        self._controller = controller
        intro = QLabel(INTRO)
        intro.setWordWrap(True)
        self.state = QLabel("Reading your team key…")
        self.state.setWordWrap(True)
        self.fingerprint = QLineEdit()
        self.fingerprint.setReadOnly(True)
        self.fingerprint.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.fingerprint.setAccessibleName("Your fingerprint")
        self.copy_button = QPushButton("&Copy")
        self.copy_button.clicked.connect(self._copy)
        self.enroll_button = QPushButton("C&reate my team key")
        self.enroll_button.clicked.connect(self._enroll)
        row = QHBoxLayout()
        row.addWidget(QLabel("Your fingerprint:"))
        row.addWidget(self.fingerprint, 1)
        row.addWidget(self.copy_button)
        row.addWidget(self.enroll_button)
        self.members = QTableWidget(0, 3)
        self.members.setHorizontalHeaderLabels(("Member", "Fingerprint", "Published"))
        self.members.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.members.verticalHeader().setVisible(False)
        header = self.members.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(row)
        layout.addWidget(self.state)
        layout.addWidget(QLabel("Members' published fingerprints:"))
        layout.addWidget(self.members, 1)
        layout.addWidget(buttons)
        controller.loaded.connect(self.show_view)
        controller.failed.connect(self.show_error)
        self._busy(True)

    def refresh(self) -> None:
        self._busy(True)
        self._controller.load()

    def _enroll(self) -> None:
        self._busy(True)
        self.state.setText("Creating your team key…")
        self._controller.load(enroll=True)

    def _busy(self, busy: bool) -> None:
        self.enroll_button.setEnabled(not busy and not self.fingerprint.text())
        self.copy_button.setEnabled(not busy and bool(self.fingerprint.text()))

    def show_view(self, view: TeamKeyView) -> None:
        self.fingerprint.setText(view.fingerprint)
        self._busy(False)
        self.enroll_button.setVisible(not view.fingerprint)
        if not view.fingerprint:
            self.state.setText("This computer has no team key yet: create it to be approved.")
        elif not view.team_mode:
            self.state.setText(
                "No team database is chosen, so the key is not published yet; it is once "
                "you work with the team database."
            )
        elif view.published:
            self.state.setText(f"Published as {view.member}.")
        else:
            self.state.setText(f"Not published as {view.member} yet: create it again.")
            self.enroll_button.setVisible(True)
            self.enroll_button.setEnabled(True)
        self.members.setRowCount(len(view.members))
        for r, member in enumerate(view.members):
            cells = (member.member, member.fingerprint, f"{member.published_at:%Y-%m-%d %H:%M}")
            for c, text in enumerate(cells):
                self.members.setItem(r, c, QTableWidgetItem(text))

    def show_error(self, error: UserError) -> None:
        self._busy(False)
        self.state.setText(error.one_line())

    def _copy(self) -> None:
        if self.fingerprint.text():
            QGuiApplication.clipboard().setText(self.fingerprint.text())
