"""Runs inventory work (the store) off the GUI thread for the profile page and its dialogs.

The store is opened (and migrated) by the first task, never on the GUI thread. Every action
returns its :class:`Task`: the screen that asked connects to its result and its failure, so
no other screen hears of them. What changed in the store reaches every screen through the
store's change feed instead (this process's writes, and other processes' through a
:class:`~desktop.core.changes.ChangeWatcher`): the list re-reads just the changed profiles.
"""

from __future__ import annotations

import sys
import threading
import weakref
from collections.abc import Callable, Mapping, Sequence
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from desktop.controllers.tasks import Task, TaskRunner
from desktop.core.cancel import CancelToken, Progress
from desktop.core.catalog.model import Catalog
from desktop.core.changes import ChangeEntry, ChangeKind, ChangeWatcher, EntityKind
from desktop.core.domain import Cloud, Customer, Tenant
from desktop.core.inventory.listing import ProfileList, read_all, read_first_page
from desktop.core.paths import DataPaths
from desktop.core.storage.interface import Repository
from desktop.core.storage.types import ProfileRow

if TYPE_CHECKING:
    from desktop.controllers.team_live import LiveChanges, OfflineReconnect
    from desktop.core.inventory import (
        CustomerRemovalPlan,
        Inventory,
        ProfileDetails,
        RemoveSecret,
        TenantRemovalPlan,
    )

T = TypeVar("T")

FIRST_PAGE = 200
#: More changed profiles than this at once reload the list instead of re-reading each.
MAX_PRECISE = 2_000
#: Announcements arriving within this many milliseconds are applied together.
_SETTLE_MS = 100

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


class ProfileChanges(NamedTuple):
    """What the list shows differently: rows re-read (changed or added) and ids removed."""

    rows: list[ProfileRow]
    removed: tuple[int, ...]


class CustomersSnapshot(NamedTuple):
    """Customers with (tenants, profiles) counts and their tenants, for the dialog."""

    customers: list[Customer]
    counts: dict[int, tuple[int, int]]
    tenants: dict[int, list[Tenant]]
    #: Each customer's version when read, for edits that check it.
    versions: Mapping[int, int] = MappingProxyType({})


