"""Puts GDAP partner access into the window: the Customers and tenants dialog's "What can I do
in this tenant?" panel, and a failed check's "Connect this tenant" opening it at that tenant.

The controller is made when the dialog first opens; its calls are the core's
(:class:`desktop.core.partner_access.PartnerAccessCalls`), and what they need (the technician's
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
from desktop.core.services import CoreServices

from desktop.ui.main_window import MainWindow
from desktop.ui.profiles.page import ProfilesPage
from desktop.ui.profiles.wiring import customers_opener

if TYPE_CHECKING:
    from desktop.controllers.tenant_access import TenantAccessController
    from desktop.core.partner_access import PartnerAccessCalls

    from desktop.ui.account import AccountUi
    from desktop.ui.consent_access_notice import ConsentAccessNotice
    from desktop.ui.profiles.customers_dialog import CustomersDialog


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
        account: AccountUi | None = None,
    ) -> None:
        self._window = window
        self._page = page
        self._runner = runner
        self._services = services
        self._calls: PartnerAccessCalls | None = None
        self._account = account
        self._shared: TenantAccessController | None = None
        self.customers = customers_opener(page)
        self.customers.access_factory = self.controller
        if account is not None:
            self.customers.sign_in_requested.connect(account.sign_in_action.trigger)
        self.customers.on_dialog = self._dialog_made
        self.connect_action = QAction("Co&nnect this tenant…", window)
        self.connect_action.setObjectName("ConnectTenantAction")
        self.connect_action.setStatusTip(
            "See what you can do in the selected profile's tenant, and connect it to your "
            "partner sign-in"
        )
        self.connect_action.triggered.connect(self.connect_selected)

    def _after_sign_in(self, refresh: Callable[[], None]) -> None:
        """Read the access again once the technician has signed in (the Account menu's sign-in
        made after the window's first paint, like whatever asks for it here)."""
        if self._account is not None:
            self._account.controller.signed_in.connect(lambda _who: refresh())

    def _dialog_made(self, dialog: CustomersDialog) -> None:
        if dialog.access_panel is not None:
            self._after_sign_in(dialog.access_panel.refresh)

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

        if self._calls is None:  # imported here: the GDAP code costs nothing at start
            from desktop.core.partner_access import PartnerAccessCalls

            self._calls = PartnerAccessCalls(self._services)
        access = TenantAccessController(self._runner, self._calls, parent)
        access.profiles_added.connect(self._page.reload)
        return access

    def notice(self, parent: QWidget) -> ConsentAccessNotice:
        """A "can you consent here?" notice with its own controller (it lives with *parent*)."""
        from desktop.ui.consent_access_notice import ConsentAccessNotice

        notice = ConsentAccessNotice(self._make(parent), parent)
        if self._account is not None:
            notice.sign_in_requested.connect(self._account.sign_in_action.trigger)
        self._after_sign_in(notice.refresh)
        return notice


def add_tenant_access(
    window: MainWindow,
    page: ProfilesPage,
    runner: TaskRunner,
    services: CoreServices,
    account: AccountUi | None = None,
) -> TenantAccessUi:
    """Give Customers and tenants its access panel (Find existing consents reloads the list),
    and make the notices shown before Authenticate."""
    return TenantAccessUi(window, page, runner, services, account)
