"""GDAP partner access to a customer tenant, off the GUI thread: what the technician can do
there, Connect this tenant, the consent link for the customer's admin, Find existing consents.

The core calls are the CLI's (``tenants access|connect|discover``); the collaborators they
need (the technician's session, the inventory, the checks) are built on a worker thread by
*parts*, so Settings changed since the window opened are used.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal, Slot

from desktop.controllers.tasks import Task, TaskRunner
from desktop.core.cancel import CancelToken, Progress
from desktop.core.domain import Tenant
from desktop.core.errors import UserError

if TYPE_CHECKING:
    from desktop.core.catalog.model import Catalog
    from desktop.core.identity.gdap import ConnectVia
    from desktop.core.identity.onboard import CheckIds, ClientIdIn
    from desktop.core.identity.signin import TechnicianSession
    from desktop.core.inventory.service import Inventory


@dataclass
class GdapParts:
    """What the GDAP calls need, built on a worker thread."""

    session: TechnicianSession
    catalog: Catalog
    inventory: Inventory
    client_id_in: ClientIdIn
    check_ids: CheckIds
    #: The browser timeout for admin consent, in seconds (Settings).
    timeout: float = 300.0
    #: The consent link's landing page (Settings; "" for the local address).
    landing: str = ""


PartsFactory = Callable[[], GdapParts]

#: The actions, as the failed signal names them.
ACCESS, CONNECT, LINK, DISCOVER = (
    "What can I do here?",
    "Connect this tenant",
    "Consent link",
    "Find existing consents",
)


class TenantAccessController(QObject):
    """Runs the GDAP actions for one tenant at a time; reads of access run beside them.

    Signals:
        access_ready(object): a :class:`~desktop.core.identity.gdap.TenantAccess`.
        connected(object): a :class:`~desktop.core.identity.gdap.ConnectResult`.
        link_ready(str, str): the tenant ID and the consent link for its administrator.
        discovered(object): a :class:`~desktop.core.identity.onboard.DiscoverReport`.
        profiles_added(): Find existing consents added profiles (the list reloads).
        progressed(str): what the running action waits for.
        failed(str, object): the action's name and its :class:`UserError`.
        cancelled(str): the action the technician cancelled.
        busy_changed(bool): whether an action (not a read) is running.
    """

    access_ready = Signal(object)
    connected = Signal(object)
    link_ready = Signal(str, str)
    discovered = Signal(object)
    profiles_added = Signal()
    progressed = Signal(str)
    failed = Signal(str, object)
    cancelled = Signal(str)
    busy_changed = Signal(bool)

    def __init__(
        self, runner: TaskRunner, parts: PartsFactory, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._parts = parts
        self._action: Task[Any] | None = None
        #: The tenant whose access was asked for last: older answers are dropped.
        self._reading = ""

    @property
    def busy(self) -> bool:
        return self._action is not None

    # -- reads -------------------------------------------------------------------------------

    def read_access(self, tenant: Tenant) -> Task[Any]:
        """Whether *tenant* is connected, the technician's roles there, what they may consent."""
        parts = self._parts
        self._reading = tenant.tenant_id

        def work(token: CancelToken, progress: Progress) -> Any:
            from desktop.core.endpoints import endpoints_for
            from desktop.core.identity.gdap import tenant_access

            built = parts()
            return tenant_access(
                built.session,
                endpoints_for(tenant.cloud),
                tenant.tenant_id,
                built.catalog,
                label=tenant.label,
            )

        task = self._runner.submit("Reading your access", work)
        task.succeeded.connect(self._on_access)
        task.failed.connect(lambda error: self._on_read_failed(tenant, error))
        return task

    @Slot(object)
    def _on_access(self, access: Any) -> None:
        if access.tenant_id.lower() == self._reading.lower():
            self.access_ready.emit(access)

    def _on_read_failed(self, tenant: Tenant, error: object) -> None:
        if tenant.tenant_id == self._reading:
            self.failed.emit(ACCESS, error)

    # -- actions -----------------------------------------------------------------------------

    def connect_tenant(self, tenant: Tenant, via: ConnectVia) -> Task[Any] | None:
        """Authorize the sign-in app in *tenant* and prove it with a token there; None when
        another action is running."""
        parts = self._parts

        def work(token: CancelToken, progress: Progress) -> Any:
            from desktop.core.endpoints import endpoints_for
            from desktop.core.identity.gdap import connect_tenant
            from desktop.core.identity.onboard import check_route

            check_route(tenant, via)
            built = parts()
            return connect_tenant(
                built.session,
                endpoints_for(tenant.cloud),
                tenant.tenant_id,
                built.catalog,
                via=via,
                label=tenant.label,
                timeout=built.timeout,
                cancel=token,
                progress=progress,
            )

        task = self._start(CONNECT, work)
        if task is not None:
            task.succeeded.connect(self._on_connected)
        return task

    @Slot(object)
    def _on_connected(self, result: Any) -> None:
        self.connected.emit(result)
        if result.access.tenant_id.lower() == self._reading.lower():
            self.access_ready.emit(result.access)

    def consent_link(self, tenant: Tenant) -> Task[Any] | None:
        """The admin-consent link that connects *tenant*, for its administrator to open."""
        parts = self._parts

        def work(token: CancelToken, progress: Progress) -> str:
            from desktop.core.endpoints import endpoints_for
            from desktop.core.identity.onboard import sign_in_consent_link

            built = parts()
            return sign_in_consent_link(
                built.session, endpoints_for(tenant.cloud), tenant.tenant_id, built.landing
            )

        task = self._start(LINK, work)
        if task is not None:
            task.succeeded.connect(lambda link: self.link_ready.emit(tenant.tenant_id, link))
        return task

    def discover(self, tenant: Tenant) -> Task[Any] | None:
        """Find existing consents in *tenant*, add profiles for the new ones and check them."""
        parts = self._parts

        def work(token: CancelToken, progress: Progress) -> Any:
            from desktop.core.endpoints import endpoints_for
            from desktop.core.identity.onboard import discover_tenant

            built = parts()
            progress(0, 0, f"Reading which publisher apps are consented in {tenant.label}…")
            return discover_tenant(
                built.session,
                endpoints_for(tenant.cloud),
                tenant,
                built.catalog,
                built.inventory,
                built.client_id_in,
                built.check_ids,
            )

        task = self._start(DISCOVER, work)
        if task is not None:
            task.succeeded.connect(self._on_discovered)
        return task

    @Slot(object)
    def _on_discovered(self, report: Any) -> None:
        self.discovered.emit(report)
        if report.added:
            self.profiles_added.emit()

    @Slot()
    def cancel(self) -> None:
        """Stop the running action at its next check point (a browser wait ends at once)."""
        if self._action is not None:
            self._action.cancel()

    def _start(self, name: str, work: Callable[[CancelToken, Progress], Any]) -> Task[Any] | None:
        if self._action is not None:
            return None
        task = self._runner.submit(name, work)
        self._action = task
        task.progressed.connect(lambda _d, _t, text: self.progressed.emit(text))
        task.failed.connect(lambda error: self._on_failed(name, error))
        task.cancelled.connect(lambda: self.cancelled.emit(name))
        task.finished.connect(self._on_finished)
        self.busy_changed.emit(True)
        return task

    def _on_failed(self, name: str, error: object) -> None:
        assert isinstance(error, UserError)
        self.failed.emit(name, error)

    @Slot()
    def _on_finished(self) -> None:
        self._action = None
        self.busy_changed.emit(False)
