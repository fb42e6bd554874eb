"""The chosen customer's tenants in the Customers and tenants dialog: the list, the chosen
tenant's GDAP access, adding one (with Look up of its tenant ID) and removing one.

The box shows and forwards intent: each action is a controller call whose task the dialog
follows (its result line, its failure), so the box never speaks to the user itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from PySide6.QtCore import QItemSelection, Qt, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.controllers.inventory import InventoryController
from desktop.controllers.tasks import Task
from desktop.controllers.tenant_access import TenantAccessController
from desktop.core.domain import Cloud, Customer, Tenant
from desktop.core.errors import UserError
from desktop.core.inventory.tenants import TenantRemovalPlan

from desktop.ui.dialogs import UserDialogs
from desktop.ui.forms import buddy_label
from desktop.ui.profiles.customer_models import TenantTableModel
from desktop.ui.profiles.tenant_access_panel import TenantAccessPanel
from desktop.ui.profiles.tenant_table import TenantTableView


class TenantsHost(Protocol):
    """What the box needs from the dialog it sits in."""

    def current(self) -> Customer | None:
        """The chosen customer."""
        ...

    def follow(self, task: Task[str]) -> Task[str]:
        """Show the result of an action the dialog started below it."""
        ...

    def plan_removal(self, task: Task[TenantRemovalPlan]) -> None:
        """Confirm (or refuse) the planned removal, then remove."""
        ...

    def show_failure(self, error: UserError) -> None: ...

    def show_status(self, text: str) -> None: ...


class TenantsBox(QGroupBox):
    """The tenants of the customer the dialog shows, and adding and removing them.

    Attributes:
        tenant_view: the tenants table (over the dialog's :class:`TenantTableModel`).
        access_panel: the chosen tenant's GDAP access; None when not offered.
        domain, tenant_id, cloud: the new tenant's fields.
    """

    def __init__(
        self,
        host: TenantsHost,
        controller: InventoryController,
        dialogs: UserDialogs,
        tenants: TenantTableModel,
        access: TenantAccessController | None,
        title: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Tenants", parent)
        self._host = host
        self.controller = controller
        self.dialogs = dialogs
        self.tenants = tenants
        #: The dialog's title, for its message boxes.
        self._title = title
        self.access_panel: TenantAccessPanel | None = None
        self._lookup_task: Task[tuple[str, str, str]] | None = None
        #: The last look-up: (domain, tenant ID, display name), to add the name with it.
        self._looked_up_name: tuple[str, str, str] = ("", "", "")
        self._build(access)

    def _build(self, access: TenantAccessController | None) -> None:
        self.tenant_view = TenantTableView(self.tenants, self)
        self.domain = QLineEdit(self)
        self.domain.setPlaceholderText("contoso.onmicrosoft.com")
        self.domain.setAccessibleName("Primary domain")
        self.domain.setMinimumWidth(self.domain.fontMetrics().horizontalAdvance("x" * 14))
        self.lookup_button = QPushButton("&Look up", self)
        self.lookup_button.setToolTip("Find the tenant ID of this domain online")
        self.lookup_button.clicked.connect(self.look_up)
        self.domain.returnPressed.connect(self.look_up)
        self.cancel_lookup_button = QPushButton("Cancel look-&up", self)
        self.cancel_lookup_button.setToolTip("Stop looking up the domain (Esc)")
        self.cancel_lookup_button.clicked.connect(self.cancel_lookup)
        self.cancel_lookup_button.hide()
        self.lookup_progress = QProgressBar(self)
        self.lookup_progress.setObjectName("LookupProgress")
        self.lookup_progress.setAccessibleName("Looking up the tenant")
        self.lookup_progress.setRange(0, 0)  # busy: one request, no steps to count
        self.lookup_progress.setTextVisible(False)
        self.lookup_progress.setMaximumWidth(70)
        self.lookup_progress.hide()
        self.tenant_id = QLineEdit(self)
        self.tenant_id.setPlaceholderText("00000000-0000-0000-0000-000000000000")
        self.tenant_id.setAccessibleName("Tenant ID")
        self.tenant_id.returnPressed.connect(self.add_tenant)
        self.cloud = QComboBox(self)
        self.cloud.setAccessibleName("Cloud")
        for cloud in Cloud:
            self.cloud.addItem(cloud.label, cloud.value)
        self.add_tenant_button = QPushButton("Add &tenant", self)
        self.add_tenant_button.clicked.connect(self.add_tenant)
        self.remove_tenant_button = QPushButton("Remove tenant…", self)
        self.remove_tenant_button.clicked.connect(self.remove_tenant)

        add_form = QFormLayout()
        domain_row = QHBoxLayout()
        domain_row.addWidget(self.domain, 1)
        domain_row.addWidget(self.lookup_button)
        domain_row.addWidget(self.lookup_progress)
        domain_row.addWidget(self.cancel_lookup_button)
        add_form.addRow(buddy_label("&Domain:", self.domain, self), domain_row)
        add_form.addRow(buddy_label("Tenant &ID:", self.tenant_id, self), self.tenant_id)
        cloud_row = QHBoxLayout()
        cloud_row.addWidget(self.cloud, 1)
        cloud_row.addWidget(self.add_tenant_button)
        add_form.addRow(buddy_label("&Cloud:", self.cloud, self), cloud_row)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tenant_view, 1)
        layout.addWidget(self.remove_tenant_button, 0, Qt.AlignmentFlag.AlignRight)
        if access is not None:
            # The chosen tenant's access sits under the tenants: a few rows show, the panel
            # gets the room.
            self.access_panel = TenantAccessPanel(access, self.controller.catalog, self)
            self.tenant_view.setMaximumHeight(self.tenant_view.fontMetrics().height() * 6)
            layout.addWidget(self.access_panel, 3)
            self.tenant_view.selectionModel().selectionChanged.connect(self._on_tenant_chosen)
        layout.addLayout(add_form)

    # -- showing ----------------------------------------------------------------------------

    def show_tenants(self, tenants: Sequence[Tenant]) -> None:
        """After the model got the customer's *tenants*: show the first one's access."""
        if self.access_panel is not None:
            if tenants:
                self.tenant_view.selectRow(0)  # its access is read at once
            else:
                self.access_panel.show_tenant(None)

    @Slot(QItemSelection, QItemSelection)
    def _on_tenant_chosen(self, selected: QItemSelection, deselected: QItemSelection) -> None:
        if self.access_panel is None:
            return
        rows = self.tenant_view.selectionModel().selectedRows()
        tenant = self.tenants.tenant(rows[0].row()) if rows else None
        shown = self.access_panel.tenant
        if (tenant and tenant.tenant_id) != (shown and shown.tenant_id):
            self.access_panel.show_tenant(tenant)

    # -- looking up a tenant ID -------------------------------------------------------------

    @property
    def looking_up(self) -> bool:
        """Whether a look-up is running (Esc cancels it rather than closing the dialog)."""
        return self._lookup_task is not None

    @Slot()
    def look_up(self) -> None:
        domain = self.domain.text().strip()
        if not domain:
            self.dialogs.error(
                self._title, UserError("Type the domain to look up.", remedy="E.g. contoso.com.")
            )
            return
        if self._lookup_task is not None:
            return
        self._host.show_status(f"Looking up {domain}…")
        task = self.controller.lookup_tenant(domain, Cloud(self.cloud.currentData()))
        task.succeeded.connect(lambda found: self._on_looked_up(*found))
        task.failed.connect(self._host.show_failure)
        self._lookup_task = task
        task.finished.connect(lambda: self._lookup_ended(task))
        self._set_looking_up(True)

    @Slot()
    def cancel_lookup(self) -> None:
        """Stop waiting for the look-up; its late answer (or error) is ignored."""
        task = self._lookup_task
        if task is None:
            return
        task.cancel()
        self._lookup_task = None
        self._set_looking_up(False)
        self._host.show_status("Look-up cancelled. You can enter the tenant ID by hand.")
        self.domain.setFocus()

    def _lookup_ended(self, task: Task[tuple[str, str, str]]) -> None:
        if task is self._lookup_task:
            self._lookup_task = None
            self._set_looking_up(False)

    def _set_looking_up(self, busy: bool) -> None:
        for widget in (self.domain, self.cloud, self.lookup_button, self.add_tenant_button):
            widget.setEnabled(not busy)
        self.lookup_button.setVisible(not busy)
        self.lookup_progress.setVisible(busy)
        self.cancel_lookup_button.setVisible(busy)
        if busy:
            self.cancel_lookup_button.setFocus()

    @Slot(str, str, str)
    def _on_looked_up(self, domain: str, tenant_id: str, name: str) -> None:
        self.tenant_id.setText(tenant_id)
        # Added with the tenant while the domain and ID stay the looked-up ones.
        self._looked_up_name = (domain, tenant_id, name)
        if name:
            self._host.show_status(f"{domain} is the tenant {tenant_id} ({name}).")
        else:
            # This dialog has no name field: the name comes from Microsoft or not at all.
            self._host.show_status(
                f"{domain} is the tenant {tenant_id}. Sign in to fill its name from Microsoft."
            )

    # -- adding and removing ----------------------------------------------------------------

    @Slot()
    def add_tenant(self) -> None:
        customer = self._host.current()
        if customer is None:
            return
        domain, tenant_id = self.domain.text(), self.tenant_id.text()
        found_domain, found_id, name = self._looked_up_name
        same = (domain.strip().lower().rstrip("."), tenant_id.strip().lower())
        task = self._host.follow(
            self.controller.add_tenant(
                customer.name,
                domain,
                tenant_id,
                Cloud(self.cloud.currentData()),
                display_name=name if same == (found_domain, found_id.lower()) else "",
            )
        )
        # Cleared only once added: a refused tenant keeps what was typed, to correct it.
        task.succeeded.connect(self._clear_tenant_fields)

    @Slot()
    def _clear_tenant_fields(self) -> None:
        self.domain.clear()
        self.tenant_id.clear()

    @Slot()
    def remove_tenant(self) -> None:
        rows = self.tenant_view.selectionModel().selectedRows()
        if not rows:
            self.dialogs.info(self._title, "Select the tenant to remove.")
            return
        tenant = self.tenants.tenant(rows[0].row())
        self._host.plan_removal(self.controller.plan_tenant_removal(tenant.tenant_id))
