"""A reusable panel to choose, check or create a custom app's certificate.

The create wizard and the re-authorize dialog embed it. It shows the chosen ``.pfx`` as a card
(subject, thumbprint with Copy, validity, a warning near expiry, problems in words) and hands
the owner the opened certificate, its bytes and password in memory: it writes nothing.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.controllers.certificates import (
    CertificateController,
    CreateCertificate,
    CreatedCertificate,
)
from desktop.core.certificates import CertificateInfo, default_subject, profile_error
from desktop.core.certificates.model import common_name_of
from desktop.core.certificates.selected import SelectedCertificate
from desktop.core.errors import UserError

from desktop.ui.create_certificate_dialog import CreateCertificateDialog
from desktop.ui.file_picker import FilePicker
from desktop.ui.forms import buddy_label

WARNING_STYLE = "background: #fff4ce; color: #5c4400; border: 1px solid #e0c060; padding: 6px;"
ERROR_STYLE = "background: #fde7e9; color: #8a0012; border: 1px solid #e8a0a8; padding: 6px;"
EMPTY_TEXT = (
    "No certificate chosen yet. Choose the app's .pfx file (the one paired with the .cer "
    "uploaded to the app registration), or create a new certificate."
)


def _banner(name: str, style: str) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setStyleSheet(style)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.hide()
    return label


def _validity_text(info: CertificateInfo) -> str:
    span = f"{info.not_before:%Y-%m-%d} to {info.not_after:%Y-%m-%d}"
    if info.expired:
        return f"{span} (expired)"
    if info.not_yet_valid:
        return f"{span} (not valid yet)"
    days = info.days_left
    return f"{span} ({days} day{'s' if days != 1 else ''} left)"


class CertificateCard(QFrame):
    """The readable report about one certificate."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("CertificateCard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.subject = QLabel()
        self.subject.setObjectName("CertificateSubject")
        font = self.subject.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.subject.setFont(font)
        self.subject.setWordWrap(True)
        self.issuer = QLabel()
        self.thumbprint = QLabel()
        self.thumbprint.setObjectName("CertificateThumbprint")
        self.thumbprint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.copy = QPushButton("&Copy")
        self.copy.setToolTip("Copy the SHA-1 thumbprint, as the Entra portal shows it")
        self.copy.setAccessibleName("Copy thumbprint")
        # A child timer dies with the card, unlike a bare singleShot lambda.
        self.copied_timer = QTimer(self)
        self.copied_timer.setSingleShot(True)
        self.copied_timer.setInterval(1500)
        self.copied_timer.timeout.connect(lambda: self.copy.setText("&Copy"))
        thumb_row = QHBoxLayout()
        thumb_row.setContentsMargins(0, 0, 0, 0)
        thumb_row.addWidget(self.thumbprint, 1)
        thumb_row.addWidget(self.copy)
        self.validity = QLabel()
        self.validity.setObjectName("CertificateValidity")
        self.key = QLabel()
        self.warning = _banner("CertificateWarning", WARNING_STYLE)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.addRow("Issued by:", self.issuer)
        form.addRow("Thumbprint:", thumb_row)
        form.addRow("Valid:", self.validity)
        form.addRow("Key:", self.key)
        layout = QVBoxLayout(self)
        layout.addWidget(self.subject)
        layout.addLayout(form)
        layout.addWidget(self.warning)

    def show_info(self, info: CertificateInfo) -> None:
        self.subject.setText(info.common_name)
        self.subject.setToolTip(info.subject)
        self_signed = info.issuer == info.subject
        self.issuer.setText("itself (self-signed)" if self_signed else common_name_of(info.issuer))
        self.issuer.setToolTip(info.issuer)
        self.thumbprint.setText(info.thumbprint_sha1)
        self.thumbprint.setToolTip(
            f"SHA-1: {info.thumbprint_sha1}\nSHA-256: {info.thumbprint_sha256}"
        )
        self.validity.setText(_validity_text(info))
        count = info.chain_length
        chain = f"{count} certificate{'s' if count != 1 else ''} in the file"
        key = f"{info.key_type} {info.key_size} bits" if info.key_size else info.key_type
        private = "with private key" if info.has_private_key else "no private key"
        self.key.setText(f"{key}, {private} · {chain}")
        self.warning.setText("\n".join(f"⚠ {w}" for w in info.warnings))
        self.warning.setVisible(bool(info.warnings))


