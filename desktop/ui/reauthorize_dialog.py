"""The Re-authorize dialog: why the profile needs it, the consent method, and what may change.

Seed 000: administrator or user consent (user consent only for the app types in its table);
the Cloud Backup for Microsoft 365 Delegated app's functions; a custom app's application ID or
certificate; and the Conditional Access original-IP note. The dialog only collects choices and
shows outcomes; a ReauthorizeController runs the consent and the check.
"""

from __future__ import annotations

import html
import re

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from desktop.controllers.certificates import CertificateController
from desktop.controllers.reauthorize import ReauthorizeController
from desktop.core.catalog.model import AppType, ConsentMethod
from desktop.core.checks.result import CheckResult
from desktop.core.domain import AppProfile, Status, Tenant
from desktop.core.errors import UserError
from desktop.core.identity.reconsent import ReconsentWarning
from desktop.core.reauthorize.flow import ReauthorizeOptions, ReauthorizeRequest
from desktop.core.team.tickets import check_ticket

from desktop.ui.certificate_panel import CertificatePanel
from desktop.ui.consent_access_notice import REAUTHORIZE_ROUTES, ConsentAccessNotice
from desktop.ui.error_page_help import ErrorPageHelp
from desktop.ui.file_picker import FilePicker
from desktop.ui.text_scroll import TextScroll

