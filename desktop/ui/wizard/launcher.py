"""Opens the create wizard from the profile list: one run at a time, fresh state each run."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QWidget

from desktop.controllers.tasks import TaskRunner
from desktop.controllers.wizard import WizardController, WizardServices
from desktop.core.catalog.model import Catalog
from desktop.core.wizard import CreateProfileWizard

from desktop.ui.consent_access_notice import ConsentAccessNotice
from desktop.ui.wizard.dialog import CreateProfileDialog


class WizardLauncher(QObject):
    """Builds a step machine, a controller and the wizard window for each run.

    Signals:
        profiles_saved(object): the saved AppProfiles (the list reloads to show them).
        reauthorize_requested(int): re-authorize this existing profile instead of a duplicate.

    Attributes:
        dialog: the open wizard, or None.
    """

    profiles_saved = Signal(object)
    reauthorize_requested = Signal(int)
    settings_requested = Signal(object)

    def __init__(
        self,
        catalog: Callable[[], Catalog],
        services: Callable[[], WizardServices],
        runner: TaskRunner,
        parent: QWidget,
        *,
        client_ids: Callable[[], Mapping[str, str]] = dict,
    ) -> None:
        super().__init__(parent)
        self._catalog = catalog
        self._services = services
        self._runner = runner
        self._parent = parent
        self._client_ids = client_ids
        self.dialog: CreateProfileDialog | None = None
        #: Makes the Consent step's notice (can you consent here?); None: no notice.
        self.access_notice: Callable[[QWidget], ConsentAccessNotice] | None = None

    @Slot()
    def open(self) -> None:
        """Show the wizard (or bring the open one to the front)."""
        if self.dialog is None:
            machine = CreateProfileWizard(self._catalog(), client_ids=self._client_ids())
            controller = WizardController(machine, self._services(), self._runner, self)
            self.dialog = CreateProfileDialog(controller, self._parent)
            page = self.dialog.consent_page
            if self.access_notice is not None:
                page.set_access_notice(self.access_notice(page))
            page.settings_requested.connect(self.settings_requested)
            self.dialog.profiles_saved.connect(self.profiles_saved)
            self.dialog.reauthorize_requested.connect(self.reauthorize_requested)
            self.dialog.finished.connect(self._closed)
            self.dialog.start()
        self.dialog.activateWindow()

    @Slot()
    def settings_saved(self) -> None:
        """Settings changed: the open wizard reads the client IDs again."""
        if self.dialog is not None:
            self.dialog.controller.load_directory()

    @Slot()
    def _closed(self) -> None:
        if self.dialog is not None:
            self.dialog.controller.deleteLater()
            self.dialog.deleteLater()
        self.dialog = None
