"""The task runner delivers results, errors, progress and cancellation on the GUI thread."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

from pytestqt.qtbot import QtBot

import shiboken6
from PySide6.QtCore import QObject, QThread, Signal

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


def test_typed_slots_receive_the_result_and_the_error(qtbot: QtBot) -> None:
    runner = TaskRunner()
    got: list[object] = []
    ok = runner.submit("answer", lambda token, progress: 42)
    assert ok.on_success(got.append) is ok
    with qtbot.waitSignal(ok.finished, timeout=5000):
        pass

    def refuse(token: CancelToken, progress: Progress) -> int:
        raise UserError("No.", remedy="Ask again.")

    bad = runner.submit("refuse", refuse)
    assert bad.on_failure(lambda error: got.append(error.remedy)) is bad
    with qtbot.waitSignal(bad.finished, timeout=5000):
        pass
    assert got == [42, "Ask again."]
    runner.wait_for_done()


class _Receiver(QObject):
    loaded = Signal(object)
    failed = Signal(object)


def test_relay_re_emits_on_the_receivers_signals_and_is_dropped_with_the_receiver(
    qtbot: QtBot,
) -> None:
    runner = TaskRunner()
    gate = threading.Event()
    receiver, gone = _Receiver(), _Receiver()
    seen: list[object] = []
    receiver.loaded.connect(seen.append)

    def work(token: CancelToken, progress: Progress) -> int:
        gate.wait(5)
        return 7

    task = runner.submit("answer", work)
    task.relay(receiver.loaded, receiver.failed).relay(gone.loaded, gone.failed)
    shiboken6.delete(gone)  # a window closed while the work still runs
    gate.set()
    with qtbot.waitSignal(task.finished, timeout=5000):
        pass
    assert seen == [7]  # and no "Signal source has been deleted" for the one gone
    runner.wait_for_done()


def test_the_result_type_crosses_the_thread_hop_for_the_type_checker(tmp_path: Path) -> None:
    """A slot that treats an int result as a str is a type error, found before it runs.

    mypy runs in its own process: in this one it would raise the recursion limit for every
    later test."""
    snippet = tmp_path / "use_task.py"
    snippet.write_text(
        "from desktop.controllers.tasks import TaskRunner\n\n"
        "def use(runner: TaskRunner) -> None:\n"
        "    task = runner.submit('n', lambda token, progress: 42)\n"
        "    task.on_success(lambda value: print(value.upper()))\n"
        "    task.on_failure(lambda error: print(error.remedy))\n"
    )
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--no-incremental",
            "--follow-imports=silent",
            "--cache-dir=/dev/null",
            str(snippet),
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=Path(__file__).resolve().parents[3],
    )
    out, status = done.stdout, done.returncode
    assert status == 1
    assert '"int" has no attribute "upper"' in out
    assert out.count("error:") == 1  # the failure slot's UserError is known: .remedy is fine