_GUID = re.compile(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")


def _as_html(text: str) -> str:
    """Plain warning text (lines of "  - item") as escaped rich text with line breaks."""
    return "<br>".join(
        html.escape(line).replace("  - ", "&nbsp;&nbsp;• ") for line in text.split("\n")
    )


WHY_TITLE = "Why it needs re-authorizing"
RESULT_TITLE = "After re-authorizing"
#: How many lines of a reason show before it scrolls.
_REASON_LINES = 6


def _label(text: str, parent: QWidget, name: str = "") -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if name:
        label.setObjectName(name)
    return label


class ReauthorizeDialog(QDialog):
    """Collects a :class:`ReauthorizeRequest` and shows the outcome.

    Signals:
        reauthorized(object): the new :class:`CheckResult` (the owner refreshes the list).
    """

    reauthorized = Signal(object)

    def __init__(
        self,
        profile: AppProfile,
        app_name: str,
        options: ReauthorizeOptions,
        controller: ReauthorizeController,
        parent: QWidget | None = None,
        *,
        certificates: CertificateController | None = None,
        picker: FilePicker | None = None,
        customer: str = "",
    ) -> None:
        super().__init__(parent)
        assert profile.id is not None
        self._certificates = certificates
        self._picker = picker
        self._customer = customer
        self._profile = profile
        self._options = options
        self._controller = controller
        #: Whether the signed-in account can consent here (see :meth:`add_access_notice`).
        self.access_notice: ConsentAccessNotice | None = None
        self.setWindowTitle(f"Re-authorize {profile.name}")
        self.setObjectName("ReauthorizeDialog")
        self.setMinimumWidth(600)
        layout = QVBoxLayout(self)

        heading = _label(f"<b>{profile.name}</b> — {app_name}", self)
        heading.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(heading)
        self.why_box = QGroupBox(WHY_TITLE, self)
        why_layout = QVBoxLayout(self.why_box)
        self.status_label = _label(f"Status: {profile.status.value}", self.why_box, "CurrentStatus")
        self.why = _label(options.why, self.why_box, "Why")
        self.remedy = _label(f"What to do: {options.remedy}", self.why_box, "Remedy")
        # A reason can list fifty permissions: it scrolls past a few lines, never cut off.
        lines = self.fontMetrics().lineSpacing() * _REASON_LINES
        self.why_scroll = TextScroll(self.why, lines, self.why_box)
        for widget in (self.status_label, self.why_scroll, self.remedy):
            why_layout.addWidget(widget)
        layout.addWidget(self.why_box)

        self.note: QLabel | None = None
        if options.original_ip_note:
            self.note = _label(
                f"<b>Conditional Access — the original IP address:</b> {options.original_ip_note}",
                self,
                "IpNote",
            )
            self.note.setTextFormat(Qt.TextFormat.RichText)
            self.note.setFrameShape(QFrame.Shape.StyledPanel)
            self.note.setMargin(8)
            self.note.setAccessibleName("Conditional Access note")
            layout.addWidget(self.note)

        layout.addWidget(self._method_box())
        self.function_boxes: dict[str, QCheckBox] = {}
        if options.functions:
            layout.addWidget(self._functions_box())
        self.app_id: QLineEdit | None = None
        self.certificate: CertificatePanel | None = None
        if options.custom:
            layout.addWidget(self._custom_box())

        ticket_row = QFormLayout()
        self.ticket = QLineEdit(self)
        self.ticket.setObjectName("TicketNumber")
        self.ticket.setAccessibleName("Ticket number")
        self.ticket.setPlaceholderText("Optional, e.g. T-4711: kept with the team's audit log")
        ticket_label = QLabel("Tic&ket:", self)
        ticket_label.setBuddy(self.ticket)
        ticket_row.addRow(ticket_label, self.ticket)
        layout.addLayout(ticket_row)

        self.busy = QProgressBar(self)
        self.busy.setRange(0, 0)
        self.busy.setAccessibleName("Re-authorizing")
        self.busy.setFormat("Waiting for the consent in your browser…")
        self.busy.setTextVisible(True)
        self.busy.hide()
        self.outcome = _label("", self, "Outcome")
        self.outcome.hide()
        # Tenant-wide consent may revoke what the app has now: shown before it is given.
        self.reconsent = _label("", self, "ReconsentWarning")
        self.reconsent.setFrameShape(QFrame.Shape.StyledPanel)
        self.reconsent.setMargin(8)
        self.reconsent.setAccessibleName("What consenting again may revoke")
        self.reconsent.hide()
        self._warned = False
        self._reading_warning = False
        layout.addWidget(self.reconsent)
        # Most sign-in errors stay on Microsoft's page: say so while the consent waits.
        self.error_help = ErrorPageHelp(customer or "the customer's tenant", self)
        self.error_help.error_page_seen.connect(self._on_error_page)
        layout.addWidget(self.busy)
        layout.addWidget(self.error_help)
        layout.addWidget(self.outcome)

        self.buttons = QDialogButtonBox(self)
        self.go = QPushButton("&Re-authorize", self)
        self.go.setDefault(True)
        self.buttons.addButton(self.go, QDialogButtonBox.ButtonRole.ActionRole)
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setText("&Cancel")
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.close_button.hide()
        layout.addWidget(self.buttons)
        self.setStyleSheet('QLabel#Outcome[error="true"] { color: #b00020; }')
        self.go.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self._on_cancel)
        self.close_button.clicked.connect(self.accept)
        controller.running_changed.connect(self._set_running)
        controller.succeeded.connect(self._on_succeeded)
        controller.failed.connect(self._on_failed)
        controller.cancelled.connect(self._on_cancelled)
        controller.warning_ready.connect(self._on_warning)
        self.methods.buttonToggled.connect(self._method_changed)

    def add_access_notice(self, notice: ConsentAccessNotice, tenant: Tenant, app: AppType) -> None:
        """Under the reason: whether the signed-in account can consent for *app* here, and
        the other routes when it cannot."""
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertWidget(layout.indexOf(self.why_box) + 1, notice)
        self.access_notice = notice
        notice.routes = REAUTHORIZE_ROUTES
        notice.show_for(tenant, [app])

    # -- sections --------------------------------------------------------------------------

    def _method_box(self) -> QGroupBox:
        box = QGroupBox("Consent method", self)
        form = QVBoxLayout(box)
        self.admin = QRadioButton("&Administrator consent (a Global Administrator signs in)", box)
        self.user = QRadioButton("&User consent (a non-administrator account may consent)", box)
        self.methods = QButtonGroup(box)
        self.methods.addButton(self.admin)
        self.methods.addButton(self.user)
        user_ok = ConsentMethod.USER in self._options.methods
        self.user.setEnabled(user_ok)
        if self._profile.consent_method is ConsentMethod.USER and user_ok:
            self.user.setChecked(True)
        else:
            self.admin.setChecked(True)
        form.addWidget(self.admin)
        form.addWidget(self.user)
        if not user_ok:
            hint = _label("This app type supports administrator consent only.", box)
            self.user.setToolTip(hint.text())
            form.addWidget(hint)
        return box

    def _functions_box(self) -> QGroupBox:
        box = QGroupBox("Functions that use the Delegated app", self)
        form = QVBoxLayout(box)
        for function in self._options.functions:
            check = QCheckBox(function.name, box)
            check.setChecked(function.id in self._options.chosen_functions)
            self.function_boxes[function.id] = check
            form.addWidget(check)
        hint = QLabel("The subscription must include the modules you want to protect.", box)
        hint.setToolTip(
            "Cloud Backup for Microsoft 365: check that the organization's subscription covers "
            "the modules these functions protect."
        )
        form.addWidget(hint)
        return box

    def _custom_box(self) -> QGroupBox:
        box = QGroupBox("Custom app", self)
        layout = QVBoxLayout(box)
        form = QFormLayout()
        self.app_id = QLineEdit(self._profile.custom_app_id, box)
        self.app_id.setAccessibleName("Application ID")
        self.app_id.setPlaceholderText("00000000-0000-0000-0000-000000000000")
        app_id_label = QLabel("Application &ID:", box)
        app_id_label.setBuddy(self.app_id)
        form.addRow(app_id_label, self.app_id)
        layout.addLayout(form)
        hint = _label(
            "Keep the stored certificate, or choose the app's new .pfx. A new certificate "
            "replaces the stored one once the consent succeeds.",
            box,
            "CertificateHint",
        )
        layout.addWidget(hint)
        certificates = self._certificates or CertificateController(self._controller.runner, self)
        self.certificate = CertificatePanel(certificates, self._picker, box)
        panel_layout = self.certificate.layout()
        if panel_layout is not None:  # line its fields up with the application ID's
            panel_layout.setContentsMargins(0, 0, 0, 0)
        self.certificate.set_default_subject(self._customer, self._profile.name)
        self.certificate.empty.setText(
            "No new certificate chosen: the stored one is kept. Choose the app's new .pfx "
            "file, or create a new certificate."
        )
        layout.addWidget(self.certificate)
        return box

    # -- running ---------------------------------------------------------------------------

    def request(self) -> ReauthorizeRequest:
        """The choices as a request; raises UserError for an invalid application ID or a
        certificate that was chosen but cannot be used."""
        assert self._profile.id is not None
        method = ConsentMethod.USER if self.user.isChecked() else ConsentMethod.ADMIN
        functions = None
        if self.function_boxes:
            functions = tuple(fid for fid, box in self.function_boxes.items() if box.isChecked())
            if set(functions) == set(self._options.chosen_functions):
                functions = None
        app_id = None
        if self.app_id is not None and self.app_id.text().strip() != self._profile.custom_app_id:
            app_id = self.app_id.text().strip()
            if not _GUID.match(app_id):
                raise UserError(
                    "The application ID is not a GUID.",
                    remedy="Copy the Application (client) ID from the app's overview in Entra ID.",
                )
        pfx = None
        password = None
        if self.certificate is not None and self.certificate.path.text().strip():
            chosen = self.certificate.selected
            if chosen is None:
                raise UserError(
                    "The certificate chosen cannot be used.",
                    remedy="Fix what the certificate panel says, or clear the file name to keep "
                    "the stored certificate.",
                )
            pfx, password = chosen.pfx_bytes, chosen.password
        ticket = check_ticket(self.ticket.text())
        return ReauthorizeRequest(
            self._profile.id, method, functions, app_id, pfx, password, ticket=ticket
        )

    @Slot()
    def start(self) -> None:
        try:
            request = self.request()
        except UserError as exc:
            self._show_outcome(f"{exc.message} {exc.remedy}", error=True)
            return
        self.outcome.hide()
        if (
            request.method is ConsentMethod.ADMIN
            and self._controller.warns_before_reconsent
            and not self._warned
        ):
            self._reading_warning = True
            self.busy.setFormat("Reading the app's current grants…")
            self._controller.read_warning()  # then _on_warning asks, or goes ahead
            return
        self._reading_warning = False
        self.busy.setFormat("Waiting for the consent in your browser…")
        self._controller.start(request)

    @Slot(object)
    def _on_warning(self, warning: ReconsentWarning) -> None:
        self._warned = True
        if not warning.needed:
            self.start()
            return
        self.reconsent.setText(f"<b>Before you consent again:</b> {_as_html(warning.text())}")
        self.reconsent.setTextFormat(Qt.TextFormat.RichText)
        self.reconsent.show()
        self.go.setText("&Consent again anyway")

    @Slot()
    def _method_changed(self) -> None:
        # The warning is about administrator consent: a change of method asks again.
        self._warned = False
        self.reconsent.hide()
        self.go.setText("&Re-authorize")

    @Slot(bool)
    def _set_running(self, running: bool) -> None:
        self.busy.setVisible(running)
        if running and not self._reading_warning:
            self.error_help.waiting()
        else:
            self.error_help.done()
        self.go.setEnabled(not running)
        for box in self.findChildren(QGroupBox):
            box.setEnabled(not running)

    @Slot()
    def _on_error_page(self) -> None:
        # The browser ended on Microsoft's error page: nothing will come back to the wait.
        if self._controller.running:
            self._controller.cancel()

    @Slot()
    def _on_cancel(self) -> None:
        if self._controller.running:
            self._controller.cancel()
        else:
            self.reject()

    def _show_outcome(self, text: str, *, error: bool = False) -> None:
        self.outcome.setText(text)
        self.outcome.setProperty("error", error)
        self.outcome.style().unpolish(self.outcome)
        self.outcome.style().polish(self.outcome)
        self.outcome.show()

    @Slot(object)
    def _on_succeeded(self, result: CheckResult) -> None:
        # The box now says what the check after the consent found: the old "why" is stale.
        self.why_box.setTitle(RESULT_TITLE)
        self.status_label.setText(f"Status: {result.status.value}")
        self.why.setText(result.reason or "The check gave no reason.")
        self.remedy.setText(f"What to do: {result.remedy}" if result.remedy else "")
        self.remedy.setVisible(bool(result.remedy))
        self.why_scroll.updateGeometry()
        # The reason and the remedy are in the box above; the line below only sums up.
        if result.status is Status.VALID:
            text = "Re-authorized. The check after the consent says the profile is Valid."
            if result.warning and result.warning not in result.reason:
                text += f" {result.warning}"
        elif result.transient:
            text = "Re-authorized, but the check after it could not run (why: above)."
        else:
            text = f"Re-authorized, but the profile is still {result.status.value} (why: above)."
        self._show_outcome(text, error=result.status is not Status.VALID)
        self.go.hide()
        self.cancel_button.hide()
        self.close_button.show()
        self.close_button.setDefault(True)
        self.reauthorized.emit(result)

    @Slot(object)
    def _on_failed(self, error: UserError) -> None:
        self._show_outcome(f"Not re-authorized: {error.one_line()}", error=True)
        self.go.setText("&Try again")

    @Slot()
    def _on_cancelled(self) -> None:
        self._show_outcome("Cancelled. Nothing was changed.")
