"""Composition root: builds the core services, the controllers and the main window.

``app-profiles`` and ``python -m desktop`` start here. ``--self-test`` builds everything, paints
the window, waits until every page says it is ready, and exits 0, or prints one line naming what
failed and exits 1.
"""

from __future__ import annotations

import gc
import importlib.machinery
import importlib.util
import os
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QEventLoop, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from desktop import APP_NAME, ORG_NAME, __version__
from desktop.controllers.inventory import InventoryController
from desktop.controllers.notices import NoticeRelay
from desktop.controllers.tasks import TaskRunner
from desktop.core.catalog import Catalog
from desktop.core.domain import Cloud
from desktop.core.errors import UserError
from desktop.core.logging_setup import setup_logging
from desktop.core.paths import DataPaths, data_paths
from desktop.core.services import CoreServices

from desktop.ui.account import AccountUi, add_account
from desktop.ui.checks_wiring import ChecksWiring, ReauthorizeParts
from desktop.ui.dialogs import UserDialogs
from desktop.ui.first_run_wiring import FirstRun, add_first_run, first_run_for_clouds
from desktop.ui.lazy_page import LazyPage
from desktop.ui.main_window import MainWindow
from desktop.ui.menus import fill_menus
from desktop.ui.profiles.page import ProfilesPage
from desktop.ui.profiles.wiring import add_profiles_page
from desktop.ui.settings_wiring import SettingsUi, add_settings
from desktop.ui.startup import start_desktop
from desktop.ui.tenant_access_wiring import add_tenant_access
from desktop.ui.wizard.wiring import add_create_wizard

if TYPE_CHECKING:
    from desktop.controllers.list_export import ListExportController
    from desktop.core.secrets import SecretStore

    from desktop.ui.certificate_expiry_dialog import CertificateExpiryOpener
    from desktop.ui.team_key_dialog import TeamKeyDialog

SELF_TEST_TIMEOUT_S = 60.0


def add_checks(ctx: AppContext, page: ProfilesPage) -> ChecksWiring:
    """Status checks and re-authorization on the profile list (built lazily, off the GUI
    thread: the factories run inside the first task that needs them, and so do their imports,
    which pull in msal, requests and cryptography)."""
    services = ctx.services

    def parts() -> ReauthorizeParts:
        built = services.reauthorization()
        return ReauthorizeParts(built.service, built.store, built.engine, built.certificates)

    return ChecksWiring(
        page,
        ctx.runner,
        ctx.catalog,
        ctx.dialogs,
        services.check_service,
        parts,
    )


@dataclass
class AppContext:
    """Everything the GUI needs, built once and passed in; there is no global registry."""

    paths: DataPaths
    #: The core services of the data folder (the one place they are built).
    services: CoreServices
    runner: TaskRunner
    dialogs: UserDialogs
    #: The app catalog: shipped, with the data folder's override merged over it when valid.
    catalog: Catalog
    #: Problems found at start that the app survives; shown in the status bar.
    problems: list[str] = field(default_factory=list)
    inventory: InventoryController | None = None
    profiles_page: ProfilesPage | None = None
    #: The technician's sign-in (Account menu, status bar); built by build_window.
    account: AccountUi | None = None
    #: File → Settings…; built by build_window.
    settings_ui: SettingsUi | None = None
    #: The first-run page while no sign-in client ID is set; built by build_window.
    first_run: FirstRun | None = None

    @property
    def certificates(self) -> SecretStore | None:
        """Profiles' certificates: a key per certificate in the OS keyring, the encrypted file
        in the data folder; None until first used (by a worker thread)."""
        return self.services.opened_certificates()

    @certificates.setter
    def certificates(self, vault: SecretStore) -> None:
        self.services.use_certificates(vault)

    def certificate_vault(self) -> SecretStore:
        """The one certificate vault of this app (built lazily: it loads cryptography)."""
        return self.services.certificates()


