"""Step 4: one row per app the chosen services need (apps shared by services appear once)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QLabel, QScrollArea, QVBoxLayout, QWidget

from desktop.controllers.wizard import WizardController
from desktop.core.wizard import Step

from desktop.ui.wizard.base import StepPage, clear_layout
from desktop.ui.wizard.consent_row import ConsentRowWidget

#: Shows an app's permissions: given the app type id and a parent widget.
ShowPermissions = Callable[[str, QWidget], None]


class ConsentPage(StepPage):
    """The consent rows; Next when every app is consented, deferred or not needed."""

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
        self.body.addWidget(self.scroller, 1)

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
                self.rows[app_id] = widget
                self.list.addWidget(widget)
            if not wanted:
                self.list.addWidget(QLabel("No app to consent to: choose a service.", self))
            self.list.addStretch(1)
        super().initializePage()

    def refresh(self) -> None:
        for widget in self.rows.values():
            widget.refresh()

    @property
    def busy(self) -> bool:
        return any(w.busy.busy for w in self.rows.values())

    def cancel_running(self) -> None:
        for widget in self.rows.values():
            widget.busy._cancel()

    @Slot(str)
    def _permissions(self, app_id: str) -> None:
        self.show_permissions(app_id, self)
