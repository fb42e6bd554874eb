"""Connects the profile list's "Create app profile" action to the create wizard.

Everything behind the wizard (identity, certificates, Graph) loads when the wizard first
opens, not at start: the start path stays free of heavy libraries.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from desktop.controllers.inventory import InventoryController
from desktop.controllers.tasks import TaskRunner
from desktop.core.catalog.model import Catalog
from desktop.core.paths import DataPaths

if TYPE_CHECKING:
    from desktop.controllers.wizard import WizardServices

    from desktop.ui.profiles.page import ProfilesPage
    from desktop.ui.wizard.launcher import WizardLauncher


class CreateWizardOpener:
    """Builds the launcher on first use and keeps it for later runs.

    Attributes:
        launcher: the wizard launcher, once the wizard has been opened.
    """

    def __init__(
        self,
        window: QWidget,
        page: ProfilesPage,
        inventory: InventoryController,
        runner: TaskRunner,
        catalog: Catalog,
        paths: DataPaths,
    ) -> None:
        self._window = window
        self._page = page
        self._inventory = inventory
        self._runner = runner
        self._catalog = catalog
        self._paths = paths
        self.launcher: WizardLauncher | None = None

    def open(self) -> None:
        if self.launcher is None:
            self.launcher = self._build()
        self.launcher.open()

    def _reauthorize(self, profile_id: int) -> None:
        """Re-authorize an existing profile the wizard found, as the list's action does."""
        handler = self._page.reauthorize_handler
        if handler is not None:
            handler([profile_id])

    def _build(self) -> WizardLauncher:
        from desktop.controllers.wizard import WizardServices
        from desktop.core.cancel import CancelToken, Progress
        from desktop.core.wizard.backend import WizardBackend

        from desktop.ui.wizard.launcher import WizardLauncher

        paths, catalog, inventory = self._paths, self._catalog, self._inventory
        backend = WizardBackend(paths, catalog, inventory.inventory)

        def check_new(ids: list[int], token: CancelToken, progress: Progress) -> object:
            # Built inside the Save task (a worker thread): it reads settings and the keyring.
            from desktop.core.checks.wiring import build_check_service

            service = build_check_service(paths, catalog, inventory.inventory())
            return service.check(ids, token=token, progress=progress)

        def services() -> WizardServices:
            return WizardServices(
                engine=backend,
                load_directory=backend.load_directory,
                lookup_tenant=backend.lookup_tenant,
                tenant_name=backend.tenant_name,
                save=backend.save,
                roles=backend,
                discard_certificate=backend.discard_certificate,
                check_new=check_new,
            )

        launcher = WizardLauncher(lambda: catalog, services, self._runner, self._window)
        # The list reloads and shows the new profiles selected, clearing a filter that hid them.
        launcher.profiles_saved.connect(
            lambda profiles: self._page.show_saved([p.id for p in profiles if p.id is not None])
        )
        launcher.reauthorize_requested.connect(self._reauthorize)
        return launcher


def add_create_wizard(
    window: QWidget,
    page: ProfilesPage,
    inventory: InventoryController,
    runner: TaskRunner,
    catalog: Catalog,
    paths: DataPaths,
) -> CreateWizardOpener:
    """The page's Create action opens the wizard; after Save the list shows the new rows."""
    opener = CreateWizardOpener(window, page, inventory, runner, catalog, paths)
    page.create_handler = opener.open
    return opener
