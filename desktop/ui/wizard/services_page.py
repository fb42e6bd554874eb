"""Step 2: Elements premium services or AOS services (one family per run)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from desktop.controllers.wizard import WizardController
from desktop.core.catalog.model import Service, ServiceFamily
from desktop.core.errors import UserError
from desktop.core.wizard import Step
from desktop.core.wizard.guidance import AOS_MODERN_ONLY

from desktop.ui.wizard.base import StepPage, clear_layout


class ServicesPage(StepPage):
    """Services of one family; AOS lists only the services added for the customer."""

    def __init__(self, controller: WizardController) -> None:
        super().__init__(
            Step.SERVICES,
            controller,
            "Select either Elements premium services or AOS services. A run creates app "
            "profiles for one family.",
        )
        self.premium = QRadioButton("Elements &premium services", self)
        self.aos = QRadioButton("&AOS services", self)
        self.group = QButtonGroup(self)
        self.group.addButton(self.premium)
        self.group.addButton(self.aos)
        self.body.addWidget(self.premium)
        self.premium_list = QVBoxLayout()
        self.premium_list.setContentsMargins(24, 0, 0, 0)
        self.body.addLayout(self.premium_list)
        self.body.addWidget(self.aos)
        self.aos_box = QWidget(self)
        aos_layout = QVBoxLayout(self.aos_box)
        aos_layout.setContentsMargins(24, 0, 0, 0)
        note = QLabel("Only services that have been added for the customer are listed.", self)
        note.setWordWrap(True)
        aos_layout.addWidget(note)
        self.aos_list = QVBoxLayout()
        aos_layout.addLayout(self.aos_list)
        add_row = QHBoxLayout()
        self.add_box = QComboBox(self.aos_box)
        self.add_box.setAccessibleName("AOS service to add for the customer")
        self.add_button = QPushButton("A&dd for this customer", self.aos_box)
        add_row.addWidget(self.add_box, 1)
        add_row.addWidget(self.add_button)
        aos_layout.addLayout(add_row)
        # The Setup method step is skipped for AOS services (nothing to choose): said here.
        self.aos_modern_note = QLabel(AOS_MODERN_ONLY, self.aos_box)
        self.aos_modern_note.setObjectName("AosModernOnly")
        self.aos_modern_note.setWordWrap(True)
        aos_layout.addWidget(self.aos_modern_note)
        self.body.addWidget(self.aos_box)
        self.body.addStretch(1)
        self.boxes: dict[str, QCheckBox] = {}
        self.premium.toggled.connect(self._family_chosen)
        self.aos.toggled.connect(self._family_chosen)
        self.add_button.clicked.connect(self._add_service)

    def initializePage(self) -> None:
        family = self.machine.state.family
        self.premium.setChecked(family is ServiceFamily.PREMIUM)
        self.aos.setChecked(family is ServiceFamily.AOS)
        self._rebuild()
        super().initializePage()

    def _rebuild(self) -> None:
        for layout in (self.premium_list, self.aos_list):
            clear_layout(layout)
        self.boxes.clear()
        for service in self.machine.offered_services(ServiceFamily.PREMIUM):
            self.premium_list.addWidget(self._box(service))
        offered_aos = self.machine.offered_services(ServiceFamily.AOS)
        for service in offered_aos:
            self.aos_list.addWidget(self._box(service))
        if not offered_aos:
            empty = QLabel("No AOS service has been added for this customer yet.", self)
            self.aos_list.addWidget(empty)
        self.add_box.clear()
        for service in self.machine.addable_aos_services():
            self.add_box.addItem(service.name, service.id)
        self.add_box.setEnabled(self.add_box.count() > 0)
        self.add_button.setEnabled(self.add_box.count() > 0)
        self.refresh()

    def _box(self, service: Service) -> QWidget:
        box = QCheckBox(service.name, self)
        box.setObjectName(f"service_{service.id}")
        box.toggled.connect(self._services_chosen)
        self.boxes[service.id] = box
        if not service.members:
            return box
        # The members are too long for a check box's single line: wrap them underneath.
        holder = QWidget(self)
        layout = QVBoxLayout(holder)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(box)
        members = QLabel(", ".join(service.members), holder)
        members.setWordWrap(True)
        members.setContentsMargins(24, 0, 0, 2)
        members.setBuddy(box)
        layout.addWidget(members)
        box.setToolTip(", ".join(service.members))
        return holder

    def refresh(self) -> None:
        family = self.machine.state.family
        chosen = set(self.machine.state.service_ids)
        for service_id, box in self.boxes.items():
            box.blockSignals(True)
            box.setChecked(service_id in chosen)
            box.setEnabled(self.machine.catalog.service(service_id).family is family)
            box.blockSignals(False)
        self.aos_box.setEnabled(family is ServiceFamily.AOS)
        self.aos_modern_note.setVisible(family is ServiceFamily.AOS)

    @Slot()
    def _family_chosen(self) -> None:
        if self.premium.isChecked():
            self.machine.choose_family(ServiceFamily.PREMIUM)
        elif self.aos.isChecked():
            self.machine.choose_family(ServiceFamily.AOS)
        self.controller.changed.emit()

    @Slot()
    def _services_chosen(self) -> None:
        family = self.machine.state.family
        ids = [
            sid
            for sid, box in self.boxes.items()
            if box.isChecked() and self.machine.catalog.service(sid).family is family
        ]
        try:
            self.machine.set_services(ids)
        except UserError as exc:
            self.missing.setText(exc.one_line())
        self.controller.changed.emit()

    @Slot()
    def _add_service(self) -> None:
        service_id = self.add_box.currentData()
        if service_id is None:
            return
        self.machine.add_aos_service(service_id)
        self._rebuild()
        box = self.boxes.get(service_id)
        if box is not None:
            box.setChecked(True)
            box.setFocus(Qt.FocusReason.OtherFocusReason)
