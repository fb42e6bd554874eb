"""Puts GDAP partner access into the window: the Customers and tenants dialog's "What can I do
in this tenant?" panel, and a failed check's "Connect this tenant" opening it at that tenant.

The controller is made when the dialog first opens; what its calls need (the technician's
session, the inventory, the checks) is built on a worker thread each time, from Settings as
they are then.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from desktop.controllers.tasks import TaskRunner
from desktop.core.catalog.model import AppType
from desktop.core.domain import Cloud
from desktop.core.errors import UserError
from desktop.core.services import CoreServices

from desktop.ui.main_window import MainWindow
from desktop.ui.profiles.page import ProfilesPage
from desktop.ui.profiles.wiring import CustomersOpener, customers_opener

if TYPE_CHECKING:
    from desktop.controllers.tenant_access import GdapParts, TenantAccessController


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


def add_tenant_access(
    window: MainWindow,
    page: ProfilesPage,
    runner: TaskRunner,
    services: CoreServices,
    sign_in: Callable[[], None] | None = None,
) -> CustomersOpener:
    """Give Customers and tenants its access panel; Find existing consents reloads the list."""
    parts = gdap_parts(services)
    made: list[TenantAccessController] = []

    def controller() -> TenantAccessController:
        if not made:
            from desktop.controllers.tenant_access import TenantAccessController

            access = TenantAccessController(runner, parts, window)
            access.profiles_added.connect(page.reload)
            made.append(access)
        return made[0]

    opener = customers_opener(page)
    opener.access_factory = controller
    opener.sign_in_handler = sign_in
    return opener
