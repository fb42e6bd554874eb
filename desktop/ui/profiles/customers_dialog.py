"""Customers and tenants: add, rename, notes, AOS services, remove; tenants with Look up.

Enter runs the action of the field it is typed in (Add customer, Rename, Look up, Add tenant);
no button is the dialog's default, so Enter never fires another field's action.

The customer list column is :class:`~desktop.ui.profiles.customer_list.CustomerListPane`, the
Tenants group :class:`~desktop.ui.profiles.tenants_box.TenantsBox`; this module holds the
chosen customer's details (name, notes, AOS services), loading, removal and closing.
"""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop.controllers.inventory import CustomersSnapshot, InventoryController
from desktop.controllers.tasks import Task
from desktop.controllers.tenant_access import TenantAccessController
from desktop.core.domain import Customer
from desktop.core.errors import UserError
from desktop.core.inventory import CustomerRemovalPlan
from desktop.core.inventory.tenants import TenantRemovalPlan

from desktop.ui.dialogs import UserDialogs
from desktop.ui.forms import buddy_label
from desktop.ui.profiles.aos_services_box import AosServicesBox
from desktop.ui.profiles.customer_list import CustomerListPane
from desktop.ui.profiles.customer_models import CustomerTableModel, TenantTableModel
from desktop.ui.profiles.customer_notes import NotesEditor
from desktop.ui.profiles.tenant_access_panel import TenantAccessPanel
from desktop.ui.profiles.tenants_box import TenantsBox

TITLE = "Customers and tenants"

#: The dialog's size at most, and its share of the main window's size.
_MOST = (1120, 680)
_SHARE = 0.92


