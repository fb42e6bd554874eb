"""The window's offline-copy writer: the first request writes at once, requests within the
interval after a write become one write at its end, and a failed write is logged, not raised."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from desktop.controllers import offline_copy
from desktop.controllers.offline_copy import OfflineCopyWriter
from desktop.controllers.tasks import TaskRunner
from desktop.core.errors import UserError


@pytest.fixture
def runner() -> Iterator[TaskRunner]:
    tasks = TaskRunner()
    yield tasks
    tasks.wait_for_done(10_000)


def test_requests_within_the_interval_become_one_write_at_its_end(
    qtbot: QtBot, runner: TaskRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(offline_copy, "COPY_INTERVAL_MS", 600)
    writes: list[float] = []
    gui = threading.get_ident()

    def write() -> None:
        assert threading.get_ident() != gui  # never on the GUI thread
        writes.append(time.monotonic())

    writer = OfflineCopyWriter(write, runner)
    writer.request()
    qtbot.waitUntil(lambda: len(writes) == 1, timeout=5000)
    for _ in range(5):  # a burst of changes
        writer.request()
    qtbot.wait(300)
    assert len(writes) == 1  # held until the interval is over
    qtbot.waitUntil(lambda: len(writes) == 2, timeout=5000)
    assert writes[1] - writes[0] >= 0.55
    qtbot.wait(800)
    assert len(writes) == 2  # the burst was one write


def test_a_failed_write_is_logged_and_the_next_request_tries_again(
    qtbot: QtBot,
    runner: TaskRunner,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setattr(offline_copy, "COPY_INTERVAL_MS", 0)
    calls: list[int] = []

    def write() -> None:
        calls.append(1)
        if len(calls) == 1:
            raise UserError("The keyring is locked.")

    writer = OfflineCopyWriter(write, runner)
    done: list[int] = []
    writer.written.connect(lambda: done.append(1))
    writer.request()
    qtbot.waitUntil(lambda: "The offline copy was not saved: The keyring is locked." in caplog.text)
    writer.request()
    qtbot.waitUntil(lambda: done == [1], timeout=5000)
    assert len(calls) == 2