class InventoryController(QObject):
    """Asynchronous inventory operations.

    Each action returns its :class:`Task` (``succeeded`` carries the result named in the
    method's docstring, ``failed`` a :class:`UserError`).

    Signals:
        first_rows(FirstPage): the first page of the list (paint it, then call load_rest);
            when it holds every profile, ``rows_loaded`` follows at once.
        rows_loaded(FullList): every row, prepared and sorted.
        load_failed(UserError): the store could not be read.
        profiles_changed(ProfileChanges): profiles changed in the store (any process).
        reload_needed(): too much changed to say; the list reloads.
        customers_changed(): customers or tenants changed (the customer dialog reloads).
        team_connection_changed(bool): the team database's live connection is up (True) or
            lost (False; it keeps retrying).
        team_offline_copy(datetime): the window started with the team database unreachable
            and shows its offline copy, synced then (read-only; it keeps retrying).
    """

    first_rows = Signal(object)
    rows_loaded = Signal(object)
    load_failed = Signal(object)
    profiles_changed = Signal(object)
    reload_needed = Signal()
    customers_changed = Signal()
    team_connection_changed = Signal(bool)
    team_offline_copy = Signal(object)
    #: Feed entries, from whichever thread committed or watched; delivered on the GUI thread.
    _announced = Signal(object)
    #: (team store, change listener): follow the team database in the event loop.
    _live_wanted = Signal(object, object)
    #: (when the offline copy was synced): the store is the copy; try the server again.
    _offline_wanted = Signal(object)

    def __init__(
        self,
        paths: DataPaths,
        runner: TaskRunner,
        catalog: Catalog,
        *,
        remove_secret: RemoveSecret | None = None,
        lookup: Callable[[str, Cloud], str] | None = None,
        tenant_name: Callable[[str, Cloud], str | None] | None = None,
        open_store: Callable[[], Repository] | None = None,
        open_inventory: Callable[[], Inventory] | None = None,
        go_online: Callable[[], Repository] | None = None,
        parent: QObject | None = None,
    ) -> None:
        """*go_online* opens the team database while the store is its offline copy (the
        composition root's, which then uses it too)."""
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
        self._store: Repository | None = None
        self._inventory: Inventory | None = None
        self._lock = threading.Lock()
        self._generation = 0
        self._loading: Task[Any] | None = None
        self._pending_rest: tuple[int, int, bool] | None = None
        self._watcher: ChangeWatcher | None = None
        self._announcements: list[ChangeEntry] = []
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(_SETTLE_MS)
        self._settle.timeout.connect(self._apply_announcements)
        self._announced.connect(self._on_announced)
        self._live: LiveChanges | None = None
        self._live_wanted.connect(self._start_live)
        self._go_online = go_online
        self._reconnect: OfflineReconnect | None = None
        self._offline_wanted.connect(self._start_offline)

    def store(self) -> Repository:
        """The store, opened (and migrated) on first use (call from a worker thread)."""
        with self._lock:
            if self._store is None:
                if self._open_store is not None:
                    self._store = self._open_store()
                else:
                    from desktop.core.store import Store

                    self._store = Store.open(self._paths)
                self._listen(self._store)
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
            unreachable = getattr(
                sys.modules.get("desktop.core.store.postgres.connection"),
                "TeamUnreachableError",
                None,
            )
            if unreachable is not None and isinstance(error, unreachable) and self._store is None:
                # The team database was down at start and there is no offline copy yet: the
                # list loads by itself once the server answers.
                self._reconnect_when_back()

        return report

    def load_details(self, profile_id: int) -> Task[ProfileDetails]:
        """Succeeds with the :class:`ProfileDetails` of one profile, with its history."""
        return self._run(
            "Opening the profile", lambda: self.inventory().profiles.details(profile_id)
        )

    def delete_profiles(self, ids: list[int], *, ticket: str = "") -> Task[str]:
        """Succeeds with a sentence saying what was deleted; *ticket* goes with the team
        database's audit rows of the delete."""

        def work() -> str:
            from desktop.core.team.leasing import leased
            from desktop.core.team.tickets import working_on

            inventory = self.inventory()
            profiles = inventory.profiles
            plan = profiles.plan_deletion(ids, self.catalog)
            # On the team database a colleague deleting the same profile refuses this one.
            held = [] if plan.blocked else [p.id for p in plan.profiles]
            with working_on(ticket), leased(inventory.store, "delete", held):
                profiles.delete(plan, self.catalog, self.remove_secret)
            return f"Deleted {len(plan.profiles)} app profile(s)."

        return self._run("Deleting app profiles", work)

    # -- customers and tenants --------------------------------------------------------------

    def load_customers(self) -> Task[CustomersSnapshot]:
        """Succeeds with a :class:`CustomersSnapshot`, for the customer dialog."""

        def work() -> CustomersSnapshot:
            inv = self.inventory()
            tenants: dict[int, list[Tenant]] = {}
            for tenant, _name in inv.tenants.list():
                tenants.setdefault(tenant.customer_id, []).append(tenant)
            return CustomersSnapshot(
                inv.customers.list(), inv.customers.counts(), tenants, inv.customers.versions()
            )

        return self._run("Loading customers", work)

    def add_customer(self, name: str, notes: str = "") -> Task[str]:
        """Succeeds with a sentence saying what was added."""

        def work() -> str:
            customer = self.inventory().customers.add(name, notes=notes)
            return f"Added the customer {customer.name}."

        return self._run("Adding a customer", work)

    def rename_customer(
        self,
        old: str,
        new: str,
        *,
        expected_version: int | None = None,
        customer_id: int | None = None,
    ) -> Task[str]:
        """Rename *old* (or the customer *customer_id*, whatever its name now); with
        *expected_version* a colleague's change meanwhile fails the task with
        ``StaleEditError`` (the dialog offers Reload or Overwrite)."""

        def work() -> str:
            customer = self.inventory().customers.rename(
                old if customer_id is None else customer_id,
                new,
                expected_version=expected_version,
            )
            return f"Renamed {old} to {customer.name}."

        return self._run("Renaming a customer", work)

    def set_notes(
        self, name: str, notes: str, *, expected_version: int | None = None
    ) -> Task[Customer]:
        """Save a customer's notes; succeeds with the customer as stored (its new version).

        With *expected_version* a colleague's change meanwhile fails the task with
        ``StaleEditError`` (the editor offers Reload or Overwrite). Notes appear on no list,
        so no list reloads while the technician types."""

        def work() -> Customer:
            return self.inventory().customers.set_notes(
                name, notes, expected_version=expected_version
            )

        return self._run("Saving notes", work)

    def set_aos_services(self, name: str, service_ids: tuple[str, ...]) -> Task[str]:
        def work() -> str:
            self.inventory().customers.set_aos_services(name, service_ids, self.catalog)
            return f"Saved the AOS services of {name}."

        return self._run("Saving AOS services", work)

    def plan_customer_removal(self, name: str) -> Task[CustomerRemovalPlan]:
        """Succeeds with the :class:`CustomerRemovalPlan` to confirm (or refuse) first."""
        return self._run(
            "Checking what the customer has",
            lambda: self.inventory().customers.plan_removal(name, self.catalog),
        )

    def remove_customer(self, plan: CustomerRemovalPlan) -> Task[str]:
        def work() -> str:
            self.inventory().customers.remove(plan, self.catalog, self.remove_secret)
            return f"Removed the customer {plan.customer.name}."

        return self._run("Removing a customer", work)

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

        return self._run("Adding a tenant", work)

    def plan_tenant_removal(self, tenant_id: str) -> Task[TenantRemovalPlan]:
        """Succeeds with the :class:`TenantRemovalPlan` to confirm (or refuse) first."""
        return self._run(
            "Checking what the tenant has",
            lambda: self.inventory().tenants.plan_removal(tenant_id, self.catalog),
        )

    def remove_tenant(self, plan: TenantRemovalPlan) -> Task[str]:
        def work() -> str:
            self.inventory().tenants.remove(plan, self.catalog, self.remove_secret)
            return f"Removed the tenant {plan.tenant.label}."

        return self._run("Removing a tenant", work)

    def lookup_tenant(self, domain: str, cloud: Cloud) -> Task[tuple[str, str, str]]:
        """Resolve *domain* online: succeeds with (domain, tenant ID, display name or "").
        The caller may cancel the returned task; a cancelled look-up reports neither its
        answer nor its failure."""

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

        return self._runner.submit("Looking up the tenant", work)

    def _signed_in_name(self, domain: str, cloud: Cloud) -> str | None:
        """The tenant's display name through the technician's sign-in (worker thread)."""
        from desktop.core.tenant_name import display_name_of, technician_of

        return display_name_of(domain, cloud, technician_of(self._paths, self.catalog))

    # -- the change feed --------------------------------------------------------------------

    def _listen(self, store: Repository) -> None:
        """Hear the store's announcements, and watch for other processes' writes."""
        offline = getattr(
            sys.modules.get("desktop.core.team.offline_repository"), "OfflineRepository", None
        )
        if offline is not None and isinstance(store, offline):
            # The team database's offline copy: nothing changes it; reconnect instead.
            self._offline_wanted.emit(store.copy.synced_at)
            return
        me = weakref.ref(self)

        def deliver(entries: Sequence[ChangeEntry]) -> None:
            controller = me()
            if controller is not None:
                controller._announced.emit(list(entries))

        unsubscribe = store.feed.subscribe(deliver)
        # Loaded if the store is one. Another thread may be importing it right now: a module
        # still without the class cannot have made this store.
        team = getattr(
            sys.modules.get("desktop.core.store.postgres.database"), "PostgresStore", None
        )
        if team is not None and isinstance(store, team):
            from desktop.controllers.team_live import listener_for

            # The team database pushes: its socket joins the event loop (no watcher thread).
            self._live_wanted.emit(store, listener_for(store, self._paths))
            weakref.finalize(self, unsubscribe)
            return
        path = getattr(store, "path", None)  # a store in a file: gone with its data folder
        watcher = ChangeWatcher(store, gone=None if path is None else lambda: not path.exists())
        watcher.start()
        self._watcher = watcher
        weakref.finalize(self, _stop_listening, watcher, unsubscribe)

    @Slot(object, object)
    def _start_live(self, store: Any, listener: Any) -> None:
        from desktop.controllers.team_live import LiveChanges

        live = LiveChanges(store, listener, self._runner, self)
        live.connection_changed.connect(self.team_connection_changed)
        live.start()
        self._live = live

    @Slot(object)
    def _start_offline(self, synced_at: Any) -> None:
        self.team_offline_copy.emit(synced_at)
        self.team_connection_changed.emit(False)
        self._reconnect_when_back()

    def _reconnect_when_back(self) -> None:
        """Try the team database again and again until it answers (unless trying already)."""
        if self._go_online is None or (self._reconnect is not None and self._reconnect.active):
            return
        from desktop.controllers.team_live import OfflineReconnect

        reconnect = OfflineReconnect(self._go_online, self._runner, self)
        reconnect.online.connect(self._on_online)
        reconnect.start()
        self._reconnect = reconnect

    def _on_online(self, store: Any) -> None:
        """The team database answers again: use it, follow it live, and read the list."""
        with self._lock:
            self._store = store
            self._inventory = None
        self.reload_needed.emit()
        self.customers_changed.emit()
        # The live connection says when it is up (the banner goes); its password may come
        # from the keyring: off the GUI thread.
        self._runner.submit(
            "follow the team database's changes", lambda _t, _p: self._listen(store)
        )

    def stop_watching(self) -> None:
        """Stop reading other processes' changes (the window closes)."""
        if self._reconnect is not None:
            self._reconnect.stop()
        if self._live is not None:
            self._live.stop()
        if self._watcher is not None:
            self._watcher.stop(timeout=0)

    def _on_announced(self, entries: list[ChangeEntry]) -> None:
        self._announcements.extend(entries)
        if not self._settle.isActive():
            self._settle.start()

    def _apply_announcements(self) -> None:
        entries, self._announcements = self._announcements, []
        reload = customers = False
        changed: dict[int, None] = {}
        removed: dict[int, None] = {}
        for entry in entries:
            entity, kind, ids = entry.entity, entry.kind, entry.ids
            if entity is EntityKind.EVERYTHING:
                reload = customers = True
            elif entity is EntityKind.CUSTOMER:
                if entry.change.fields == ("notes",):
                    continue  # notes are on no list; the dialog already shows what was typed
                customers = True
                # The list shows customers' names, and an empty list offers what is next.
                if kind is not ChangeKind.UPDATED or "name" in entry.change.fields:
                    reload = True
            elif entity is EntityKind.TENANT:
                customers = True
            elif entity is EntityKind.PROFILE:
                # The dialog counts each customer's profiles; a check changes no count.
                customers = customers or kind is not ChangeKind.UPDATED
                target = removed if kind is ChangeKind.REMOVED else changed
                target.update(dict.fromkeys(int(i) for i in ids))
        for profile_id in removed:
            changed.pop(profile_id, None)
        if customers:
            self.customers_changed.emit()
        if reload or len(changed) + len(removed) > MAX_PRECISE:
            self.reload_needed.emit()
            return
        if not changed:
            if removed:
                self.profiles_changed.emit(ProfileChanges([], tuple(removed)))
            return
        wanted = list(changed)

        def read(token: CancelToken, progress: Progress) -> ProfileChanges:
            with self.store().reading() as uow:
                return ProfileChanges(uow.profiles.rows_by_id(wanted), tuple(removed))

        task = self._runner.submit("Reading changed app profiles", read)
        task.succeeded.connect(self.profiles_changed.emit)
        # A failed re-read (the store is locked) falls back to reading everything.
        task.failed.connect(lambda _error: self.reload_needed.emit())

    # -- plumbing ---------------------------------------------------------------------------

    def _run(self, name: str, fn: Callable[[], T]) -> Task[T]:
        """Run *fn* on a worker; its result and failure go to the returned task only."""
        return self._runner.submit(name, lambda token, progress: fn())


def _stop_listening(watcher: ChangeWatcher, unsubscribe: Callable[[], None]) -> None:
    unsubscribe()
    watcher.stop(timeout=0)
