"""Desktop start-up around the composition root: theme, app icon, the drop-downs' wheel guard,
crash reporting, the single instance, and the window shell. ``app.py`` calls
:func:`start_desktop` and the returned object.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QApplication

from desktop.ui.crash_reporter import CrashReporter
from desktop.ui.icons import broken_icons, icon, icon_names
from desktop.ui.main_window import MainWindow
from desktop.ui.shell import DesktopShell
from desktop.ui.theme import ThemeFollower
from desktop.ui.wheel_guard import install_wheel_guard
from desktop.ui.window_state import STATE_FILE_NAME, WindowState, settings_at

if TYPE_CHECKING:
    from desktop.single_instance import SingleInstance

log = logging.getLogger(__name__)


class DesktopStart:
    """Holds what lives as long as the app: theme follower, crash reporter, instance, shell."""

    def __init__(self, app: QApplication, log_folder: Path, *, self_test: bool) -> None:
        self.app = app
        self.log_folder = log_folder
        self.self_test = self_test
        self.theme = ThemeFollower(app)
        install_wheel_guard(app)  # drop-downs keep their choice while the page scrolls
        app.setWindowIcon(icon("app"))
        # A self-test has no one to read a dialog: the report goes to stderr and fails the test.
        show = self._print_report if self_test else None
        self.reporter = CrashReporter(log_folder, show=show)
        self.reporter.install()
        self.instance: SingleInstance | None = None
        self.shell: DesktopShell | None = None

    def claim_instance(self, data_root: Path) -> bool:
        """True when this is the only instance for this user and data folder."""
        # Here, not at the top: QtNetwork (some 5 ms to load) stays out of the self-test, which
        # checks that it ships without loading it (app.ON_DEMAND_MODULES).
        from desktop.single_instance import SingleInstance, server_name

        self.instance = SingleInstance(server_name(data_root), self.app)
        if not self.instance.claim():
            return False
        log.info("Listening for later launches on %s", self.instance.name)
        return True

    def attach(self, window: MainWindow, ctx: Any) -> DesktopShell:
        """Add the shell to *window*: About, remembered layout, coming forward on request."""
        self.reporter.set_parent_widget(window)
        state = WindowState(settings_at(ctx.paths.root / STATE_FILE_NAME))
        self.shell = DesktopShell(window, ctx, state, self.log_folder)
        self.shell.restore_layout()
        if self.instance is not None:
            self.instance.activation_requested.connect(self.shell.bring_to_front)
        if self.self_test:
            # A self-test must not overwrite the technician's layout with its own window.
            window.closing.disconnect(self.shell.save_layout)
        return self.shell

    def report_start_failure(self, exc: BaseException) -> None:
        """An unexpected exception while building the window: report it (dialog, or stderr in
        a self-test) before the process ends."""
        self.reporter.report_fatal(exc)

    def self_test_problems(self) -> int:
        """Print what the desktop layer found wrong during a self-test; 1 when anything."""
        problems = []
        # Every icon file must ship; rendering two proves the SVG plugins are in the bundle.
        names = icon_names()
        required = {"app", *(f"status-{s}" for s in ("valid", "expired", "invalid", "unknown"))}
        missing = sorted(required - set(names))
        broken = missing + broken_icons(["app", "status-valid"])
        if broken:
            problems.append(f"icons do not render: {', '.join(broken)}")
        if self.reporter.reports:
            problems.append("an unexpected exception happened (report above)")
        for problem in problems:
            print(f"Self-test failed: {problem}.", file=sys.stderr)
        return 1 if problems else 0

    @staticmethod
    def _print_report(report: str) -> None:
        print(report, file=sys.stderr)


def start_desktop(app: QApplication, log_folder: Path, *, self_test: bool) -> DesktopStart:
    return DesktopStart(app, log_folder, self_test=self_test)
