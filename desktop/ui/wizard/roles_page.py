"""Step 5: the directory roles each app needs, and the Azure subscription roles."""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop.controllers.wizard import WizardController
from desktop.core.catalog.model import RoleAssignment, SetupMode
from desktop.core.catalog.query import azure_role_text
from desktop.core.errors import UserError
from desktop.core.wizard import RoleItem, RoleState, Step
from desktop.core.wizard.guidance import AZURE_ROLE_STEPS, custom_app_name, entra_role_steps

from desktop.ui.wizard.base import BusyRow, StepPage, clear_layout


def numbered(steps: list[str]) -> str:
    return "\n".join(f"{i}. {text}" for i, text in enumerate(steps, 1))


class RoleRow(QFrame):
    """One role of one app: automatic, or Assign now, or the Entra admin center steps."""

    def __init__(self, controller: WizardController, item: RoleItem, parent: QWidget) -> None:
        super().__init__(parent)
        self.controller = controller
        self.key = item.key
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setObjectName(f"RoleRow_{item.app.id}_{item.role.name.replace(' ', '_')}")
        layout = QVBoxLayout(self)
        custom = controller.machine.row(item.app.id).mode is SetupMode.CUSTOM
        owner = "the customer's own app" if custom else item.app.label
        head = QLabel(f"<b>{item.role.name}</b> for {owner}", self)
        head.setWordWrap(True)
        layout.addWidget(head)
        self.state = QLabel(self)
        self.state.setWordWrap(True)
        self.state.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.state)
        buttons = QHBoxLayout()
        self.assign = QPushButton("Assign n&ow", self)
        self.assign.setAccessibleName(f"Assign {item.role.name} to {item.app.label} now")
        self.show_steps = QPushButton("Show the s&teps", self)
        self.show_steps.setCheckable(True)
        buttons.addWidget(self.assign)
        buttons.addWidget(self.show_steps)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self._item = item
        self.steps = QLabel(self)
        self._write_steps()
        self.steps.setWordWrap(True)
        self.steps.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.steps.hide()
        layout.addWidget(self.steps)
        self.busy = BusyRow(self)
        layout.addWidget(self.busy)
        self.assign.clicked.connect(self._assign)
        self.show_steps.toggled.connect(self.steps.setVisible)
        self.show_steps.toggled.connect(self._write_steps)
        self.refresh()

    def _write_steps(self) -> None:
        """The Entra steps; in custom mode they name the customer's own app (by the
        application ID typed so far), not the publisher app it stands in for."""
        machine = self.controller.machine
        item, tenant = self._item, machine.state.tenant
        app_name = item.app.label
        if machine.row(item.app.id).mode is SetupMode.CUSTOM:
            app_name = custom_app_name(machine.state.custom.application_id)
        where = tenant.label if tenant else "the customer's tenant"
        self.steps.setText(numbered(entra_role_steps(item.role.name, app_name, where)))

    def refresh(self) -> None:
        machine = self.controller.machine
        item = machine.role(*self.key)
        self._write_steps()
        manual = item.assignment is RoleAssignment.MANUAL
        if item.state is RoleState.AUTOMATIC:
            text = "Assigned automatically within 24 hours after authorization. Nothing to do."
        elif item.state is RoleState.ASSIGNED:
            text = f"✓ {item.message or 'Assigned.'}"
        elif item.state is RoleState.FAILED:
            text = f"✗ {item.message} Try again, or assign it in the Entra admin center."
        elif item.state is RoleState.ASSIGNING:
            text = "Assigning…"
        elif item.before_authorization:
            text = (
                "Needed before authorization (custom app profile): Assign now, or assign it by "
                "hand."
            )
        else:
            text = "Assign by hand: AOS apps need this role assigned manually."
        self.state.setText(text)
        can_assign = machine.can_assign_now(item) and self.controller.services.roles is not None
        self.assign.setVisible(
            manual and item.state in (RoleState.TO_ASSIGN, RoleState.FAILED, RoleState.ASSIGNING)
        )
        self.assign.setEnabled(can_assign)
        if machine.can_assign_now(item) or item.state is not RoleState.TO_ASSIGN:
            self.assign.setToolTip("")
        elif item.before_authorization:
            self.assign.setToolTip("Enter the custom app's application ID first.")
        else:
            self.assign.setToolTip("Consent to the app first: its service principal must exist.")
        done = item.state is RoleState.ASSIGNED
        if done:
            self.show_steps.setChecked(False)
        self.show_steps.setVisible(manual and not done)

    @Slot()
    def _assign(self) -> None:
        try:
            task = self.controller.assign_role(*self.key)
        except UserError as exc:
            self.state.setText(exc.one_line())
            return
        self.busy.follow(task, "Signing in and assigning the role…")


class RolesPage(StepPage):
    """Directory roles per app, and the Azure roles for Azure security management."""

    def __init__(self, controller: WizardController) -> None:
        super().__init__(
            Step.ROLES,
            controller,
            "The roles the apps need in the customer's tenant. Premium modern apps get theirs "
            "automatically; the others are assigned by hand or with Assign now.",
            scrolling=False,
        )
        self.scroller = QScrollArea(self)
        self.scroller.setWidgetResizable(True)
        self.holder = QWidget(self.scroller)
        self.list = QVBoxLayout(self.holder)
        self.scroller.setWidget(self.holder)
        self.body.addWidget(self.scroller, 1)
        self.role_rows: list[RoleRow] = []
        self.azure_confirm: QCheckBox | None = None

    def initializePage(self) -> None:
        clear_layout(self.list)
        self.role_rows = []
        self.azure_confirm = None
        for role in self.machine.state.roles:
            row = RoleRow(self.controller, role, self.holder)
            self.role_rows.append(row)
            self.list.addWidget(row)
        for azure in self.machine.azure_roles():
            frame = QFrame(self.holder)
            frame.setFrameShape(QFrame.Shape.StyledPanel)
            layout = QVBoxLayout(frame)
            lines = [f"• {azure_role_text(r)}" for r in azure.requirements]
            text = QLabel(
                f"<b>Azure subscription roles</b> for {azure.app.label}: add the app to the "
                "subscriptions to manage, after you consent and before you save.",
                frame,
            )
            text.setWordWrap(True)
            layout.addWidget(text)
            detail = QLabel(numbered(AZURE_ROLE_STEPS) + "\n" + "\n".join(lines), frame)
            detail.setWordWrap(True)
            detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            layout.addWidget(detail)
            self.azure_confirm = QCheckBox(
                "The app is added to the &subscriptions with these roles", frame
            )
            self.azure_confirm.setChecked(self.machine.state.azure_roles_confirmed)
            self.azure_confirm.toggled.connect(self._azure)
            layout.addWidget(self.azure_confirm)
            self.list.addWidget(frame)
        self.list.addStretch(1)
        super().initializePage()

    def refresh(self) -> None:
        for row in self.role_rows:
            row.refresh()

    @Slot(bool)
    def _azure(self, checked: bool) -> None:
        self.machine.confirm_azure_roles(checked)
        self.controller.changed.emit()
