"""Shows the first-run page instead of the empty profile list while no sign-in client ID is set
for the Global cloud; saves the client ID it is given and signs in through the Account menu's
sign-in, and gives the list its usual next steps back once that succeeds (or once Settings has
a client ID)."""

from __future__ import annotations

import sys
from collections.abc import Callable

from PySide6.QtCore import QObject, QProcess

from desktop.controllers.tasks import TaskRunner
from desktop.core import settings_edit as edit
from desktop.core.cancel import CancelToken, Progress
from desktop.core.catalog import Catalog
from desktop.core.domain import Cloud
from desktop.core.errors import UserError
from desktop.core.paths import DataPaths
from desktop.core.settings import Settings
from desktop.core.settings_edit import clouds_missing_sign_in

from desktop.ui.account import AccountUi
from desktop.ui.dialogs import UserDialogs
from desktop.ui.main_window import MainWindow
from desktop.ui.profiles.page import ProfilesPage
from desktop.ui.settings_wiring import SettingsUi


def start_sandbox_window() -> None:
    """A second process, ``app-profiles --sandbox`` (its own throwaway data folder)."""
    QProcess.startDetached(sys.executable, ["-m", "desktop", "--sandbox"])


class FirstRun(QObject):
    """The first-run page on the profile list and what its buttons do."""

    def __init__(
        self,
        window: MainWindow,
        profiles: ProfilesPage,
        paths: DataPaths,
        catalog: Catalog,
        dialogs: UserDialogs,
        account: AccountUi,
        settings_ui: SettingsUi,
        start_sandbox: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._profiles = profiles
        self._paths = paths
        self._catalog = catalog
        self._dialogs = dialogs
        self._account = account
        self._start_sandbox = start_sandbox
        self._connected = False
        self._clouds: list[Cloud] = []
        missing = clouds_missing_sign_in(self._settings(), catalog)
        # Here, not at the top: the page's texts come from the identity code (msal and all).
        from desktop.ui.first_run_page import FirstRunPage

        self.page = FirstRunPage(", ".join(f"the {c.label} cloud" for c in missing), profiles)
        self.showing = True
        profiles.set_setup_page(self.page)
        self.page.sign_in_requested.connect(self._sign_in)
        self.page.sandbox_requested.connect(self._sandbox)
        self.page.skip_requested.connect(self.show_list)
        settings_ui.saved.connect(self._recheck)

    def set_clouds(self, clouds: list[Cloud]) -> None:
        """The clouds of the store's tenants: each needs its own sign-in app."""
        self._clouds = list(clouds)
        missing = clouds_missing_sign_in(self._settings(), self._catalog, clouds)
        self.page.set_missing(", ".join(f"the {c.label} cloud" for c in missing))

    def _sandbox(self) -> None:
        (self._start_sandbox or start_sandbox_window)()

    def show_list(self) -> None:
        """Back to the profile list's own next steps (for good: the page is not shown again)."""
        self.showing = False
        self._profiles.set_setup_page(None)

    def _settings(self) -> Settings:
        try:
            return Settings.load(self._paths.settings)
        except UserError:
            return Settings()

    def _recheck(self) -> None:
        if not clouds_missing_sign_in(self._settings(), self._catalog, self._clouds):
            self.show_list()

    def _sign_in(self, client_id: str) -> None:
        try:
            settings = Settings.load(self._paths.settings)
            edit.apply(settings, edit.SIGN_IN_CLIENT_ID, client_id).save(self._paths.settings)
        except UserError as exc:
            self.page.show_failure(exc)
            return
        if not self._connected:
            controller = self._account.controller
            controller.failed.connect(self._on_failed)
            controller.signed_in.connect(self._on_signed_in)
            self._connected = True
        self._account.sign_in_action.trigger()

    def _on_failed(self, _action: str, error: object) -> None:
        if self.showing and isinstance(error, UserError):
            self.page.show_failure(error)

    def _on_signed_in(self, _username: object) -> None:
        self.show_list()


def add_first_run(
    window: MainWindow,
    profiles: ProfilesPage,
    paths: DataPaths,
    catalog: Catalog,
    dialogs: UserDialogs,
    account: AccountUi,
    settings_ui: SettingsUi,
) -> FirstRun | None:
    """The first-run page when the Global cloud has no sign-in client ID (else None; a cloud
    of the store's tenants without one shows it later: :func:`first_run_for_clouds`)."""
    try:
        settings = Settings.load(paths.settings)
    except UserError:
        return None  # the broken file is reported where it is read; not a first run
    if not clouds_missing_sign_in(settings, catalog):
        return None
    return FirstRun(window, profiles, paths, catalog, dialogs, account, settings_ui)


#: Reads the clouds of the store's tenants (on a worker thread).
ReadClouds = Callable[[], list[Cloud]]


def first_run_for_clouds(
    runner: TaskRunner,
    read_clouds: ReadClouds,
    window: MainWindow,
    profiles: ProfilesPage,
    paths: DataPaths,
    catalog: Catalog,
    dialogs: UserDialogs,
    account: AccountUi,
    settings_ui: SettingsUi,
    done: Callable[[FirstRun], None],
) -> None:
    """Read the store's clouds on a worker thread; when one of them has no sign-in client ID,
    show the first-run page (and pass it to *done*)."""

    def work(_token: CancelToken, _progress: Progress) -> list[Cloud]:
        return read_clouds()

    def finished(clouds: list[Cloud]) -> None:
        try:
            settings = Settings.load(paths.settings)
        except UserError:
            return
        if clouds_missing_sign_in(settings, catalog, clouds):
            page = FirstRun(window, profiles, paths, catalog, dialogs, account, settings_ui)
            page.set_clouds(clouds)
            done(page)

    task = runner.submit("Reading the tenants' clouds", work)
    task.on_success(finished)
