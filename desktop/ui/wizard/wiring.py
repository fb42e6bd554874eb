"""Connects the profile list's "Create app profile" action to the create wizard.

Everything behind the wizard (identity, certificates, Graph) loads when the wizard first
opens, not at start: the start path stays free of heavy libraries.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QWidget

from desktop.controllers.tasks import TaskRunner

if TYPE_CHECKING:
    from desktop.core.services import CoreServices

    from desktop.ui.consent_access_notice import ConsentAccessNotice
    from desktop.ui.profiles.page import ProfilesPage
    from desktop.ui.wizard.launcher import WizardLauncher


class CreateWizardOpener(QObject):
    """Builds the launcher on first use and keeps it for later runs (it lives with the window).

    Signals:
        settings_requested(object): a consent row's missing client ID: open Settings at that
            field (a :class:`SettingTarget`).

    Attributes:
        launcher: the wizard launcher, once the wizard has been opened.
    """

    settings_requested = Signal(object)

    def __init__(
        self,
        window: QWidget,
        page: ProfilesPage,
        runner: TaskRunner,
        services: CoreServices,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._page = page
        self._runner = runner
        self._services = services
        self.launcher: WizardLauncher | None = None
        #: Makes the Consent step's "can you consent here?" notice; None: none is shown.
        self.access_notice: Callable[[QWidget], ConsentAccessNotice] | None = None

    @Slot()
    def settings_saved(self) -> None:
        """Settings changed: an open wizard reads the client IDs again."""
        if self.launcher is not None:
            self.launcher.settings_saved()

    @Slot()
    def open(self) -> None:
        if self.launcher is None:
            self.launcher = self._build()
        self.launcher.open()

    @Slot(int)
    def _reauthorize(self, profile_id: int) -> None:
        """Re-authorize an existing profile the wizard found, as the list's action does."""
        self._page.reauthorize_requested.emit([profile_id])

    def _build(self) -> WizardLauncher:
        from desktop.controllers.wizard import WizardServices

        from desktop.ui.wizard.launcher import WizardLauncher

        core = self._services
        catalog = core.catalog
        launcher = WizardLauncher(
            lambda: catalog, lambda: WizardServices.over(core), self._runner, self._window
        )
        # The list reloads and shows the new profiles selected, clearing a filter that hid them.
        launcher.profiles_saved.connect(
            lambda profiles: self._page.show_saved([p.id for p in profiles if p.id is not None])
        )
        launcher.reauthorize_requested.connect(self._reauthorize)
        launcher.access_notice = self.access_notice
        launcher.settings_requested.connect(self.settings_requested)
        return launcher


def add_create_wizard(
    window: QWidget,
    page: ProfilesPage,
    runner: TaskRunner,
    services: CoreServices,
) -> CreateWizardOpener:
    """The page's Create action opens the wizard; after Save the list shows the new rows."""
    opener = CreateWizardOpener(window, page, runner, services)
    page.create_requested.connect(opener.open)
    return opener
