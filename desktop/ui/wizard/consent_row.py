"""One app on the Consent step: what it is, its permissions, and how to consent to it."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.controllers.wizard import WizardController
from desktop.core.catalog.model import ConsentMethod, DelegationKind
from desktop.core.domain import Status
from desktop.core.errors import UserError
from desktop.core.settings_hint import SettingTarget
from desktop.core.wizard import ConsentRow, ConsentState

from desktop.ui.error_page_help import ErrorPageHelp
from desktop.ui.wizard.base import BusyRow

KIND_TEXT = {
    DelegationKind.APPLICATION: "application permissions",
    DelegationKind.HYBRID: "hybrid: application and delegated permissions",
    DelegationKind.DELEGATED: "delegated permissions only",
}
STATE_TEXT = {
    ConsentState.PENDING: "Not consented yet.",
    ConsentState.IN_PROGRESS: "Waiting…",
    ConsentState.WAITING: "Waiting for the customer's administrator.",
    ConsentState.GRANTED: "Consented.",
    ConsentState.DECLINED: "Declined.",
    ConsentState.FAILED: "Failed.",
    ConsentState.DEFERRED: "Deferred.",
    ConsentState.SKIPPED: "Not needed.",
}


class ConsentRowWidget(QFrame):
    """Authenticate, consent link, Check again, Defer, Not needed, for one app.

    Signals:
        permissions_requested(str): the app type id whose permissions to show.
        settings_requested(object): open Settings at this :class:`SettingTarget` (the app's
            client ID in the tenant's cloud, when it is not set).
    """

    permissions_requested = Signal(str)
    settings_requested = Signal(object)

    def __init__(self, controller: WizardController, app_id: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.controller = controller
        self.machine = controller.machine
        self.app_id = app_id
        row = self.row
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setObjectName(f"ConsentRow_{app_id}")
        layout = QVBoxLayout(self)
        title = QLabel(f"<b>{row.app.label}</b> — {KIND_TEXT[row.app.kind]}", self)
        title.setWordWrap(True)
        layout.addWidget(title)
        services = ", ".join(self.machine.catalog.service(s).name for s in row.service_ids)
        mode = " Custom app profile: the customer's own app." if row.mode.value == "custom" else ""
        about = QLabel(f"For {services}. {row.app.description}{mode}", self)
        about.setWordWrap(True)
        layout.addWidget(about)
        grid = QHBoxLayout()
        count = len(row.app.permissions)
        self.permissions = QPushButton(
            f"&Permissions ({count})…" if count else "&Permissions (not documented)…", self
        )
        self.permissions.setAccessibleName(f"Permissions of {row.app.label}")
        self.permissions.clicked.connect(lambda: self.permissions_requested.emit(self.app_id))
        grid.addWidget(self.permissions)
        self.method = QComboBox(self)
        self.method.setAccessibleName(f"Consent method for {row.app.label}")
        self.method.addItem("Administrator consent", ConsentMethod.ADMIN)
        if row.offers_user_consent:
            self.method.addItem("User consent", ConsentMethod.USER)
        self.method.setVisible(row.offers_user_consent)
        self.method.currentIndexChanged.connect(self._method)
        grid.addWidget(self.method)
        grid.addStretch(1)
        layout.addLayout(grid)
        self.functions: dict[str, QCheckBox] = {}
        if row.needs_functions:
            layout.addWidget(QLabel("Functions that will use this app:", self))
            for function in row.app.functions:
                box = QCheckBox(function.name, self)
                box.setChecked(function.id in row.functions)
                box.toggled.connect(self._functions)
                self.functions[function.id] = box
                layout.addWidget(box)
        buttons = QHBoxLayout()
        self.authenticate = QPushButton("&Authenticate", self)
        self.authenticate.setAccessibleName(f"Authenticate {row.app.label}")
        self.copy_link = QPushButton("Copy consent &link", self)
        self.copy_link.setToolTip(
            "No Global Administrator account of this customer? Copy the link and send it to "
            "their administrator. After they accept, Check again confirms the consent."
        )
        self.check = QPushButton("Check a&gain", self)
        self.defer = QPushButton("&Defer", self)
        self.defer.setToolTip("Finish this app later: it is saved as not yet consented.")
        self.skip = QPushButton("&Not needed", self)
        self.skip.setToolTip("This customer does not need this app: no profile is created.")
        # "Set it in Settings" is a button: Settings opens at this app's client ID.
        self.open_settings = QPushButton("Open &Settings…", self)
        self.open_settings.setObjectName("ConsentOpenSettings")
        self.open_settings.setToolTip("Set this app's client ID in Settings")
        self.open_settings.clicked.connect(self._open_settings)
        self.open_settings.hide()
        for button in (self.authenticate, self.copy_link, self.check, self.defer, self.skip):
            buttons.addWidget(button)
        buttons.addWidget(self.open_settings)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.result = QLabel(self)
        self.result.setWordWrap(True)
        self.result.setObjectName("ConsentResult")
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.result)
        # The copied link stays visible: to paste it again, or to read it out to the admin.
        self.link = QLineEdit(self)
        self.link.setReadOnly(True)
        self.link.setAccessibleName(f"Consent link for {row.app.label}")
        self.link.hide()
        layout.addWidget(self.link)
        # Technical detail (AADSTS code, correlation ID) is one click away, for a ticket.
        self.show_detail = QPushButton("Technical detai&ls", self)
        self.show_detail.setCheckable(True)
        self.show_detail.setFlat(True)
        self.detail = QLabel(self)
        self.detail.setWordWrap(True)
        self.detail.setObjectName("ConsentDetail")
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.hide()
        self.show_detail.toggled.connect(self.detail.setVisible)
        detail_row = QHBoxLayout()
        detail_row.addWidget(self.show_detail)
        detail_row.addStretch(1)
        layout.addLayout(detail_row)
        layout.addWidget(self.detail)
        self.busy = BusyRow(self)
        layout.addWidget(self.busy)
        # Most sign-in errors stay on Microsoft's page: say so while the consent waits.
        tenant = self.machine.state.tenant
        self.error_help = ErrorPageHelp(tenant.label if tenant else "the customer's tenant", self)
        layout.addWidget(self.error_help)
        self.authenticate.clicked.connect(self._authenticate)
        self.copy_link.clicked.connect(self._copy_link)
        self.check.clicked.connect(self._check)
        self.defer.clicked.connect(self._defer)
        self.skip.clicked.connect(self._skip)
        self.refresh()

    @property
    def row(self) -> ConsentRow:
        return self.machine.row(self.app_id)

    def settings_target(self) -> SettingTarget | None:
        """The Settings field that unblocks this row (the publisher app's client ID in the
        tenant's cloud), or None when nothing in Settings is missing."""
        from desktop.core import settings_edit as edit
        from desktop.core.settings_hint import SettingTarget

        row = self.row
        if row.mode.value == "custom" or self.machine.client_id(row) is not None:
            return None
        tenant = self.machine.state.tenant
        cloud = tenant.cloud.value if tenant is not None else "global"
        return SettingTarget(edit.CLIENT_ID, cloud, self.app_id)

    @Slot()
    def _open_settings(self) -> None:
        target = self.settings_target()
        if target is not None:
            self.settings_requested.emit(target)

    def refresh(self) -> None:
        row = self.row
        state = row.state
        blockers = self.machine.authenticate_blockers(self.app_id)
        running = state is ConsentState.IN_PROGRESS
        settled_away = state in (ConsentState.DEFERRED, ConsentState.SKIPPED)
        self.authenticate.setText(
            "&Retry" if state in (ConsentState.DECLINED, ConsentState.FAILED) else "&Authenticate"
        )
        self.authenticate.setEnabled(
            not blockers and state is not ConsentState.GRANTED and not settled_away
        )
        self.authenticate.setToolTip(" ".join(blockers))
        self.open_settings.setVisible(self.settings_target() is not None)
        self.copy_link.setEnabled(not blockers and state is not ConsentState.GRANTED)
        self.check.setEnabled(
            not running
            and state is not ConsentState.GRANTED
            and self.machine.client_id(row) is not None
            and self.machine.state.tenant is not None
        )
        self.defer.setText("Un&do" if settled_away else "&Defer")
        self.defer.setEnabled(not running and state is not ConsentState.GRANTED)
        self.skip.setEnabled(not running and not settled_away and state is not ConsentState.GRANTED)
        self.method.setEnabled(not running and state is not ConsentState.GRANTED)
        for box in self.functions.values():
            box.setEnabled(not running)
        text = row.message or STATE_TEXT[state]
        if state is ConsentState.GRANTED and row.status is not Status.UNKNOWN:
            text += f" First check: {row.status.value}"
            text += f" — {row.status_reason}" if row.status_reason else "."
        elif state is ConsentState.GRANTED and row.status_reason:
            text += f" {row.status_reason}"
        if blockers and state is ConsentState.PENDING:
            text = " ".join(blockers)
        mark = {"granted": "✓ ", "declined": "✗ ", "failed": "✗ "}.get(state.value, "")
        self.result.setText(mark + text)
        if self.link.text() != row.link:
            self.link.setText(row.link)
            self.link.setCursorPosition(0)  # show where it goes: the sign-in host first
        self.link.setVisible(bool(row.link) and state is not ConsentState.GRANTED)
        self.detail.setText(row.detail)
        self.show_detail.setVisible(bool(row.detail))
        if not row.detail:
            self.show_detail.setChecked(False)

    @Slot()
    def _method(self) -> None:
        # Qt hands enum data back as plain str: convert it back.
        self.machine.set_method(self.app_id, ConsentMethod(self.method.currentData()))
        self.controller.changed.emit()

    @Slot()
    def _functions(self) -> None:
        chosen = [fid for fid, box in self.functions.items() if box.isChecked()]
        self.machine.set_functions(self.app_id, chosen)
        self.controller.changed.emit()

    @Slot()
    def _authenticate(self) -> None:
        try:
            task = self.controller.authenticate(self.app_id)
        except UserError as exc:
            self.result.setText(exc.one_line())
            return
        how = "user" if self.row.method is ConsentMethod.USER else "administrator"
        self.busy.follow(task, f"Waiting for {how} consent in the browser…")
        self.error_help.waiting()
        # A pasted code says the browser ended on an error page: nothing will come back.
        self.error_help.error_page_seen.connect(task.cancel)
        task.finished.connect(self.error_help.done)
        task.finished.connect(lambda: self.error_help.error_page_seen.disconnect(task.cancel))

    @Slot()
    def _check(self) -> None:
        try:
            task = self.controller.check_again(self.app_id)
        except UserError as exc:
            self.result.setText(exc.one_line())
            return
        self.busy.follow(task, "Checking whether the consent exists in the tenant…")

    @Slot()
    def _copy_link(self) -> None:
        try:
            task = self.controller.consent_link(self.app_id)
        except UserError as exc:
            self.result.setText(exc.one_line())
            return
        task.on_success(lambda link: QGuiApplication.clipboard().setText(link))
        task.on_failure(lambda e: self.result.setText(e.one_line()))
        self.busy.follow(task, "Building the consent link…")

    @Slot()
    def _defer(self) -> None:
        if self.row.state in (ConsentState.DEFERRED, ConsentState.SKIPPED):
            self.machine.undefer(self.app_id)
        else:
            self.machine.defer(self.app_id)
        self.controller.changed.emit()

    @Slot()
    def _skip(self) -> None:
        self.machine.skip(self.app_id)
        self.controller.changed.emit()
