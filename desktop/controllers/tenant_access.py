"""GDAP partner access to a customer tenant, off the GUI thread: what the technician can do
there, Connect this tenant, the consent link for the customer's admin, Find existing consents.

The calls are the CLI's (``tenants access|connect|discover``, :mod:`desktop.core.partner_access`)
made through *calls* (:class:`GdapCalls`) on a worker thread, with Settings as they are then.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QObject, Signal, Slot

from desktop.controllers.tasks import Task, TaskRunner
from desktop.core.cancel import CancelToken, Progress
from desktop.core.domain import Tenant
from desktop.core.errors import UserError

if TYPE_CHECKING:
    from desktop.core.identity.gdap import ConnectResult, ConnectVia, TenantAccess
    from desktop.core.partner_access import Discovery


class GdapCalls(Protocol):
    """The GDAP use cases for one tenant (run on a worker thread; each raises UserError)."""

    def access(self, tenant: Tenant) -> TenantAccess: ...

    def connect(
        self, tenant: Tenant, via: ConnectVia, cancel: CancelToken, progress: Progress
    ) -> ConnectResult: ...

    def consent_link(self, tenant: Tenant) -> str: ...

    def discover(self, tenant: Tenant, cancel: CancelToken, progress: Progress) -> Discovery: ...


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
        discovered(object): a :class:`~desktop.core.partner_access.Discovery`.
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

    def __init__(self, runner: TaskRunner, calls: GdapCalls, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._calls = calls
        self._action: Task[Any] | None = None
        #: The tenant whose access was asked for last: older answers are dropped.
        self._reading = ""

    @property
    def busy(self) -> bool:
        return self._action is not None

    # -- reads -------------------------------------------------------------------------------

    def read_access(self, tenant: Tenant) -> Task[Any]:
        """Whether *tenant* is connected, the technician's roles there, what they may consent."""
        calls = self._calls
        self._reading = tenant.tenant_id
        task = self._runner.submit("Reading your access", lambda _t, _p: calls.access(tenant))
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
        calls = self._calls

        def work(token: CancelToken, progress: Progress) -> ConnectResult:
            return calls.connect(tenant, via, token, progress)

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
        calls = self._calls
        task = self._start(LINK, lambda _t, _p: calls.consent_link(tenant))
        if task is not None:
            task.succeeded.connect(lambda link: self.link_ready.emit(tenant.tenant_id, link))
        return task

    def discover(self, tenant: Tenant) -> Task[Any] | None:
        """Find existing consents in *tenant*, add profiles for the new ones and check them."""
        calls = self._calls

        def work(token: CancelToken, progress: Progress) -> Discovery:
            return calls.discover(tenant, token, progress)

        task = self._start(DISCOVER, work)
        if task is not None:
            task.succeeded.connect(self._on_discovered)
        return task

    @Slot(object)
    def _on_discovered(self, found: Any) -> None:
        self.discovered.emit(found)
        if found.added:
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
