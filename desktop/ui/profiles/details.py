"""Profile details: every field, and the history with times."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.core.catalog.model import Catalog
from desktop.core.domain import Status
from desktop.core.inventory import ProfileDetails

from desktop.ui.icons import status_icon
from desktop.ui.profiles.history_model import HistoryModel


def _when(value: datetime | None, empty: str = "Never") -> str:
    return value.astimezone().strftime("%Y-%m-%d %H:%M:%S %Z") if value else empty


def _names(ids: tuple[str, ...], lookup: dict[str, str]) -> str:
    return ", ".join(lookup.get(i, i) for i in ids) or "—"


class ProfileDetailsDialog(QDialog):
    """Details of one profile, with its history.

    Signals:
        mark_requested(str): record an event that requires re-authorization (``user_left`` or
            ``user_mfa_enabled``); only offered for apps with a consenting user.
    """

    mark_requested = Signal(str)

    def __init__(self, details: ProfileDetails, catalog: Catalog, parent: QWidget | None = None):
        super().__init__(parent)
        p = details.profile
        self.setWindowTitle(f"App profile: {p.name}")
        self.setObjectName("ProfileDetailsDialog")
        services = {s.id: s.name for s in catalog.services}
        try:
            app = catalog.app_type(p.app_type_id)
            app_name = app.name
            functions = {f.id: f.name for f in app.functions}
            has_user = app.has_delegated_permissions
        except KeyError:
            app_name, functions, has_user = p.app_type_id, {}, False

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)

        def add(label: str, text: str) -> QLabel:
            value = QLabel(text or "—", self)
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setAccessibleName(label)
            form.addRow(f"{label}:", value)
            return value

        add("Profile name", p.name)
        add("Customer", details.customer)
        add("Tenant", details.tenant.primary_domain or details.tenant.display_name)
        add("Tenant ID", p.tenant_id)
        add("Cloud", details.tenant.cloud.label)
        add("Service(s)", _names(p.service_ids, services))
        add("App type", app_name)
        add("Mode", p.mode.value.capitalize())
        status_row = QWidget(self)
        icon = QLabel(status_row)
        icon.setPixmap(status_icon(p.status).pixmap(16, 16))
        word = QLabel(p.status.value, status_row)
        word.setAccessibleName("Status")
        row_layout = QHBoxLayout(status_row)
        row_layout.setContentsMargins(0, 0, 0, 0)
        row_layout.addWidget(icon)
        row_layout.addWidget(word, 1)
        form.addRow("Status:", status_row)
        add("Reason", p.reason)
        add("What to do", p.remedy)
        if p.reauthorization_required and p.status is Status.VALID:
            add("Note", "Re-authorization is required.")
        add("Consent", f"{p.consent_method.value.capitalize()} consent")
        add("Consenting user", p.consenting_user)
        add("Consented", _when(p.consented_at, "—"))
        add("Last checked", _when(p.last_checked))
        add("Delegated functions", _names(p.functions, functions))
        add("Custom app ID", p.custom_app_id)
        add("Certificate", "Kept in the vault" if p.certificate_ref else "")
        add("Created", _when(p.created_at, "—"))

        self.history_model = HistoryModel(details.history, self)
        self.history = QTableView(self)
        self.history.setObjectName("ProfileHistory")
        self.history.setAccessibleName("History")
        self.history.setModel(self.history_model)
        self.history.verticalHeader().hide()
        self.history.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        header = self.history.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.history.setMinimumHeight(140)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        self.user_left: QPushButton | None = None
        self.mfa_enabled: QPushButton | None = None
        if has_user:
            self.user_left = QPushButton("User &left the company…", self)
            self.user_left.setToolTip(
                "Record that the consenting user left the company: the profile needs "
                "re-authorizing with another account."
            )
            self.user_left.clicked.connect(lambda: self.mark_requested.emit("user_left"))
            self.mfa_enabled = QPushButton("&MFA enabled…", self)
            self.mfa_enabled.setToolTip(
                "Record that MFA was enabled for the consenting user: the profile needs "
                "re-authorizing."
            )
            self.mfa_enabled.clicked.connect(lambda: self.mark_requested.emit("user_mfa_enabled"))
            for button in (self.user_left, self.mfa_enabled):
                buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        history_label = QLabel("&History:", self)
        history_label.setBuddy(self.history)
        layout.addWidget(history_label)
        layout.addWidget(self.history, 1)
        layout.addWidget(buttons)
        self.resize(640, 640)
