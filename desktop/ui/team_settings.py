"""Settings → Team database: the shared inventory's address, the password (kept in the OS
keyring), a connection test and what it found.

The page checks the address as it is typed (a password in it is refused: the settings file is
plain text) and forwards "Test connection" to its controller, which connects off the GUI
thread and answers in words.
"""

from __future__ import annotations

import os

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.controllers.team_settings import TeamConnection
from desktop.core.errors import UserError
from desktop.core.store.postgres.connection import redacted
from desktop.core.store.postgres.credentials import ENV_URL
from desktop.core.team.status import check_address

from desktop.ui.forms import buddy_label
from desktop.ui.theme import is_dark

_HELP = (
    "A team shares one inventory on a PostgreSQL server. Enter its address without a "
    "password, e.g. postgresql://alice@db.example:5432/profiles?sslmode=verify-full. "
    "Leave it empty to keep the inventory on this computer."
)


class TeamDatabasePage(QWidget):
    """The Team database tab.

    Signals:
        validity_changed(): the address became valid or invalid.
    """

    validity_changed = Signal()

    def __init__(
        self, address: str, connection: TeamConnection | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("TeamDatabasePage")
        self._connection = connection
        self._valid = True
        self.from_environment = bool(os.environ.get(ENV_URL, "").strip())
        note = QLabel(_HELP, self)
        note.setWordWrap(True)
        self.address = QLineEdit(self)
        self.address.setObjectName("TeamDatabaseAddress")
        self.address.setPlaceholderText("Empty: the inventory stays on this computer")
        self.address.setClearButtonEnabled(True)
        self.reason = QLabel(self)
        self.reason.setObjectName("TeamDatabaseReason")
        self.reason.setWordWrap(True)
        red = "#ff6b6b" if is_dark(self.palette()) else "#b00020"
        self.reason.setStyleSheet(f"color: {red};")
        self.reason.hide()
        self.source = QLabel(self)
        self.source.setObjectName("TeamDatabaseSource")
        self.source.setWordWrap(True)
        self.source.setEnabled(False)
        self.password = QLineEdit(self)
        self.password.setObjectName("TeamDatabasePassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("Empty: keep the stored one (or use .pgpass)")
        password_note = QLabel("Saved in the OS keyring, never in the settings file.", self)
        password_note.setEnabled(False)
        self.test_button = QPushButton("&Test connection", self)
        self.test_button.setObjectName("TeamDatabaseTest")
        self.test_button.setEnabled(connection is not None)
        self.test_button.clicked.connect(self._on_test)
        self.status = QLabel("Not tested yet.", self)
        self.status.setObjectName("TeamDatabaseStatus")
        self.status.setWordWrap(True)

        address_box = QVBoxLayout()
        address_box.setSpacing(2)
        address_box.addWidget(self.address)
        address_box.addWidget(self.reason)
        address_box.addWidget(self.source)
        password_box = QVBoxLayout()
        password_box.setSpacing(2)
        password_box.addWidget(self.password)
        password_box.addWidget(password_note)
        test_row = QHBoxLayout()
        test_row.addWidget(self.test_button)
        test_row.addStretch(1)
        form = QFormLayout(self)
        form.addRow(note)
        form.addRow(buddy_label("A&ddress:", self.address, self), address_box)
        form.addRow(buddy_label("&Password:", self.password, self), password_box)
        form.addRow("", test_row)
        form.addRow(buddy_label("Status:", self.status, self), self.status)

        if self.from_environment:
            self.address.setText(redacted(os.environ.get(ENV_URL, "").strip()))
            self.address.setReadOnly(True)
            self.source.setText(f"Set by {ENV_URL}; change it there.")
        else:
            self.address.setText(address)
            self.source.setText("Takes effect the next time the app starts.")
        self.address.textChanged.connect(self._check)
        self.address.textEdited.connect(lambda _text: self.status.setText("Not tested yet."))
        if connection is not None:
            connection.tested.connect(self._on_tested)
            connection.test_done.connect(lambda _ok: self.test_button.setEnabled(True))
        self._check()

    @property
    def valid(self) -> bool:
        return self._valid

    @property
    def address_text(self) -> str:
        """The address to save ("" when it comes from the environment: nothing to save)."""
        return "" if self.from_environment else self.address.text().strip()

    def _check(self) -> None:
        was = self._valid
        if self.from_environment:
            self._valid = True
        else:
            try:
                check_address(self.address.text())
            except UserError as exc:
                self._valid = False
                self.reason.setText(f"{exc.message} {exc.remedy}".strip())
            else:
                self._valid = True
        self.reason.setVisible(not self._valid)
        self.test_button.setEnabled(self._connection is not None and self._valid)
        if was != self._valid:
            self.validity_changed.emit()

    def _on_test(self) -> None:
        if self._connection is None or not self._valid:
            return
        self.test_button.setEnabled(False)
        self.status.setText("Connecting…")
        address = None if self.from_environment else self.address.text()
        self._connection.test(address, self.password.text())

    def _on_tested(self, words: str) -> None:
        self.status.setText(words)
