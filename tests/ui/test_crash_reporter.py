"""Unexpected exceptions become a redacted, copyable report in a dialog; the app goes on."""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from desktop.ui.crash_dialog import CrashDialog
from desktop.ui.crash_reporter import CrashReporter, format_report

SECRET = "client_secret=Sup3rS3cret~value"


def _boom() -> None:
    raise RuntimeError(f"token request failed: {SECRET}")


@pytest.fixture
def reporter(tmp_path: Path) -> Iterator[CrashReporter]:
    hooks = (sys.excepthook, threading.excepthook)
    reporter = CrashReporter(tmp_path / "logs")
    reporter.install()
    yield reporter
    reporter.uninstall()
    assert (sys.excepthook, threading.excepthook) == hooks
    if reporter.dialog is not None:
        reporter.dialog.close()


def test_report_names_the_error_and_hides_secrets() -> None:
    try:
        _boom()
    except RuntimeError as exc:
        report = format_report((type(exc), exc, exc.__traceback__))
    assert "RuntimeError: token request failed" in report
    assert "_boom" in report  # the traceback is there
    assert "Sup3rS3cret" not in report
    assert "App Profile Manager" in report and "Python" in report


def test_gui_thread_exception_shows_the_dialog(qtbot: QtBot, reporter: CrashReporter) -> None:
    try:
        _boom()
    except RuntimeError as exc:
        with qtbot.waitSignal(reporter.reported, timeout=5000):
            sys.excepthook(type(exc), exc, exc.__traceback__)
    dialog = reporter.dialog
    assert isinstance(dialog, CrashDialog)
    qtbot.waitUntil(dialog.isVisible)
    assert "RuntimeError" in dialog.report
    assert "Sup3rS3cret" not in dialog.report
    dialog.copy_button.click()
    assert QApplication.clipboard().text() == dialog.report
    dialog.continue_button.click()
    assert not dialog.isVisible()


def test_worker_thread_exception_reaches_the_gui_thread(
    qtbot: QtBot, reporter: CrashReporter
) -> None:
    seen_on: list[threading.Thread] = []
    reporter.reported.connect(lambda _r: seen_on.append(threading.current_thread()))
    worker = threading.Thread(target=_boom, name="check-worker")
    with qtbot.waitSignal(reporter.reported, timeout=5000):
        worker.start()
        worker.join()
    assert seen_on == [threading.main_thread()]
    assert "Thread: check-worker" in reporter.reports[0]
    assert "Sup3rS3cret" not in reporter.reports[0]


def test_exception_in_a_slot_is_reported(qtbot: QtBot, tmp_path: Path) -> None:
    shown: list[str] = []
    reporter = CrashReporter(tmp_path, show=shown.append)
    # pytest-qt captures exceptions from Qt callbacks itself; this test wants ours to.
    saved = sys.excepthook
    reporter.install()
    try:
        with qtbot.capture_exceptions():
            sys.excepthook = reporter.handle_exception
            QTimer.singleShot(0, _boom)
            qtbot.waitUntil(lambda: bool(shown), timeout=5000)
    finally:
        reporter.uninstall()
        sys.excepthook = saved
    assert "token request failed" in shown[0]


def test_burst_of_errors_shares_one_dialog(qtbot: QtBot, reporter: CrashReporter) -> None:
    for _ in range(3):
        try:
            _boom()
        except RuntimeError as exc:
            with qtbot.waitSignal(reporter.reported, timeout=5000):
                reporter.handle_exception(type(exc), exc, exc.__traceback__)
    assert reporter.dialog is not None
    assert reporter.dialog.report.count("RuntimeError: token request failed") == 3
    assert len(reporter.reports) == 3


def test_keyboard_interrupt_is_not_a_crash(reporter: CrashReporter) -> None:
    reporter.handle_exception(KeyboardInterrupt, KeyboardInterrupt(), None)
    assert reporter.reports == []


def test_start_failure_shows_the_report_until_closed(qtbot: QtBot, reporter: CrashReporter) -> None:
    seen: list[tuple[bool, str, bool]] = []

    def close_it() -> None:
        dialog = reporter.dialog
        assert dialog is not None
        seen.append((dialog.isVisible(), dialog.report, dialog.continue_button.isVisible()))
        dialog.quit_button.click()

    QTimer.singleShot(0, close_it)
    try:
        _boom()
    except RuntimeError as exc:
        report = reporter.report_fatal(exc)  # returns once the dialog is closed
    assert seen and seen[0][0], "the report was on screen while report_fatal waited"
    assert "token request failed" in seen[0][1] and "Sup3rS3cret" not in seen[0][1]
    assert not seen[0][2], "nothing to continue with after a failed start"
    assert reporter.reports == [report]


def test_unexpected_start_failure_is_reported_not_silent(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], data_home: Path
) -> None:
    import desktop.app

    def broken_window(_ctx: object) -> None:
        _boom()

    monkeypatch.setattr(desktop.app, "build_window", broken_window)
    hooks = (sys.excepthook, threading.excepthook)
    try:
        code = desktop.app.main(["--self-test"])
    finally:
        sys.excepthook, threading.excepthook = hooks
    assert code == 1
    err = capsys.readouterr().err
    assert "RuntimeError: token request failed" in err
    assert "Sup3rS3cret" not in err
