"""Profile details: every field, and the history with times."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt, Signal, SignalInstance
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.core.catalog.model import Catalog, SetupMode
from desktop.core.domain import Status
from desktop.core.inventory import ProfileDetails
from desktop.core.status_words import CLASSIC_REAUTHORIZE_NOTE

from desktop.ui.icons import status_icon
from desktop.ui.profiles.history_model import HistoryModel, local_time
from desktop.ui.text_scroll import TextScroll


def _when(value: datetime | None, empty: str = "Never") -> str:
    return local_time(value) if value else empty


def _names(ids: tuple[str, ...], lookup: dict[str, str]) -> str:
    return ", ".join(lookup.get(i, i) for i in ids) or "—"


#: How many lines a long reason shows before it scrolls.
_SCROLL_LINES = 6


def time_zone_note() -> str:
    """Which zone the dialog's times are in (this computer's), as an offset from UTC."""
    offset = datetime.now().astimezone().strftime("%z")
    return f"Times are this computer's local time (UTC{offset[:3]}:{offset[3:]})."


class ProfileDetailsDialog(QDialog):
    """Details of one profile: every field, in four groups, and its history.

    Enter closes the dialog: the action buttons are never the default button, so a stray
    Enter records no event.

    Signals:
        mark_requested(str): record an event that requires re-authorization (``user_left`` or
            ``user_mfa_enabled``); only offered for apps with a consenting user.
        reauthorize_requested(): re-authorize this profile (not offered for classic ones).
        check_requested(): check this profile's status now.
    """

    mark_requested = Signal(str)
    reauthorize_requested = Signal()
    check_requested = Signal()

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

        #: Every field's value label, by its label text (what a test or a screen reader reads).
        self.fields: dict[str, QLabel] = {}
        #: The fields that scroll when long (Reason, What to do), by label text.
        self.scroll_areas: dict[str, TextScroll] = {}
        heading = QLabel(p.name, self)
        heading.setObjectName("ProfileDetailsHeading")
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        heading.setFont(font)
        heading.setWordWrap(True)
        heading.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        heading.setAccessibleName("Profile name")
        self.fields["Profile name"] = heading

        where_box, where = self._group("Customer and tenant")
        self._add(where, "Customer", details.customer)
        self._add(where, "Tenant", details.tenant.primary_domain or details.tenant.display_name)
        self._add(where, "Tenant ID", p.tenant_id)
        self._add(where, "Cloud", details.tenant.cloud.label)

        state_box, state = self._group("Status")
        status_row = QWidget(self)
        icon = QLabel(status_row)
        icon.setPixmap(status_icon(p.status).pixmap(16, 16))
        word = QLabel(p.status.value, status_row)
        word.setAccessibleName("Status")
        self.fields["Status"] = word
        row_layout = QHBoxLayout(status_row)
        row_layout.setContentsMargins(0, 0, 0, 0)
        row_layout.addWidget(icon)
        row_layout.addWidget(word, 1)
        state.addRow("Status:", status_row)
        self._add(state, "Reason", p.reason, scroll=True)
        self._add(state, "What to do", p.remedy, scroll=True)
        if p.reauthorization_required and p.status is Status.VALID:
            self._add(state, "Note", "Re-authorization is required.")
        self._add(state, "Last checked", _when(p.last_checked))

        app_form_box, app_form = self._group("Service and app")
        self._add(app_form, "Service(s)", _names(p.service_ids, services))
        self._add(app_form, "App type", app_name)
        self._add(app_form, "Mode", p.mode.value.capitalize())
        self._add(app_form, "Delegated functions", _names(p.functions, functions))
        self._add(app_form, "Custom app ID", p.custom_app_id)
        self._add(app_form, "Certificate", "Kept in the vault" if p.certificate_ref else "")

        consent_box, consent = self._group("Consent")
        self._add(consent, "Consent", f"{p.consent_method.value.capitalize()} consent")
        self._add(consent, "Consenting user", p.consenting_user)
        self._add(consent, "Consented", _when(p.consented_at, "—"))
        self._add(consent, "Created", _when(p.created_at, "—"))

        self.history_model = HistoryModel(details.history, self)
        self.history = QTableView(self)
        self.history.setObjectName("ProfileHistory")
        self.history.setAccessibleName("History")
        self.history.setModel(self.history_model)
        self.history.verticalHeader().hide()
        self.history.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.history.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.history.setWordWrap(False)
        header = self.history.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.history.setMinimumHeight(140)

        grid = QGridLayout()
        grid.addWidget(where_box, 0, 0)
        grid.addWidget(state_box, 0, 1)
        grid.addWidget(app_form_box, 1, 0)
        grid.addWidget(consent_box, 1, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setDefault(True)  # Enter closes, wherever the focus is
        self.reauthorize_button = QPushButton("Re-&authorize…", self)
        if p.mode is SetupMode.CLASSIC:
            # Seed 002: classic app profiles are re-authorized in AvePoint Online Services.
            self.reauthorize_button.setEnabled(False)
            self.reauthorize_button.setToolTip(CLASSIC_REAUTHORIZE_NOTE)
        else:
            self.reauthorize_button.setToolTip("Consent to the app again in the system browser")
        self.reauthorize_button.clicked.connect(lambda: self._forward(self.reauthorize_requested))
        self.check_button = QPushButton("Check &now", self)
        self.check_button.setToolTip("Check this app profile's status in the tenant now")
        self.check_button.clicked.connect(lambda: self._forward(self.check_requested))
        actions: list[QPushButton] = [self.reauthorize_button, self.check_button]
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
            actions += [self.user_left, self.mfa_enabled]
        for button in actions:
            button.setAutoDefault(False)
            buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        self.classic_note: QLabel | None = None
        if p.mode is SetupMode.CLASSIC:
            self.classic_note = QLabel(CLASSIC_REAUTHORIZE_NOTE, self)
            self.classic_note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(grid)
        history_label = QLabel("&History (newest first):", self)
        history_label.setBuddy(self.history)
        layout.addWidget(history_label)
        layout.addWidget(self.history, 1)
        self.zone_note = QLabel(time_zone_note(), self)
        layout.addWidget(self.zone_note)
        if self.classic_note is not None:
            layout.addWidget(self.classic_note)
        layout.addWidget(buttons)
        self.resize(820, 680)

    def _forward(self, signal: SignalInstance) -> None:
        """Close, then ask the page: the action's own dialog or result replaces this one."""
        self.accept()
        signal.emit()

    def show_certificate_hint(self, text: str, colour: str) -> None:
        """Add the list's certificate expiry *text* ("expires in 12 days") to the
        Certificate field, in *colour* (a CSS colour)."""
        field = self.fields["Certificate"]
        field.setText(f"{field.text()}, {text}")
        field.setStyleSheet(f"color: {colour}")

    def _group(self, title: str) -> tuple[QGroupBox, QFormLayout]:
        box = QGroupBox(title, self)
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        return box, form

    def _add(self, form: QFormLayout, label: str, text: str, *, scroll: bool = False) -> QLabel:
        """One field; with *scroll*, a long text (a reason listing 50 permissions) scrolls in
        a box of a few lines instead of being cut off by the group's height."""
        value = QLabel(text or "—", self)
        value.setWordWrap(True)
        value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        value.setAccessibleName(label)
        value.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        field: QWidget = value
        if scroll:
            area = TextScroll(value, self.fontMetrics().lineSpacing() * _SCROLL_LINES, self)
            self.scroll_areas[label] = area
            field = area
        form.addRow(f"{label}:", field)
        self.fields[label] = value
        return value