def build_context(paths: DataPaths) -> AppContext:
    """Build the core services. Raises :class:`UserError` when the app cannot start."""
    paths.ensure()
    problems: list[str] = []
    # A team database that cannot be reached at start: the window shows its offline copy
    # (read-only, with a banner) and keeps trying; the warning goes to the log.
    services = CoreServices(paths, on_catalog_problem=problems.append, on_offline=_offline_noted)
    return AppContext(
        paths=paths,
        services=services,
        runner=TaskRunner(),
        dialogs=UserDialogs(),
        catalog=services.catalog,
        problems=problems,
    )


def _offline_noted(warning: str) -> None:
    import logging

    logging.getLogger(__name__).warning("%s", warning)


def build_window(ctx: AppContext) -> MainWindow:
    """Build the main window and its pages over *ctx*."""
    window = MainWindow()
    ctx.dialogs.set_parent(window)
    window.closing.connect(ctx.runner.cancel_all)
    services = ctx.services
    ctx.inventory = InventoryController(
        ctx.paths,
        ctx.runner,
        ctx.catalog,
        remove_secret=services.secret_remover(),
        tenant_name=services.tenant_name,
        open_store=services.store,
        open_inventory=services.inventory,
        go_online=services.go_online,
        parent=window,
    )
    # Another process's writes are watched while the window is open, and no longer after.
    window.closing.connect(ctx.inventory.stop_watching)
    if ctx.paths.pending_certificates():  # a killed earlier run stored a certificate
        ctx.runner.submit(
            "Collect interrupted certificates",
            lambda _token, _progress: services.collect_interrupted(),
        )
    ctx.profiles_page = add_profiles_page(window, ctx.inventory, ctx.dialogs)
    checks = add_checks(ctx, ctx.profiles_page)
    from desktop.ui.team_offline import add_team_offline

    add_team_offline(window, ctx.inventory, ctx.profiles_page, checks.bar)
    from desktop.controllers.offline_copy import keep_offline_copy

    keep_offline_copy(ctx.inventory, services.refresh_offline_copy, ctx.runner)
    # The team database keeps a ticket with each check's audit rows: the bar offers the field.
    ctx.inventory.team_connection_changed.connect(lambda _up: checks.bar.show_ticket_field(True))
    wizard = add_create_wizard(window, ctx.profiles_page, ctx.runner, services)
    runner = ctx.runner

    def export_controller() -> ListExportController:
        from desktop.controllers.list_export import ListExportController

        return ListExportController(runner, window)

    ctx.profiles_page.export_controller = export_controller
    ctx.account = add_account(window, ctx.runner, ctx.dialogs, services)
    connect_checks_to_account(checks, ctx.account)
    access = add_tenant_access(window, ctx.profiles_page, ctx.runner, services, ctx.account)
    checks.connect_requested.connect(access.customers.open)
    checks.access_notice = wizard.access_notice = access.notice
    for problem in ctx.problems:
        window.show_problem(problem)
    NoticeRelay(window).notice.connect(window.show_problem)
    window.add_page(
        LazyPage(lambda: build_permissions_page(ctx, window), "Permissions"),
        "&Permissions",
        "Ctrl+2",
    )
    fill_menus(window, ctx.profiles_page, access.connect_action)
    add_certificate_expiry(window, ctx.runner, services)
    add_team_key(window, ctx.runner, ctx.paths)
    ctx.settings_ui = add_settings(window, ctx.paths, ctx.catalog, ctx.dialogs, ctx.runner)
    wizard.settings_requested.connect(ctx.settings_ui.open)
    checks.settings_requested.connect(ctx.settings_ui.open)
    ctx.settings_ui.saved.connect(wizard.settings_saved)
    parts = (window, ctx.profiles_page, ctx.paths, ctx.catalog, ctx.dialogs, ctx.account)
    ctx.first_run = add_first_run(*parts, ctx.settings_ui)
    if ctx.first_run is None:  # Global is set up: so must be the clouds the tenants are in

        def read_clouds() -> list[Cloud]:
            return sorted({t.cloud for t, _ in services.inventory().tenants.list()})

        def found(first_run: FirstRun) -> None:
            ctx.first_run = first_run

        first_run_for_clouds(ctx.runner, read_clouds, *parts, ctx.settings_ui, found)
    return window


