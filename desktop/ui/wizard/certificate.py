"""The custom app's certificate: a .pfx file and its password, opened off the GUI thread."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from desktop.controllers.wizard import WizardController
from desktop.core.errors import UserError

from desktop.ui.wizard.base import BusyRow


class CertificateField(QWidget):
    """Choose the .pfx, type its password, Open: shows what the file holds or what is wrong.

    Signals:
        changed(): ``contents`` changed (a certificate was opened, or the choice was cleared).

    Attributes:
        contents: the opened certificate (memory only), or None.
        summary: one line about it (subject, thumbprint, expiry).
    """

    changed = Signal()

    def __init__(self, controller: WizardController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.contents: object | None = None
        self.summary = ""
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        self.path = QLineEdit(self)
        self.path.setPlaceholderText("The app's private certificate (.pfx)")
        self.path.setAccessibleName("Certificate file")
        self.browse = QPushButton("&Browse…", self)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(self.browse)
        file_label = QLabel("Certificate &file (.pfx):", self)
        file_label.setBuddy(self.path)
        form.addRow(file_label, row)
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName("Certificate password")
        self.open = QPushButton("&Open", self)
        pw_row = QHBoxLayout()
        pw_row.addWidget(self.password, 1)
        pw_row.addWidget(self.open)
        pw_label = QLabel("Certificate &password:", self)
        pw_label.setBuddy(self.password)
        form.addRow(pw_label, pw_row)
        self.report = QLabel(
            "Make sure this .pfx is paired with the .cer/.crt uploaded to the app in "
            "Microsoft Entra ID.",
            self,
        )
        self.report.setWordWrap(True)
        self.report.setObjectName("CertificateReport")
        form.addRow(self.report)
        self.busy = BusyRow(self)
        form.addRow(self.busy)
        self.browse.clicked.connect(self._browse)
        self.open.clicked.connect(self.open_file)
        self.password.returnPressed.connect(self.open_file)
        self.path.textChanged.connect(self._clear)

    @Slot()
    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Choose the app's certificate", "", "Certificates (*.pfx *.p12)"
        )
        if path:
            self.path.setText(path)
            self.password.setFocus()

    @Slot()
    def _clear(self) -> None:
        if self.contents is not None:
            self.contents, self.summary = None, ""
            self.changed.emit()

    @Slot()
    def open_file(self) -> None:
        """Open the chosen file with the typed password, off the GUI thread."""
        text = self.path.text().strip()
        if not text:
            self.report.setText("Choose the .pfx file first.")
            return
        task = self.controller.open_certificate(Path(text), self.password.text())
        task.succeeded.connect(self._opened)
        task.failed.connect(self._failed)
        self.open.setEnabled(False)
        task.finished.connect(lambda: self.open.setEnabled(True))
        self.busy.follow(task, "Opening the certificate…")

    @Slot(object)
    def _opened(self, result: object) -> None:
        assert isinstance(result, tuple)
        self.contents, self.summary = result
        self.report.setText(f"✓ {self.summary}")
        self.changed.emit()

    @Slot(object)
    def _failed(self, error: object) -> None:
        self.contents, self.summary = None, ""
        text = error.one_line() if isinstance(error, UserError) else str(error)
        self.report.setText(f"✗ {text}")
        self.changed.emit()
