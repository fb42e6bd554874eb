"""The AOS services added for a customer: only those the create wizard can set up."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGroupBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core.catalog.model import Catalog, ServiceFamily
from desktop.core.domain import Customer


class AosServicesBox(QGroupBox):
    """Check boxes for the creatable AOS services; the others are named, and kept on save.

    Attributes:
        services: the list of check boxes (``UserRole``: the service id).
        note: names the AOS services not listed, and why.
        save_button: the owner connects it to its save action.
    """

    def __init__(self, catalog: Catalog, parent: QWidget | None = None) -> None:
        super().__init__("AOS services", parent)
        self.services = QListWidget(self)
        self.services.setAccessibleName("AOS services added for this customer")
        aos = [s for s in catalog.services if s.family is ServiceFamily.AOS]
        for service in aos:
            if service.creatable:  # only what the create wizard can set up
                item = QListWidgetItem(service.name, self.services)
                item.setData(Qt.ItemDataRole.UserRole, service.id)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Unchecked)
        #: AOS services this app cannot create profiles for; kept on a customer that has them.
        self._unlisted = {s.id for s in aos if not s.creatable}
        unlisted = ", ".join(s.name for s in aos if not s.creatable)
        self.save_button = QPushButton("Save &services", self)
        offered = QLabel("The create wizard offers the services ticked here.", self)
        offered.setWordWrap(True)  # a long group title would widen the whole dialog
        self.note = QLabel(
            f"Not listed: {unlisted}. This app cannot create their app profiles; they are set "
            "up in AvePoint Online Services."
            if unlisted
            else "",
            self,
        )
        self.note.setObjectName("UnlistedServicesNote")
        self.note.setWordWrap(True)
        self.note.setVisible(bool(unlisted))
        layout = QVBoxLayout(self)
        layout.addWidget(offered)
        layout.addWidget(self.services, 1)
        layout.addWidget(self.note)
        layout.addWidget(self.save_button, 0, Qt.AlignmentFlag.AlignRight)

    def show_customer(self, customer: Customer | None) -> None:
        """Tick the services added for *customer* (none without one)."""
        chosen = set(customer.aos_service_ids) if customer else set()
        for i in range(self.services.count()):
            item = self.services.item(i)
            checked = item.data(Qt.ItemDataRole.UserRole) in chosen
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def chosen_ids(self, customer: Customer) -> tuple[str, ...]:
        """The ticked services, plus the unlisted ones *customer* already has (kept)."""
        ticked = tuple(
            str(self.services.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.services.count())
            if self.services.item(i).checkState() == Qt.CheckState.Checked
        )
        return ticked + tuple(s for s in customer.aos_service_ids if s in self._unlisted)
