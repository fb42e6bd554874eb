"""Rotate certificate: create a new certificate, have the customer upload it, verify, retire.

Step 1 writes the new ``.cer`` (for the customer) and a password-protected ``.pfx`` where
the technician chooses, and shows where in the Microsoft Entra admin center to upload it,
with Copy buttons. Step 2 signs in with the new certificate (progress and Cancel); only when
the tenant accepts it is it swapped in and the profile checked, and the dialog then says how
to delete the old certificate from the app registration. A refusal (not uploaded yet, or
Microsoft still applying it) says so and changes nothing. The dialog only shows and
forwards: :class:`~desktop.controllers.certificate_rotation.CertificateRotationController`
does the work off the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.controllers.certificate_rotation import (
    CertificateRotationController,
    RotationSubject,
)
from desktop.core.certificates import DEFAULT_DAYS, CertificateInfo
from desktop.core.checks.result import CheckResult
from desktop.core.domain import Status
from desktop.core.errors import UserError
from desktop.core.secrets.rotation import PORTAL, RotationOutcome, RotationPlan

#: Asks for a .pfx written earlier and its password: ``(path, password)`` or None.
AskPfx = Callable[[QWidget], tuple[Path, str] | None]
#: Asks for the folder to save the new certificate in, or None.
AskFolder = Callable[[QWidget, str], Path | None]


def _numbered(steps: tuple[str, ...] | list[str]) -> str:
    return "\n".join(f"{n}. {step}" for n, step in enumerate(steps, 1))


def _expiry_words(not_after: datetime) -> str:
    days = (not_after - datetime.now(UTC)).days
    if days < 0:
        return f"expired on {not_after:%Y-%m-%d}"
    return f"expires on {not_after:%Y-%m-%d} (in {days} day{'s' if days != 1 else ''})"


def native_pfx_dialog(parent: QWidget) -> tuple[Path, str] | None:
    """The platform's Open dialog for the .pfx, then its password."""
    name, _ = QFileDialog.getOpenFileName(
        parent, "Open the new certificate", "", "Certificates (*.pfx *.p12)"
    )
    if not name:
        return None
    label = f"Password of {Path(name).name}:"
    echo = QLineEdit.EchoMode.Password
    password, ok = QInputDialog.getText(parent, "Certificate password", label, echo)
    return (Path(name), password) if ok else None


def native_folder_dialog(parent: QWidget, start: str) -> Path | None:
    """The platform's folder chooser."""
    name = QFileDialog.getExistingDirectory(parent, "Save the new certificate in", start)
    return Path(name) if name else None


