"""Puts GDAP partner access into the window: the Customers and tenants dialog's "What can I do
in this tenant?" panel, and a failed check's "Connect this tenant" opening it at that tenant.

The controller is made when the dialog first opens; what its calls need (the technician's
session, the inventory, the checks) is built on a worker thread each time, from Settings as
they are then.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget

from desktop.controllers.tasks import TaskRunner
from desktop.core.catalog.model import AppType
from desktop.core.domain import Cloud
from desktop.core.errors import UserError
from desktop.core.services import CoreServices

from desktop.ui.main_window import MainWindow
from desktop.ui.profiles.page import ProfilesPage
from desktop.ui.profiles.wiring import customers_opener

if TYPE_CHECKING:
    from desktop.controllers.tenant_access import GdapParts, TenantAccessController

    from desktop.ui.consent_access_notice import ConsentAccessNotice


def gdap_parts(services: CoreServices) -> Callable[[], GdapParts]:
    """Builds the GDAP calls' collaborators (on a worker thread) from the core services."""

    def build() -> GdapParts:
        from desktop.controllers.tenant_access import GdapParts

        identity = services.identity()  # Settings as they are now

        def client_id_in(app: AppType, cloud: Cloud) -> str | None:
            try:
                return identity.publisher_client_id(app, cloud)
            except UserError:
                return None

        def check_ids(ids: list[int]) -> dict[int, tuple[str, str]]:
            outcome = services.check_service().check(ids)
            return {r.id: (r.status.value, r.reason) for r in outcome.results}

        return GdapParts(
            identity.technician_session(),
            services.catalog,
            services.inventory(),
            client_id_in,
            check_ids,
            timeout=float(identity.settings.consent_timeout_seconds),
            landing=identity.settings.consent_link_redirect_uri,
        )

    return build


class TenantAccessUi:
    """The GDAP parts of the window: Customers and tenants' access panel, and the notice
    before Authenticate (the wizard's Consent step, the Re-authorize dialog).

    Attributes:
        customers: opens Customers and tenants (at a tenant: a failed check's Connect).
        connect_action: Profiles → Connect this tenant…: Customers and tenants at the
            selected profile's tenant, where its access shows and Connect is one click.
    """

    def __init__(
        self,
        window: MainWindow,
        page: ProfilesPage,
        runner: TaskRunner,
        services: CoreServices,
        sign_in: Callable[[], None] | None = None,
    ) -> None:
        self._window = window
        self._page = page
        self._runner = runner
        self._parts = gdap_parts(services)
        self._sign_in = sign_in
        self._shared: TenantAccessController | None = None
        self.customers = customers_opener(page)
        self.customers.access_factory = self.controller
        self.customers.sign_in_handler = sign_in
        self.connect_action = QAction("Co&nnect this tenant…", window)
        self.connect_action.setObjectName("ConnectTenantAction")
        self.connect_action.setStatusTip(
            "See what you can do in the selected profile's tenant, and connect it to your "
            "partner sign-in"
        )
        self.connect_action.triggered.connect(self.connect_selected)

    def connect_selected(self) -> None:
        """Open Customers and tenants at the selected profile's tenant (the first selected)."""
        rows = self._page.selected_rows()
        tenant_id = self._page.model.row_at(rows[0]).tenant_id if rows else ""
        self.customers.open(tenant_id)

    def controller(self) -> TenantAccessController:
        """The controller of the Customers and tenants panel (made on first use)."""
        if self._shared is None:
            self._shared = self._make(self._window)
        return self._shared

    def _make(self, parent: QObject) -> TenantAccessController:
        from desktop.controllers.tenant_access import TenantAccessController

        access = TenantAccessController(self._runner, self._parts, parent)
        access.profiles_added.connect(self._page.reload)
        return access

    def notice(self, parent: QWidget) -> ConsentAccessNotice:
        """A "can you consent here?" notice with its own controller (it lives with *parent*)."""
        from desktop.ui.consent_access_notice import ConsentAccessNotice

        notice = ConsentAccessNotice(self._make(parent), parent)
        notice.sign_in_handler = self._sign_in
        return notice


def add_tenant_access(
    window: MainWindow,
    page: ProfilesPage,
    runner: TaskRunner,
    services: CoreServices,
    sign_in: Callable[[], None] | None = None,
) -> TenantAccessUi:
    """Give Customers and tenants its access panel (Find existing consents reloads the list),
    and make the notices shown before Authenticate."""
    return TenantAccessUi(window, page, runner, services, sign_in)
