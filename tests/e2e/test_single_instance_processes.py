"""Two real app processes: the second launch brings the first forward and exits 0; a socket
left by a killed instance does not stop the next one."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.fixtures import REPO_ROOT, run_module

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

LISTENING = "Listening for later launches"
ACTIVATED = "Another launch asked this instance to come forward"


def _start_app(data_home: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "APP_PROFILES_HOME": str(data_home), "QT_QPA_PLATFORM": "offscreen"}
    env["PYTHONPATH"] = os.pathsep.join([str(REPO_ROOT), *filter(None, [env.get("PYTHONPATH")])])
    return subprocess.Popen(
        [sys.executable, "-m", "desktop"],
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _log(data_home: Path) -> str:
    path = data_home / "logs" / "app-profiles.log"
    return path.read_text(encoding="utf-8") if path.exists() else ""


def _wait_for_log(data_home: Path, text: str, count: int = 1, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if _log(data_home).count(text) >= count:
            return
        time.sleep(0.1)
    raise AssertionError(f"{text!r} not logged {count}x; log:\n{_log(data_home)}")


@pytest.fixture
def processes() -> Iterator[list[subprocess.Popen[str]]]:
    started: list[subprocess.Popen[str]] = []
    yield started
    for process in started:
        if process.poll() is None:
            process.kill()
        process.communicate(timeout=30)


def test_second_launch_brings_first_forward(
    data_home: Path, processes: list[subprocess.Popen[str]]
) -> None:
    first = _start_app(data_home)
    processes.append(first)
    _wait_for_log(data_home, LISTENING)

    second = run_module("desktop", [], env={"QT_QPA_PLATFORM": "offscreen"}, timeout=60)
    assert second.returncode == 0, second.stderr
    assert "already running" in second.stdout
    _wait_for_log(data_home, ACTIVATED)
    assert first.poll() is None  # the first instance is still running

    # A killed instance leaves its socket behind; the next launch must not be fooled by it.
    first.kill()
    first.wait(timeout=30)
    third = _start_app(data_home)
    processes.append(third)
    _wait_for_log(data_home, LISTENING, count=2)
    assert third.poll() is None


def test_other_data_folder_is_another_instance(
    data_home: Path, tmp_path: Path, processes: list[subprocess.Popen[str]]
) -> None:
    first = _start_app(data_home)
    processes.append(first)
    _wait_for_log(data_home, LISTENING)
    other_home = tmp_path / "other"
    other = _start_app(other_home)
    processes.append(other)
    _wait_for_log(other_home, LISTENING)
    assert ACTIVATED not in _log(data_home)