class CustomersDialog(QDialog):
    """Manage customers and their tenants. Every change goes through the controller."""

    def __init__(
        self,
        controller: InventoryController,
        dialogs: UserDialogs,
        parent: QWidget | None = None,
        access: TenantAccessController | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(TITLE)
        self.setObjectName("CustomersDialog")
        self.controller = controller
        #: GDAP access per tenant ("What can I do in this tenant?"); None: not offered.
        self.access_controller = access
        self.access_panel: TenantAccessPanel | None = None
        self.dialogs = dialogs
        self._snapshot: CustomersSnapshot | None = None
        #: Each customer's version as last read or written here (an edit checks it).
        self._versions: dict[int, int] = {}
        self._select_after_load = ""
        #: A tenant to choose once the customers are loaded (a failed check's Connect).
        self._tenant_after_load = ""

        self.customers = CustomerTableModel(self)
        self.tenants = TenantTableModel(self)

        self.status = QLabel(self)
        self.status.setObjectName("CustomersStatus")
        self.status.setWordWrap(True)
        splitter = QSplitter(self)
        splitter.addWidget(self._build_list())
        # At small window sizes the details scroll rather than squeeze their fields.
        self.details_scroll = QScrollArea(splitter)
        self.details_scroll.setWidgetResizable(True)
        self.details_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.details_scroll.setWidget(self._build_details())
        splitter.addWidget(self.details_scroll)
        splitter.setSizes([240, 760])
        splitter.setChildrenCollapsible(False)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        for button in self.findChildren(QPushButton):
            button.setAutoDefault(False)  # Enter belongs to the field it is typed in
        self._closing = False
        self.resize(*fitting_size(parent))

        controller.customers_changed.connect(self.reload)
        self._show_customer(None)
        self.reload()

    # -- construction -----------------------------------------------------------------------

    def _build_list(self) -> QWidget:
        pane = CustomerListPane(self.customers, self)
        pane.add_requested.connect(self.add_customer)
        pane.chosen.connect(self._on_selection)
        self.customer_list = pane
        # The pane's parts, on the dialog as before (its callers and tests use them).
        self.proxy, self.list, self.search = pane.proxy, pane.list, pane.search
        self.new_name, self.add_button = pane.new_name, pane.add_button
        return pane

    def _build_details(self) -> QWidget:
        box = QWidget(self)
        self.name_edit = QLineEdit(box)
        self.name_edit.setAccessibleName("Customer name")
        self.name_edit.returnPressed.connect(self.rename_customer)
        self.rename_button = QPushButton("Re&name", box)
        self.rename_button.clicked.connect(self.rename_customer)
        self.remove_button = QPushButton("&Remove customer…", box)
        self.remove_button.clicked.connect(self.remove_customer)
        self.notes_editor = NotesEditor(self.controller, box)
        self.notes_editor.saved.connect(self._notes_saved)
        self.notes_editor.stored.connect(self._version_stored)
        self.notes_editor.settled.connect(self._notes_settled)
        self.notes = self.notes_editor.edit
        self.notes.setMaximumHeight(90)

        self.tenants_box = TenantsBox(
            self, self.controller, self.dialogs, self.tenants, self.access_controller, TITLE, box
        )
        # The box's fields and actions, on the dialog as before (its callers and tests use them).
        tb = self.tenants_box
        self.tenant_view, self.access_panel = tb.tenant_view, tb.access_panel
        self.domain, self.tenant_id, self.cloud = tb.domain, tb.tenant_id, tb.cloud
        self.lookup_button, self.cancel_lookup_button = tb.lookup_button, tb.cancel_lookup_button
        self.lookup_progress = tb.lookup_progress
        self.add_tenant_button, self.remove_tenant_button = (
            tb.add_tenant_button,
            tb.remove_tenant_button,
        )
        self.look_up, self.cancel_lookup = tb.look_up, tb.cancel_lookup
        self.add_tenant, self.remove_tenant = tb.add_tenant, tb.remove_tenant

        self.services_box = AosServicesBox(self.controller.catalog, box)
        self.services = self.services_box.services
        self.services_note = self.services_box.note
        self.save_services_button = self.services_box.save_button
        self.save_services_button.clicked.connect(self.save_services)

        name_row = QHBoxLayout()
        name_row.addWidget(self.name_edit, 1)
        name_row.addWidget(self.rename_button)
        name_row.addWidget(self.remove_button)
        form = QFormLayout()
        form.addRow(buddy_label("Na&me:", self.name_edit, self), name_row)
        form.addRow(buddy_label("N&otes:", self.notes, self), self.notes_editor)

        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        lower = QHBoxLayout()
        lower.addWidget(self.tenants_box, 2)
        lower.addWidget(self.services_box, 1)
        layout.addLayout(lower, 1)
        self.details = box
        return box

    # -- loading and selection --------------------------------------------------------------

    @Slot()
    def reload(self) -> None:
        task = self.controller.load_customers()
        task.succeeded.connect(self._on_loaded)
        task.failed.connect(self.show_failure)

    def follow(self, task: Task[str]) -> Task[str]:
        """Show the result of an action this dialog started (and only those) below it."""
        task.succeeded.connect(self.status.setText)
        task.failed.connect(self.show_failure)
        return task

    @Slot(object)
    def _on_loaded(self, snapshot: CustomersSnapshot) -> None:
        current = self.current()
        self._snapshot = snapshot
        self._versions = dict(snapshot.versions)
        self.customers.set_customers(snapshot.customers, snapshot.counts)
        if not snapshot.customers:
            self.status.setText("No customers yet: type a name above and press Add customer.")
            self.new_name.setFocus()
        # A load that started before the add (or rename) does not hold the name yet: the
        # wish to select it waits for the load that does.
        row = self.customers.row_of(self._select_after_load) if self._select_after_load else -1
        if row >= 0:
            self._select_after_load = ""
        elif current is not None:
            row = self.customers.row_of(current.name)
        if row >= 0:
            self.customer_list.select_row(row)
        else:
            self._show_customer(None)
        if self._tenant_after_load and self.select_tenant(self._tenant_after_load):
            self._tenant_after_load = ""

    def show_tenant_when_loaded(self, tenant_id: str) -> None:
        """Choose *tenant_id* now if the customers are loaded, else once they are."""
        if not self.select_tenant(tenant_id):
            self._tenant_after_load = tenant_id

    def current(self) -> Customer | None:
        row = self.customer_list.selected_row()
        return None if row is None else self.customers.customer(row)

    @Slot()
    def _on_selection(self) -> None:
        self._show_customer(self.current())

    def _show_customer(self, customer: Customer | None) -> None:
        self.details.setEnabled(customer is not None)
        self.name_edit.setText(customer.name if customer else "")
        self.notes_editor.show_customer(
            customer.name if customer else "",
            customer.notes if customer else "",
            customer_id=customer.id if customer else None,
            version=self._versions.get(customer.id) if customer and customer.id else None,
        )
        tenants = []
        if customer is not None and self._snapshot is not None and customer.id is not None:
            tenants = self._snapshot.tenants.get(customer.id, [])
        self.tenants.set_tenants(tenants)
        self.services_box.show_customer(customer)
        self.tenants_box.show_tenants(tenants)

    def select_tenant(self, tenant_id: str) -> bool:
        """Choose the customer and tenant of *tenant_id* (e.g. from a failed check's action);
        False when it is not listed."""
        snapshot = self._snapshot
        if snapshot is None:
            return False
        for customer_id, tenants in snapshot.tenants.items():
            for index, tenant in enumerate(tenants):
                if tenant.tenant_id.lower() != tenant_id.lower():
                    continue
                name = next((c.name for c in snapshot.customers if c.id == customer_id), "")
                row = self.customers.row_of(name)
                if row < 0:
                    return False
                self.search.clear()
                self.customer_list.select_row(row)
                self.tenant_view.selectRow(index)
                return True
        return False

    # -- actions ----------------------------------------------------------------------------

    @Slot()
    def add_customer(self) -> None:
        name = self.new_name.text().strip()
        if not name:
            self.dialogs.error(TITLE, UserError("A customer needs a name.", remedy="Type it."))
            return
        self._select_after_load = name
        task = self.follow(self.controller.add_customer(name))
        # Cleared only once added: a refused name stays, to correct it.
        task.succeeded.connect(lambda _text: self.new_name.clear())

    @Slot()
    def rename_customer(self) -> None:
        customer = self.current()
        new = self.name_edit.text().strip()
        if customer is None or new == customer.name:
            return
        self._select_after_load = new
        version = self._versions.get(customer.id) if customer.id else None
        task = self.follow(
            self.controller.rename_customer(
                customer.name, new, expected_version=version, customer_id=customer.id
            )
        )
        task.failed.connect(
            lambda error: self._on_stale_rename(error, customer.name, customer.id, new)
        )

    def _on_stale_rename(self, error: UserError, old: str, cid: int | None, new: str) -> None:
        """A colleague changed the customer since the list was read: Reload or Overwrite."""
        from desktop.ui.team_stale import StaleChoice, ask_stale, is_stale_edit

        if not is_stale_edit(error) or not self.isVisible():
            return
        if ask_stale(self, error, new) is StaleChoice.OVERWRITE:
            self._select_after_load = new
            self.follow(self.controller.rename_customer(old, new, customer_id=cid))
        else:
            self._select_after_load = ""
            self.status.setText("Reloaded: the list shows your colleague's change.")
            self.reload()

    @Slot(str, str)
    def _notes_saved(self, name: str, notes: str) -> None:
        """Keep the loaded customer in step, so choosing it again shows the saved notes."""
        row = self.customers.row_of(name)
        if row >= 0:
            self.customers.customer(row).notes = notes.strip()

    @Slot(object)
    def _version_stored(self, customer: Customer) -> None:
        """Our own notes save bumped the version: a rename after it is not stale."""
        if customer.id is not None:
            self._versions[customer.id] = customer.version

    @Slot(bool)
    def _notes_settled(self, saved: bool) -> None:
        if self._closing:
            self._closing = False
            self.reject()

    @Slot()
    def save_services(self) -> None:
        customer = self.current()
        if customer is None:
            return
        chosen = self.services_box.chosen_ids(customer)
        self.follow(self.controller.set_aos_services(customer.name, chosen))

    @Slot()
    def remove_customer(self) -> None:
        customer = self.current()
        if customer is not None:
            self.plan_removal(self.controller.plan_customer_removal(customer.name))

    @Slot(object)
    def _on_removal_planned(self, plan: CustomerRemovalPlan | TenantRemovalPlan) -> None:
        """Removing a customer or a tenant: refused in words, or confirmed naming what goes."""
        refused = plan.refusal()
        if refused is not None:
            self.dialogs.error(TITLE, refused)
            return
        lines = plan.describe().splitlines()
        details = "\n".join(lines[1:31]) + ("\n…" if len(lines) > 31 else "")
        if not self.dialogs.confirm(TITLE, lines[0], details=details, action="Remove"):
            return
        if isinstance(plan, CustomerRemovalPlan):
            self.follow(self.controller.remove_customer(plan))
        else:
            self.follow(self.controller.remove_tenant(plan))

    def plan_removal(self, task: Task[CustomerRemovalPlan] | Task[TenantRemovalPlan]) -> None:
        task.succeeded.connect(self._on_removal_planned)
        task.failed.connect(self.show_failure)

    def reject(self) -> None:
        """Close (Esc, Close, the title bar): a look-up is cancelled first; typed notes are
        saved first, and notes that cannot be saved are not dropped without asking."""
        if self.tenants_box.looking_up:  # Esc during a look-up cancels the look-up first
            self.tenants_box.cancel_lookup()
            return
        notes = self.notes_editor
        if (notes.error is not None or notes.set_aside) and not self._closing:
            why = (
                notes.error.one_line()
                if notes.error is not None
                else "a colleague's notes are shown, and yours are set aside."
            )
            question = (
                f"The notes of {notes.customer} are not saved: {why} Close anyway and lose them?"
            )
            if not self.dialogs.confirm(TITLE, question, action="Close without saving"):
                return
        elif notes.pending:
            self._closing = True  # closes once the notes are stored (or asks if they fail)
            self.status.setText("Saving the notes…")
            notes.flush()
            return
        super().reject()

    @Slot(object)
    def show_failure(self, error: UserError) -> None:
        self._select_after_load = ""
        if self.isVisible():
            self.status.setText(error.one_line())

    def show_status(self, text: str) -> None:
        self.status.setText(text)


def fitting_size(parent: QWidget | None) -> tuple[int, int]:
    """The dialog's size: a share of the main window's, at most :data:`_MOST`."""
    if parent is None:
        return _MOST
    window = parent.window().size()
    return (
        min(_MOST[0], int(window.width() * _SHARE)),
        min(_MOST[1], int(window.height() * _SHARE)),
    )