def add_certificate_expiry(window: MainWindow, runner: TaskRunner, services: CoreServices) -> None:
    """Profiles > Certificate expiry…: every custom profile's certificate, soonest first."""
    from PySide6.QtGui import QAction

    action = QAction("Certificate e&xpiry…", window)
    action.setObjectName("CertificateExpiryAction")
    window.profiles_menu.addAction(action)

    def give_icon() -> None:  # like the menus' other entries: when the menu first opens
        from desktop.ui.action_icons import give_icons

        give_icons({"expiry": [action]})

    window.profiles_menu.aboutToShow.connect(give_icon)

    openers: list[CertificateExpiryOpener] = []  # made when first opened

    def open_view() -> None:
        from desktop.controllers.certificate_expiry import CertificateExpiryController

        from desktop.ui.certificate_expiry_dialog import CertificateExpiryOpener

        if not openers:
            controller = CertificateExpiryController(
                runner, services.inventory, services.certificates, window
            )
            openers.append(CertificateExpiryOpener(controller, window))
        openers[0].open()

    action.triggered.connect(open_view)


def add_team_key(window: MainWindow, runner: TaskRunner, paths: DataPaths) -> None:
    """Profiles > Team key…: create the key pair to be approved, copy its fingerprint, and
    compare the members' published fingerprints."""
    from PySide6.QtGui import QAction

    action = QAction("&Team key…", window)
    action.setObjectName("TeamKeyAction")
    window.profiles_menu.addAction(action)

    def give_icon() -> None:
        from desktop.ui.action_icons import give_icons

        give_icons({"details": [action]})

    window.profiles_menu.aboutToShow.connect(give_icon)
    dialogs: list[TeamKeyDialog] = []

    def open_dialog() -> None:
        from desktop.controllers.team_key import TeamKeyController

        from desktop.ui.team_key_dialog import TeamKeyDialog

        if not dialogs:
            dialogs.append(TeamKeyDialog(TeamKeyController(runner, paths, window), window))
        dialogs[0].show()
        dialogs[0].refresh()

    action.triggered.connect(open_dialog)


def connect_checks_to_account(checks: ChecksWiring, account: AccountUi) -> None:
    """Failed checks that a sign-in fixes offer the Account menu's Sign in."""
    checks.sign_in_requested.connect(account.sign_in_action.trigger)
    checks.signed_in = account.signed_in


def build_permissions_page(ctx: AppContext, window: MainWindow) -> QWidget:
    """The Permissions viewer; built when its tab is first opened (its imports too)."""
    from desktop.controllers.permissions_export import PermissionsExportController

    from desktop.ui.permissions import PermissionsPage

    return PermissionsPage(
        ctx.catalog,
        PermissionsExportController(ctx.runner, window),
        ctx.dialogs,
        override_hint=str(ctx.paths.catalog_override),
    )


