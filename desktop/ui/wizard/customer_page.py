"""Step 1: pick the customer and tenant from the store, or create either inline."""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
)

from desktop.controllers.wizard import WizardController
from desktop.core.domain import Cloud, Customer, Tenant
from desktop.core.errors import UserError
from desktop.core.tenant_name import NAME_HINT, LookedUp
from desktop.core.wizard import Step, normalize_guid
from desktop.core.wizard.ports import Directory

from desktop.ui.forms import buddy_label
from desktop.ui.wizard.base import BusyRow, StepPage

NEW = object()  # the "create one" entry of a combo box


class CustomerPage(StepPage):
    """Customer and tenant: existing ones from the store, or new ones saved with the profiles."""

    def __init__(self, controller: WizardController) -> None:
        super().__init__(
            Step.CUSTOMER,
            controller,
            "Select the customer and the tenant for which you want to create app profiles.",
        )
        self.directory = Directory((), ())
        self.loaded = False
        form = QFormLayout()
        self.customer_box = QComboBox(self)
        self.customer_box.setAccessibleName("Customer")
        customer_label = buddy_label("&Customer:", self.customer_box, self)
        form.addRow(customer_label, self.customer_box)
        self.customer_name = QLineEdit(self)
        self.customer_name.setPlaceholderText("Name of the new customer")
        self.customer_name.setAccessibleName("New customer name")
        self.customer_name_label = buddy_label("Ne&w customer:", self.customer_name, self)
        form.addRow(self.customer_name_label, self.customer_name)
        self.tenant_box = QComboBox(self)
        self.tenant_box.setAccessibleName("Tenant")
        tenant_label = buddy_label("&Tenant:", self.tenant_box, self)
        form.addRow(tenant_label, self.tenant_box)
        self.body.addLayout(form)
        self.new_tenant = self._new_tenant_box()
        self.body.addWidget(self.new_tenant)
        self.busy = BusyRow(self)
        self.body.addWidget(self.busy)
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setObjectName("CustomerError")
        self.body.addWidget(self.error)
        self.reload = QPushButton("Load the customers &again", self)
        self.reload.hide()
        self.reload.clicked.connect(self.load)
        reload_row = QHBoxLayout()
        reload_row.addWidget(self.reload)
        reload_row.addStretch(1)
        self.body.addLayout(reload_row)
        self.body.addStretch(1)
        self.registerField("new_customer_name", self.customer_name)
        self.registerField("tenant_domain", self.domain)
        self.registerField("tenant_id", self.tenant_id)
        self.customer_box.currentIndexChanged.connect(self._customer_chosen)
        self.tenant_box.currentIndexChanged.connect(self._update_tenant)
        self.customer_name.textChanged.connect(self._customer_chosen)
        for edit in (self.domain, self.tenant_id, self.display_name):
            edit.textChanged.connect(self._update_tenant)
        self.cloud.currentIndexChanged.connect(self._update_tenant)
        self.lookup.clicked.connect(self._lookup)
        self._fill_customers()

    def _new_tenant_box(self) -> QGroupBox:
        box = QGroupBox("New tenant", self)
        form = QFormLayout(box)
        self.domain = QLineEdit(box)
        self.domain.setPlaceholderText("contoso.onmicrosoft.com")
        self.domain.setAccessibleName("Primary domain")
        self.lookup = QPushButton("&Look up", box)
        self.lookup.setToolTip("Find the tenant ID of this domain online")
        row = QHBoxLayout()
        row.addWidget(self.domain, 1)
        row.addWidget(self.lookup)
        domain_label = buddy_label("Primary &domain:", self.domain, box)
        form.addRow(domain_label, row)
        self.cloud = QComboBox(box)
        self.cloud.setAccessibleName("Cloud")
        for cloud in Cloud:
            self.cloud.addItem(cloud.label, cloud)
        cloud_label = buddy_label("Cl&oud:", self.cloud, box)
        form.addRow(cloud_label, self.cloud)
        self.tenant_id = QLineEdit(box)
        self.tenant_id.setPlaceholderText("Filled in by Look up, or type it")
        self.tenant_id.setAccessibleName("Tenant ID")
        id_label = buddy_label("Tenant &ID:", self.tenant_id, box)
        form.addRow(id_label, self.tenant_id)
        self.display_name = QLineEdit(box)
        self.display_name.setAccessibleName("Display name")
        self.display_name.setPlaceholderText("Optional")
        name_label = buddy_label("Display na&me:", self.display_name, box)
        form.addRow(name_label, self.display_name)
        # Shown after a look-up that could not read the name (nobody signed in, or refused).
        self.name_note = QLabel(NAME_HINT, box)
        self.name_note.setObjectName("NameNote")
        self.name_note.setWordWrap(True)
        self.name_note.hide()
        form.addRow("", self.name_note)
        self.display_name.textEdited.connect(lambda text: self.name_note.setVisible(False))
        box.hide()
        return box

    def load(self) -> None:
        """Read the customers and tenants from the store, off the GUI thread."""
        self.reload.hide()
        self.error.setText("")
        task = self.controller.load_directory()
        task.on_success(self._loaded).on_failure(lambda e: self._not_loaded(e.one_line()))
        task.cancelled.connect(lambda: self._not_loaded("Loading the customers was cancelled."))
        self.busy.follow(task, "Loading customers…")

    def _not_loaded(self, text: str) -> None:
        self.error.setText(f"{text} You can still create a new customer here.")
        self.reload.show()

    @Slot(object)
    def _loaded(self, directory: Directory) -> None:
        self.directory = directory
        self.loaded = True
        self._fill_customers()

    def _fill_customers(self) -> None:
        self.customer_box.blockSignals(True)
        self.customer_box.clear()
        self.customer_box.addItem("Choose a customer…", None)
        for customer in sorted(self.directory.customers, key=lambda c: c.name.casefold()):
            self.customer_box.addItem(customer.name, customer)
        self.customer_box.addItem("New customer…", NEW)
        self.customer_box.blockSignals(False)
        self._customer_chosen()

    @Slot()
    def _customer_chosen(self) -> None:
        choice = self.customer_box.currentData()
        is_new = choice is NEW
        self.customer_name.setVisible(is_new)
        self.customer_name_label.setVisible(is_new)
        customer: Customer | None = None
        if is_new:
            name = " ".join(self.customer_name.text().split())
            current = self.machine.state.customer
            if name and self.machine.state.new_customer and current is not None:
                current.name = name  # keep the same object: the tenant choice stays
                customer = current
            elif name:
                customer = Customer(name)
        elif isinstance(choice, Customer):
            customer = choice
        try:
            self.machine.set_customer(customer, new=is_new)
        except UserError as exc:
            self.error.setText(exc.one_line())
        self._fill_tenants(customer, is_new)

    def _fill_tenants(self, customer: Customer | None, is_new: bool) -> None:
        keep = self.tenant_box.currentData()
        self.tenant_box.blockSignals(True)
        self.tenant_box.clear()
        if customer is None:
            self.tenant_box.addItem("Choose a customer first", None)
        else:
            tenants = [] if is_new else self.directory.tenants_of(customer)
            self.tenant_box.addItem("Choose a tenant…" if tenants else "No tenant yet", None)
            for tenant in tenants:
                self.tenant_box.addItem(f"{tenant.label} ({tenant.tenant_id})", tenant)
            self.tenant_box.addItem("Add a tenant…", NEW)
            if keep is NEW or (is_new and not tenants):
                self.tenant_box.setCurrentIndex(self.tenant_box.count() - 1)
            elif keep is not None:
                self.tenant_box.setCurrentIndex(max(self.tenant_box.findData(keep), 0))
            elif len(tenants) == 1:  # the customer's only tenant: nothing to choose
                self.tenant_box.setCurrentIndex(1)
        self.tenant_box.setEnabled(customer is not None)
        self.tenant_box.blockSignals(False)
        self._update_tenant()

    @Slot()
    def _update_tenant(self) -> None:
        choice = self.tenant_box.currentData()
        self.new_tenant.setVisible(choice is NEW)
        customer = self.machine.state.customer
        tenant: Tenant | None = None
        if choice is NEW and customer is not None:
            tid = normalize_guid(self.tenant_id.text())
            if tid:
                tenant = Tenant(
                    tenant_id=tid,
                    customer_id=customer.id or 0,
                    primary_domain=self.domain.text().strip().lower(),
                    display_name=self.display_name.text().strip(),
                    cloud=Cloud(self.cloud.currentData()),  # Qt returns a plain str
                )
        elif isinstance(choice, Tenant):
            tenant = choice
        self.machine.set_tenant(tenant, new=choice is NEW)
        self.controller.changed.emit()

    @Slot()
    def _lookup(self) -> None:
        domain = self.domain.text().strip()
        if not domain:
            self.error.setText("Type the tenant's primary domain, then Look up.")
            return
        self.error.setText("")
        self.lookup.setEnabled(False)
        task = self.controller.lookup_tenant(domain, Cloud(self.cloud.currentData()))
        task.on_success(self._looked_up).on_failure(lambda e: self.error.setText(e.one_line()))
        task.finished.connect(lambda: self.lookup.setEnabled(True))
        self.busy.follow(task, f"Looking up {domain}…")

    @Slot(object)
    def _looked_up(self, found: LookedUp) -> None:
        """Fill the tenant ID and, unless one was typed, the display name."""
        self.tenant_id.setText(found.tenant_id)
        typed = bool(self.display_name.text().strip())
        if found.display_name and not typed:
            self.display_name.setText(found.display_name)
        self.name_note.setVisible(not found.display_name and not typed)

    def self_test_ready(self) -> bool:
        return self.loaded