class CertificatePanel(QWidget):
    """Browse for a ``.pfx``, enter its password, or create a certificate; see the result.

    Signals:
        certificate_changed(object): the :class:`SelectedCertificate`, or None when there is
            no usable choice (nothing chosen, the file failed to open, or a profile cannot
            use it: no key, not RSA, under 2048 bits, expired, not yet valid).

    Attributes:
        create_dialog: the open "Create a new certificate" dialog, or None.
    """

    certificate_changed = Signal(object)

    def __init__(
        self,
        controller: CertificateController,
        picker: FilePicker | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("CertificatePanel")
        self._controller = controller
        self._picker = picker or FilePicker()
        self._selected: SelectedCertificate | None = None
        self._inspected: CertificateInfo | None = None
        self._default_subject = default_subject("", "")
        self._default_folder = str(Path.home())
        self._opened_with: tuple[str, str] | None = None
        self.create_dialog: CreateCertificateDialog | None = None

        self.path = QLineEdit()
        self.path.setObjectName("CertificatePath")
        self.path.setPlaceholderText("The app's certificate file (.pfx or .p12)")
        self.path.setAccessibleName("Certificate file")
        self.path.editingFinished.connect(self._open_if_changed)
        self.browse = QPushButton("&Browse…")
        self.browse.clicked.connect(self._browse)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path, 1)
        path_row.addWidget(self.browse)

        self.password = QLineEdit()
        self.password.setObjectName("CertificatePassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName("Certificate password")
        self.password.setPlaceholderText("Leave empty if the file has no password")
        self.password.returnPressed.connect(self._open)
        self.password.editingFinished.connect(self._open_if_changed)
        self.check = QPushButton("C&heck")
        self.check.setToolTip("Open the file with this password")
        self.check.clicked.connect(self._open)
        password_row = QHBoxLayout()
        password_row.addWidget(self.password, 1)
        password_row.addWidget(self.check)

        self.create_button = QPushButton("Create a &new certificate…")
        self.create_button.clicked.connect(self.open_create_dialog)

        create_row = QHBoxLayout()
        create_row.addWidget(self.create_button)
        create_row.addStretch(1)
        form = QFormLayout()
        #: The file and password rows; an owner's form may line its labels up with these.
        self.form = form
        form.addRow(buddy_label("Certificate &file:", self.path), path_row)
        form.addRow(buddy_label("Certificate &password:", self.password), password_row)
        form.addRow("", create_row)

        self.empty = QLabel(EMPTY_TEXT)
        self.empty.setObjectName("CertificateEmpty")
        self.empty.setWordWrap(True)
        self.empty.setStyleSheet("color: #505050; font-style: italic;")
        self.busy = QLabel("Opening the certificate…")
        self.busy.hide()
        self.card = CertificateCard()
        self.card.copy.clicked.connect(self._copy_thumbprint)
        self.card.hide()
        self.error = _banner("CertificateError", ERROR_STYLE)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.empty)
        layout.addWidget(self.busy)
        layout.addWidget(self.card)
        layout.addWidget(self.error)
        layout.addStretch(1)

        controller.opened.connect(self._on_opened)
        controller.created.connect(self._on_created)
        controller.failed.connect(self._on_failed)
        controller.busy_changed.connect(self._on_busy)

    # -- what owners use ---------------------------------------------------------------------
    @property
    def selected(self) -> SelectedCertificate | None:
        """The opened certificate with its bytes and password (memory only), or None."""
        return self._selected

    @property
    def usable(self) -> bool:
        """Whether there is a selection; only a certificate a profile can store is selected."""
        return self._selected is not None

    @property
    def inspected(self) -> CertificateInfo | None:
        """The report on the last file opened, usable or not (None after an error)."""
        return self._inspected

    def set_default_subject(self, customer: str, app: str) -> None:
        """The subject the create dialog proposes (from the customer and the app)."""
        self._default_subject = default_subject(customer, app)

    def set_default_folder(self, folder: str) -> None:
        self._default_folder = folder

    def open_path(self, path: str) -> None:
        """Open *path* with the password in the field."""
        self.path.setText(path)
        self._open()

    def clear(self) -> None:
        self.path.clear()
        self.password.clear()
        self._opened_with = None
        self._inspected = None
        self._set_selected(None)
        self.error.hide()
        self.card.hide()
        self.empty.show()

    # -- internals ---------------------------------------------------------------------------
    @Slot()
    def _browse(self) -> None:
        current = self.path.text().strip()
        start = str(Path(current).parent) if current else self._default_folder
        chosen = self._picker.open_pfx(self, start)
        if chosen:
            self.open_path(chosen)

    @Slot()
    def _open_if_changed(self) -> None:
        if self.path.text().strip() and self._opened_with != self._request_key():
            self._open()

    def _request_key(self) -> tuple[str, str]:
        return self.path.text().strip(), self.password.text()

    @Slot()
    def _open(self) -> None:
        path = self.path.text().strip()
        if not path:
            self._show_error(UserError("Choose the certificate file first (Browse…)."))
            return
        self._opened_with = self._request_key()
        self._controller.open_file(Path(path), self.password.text() or None)

    @Slot(bool)
    def _on_busy(self, busy: bool) -> None:
        self.busy.setVisible(busy and self.create_dialog is None)

    @Slot(object)
    def _on_opened(self, selected: SelectedCertificate) -> None:
        self._show_selected(selected)

    def _show_selected(self, selected: SelectedCertificate) -> None:
        self.empty.hide()
        self.card.show_info(selected.info)
        self.card.show()
        self._inspected = selected.info
        problem = profile_error(selected.info)
        if problem is not None:
            self.card.warning.hide()  # the error below says it, in red
            self._show_error(problem, keep_card=True)
            self._set_selected(None)
            return
        self.error.hide()
        self._set_selected(selected)

    @Slot(object)
    def _on_failed(self, error: UserError) -> None:
        if self.create_dialog is not None and self.create_dialog.isVisible():
            self.create_dialog.show_error(error)
            return
        self._show_error(error)
        if "password" in error.message.lower():
            self.password.setFocus()
            self.password.selectAll()

    def _show_error(self, error: UserError, *, keep_card: bool = False) -> None:
        text = f"✖ {error.message}"
        if error.remedy:
            text += f"\n{error.remedy}"
        self.error.setText(text)
        self.error.show()
        self.empty.hide()
        if not keep_card:
            self.card.hide()
            self._inspected = None
            self._set_selected(None)

    def _set_selected(self, selected: SelectedCertificate | None) -> None:
        if selected is self._selected:
            return
        self._selected = selected
        self.certificate_changed.emit(selected)

    @Slot()
    def _copy_thumbprint(self) -> None:
        QGuiApplication.clipboard().setText(self.card.thumbprint.text())
        self.card.copy.setText("Copied")
        self.card.copied_timer.start()

    @Slot()
    def open_create_dialog(self) -> CreateCertificateDialog:
        """Open the "Create a new certificate" dialog (non-modal to the event loop)."""
        dialog = CreateCertificateDialog(
            self._default_subject, self._default_folder, self._picker, self
        )
        dialog.create_requested.connect(self._on_create_requested)
        dialog.finished.connect(self._on_create_dialog_finished)
        self.create_dialog = dialog
        dialog.open()
        return dialog

    @Slot(object)
    def _on_create_requested(self, order: CreateCertificate) -> None:
        run = self._controller.create(order)
        if self.create_dialog is not None:
            self.create_dialog.cancel_requested.connect(run.cancel)

    @Slot(object)
    def _on_created(self, created: CreatedCertificate) -> None:
        selected = created.selected
        self.path.setText(str(created.pfx_path))
        self.password.setText(selected.password or "")
        self._opened_with = self._request_key()
        if self.create_dialog is not None:
            self.create_dialog.accept()
        self._show_selected(selected)

    @Slot(int)
    def _on_create_dialog_finished(self, result: int) -> None:
        dialog, self.create_dialog = self.create_dialog, None
        if dialog is not None:
            dialog.deleteLater()
