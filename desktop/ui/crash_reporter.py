"""Unexpected exceptions: log them and show a dialog with a copyable report; never vanish.

:class:`CrashReporter` replaces ``sys.excepthook`` (the GUI thread, including exceptions that
escape a Qt slot) and ``threading.excepthook`` (pool and other threads). Reports from any thread
are passed by a queued signal to the GUI thread, which shows one
:class:`~desktop.ui.crash_dialog.CrashDialog` at a time. The report is redacted: it never holds
a token, password or key.
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QWidget

from desktop import APP_NAME, __version__
from desktop.core.redaction import redact

if TYPE_CHECKING:
    from desktop.ui.crash_dialog import CrashDialog

log = logging.getLogger("desktop.crash")

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]
ShowReport = Callable[[str], None]


def format_report(exc_info: ExcInfo, *, thread_name: str | None = None) -> str:
    """A plain-text report for a support ticket: versions, platform, the traceback; redacted."""
    # Imported here: only a crash needs them, and start-up time counts.
    import platform
    import traceback
    from datetime import UTC, datetime

    exc_type, exc, tb = exc_info
    lines = [
        f"{APP_NAME} {__version__}",
        f"{platform.system()} {platform.release()} ({platform.machine()}), "
        f"Python {platform.python_version()}, PySide6 {pyside_version}",
        f"Time: {datetime.now(UTC).isoformat(timespec='seconds')}",
        f"Thread: {thread_name or threading.current_thread().name}",
        "",
        *traceback.format_exception(exc_type, exc, tb),
    ]
    return redact("\n".join(line.rstrip("\n") for line in lines))


class CrashReporter(QObject):
    """Installs the exception hooks and shows each report on the GUI thread.

    Signals:
        reported(str): a redacted report was made (emitted on the GUI thread).

    Attributes:
        reports: every report made since install, oldest first.
        dialog: the dialog on screen, if any.
    """

    reported = Signal(str)
    _report_made = Signal(str)

    def __init__(
        self,
        log_folder: Path,
        parent_widget: QWidget | None = None,
        *,
        show: ShowReport | None = None,
    ) -> None:
        super().__init__()
        self._log_folder = log_folder
        self._parent_widget = parent_widget
        self._show: ShowReport = show or self._show_dialog
        self._shows_dialogs = show is None
        self.reports: list[str] = []
        self.dialog: CrashDialog | None = None
        self._previous: tuple[object, object] | None = None
        # Queued when emitted off the GUI thread, because this object lives on it.
        self._report_made.connect(self._on_report)

    def set_parent_widget(self, widget: QWidget) -> None:
        self._parent_widget = widget

    def install(self) -> None:
        """Route uncaught exceptions of every thread here."""
        if self._previous is None:
            self._previous = (sys.excepthook, threading.excepthook)
        sys.excepthook = self.handle_exception
        threading.excepthook = self._thread_hook

    def uninstall(self) -> None:
        if self._previous is not None:
            sys.excepthook, threading.excepthook = self._previous  # type: ignore[assignment]
            self._previous = None

    def handle_exception(
        self,
        exc_type: type[BaseException],
        exc: BaseException,
        tb: TracebackType | None,
        thread_name: str | None = None,
    ) -> None:
        """Log the exception and queue its report for the GUI thread."""
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        try:
            report = format_report((exc_type, exc, tb), thread_name=thread_name)
            # The redacted report, not exc_info: no handler ever sees the raw traceback.
            log.error("Unexpected exception\n%s", report)
            self._report_made.emit(report)
        except Exception:  # the hook must never raise; fall back to stderr
            sys.__excepthook__(exc_type, exc, tb)

    def report_fatal(self, exc: BaseException) -> str:
        """Report a failure the app cannot run past (building the window): log it, then show
        the report and wait until it is closed, so a failed start never just vanishes."""
        report = format_report((type(exc), exc, exc.__traceback__))
        log.error("Could not start\n%s", report)
        self.reports.append(report)
        self.reported.emit(report)
        if not self._shows_dialogs:
            self._show(report)
            return report
        from desktop.ui.crash_dialog import CrashDialog

        self.dialog = CrashDialog(report, self._log_folder, self._parent_widget, fatal=True)
        self.dialog.exec()
        return report

    def _thread_hook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is None:
            return
        name = args.thread.name if args.thread is not None else None
        self.handle_exception(args.exc_type, args.exc_value, args.exc_traceback, name)

    @Slot(str)
    def _on_report(self, report: str) -> None:
        self.reports.append(report)
        self.reported.emit(report)
        self._show(report)

    def _show_dialog(self, report: str) -> None:
        if self.dialog is not None and self.dialog.isVisible():
            # One dialog at a time: a burst of errors adds to the report on screen.
            self.dialog.report_view.appendPlainText("\n" + "-" * 40 + "\n" + report)
            return
        from desktop.ui.crash_dialog import CrashDialog  # only built when needed

        self.dialog = CrashDialog(report, self._log_folder, self._parent_widget)
        self.dialog.open()
