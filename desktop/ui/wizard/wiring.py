"""Connects the profile list's "Create app profile" action to the create wizard."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from desktop.controllers.inventory import InventoryController
from desktop.controllers.tasks import TaskRunner
from desktop.controllers.wizard import WizardServices
from desktop.core.cancel import CancelToken, Progress
from desktop.core.catalog.model import Catalog
from desktop.core.paths import DataPaths
from desktop.core.wizard.backend import WizardBackend

from desktop.ui.profiles.page import ProfilesPage
from desktop.ui.wizard.launcher import WizardLauncher


def add_create_wizard(
    window: QWidget,
    page: ProfilesPage,
    inventory: InventoryController,
    runner: TaskRunner,
    catalog: Catalog,
    paths: DataPaths,
) -> WizardLauncher:
    """The page's Create action opens the wizard; after Save the list reloads."""
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
            save=backend.save,
            roles=backend,
            discard_certificate=backend.discard_certificate,
            check_new=check_new,
        )

    launcher = WizardLauncher(lambda: catalog, services, runner, window)
    page.create_handler = launcher.open
    launcher.profiles_saved.connect(lambda _profiles: page.reload())
    return launcher
