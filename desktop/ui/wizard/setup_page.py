"""Step 3: the setup method. Baseline management: modern (recommended, the default) or a
custom app profile. Skipped when there is nothing to choose (AOS services: modern only, as
the Services step says)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
)

from desktop.controllers.wizard import WizardController
from desktop.core.catalog.model import SetupMode
from desktop.core.certificates.selected import SelectedCertificate
from desktop.core.wizard import RoleState, Step, normalize_guid
from desktop.core.wizard.guidance import (
    CUSTOM_APP_REDIRECT_NOTE,
    CUSTOM_APP_REDIRECT_URI,
)

from desktop.ui.certificate_panel import CertificatePanel
from desktop.ui.wizard.base import StepPage, clear_layout
from desktop.ui.wizard.roles_page import RoleRow

LABEL = QFormLayout.ItemRole.LabelRole

MODE_TEXT = {
    SetupMode.MODERN: "&Modern mode (recommended): the publisher's default app",
    SetupMode.CUSTOM: "C&ustom app profile: the customer's own app and certificate",
}


class SetupPage(StepPage):
    """Modes per service, and the custom app's details when custom mode is chosen."""

    def __init__(self, controller: WizardController, certificate: CertificatePanel) -> None:
        super().__init__(
            Step.SETUP, controller, "Choose how the apps are set up in the customer's tenant."
        )
        self.modes_box = QVBoxLayout()
        self.body.addLayout(self.modes_box)
        self.radios: dict[tuple[str, SetupMode], QRadioButton] = {}
        self.groups: list[QButtonGroup] = []
        self.custom_box = QGroupBox("Custom app profile", self)
        form = QFormLayout(self.custom_box)
        self.custom_form = form
        self.profile_name = QLineEdit(self.custom_box)
        self.profile_name.setAccessibleName("App profile name")
        name_label = QLabel("App profile nam&e:", self.custom_box)
        name_label.setBuddy(self.profile_name)
        form.addRow(name_label, self.profile_name)
        self.app_id = QLineEdit(self.custom_box)
        self.app_id.setPlaceholderText("00000000-0000-0000-0000-000000000000")
        self.app_id.setAccessibleName("Application ID")
        id_label = QLabel("&Application ID:", self.custom_box)
        id_label.setBuddy(self.app_id)
        form.addRow(id_label, self.app_id)
        self.certificate = certificate
        certificate.setParent(self.custom_box)
        # The panel's "Create a &new certificate" would take the wizard's Alt+N (Next).
        certificate.create_button.setText("Create a ne&w certificate…")
        certificate.browse.setText("B&rowse…")  # and its &Browse would take < &Back
        form.addRow(certificate)
        note = QLabel(CUSTOM_APP_REDIRECT_NOTE, self.custom_box)
        note.setWordWrap(True)
        form.addRow(note)
        uri_row = QHBoxLayout()
        self.redirect = QLineEdit(CUSTOM_APP_REDIRECT_URI, self.custom_box)
        self.redirect.setReadOnly(True)
        self.redirect.setAccessibleName("Redirect URI to register")
        self.copy_uri = QPushButton("Cop&y", self.custom_box)
        self.copy_uri.setAccessibleName("Copy the redirect URI")
        uri_row.addWidget(self.redirect, 1)
        uri_row.addWidget(self.copy_uri)
        uri_label = QLabel("Red&irect URI:", self.custom_box)
        uri_label.setBuddy(self.redirect)
        form.addRow(uri_label, uri_row)
        self._line_up(form, certificate)
        self.body.addWidget(self.custom_box)
        # A box of its own, in the page's plain column: inside the form, the rows' wrapped
        # text got too little height and their buttons were squeezed.
        self.roles_box = QGroupBox("Roles the custom app needs before authorization", self)
        roles_layout = QVBoxLayout(self.roles_box)
        self.roles_note = QLabel(self.roles_box)
        self.roles_note.setWordWrap(True)
        roles_layout.addWidget(self.roles_note)
        # One row per role: Assign now (Graph, verified) or the Entra admin center steps.
        self.role_list = QVBoxLayout()
        roles_layout.addLayout(self.role_list)
        self.role_rows: list[RoleRow] = []
        self.roles_confirmed = QCheckBox(
            "I assigned these roles by han&d in Microsoft Entra ID", self.roles_box
        )
        roles_layout.addWidget(self.roles_confirmed)
        self.body.addWidget(self.roles_box)
        self.body.addStretch(1)
        self.registerField("custom_profile_name", self.profile_name)
        self.registerField("custom_application_id", self.app_id)
        self.profile_name.textChanged.connect(self._details)
        self.app_id.textChanged.connect(self._details)
        self.roles_confirmed.toggled.connect(self._details)
        self.copy_uri.clicked.connect(self._copy_uri)
        certificate.certificate_changed.connect(self._certificate)

    @staticmethod
    def _line_up(form: QFormLayout, certificate: CertificatePanel) -> None:
        """One column of labels for the custom app's fields and the certificate's: the same
        width, aligned as the platform aligns form labels (right on macOS)."""
        outer = certificate.layout()
        if outer is not None:  # the panel's own margins would indent its labels
            outer.setContentsMargins(0, 0, 0, 0)
        forms = (form, certificate.form)
        labels = [
            label
            for f in forms
            for row in range(f.rowCount())
            if isinstance(
                label := (item.widget() if (item := f.itemAt(row, LABEL)) else None), QLabel
            )
        ]
        width = max((label.sizeHint().width() for label in labels), default=0)
        for label in labels:
            label.setMinimumWidth(width)
            label.setAlignment(form.labelAlignment() | Qt.AlignmentFlag.AlignVCenter)
        certificate.form.setLabelAlignment(form.labelAlignment())

    def initializePage(self) -> None:
        for group in self.groups:
            for button in group.buttons():
                button.deleteLater()
        self.groups.clear()
        self.radios.clear()
        clear_layout(self.modes_box)
        for service in self.machine.services():
            choices = self.machine.mode_choices(service)
            if len(choices) < 2:
                continue
            label = QLabel(f"<b>{service.name}</b>", self)
            self.modes_box.addWidget(label)
            group = QButtonGroup(self)
            self.groups.append(group)
            for mode in choices:
                radio = QRadioButton(MODE_TEXT.get(mode, mode.value), self)
                radio.setObjectName(f"mode_{service.id}_{mode.value}")
                radio.setChecked(self.machine.mode_of(service.id) is mode)
                radio.toggled.connect(self._mode_chosen)
                group.addButton(radio)
                self.modes_box.addWidget(radio)
                self.radios[(service.id, mode)] = radio
        customer = self.machine.state.customer
        self.certificate.set_default_subject(customer.name if customer else "", "Baseline")
        super().initializePage()

    def refresh(self) -> None:
        custom = self.machine.uses_custom_mode
        self.custom_box.setVisible(custom)
        roles = self.machine.custom_roles()
        self.roles_note.setText(
            "Before you authorize, the custom app needs these roles in the customer's tenant. "
            "Assign now signs you in (a Privileged Role Administrator or Global Administrator "
            "of the tenant) and assigns them; otherwise assign them by hand and tick the box."
            if roles
            else ""
        )
        self.roles_box.setVisible(custom and bool(roles))
        self._sync_role_rows()
        done = bool(roles) and all(r.state is RoleState.ASSIGNED for r in roles)
        # Verified by Assign now: nothing left to confirm by hand.
        self.roles_confirmed.setVisible(bool(roles) and not done)
        text = self.app_id.text()
        self.app_id.setStyleSheet(
            "" if not text.strip() or normalize_guid(text) else "border: 1px solid #c0392b;"
        )

    def _sync_role_rows(self) -> None:
        wanted = [r.key for r in self.machine.custom_roles()]
        if [row.key for row in self.role_rows] != wanted:
            clear_layout(self.role_list)
            self.role_rows = [
                RoleRow(self.controller, item, self.roles_box)
                for item in self.machine.custom_roles()
            ]
            for row in self.role_rows:
                self.role_list.addWidget(row)
        for row in self.role_rows:
            row.refresh()

    @Slot()
    def _mode_chosen(self) -> None:
        for (service_id, mode), radio in self.radios.items():
            if radio.isChecked() and self.machine.mode_of(service_id) is not mode:
                self.machine.set_mode(service_id, mode)
        self.controller.changed.emit()

    @Slot()
    def _details(self) -> None:
        self.machine.set_custom_details(
            profile_name=self.profile_name.text(),
            application_id=self.app_id.text(),
            roles_confirmed=self.roles_confirmed.isChecked(),
        )
        self.controller.changed.emit()

    @Slot(object)
    def _certificate(self, selected: SelectedCertificate | None) -> None:
        """The panel hands over a usable certificate (memory only), or None."""
        self.controller.certificate = selected
        summary = ""
        if selected is not None:
            info = selected.info
            summary = (
                f"{info.common_name}, SHA-1 {info.thumbprint_sha1}, until {info.not_after:%Y-%m-%d}"
            )
        self.machine.set_custom_details(
            certificate_ready=selected is not None, certificate_summary=summary
        )
        self.controller.changed.emit()

    @Slot()
    def _copy_uri(self) -> None:
        QGuiApplication.clipboard().setText(CUSTOM_APP_REDIRECT_URI)
        self.copy_uri.setText("Copied")
