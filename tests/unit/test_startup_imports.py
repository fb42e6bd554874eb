"""The start path imports no heavy library: msal, requests, cryptography and keyring load
lazily, when a feature first needs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.app import ON_DEMAND_MODULES
from tests.helpers.fixtures import REPO_ROOT

HEAVY = ("msal", "requests", "cryptography", "keyring", "jwt", "urllib3")

_PROBE = f"""
import json, sys
import desktop.app
after_import = sorted(m for m in {HEAVY!r} if m in sys.modules)
code = desktop.app.main(["--self-test"])
after_start = sorted(m for m in {HEAVY!r} if m in sys.modules)
print(json.dumps({{"code": code, "import": after_import, "start": after_start}}))
"""


def test_heavy_modules_stay_off_the_start_path(data_home: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "APP_PROFILES_HOME": str(data_home)}
    env["PYTHONPATH"] = os.pathsep.join([str(REPO_ROOT), *filter(None, [env.get("PYTHONPATH")])])
    completed = subprocess.run(
        [sys.executable, "-c", _PROBE],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        env=env,
        timeout=120,
        check=False,
    )
    assert completed.stdout.strip(), completed.stderr
    report = json.loads(completed.stdout.strip().splitlines()[-1])
    assert report["code"] == 0, completed.stderr
    assert report["import"] == [], f"imported by `import desktop.app`: {report['import']}"
    assert report["start"] == [], f"imported while starting: {report['start']}"


_ON_DEMAND_PROBE = f"""
import gc, json, sys
gc.disable()  # as the launchers do
import desktop.app
code = desktop.app.main(["--self-test"])
started = sorted(m for m in {ON_DEMAND_MODULES!r} if m in sys.modules)
print(json.dumps({{"code": code, "start": started, "gc": gc.isenabled()}}))
"""


def test_on_demand_screens_stay_off_the_start_path(data_home: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "APP_PROFILES_HOME": str(data_home)}
    env["PYTHONPATH"] = os.pathsep.join([str(REPO_ROOT), *filter(None, [env.get("PYTHONPATH")])])
    completed = subprocess.run(
        [sys.executable, "-c", _ON_DEMAND_PROBE],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        env=env,
        timeout=120,
        check=False,
    )
    assert completed.stdout.strip(), completed.stderr
    report = json.loads(completed.stdout.strip().splitlines()[-1])
    assert report["code"] == 0, completed.stderr
    assert report["start"] == [], f"imported while starting: {report['start']}"
    assert report["gc"], "the garbage collector is back on once the window is built"


def test_self_test_finds_every_on_demand_module(monkeypatch: pytest.MonkeyPatch) -> None:
    import desktop.app

    assert desktop.app.missing_on_demand_modules() == []
    monkeypatch.setattr(
        desktop.app, "ON_DEMAND_MODULES", (*ON_DEMAND_MODULES, "desktop.ui.no_such_screen")
    )
    assert desktop.app.missing_on_demand_modules() == ["desktop.ui.no_such_screen"]
