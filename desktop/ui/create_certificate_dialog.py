"""The "Create a new certificate" dialog: subject, validity, key size, where, password."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.controllers.certificates import CreateCertificate
from desktop.core.certificates import (
    DEFAULT_DAYS,
    KEY_SIZES,
    CertificateRequest,
    PfxEncryption,
    file_stem,
)
from desktop.core.certificates.creating import MAX_DAYS
from desktop.core.errors import UserError

from desktop.ui.file_picker import FilePicker


class CreateCertificateDialog(QDialog):
    """Collects what a new self-signed certificate needs; the owner does the work.

    Signals:
        create_requested(object): a :class:`CreateCertificate` the owner should carry out.
        cancel_requested(): the technician pressed Cancel while the work was running.
    """

    create_requested = Signal(object)
    cancel_requested = Signal()

    def __init__(
        self,
        subject: str,
        folder: str,
        picker: FilePicker,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Create a new certificate")
        self.setObjectName("CreateCertificateDialog")
        self._picker = picker
        self._busy = False
        self._stem_edited = False

        intro = QLabel(
            "Creates a self-signed certificate for the app. Upload the <b>.cer</b> to the app "
            "registration in Microsoft Entra ID; keep the <b>.pfx</b> and its password safe."
        )
        intro.setWordWrap(True)

        self.subject = QLineEdit(subject)
        self.subject.setAccessibleName("Certificate subject")
        self.subject.setMaxLength(64)
        self.days = QSpinBox()
        self.days.setRange(1, MAX_DAYS)
        self.days.setValue(DEFAULT_DAYS)
        self.days.setSuffix(" days")
        self.days.setAccessibleName("Validity in days")
        self.key_size = QComboBox()
        for bits in KEY_SIZES:
            self.key_size.addItem(f"RSA {bits} bits", bits)
        self.key_size.setAccessibleName("Key size")
        self.folder = QLineEdit(folder)
        self.folder.setAccessibleName("Folder to save in")
        self.browse = QPushButton("B&rowse…")
        self.browse.clicked.connect(self._choose_folder)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(self.browse)
        self.stem = QLineEdit(file_stem(subject))
        self.stem.setAccessibleName("File name")
        self.stem.textEdited.connect(self._on_stem_edited)
        self.subject.textChanged.connect(self._on_subject_changed)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName(".pfx password")
        self.confirm = QLineEdit()
        self.confirm.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirm.setAccessibleName("Confirm .pfx password")
        self.legacy = QCheckBox("Compatible with &older Windows (3DES/SHA-1)")
        self.legacy.setToolTip(
            "Protect the .pfx with 3DES and a SHA-1 MAC instead of AES-256, so that Windows "
            "Server 2016 and older Windows 10 can import it."
        )

        form = QFormLayout()
        form.addRow("&Subject (CN):", self.subject)
        form.addRow("&Valid for:", self.days)
        form.addRow("&Key size:", self.key_size)
        folder_label = QLabel("Save in &folder:")
        folder_label.setBuddy(self.folder)
        form.addRow(folder_label, folder_row)
        form.addRow("File &name:", self.stem)
        form.addRow(".pfx &password:", self.password)
        form.addRow("Confir&m password:", self.confirm)
        form.addRow("", self.legacy)

        self.error = QLabel()
        self.error.setObjectName("CreateCertificateError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")
        self.error.hide()
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setTextVisible(False)
        self.progress.hide()
        self.status = QLabel()
        self.status.hide()

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.create_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.create_button.setText("&Create")
        self.buttons.accepted.connect(self._on_create)
        self.buttons.rejected.connect(self._on_cancel)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.status)
        layout.addWidget(self.progress)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(520)

    # -- what the owner calls ----------------------------------------------------------------
    def set_busy(self, busy: bool, text: str = "") -> None:
        """Show progress while the owner creates the certificate."""
        self._busy = busy
        inputs: list[QWidget] = [self.subject, self.days, self.key_size, self.folder]
        inputs += [self.browse, self.stem, self.password, self.confirm, self.legacy]
        for widget in [*inputs, self.create_button]:
            widget.setEnabled(not busy)
        self.progress.setVisible(busy)
        self.status.setText(text)
        self.status.setVisible(busy and bool(text))
        if busy:
            self.error.hide()

    def show_error(self, error: UserError | str) -> None:
        self.set_busy(False)
        text = error.one_line() if isinstance(error, UserError) else error
        self.error.setText(text)
        self.error.show()

    # -- internals ---------------------------------------------------------------------------
    @Slot(str)
    def _on_subject_changed(self, text: str) -> None:
        if not self._stem_edited:
            self.stem.setText(file_stem(text))

    @Slot(str)
    def _on_stem_edited(self, text: str) -> None:
        self._stem_edited = True

    @Slot()
    def _choose_folder(self) -> None:
        chosen = self._picker.choose_folder(self, self.folder.text())
        if chosen:
            self.folder.setText(chosen)

    def order(self) -> CreateCertificate:
        """The request as entered; raises :class:`UserError` naming what to fix."""
        request = CertificateRequest(
            self.subject.text(), days=self.days.value(), key_size=int(self.key_size.currentData())
        ).validated()
        folder = self.folder.text().strip()
        if not folder:
            raise UserError("Choose a folder to save the certificate in.")
        stem = self.stem.text().strip()
        if not stem or stem != file_stem(stem):
            raise UserError(
                "The file name may use only letters, digits, dots, dashes and underscores."
            )
        if not self.password.text():
            raise UserError("Enter a password to protect the .pfx file.")
        if self.password.text() != self.confirm.text():
            raise UserError("The two passwords differ.", remedy="Type the same password twice.")
        encryption = PfxEncryption.LEGACY_3DES if self.legacy.isChecked() else PfxEncryption.AES256
        return CreateCertificate(request, Path(folder), stem, self.password.text(), encryption)

    @Slot()
    def _on_create(self) -> None:
        try:
            order = self.order()
        except UserError as exc:
            self.show_error(exc)
            return
        self.set_busy(True, f"Creating an RSA {order.request.key_size}-bit key…")
        self.create_requested.emit(order)

    @Slot()
    def _on_cancel(self) -> None:
        if self._busy:
            self.cancel_requested.emit()
            self.set_busy(False)
        self.reject()
