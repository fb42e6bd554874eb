"""Puts the profile list into the main window as its first tab and connects its requests."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from desktop.controllers.inventory import InventoryController

from desktop.ui.dialogs import UserDialogs
from desktop.ui.main_window import MainWindow
from desktop.ui.profiles.page import ProfilesPage

if TYPE_CHECKING:
    from desktop.controllers.tenant_access import TenantAccessController

    from desktop.ui.profiles.customers_dialog import CustomersDialog

PERMISSIONS_TAB = "Permissions"


def show_permissions_tab(window: MainWindow, dialogs: UserDialogs) -> None:
    """Switch to the offline permissions browser, if this build has one."""
    for index in range(window.tabs.count()):
        if window.tabs.tabText(index).replace("&", "") == PERMISSIONS_TAB:
            window.tabs.setCurrentIndex(index)
            return
    dialogs.info("Permissions", "The offline permissions browser is not available in this build.")


def add_profiles_page(
    window: MainWindow, controller: InventoryController, dialogs: UserDialogs
) -> ProfilesPage:
    """Create the page, add it as the current tab (Ctrl+1) and start loading the list."""
    page = ProfilesPage(controller, dialogs, window)
    index = window.add_page(page, "&Profiles", "Ctrl+1")
    window.tabs.tabBar().moveTab(index, 0)
    window.tabs.setCurrentWidget(page)
    page.browse_permissions_requested.connect(lambda: show_permissions_tab(window, dialogs))
    opener = CustomersOpener(page, controller, dialogs)
    page.customers_requested.connect(lambda: opener.open())
    page.start()
    return page


def customers_opener(page: ProfilesPage) -> CustomersOpener:
    """The page's opener of Customers and tenants (made by :func:`add_profiles_page`)."""
    opener = page.findChild(CustomersOpener)
    assert isinstance(opener, CustomersOpener)
    return opener


class CustomersOpener(QObject):
    """Opens one customer dialog at a time (non-modal, so the list stays usable).

    Attributes:
        access_factory: makes the GDAP access controller, for the dialog's "What can I do in
            this tenant?" panel (None: no panel).
        on_dialog: called with each new dialog.

    Signals:
        sign_in_requested(): the access panel's Sign in was pressed: open the technician's
            sign-in (the Account menu's).
    """

    sign_in_requested = Signal()

    def __init__(
        self, page: ProfilesPage, controller: InventoryController, dialogs: UserDialogs
    ) -> None:
        super().__init__(page)
        self._page = page
        self._controller = controller
        self._dialogs = dialogs
        self.dialog: CustomersDialog | None = None
        self.access_factory: Callable[[], TenantAccessController] | None = None
        #: Called with each new dialog (the owner connects what it needs).
        self.on_dialog: Callable[[CustomersDialog], None] | None = None

    def open(self, tenant_id: str = "") -> CustomersDialog:
        """Show the dialog (at *tenant_id*'s customer and tenant when given)."""
        if self.dialog is None:
            from desktop.ui.profiles.customers_dialog import CustomersDialog  # when first opened

            access = self.access_factory() if self.access_factory is not None else None
            self.dialog = CustomersDialog(self._controller, self._dialogs, self._page, access)
            if self.dialog.access_panel is not None:
                self.dialog.access_panel.sign_in_requested.connect(self.sign_in_requested)
            self.dialog.finished.connect(self._closed)
            if self.on_dialog is not None:
                self.on_dialog(self.dialog)
        if tenant_id:
            self.dialog.show_tenant_when_loaded(tenant_id)
        self.dialog.show()
        self.dialog.raise_()
        self.dialog.activateWindow()
        return self.dialog

    def _closed(self) -> None:
        if self.dialog is not None:
            self.dialog.deleteLater()
        self.dialog = None
