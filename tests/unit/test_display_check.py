"""Starting the GUI without a display: one line saying so and how to fix it, not Qt's abort."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from desktop.display_check import missing_display
from tests.helpers.fixtures import REPO_ROOT


def test_no_display_is_one_line_with_the_fix_and_a_non_zero_exit(data_home: Path) -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    env["APP_PROFILES_HOME"] = str(data_home)
    env["PYTHONPATH"] = str(REPO_ROOT)
    result = subprocess.run(
        [sys.executable, "-m", "desktop"],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO_ROOT,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "no display" in lines[0]
    assert "desktop session" in lines[0] and "QT_QPA_PLATFORM=offscreen" in lines[0]
    assert "plugin" not in result.stderr and result.stdout == ""


def test_a_display_or_a_drawing_plugin_is_enough() -> None:
    assert missing_display({"DISPLAY": ":0"}, platform="linux") is None
    assert missing_display({"WAYLAND_DISPLAY": "wayland-0"}, platform="linux") is None
    assert missing_display({"QT_QPA_PLATFORM": "offscreen"}, platform="linux") is None
    assert missing_display({}, ["-platform", "vnc"], platform="linux") is None
    assert missing_display({"QT_QPA_PLATFORM": "xcb"}, platform="linux") is not None
    assert missing_display({"QT_QPA_PLATFORM": "wayland;xcb"}, platform="linux") is not None
    # Windows and macOS have their own window system whatever the environment says.
    assert missing_display({}, platform="win32") is None
    assert missing_display({}, platform="darwin") is None
