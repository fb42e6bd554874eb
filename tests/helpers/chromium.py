"""Debian's chromium, headless, as the system browser through ``BROWSER``.

``webbrowser`` waits for the ``BROWSER`` command to exit, so the wrapper starts chromium in the
background and records its process ID; :func:`stop_started_browsers` ends exactly those.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import stat
from pathlib import Path

FLAGS = (
    "--headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking "
    "--disable-component-update --disable-sync --ignore-certificate-errors "
    "--disable-features=HttpsUpgrades"
)


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def write_wrapper(folder: Path) -> Path:
    """A script for ``BROWSER`` that runs chromium headless on its argument."""
    binary = chromium_path()
    if binary is None:
        raise RuntimeError("chromium is not installed")
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / "headless-chromium"
    profile = folder / "profile"
    pids = folder / "pids"
    script.write_text(
        "#!/bin/sh\n"
        f'"{binary}" {FLAGS} --user-data-dir="{profile}" "$1" >"{folder}/chromium.log" 2>&1 &\n'
        f'echo $! >>"{pids}"\n'
        "exit 0\n",
        encoding="utf-8",
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script


def stop_started_browsers(folder: Path) -> None:
    """Terminate the chromium processes this wrapper started (by recorded ID only)."""
    pids = folder / "pids"
    if not pids.exists():
        return
    for line in pids.read_text().split():
        with contextlib.suppress(ProcessLookupError, ValueError):
            os.kill(int(line), signal.SIGTERM)
