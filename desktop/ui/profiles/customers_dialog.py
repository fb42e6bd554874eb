"""Customers and tenants: add, rename, notes, AOS services, remove; tenants with Look up.

Enter runs the action of the field it is typed in (Add customer, Rename, Look up, Add tenant);
no button is the dialog's default, so Enter never fires another field's action.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, QSortFilterProxyModel, Qt, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.controllers.inventory import CustomersSnapshot, InventoryController
from desktop.controllers.tasks import Task
from desktop.controllers.tenant_access import TenantAccessController
from desktop.core.domain import Cloud, Customer
from desktop.core.errors import UserError
from desktop.core.inventory import CustomerRemovalPlan
from desktop.core.inventory.tenants import TenantRemovalPlan

from desktop.ui.dialogs import UserDialogs
from desktop.ui.forms import buddy_label
from desktop.ui.profiles.aos_services_box import AosServicesBox
from desktop.ui.profiles.customer_models import CustomerTableModel, TenantTableModel
from desktop.ui.profiles.customer_notes import NotesEditor
from desktop.ui.profiles.tenant_access_panel import TenantAccessPanel
from desktop.ui.profiles.tenant_table import TenantTableView

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
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.customers)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
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
        box = QWidget(self)
        self.new_name = QLineEdit(box)
        self.new_name.setPlaceholderText("New customer's name")
        self.new_name.setAccessibleName("New customer name")
        self.add_button = QPushButton("&Add customer", box)
        self.add_button.clicked.connect(self.add_customer)
        self.new_name.returnPressed.connect(self.add_customer)
        self.search = QLineEdit(box)
        self.search.returnPressed.connect(self._search_entered)
        self.search.setPlaceholderText("Filter customers")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Filter customers")
        self.search.textChanged.connect(self.proxy.setFilterFixedString)
        self.list = QTableView(box)
        self.list.setObjectName("CustomerList")
        self.list.setAccessibleName("Customers")
        self.list.setModel(self.proxy)
        self.list.setSortingEnabled(True)
        self.list.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.list.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.verticalHeader().hide()
        self.list.setWordWrap(False)
        self.list.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.list.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.list.selectionModel().selectionChanged.connect(self._on_selection)
        add_row = QHBoxLayout()
        add_row.addWidget(self.new_name, 1)
        add_row.addWidget(self.add_button)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(add_row)
        layout.addWidget(self.search)
        layout.addWidget(self.list, 1)
        return box

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

        self.tenant_view = TenantTableView(self.tenants, box)
        self.domain = QLineEdit(box)
        self.domain.setPlaceholderText("contoso.onmicrosoft.com")
        self.domain.setAccessibleName("Primary domain")
        self.domain.setMinimumWidth(self.domain.fontMetrics().horizontalAdvance("x" * 14))
        self.lookup_button = QPushButton("&Look up", box)
        self.lookup_button.setToolTip("Find the tenant ID of this domain online")
        self.lookup_button.clicked.connect(self.look_up)
        self.domain.returnPressed.connect(self.look_up)
        self.cancel_lookup_button = QPushButton("Cancel look-&up", box)
        self.cancel_lookup_button.setToolTip("Stop looking up the domain (Esc)")
        self.cancel_lookup_button.clicked.connect(self.cancel_lookup)
        self.cancel_lookup_button.hide()
        self.lookup_progress = QProgressBar(box)
        self.lookup_progress.setObjectName("LookupProgress")
        self.lookup_progress.setAccessibleName("Looking up the tenant")
        self.lookup_progress.setRange(0, 0)  # busy: one request, no steps to count
        self.lookup_progress.setTextVisible(False)
        self.lookup_progress.setMaximumWidth(70)
        self.lookup_progress.hide()
        self._lookup_task: Task[tuple[str, str, str]] | None = None
        #: The last look-up: (domain, tenant ID, display name), to add the name with it.
        self._looked_up_name: tuple[str, str, str] = ("", "", "")
        self.tenant_id = QLineEdit(box)
        self.tenant_id.setPlaceholderText("00000000-0000-0000-0000-000000000000")
        self.tenant_id.setAccessibleName("Tenant ID")
        self.tenant_id.returnPressed.connect(self.add_tenant)
        self.cloud = QComboBox(box)
        self.cloud.setAccessibleName("Cloud")
        for cloud in Cloud:
            self.cloud.addItem(cloud.label, cloud.value)
        self.add_tenant_button = QPushButton("Add &tenant", box)
        self.add_tenant_button.clicked.connect(self.add_tenant)
        self.remove_tenant_button = QPushButton("Remove tenant…", box)
        self.remove_tenant_button.clicked.connect(self.remove_tenant)

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

        tenants_box = QGroupBox("Tenants", box)
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
        tenants_layout = QVBoxLayout(tenants_box)
        tenants_layout.addWidget(self.tenant_view, 1)
        tenants_layout.addWidget(self.remove_tenant_button, 0, Qt.AlignmentFlag.AlignRight)
        if self.access_controller is not None:
            # The chosen tenant's access sits under the tenants: a few rows show, the panel
            # gets the room.
            self.access_panel = TenantAccessPanel(
                self.access_controller, self.controller.catalog, tenants_box
            )
            self.tenant_view.setMaximumHeight(self.tenant_view.fontMetrics().height() * 6)
            tenants_layout.addWidget(self.access_panel, 3)
            self.tenant_view.selectionModel().selectionChanged.connect(self._on_tenant_chosen)
        tenants_layout.addLayout(add_form)

        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        lower = QHBoxLayout()
        lower.addWidget(tenants_box, 2)
        lower.addWidget(self.services_box, 1)
        layout.addLayout(lower, 1)
        self.details = box
        return box

    # -- loading and selection --------------------------------------------------------------

    @Slot()
    def reload(self) -> None:
        task = self.controller.load_customers()
        task.succeeded.connect(self._on_loaded)
        task.failed.connect(self._on_failed)

    def _follow(self, task: Task[str]) -> Task[str]:
        """Show the result of an action this dialog started (and only those) below it."""
        task.succeeded.connect(self.status.setText)
        task.failed.connect(self._on_failed)
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
            self.list.selectRow(self.proxy.mapFromSource(self.customers.index(row, 0)).row())
        else:
            self._show_customer(None)
        if self._tenant_after_load and self.select_tenant(self._tenant_after_load):
            self._tenant_after_load = ""

    def show_tenant_when_loaded(self, tenant_id: str) -> None:
        """Choose *tenant_id* now if the customers are loaded, else once they are."""
        if not self.select_tenant(tenant_id):
            self._tenant_after_load = tenant_id

    def current(self) -> Customer | None:
        rows = self.list.selectionModel().selectedRows() if self.list.selectionModel() else []
        if not rows:
            return None
        return self.customers.customer(self.proxy.mapToSource(rows[0]).row())

    @Slot(QItemSelection, QItemSelection)
    def _on_selection(self, selected: QItemSelection, deselected: QItemSelection) -> None:
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
                self.list.selectRow(self.proxy.mapFromSource(self.customers.index(row, 0)).row())
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
        task = self._follow(self.controller.add_customer(name))
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
        task = self._follow(
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
            self._follow(self.controller.rename_customer(old, new, customer_id=cid))
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
        self._follow(self.controller.set_aos_services(customer.name, chosen))

    @Slot()
    def remove_customer(self) -> None:
        customer = self.current()
        if customer is not None:
            self._plan(self.controller.plan_customer_removal(customer.name))

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
            self._follow(self.controller.remove_customer(plan))
        else:
            self._follow(self.controller.remove_tenant(plan))

    def _plan(self, task: Task[CustomerRemovalPlan] | Task[TenantRemovalPlan]) -> None:
        task.succeeded.connect(self._on_removal_planned)
        task.failed.connect(self._on_failed)

    @Slot()
    def look_up(self) -> None:
        domain = self.domain.text().strip()
        if not domain:
            self.dialogs.error(
                TITLE, UserError("Type the domain to look up.", remedy="E.g. contoso.com.")
            )
            return
        if self._lookup_task is not None:
            return
        self.status.setText(f"Looking up {domain}…")
        task = self.controller.lookup_tenant(domain, Cloud(self.cloud.currentData()))
        task.succeeded.connect(lambda found: self._on_looked_up(*found))
        task.failed.connect(self._on_failed)
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
        self.status.setText("Look-up cancelled. You can enter the tenant ID by hand.")
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

    def reject(self) -> None:
        """Close (Esc, Close, the title bar): a look-up is cancelled first; typed notes are
        saved first, and notes that cannot be saved are not dropped without asking."""
        if self._lookup_task is not None:  # Esc during a look-up cancels the look-up first
            self.cancel_lookup()
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

    @Slot()
    def _search_entered(self) -> None:
        """Enter in the filter goes to the first customer shown."""
        if self.proxy.rowCount() > 0:
            self.list.selectRow(0)
            self.list.setFocus()

    @Slot(str, str, str)
    def _on_looked_up(self, domain: str, tenant_id: str, name: str) -> None:
        self.tenant_id.setText(tenant_id)
        # Added with the tenant while the domain and ID stay the looked-up ones.
        self._looked_up_name = (domain, tenant_id, name)
        if name:
            self.status.setText(f"{domain} is the tenant {tenant_id} ({name}).")
        else:
            # This dialog has no name field: the name comes from Microsoft or not at all.
            self.status.setText(
                f"{domain} is the tenant {tenant_id}. Sign in to fill its name from Microsoft."
            )

    @Slot()
    def add_tenant(self) -> None:
        customer = self.current()
        if customer is None:
            return
        domain, tenant_id = self.domain.text(), self.tenant_id.text()
        found_domain, found_id, name = self._looked_up_name
        same = (domain.strip().lower().rstrip("."), tenant_id.strip().lower())
        task = self._follow(
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
            self.dialogs.info(TITLE, "Select the tenant to remove.")
            return
        tenant = self.tenants.tenant(rows[0].row())
        self._plan(self.controller.plan_tenant_removal(tenant.tenant_id))

    @Slot(object)
    def _on_failed(self, error: UserError) -> None:
        self._select_after_load = ""
        if self.isVisible():
            self.status.setText(error.one_line())


def fitting_size(parent: QWidget | None) -> tuple[int, int]:
    """The dialog's size: a share of the main window's, at most :data:`_MOST`."""
    if parent is None:
        return _MOST
    window = parent.window().size()
    return (
        min(_MOST[0], int(window.width() * _SHARE)),
        min(_MOST[1], int(window.height() * _SHARE)),
    )
