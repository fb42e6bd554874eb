"""Puts the profile list into the main window as its first tab and connects its requests."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from desktop.controllers.inventory import InventoryController

from desktop.ui.dialogs import UserDialogs
from desktop.ui.main_window import MainWindow
from desktop.ui.profiles.page import ProfilesPage

if TYPE_CHECKING:
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
    opener = _CustomersOpener(page, controller, dialogs)
    page.customers_requested.connect(opener.open)
    page.start()
    return page


class _CustomersOpener(QObject):
    """Opens one customer dialog at a time (non-modal, so the list stays usable)."""

    def __init__(
        self, page: ProfilesPage, controller: InventoryController, dialogs: UserDialogs
    ) -> None:
        super().__init__(page)
        self._page = page
        self._controller = controller
        self._dialogs = dialogs
        self.dialog: CustomersDialog | None = None

    def open(self) -> None:
        if self.dialog is None:
            from desktop.ui.profiles.customers_dialog import CustomersDialog  # when first opened

            self.dialog = CustomersDialog(self._controller, self._dialogs, self._page)
            self.dialog.finished.connect(self._closed)
        self.dialog.show()
        self.dialog.raise_()
        self.dialog.activateWindow()

    def _closed(self) -> None:
        if self.dialog is not None:
            self.dialog.deleteLater()
        self.dialog = None
