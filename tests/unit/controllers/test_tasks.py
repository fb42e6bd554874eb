"""The task runner delivers results, errors, progress and cancellation on the GUI thread."""

from __future__ import annotations

import threading

from pytestqt.qtbot import QtBot

from PySide6.QtCore import QThread

from desktop.controllers.tasks import TaskRunner
from desktop.core.cancel import CancelToken, Progress
from desktop.core.errors import UserError


def test_result_arrives_on_gui_thread(qtbot: QtBot) -> None:
    runner = TaskRunner()
    seen: dict[str, object] = {}

    def work(token: CancelToken, progress: Progress) -> int:
        seen["worker"] = threading.get_ident()
        progress(1, 2, "half")
        return 42

    task = runner.submit("answer", work)
    task.succeeded.connect(lambda v: seen.update(value=v, gui=QThread.currentThread()))
    with qtbot.waitSignal(task.finished, timeout=5000):
        pass
    assert seen["value"] == 42
    assert seen["gui"] is QThread.currentThread()
    assert seen["worker"] != threading.get_ident()
    runner.wait_for_done()


def test_errors_become_user_errors(qtbot: QtBot) -> None:
    runner = TaskRunner()

    def boom(token: CancelToken, progress: Progress) -> None:
        raise RuntimeError("disk on fire")

    task = runner.submit("Saving", boom)
    with qtbot.waitSignal(task.failed, timeout=5000) as blocker:
        pass
    error = blocker.args[0]
    assert isinstance(error, UserError)
    assert "disk on fire" in error.message
    runner.wait_for_done()


def test_cancel_stops_work(qtbot: QtBot) -> None:
    runner = TaskRunner()
    started = threading.Event()

    def slow(token: CancelToken, progress: Progress) -> None:
        started.set()
        while not token.wait(0.01):
            pass
        token.raise_if_cancelled()

    task = runner.submit("Waiting", slow)
    assert started.wait(5)
    with qtbot.waitSignal(task.cancelled, timeout=5000):
        task.cancel()
    runner.wait_for_done()
    assert not runner.busy
