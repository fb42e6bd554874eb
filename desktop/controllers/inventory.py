"""Runs inventory work (the store) off the GUI thread for the profile page and its dialogs.

The store is opened (and migrated) by the first task, never on the GUI thread. Every action
reports failure through ``failed`` with a :class:`UserError`, and success through its own
signal; anything that changed the inventory also emits ``changed`` so the list reloads.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NamedTuple

from PySide6.QtCore import QObject, Signal

from desktop.controllers.tasks import Task, TaskRunner
from desktop.core.cancel import CancelToken, Progress
from desktop.core.catalog.model import Catalog
from desktop.core.domain import Cloud, Customer, Tenant
from desktop.core.inventory.listing import ProfileList, read_all, read_first_page
from desktop.core.paths import DataPaths
from desktop.core.store import Store

if TYPE_CHECKING:
    from desktop.core.inventory import (
        CustomerRemovalPlan,
        Inventory,
        RemoveSecret,
        TenantRemovalPlan,
    )

FIRST_PAGE = 200

# The results below are NamedTuples, not dataclasses: they are made at import on the way to the
# first paint, where a NamedTuple costs a tenth of a frozen dataclass.


class FullList(NamedTuple):
    profiles: ProfileList
    order: list[int]
    generation: int


class FirstPage(NamedTuple):
    profiles: ProfileList
    has_customers: bool
    complete: bool  # the first page already holds every profile
    #: When complete: the whole list, sorted, from the same read (no second query).
    full: FullList | None = None


class CustomersSnapshot(NamedTuple):
    """Customers with (tenants, profiles) counts and their tenants, for the dialog."""

    customers: list[Customer]
    counts: dict[int, tuple[int, int]]
    tenants: dict[int, list[Tenant]]


class InventoryController(QObject):
    """Asynchronous inventory operations.

    Signals:
        first_rows(FirstPage): the first page of the list (paint it, then call load_rest);
            when it holds every profile, ``rows_loaded`` follows at once.
        rows_loaded(FullList): every row, prepared and sorted.
        load_failed(UserError): the store could not be read.
        details_loaded(ProfileDetails): one profile with its history.
        customers_loaded(CustomersSnapshot): for the customer dialog.
        removal_planned(CustomerRemovalPlan | TenantRemovalPlan): what removing a customer or
            a tenant takes with it, to confirm (or the delete rule's refusal) first.
        looked_up(str, str, str): domain, tenant ID, display name ("" when not read).
        done(str): an action finished; the text says what happened.
        failed(UserError): an action failed.
        changed(): the inventory changed; lists reload.
    """

    first_rows = Signal(object)
    rows_loaded = Signal(object)
    load_failed = Signal(object)
    details_loaded = Signal(object)
    customers_loaded = Signal(object)
    removal_planned = Signal(object)
    looked_up = Signal(str, str, str)
    done = Signal(str)
    failed = Signal(object)
    changed = Signal()

    def __init__(
        self,
        paths: DataPaths,
        runner: TaskRunner,
        catalog: Catalog,
        *,
        remove_secret: RemoveSecret | None = None,
        lookup: Callable[[str, Cloud], str] | None = None,
        tenant_name: Callable[[str, Cloud], str | None] | None = None,
        open_store: Callable[[], Store] | None = None,
        open_inventory: Callable[[], Inventory] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._paths = paths
        self._runner = runner
        self.catalog = catalog
        self.remove_secret = remove_secret
        self._lookup = lookup
        self._tenant_name = tenant_name
        #: The composition root's store and inventory, when it passes them (else opened here).
        self._open_store = open_store
        self._open_inventory = open_inventory
        self._store: Store | None = None
        self._inventory: Inventory | None = None
        self._lock = threading.Lock()
        self._generation = 0
        self._loading: Task[Any] | None = None
        self._pending_rest: tuple[int, int, bool] | None = None

    def store(self) -> Store:
        """The store, opened (and migrated) on first use (call from a worker thread)."""
        if self._open_store is not None:
            return self._open_store()
        with self._lock:
            if self._store is None:
                self._store = Store.open(self._paths)
            return self._store

    def inventory(self) -> Inventory:
        """The inventory's services over the store, made on first use (call from a worker
        thread). Listing profiles does without them (see read_first_page)."""
        if self._open_inventory is not None:
            return self._open_inventory()
        store = self.store()
        with self._lock:
            if self._inventory is None:
                from desktop.core.inventory import Inventory

                self._inventory = Inventory(store)
            return self._inventory

    # -- the list ---------------------------------------------------------------------------

    def load(self, sort_column: int = 0, descending: bool = False) -> None:
        """Read the first page, then everything; older loads still running are dropped."""
        self._generation += 1
        generation = self._generation
        if self._loading is not None:
            self._loading.cancel()

        def first(token: CancelToken, progress: Progress) -> FirstPage:
            rows, has_customers = read_first_page(self.store(), FIRST_PAGE)
            profiles = ProfileList(rows, self.catalog)
            if len(rows) >= FIRST_PAGE:
                return FirstPage(profiles, has_customers, complete=False)
            # Every profile is in this page: it is the whole list, read once.
            order = profiles.sorted_order(sort_column, descending)
            full = FullList(profiles, order, generation)
            return FirstPage(profiles, has_customers, complete=True, full=full)

        def on_first(page: FirstPage) -> None:
            if generation != self._generation:
                return
            # Set before the signal: a page that reloads asks for the rest from its slot.
            self._pending_rest = None if page.full else (generation, sort_column, descending)
            self.first_rows.emit(page)
            if page.full is not None:
                self.rows_loaded.emit(page.full)

        task = self._runner.submit("Loading app profiles", first)
        task.succeeded.connect(on_first)
        task.failed.connect(self._on_load_failed(generation))
        self._loading = task

    def load_rest(self) -> None:
        """Read every row after the first page was shown (so the rest never delays it)."""
        if self._pending_rest is None:
            return
        generation, sort_column, descending = self._pending_rest
        self._pending_rest = None
        if generation != self._generation:
            return

        def work(token: CancelToken, progress: Progress) -> FullList:
            rows = read_all(self.store(), token)
            token.raise_if_cancelled()
            profiles = ProfileList(rows, self.catalog, token.raise_if_cancelled)
            return FullList(profiles, profiles.sorted_order(sort_column, descending), generation)

        def on_all(full: FullList) -> None:
            if full.generation == self._generation:
                self.rows_loaded.emit(full)

        task = self._runner.submit("Loading app profiles", work)
        task.succeeded.connect(on_all)
        task.failed.connect(self._on_load_failed(generation))
        self._loading = task

    def _on_load_failed(self, generation: int) -> Callable[[object], None]:
        def report(error: object) -> None:
            if generation == self._generation:
                self.load_failed.emit(error)

        return report

    def load_details(self, profile_id: int) -> None:
        self._run(
            "Opening the profile",
            lambda: self.inventory().profiles.details(profile_id),
            self.details_loaded.emit,
        )

    def delete_profiles(self, ids: list[int]) -> None:
        def work() -> str:
            profiles = self.inventory().profiles
            plan = profiles.plan_deletion(ids, self.catalog)
            profiles.delete(plan, self.catalog, self.remove_secret)
            return f"Deleted {len(plan.profiles)} app profile(s)."

        self._change("Deleting app profiles", work)

    # -- customers and tenants --------------------------------------------------------------

    def load_customers(self) -> None:
        def work() -> CustomersSnapshot:
            inv = self.inventory()
            tenants: dict[int, list[Tenant]] = {}
            for tenant, _name in inv.tenants.list():
                tenants.setdefault(tenant.customer_id, []).append(tenant)
            return CustomersSnapshot(inv.customers.list(), inv.customers.counts(), tenants)

        self._run("Loading customers", work, self.customers_loaded.emit)

    def add_customer(self, name: str, notes: str = "") -> None:
        def work() -> str:
            customer = self.inventory().customers.add(name, notes=notes)
            return f"Added the customer {customer.name}."

        self._change("Adding a customer", work)

    def rename_customer(self, old: str, new: str) -> None:
        def work() -> str:
            customer = self.inventory().customers.rename(old, new)
            return f"Renamed {old} to {customer.name}."

        self._change("Renaming a customer", work)

    def set_notes(self, name: str, notes: str) -> Task[str]:
        """Save a customer's notes; the returned task tells its caller when they are stored.

        Notes appear on no list, so a save announces no change (nothing reloads while the
        technician types)."""

        def work() -> str:
            self.inventory().customers.set_notes(name, notes)
            return f"Saved the notes of {name}."

        return self._run("Saving notes", work, self.done.emit)

    def set_aos_services(self, name: str, service_ids: tuple[str, ...]) -> None:
        def work() -> str:
            self.inventory().customers.set_aos_services(name, service_ids, self.catalog)
            return f"Saved the AOS services of {name}."

        self._change("Saving AOS services", work)

    def plan_customer_removal(self, name: str) -> None:
        self._run(
            "Checking what the customer has",
            lambda: self.inventory().customers.plan_removal(name, self.catalog),
            self.removal_planned.emit,
        )

    def remove_customer(self, plan: CustomerRemovalPlan) -> None:
        def work() -> str:
            self.inventory().customers.remove(plan, self.catalog, self.remove_secret)
            return f"Removed the customer {plan.customer.name}."

        self._change("Removing a customer", work)

    def add_tenant(
        self, customer: str, domain: str, tenant_id: str, cloud: Cloud, display_name: str = ""
    ) -> Task[str]:
        def work() -> str:
            tenant = self.inventory().tenants.add(
                customer,
                domain=domain,
                tenant_id=tenant_id,
                cloud=cloud,
                display_name=display_name,
            )
            return f"Added the tenant {tenant.label} to {customer}."

        return self._change("Adding a tenant", work)

    def plan_tenant_removal(self, tenant_id: str) -> None:
        self._run(
            "Checking what the tenant has",
            lambda: self.inventory().tenants.plan_removal(tenant_id, self.catalog),
            self.removal_planned.emit,
        )

    def remove_tenant(self, plan: TenantRemovalPlan) -> None:
        def work() -> str:
            self.inventory().tenants.remove(plan, self.catalog, self.remove_secret)
            return f"Removed the tenant {plan.tenant.label}."

        self._change("Removing a tenant", work)

    def lookup_tenant(self, domain: str, cloud: Cloud) -> Task[tuple[str, str, str]]:
        """Resolve *domain* online; the caller may cancel the returned task. A cancelled
        look-up reports neither its answer nor its failure."""

        def work(token: CancelToken, progress: Progress) -> tuple[str, str, str]:
            from desktop.core.tenant_lookup import lookup_tenant_id
            from desktop.core.validation import normalise_domain

            progress(0, 0, f"Looking up {domain}…")
            lookup = self._lookup or lookup_tenant_id
            try:
                tenant_id = lookup(domain, cloud)
            finally:
                token.raise_if_cancelled()
            progress(0, 0, f"Reading the name of {domain}…")
            name = (self._tenant_name or self._signed_in_name)(domain, cloud)
            token.raise_if_cancelled()
            return normalise_domain(domain), tenant_id, name or ""

        task = self._runner.submit("Looking up the tenant", work)
        task.succeeded.connect(lambda pair: self.looked_up.emit(*pair))
        task.failed.connect(self.failed.emit)
        return task

    def _signed_in_name(self, domain: str, cloud: Cloud) -> str | None:
        """The tenant's display name through the technician's sign-in (worker thread)."""
        from desktop.core.tenant_name import display_name_of, technician_of

        return display_name_of(domain, cloud, technician_of(self._paths, self.catalog))

    # -- plumbing ---------------------------------------------------------------------------

    def _run(self, name: str, fn: Callable[[], Any], on_done: Callable[[Any], None]) -> Task[Any]:
        task = self._runner.submit(name, lambda token, progress: fn())
        task.succeeded.connect(on_done)
        task.failed.connect(self.failed.emit)
        return task

    def _change(self, name: str, fn: Callable[[], str]) -> Task[Any]:
        def finished(text: str) -> None:
            self.done.emit(text)
            self.changed.emit()

        return self._run(name, fn, finished)