class CertificateRotationDialog(QDialog):
    """The two steps of a rotation for one custom-mode profile.

    Signals:
        rotated(int): the profile with this id now uses the new certificate.

    Attributes:
        ask_pfx, ask_folder: the file choosers (tests replace them).
    """

    rotated = Signal(int)

    def __init__(self, controller: CertificateRotationController, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Rotate certificate")
        self.setObjectName("CertificateRotationDialog")
        self.resize(720, 640)
        self._controller = controller
        self.ask_pfx: AskPfx = native_pfx_dialog
        self.ask_folder: AskFolder = native_folder_dialog
        self._subject: RotationSubject | None = None
        self._verifying = False

        self.heading = QLabel("Reading the profile…")
        self.heading.setWordWrap(True)
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.current = QLabel("")
        self.current.setWordWrap(True)
        self.current.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        # -- step 1 ---------------------------------------------------------------------
        self.create_box = QGroupBox("1. Create the new certificate")
        self.folder = QLineEdit(str(Path.home()))
        self.folder.setAccessibleName("Folder for the new certificate")
        browse = QPushButton("&Browse…")
        browse.clicked.connect(self._browse)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(browse)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName(".pfx password")
        self.confirm = QLineEdit()
        self.confirm.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirm.setAccessibleName("Confirm the .pfx password")
        self.days = QSpinBox()
        self.days.setRange(30, 3650)
        self.days.setValue(DEFAULT_DAYS)
        self.days.setSuffix(" days")
        form = QFormLayout()
        form.addRow("Save in:", folder_row)
        form.addRow(".pfx &password:", self.password)
        form.addRow("Con&firm password:", self.confirm)
        form.addRow("&Valid for:", self.days)
        self.create_button = QPushButton("&Create certificate")
        self.create_button.clicked.connect(self._create)
        hint = QLabel(
            "The .cer is for the customer's administrator. The .pfx keeps the new private key, "
            "protected by this password, until the new certificate is verified."
        )
        hint.setWordWrap(True)
        self.steps = QPlainTextEdit()
        self.steps.setReadOnly(True)
        self.steps.setAccessibleName("Upload steps")
        self.steps.setMinimumHeight(90)
        self.steps.hide()
        self.portal = QLabel(f'<a href="{PORTAL}">Open the Microsoft Entra admin center</a>')
        self.portal.setOpenExternalLinks(True)
        self.portal.hide()
        self.copy_steps = QPushButton("Copy &steps")
        self.copy_thumbprint = QPushButton("Copy &thumbprint")
        self.copy_app_id = QPushButton("Copy application &ID")
        self.copy_steps.clicked.connect(self._copy_upload_steps)
        self.copy_thumbprint.clicked.connect(self._copy_new_thumbprint)
        self.copy_app_id.clicked.connect(self._copy_app_id)
        copies = QHBoxLayout()
        for button in (self.copy_steps, self.copy_thumbprint, self.copy_app_id):
            button.hide()
            copies.addWidget(button)
        copies.addStretch(1)
        step1 = QVBoxLayout(self.create_box)
        step1.addLayout(form)
        step1.addWidget(hint)
        step1.addWidget(self.create_button, 0, Qt.AlignmentFlag.AlignLeft)
        step1.addWidget(self.steps)
        step1.addLayout(copies)
        step1.addWidget(self.portal)

        # -- step 2 ---------------------------------------------------------------------
        self.verify_box = QGroupBox("2. Verify it once the customer has uploaded it")
        self.verify_note = QLabel(
            "Create the certificate first, or open the .pfx you created earlier for this "
            "profile. Until the new certificate is verified, nothing changes: the old one "
            "stays in use."
        )
        self.verify_note.setWordWrap(True)
        self.open_button = QPushButton("&Open a .pfx created earlier…")
        self.open_button.clicked.connect(self._open_pfx)
        self.verify_button = QPushButton("I have uploaded it — &Verify")
        self.verify_button.setEnabled(False)
        self.verify_button.clicked.connect(self._verify)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self._cancel)
        buttons2 = QHBoxLayout()
        buttons2.addWidget(self.verify_button)
        buttons2.addWidget(self.cancel_button)
        buttons2.addWidget(self.open_button)
        buttons2.addStretch(1)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # busy: a sign-in has no steps to count
        self.progress.setTextVisible(False)
        self.progress.hide()
        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.setObjectName("RotationResult")
        self.retire = QPlainTextEdit()
        self.retire.setReadOnly(True)
        self.retire.setAccessibleName("Steps to delete the old certificate")
        self.retire.setMinimumHeight(60)
        self.retire.setMaximumHeight(110)
        self.retire.hide()
        self.copy_retire = QPushButton("Copy these steps")
        self.copy_retire.clicked.connect(lambda: self._copy(self.retire.toPlainText()))
        self.copy_retire.hide()
        step2 = QVBoxLayout(self.verify_box)
        step2.addWidget(self.verify_note)
        step2.addLayout(buttons2)
        step2.addWidget(self.retire)
        step2.addWidget(self.copy_retire, 0, Qt.AlignmentFlag.AlignLeft)

        body = QWidget()
        inner = QVBoxLayout(body)
        inner.addWidget(self.heading)
        inner.addWidget(self.current)
        inner.addWidget(self.create_box)
        inner.addWidget(self.verify_box)
        inner.addStretch(1)
        self.scroller = QScrollArea()
        self.scroller.setWidgetResizable(True)
        self.scroller.setFrameShape(QScrollArea.Shape.NoFrame)
        # Texts wrap to the width instead: a sideways scroll hides the ends of the steps.
        self.scroller.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroller.setWidget(body)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.scroller, 1)
        # Always in view, whatever is scrolled: what the running step does or did.
        layout.addWidget(self.progress)
        layout.addWidget(self.message)
        layout.addWidget(close)
        self.setMinimumWidth(520)

        controller.loaded.connect(self._show_subject)
        controller.created.connect(self._show_plan)
        controller.opened.connect(self._show_opened)
        controller.verified.connect(self._show_outcome)
        controller.failed.connect(self._show_error)
        controller.cancelled.connect(self._show_cancelled)
        controller.running_changed.connect(self._set_running)
        controller.progressed.connect(self.message.setText)
        self._set_running(False)

    @property
    def rotating_id(self) -> int | None:
        """The profile whose certificate this dialog rotates."""
        return self._controller.profile_id

    # -- what the technician asks ----------------------------------------------------------

    def start(self, profile_id: int) -> None:
        """Begin a rotation of *profile_id* (forgets any earlier one's new certificate); not
        while a step of the current one runs (it is finished or cancelled first)."""
        if self._controller.running:
            self.message.setText(
                "A step of this rotation is still running: wait for it, or cancel it, before "
                "rotating another certificate."
            )
            return
        self._subject = None
        self.heading.setText("Reading the profile…")
        self.current.setText("")
        self.message.setText("")
        for widget in (self.steps, self.portal, self.retire, self.copy_retire):
            widget.hide()
        for button in (self.copy_steps, self.copy_thumbprint, self.copy_app_id):
            button.hide()
        self.password.clear()
        self.confirm.clear()
        self._controller.load(profile_id)

    def reject(self) -> None:
        """Close: a verification still running is cancelled (nothing is swapped then)."""
        self._controller.cancel()
        super().reject()

    def _browse(self) -> None:
        chosen = self.ask_folder(self, self.folder.text())
        if chosen is not None:
            self.folder.setText(str(chosen))

    def _create(self) -> None:
        password = self.password.text()
        if not password:
            self._error_text("Give a password for the .pfx: it protects the new private key.")
            return
        if password != self.confirm.text():
            self._error_text("The two passwords differ. Type the same password twice.")
            return
        folder = self.folder.text().strip()
        if not folder:
            self._error_text("Choose the folder to save the new certificate in.")
            return
        self.message.setText("Creating the new certificate…")
        self._controller.create(Path(folder).expanduser(), password, self.days.value())

    def _open_pfx(self) -> None:
        chosen = self.ask_pfx(self)
        if chosen is not None:
            self.message.setText("Opening the certificate…")
            self._controller.open_pfx(*chosen)

    def _verify(self) -> None:
        self.message.setText("Signing in to the customer's app with the new certificate…")
        self._verifying = True
        self._controller.verify()

    def _cancel(self) -> None:
        self.cancel_button.setEnabled(False)
        self.message.setText(
            "Cancelling: the sign-in already sent ends first; nothing will be changed."
        )
        self._controller.cancel()

    def _copy(self, text: str) -> None:
        if text:
            QGuiApplication.clipboard().setText(text)

    def _copy_upload_steps(self) -> None:
        plan = self._controller.plan
        if plan is not None:  # the customer's steps only (not where the files are here)
            self._copy(_numbered(plan.steps))

    def _copy_new_thumbprint(self) -> None:
        plan = self._controller.plan
        if plan is not None:
            self._copy(plan.thumbprint_sha1)

    def _copy_app_id(self) -> None:
        if self._subject is not None:
            self._copy(self._subject.details.profile.custom_app_id)

    # -- what the controller reports ---------------------------------------------------------

    def _show_subject(self, subject: RotationSubject) -> None:
        self._subject = subject
        p = subject.details.profile
        self.heading.setText(
            f"{p.name} — {subject.details.customer}, {subject.details.tenant.label}. "
            f"Application ID {p.custom_app_id}."
        )
        if subject.current is not None:
            info = subject.current
            self.current.setText(
                f"Current certificate: {info.common_name}, thumbprint {info.thumbprint_sha1}, "
                f"{_expiry_words(info.not_after)}."
            )
        else:
            self.current.setText(f"Current certificate: {subject.current_note}")
        self._set_running(False)

    def _show_plan(self, plan: RotationPlan) -> None:
        self.password.clear()
        self.confirm.clear()
        self.steps.setPlainText(
            f"Saved {plan.cer.name} (for the customer) and {plan.pfx.name} in {plan.cer.parent}."
            f"\nNew thumbprint {plan.thumbprint_sha1}, valid until {plan.not_after:%Y-%m-%d}.\n\n"
            f"{_numbered(plan.steps)}"
        )
        for widget in (self.steps, self.portal, self.copy_steps, self.copy_thumbprint):
            widget.show()
        self.copy_app_id.show()
        self.message.setText(
            "Send the .cer to the customer's administrator with these steps. When they have "
            "uploaded it, select Verify."
        )
        self.verify_note.setText(
            "When the customer's administrator has uploaded the .cer, select Verify. Until the "
            "new certificate is verified, nothing changes: the old one stays in use."
        )

    def _show_opened(self, info: CertificateInfo) -> None:
        self.message.setText(
            f"Opened {info.common_name} (thumbprint {info.thumbprint_sha1}, "
            f"{_expiry_words(info.not_after)}). Select Verify once the customer has uploaded it."
        )

    def _show_outcome(self, outcome: RotationOutcome) -> None:
        result: CheckResult = outcome.result
        checked = result.status.value
        if result.status is Status.VALID:
            text = f"The new certificate is in use, and the check says {checked}."
        else:
            reason = f" {result.reason}" if result.reason else ""
            text = f"The new certificate is in use. The check says {checked}:{reason}"
        if outcome.steps:
            text += " Now delete the old certificate from the app registration (steps under 2)."
            self.retire.setPlainText(_numbered(outcome.steps))
            self.retire.show()
            self.copy_retire.show()
        self.message.setText(text)
        self.verify_note.setText(
            "Verified: the customer's app accepts the new certificate, which is now stored in "
            "place of the old one."
        )
        plan = self._controller.plan
        if plan is not None:
            self.current.setText(
                f"Current certificate: thumbprint {plan.thumbprint_sha1}, "
                f"{_expiry_words(plan.not_after)} (rotated just now)."
            )
        shown = self.copy_retire if outcome.steps else self.verify_box
        # Once the layout has made room for the steps just shown.
        QTimer.singleShot(0, lambda: self.scroller.ensureWidgetVisible(shown))
        self.rotated.emit(result.id)

    def _show_error(self, error: UserError) -> None:
        self._error_text(error.one_line())

    def _show_cancelled(self) -> None:
        self.message.setText(
            "Verification cancelled. Nothing was changed: the old certificate is still in use."
        )

    def _error_text(self, text: str) -> None:
        self.message.setText(text)

    def _set_running(self, running: bool) -> None:
        ready = self._subject is not None and not running
        self._verifying = self._verifying and running
        self.progress.setVisible(self._verifying)
        self.cancel_button.setEnabled(self._verifying)
        self.create_button.setEnabled(ready)
        self.open_button.setEnabled(ready)
        self.verify_button.setEnabled(ready and self._controller.ready_to_verify)
