"""Step 4: one row per app the chosen services need (apps shared by services appear once)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop.controllers.wizard import WizardController
from desktop.core.settings_hint import SettingTarget
from desktop.core.team.tickets import MAX_LENGTH
from desktop.core.wizard import Step
from desktop.core.wizard.duplicates import Duplicate, find_duplicates

from desktop.ui.consent_access_notice import ConsentAccessNotice
from desktop.ui.forms import buddy_label
from desktop.ui.wizard.base import StepPage, clear_layout
from desktop.ui.wizard.consent_row import ConsentRowWidget

#: Shows an app's permissions: given the app type id and a parent widget.
ShowPermissions = Callable[[str, QWidget], None]


class ConsentPage(StepPage):
    """The consent rows; Next when every app is consented, deferred or not needed.

    Above them, the apps the tenant already has a profile for, each with Re-authorize instead
    (none for classic profiles, which are re-authorized in AvePoint Online Services).

    Signals:
        reauthorize_requested(int): re-authorize this existing profile instead.
    """

    reauthorize_requested = Signal(int)
    #: A row's missing client ID: open Settings at that field (a :class:`SettingTarget`).
    settings_requested = Signal(object)

    def __init__(self, controller: WizardController, show_permissions: ShowPermissions) -> None:
        super().__init__(
            Step.CONSENT,
            controller,
            "Consent to each app in the customer's tenant. Authenticate opens the system "
            "browser; sign in with the customer's Global Administrator account, review the "
            "permissions and Accept.",
            scrolling=False,
        )
        self.show_permissions = show_permissions
        self.rows: dict[str, ConsentRowWidget] = {}
        self.scroller = QScrollArea(self)
        self.scroller.setWidgetResizable(True)
        self.holder = QWidget(self.scroller)
        self.list = QVBoxLayout(self.holder)
        self.scroller.setWidget(self.holder)
        self.duplicates_box = QGroupBox("Already in this tenant", self)
        self.duplicates_box.setObjectName("Duplicates")
        self.duplicates_list = QVBoxLayout(self.duplicates_box)
        self.duplicates_box.hide()
        #: The duplicates shown, and their Re-authorize buttons by existing profile id.
        self.duplicates: list[Duplicate] = []
        self.reauthorize_buttons: dict[int, QPushButton] = {}
        #: Whether the signed-in account can consent here (set by the owner; None: not shown).
        self.access_notice: ConsentAccessNotice | None = None
        self.body.addWidget(self.duplicates_box)
        self.body.addWidget(self.scroller, 1)
        self.body.addLayout(self._build_ticket())

    def _build_ticket(self) -> QFormLayout:
        """The optional ticket the run is for: saved with the team's audit of Save."""
        self.ticket = QLineEdit(self)
        self.ticket.setObjectName("TicketNumber")
        self.ticket.setAccessibleName("Ticket number")
        self.ticket.setPlaceholderText("Optional, e.g. T-4711: kept with the team's audit log")
        self.ticket.setMaxLength(MAX_LENGTH)
        self.ticket.setText(self.machine.state.ticket)
        self.ticket.textChanged.connect(self._ticket_typed)
        form = QFormLayout()
        form.addRow(buddy_label("Tic&ket:", self.ticket, self), self.ticket)
        return form

    @Slot(str)
    def _ticket_typed(self, text: str) -> None:
        self.machine.state.ticket = text.strip()

    def set_access_notice(self, notice: ConsentAccessNotice) -> None:
        """Show *notice* above the rows: before Authenticate, whether you can consent here."""
        self.access_notice = notice
        self.body.insertWidget(0, notice)

    def initializePage(self) -> None:
        wanted = [r.app_id for r in self.machine.state.rows]
        if list(self.rows) != wanted:
            for widget in self.rows.values():
                widget.deleteLater()
            self.rows.clear()
            clear_layout(self.list)
            for app_id in wanted:
                widget = ConsentRowWidget(self.controller, app_id, self.holder)
                widget.permissions_requested.connect(self._permissions)
                widget.settings_requested.connect(self._settings)
                self.rows[app_id] = widget
                self.list.addWidget(widget)
            if not wanted:
                self.list.addWidget(QLabel("No app to consent to: choose a service.", self))
            self.list.addStretch(1)
        self._show_duplicates()
        if self.access_notice is not None:
            catalog = self.machine.catalog
            apps = [catalog.app_type(app_id) for app_id in wanted]
            self.access_notice.show_for(self.machine.state.tenant, apps)
        super().initializePage()

    def _show_duplicates(self) -> None:
        clear_layout(self.duplicates_list)
        self.reauthorize_buttons.clear()
        self.duplicates = find_duplicates(self.machine.state, self.controller.existing)
        tenant = self.machine.state.tenant
        where = tenant.label if tenant is not None else "The tenant"
        for duplicate in self.duplicates:
            line = QWidget(self.duplicates_box)
            row = QHBoxLayout(line)
            row.setContentsMargins(0, 0, 0, 0)
            text = QLabel(duplicate.text(where), line)
            text.setWordWrap(True)
            row.addWidget(text, 1)
            if duplicate.reauthorizable:
                profile_id = duplicate.existing.id
                button = QPushButton("Re-authori&ze instead…", line)
                button.setAccessibleName(f"Re-authorize {duplicate.existing.name} instead")
                button.clicked.connect(lambda _=False, p=profile_id: self._reauthorize(p))
                self.reauthorize_buttons[profile_id] = button
                row.addWidget(button)
            self.duplicates_list.addWidget(line)
        self.duplicates_box.setVisible(bool(self.duplicates))

    def _reauthorize(self, profile_id: int) -> None:
        self.reauthorize_requested.emit(profile_id)

    def refresh(self) -> None:
        for widget in self.rows.values():
            widget.refresh()

    @property
    def busy(self) -> bool:
        return any(w.busy.busy for w in self.rows.values())

    def cancel_running(self) -> None:
        for widget in self.rows.values():
            widget.busy._cancel()

    @Slot(object)
    def _settings(self, target: SettingTarget) -> None:
        self.settings_requested.emit(target)

    @Slot(str)
    def _permissions(self, app_id: str) -> None:
        self.show_permissions(app_id, self)
