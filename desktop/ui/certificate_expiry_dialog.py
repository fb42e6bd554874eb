"""Certificate expiry: every custom profile's certificate across customers, soonest first.

Expired and unreadable certificates are marked red, those expiring within 30 days amber, and
a certificate not shared with this technician yet (team mode) says it is waiting. Rotate
certificate… starts the selected profile's rotation. The dialog only shows and forwards: the
controller reads the view off the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.controllers.certificate_expiry import CertificateExpiryController
from desktop.core.certificates.model import EXPIRY_WARNING_DAYS
from desktop.core.errors import UserError
from desktop.core.secrets.expiry import CertificateExpiry, ExpiryState

HEADERS = ("Profile", "Customer", "Tenant", "Expires", "Days left", "State", "Note")
STATE_WORDS = {
    ExpiryState.EXPIRED: "Expired",
    ExpiryState.EXPIRES_SOON: f"Expires within {EXPIRY_WARNING_DAYS} days",
    ExpiryState.OK: "OK",
    ExpiryState.NOT_YET_VALID: "Not valid yet",
    ExpiryState.WAITING: "Waiting for a colleague's share",
    ExpiryState.MISSING: "Cannot be read",
}
_RED = QColor("#c62828")
_AMBER = QColor("#b26a00")
ROTATE_HINT = (
    "Rotate certificate… creates a new certificate for the selected profile, shows where the "
    "customer uploads it, and verifies it before the old one is retired. The same from the "
    "command line: app-profiles-cli cert rotate ID --out FOLDER --pfx-password-stdin, then "
    "cert rotate ID --verify FILE --password-stdin."
)


class CertificateExpiryDialog(QDialog):
    """The expiry view; Refresh reads it again.

    Signals:
        rotate_requested(int): rotate the certificate of the profile with this id.
    """

    rotate_requested = Signal(int)

    def __init__(self, controller: CertificateExpiryController, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Certificate expiry")
        self.setObjectName("CertificateExpiryDialog")
        self.resize(980, 420)
        self._controller = controller
        self.summary = QLabel("Reading certificates…")
        self.summary.setWordWrap(True)
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        hint = QLabel(ROTATE_HINT)
        hint.setWordWrap(True)
        hint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.refresh_button = QPushButton("&Refresh")
        buttons.addButton(self.refresh_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button = QPushButton("&Copy thumbprint")
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.rotate_button = QPushButton("R&otate certificate…")
        self.rotate_button.setEnabled(False)
        self.rotate_button.setToolTip("Select a certificate to rotate it.")
        buttons.addButton(self.rotate_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.rotate_button.clicked.connect(self._rotate)
        self.table.itemSelectionChanged.connect(self._update_rotate)
        self.refresh_button.clicked.connect(self.refresh)
        self.copy_button.clicked.connect(self._copy_thumbprint)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(hint)
        layout.addWidget(buttons)
        self._items: list[CertificateExpiry] = []
        controller.loaded.connect(self.show_items)
        controller.failed.connect(self.show_error)

    def refresh(self) -> None:
        self.summary.setText("Reading certificates…")
        self.refresh_button.setEnabled(False)
        self._controller.load()

    def show_items(self, items: list[CertificateExpiry]) -> None:
        """Fill the table with *items* (soonest first)."""
        self.refresh_button.setEnabled(True)
        self._items = list(items)
        self.table.setRowCount(len(items))
        for row, item in enumerate(items):
            cells = (
                item.profile,
                item.customer,
                item.tenant_domain,
                f"{item.not_after:%Y-%m-%d}" if item.not_after else "",
                "" if item.days_left is None else str(item.days_left),
                STATE_WORDS[item.state],
                item.note,
            )
            color = _colour(item.state)
            for column, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                cell.setToolTip(text)
                if color is not None and column in (3, 4, 5):
                    cell.setForeground(QBrush(color))
                self.table.setItem(row, column, cell)
        self.summary.setText(summary_text(items))
        self._update_rotate()

    def show_error(self, error: UserError) -> None:
        self.refresh_button.setEnabled(True)
        self.summary.setText(error.one_line())

    def _selected(self) -> CertificateExpiry | None:
        row = self.table.currentRow()
        selected = self.table.selectionModel().hasSelection()
        return self._items[row] if selected and 0 <= row < len(self._items) else None

    def _update_rotate(self) -> None:
        item = self._selected()
        self.rotate_button.setEnabled(item is not None)
        self.rotate_button.setToolTip(
            f"Rotate the certificate of {item.profile}"
            if item is not None
            else "Select a certificate to rotate it."
        )

    def _rotate(self) -> None:
        item = self._selected()
        if item is not None:
            self.rotate_requested.emit(item.profile_id)

    def _copy_thumbprint(self) -> None:
        row = self.table.currentRow()
        if 0 <= row < len(self._items) and self._items[row].thumbprint_sha1:
            QGuiApplication.clipboard().setText(self._items[row].thumbprint_sha1)


def _colour(state: ExpiryState) -> QColor | None:
    if state in (ExpiryState.EXPIRED, ExpiryState.MISSING):
        return _RED
    if state is ExpiryState.EXPIRES_SOON:
        return _AMBER
    return None


def summary_text(items: list[CertificateExpiry]) -> str:
    """One line over the table: how many, and how many need attention."""
    if not items:
        return "No custom-mode profile holds a certificate."
    expired = sum(i.state is ExpiryState.EXPIRED for i in items)
    soon = sum(i.state is ExpiryState.EXPIRES_SOON for i in items)
    waiting = sum(i.state is ExpiryState.WAITING for i in items)
    parts = [f"{len(items)} certificate{'s' if len(items) != 1 else ''}"]
    if expired:
        parts.append(f"{expired} expired")
    if soon:
        parts.append(f"{soon} expiring within {EXPIRY_WARNING_DAYS} days")
    if waiting:
        parts.append(f"{waiting} waiting for a colleague's share")
    return ", ".join(parts) + "."


class CertificateExpiryOpener:
    """The Profiles menu's "Certificate expiry…": one dialog, read again on each opening."""

    def __init__(self, controller: CertificateExpiryController, parent: QWidget) -> None:
        self._controller = controller
        self._parent = parent
        self.dialog: CertificateExpiryDialog | None = None
        #: Opens the rotation of a profile's certificate (None: the button does nothing).
        self.rotate_requested: Callable[[int], object] | None = None

    def open(self) -> CertificateExpiryDialog:
        if self.dialog is None:
            self.dialog = CertificateExpiryDialog(self._controller, self._parent)
            self.dialog.rotate_requested.connect(self._rotate)
        self.dialog.show()
        self.dialog.raise_()
        self.dialog.refresh()
        return self.dialog

    def _rotate(self, profile_id: int) -> None:
        if self.rotate_requested is not None:
            self.rotate_requested(profile_id)