class _PaintWatcher(QObject):
    """Notes when a widget has painted at least once."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        self.painted = False
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.painted = True
        return False


def _pages_ready(window: MainWindow) -> tuple[bool, str]:
    """Ask every page that can tell whether it has shown its first content."""
    for index in range(window.tabs.count()):
        page = window.tabs.widget(index)
        ready = getattr(page, "self_test_ready", None)
        if callable(ready) and not ready():
            return False, f"the {window.tabs.tabText(index).replace('&', '')} page"
    return True, ""


#: Screens and services loaded when first used, not on the way to the first paint. The self-test
#: proves they are present (in a frozen bundle too) without loading them.
ON_DEMAND_MODULES = (
    "desktop.ui.permissions",
    "desktop.controllers.permissions_export",
    "desktop.controllers.checks",
    "desktop.controllers.reauthorize",
    "desktop.ui.reauthorize_dialog",
    "desktop.ui.profiles.details",
    "desktop.ui.profiles.customers_dialog",
    # GDAP partner access: the access panel, its controller, the notice before Authenticate.
    "desktop.ui.profiles.tenant_access_panel",
    "desktop.controllers.tenant_access",
    "desktop.ui.consent_access_notice",
    "desktop.core.partner_access",
    "desktop.ui.profiles.list_tools",
    "desktop.controllers.list_export",
    "desktop.ui.action_icons",
    "desktop.ui.dark_style",
    "desktop.ui.wizard.launcher",
    "desktop.controllers.wizard",
    "desktop.core.wizard.backend",
    # The inventory's services and rules: listing profiles reads the store without them.
    "desktop.core.inventory.service",
    # The technician's sign-in: made after the first paint, or on the first use of its menu.
    "desktop.controllers.session",
    # The single-instance server: a normal launch loads it; a self-test does not need it.
    "desktop.single_instance",
    # Team mode: the PostgreSQL store, its live changes and its driver (with its own libpq).
    "desktop.core.store.postgres.database",
    "desktop.controllers.team_live",
    # The team database's offline copy, opened when the server cannot be reached at start.
    "desktop.core.team.offline_repository",
    "psycopg",
    "psycopg_binary",
    "PySide6.QtNetwork",
)


def module_findable(name: str) -> bool:
    """Whether module *name* can be found, without running any package's ``__init__``.

    ``importlib.util.find_spec("a.b.c")`` imports ``a.b`` first; an on-demand package (the
    wizard's core) would then load on the way to the self-test's verdict.
    """
    parent, _, _ = name.rpartition(".")
    if not parent:
        return importlib.util.find_spec(name) is not None
    search = _search_path(parent)
    return search is not None and importlib.machinery.PathFinder.find_spec(name, search) is not None


def _search_path(package: str) -> list[str] | None:
    """Where *package*'s modules are looked for (None when it is not a package), unimported."""
    loaded = sys.modules.get(package)
    if loaded is not None:
        path = getattr(loaded, "__path__", None)
        return None if path is None else list(path)
    parent, _, _ = package.rpartition(".")
    if parent:
        outer = _search_path(parent)
        spec = None if outer is None else importlib.machinery.PathFinder.find_spec(package, outer)
    else:
        spec = importlib.util.find_spec(package)
    locations = None if spec is None else spec.submodule_search_locations
    return None if locations is None else list(locations)


def missing_on_demand_modules() -> list[str]:
    """The on-demand modules that cannot be found (none, in a working install)."""
    return [name for name in ON_DEMAND_MODULES if not module_findable(name)]


def run_self_test(
    app: QApplication, window: MainWindow, checks: Callable[[], int] | None = None
) -> int:
    """Show *window*, wait for its first paint and for every page, run *checks*, report."""
    watcher = _PaintWatcher(window)
    window.show()
    deadline = time.monotonic() + SELF_TEST_TIMEOUT_S
    waiting_for = "the main window's first paint"
    # Sleep in the event loop, not in time.sleep: a page's worker finishing or a paint wakes
    # it at once. The tick wakes it at least this often, to check the deadline.
    tick = QTimer()
    tick.start(5)
    while time.monotonic() < deadline:
        app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
        if watcher.painted:
            ready, waiting_for = _pages_ready(window)
            if ready:
                break
        else:
            window.update()
    else:
        tick.stop()
        print(f"Self-test failed: timed out waiting for {waiting_for}.", file=sys.stderr)
        return 1
    tick.stop()
    if window.problem_text:
        print(f"Self-test failed: {window.problem_text.lstrip('⚠ ')}", file=sys.stderr)
        return 1
    missing = missing_on_demand_modules()
    if missing:
        print(f"Self-test failed: missing from this build: {', '.join(missing)}.", file=sys.stderr)
        return 1
    if checks is not None and checks() != 0:
        return 1
    print(f"Self-test passed: {APP_NAME} {__version__}.")
    return 0


class LaunchOptions:
    """What the command line asked the GUI for."""

    __slots__ = ("sandbox", "self_test")

    def __init__(self, *, self_test: bool = False, sandbox: bool = False) -> None:
        self.self_test = self_test
        self.sandbox = sandbox


#: Arguments read without argparse (which, with gettext, costs a few ms of every start).
_PLAIN_FLAGS = {"--self-test": "self_test", "--sandbox": "sandbox"}


def parse_args(argv: Sequence[str] | None) -> LaunchOptions:
    """The options in *argv*; arguments the app does not know are left to Qt."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if all(arg in _PLAIN_FLAGS for arg in argv):
        return LaunchOptions(**{_PLAIN_FLAGS[arg]: True for arg in argv})
    import argparse

    parser = argparse.ArgumentParser(prog="app-profiles", description=APP_NAME)
    parser.add_argument("--self-test", action="store_true", help="start, paint, and exit 0")
    parser.add_argument(
        "--sandbox", action="store_true", help="run against a local test identity provider"
    )
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    args, _qt_args = parser.parse_known_args(argv)
    return LaunchOptions(self_test=args.self_test, sandbox=args.sandbox)


def main(argv: Sequence[str] | None = None) -> int:
    """Start the GUI. Returns the process exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    args = parse_args(argv)
    if QApplication.instance() is None:
        from desktop.display_check import missing_display

        problem = missing_display(os.environ, argv)
        if problem is not None:
            print(problem, file=sys.stderr)
            return 2
    app = QApplication.instance() or QApplication([sys.argv[0], *argv])
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(ORG_NAME)
    app.setApplicationVersion(__version__)
    cleanup = None
    if args.sandbox:
        from desktop.sandbox.launch import prepare_sandbox_environment

        try:
            _demo, cleanup = prepare_sandbox_environment()
        except UserError as exc:
            print(exc.one_line(), file=sys.stderr)
            return 1
    try:
        return _run(app, args)
    finally:
        if cleanup is not None:
            cleanup()


def _run(app: QApplication, args: LaunchOptions) -> int:
    # After the sandbox set-up, which may move APP_PROFILES_HOME (and so the logs).
    log_file = setup_logging()
    desktop = start_desktop(app, log_file.parent, self_test=args.self_test)
    paths = data_paths()
    if not args.self_test and not desktop.claim_instance(paths.root):
        print(f"{APP_NAME} is already running; its window was brought forward.")
        return 0
    try:
        ctx = build_context(paths)
        window = build_window(ctx)
        if args.sandbox:
            from desktop.ui.sandbox_banner import mark_sandbox

            mark_sandbox(window)
    except UserError as exc:
        print(f"{'Self-test failed: ' if args.self_test else ''}{exc.one_line()}", file=sys.stderr)
        if not args.self_test:
            UserDialogs().error(APP_NAME, exc)
        return 1
    except Exception as exc:  # a bug: the technician gets the report, not a silent exit
        desktop.report_start_failure(exc)
        return 1
    desktop.attach(window, ctx)
    # What start-up built lives as long as the app: later collections, and the full one at
    # exit (about 7 ms), skip it. The launchers turn the collector off while importing (start-up
    # makes many long-lived objects and few cycles); from here on it runs as usual.
    gc.freeze()
    gc.enable()
    if args.self_test:
        code = run_self_test(app, window, desktop.self_test_problems)
        window.close()
        ctx.runner.wait_for_done(5_000)
        return code
    if ctx.account is not None:
        ctx.account.start_after_first_paint()  # not in a self-test: it loads msal and keyring
    window.show()
    QTimer.singleShot(0, window.raise_)
    code = app.exec()
    ctx.runner.cancel_all()
    ctx.runner.wait_for_done(5_000)
    return code
